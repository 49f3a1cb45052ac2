import { CONFIG_KEYS, CONFIG_PATH_ENV, envNameFor } from './schema';

/**
 * Renders `config.example.toml` from the key table, so the example, `init` and the loader
 * can never disagree. A test compares this with the committed file.
 */
export function renderExampleConfig(): string {
  const lines: string[] = [
    '# Xero Comms Proxy configuration.',
    `# Default path: ./xero-proxy.toml (or --config PATH, or ${CONFIG_PATH_ENV}).`,
    '# Every key can be overridden by an environment variable: XERO_PROXY_ and the key',
    `# with dots as underscores, upper case (e.g. ${envNameFor('server.listen')}).`,
    '# Secret values may be written literally or as "env:NAME" / "file:PATH" references.',
  ];
  let table = '';
  for (const spec of CONFIG_KEYS) {
    const parts = spec.key.split('.');
    const name = parts.pop()!;
    const tableName = parts.join('.');
    if (tableName !== table) {
      table = tableName;
      lines.push('', `[${table}]`);
    }
    lines.push(`# ${spec.doc}`);
    const value = spec.example ?? spec.default;
    if (value === undefined) lines.push(`# ${name} = (from the profile)`);
    else lines.push(`${name} = ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`);
  }
  return lines.join('\n') + '\n';
}

import { CONFIG_KEYS, CONFIG_PATH_ENV, envNameFor } from './schema';

/**
 * Renders `config.example.toml` from the key table, so the example, `init` and the loader
 * can never disagree. A test compares this with the committed file. `values` replaces the
 * defaults of some keys, e.g. the data directory of the config `service install` writes.
 * @example renderExampleConfig({ 'storage.data_dir': '/var/lib/xero-proxy' })
 */
export function renderExampleConfig(values: Readonly<Record<string, string | number | boolean>> = {}): string {
  const unknown = Object.keys(values).filter((key) => !CONFIG_KEYS.some((spec) => spec.key === key));
  if (unknown.length) throw new Error(`renderExampleConfig: unknown keys ${unknown.join(', ')}`);
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
    const value = values[spec.key] ?? spec.example ?? spec.default;
    if (value === undefined) lines.push(`# ${name} = (from the profile)`);
    else lines.push(`${name} = ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`);
  }
  return lines.join('\n') + '\n';
}

import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { AppError } from '../lib/errors';
import { Secret } from '../lib/secret';
import { AUTO_LOG_FILE, CONFIG_KEYS, CONFIG_PATH_ENV, DEFAULT_CONFIG_PATH, envNameFor, RATE_PROFILES, SERVICE_ENV, type KeySpec } from './schema';
import { invalid } from './invalid';
import { checkCron, cronOrOff } from './cron';
import { checkRedirectUri, parseScopes } from './oauth2';
import type { Config, ConfigOrigin, Listen, LogFileSetting } from './types';

export interface LoadOptions {
  /** `--config`; falls back to XERO_PROXY_CONFIG, then ./xero-proxy.toml. */
  path?: string | undefined;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

type Raw = Map<string, unknown>;

/**
 * Reads the TOML file (if any), applies `XERO_PROXY_…` overrides, resolves `env:`/`file:`
 * secret references and validates every key. Errors are `invalid` and name the key.
 */
export function loadConfig(options: LoadOptions = {}): Config {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  // An empty XERO_PROXY_CONFIG means unset, as shells and service files often leave it.
  const explicit = options.path ?? (env[CONFIG_PATH_ENV] || undefined);
  const path = resolve(cwd, explicit ?? DEFAULT_CONFIG_PATH);
  const raw: Raw = new Map();
  let source: string | undefined;
  const fromEnv = new Set<string>();
  if (existsSync(path)) {
    source = path;
    flattenInto(raw, parseFile(path), '');
  } else if (explicit !== undefined) {
    throw new AppError('invalid', `The config file ${path} does not exist.`, { hint: 'Run `xero-proxy init` to create one, or pass --config with the right path.' });
  }
  for (const spec of CONFIG_KEYS) {
    const value = env[envNameFor(spec.key)];
    if (value !== undefined) {
      raw.set(spec.key, value);
      fromEnv.add(spec.key);
    }
  }
  return buildConfig(raw, { env, baseDir: source ? dirname(source) : cwd, source, fromEnv });
}

/** Builds a Config from TOML text alone; for tests and `config.example.toml`. */
export function parseConfigText(text: string, options: { env?: NodeJS.ProcessEnv; baseDir?: string } = {}): Config {
  const raw: Raw = new Map();
  flattenInto(raw, parseTomlText(text, 'config'), '');
  return buildConfig(raw, { env: options.env ?? {}, baseDir: options.baseDir ?? process.cwd(), source: undefined, fromEnv: new Set() });
}

function parseFile(path: string): Record<string, unknown> {
  return parseTomlText(readFileSync(path, 'utf8'), path);
}

function parseTomlText(text: string, name: string): Record<string, unknown> {
  try {
    return parseToml(text) as Record<string, unknown>;
  } catch (error) {
    const detail = (error instanceof Error ? error.message.split('\n')[0]! : String(error)).replace(/^Invalid TOML document: /, '');
    const line = (error as { line?: number }).line;
    throw new AppError('invalid', `${name}${line ? `, line ${line}` : ''}: not valid TOML (${detail}).`, { hint: 'Compare it with config.example.toml.' });
  }
}

const KNOWN = new Map(CONFIG_KEYS.map((spec) => [spec.key, spec]));
const TABLES = new Set(CONFIG_KEYS.flatMap((spec) => spec.key.split('.').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('.'))));

function flattenInto(raw: Raw, table: Record<string, unknown>, prefix: string): void {
  for (const [name, value] of Object.entries(table)) {
    const key = prefix + name;
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)) {
      if (!TABLES.has(key)) throw new AppError('invalid', `${key}: unknown table.`, { field: key, hint: 'See config.example.toml for every key.' });
      flattenInto(raw, value as Record<string, unknown>, key + '.');
    } else {
      if (!KNOWN.has(key)) throw new AppError('invalid', `${key}: unknown key.`, { field: key, hint: 'See config.example.toml for every key.' });
      raw.set(key, value);
    }
  }
}

interface BuildContext {
  env: NodeJS.ProcessEnv;
  baseDir: string;
  source: string | undefined;
  /** Keys set by an `XERO_PROXY_…` variable; the others in `raw` came from the file. */
  fromEnv: ReadonlySet<string>;
}

function buildConfig(raw: Raw, context: BuildContext): Config {
  const values = new Map<string, unknown>();
  for (const spec of CONFIG_KEYS) {
    const given = raw.get(spec.key);
    // Defaults go through the same coercion as given values, so "host:port" becomes a Listen either way.
    values.set(spec.key, given === undefined && spec.default === undefined ? undefined : coerce(spec, given ?? spec.default, context));
  }
  const str = (key: string) => values.get(key) as string;
  const int = (key: string) => values.get(key) as number;
  const optionalInt = (key: string) => values.get(key) as number | undefined;
  const secret = (key: string) => values.get(key) as Secret | string;
  const asSecret = (value: Secret | string) => (value instanceof Secret ? value : new Secret(value));

  const profileName = str('xero.rate_limit.profile') as keyof typeof RATE_PROFILES;
  const profile = RATE_PROFILES[profileName];
  const dataDir = resolve(context.baseDir, str('storage.data_dir'));
  const sandboxDatabase = str('sandbox.database');
  const publicUrl = str('server.public_url').replace(/\/+$/, '');
  const appType = str('xero.app_type') as Config['xero']['appType'];

  const origins: Record<string, ConfigOrigin> = {};
  const shown: Record<string, string> = {};
  for (const spec of CONFIG_KEYS) {
    origins[spec.key] = context.fromEnv.has(spec.key) ? 'environment' : raw.has(spec.key) ? 'file' : 'default';
    shown[spec.key] = showValue(spec, values.get(spec.key));
  }

  const config: Config = {
    source: context.source,
    origins,
    shown,
    server: {
      listen: values.get('server.listen') as Listen,
      publicUrl,
      tls: str('server.tls') as Config['server']['tls'],
      tlsCert: tlsFile(str('server.tls_cert'), context.baseDir),
      tlsKey: tlsFile(str('server.tls_key'), context.baseDir),
      logLevel: str('server.log_level') as Config['server']['logLevel'],
      logFile: logFileSetting(str('server.log_file'), dataDir, context.env, { keep: int('server.log_keep'), maxBytes: int('server.log_max_mib') * 1024 * 1024 }),
      shutdownGraceSeconds: int('server.shutdown_grace_seconds'),
      headersTimeoutSeconds: int('server.headers_timeout_seconds'),
      requestTimeoutSeconds: int('server.request_timeout_seconds'),
      idleTimeoutSeconds: int('server.idle_timeout_seconds'),
      maxConnectionsPerAddress: int('server.max_connections_per_address'),
    },
    storage: { dataDir, encryptionKey: asSecret(secret('storage.encryption_key')), retentionDays: int('storage.retention_days') },
    backup: { dir: resolve(dataDir, str('backup.dir').trim() || 'backups'), schedule: cronOrOff(str('backup.schedule')), keep: int('backup.keep') },
    reconcile: { schedule: cronOrOff(str('reconcile.schedule')) },
    xero: {
      appType,
      clientId: str('xero.client_id').trim(),
      clientSecret: asSecret(secret('xero.client_secret')),
      scopes: parseScopes(str('xero.scopes'), appType),
      redirectUri: checkRedirectUri(str('xero.redirect_uri').trim(), publicUrl, appType),
      loginUrl: str('xero.login_url').replace(/\/+$/, ''),
      identityUrl: str('xero.identity_url').replace(/\/+$/, ''),
      consumerKey: str('xero.consumer_key'),
      consumerSecret: asSecret(secret('xero.consumer_secret')),
      apiUrl: str('xero.api_url').replace(/\/+$/, ''),
      rateLimit: {
        profile: profileName,
        perMinute: optionalInt('xero.rate_limit.per_minute') ?? profile.perMinute,
        perDay: optionalInt('xero.rate_limit.per_day') ?? profile.perDay,
        concurrency: optionalInt('xero.rate_limit.concurrency') ?? profile.concurrency,
        minuteMs: int('xero.rate_limit.minute_ms'),
      },
    },
    delivery: {
      sendTimeoutSeconds: int('delivery.send_timeout_seconds'),
      leaseSeconds: int('delivery.lease_seconds'),
    },
    pairing: {
      ttlMinutes: int('pairing.ttl_minutes'),
      intervalSeconds: int('pairing.interval_seconds'),
      maxPending: int('pairing.max_pending'),
      maxPendingPerAddress: int('pairing.max_pending_per_address'),
      maxPerAddressPerHour: int('pairing.max_per_address_per_hour'),
    },
    api: { idempotencyKeyDays: int('api.idempotency_key_days'), corsOrigins: parseOrigins(str('api.cors_origins')) },
    admin: { requireMfa: values.get('admin.require_mfa') as boolean },
    alerts: {
      emailTo: str('alerts.email_to').split(',').map((address) => address.trim()).filter((address) => address !== ''),
      emailFrom: str('alerts.email_from').trim() || `xero-proxy@${new URL(publicUrl).hostname}`,
      smtpHost: str('alerts.smtp_host').trim(),
      smtpPort: int('alerts.smtp_port'),
      smtpSecure: values.get('alerts.smtp_secure') as boolean,
      smtpUser: str('alerts.smtp_user').trim(),
      smtpPassword: asSecret(secret('alerts.smtp_password')),
      webhookUrl: checkWebhookUrl(str('alerts.webhook_url').trim()),
      webhookSecret: asSecret(secret('alerts.webhook_secret')),
      repeatHours: int('alerts.repeat_hours'),
      stuckMinutes: int('alerts.stuck_minutes'),
      budgetPercent: int('alerts.budget_percent'),
    },
    sandbox: {
      listen: values.get('sandbox.listen') as Listen,
      database: sandboxDatabase === '' ? resolve(dataDir, 'sandbox.db') : sandboxDatabase === ':memory:' ? ':memory:' : resolve(context.baseDir, sandboxDatabase),
      rateLimitProfile: str('sandbox.rate_limit_profile') as keyof typeof RATE_PROFILES,
      rateLimitStatus: int('sandbox.rate_limit_status') as 429 | 503,
      timestampWindowSeconds: int('sandbox.timestamp_window_seconds'),
      minuteMs: int('sandbox.minute_ms'),
    },
  };
  checkTls(config);
  if (config.delivery.leaseSeconds <= config.delivery.sendTimeoutSeconds * 3) {
    throw invalid('delivery.lease_seconds', `must be more than 3 × delivery.send_timeout_seconds (${config.delivery.sendTimeoutSeconds * 3}): a claim outlasts one send, a token renewal and one resend`);
  }
  if (config.server.headersTimeoutSeconds > config.server.requestTimeoutSeconds) {
    throw invalid('server.headers_timeout_seconds', `must not be more than server.request_timeout_seconds (${config.server.requestTimeoutSeconds}): the headers are part of the request`);
  }
  if (config.alerts.emailTo.length > 0 && config.alerts.smtpHost === '') {
    throw invalid('alerts.smtp_host', 'must name the mail server when alerts.email_to is set');
  }
  for (const address of config.alerts.emailTo) {
    if (!/^[^\s@,]+@[^\s@,]+$/.test(address)) throw invalid('alerts.email_to', `"${address}" is not an e-mail address`);
  }
  // A shortened minute would send faster than Xero allows: only a sandbox scaled alike may see it.
  if (config.xero.rateLimit.minuteMs !== 60_000 && new URL(config.xero.apiUrl).hostname.endsWith('xero.com')) {
    throw invalid('xero.rate_limit.minute_ms', 'must be 60000 while xero.api_url is Xero\'s: a shorter minute is for the sandbox alone');
  }
  if (config.sandbox.rateLimitStatus !== 429 && config.sandbox.rateLimitStatus !== 503) {
    throw invalid('sandbox.rate_limit_status', 'must be 429 or 503');
  }
  return deepFreeze(config);
}

/** A value as the settings page shows it: never a secret's text. */
function showValue(spec: KeySpec, value: unknown): string {
  if (spec.type.kind === 'secret') return value instanceof Secret && !value.isEmpty ? 'set' : 'not set';
  if (value === undefined) return '(from the profile)';
  if (spec.type.kind === 'listen') {
    const listen = value as Listen;
    return `${listen.host.includes(':') ? `[${listen.host}]` : listen.host}:${listen.port}`;
  }
  return String(value);
}

/**
 * `server.log_file`: "auto" is the data directory's logs/xero-proxy.log, written only by a service;
 * "off" is none; anything else is a path, relative to the data directory (where a service may
 * write, unlike the directory of a config file that often belongs to root).
 */
function logFileSetting(value: string, dataDir: string, env: NodeJS.ProcessEnv, rotation: { keep: number; maxBytes: number }): LogFileSetting | undefined {
  const text = value.trim();
  if (text === 'off') return undefined;
  if (text === 'auto') return { path: resolve(dataDir, AUTO_LOG_FILE), active: env[SERVICE_ENV] === '1', ...rotation };
  // Empty is refused rather than guessed: it could mean "off" or "the default" to different readers.
  if (text === '') throw invalid('server.log_file', 'must be "auto", "off" or the path of a file');
  if (/[\\/]$/.test(text)) throw invalid('server.log_file', `"${text}" names a directory; give the path of a file in it, e.g. "${text.replace(/[\\/]+$/, '')}/xero-proxy.log"`);
  return { path: resolve(dataDir, text), active: true, ...rotation };
}

function tlsFile(value: string, baseDir: string): string | undefined {
  const text = value.trim();
  return text === '' ? undefined : resolve(baseDir, text);
}

/** With HTTPS on, the public URL must say https (plain http there only redirects), and `files` needs both files. */
function checkTls(config: Config): void {
  const { tls, publicUrl, tlsCert, tlsKey } = config.server;
  if (tls === 'off') return;
  if (new URL(publicUrl).protocol !== 'https:') {
    throw invalid('server.public_url', `must start with https:// when server.tls is "${tls}" (plain http on that port only redirects to https); write ${publicUrl.replace(/^http:/, 'https:')}`);
  }
  if (tls === 'files') {
    if (tlsCert === undefined) throw invalid('server.tls_cert', 'must name the PEM file of the server certificate (and its chain) when server.tls is "files"');
    if (tlsKey === undefined) throw invalid('server.tls_key', 'must name the PEM file of the private key when server.tls is "files"');
  }
}

/** `api.cors_origins`: origins separated by spaces, each scheme://host[:port] with nothing after it. */
function parseOrigins(text: string): string[] {
  const origins = text.split(/\s+/).filter((origin) => origin !== '');
  for (const origin of origins) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.origin !== origin) {
      throw invalid('api.cors_origins', `"${origin}" is not an origin: write scheme://host[:port] with no path or trailing slash, e.g. "https://till.example.com"`);
    }
  }
  return origins;
}

function checkWebhookUrl(url: string): string {
  if (url === '') return url;
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return url;
  } catch {
    // Reported below, in the same words as a URL that parses with another scheme.
  }
  throw invalid('alerts.webhook_url', 'must be an http(s) URL, or empty for no webhook');
}

function coerce(spec: KeySpec, value: unknown, context: BuildContext): unknown {
  const { key, type } = spec;
  switch (type.kind) {
    case 'string':
      if (typeof value !== 'string') throw invalid(key, 'must be a string');
      return value;
    case 'secret':
      if (typeof value !== 'string') throw invalid(key, 'must be a string or an "env:NAME" / "file:PATH" reference');
      return resolveSecret(key, value, context);
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw invalid(key, 'must be true or false');
    case 'integer': {
      const number = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
      if (typeof number !== 'number' && typeof number !== 'bigint') throw invalid(key, 'must be a whole number');
      const n = Number(number);
      if (!Number.isInteger(n)) throw invalid(key, 'must be a whole number');
      if (n < type.min || n > type.max) throw invalid(key, `must be between ${type.min} and ${type.max}`);
      return n;
    }
    case 'enum':
      if (typeof value !== 'string' || !type.values.includes(value)) throw invalid(key, `must be one of ${type.values.join(', ')}`);
      return value;
    case 'url': {
      if (typeof value !== 'string') throw invalid(key, 'must be an http(s) URL');
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        throw invalid(key, 'must be an http(s) URL');
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(key, 'must be an http(s) URL');
      return value;
    }
    case 'listen':
      if (typeof value !== 'string') throw invalid(key, 'must be "host:port"');
      return parseListen(key, value);
    case 'cron':
      if (typeof value !== 'string') throw invalid(key, 'must be a cron expression such as "30 2 * * *", or "off"');
      return checkCron(key, value);
  }
}

/** Parses `"host:port"` (IPv6 hosts in brackets). */
export function parseListen(key: string, value: string): Listen {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:\s]+):(\d{1,5})$/.exec(value.trim());
  const port = match ? Number(match[2]) : NaN;
  if (!match || port > 65535) throw invalid(key, 'must be "host:port", e.g. "0.0.0.0:8080"');
  return { host: match[1]!.replace(/^\[|\]$/g, ''), port };
}

function resolveSecret(key: string, value: string, context: BuildContext): Secret {
  if (value.startsWith('env:')) {
    const name = value.slice(4);
    const found = context.env[name];
    if (found === undefined || found === '') throw invalid(key, `refers to the environment variable ${name}, which is not set`);
    return new Secret(found);
  }
  if (value.startsWith('file:')) {
    const path = resolve(context.baseDir, value.slice(5));
    try {
      return new Secret(readFileSync(path, 'utf8').trim());
    } catch {
      throw invalid(key, `refers to the file ${path}, which cannot be read`);
    }
  }
  return new Secret(value);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !(value instanceof Secret)) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

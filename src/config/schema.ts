/**
 * Every configuration key, its type, default and documentation, in one table. The loader,
 * the validator, `config.example.toml` and `xero-proxy init` are all derived from it.
 */
export type KeyType =
  | { kind: 'string' }
  | { kind: 'secret' }
  | { kind: 'integer'; min: number; max: number }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'url' }
  | { kind: 'listen' }
  | { kind: 'boolean' }
  | { kind: 'cron' };

export interface KeySpec {
  key: string;
  type: KeyType;
  /** `undefined` means "derived", explained in `doc`. What a config without the key gets. */
  default: string | number | boolean | undefined;
  /**
   * What a new config file says (`xero-proxy init`, config.example.toml), where that differs
   * from the default: configs written before the key existed keep behaving as they did.
   */
  example?: string | number | boolean;
  doc: string;
}

export const APP_TYPES = ['private', 'public', 'partner', 'oauth2', 'oauth2_pkce', 'custom_connection'] as const;
/** The OAuth 2.0 app types: they act with Bearer tokens and a tenant id rather than OAuth 1.0a signatures. */
export const OAUTH2_APP_TYPES = ['oauth2', 'oauth2_pkce', 'custom_connection'] as const;
/**
 * What the workflows need, in Xero's granular scopes (apps created since March 2026 get no
 * others): invoices and payments, contacts found or created by name, accounts, tax rates, items
 * and tracking for mappings and pick lists, and Payroll AU timesheets with their employees and
 * pay items, and files for documents (attachments). `offline_access` brings the refresh token.
 * @see PROTOCOL.md §6.3
 */
export const DEFAULT_SCOPES =
  'offline_access accounting.invoices accounting.payments accounting.contacts accounting.settings.read payroll.employees.read payroll.timesheets payroll.settings.read accounting.attachments';
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export const TLS_MODES = ['auto', 'files', 'off'] as const;
export const RATE_PROFILES = {
  standard: { perMinute: 60, perDay: 5000, concurrency: 5 },
  starter: { perMinute: 60, perDay: 1000, concurrency: 5 },
} as const;

export const CONFIG_KEYS: readonly KeySpec[] = [
  { key: 'server.listen', type: { kind: 'listen' }, default: '127.0.0.1:8080', doc: 'Address and port the proxy listens on, "host:port". Use "0.0.0.0:8080" to serve the whole LAN.' },
  { key: 'server.public_url', type: { kind: 'url' }, default: 'http://localhost:8080', example: 'https://localhost:8080', doc: 'The URL browsers and devices use to reach the proxy; OAuth callbacks and connect links are built from it. https:// when server.tls is "auto" or "files"; name the host as devices on the LAN reach it (its name or LAN address, not localhost, when server.listen is 0.0.0.0).' },
  { key: 'server.tls', type: { kind: 'enum', values: TLS_MODES }, default: 'off', example: 'auto', doc: 'HTTPS on the listen port: "auto" (the proxy makes its own certificate authority, name-constrained to the LAN, and a server certificate for this host\'s names and LAN addresses, and renews it by itself), "files" (server.tls_cert and server.tls_key, read again when they change) or "off" (plain HTTP, e.g. behind a reverse proxy that does HTTPS). A config without this key is "off", as before HTTPS existed; `xero-proxy init` writes "auto". With HTTPS on, plain HTTP on the same port gets only a redirect to https (pages) or an error (/api/v1).' },
  { key: 'server.tls_cert', type: { kind: 'string' }, default: '', doc: 'With server.tls = "files": the PEM file of the server certificate followed by its chain, up to the CA certificate devices pin (relative to the config file).' },
  { key: 'server.tls_key', type: { kind: 'string' }, default: '', doc: 'With server.tls = "files": the PEM file of its private key, unencrypted (relative to the config file); read where it is and never copied.' },
  { key: 'server.log_level', type: { kind: 'enum', values: LOG_LEVELS }, default: 'info', doc: 'Least important log level written: debug, info, warn or error.' },
  { key: 'server.log_file', type: { kind: 'string' }, default: 'auto', doc: 'Where the log is also written as JSON lines, besides standard error: "auto" (a service, which `xero-proxy service install` marks with XERO_PROXY_SERVICE=1, writes "logs/xero-proxy.log" in the data directory; run by hand, no file), "off" (never), or a file path, relative to the data directory. The file and its directory are owner-only.' },
  { key: 'server.log_keep', type: { kind: 'integer', min: 1, max: 100 }, default: 5, doc: 'How many earlier log files are kept beside the log file (xero-proxy.log.1 the newest); the oldest is deleted.' },
  { key: 'server.log_max_mib', type: { kind: 'integer', min: 1, max: 1024 }, default: 10, doc: 'The log file is moved aside to .1 before a line would take it past this many MiB.' },
  { key: 'server.shutdown_grace_seconds', type: { kind: 'integer', min: 0, max: 600 }, default: 10, doc: 'On SIGTERM or SIGINT, how long in-flight requests and deliveries may take to finish.' },
  { key: 'server.headers_timeout_seconds', type: { kind: 'integer', min: 1, max: 300 }, default: 10, doc: "How long a client may take to send a request's headers before its connection is closed." },
  { key: 'server.request_timeout_seconds', type: { kind: 'integer', min: 1, max: 3600 }, default: 30, doc: 'How long a client may take to send a whole request, body included, before its connection is closed (a body trickled a byte at a time holds a connection no longer). Waiting for an answer (?wait=) does not count.' },
  { key: 'server.idle_timeout_seconds', type: { kind: 'integer', min: 1, max: 600 }, default: 5, doc: 'How long an idle keep-alive connection stays open between requests.' },
  { key: 'server.max_connections_per_address', type: { kind: 'integer', min: 1, max: 10000 }, default: 100, doc: 'Most connections one network address may hold open at once; more are closed as they arrive, so one device cannot take them all.' },
  { key: 'storage.data_dir', type: { kind: 'string' }, default: './data', doc: 'Directory holding the database and the encryption key; created by `xero-proxy init` with owner-only permissions.' },
  { key: 'storage.encryption_key', type: { kind: 'secret' }, default: '', doc: 'Key that encrypts secrets at rest (32 bytes, base64). Empty: the key file "master.key" in the data directory. Accepts "env:NAME" or "file:PATH".' },
  { key: 'storage.retention_days', type: { kind: 'integer', min: 0, max: 3650 }, default: 30, doc: "Days a delivered document's content (what the app sent, the payload, Xero's answer) is kept after delivery; then it is erased, and its key, Xero's id and number, a hash of the content and the times stay, so a resend is still recognised. 0 keeps content for ever." },
  { key: 'backup.dir', type: { kind: 'string' }, default: 'backups', doc: 'Where scheduled backups go, relative to the data directory. Put it on another disk or a network share, or copy its files off the machine: a backup on the same disk is lost with it.' },
  { key: 'backup.schedule', type: { kind: 'cron' }, default: '30 2 * * *', doc: 'When the server makes a backup, as a cron expression in local time ("30 2 * * *": every day at 02:30), or "off". Backups made on a schedule are sealed with a key derived from the master key, so keep a copy of master.key apart from them.' },
  { key: 'backup.keep', type: { kind: 'integer', min: 1, max: 1000 }, default: 7, doc: 'How many scheduled backups are kept in backup.dir; after each new one the oldest beyond this are deleted.' },
  { key: 'reconcile.schedule', type: { kind: 'cron' }, default: '45 3 * * *', doc: 'When the server compares what it delivered to each linked organisation on the day before (a UTC day) with what Xero now holds, finding invoices and payments voided, deleted or changed there, as a cron expression in local time ("45 3 * * *": every day at 03:45), or "off". Each run reads one page of invoices and one of payments per hundred changed that day, counted in the day\'s Xero budget; `xero-proxy reconcile` runs it by hand.' },
  { key: 'xero.app_type', type: { kind: 'enum', values: APP_TYPES }, default: 'partner', example: 'oauth2_pkce', doc: 'The kind of Xero app. OAuth 2.0 (what Xero accepts today): "oauth2" (web app with a client secret), "oauth2_pkce" (auth code with PKCE, no secret) or "custom_connection" (client credentials, one organisation). OAuth 1.0a (switched off by Xero in 2021; mocks and legacy only): private, public or partner. A config without this key is "partner", as before OAuth 2.0 existed; `xero-proxy init` writes "oauth2_pkce", or "oauth2" when given a client secret.' },
  { key: 'xero.client_id', type: { kind: 'string' }, default: '', doc: "OAuth 2.0: the app's client id from the Xero developer portal (My Apps)." },
  { key: 'xero.client_secret', type: { kind: 'secret' }, default: '', doc: 'OAuth 2.0: the client secret of an "oauth2" app or a custom connection; a PKCE app has none. Write it as "env:NAME" or "file:PATH" rather than literally.' },
  { key: 'xero.scopes', type: { kind: 'string' }, default: DEFAULT_SCOPES, doc: 'OAuth 2.0: the scopes asked for, separated by spaces. Keep offline_access (it brings the refresh token). Apps created before March 2026 may use accounting.transactions instead of accounting.invoices and accounting.payments; leave out payroll.* if you do not send timesheets.' },
  { key: 'xero.redirect_uri', type: { kind: 'string' }, default: '', doc: 'OAuth 2.0: where Xero sends the browser back; register exactly this URI with the app. Empty: server.public_url + "/connect/oauth2/callback". Xero accepts https, or http only on localhost: with "http://localhost:8080/connect/oauth2/callback" a browser on another computer lands on a page that does not load, and the person pastes its address into the connect page or `org connect`.' },
  { key: 'xero.login_url', type: { kind: 'url' }, default: 'https://login.xero.com', doc: 'OAuth 2.0: where people sign in and allow access (…/identity/connect/authorize). Point it at the sandbox to work offline.' },
  { key: 'xero.identity_url', type: { kind: 'url' }, default: 'https://identity.xero.com', doc: 'OAuth 2.0: the identity server (…/connect/token and …/connect/revocation). Point it at the sandbox to work offline.' },
  { key: 'xero.consumer_key', type: { kind: 'string' }, default: '', doc: "OAuth 1.0a: the app's consumer key from the Xero developer portal." },
  { key: 'xero.consumer_secret', type: { kind: 'secret' }, default: '', doc: "OAuth 1.0a: the app's consumer secret (public apps sign with it). Write it literally, or as \"env:NAME\" or \"file:PATH\"." },
  { key: 'xero.api_url', type: { kind: 'url' }, default: 'https://api.xero.com', doc: 'Base URL of Xero\'s API (the Accounting and Payroll APIs, /connections, and the OAuth 1.0a endpoints). Point it at the sandbox (e.g. "http://127.0.0.1:9090") to work offline.' },
  { key: 'xero.rate_limit.profile', type: { kind: 'enum', values: [...Object.keys(RATE_PROFILES)] }, default: 'standard', doc: 'Rate-limit profile per organisation: "standard" (60/minute, 5,000/day, 5 concurrent) or "starter" (60/minute, 1,000/day).' },
  { key: 'xero.rate_limit.per_minute', type: { kind: 'integer', min: 1, max: 10000 }, default: undefined, doc: "Calls per organisation per minute. Unset: the profile's value." },
  { key: 'xero.rate_limit.per_day', type: { kind: 'integer', min: 1, max: 1000000 }, default: undefined, doc: "Calls per organisation per day. Unset: the profile's value." },
  { key: 'xero.rate_limit.concurrency', type: { kind: 'integer', min: 1, max: 50 }, default: undefined, doc: "Calls in flight per organisation. Unset: the profile's value." },
  { key: 'xero.rate_limit.minute_ms', type: { kind: 'integer', min: 100, max: 60000 }, default: 60000, doc: "How long Xero's minute lasts for the proxy's pacing, in milliseconds: 60000. Shorter only against the sandbox with the same sandbox.minute_ms, so a benchmark runs Xero's minute in seconds; refused while xero.api_url is Xero's own." },
  { key: 'delivery.send_timeout_seconds', type: { kind: 'integer', min: 1, max: 600 }, default: 60, doc: 'The limit on one exchange with Xero while delivering; a send that runs out is looked up before it is sent again.' },
  { key: 'delivery.lease_seconds', type: { kind: 'integer', min: 4, max: 3600 }, default: 300, doc: 'How long a claimed job stays invisible to other deliveries; after a crash its jobs come back (and are looked up) when it ends. More than 3 × send_timeout_seconds.' },
  { key: 'pairing.ttl_minutes', type: { kind: 'integer', min: 1, max: 1440 }, default: 15, doc: 'How long a pairing request from a device waits for a person to approve it.' },
  { key: 'pairing.interval_seconds', type: { kind: 'integer', min: 1, max: 60 }, default: 5, doc: 'How often a device may poll for its key while a pairing is pending; faster polls get slow_down.' },
  // One computer runs one or two apps, and an app that restarts may start its pairing again
  // before the first expires: 3 waiting per address covers that. The pool is large enough that
  // filling it takes 34 addresses, so one noisy machine (or two) cannot lock every new device
  // out; a pending request is a small row, and 100 devices polling every 5 s is 20 requests a
  // second, nothing for the proxy.
  { key: 'pairing.max_pending', type: { kind: 'integer', min: 1, max: 1000 }, default: 100, doc: 'Most pairing requests waiting at once, from all addresses; more are refused until some are decided or expire.' },
  { key: 'pairing.max_pending_per_address', type: { kind: 'integer', min: 1, max: 1000 }, default: 3, doc: 'Most pairing requests from one network address waiting at once; `xero-proxy pairing list` shows them and `pairing clear` denies them.' },
  { key: 'pairing.max_per_address_per_hour', type: { kind: 'integer', min: 1, max: 1000 }, default: 10, doc: 'Most pairing requests one network address may make in an hour.' },
  { key: 'api.idempotency_key_days', type: { kind: 'integer', min: 7, max: 3650 }, default: 7, doc: "Days an Idempotency-Key is remembered: the same key and body get the first answer, another body a 422. Kept longer while any of the request's documents is still on its way; at least 7." },
  { key: 'api.cors_origins', type: { kind: 'string' }, default: '', doc: 'Web and tablet tills served from another origin that may call /api/v1 from a browser, separated by spaces, e.g. "https://till.example.com http://192.168.1.20:3000". Empty: none (apps that are not web pages need none).' },
  { key: 'admin.require_mfa', type: { kind: 'boolean' }, default: true, doc: 'Every administrator signs in with a code from an authenticator app (TOTP) after the password, and sets it up at the first sign-in. false: those who have not set it up sign in with the password alone (the demo runs so).' },
  { key: 'alerts.email_to', type: { kind: 'string' }, default: '', doc: 'Who gets alert e-mails (addresses separated by commas). Empty: no e-mail alerts.' },
  { key: 'alerts.email_from', type: { kind: 'string' }, default: '', doc: 'The sender of alert e-mails. Empty: "xero-proxy@" and the host of server.public_url.' },
  { key: 'alerts.smtp_host', type: { kind: 'string' }, default: '', doc: "The mail server that sends alert e-mails, e.g. your provider's smtp.example.com." },
  { key: 'alerts.smtp_port', type: { kind: 'integer', min: 1, max: 65535 }, default: 587, doc: 'Its port: 587 (STARTTLS) or 465 (with smtp_secure = true); 25 inside a LAN.' },
  { key: 'alerts.smtp_secure', type: { kind: 'boolean' }, default: false, doc: 'true: TLS from the first byte (port 465). false: plain, upgraded with STARTTLS where the server offers it.' },
  { key: 'alerts.smtp_user', type: { kind: 'string' }, default: '', doc: 'The mail server account. Empty: send without signing in.' },
  { key: 'alerts.smtp_password', type: { kind: 'secret' }, default: '', doc: 'Its password; write it as "env:NAME" or "file:PATH" rather than literally.' },
  { key: 'alerts.webhook_url', type: { kind: 'string' }, default: '', doc: 'An http(s) URL that receives each alert as a JSON POST. Empty: no webhook.' },
  { key: 'alerts.webhook_secret', type: { kind: 'secret' }, default: '', doc: 'Signs each webhook body: X-Signature is "sha256=" and the hex HMAC-SHA256 of the exact body with this secret.' },
  { key: 'alerts.repeat_hours', type: { kind: 'integer', min: 1, max: 720 }, default: 24, doc: 'An alert that still holds is sent again after this many hours; a cause alerts once per organisation inside it.' },
  { key: 'alerts.stuck_minutes', type: { kind: 'integer', min: 5, max: 1440 }, default: 30, doc: 'Alert when documents have been due this long and none of the organisation\'s documents was delivered.' },
  { key: 'alerts.budget_percent', type: { kind: 'integer', min: 1, max: 100 }, default: 90, doc: "Alert when an organisation has used this share of the day's Xero calls." },
  { key: 'sandbox.listen', type: { kind: 'listen' }, default: '127.0.0.1:9090', doc: 'Address and port of the built-in Xero sandbox (`xero-proxy sandbox`).' },
  { key: 'sandbox.database', type: { kind: 'string' }, default: '', doc: 'SQLite file of the sandbox\'s state. Empty: "sandbox.db" in the data directory; ":memory:" keeps nothing.' },
  { key: 'sandbox.rate_limit_profile', type: { kind: 'enum', values: [...Object.keys(RATE_PROFILES)] }, default: 'standard', doc: 'Rate limits the sandbox imposes per organisation: "standard" or "starter".' },
  { key: 'sandbox.rate_limit_status', type: { kind: 'integer', min: 429, max: 503 }, default: 503, doc: 'HTTP status of a rate-limit answer: 503 as in the OAuth 1.0a era, or 429 as Xero answers today.' },
  { key: 'sandbox.timestamp_window_seconds', type: { kind: 'integer', min: 1, max: 86400 }, default: 300, doc: 'How far an oauth_timestamp may be from the sandbox clock before `timestamp_refused`.' },
  { key: 'sandbox.minute_ms', type: { kind: 'integer', min: 100, max: 60000 }, default: 60000, doc: "How long the sandbox's rate-limit minute lasts, in milliseconds: 60000, as at Xero. Shorter only for benchmarks, with the proxy's xero.rate_limit.minute_ms set alike; the day is not scaled." },
];

/** The env variable that overrides a key: `XERO_PROXY_` and the key with dots as underscores. */
export function envNameFor(key: string): string {
  return 'XERO_PROXY_' + key.replace(/\./g, '_').toUpperCase();
}

/** The env variable that names the config file. */
export const CONFIG_PATH_ENV = 'XERO_PROXY_CONFIG';
export const DEFAULT_CONFIG_PATH = './xero-proxy.toml';

/**
 * Set to "1" by the service definitions `xero-proxy service install` writes; with
 * `server.log_file = "auto"` it turns the log file on.
 */
export const SERVICE_ENV = 'XERO_PROXY_SERVICE';

/** Where `server.log_file = "auto"` writes, inside the data directory. */
export const AUTO_LOG_FILE = 'logs/xero-proxy.log';

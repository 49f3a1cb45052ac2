import type { Secret } from '../lib/secret';
import type { APP_TYPES, LOG_LEVELS, RATE_PROFILES, TLS_MODES } from './schema';

export interface Listen {
  host: string;
  port: number;
}

export interface RateLimit {
  profile: keyof typeof RATE_PROFILES;
  perMinute: number;
  perDay: number;
  concurrency: number;
  /** How long Xero's minute lasts for pacing: 60,000 ms, shorter only against a sandbox scaled alike. */
  minuteMs: number;
}

/** Where alerts go and when they are sent; see src/services/alerts.ts. */
export interface Alerts {
  /** E-mail recipients; empty sends no e-mail. */
  emailTo: readonly string[];
  emailFrom: string;
  smtpHost: string;
  smtpPort: number;
  smtpSecure: boolean;
  smtpUser: string;
  smtpPassword: Secret;
  /** Empty sends no webhook. */
  webhookUrl: string;
  webhookSecret: Secret;
  repeatHours: number;
  stuckMinutes: number;
  budgetPercent: number;
}

/** Where the log file is and how it rotates (`server.log_file`, `log_keep`, `log_max_mib`). */
export interface LogFileSetting {
  /** Absolute path. */
  path: string;
  /**
   * Whether this process writes it: always for a path, for "auto" only in a service
   * (XERO_PROXY_SERVICE=1). When false, `path` is where the service writes, which `doctor` checks.
   */
  active: boolean;
  /** Earlier files kept: path.1 (the newest) … path.keep. */
  keep: number;
  /** The size a file never grows past, in bytes (one line longer than it still gets a file of its own). */
  maxBytes: number;
}

/** Where a key's value came from, for the settings page. */
export type ConfigOrigin = 'file' | 'environment' | 'default';

/** The validated, frozen configuration every other module receives. */
export interface Config {
  /** The file it was read from, if any. */
  source: string | undefined;
  /** Per key of the schema, where its value came from. */
  origins: Readonly<Record<string, ConfigOrigin>>;
  /** Per key of the schema, its value as text for the settings page; a secret only as "set" or "not set". */
  shown: Readonly<Record<string, string>>;
  server: {
    listen: Listen;
    publicUrl: string;
    /** `server.tls`: HTTPS on the listen port, from the proxy's own CA (auto) or the files below. */
    tls: (typeof TLS_MODES)[number];
    /** `server.tls_cert` and `server.tls_key` as absolute paths; set whenever `tls` is "files". */
    tlsCert: string | undefined;
    tlsKey: string | undefined;
    logLevel: (typeof LOG_LEVELS)[number];
    /** `server.log_file`: the log file, or undefined when it is "off". */
    logFile: LogFileSetting | undefined;
    shutdownGraceSeconds: number;
    headersTimeoutSeconds: number;
    requestTimeoutSeconds: number;
    idleTimeoutSeconds: number;
    maxConnectionsPerAddress: number;
  };
  storage: {
    dataDir: string;
    encryptionKey: Secret;
    /** Days a delivered document's content is kept; 0 keeps it for ever. */
    retentionDays: number;
  };
  backup: {
    /** Absolute path of the scheduled backups' directory. */
    dir: string;
    /** A node-cron expression, or undefined when scheduled backups are "off". */
    schedule: string | undefined;
    keep: number;
  };
  reconcile: {
    /** A node-cron expression for the daily reconciliation, or undefined when it is "off". */
    schedule: string | undefined;
  };
  xero: {
    appType: (typeof APP_TYPES)[number];
    /** OAuth 2.0 client id; empty when unset (checked where it is needed). */
    clientId: string;
    clientSecret: Secret;
    /** OAuth 2.0 scopes, in the order given. */
    scopes: readonly string[];
    /** Where Xero sends the browser back after authorising (OAuth 2.0), resolved from public_url when unset. */
    redirectUri: string;
    loginUrl: string;
    identityUrl: string;
    consumerKey: string;
    consumerSecret: Secret;
    apiUrl: string;
    rateLimit: RateLimit;
  };
  delivery: {
    sendTimeoutSeconds: number;
    leaseSeconds: number;
  };
  pairing: {
    ttlMinutes: number;
    intervalSeconds: number;
    maxPending: number;
    maxPendingPerAddress: number;
    maxPerAddressPerHour: number;
  };
  api: {
    idempotencyKeyDays: number;
    /** Origins allowed to call /api/v1 from a browser (CORS); empty allows none. */
    corsOrigins: readonly string[];
  };
  admin: {
    /** Administrators must sign in with a TOTP code too, and set it up first (`admin.require_mfa`). */
    requireMfa: boolean;
  };
  alerts: Alerts;
  sandbox: {
    listen: Listen;
    /** An absolute path, or ":memory:". */
    database: string;
    rateLimitProfile: keyof typeof RATE_PROFILES;
    rateLimitStatus: 429 | 503;
    timestampWindowSeconds: number;
    /** How long the sandbox's rate-limit minute lasts (60,000 ms unless a benchmark scales it). */
    minuteMs: number;
  };
}

import type { Secret } from '../lib/secret';
import type { APP_TYPES, LOG_LEVELS, RATE_PROFILES } from './schema';

export interface Listen {
  host: string;
  port: number;
}

export interface RateLimit {
  profile: keyof typeof RATE_PROFILES;
  perMinute: number;
  perDay: number;
  concurrency: number;
}

/** The validated, frozen configuration every other module receives. */
export interface Config {
  /** The file it was read from, if any. */
  source: string | undefined;
  server: {
    listen: Listen;
    publicUrl: string;
    logLevel: (typeof LOG_LEVELS)[number];
    shutdownGraceSeconds: number;
    headersTimeoutSeconds: number;
    requestTimeoutSeconds: number;
    idleTimeoutSeconds: number;
    maxConnectionsPerAddress: number;
  };
  storage: {
    dataDir: string;
    encryptionKey: Secret;
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
  };
  sandbox: {
    listen: Listen;
    /** An absolute path, or ":memory:". */
    database: string;
    rateLimitProfile: keyof typeof RATE_PROFILES;
    rateLimitStatus: 429 | 503;
    timestampWindowSeconds: number;
  };
}

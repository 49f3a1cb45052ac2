import { join } from 'node:path';
import { Hono } from 'hono';
import { apiNotFound, deviceApi } from './api/app';
import { healthRoutes } from './api/health';
import { connectPages } from './connect/app';
import type { Config } from './config/types';
import type { Clock } from './lib/clock';
import type { Keyring } from './lib/secret-box';
import type { Logger } from './lib/logger';
import type { Transport } from './domain/xero/send';
import type { RenewalOptions } from './services/token-renewal';
import type { XeroDeps } from './services/xero-app';
import { XeroCalls } from './services/xero-calls';
import { DeliveryLoop, type DeliveryOptions } from './queue/delivery-loop';
import { Scheduler } from './schedule/registry';
import { registerJobs } from './schedule/jobs';
import { openDatabase, type Db } from './store/db';
import { groupCommitOf } from './store/group-commit';
import { refuseWithoutKey, verifyKeyring } from './store/key-check';
import { keyFilePath, keySource, LiveKeyring, loadKeyring } from './store/keyring';
import { MIGRATIONS } from './store/migrations';
import { acquireServerLock, type ServerLock } from './store/server-lock';
import { BodyBudget } from './server/body-limit';
import { DEFAULT_CONNECTION_LIMITS, startServer, type RunningServer } from './server/listen';
import { plainHttpAnswers } from './server/plain-http';
import type { HostFacts } from './domain/tls/lan-names';
import { readHostFacts } from './services/host-facts';
import { TlsKeeper } from './services/tls-keeper';

/** The database file inside the data directory. */
export const DATABASE_FILE = 'xero-proxy.db';

/** Where the proxy's database is. */
export function databasePath(config: Config): string {
  return join(config.storage.dataDir, DATABASE_FILE);
}

/**
 * Opens the proxy's database with its key, and refuses (`invalid`, naming the key id and the fix)
 * a key that is not the one the database was sealed with, a key file of another id, or a missing
 * key file beside a database that holds sealed values. The server and every command open it here.
 */
export function openStore(config: Config, clock: Clock): { db: Db; keyring: LiveKeyring } {
  const path = databasePath(config);
  if (config.storage.encryptionKey.reveal() === '') refuseWithoutKey(path, keyFilePath(config));
  const loaded = loadKeyring(config);
  const db = openDatabase(path, { migrations: MIGRATIONS });
  try {
    // Live: a `key rotate` run by another process while this one works is followed, not fought.
    const keyring = new LiveKeyring(config, db, loaded);
    verifyKeyring(db, keyring, clock, { keySource: keySource(config), database: path });
    return { db, keyring };
  } catch (error) {
    db.close();
    throw error;
  }
}

/** The proxy's long-lived parts, built once: the composition root. */
export interface Proxy {
  deps: XeroDeps;
  calls: XeroCalls;
  config: Config;
  db: Db;
  keyring: Keyring;
  app: Hono;
  /** What HTTPS presents and keeps current; undefined with `server.tls = "off"`. */
  tls: TlsKeeper | undefined;
}

/** What tests and the demo may replace: the network to Xero, renewal timing. */
export interface ProxyOptions {
  transport?: Transport;
  renewal?: RenewalOptions;
  /** How long devices' calls to Xero (pass-through, reference reads) wait for the pacer before a 429. */
  paceWaitMs?: number;
  /**
   * The minute Xero's per-minute limit is paced over: 60,000 ms, shorter only against a sandbox
   * whose minute is scaled alike (`SandboxSettings.minuteMs`), so a benchmark runs in seconds.
   * Unset: `xero.rate_limit.minute_ms` (a separate `serve` process sets it so).
   */
  paceMinuteMs?: number;
  /** Run the recurring jobs (token sweep); tests that count Xero calls turn it off. */
  schedule?: boolean;
  /** The delivery loop's settings (`manual` lets tests drive it with tick/drain), or false for none. */
  delivery?: DeliveryOptions | false;
  /** The data directory's server lock, when the caller took it first (the demo, before its sandbox binds). */
  serverLock?: ServerLock;
  /** This host's name and addresses, which the server certificate names (`server.tls = "auto"`); the operating system's by default. */
  host?: () => HostFacts;
}

/**
 * Takes the data directory's server lock, or refuses (`conflict`) naming the server that runs
 * there: one server per data directory. Commands never take it.
 */
export function lockDataDir(config: Config, clock: Clock): ServerLock {
  const { host, port } = config.server.listen;
  return acquireServerLock(config.storage.dataDir, { pid: process.pid, startedAt: clock.now().toISOString(), listen: `${host}:${port}` });
}

/** Builds the proxy from its configuration: key (checked against the database), database, routes. */
export function createProxy(config: Config, logger: Logger, clock: Clock, options: ProxyOptions = {}): Proxy {
  const { db, keyring } = openStore(config, clock);
  let tls: TlsKeeper | undefined;
  try {
    tls = config.server.tls === 'off' ? undefined : TlsKeeper.start({ db, keyring, clock, config, logger }, options.host ?? readHostFacts);
  } catch (error) {
    db.close();
    throw error;
  }
  groupCommitOf(db).onSideWriteError = (error) => logger.warn('a write to the database failed (a commit, or when a device was last seen riding on one)', { error });
  const app = new Hono();
  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    logger.debug('request', { method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) });
  });
  const deps: XeroDeps = { db, keyring, clock, config, logger, transport: options.transport ?? fetch };
  const calls = new XeroCalls(deps, { renewal: options.renewal, waitMs: options.paceWaitMs, minuteMs: options.paceMinuteMs ?? config.xero.rateLimit.minuteMs });
  app.route('/', healthRoutes(db));
  const budget = new BodyBudget();
  const api = deviceApi(deps, calls, budget);
  app.route('/api/v1', api);
  app.route('/', connectPages(deps, budget, calls));
  app.notFound(apiNotFound(api));
  app.onError((error, c) => {
    logger.error('request failed', { path: c.req.path, error });
    return c.json({ error: { code: 'internal', message: 'The proxy could not complete the request.' } }, 500);
  });
  return { deps, calls, config, db, keyring, app, tls };
}

/** A started proxy with a graceful stop. */
export interface RunningProxy {
  proxy: Proxy;
  server: RunningServer;
  scheduler: Scheduler;
  /** Delivers queued documents to Xero; absent when started with `delivery: false`. */
  delivery: DeliveryLoop | undefined;
  stop(): Promise<void>;
}

/**
 * Starts serving, holding the data directory's server lock (taken before listening, so a second
 * server refuses before it binds); `stop` stops accepting, waits for in-flight work up to the
 * grace period, closes the database and releases the lock.
 */
export async function startProxy(config: Config, logger: Logger, clock: Clock, options: ProxyOptions = {}): Promise<RunningProxy> {
  let lock = options.serverLock;
  let proxy: Proxy;
  let server: RunningServer;
  try {
    proxy = createProxy(config, logger, clock, options);
    try {
      lock ??= lockDataDir(config, clock);
      const served = proxy.tls?.served;
      const tls = served && { key: served.key.reveal(), cert: served.certificateChain, plain: plainHttpAnswers(config.server.publicUrl).fetch };
      server = await startServer(proxy.app.fetch, config.server.listen, { ...config.server, maxConnections: DEFAULT_CONNECTION_LIMITS.maxConnections }, tls);
    } catch (error) {
      proxy.db.close();
      throw error;
    }
  } catch (error) {
    lock?.release();
    throw error;
  }
  const held = lock;
  held.listening(server.url);
  const listening = server;
  proxy.tls?.onChange((next) => listening.setTls({ key: next.key.reveal(), cert: next.certificateChain }));
  const scheduler = new Scheduler(logger);
  if (options.schedule !== false) registerJobs(scheduler, proxy);
  const delivery = options.delivery === false ? undefined : new DeliveryLoop(proxy.deps, proxy.calls, options.delivery);
  delivery?.start();
  return {
    proxy,
    server,
    scheduler,
    delivery,
    stop: async () => {
      const graceMs = config.server.shutdownGraceSeconds * 1000;
      const started = performance.now();
      await scheduler.stop();
      // Deliveries finish (or are recorded as outcome-unknown) before the database closes.
      await delivery?.stop(graceMs);
      await server.close(Math.max(0, graceMs - (performance.now() - started)));
      // What waits for the next group commit (when devices were last seen) is written, not dropped.
      groupCommitOf(proxy.db).flush();
      proxy.db.close();
      held.release();
    },
  };
}

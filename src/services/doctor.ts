import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DATABASE_FILE, openStore } from '../app';
import type { Config } from '../config/types';
import { isOAuth2AppType } from '../config/oauth2';
import type { Clock } from '../lib/clock';
import { toAppError } from '../lib/errors';
import { openToOthers } from '../lib/file-modes';
import { utcText } from '../lib/utc-text';
import { backupStatus } from './backup-status';
import { certificateCheck } from './certificate-warnings';
import { silentLogger } from '../lib/logger';
import type { ServiceDeps } from './deps';
import { readHostFacts } from './host-facts';
import { logFileCheck } from './log-file-check';
import { publicUrlCheck } from './public-url-check';
import { tlsStatus, type TlsStatus } from './tls-status';
import { oauth2App } from './oauth2-app';
import { openDatabase, readPragmas } from '../store/db';
import { keySource, loadKeyring } from '../store/keyring';
import { MIGRATIONS } from '../store/migrations';

/** One line of `doctor` and of the settings page: what was checked, how it went, and a sentence. */
export interface Check {
  check: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
}

export interface DoctorOptions {
  clock: Clock;
  timeoutMs: number;
  /**
   * False when the SQLite addon cannot load here (the `runtime` check failed): the checks that
   * open the database say so instead of trying, as loading it is what fails.
   */
  sqliteLoads?: boolean;
}

const SQLITE_CANNOT_LOAD = 'not checked: the SQLite addon cannot load on this system (see the runtime check)';

/**
 * The checks of a loaded configuration: data directory, key (the one the database was sealed
 * with), database and its pragmas, the OAuth 2.0 app or the signing certificate, the log file,
 * that Xero answers, and the clock against Xero's. `xero-proxy doctor` and the settings page
 * both run them, after `runtimeCheck`.
 */
export async function doctorChecks(config: Config, options: DoctorOptions): Promise<Check[]> {
  const sqlite = options.sqliteLoads !== false;
  const unchecked = (check: string): Check => ({ check, status: 'warn', detail: SQLITE_CANNOT_LOAD });
  const checks: Check[] = [
    checkDataDir(config),
    sqlite ? checkKey(config, options.clock) : unchecked('encryption key'),
    sqlite ? checkDatabase(config) : unchecked('database'),
    ...(isOAuth2AppType(config.xero.appType) ? [checkOAuth2App(config)] : [checkLegacyApp(config), sqlite ? checkCertificate(config, options.clock) : unchecked('certificate')]),
    config.server.tls === 'auto' && !sqlite ? unchecked('https') : checkHttps(config, options.clock),
    await publicUrlCheck(config, readHostFacts()),
    logFileCheck(config),
    sqlite ? checkBackups(config, options.clock) : unchecked('backups'),
  ];
  checks.push(...(await checkXero(config, options.timeoutMs)));
  return checks;
}

/**
 * HTTPS: off is a warning when the proxy listens beyond this computer with nothing in front;
 * on, the CA devices pin and the server certificate, or what to put right.
 */
function checkHttps(config: Config, clock: Clock): Check {
  const { tls, listen, publicUrl } = config.server;
  if (tls === 'off') {
    if (new URL(publicUrl).protocol === 'https:') return { check: 'https', status: 'ok', detail: 'off in the proxy; server.public_url is https, so a reverse proxy in front does HTTPS' };
    if (['127.0.0.1', '::1', 'localhost'].includes(listen.host)) return { check: 'https', status: 'ok', detail: `off: plain HTTP on ${listen.host} only, which no other computer can reach` };
    return { check: 'https', status: 'warn', detail: 'off: the pages, the administrator password and the API keys of devices cross the network unencrypted. Set server.tls = "auto" (and server.public_url to https://…), then restart' };
  }
  try {
    // "files" reads the files alone; "auto" reads the store, which a new install does not have yet.
    const status = tls === 'files' ? tlsStatus({ config, clock } as ServiceDeps, readHostFacts()) : existsSync(config.storage.dataDir) ? withTlsStore(config, clock) : undefined;
    if (!status) return { check: 'https', status: 'ok', detail: `${tls}: the CA and the server certificate are made at the server's first start` };
    if (status.problems.length > 0) return { check: 'https', status: 'warn', detail: status.problems.join(' ') };
    if (!status.caSpkiSha256 || !status.server) return { check: 'https', status: 'ok', detail: `${tls}: the CA and the server certificate are made at the server's first start` };
    const names = [...status.server.names.dnsNames, ...status.server.names.ipAddresses].join(', ');
    const renews = status.server.renewsAt ? `, renewed by the server from ${status.server.renewsAt.slice(0, 10)}` : '';
    return { check: 'https', status: 'ok', detail: `${tls}: devices pin the CA ${status.caSpkiSha256}; the server certificate names ${names}, valid until ${status.server.notAfter.slice(0, 10)}${renews}` };
  } catch (error) {
    return { check: 'https', status: 'fail', detail: toAppError(error).message };
  }
}

function withTlsStore(config: Config, clock: Clock): TlsStatus {
  const { db, keyring } = openStore(config, clock);
  try {
    return tlsStatus({ db, keyring, clock, config, logger: silentLogger }, readHostFacts());
  } finally {
    db.close();
  }
}

function checkDataDir(config: Config): Check {
  const dir = config.storage.dataDir;
  if (!existsSync(dir)) return { check: 'data directory', status: 'fail', detail: `${dir} does not exist; run \`xero-proxy init\`` };
  const mode = statSync(dir).mode & 0o777;
  if (openToOthers(mode)) return { check: 'data directory', status: 'warn', detail: `${dir} has mode ${mode.toString(8)}; run: chmod 700 ${dir}` };
  return { check: 'data directory', status: 'ok', detail: `${dir} (mode ${mode.toString(8)})` };
}

/** The key loads and is the one the database was sealed with (as `serve` checks it at start). */
function checkKey(config: Config, clock: Clock): Check {
  try {
    let activeId: string;
    if (existsSync(config.storage.dataDir)) {
      const store = openStore(config, clock);
      try {
        activeId = store.keyring.sealingKey().id;
      } finally {
        store.db.close();
      }
    } else {
      activeId = loadKeyring(config).active.id;
    }
    return { check: 'encryption key', status: 'ok', detail: `${keySource(config)} (active key ${activeId})` };
  } catch (error) {
    const problem = toAppError(error);
    return { check: 'encryption key', status: 'fail', detail: problem.hint ? `${problem.message} ${problem.hint}` : problem.message };
  }
}

function checkDatabase(config: Config): Check {
  const path = join(config.storage.dataDir, DATABASE_FILE);
  if (!existsSync(config.storage.dataDir)) return { check: 'database', status: 'fail', detail: 'no data directory' };
  try {
    const db = openDatabase(path, { migrations: MIGRATIONS });
    const pragmas = readPragmas(db);
    db.close();
    const durable = pragmas.journalMode === 'wal' && pragmas.synchronous === 2 && pragmas.foreignKeys === 1;
    return { check: 'database', status: durable ? 'ok' : 'fail', detail: `${path} (journal ${pragmas.journalMode}, synchronous ${pragmas.synchronous === 2 ? 'FULL' : pragmas.synchronous})` };
  } catch (error) {
    return { check: 'database', status: 'fail', detail: toAppError(error).message };
  }
}

/** Backups are made: the last one, the schedule, and a failure or a long silence with what to do. */
function checkBackups(config: Config, clock: Clock): Check {
  const { schedule, dir, keep } = config.backup;
  if (!existsSync(join(config.storage.dataDir, DATABASE_FILE))) return { check: 'backups', status: 'warn', detail: 'no database yet' };
  try {
    const db = openDatabase(join(config.storage.dataDir, DATABASE_FILE), { migrations: MIGRATIONS });
    try {
      const status = backupStatus({ db, clock, config });
      const last = status.last ? `last ${utcText(status.last.at)}, ${status.last.file}` : 'none made yet';
      const plan = schedule ? `scheduled "${schedule}" into ${dir}, keeping ${keep}` : 'scheduled backups are off (backup.schedule = "off")';
      if (status.problem) return { check: 'backups', status: 'warn', detail: `${status.problem} (${plan})` };
      return { check: 'backups', status: schedule ? 'ok' : 'warn', detail: `${last}; ${plan}` };
    } finally {
      db.close();
    }
  } catch (error) {
    return { check: 'backups', status: 'fail', detail: toAppError(error).message };
  }
}

/** OAuth 2.0: the client id and secret the app type needs, and where Xero will send browsers back. */
export function checkOAuth2App(config: Config): Check {
  try {
    const app = oauth2App(config);
    const redirect = app.type === 'custom_connection' ? 'no browser step' : `redirect URI ${app.redirectUri} (register exactly this with the app)`;
    return { check: 'oauth2 app', status: 'ok', detail: `${app.type}, client id ${app.clientId}, ${redirect}; scopes ${app.scopes.join(' ') || '(those of the connection)'}` };
  } catch (error) {
    const problem = toAppError(error);
    return { check: 'oauth2 app', status: 'fail', detail: problem.hint ? `${problem.message} ${problem.hint}` : problem.message };
  }
}

/** The Xero app's check alone, as `serve` runs it at start to warn before anyone tries to link. */
export function xeroAppCheck(config: Config): Check {
  return isOAuth2AppType(config.xero.appType) ? checkOAuth2App(config) : checkLegacyApp(config);
}

/**
 * OAuth 1.0a apps (private, public, partner) were switched off by Xero in 2021: against Xero
 * itself such a config can only fail, so it says what to choose instead; against another server
 * (the sandbox, a mock) it works, and is a warning.
 */
export function checkLegacyApp(config: Config): Check {
  const { appType, apiUrl } = config.xero;
  const instead = 'choose an OAuth 2.0 app instead: xero.app_type = "oauth2_pkce" (an app made with "Auth code with PKCE" at developer.xero.com, no secret) or "oauth2" (a web app with a client secret), with its xero.client_id, then link each organisation again (xero-proxy org connect)';
  const atXero = new URL(apiUrl).hostname.endsWith('xero.com');
  return {
    check: 'xero app',
    status: atXero ? 'fail' : 'warn',
    detail: atXero
      ? `app_type "${appType}" is OAuth 1.0a, which Xero switched off in 2021, so it cannot reach today's Xero: ${instead}`
      : `app_type "${appType}" is OAuth 1.0a: it works with ${apiUrl} (a sandbox or mock), not with today's Xero; for Xero, ${instead}`,
  };
}

/** Private and partner apps sign with the active certificate: warn inside 30 days of expiry, fail once expired or missing. */
function checkCertificate(config: Config, clock: Clock): Check {
  const { appType } = config.xero;
  if (appType === 'public' || isOAuth2AppType(appType) || !existsSync(config.storage.dataDir)) return { check: 'certificate', ...certificateCheck(undefined, clock, appType) };
  try {
    const db = openDatabase(join(config.storage.dataDir, DATABASE_FILE), { migrations: MIGRATIONS });
    try {
      return { check: 'certificate', ...certificateCheck(db, clock, appType) };
    } finally {
      db.close();
    }
  } catch (error) {
    return { check: 'certificate', status: 'fail', detail: toAppError(error).message };
  }
}

/** Reaches `xero.api_url` and compares our clock with its `Date` header (OAuth 1.0a refuses skewed timestamps). */
async function checkXero(config: Config, timeoutMs: number): Promise<Check[]> {
  const url = config.xero.apiUrl;
  try {
    const started = Date.now();
    const response = await fetch(url, { method: 'GET', signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    await response.arrayBuffer();
    const elapsed = Date.now() - started;
    const checks: Check[] = [{ check: 'xero reachable', status: 'ok', detail: `${url} answered ${response.status} in ${elapsed} ms` }];
    const date = response.headers.get('date');
    if (date) {
      const skew = Math.round((Date.parse(date) - (started + elapsed / 2)) / 1000);
      const status = Math.abs(skew) > 120 ? 'fail' : Math.abs(skew) > 30 ? 'warn' : 'ok';
      checks.push({ check: 'clock', status, detail: `${Math.abs(skew)} s ${skew >= 0 ? 'behind' : 'ahead of'} ${new URL(url).host}${status === 'ok' ? '' : '; fix the system clock (NTP): signed requests are refused when it drifts'}` });
    } else {
      checks.push({ check: 'clock', status: 'warn', detail: `${new URL(url).host} sent no Date header to compare with` });
    }
    return checks;
  } catch (error) {
    const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : ((error as { cause?: Error }).cause?.message ?? (error as Error).message);
    return [{ check: 'xero reachable', status: 'fail', detail: `${url}: ${reason}` }];
  }
}

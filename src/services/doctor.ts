import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DATABASE_FILE, openStore } from '../app';
import type { Config } from '../config/types';
import { isOAuth2AppType } from '../config/oauth2';
import type { Clock } from '../lib/clock';
import { toAppError } from '../lib/errors';
import { utcText } from '../lib/utc-text';
import { backupStatus } from './backup-status';
import { certificateCheck } from './certificate-warnings';
import { logFileCheck } from './log-file-check';
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
    isOAuth2AppType(config.xero.appType) ? checkOAuth2App(config) : sqlite ? checkCertificate(config, options.clock) : unchecked('certificate'),
    logFileCheck(config),
    sqlite ? checkBackups(config, options.clock) : unchecked('backups'),
  ];
  checks.push(...(await checkXero(config, options.timeoutMs)));
  return checks;
}

function checkDataDir(config: Config): Check {
  const dir = config.storage.dataDir;
  if (!existsSync(dir)) return { check: 'data directory', status: 'fail', detail: `${dir} does not exist; run \`xero-proxy init\`` };
  const mode = statSync(dir).mode & 0o777;
  if (mode & 0o077) return { check: 'data directory', status: 'warn', detail: `${dir} has mode ${mode.toString(8)}; run: chmod 700 ${dir}` };
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
function checkOAuth2App(config: Config): Check {
  try {
    const app = oauth2App(config);
    const redirect = app.type === 'custom_connection' ? 'no browser step' : `redirect URI ${app.redirectUri} (register exactly this with the app)`;
    return { check: 'oauth2 app', status: 'ok', detail: `${app.type}, client id ${app.clientId}, ${redirect}; scopes ${app.scopes.join(' ') || '(those of the connection)'}` };
  } catch (error) {
    return { check: 'oauth2 app', status: 'fail', detail: toAppError(error).message };
  }
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

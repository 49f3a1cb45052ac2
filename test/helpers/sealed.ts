import { actorText } from '../../src/services/audit';
import { TEST_ACTOR } from './actor';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { openStore } from '../../src/app';
import { loadConfig } from '../../src/config/load';
import type { Config } from '../../src/config/types';
import { generateKeyPair } from '../../src/domain/certificates';
import { systemClock } from '../../src/lib/clock';
import { Secret } from '../../src/lib/secret';
import { open, seal, type Keyring } from '../../src/lib/secret-box';
import { insertCertificate } from '../../src/store/certificates';
import type { Db } from '../../src/store/db';
import { insertLinkRequest } from '../../src/store/link-requests';
import { KEY_CHECK_PREFIX, SEALED_COLUMNS, sealedCountsByKey, tablesOf } from '../../src/store/sealed-values';
import { putSecret } from '../../src/store/secrets';
import { insertTokenSet } from '../../src/store/token-sets';
import { runCli } from './cli';

/**
 * Every stored secret opened with `keyring` (key checks left out), keyed `table:row`: what a test
 * compares before and after a rotation or a restore. Throws if any one does not open.
 */
export function openEverySecret(db: Db, keyring: Keyring): Map<string, string> {
  const opened = new Map<string, string>();
  const tables = tablesOf(db);
  for (const { table, column, id } of SEALED_COLUMNS) {
    if (!tables.has(table)) continue;
    const rows = db.prepare(`SELECT ${id} AS rowId, ${column} AS sealed FROM ${table} WHERE ${column} IS NOT NULL`).all() as Array<{ rowId: string; sealed: string }>;
    for (const row of rows) {
      if (table === 'secrets' && row.rowId.startsWith(KEY_CHECK_PREFIX)) continue;
      opened.set(`${table}:${row.rowId}`, open(keyring, row.sealed, `${table}:${row.rowId}`));
    }
  }
  return opened;
}

/** Which key ids the stored secrets are sealed with, and the key checks there are: `{ k2: 5 }`, `['k2']`. */
export function sealedWith(db: Db): { values: Record<string, number>; checks: string[] } {
  const checks = db.prepare(`SELECT substr(name, ${KEY_CHECK_PREFIX.length + 1}) FROM secrets WHERE name LIKE 'key-check:%' ORDER BY name`).pluck().all() as string[];
  return { values: Object.fromEntries(sealedCountsByKey(db)), checks };
}

export interface Install {
  dir: string;
  config: Config;
  keyPath: string;
  /** Every stored secret as it read before anything was rotated. */
  secrets: Map<string, string>;
}

/** `init`, then a secret of each sealed kind, stored through the store's own functions. */
export async function sealedInstall(): Promise<Install> {
  const dir = mkdtempSync(join(tmpdir(), 'xp-sealed-'));
  const init = await runCli(['init'], { cwd: dir });
  assert.is(init.code, 0, init.stderr);
  const config = loadConfig({ path: join(dir, 'xero-proxy.toml') });
  const { db, keyring } = openStore(config, systemClock);
  try {
    putSecret(db, keyring, systemClock, 'xero.consumer_secret', new Secret('consumer-secret-1'));
    db.transaction(() => insertTokenSet(db, keyring, systemClock, { accessToken: new Secret('access-1'), refreshToken: new Secret('refresh-1'), previousRefreshToken: undefined }, { expiresAt: null, authorizationExpiresAt: null }))();
    insertCertificate(db, keyring, systemClock, 'active', generateKeyPair(systemClock, { keyBits: 1024 }));
    db.transaction(() =>
      insertLinkRequest(db, systemClock, { id: 'lnk_1', requestToken: 'state-1', sealedSecret: seal(keyring, 'verifier-1', 'link_requests:lnk_1'), pairingId: null, deviceId: null, startedBy: actorText(TEST_ACTOR), expiresAt: '2099-01-01T00:00:00.000Z' }),
    )();
    return { dir, config, keyPath: join(dir, 'data', 'master.key'), secrets: openEverySecret(db, keyring) };
  } finally {
    db.close();
  }
}

/** Opens the store as `serve` does (key checks first) and reads every secret with its key. */
export function readBack(install: Pick<Install, 'config'>): { secrets: Map<string, string>; sealed: ReturnType<typeof sealedWith> } {
  const { db, keyring } = openStore(install.config, systemClock);
  try {
    return { secrets: openEverySecret(db, keyring), sealed: sealedWith(db) };
  } finally {
    db.close();
  }
}


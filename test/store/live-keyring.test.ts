import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openStore } from '../../src/app';
import { loadConfig } from '../../src/config/load';
import { systemClock } from '../../src/lib/clock';
import type { AppError } from '../../src/lib/errors';
import { newKeyLine, open, parseKeyring, seal } from '../../src/lib/secret-box';
import { recordKeyStates } from '../../src/store/key-states';
import { createKeyFileIfMissing } from '../../src/store/keyring';

const live = suite('store.LiveKeyring');

function install() {
  const dir = mkdtempSync(join(tmpdir(), 'xp-live-keyring-'));
  const keyPath = join(dir, 'master.key');
  createKeyFileIfMissing(keyPath);
  const config = loadConfig({ env: { XERO_PROXY_STORAGE_DATA_DIR: dir }, cwd: dir });
  return { dir, keyPath, config, ...openStore(config, systemClock) };
}

live('sealing outside a transaction is refused: a rotation could replace the key between sealing and storing', () => {
  const { db, keyring } = install();
  try {
    assert.throws(
      () => seal(keyring, 'x', 'secrets:x'),
      (error: AppError) => error.code === 'internal' && error.message === 'A secret was sealed outside a transaction, where a key rotation could replace its key before it is stored.',
    );
    assert.match(db.transaction(() => seal(keyring, 'x', 'secrets:x'))(), /^v1\.k1\./);
  } finally {
    db.close();
  }
});

live('a key another process added to the key file, and made the sealing key, is read from the file when first needed', () => {
  const { db, keyring, keyPath } = install();
  try {
    const line = newKeyLine('k2');
    appendFileSync(keyPath, line);
    const k2 = parseKeyring(line, 'k2');
    // What another process's rotation leaves: a value sealed with k2, and k2 recorded as sealing.
    const sealedElsewhere = seal(k2, 'from the other process', 'secrets:y');
    db.transaction(() => recordKeyStates(db, systemClock, 'k2', ['k1']))();
    assert.is(open(keyring, sealedElsewhere, 'secrets:y'), 'from the other process');
    assert.match(db.transaction(() => seal(keyring, 'new', 'secrets:z'))(), /^v1\.k2\./, 'this process seals with k2, not the k1 it started with');
  } finally {
    db.close();
  }
});

live.run();

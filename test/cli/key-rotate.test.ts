import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseKeyFile } from '../../src/lib/secret-box';
import { putSecret } from '../../src/store/secrets';
import { openStore } from '../../src/app';
import { systemClock } from '../../src/lib/clock';
import { Secret } from '../../src/lib/secret';
import { ROTATION_STEPS } from '../../src/services/key-rotation';
import { runCli } from '../helpers/cli';
import { readBack, sealedInstall, type Install } from '../helpers/sealed';

const rotate = suite('cli.key-rotate');

const keyLines = (install: Install) => parseKeyFile(readFileSync(install.keyPath, 'utf8'), 'master.key').map((entry) => `${entry.id}${entry.retired ? ' retired' : ''}`);

rotate('key rotate seals every stored secret with a new key and retires the old one, which then seals and opens nothing', async () => {
  const install = await sealedInstall();
  assert.is(install.secrets.size, 4);
  const rotated = await runCli(['key', 'rotate'], { cwd: install.dir });
  assert.is(rotated.code, 0, rotated.stderr);
  assert.is(
    rotated.stdout.trim(),
    `The master key is now k2: 4 stored secret(s) were sealed again with it. Key k1 is retired: kept in the key file only to open backups made before now.\nCopy ${install.keyPath} to where you keep its backup: backups made from now on need the new key.`,
  );
  assert.equal(keyLines(install), ['k1 retired', 'k2']);
  const after = readBack(install);
  assert.equal(after.secrets, install.secrets, 'every secret reads as before');
  assert.equal(after.sealed, { values: { k2: 4 }, checks: ['k2'] }, 'nothing is left under k1, not even its check');

  // A new secret is sealed with k2, and the store opens with k1 gone from the file altogether.
  const { db, keyring } = openStore(install.config, systemClock);
  putSecret(db, keyring, systemClock, 'alerts.extra', new Secret('later'));
  db.close();
  assert.equal(readBack(install).sealed.values, { k2: 5 });

  const again = await runCli(['key', 'rotate', '--json'], { cwd: install.dir });
  assert.is(again.code, 0, again.stderr);
  assert.equal(JSON.parse(again.stdout), { keyId: 'k3', retired: ['k1', 'k2'], resealed: 5, finished: false });
  assert.equal(keyLines(install), ['k1 retired', 'k2 retired', 'k3']);
});

for (const step of ROTATION_STEPS) {
  rotate(`killed (SIGKILL) at "${step}", every secret still reads, and key rotate run again leaves the old key unused`, async () => {
    const install = await sealedInstall();
    const killed = await runCli(['key', 'rotate'], { cwd: install.dir, env: { XERO_PROXY_TEST_CRASH_AT: step } });
    assert.is(killed.code, null, `the process was killed: ${killed.stderr}`);
    assert.is(killed.stdout, '', 'it died before saying anything');

    const crashed = readBack(install);
    assert.equal(crashed.secrets, install.secrets, 'every secret reads as before, with whatever key the crash left sealing');
    const committed = step === 'committed' || step === 'retired';
    assert.equal(crashed.sealed.values, committed ? { k2: 4 } : { k1: 4 }, 'all under one key: the rotation committed whole or not at all');
    assert.equal(keyLines(install), step === 'retired' ? ['k1 retired', 'k2'] : ['k1', 'k2'], 'the old key stays in the file until the switch is committed');

    const rerun = await runCli(['key', 'rotate', '--json'], { cwd: install.dir });
    assert.is(rerun.code, 0, rerun.stderr);
    const result = JSON.parse(rerun.stdout) as { keyId: string; retired: string[]; resealed: number; finished: boolean };
    // A rotation that stopped before retiring its old key is finished with its own new key; a finished one is followed by a new rotation.
    const expected = step === 'retired' ? { keyId: 'k3', retired: ['k1', 'k2'], resealed: 4, finished: false } : { keyId: 'k2', retired: ['k1'], resealed: committed ? 0 : 4, finished: true };
    assert.equal(result, expected);
    const final = readBack(install);
    assert.equal(final.secrets, install.secrets);
    assert.equal(final.sealed, { values: { [expected.keyId]: 4 }, checks: [expected.keyId] }, 'the old keys seal nothing and nothing needs them');
    assert.equal(keyLines(install), step === 'retired' ? ['k1 retired', 'k2 retired', 'k3'] : ['k1 retired', 'k2']);
  });
}

rotate('with storage.encryption_key set there is no key file to rotate: refused, naming the key, nothing changed', async () => {
  const install = await sealedInstall();
  const key = readFileSync(install.keyPath, 'utf8').trim().split(/\s+/)[1]!;
  const refused = await runCli(['key', 'rotate'], { cwd: install.dir, env: { XERO_PROXY_STORAGE_ENCRYPTION_KEY: key } });
  assert.is(refused.code, 2);
  assert.is(
    refused.stderr.trim(),
    'error: storage.encryption_key is set, so there is no key file for `key rotate` to change.\nhint: Empty storage.encryption_key and put its key in data_dir/master.key as the line "k0 <base64 key>", then run `xero-proxy key rotate`.',
  );
  assert.equal(keyLines(install), ['k1']);
});

rotate.run();

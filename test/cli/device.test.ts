import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DATABASE_FILE } from '../../src/app';
import { systemClock } from '../../src/lib/clock';
import { openDatabase } from '../../src/store/db';
import { MIGRATIONS } from '../../src/store/migrations';
import { upsertLinkedOrganisation } from '../../src/store/organisations';
import { runCli } from '../helpers/cli';
import { startTestProxy } from '../helpers/proxy';

const device = suite('cli.device');

device('add prints a key once; rotate-key replaces it; revoke stops it; list shows state', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'xp-device-'));
  assert.is((await runCli(['init'], { cwd: dir })).code, 0);
  const db = openDatabase(join(dir, 'data', DATABASE_FILE), { migrations: MIGRATIONS });
  upsertLinkedOrganisation(db, systemClock, { xeroOrganisationId: 'x-1', name: 'Riverbend Medical Practice', shortCode: '!Rv3Md', countryCode: 'AU', baseCurrency: 'AUD', appType: 'private' }, null);
  db.close();

  const added = await runCli(['device', 'add', 'PMS-LIC-7781', '--org', '!Rv3Md', '--name', 'Reception PC', '--json'], { cwd: dir });
  assert.is(added.code, 0, added.stderr);
  const first = JSON.parse(added.stdout) as { deviceId: string; apiKey: string };
  assert.is(first.deviceId, 'PMS-LIC-7781');

  const proxy = await startTestProxy({ dataDir: join(dir, 'data') });
  const status = (key: string) => fetch(`${proxy.url}/api/v1/status`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.status);
  try {
    assert.is(await status(first.apiKey), 200);
    const rotated = JSON.parse((await runCli(['device', 'rotate-key', 'PMS-LIC-7781', '--json'], { cwd: dir })).stdout) as { apiKey: string };
    assert.is.not(rotated.apiKey, first.apiKey);
    assert.is(await status(first.apiKey), 401, 'the old key stops working at once');
    assert.is(await status(rotated.apiKey), 200);

    const listed = JSON.parse((await runCli(['device', 'list', '--json'], { cwd: dir })).stdout) as { devices: Array<Record<string, unknown>> };
    assert.equal([listed.devices[0]!['deviceId'], listed.devices[0]!['organisation'], listed.devices[0]!['status']], ['PMS-LIC-7781', 'Riverbend Medical Practice', 'active']);
    assert.not.match(JSON.stringify(listed), rotated.apiKey, 'list never shows a key');

    assert.is((await runCli(['device', 'revoke', 'PMS-LIC-7781'], { cwd: dir })).code, 0);
    assert.is(await status(rotated.apiKey), 401);
  } finally {
    await proxy.stop();
  }
});

device('naming an unknown organisation or device fails with a sentence and a hint', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'xp-device-'));
  await runCli(['init'], { cwd: dir });
  const unknownOrg = await runCli(['device', 'add', 'TILL-1', '--org', 'Nowhere Ltd'], { cwd: dir });
  assert.is(unknownOrg.code, 1);
  assert.equal(unknownOrg.stderr.trim().split('\n'), ['error: No linked organisation is called "Nowhere Ltd".', 'hint: List organisations with `xero-proxy org list`.']);
  const unknownDevice = await runCli(['device', 'revoke', 'TILL-404'], { cwd: dir });
  assert.is(unknownDevice.code, 1);
  assert.match(unknownDevice.stderr, 'error: No device has the id "TILL-404".');
  const badId = await runCli(['device', 'add', 'bad id', '--org', 'x'], { cwd: dir });
  assert.is(badId.code, 2);
  assert.match(badId.stderr, 'error: deviceId: must be 1 to 128 letters');
});

device.run();

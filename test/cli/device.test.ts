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
    assert.equal([listed.devices[0]!['deviceId'], listed.devices[0]!['organisation'], listed.devices[0]!['status'], listed.devices[0]!['rights']], ['PMS-LIC-7781', 'Riverbend Medical Practice', 'active', ['reference']]);
    assert.not.match(JSON.stringify(listed), rotated.apiKey, 'list never shows a key');

    assert.is((await runCli(['device', 'revoke', 'PMS-LIC-7781'], { cwd: dir })).code, 0);
    assert.is(await status(rotated.apiKey), 401);
  } finally {
    await proxy.stop();
  }
});

device('a device added has the right reference alone unless --rights says otherwise; grant and revoke-right change them; list shows them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'xp-device-'));
  assert.is((await runCli(['init'], { cwd: dir })).code, 0);
  const db = openDatabase(join(dir, 'data', DATABASE_FILE), { migrations: MIGRATIONS });
  upsertLinkedOrganisation(db, systemClock, { xeroOrganisationId: 'x-1', name: 'Riverbend Medical Practice', shortCode: '!Rv3Md', countryCode: 'AU', baseCurrency: 'AUD', appType: 'private' }, null);
  db.close();
  const cli = (...args: string[]) => runCli(args, { cwd: dir });

  const plain = await cli('device', 'add', 'TILL-1', '--org', '!Rv3Md', '--json');
  assert.is(plain.code, 0, plain.stderr);
  assert.equal((JSON.parse(plain.stdout) as { rights: string[] }).rights, ['reference']);
  const payroll = await cli('device', 'add', 'PAYROLL-PC', '--org', '!Rv3Md', '--rights', 'payroll.read,reference');
  assert.is(payroll.code, 0, payroll.stderr);
  assert.match(payroll.stdout, 'Rights: reference, payroll.read (change them with `xero-proxy device grant|revoke-right PAYROLL-PC <right...>`).');

  const granted = await cli('device', 'grant', 'TILL-1', 'accounting.read', 'write');
  assert.is(granted.code, 0, granted.stderr);
  assert.is(granted.stdout.trim(), 'TILL-1 now has the rights: reference, accounting.read, write.');
  const revoked = await cli('device', 'revoke-right', 'TILL-1', 'write', 'reference', '--json');
  assert.equal(JSON.parse(revoked.stdout), { deviceId: 'TILL-1', rights: ['accounting.read'] });
  const rotated = await cli('device', 'rotate-key', 'TILL-1', '--json');
  assert.equal((JSON.parse(rotated.stdout) as { rights: string[] }).rights, ['accounting.read'], 'a new key keeps the rights');

  const listed = JSON.parse((await cli('device', 'list', '--json')).stdout) as { devices: Array<{ deviceId: string; rights: string[] }> };
  assert.equal(listed.devices.map((d) => [d.deviceId, d.rights]), [['TILL-1', ['accounting.read']], ['PAYROLL-PC', ['reference', 'payroll.read']]]);
  const text = (await cli('device', 'list')).stdout;
  assert.match(text, /^DEVICEID\s+NAME\s+ORGANISATION\s+STATUS\s+RIGHTS\s+KEY/m);
  assert.match(text, /^PAYROLL-PC\s+PAYROLL-PC\s+Riverbend Medical Practice\s+active\s+reference,payroll\.read\s+xpk_/m);

  const readded = await cli('device', 'add', 'TILL-1', '--org', '!Rv3Md', '--json');
  assert.equal((JSON.parse(readded.stdout) as { rights: string[] }).rights, ['reference'], 'linking again sets the rights anew');

  const unknown = await cli('device', 'grant', 'TILL-1', 'payroll');
  assert.is(unknown.code, 2);
  assert.is(unknown.stderr.trim(), "error: Unknown right 'payroll'; rights are reference, accounting.read, payroll.read, write.");
  const badAdd = await cli('device', 'add', 'TILL-2', '--org', '!Rv3Md', '--rights', 'reference,read');
  assert.is(badAdd.code, 2);
  assert.match(badAdd.stderr, "error: Unknown right 'read'");
  assert.not.match((await cli('device', 'list')).stdout, 'TILL-2', 'a refused add creates nothing');
  const nobody = await cli('device', 'revoke-right', 'TILL-404', 'write');
  assert.is(nobody.code, 1);
  assert.match(nobody.stderr, 'error: No device has the id "TILL-404".');
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

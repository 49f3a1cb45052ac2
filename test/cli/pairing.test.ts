import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CLEARED_REASON, type PendingPairingView } from '../../src/services/pairing';
import { runCli } from '../helpers/cli';
import { fetchFrom } from '../helpers/from-address';
import { startTestProxy, type TestProxy } from '../helpers/proxy';

const pairing = suite<{ dir: string; proxy: TestProxy }>('cli.pairing');

pairing.before.each(async (context) => {
  context.dir = mkdtempSync(join(tmpdir(), 'xp-pairing-'));
  assert.is((await runCli(['init'], { cwd: context.dir })).code, 0);
  context.proxy = await startTestProxy({ dataDir: join(context.dir, 'data') });
});
pairing.after.each(async ({ proxy }) => proxy.stop());

const pairFrom = async (proxy: TestProxy, address: string, deviceId: string, name = deviceId) => {
  const response = await fetchFrom(address, `${proxy.url}/api/v1/pair`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deviceId, name }) });
  return { status: response.status, body: (await response.json()) as { pairingId: string; userCode: string } };
};
const listed = async (dir: string) => (JSON.parse((await runCli(['pairing', 'list', '--json'], { cwd: dir })).stdout) as { pairings: PendingPairingView[] }).pairings;

pairing('list shows the waiting requests; clear --address frees that address at once and the devices are told', async ({ dir, proxy }) => {
  const noisy = [];
  for (let i = 1; i <= 3; i++) noisy.push((await pairFrom(proxy, '127.0.0.1', `NOISY-${i}`)).body);
  const quiet = (await pairFrom(proxy, '127.0.0.2', 'TILL-0042', 'Front counter till')).body;
  assert.is((await pairFrom(proxy, '127.0.0.1', 'NOISY-4')).status, 429);

  const rows = await listed(dir);
  assert.is(rows.length, 4);
  const till = rows.find((row) => row.deviceId === 'TILL-0042')!;
  assert.equal([till.code, till.name, till.sourceAddress], [quiet.userCode, 'Front counter till', '127.0.0.2']);
  assert.is(Date.parse(till.expiresAt) - Date.parse(till.createdAt), 15 * 60_000);
  const text = await runCli(['pairing', 'list'], { cwd: dir });
  assert.is(text.code, 0, text.stderr);
  assert.match(text.stdout, /^CODE\s+DEVICEID\s+NAME\s+SOURCEADDRESS\s+CREATEDAT\s+EXPIRESAT$/m);
  assert.match(text.stdout, new RegExp(`^${quiet.userCode}\\s+TILL-0042\\s+Front counter till\\s+127\\.0\\.0\\.2\\s`, 'm'));

  const cleared = await runCli(['pairing', 'clear', '--address', '127.0.0.1'], { cwd: dir });
  assert.is(cleared.code, 0, cleared.stderr);
  assert.match(cleared.stdout, "Denied 3 waiting pairing requests; their devices are told at the next poll:");
  for (const { userCode } of noisy) assert.match(cleared.stdout, `${userCode}  NOISY-`);
  assert.equal((await listed(dir)).map((row) => row.deviceId), ['TILL-0042']);

  const poll = await fetch(`${proxy.url}/api/v1/pair/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pairingId: noisy[0]!.pairingId }) });
  assert.equal(await poll.json(), { error: 'access_denied', error_description: CLEARED_REASON });
  assert.is((await pairFrom(proxy, '127.0.0.1', 'NOISY-5')).status, 200, 'the address may pair again');
});

pairing('clear takes one code or --all; a wrong code or no choice is refused with a hint', async ({ dir, proxy }) => {
  const first = (await pairFrom(proxy, '127.0.0.3', 'PMS-1')).body;
  await pairFrom(proxy, '127.0.0.4', 'PMS-2');
  await pairFrom(proxy, '127.0.0.5', 'PMS-3');

  const one = await runCli(['pairing', 'clear', first.userCode.toLowerCase(), '--json'], { cwd: dir });
  assert.is(one.code, 0, one.stderr);
  assert.equal((JSON.parse(one.stdout) as { cleared: PendingPairingView[] }).cleared.map((row) => [row.code, row.deviceId]), [[first.userCode, 'PMS-1']]);
  const again = await runCli(['pairing', 'clear', first.userCode], { cwd: dir });
  assert.equal([again.code, again.stderr.trim()], [1, 'error: This pairing request was already denied.']);
  const unknown = await runCli(['pairing', 'clear', 'BCDF-GHJK'], { cwd: dir });
  assert.equal([unknown.code, unknown.stderr.trim()], [1, 'error: No pairing request has this code. Check the code shown by the app.']);
  const neither = await runCli(['pairing', 'clear'], { cwd: dir });
  assert.equal([neither.code, neither.stderr.trim().split('\n')], [2, ['error: Name what to clear: a pairing code, --address ADDRESS or --all (one of them).', 'hint: See the waiting requests with `xero-proxy pairing list`.']]);

  const all = await runCli(['pairing', 'clear', '--all'], { cwd: dir });
  assert.match(all.stdout, 'Denied 2 waiting pairing requests');
  assert.equal(await listed(dir), []);
  assert.is((await runCli(['pairing', 'list'], { cwd: dir })).stdout.trim(), '(none)');
  assert.is((await runCli(['pairing', 'clear', '--all'], { cwd: dir })).stdout.trim(), 'No such pairing requests were waiting; nothing was cleared.');
});

pairing.run();

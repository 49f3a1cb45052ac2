import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DATABASE_FILE } from '../../src/app';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { runCli, startServe, type ServeProcess } from '../helpers/cli';
import { control, ledger } from '../helpers/delivery';
import { collectKey, pairAndLink, startWorld, type LinkedWorld } from '../helpers/linked';
import { postUntilAnswered, sleep, till, waitUntilDrained, type Accepted, type Posted } from '../helpers/tills';

const restore = suite('queue.backup-restore');
const DEVICES = 3;

/**
 * The proxy's machine dies while tills post: a backup taken meanwhile is restored into a new
 * data directory, a proxy starts there on another port against the same Xero, and the tills send
 * again everything they had sent (same Idempotency-Key and body), as apps must for what was
 * accepted after the backup. Every document accepted by either proxy ends in Xero exactly once.
 */
restore('a backup taken while 3 tills post, restored into a new directory and served on another port: every accepted document is in Xero exactly once', async () => {
  const world = await startWorld('private', { organisationId: DEMO_ORGANISATIONS[0]!.id });
  const keys: string[] = [];
  for (let n = 1; n <= DEVICES; n++) keys.push(await collectKey(world, (await pairAndLink(world, `TILL-${n}`)).pairingId));
  const first = world.proxy.dataDir;
  await world.proxy.stop();
  // Latency at Xero, so that sends are on the wire when the backup is taken and when the machine dies.
  await control(world, 'PUT', 'faults', { latencyMs: 200, latencyJitterMs: 400 });

  const accepted: Accepted[] = [];
  const posted: Posted[][] = keys.map(() => []);
  let stopTills = false;
  let old: ServeProcess | undefined = await startServe(first, serveEnv(world, first));
  let restored: ServeProcess | undefined;
  try {
    const base = old.url;
    // Where the tills send: a request cut off when the machine dies is sent again to the new proxy.
    let current = base;
    const tills = keys.map((key, index) => till({ base: () => current, key, name: `T${index + 1}`, accepted, posted: posted[index]!, stopped: () => stopTills }));
    await sleep(2_500);
    const backupFile = join(mkdtempSync(join(tmpdir(), 'xp-backups-')), 'during-load.backup');
    const backup = await runCli(['backup', '--out', backupFile], { cwd: first, env: serveEnv(world, first) });
    assert.is(backup.code, 0, backup.stderr);
    const acceptedAtBackup = accepted.length;
    await sleep(2_500);
    // The machine dies: no shutdown, whatever was on its way stays where it was.
    old.child.kill('SIGKILL');
    await new Promise((resolve) => old!.child.once('exit', resolve));
    old = undefined;
    stopTills = true;
    const deliveredByOld = (await ledger(world, 'Invoice')).length + (await ledger(world, 'Payment')).length;

    const second = join(mkdtempSync(join(tmpdir(), 'xp-new-machine-')), 'data');
    const put = await runCli(['restore', backupFile, '--data-dir', second, '--key-file', join(first, 'master.key')], { cwd: first, env: serveEnv(world, first) });
    assert.is(put.code, 0, put.stderr);
    const inFlight = Number(/(\d+) document\(s\) not yet delivered/.exec(put.stdout)?.[1]);
    restored = await startServe(second, serveEnv(world, second));
    assert.not.equal(restored.url, base, 'another port');
    current = restored.url;
    await Promise.all(tills);
    // Each till sends again, in order, everything it had sent: the new proxy knows what the backup held.
    await Promise.all(keys.map(async (key, index) => {
      for (const request of posted[index]!) accepted.push(...(await postUntilAnswered(() => restored!.url, key, request)));
    }));
    const open = await waitUntilDrained(second, 120_000);
    assert.is(open, 0, `every job reached an end (${open} still open)`);

    const invoices = await ledger(world, 'Invoice');
    const payments = await ledger(world, 'Payment');
    const inXero = [...invoices, ...payments].map((doc) => /\[(XP-[0-9A-Z]{12})\]/.exec(doc.reference ?? '')?.[1]).filter((key): key is string => key !== undefined);
    const keysAccepted = new Set(accepted.map((doc) => doc.documentKey));
    const times = (key: string) => inXero.filter((inside) => inside === key).length;
    const { requests } = (await control(world, 'GET', 'requests?limit=5000')) as { requests: Array<{ method: string; query: string | null }> };
    const lookUps = requests.filter((r) => r.method === 'GET' && (r.query ?? '').includes('where=')).length;
    console.log(
      `  ${keysAccepted.size} documents accepted (${acceptedAtBackup} by the backup), ${deliveredByOld} in Xero when the machine died, ` +
        `${inFlight} not yet delivered in the backup, ${inXero.length} in Xero at the end, ${lookUps} look-ups`,
    );
    assert.ok(keysAccepted.size >= 30, `enough traffic to mean something (${keysAccepted.size})`);
    assert.ok(inFlight > 0, 'the backup held documents not yet delivered, which the restored proxy had to settle');
    assert.ok(lookUps > 0, 'they were looked up in Xero before any was sent again');
    assert.equal([...keysAccepted].filter((key) => times(key) !== 1), [], 'every accepted document is in Xero exactly once');
    assert.is(inXero.length, keysAccepted.size, 'and Xero holds nothing else');
    const db = new Database(join(second, DATABASE_FILE), { readonly: true, fileMustExist: true });
    const statuses = db.prepare('SELECT status, COUNT(*) AS n FROM jobs GROUP BY status').all() as Array<{ status: string; n: number }>;
    db.close();
    assert.equal(statuses.map((row) => row.status), ['delivered'], JSON.stringify(statuses));
  } finally {
    stopTills = true;
    old?.child.kill('SIGKILL');
    restored?.child.kill('SIGKILL');
    await world.sandbox.stop();
  }
});

function serveEnv(world: LinkedWorld, dataDir: string): Record<string, string> {
  return {
    XERO_PROXY_STORAGE_DATA_DIR: dataDir,
    XERO_PROXY_SERVER_LOG_LEVEL: 'error',
    XERO_PROXY_XERO_APP_TYPE: 'private',
    XERO_PROXY_XERO_API_URL: world.sandbox.url,
    XERO_PROXY_XERO_CONSUMER_KEY: world.app.consumerKey,
    XERO_PROXY_XERO_CONSUMER_SECRET: world.app.consumerSecret,
    // Short claims, so the jobs a killed process held come back (to be looked up) within seconds.
    XERO_PROXY_DELIVERY_SEND_TIMEOUT_SECONDS: '3',
    XERO_PROXY_DELIVERY_LEASE_SECONDS: '10',
  };
}


restore.run();

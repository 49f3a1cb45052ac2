import type { ChildProcess } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { DATABASE_FILE } from '../../src/app';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { spawnCli, REPO_ROOT } from '../helpers/cli';
import { control, ledger, seededRandom } from '../helpers/delivery';
import { sleep, till, waitUntilDrained, type Accepted } from '../helpers/tills';
import { collectKey, pairAndLink, startWorld, type LinkedWorld } from '../helpers/linked';
import { freePort } from '../helpers/proxy';

const crash = suite('queue.crash-kill');

const KILLS = 20;
const DEVICES = 3;
const SEED = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);

/**
 * `kill -9` at random while tills post invoices and payments and the loop delivers them: the
 * server restarts on the same data directory each time, and tills that lost their answer send
 * the same request again with the same Idempotency-Key, as a real till does. At the end every
 * document that got a 202 is in Xero exactly once.
 */
crash(`${KILLS} SIGKILLs of the server while accepting and delivering: nothing accepted is lost, nothing doubled (seed ${SEED})`, async () => {
  const random = seededRandom(SEED);
  const world = await startWorld('private', { organisationId: DEMO_ORGANISATIONS[0]!.id });
  const keys: string[] = [];
  for (let n = 1; n <= DEVICES; n++) keys.push(await collectKey(world, (await pairAndLink(world, `TILL-${n}`)).pairingId));
  const dataDir = world.proxy.dataDir;
  await world.proxy.stop();
  // Latency at Xero, so that kills land while a send is on the wire.
  await control(world, 'PUT', 'faults', { latencyMs: 300, latencyJitterMs: 500 });

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = new Server(world, dataDir, port);
  const accepted: Accepted[] = [];
  let stopClients = false;
  try {
    await server.start();
    const tills = keys.map((key, index) => till({ base: () => base, key, name: `T${index + 1}`, accepted, stopped: () => stopClients }));
    for (let kill = 1; kill <= KILLS; kill++) {
      await sleep(250 + random() * 900);
      await server.kill();
      await server.start();
    }
    stopClients = true;
    await Promise.all(tills);

    const open = await waitUntilDrained(dataDir, 120_000);
    assert.is(open, 0, `every job reached an end (${open} still open)`);
    const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
    const statuses = db.prepare('SELECT status, COUNT(*) AS n FROM jobs GROUP BY status').all() as Array<{ status: string; n: number }>;
    db.close();
    assert.equal(statuses.map((row) => row.status), ['delivered'], JSON.stringify(statuses));

    const invoices = await ledger(world, 'Invoice');
    const payments = await ledger(world, 'Payment');
    const count = (documents: Array<{ reference: string | null }>, key: string) => documents.filter((doc) => doc.reference?.includes(key)).length;
    const lost = accepted.filter((doc) => count(doc.kind === 'invoice' ? invoices : payments, doc.documentKey) === 0);
    const doubled = accepted.filter((doc) => count(doc.kind === 'invoice' ? invoices : payments, doc.documentKey) > 1);
    const { requests } = (await control(world, 'GET', 'requests?limit=5000')) as { requests: Array<{ method: string; query: string | null }> };
    const lookUps = requests.filter((r) => r.method === 'GET' && (r.query ?? '').includes('where=')).length;
    const writes = requests.filter((r) => r.method === 'PUT').length;
    const allKeys = [...invoices, ...payments].map((doc) => /\[(XP-[0-9A-Z]{12})\]/.exec(doc.reference ?? '')?.[1]).filter(Boolean);
    console.log(
      `  seed ${SEED}: ${KILLS} kills, ${accepted.length} documents accepted (${accepted.filter((d) => d.kind === 'invoice').length} invoices, ` +
        `${accepted.filter((d) => d.kind === 'payment').length} payments), ${invoices.length + payments.length} in Xero (${writes} writes, ${lookUps} look-ups), ${lost.length} lost, ${doubled.length} doubled`,
    );
    assert.ok(accepted.length >= 100, `enough traffic to mean something (${accepted.length})`);
    assert.ok(lookUps > 0, 'some kills landed mid-send, so their jobs were looked up before being sent again');
    assert.is(lost.length, 0, `lost: ${JSON.stringify(lost.slice(0, 5))}`);
    assert.is(doubled.length, 0, `doubled: ${JSON.stringify(doubled.slice(0, 5))}`);
    assert.is(new Set(allKeys).size, allKeys.length, 'no key appears twice in Xero');
    assert.is(allKeys.length, accepted.length, 'Xero holds exactly what was accepted');
  } finally {
    stopClients = true;
    await server.kill();
    await world.sandbox.stop();
  }
});

/** The proxy as its own process on a fixed port and data directory, killable and restartable. */
class Server {
  #child: ChildProcess | undefined;
  constructor(
    private readonly world: LinkedWorld,
    private readonly dataDir: string,
    private readonly port: number,
  ) {}

  async start(): Promise<void> {
    this.#child = spawnCli(['serve'], {
      cwd: REPO_ROOT,
      env: {
        XERO_PROXY_STORAGE_DATA_DIR: this.dataDir,
        XERO_PROXY_SERVER_LISTEN: `127.0.0.1:${this.port}`,
        XERO_PROXY_SERVER_PUBLIC_URL: `http://127.0.0.1:${this.port}`,
        XERO_PROXY_SERVER_LOG_LEVEL: 'error',
        XERO_PROXY_XERO_APP_TYPE: 'private',
        XERO_PROXY_XERO_API_URL: this.world.sandbox.url,
        XERO_PROXY_XERO_CONSUMER_KEY: this.world.app.consumerKey,
        XERO_PROXY_XERO_CONSUMER_SECRET: this.world.app.consumerSecret,
        // Short claims, so the jobs a killed process held come back (to be looked up) within seconds.
        XERO_PROXY_DELIVERY_SEND_TIMEOUT_SECONDS: '3',
        XERO_PROXY_DELIVERY_LEASE_SECONDS: '10',
      },
    });
    this.#child.stdout!.resume();
    this.#child.stderr!.resume();
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (this.#child.exitCode !== null) throw new Error(`the server exited with ${this.#child.exitCode} on start`);
      const up = await fetch(`http://127.0.0.1:${this.port}/healthz`).then((r) => r.ok, () => false);
      if (up) return;
      await sleep(50);
    }
    throw new Error('the server did not start within 30 s');
  }

  async kill(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}


crash.run();

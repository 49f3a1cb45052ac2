import type { DeliveryLoop } from '../../src/queue/delivery-loop';
import { randomBase32 } from '../../src/lib/ids';
import type { ServiceDeps } from '../../src/services/deps';
import { findJob, insertJob, type Job, type JobKind } from '../../src/store/jobs';
import type { SandboxSettings } from '../../src/sandbox/deps';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { pairAndLink, startWorld, type LinkedWorld } from './linked';

/** A world whose proxy's delivery loop is driven by the test, with the organisation linked. */
export interface DeliveryWorld extends LinkedWorld {
  loop: DeliveryLoop;
  deps: ServiceDeps;
  organisationId: string;
}

/** Harbourside Café linked through a private app (no token expiry), the loop in manual mode. */
export async function startDeliveryWorld(
  options: {
    env?: Record<string, string>;
    retry?: { maxAttempts?: number };
    random?: () => number;
    sandboxRandom?: () => number;
    sandboxSettings?: Partial<SandboxSettings>;
    batchSize?: number;
    paceWaitMs?: number;
  } = {},
): Promise<DeliveryWorld> {
  const world = await startWorld('private', {
    organisationId: DEMO_ORGANISATIONS[0]!.id,
    proxy: {
      delivery: { manual: true, ...(options.retry ? { retry: options.retry } : {}), ...(options.random ? { random: options.random } : {}), ...(options.batchSize ? { batchSize: options.batchSize } : {}) },
      ...(options.paceWaitMs !== undefined ? { paceWaitMs: options.paceWaitMs } : {}),
    },
    ...(options.env ? { env: options.env } : {}),
    ...(options.sandboxRandom ? { sandboxRandom: options.sandboxRandom } : {}),
    ...(options.sandboxSettings ? { sandboxSettings: options.sandboxSettings } : {}),
  });
  const { outcome } = await pairAndLink(world, 'LINKING-TILL');
  if (outcome.kind !== 'linked') throw new Error(JSON.stringify(outcome));
  return { ...world, loop: world.proxy.running.delivery!, deps: world.proxy.running.proxy.deps, organisationId: outcome.organisation.id };
}

/** Calls the sandbox's control API. */
export async function control(world: Pick<LinkedWorld, 'sandbox'>, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${world.sandbox.url}/sandbox/${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} /sandbox/${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** A device row for jobs to belong to (the accept path is another engineer's; the loop only needs the row). */
export function insertDevice(deps: ServiceDeps, organisationId: string, deviceId: string): string {
  const id = `dev_${randomBase32(16)}`;
  const now = deps.clock.now().toISOString();
  deps.db
    .prepare(`INSERT INTO devices (id, device_id, name, organisation_id, status, created_at, updated_at) VALUES (?, ?, ?, ?, 'active', ?, ?)`)
    .run(id, deviceId, deviceId, organisationId, now, now);
  return id;
}

/** A document key shaped as the accept path makes them: `XP-` and twelve characters. */
export const newDocumentKey = (): string => `XP-${randomBase32(12).toUpperCase()}`;

/** Queues jobs as the accept path would: a submission row, then each job with its key in Reference. */
export function enqueue(
  deps: ServiceDeps,
  device: string,
  organisationId: string,
  kind: JobKind,
  payloads: ReadonlyArray<{ payload: Record<string, unknown>; dependsOn?: string }>,
): Job[] {
  const submissionId = `sub_${randomBase32(16)}`;
  const ids: string[] = [];
  deps.db.transaction(() => {
    deps.db
      .prepare(`INSERT INTO submissions (id, device_id, idempotency_key, request_hash, status_code, response, created_at) VALUES (?, ?, NULL, 'test', 202, '{}', ?)`)
      .run(submissionId, device, deps.clock.now().toISOString());
    for (const { payload, dependsOn } of payloads) {
      const documentKey = newDocumentKey();
      const reference = typeof payload['Reference'] === 'string' ? `${payload['Reference']} [${documentKey}]` : `[${documentKey}]`;
      const id = `job_${randomBase32(16)}`;
      insertJob(deps.db, deps.clock, { id, submissionId, organisationId, deviceId: device, kind, documentKey, payload: { ...payload, Reference: reference }, dependsOn: dependsOn ?? null });
      ids.push(id);
    }
  })();
  return ids.map((id) => findJob(deps.db, id)!);
}

/** Moves both clocks to just after the start of the sandbox's next minute window (its rate limits count in fixed minutes). */
export async function toStartOfXeroMinute(world: Pick<LinkedWorld, 'sandbox' | 'advance'>): Promise<void> {
  const { now } = (await control(world, 'GET', 'clock')) as { now: string };
  const intoMinute = Date.parse(now) % 60_000;
  await world.advance((60_000 - intoMinute) / 1000 + 0.1);
}

/** An ACCREC invoice the sandbox accepts; `overrides` change any field. */
export function invoicePayload(n: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Type: 'ACCREC',
    Contact: { Name: 'Cash Customer' },
    Date: '2026-11-28',
    DueDate: '2026-12-12',
    LineAmountTypes: 'Inclusive',
    Status: 'AUTHORISED',
    Reference: `Table ${n}`,
    LineItems: [
      { Description: 'Large Coffee', Quantity: 2, UnitAmount: 5.5, AccountCode: '200', TaxType: 'OUTPUT', Tracking: [{ Name: 'Location', Option: 'Harbourside' }] },
      { Description: 'Blueberry Muffin', Quantity: 1, UnitAmount: 4.5, AccountCode: '200', TaxType: 'OUTPUT' },
    ],
    ...overrides,
  };
}

/** Every document of `type` the sandbox stored, in creation order. */
export async function ledger(world: Pick<LinkedWorld, 'sandbox'>, type: string): Promise<Array<{ seq: number; id: string; number: string | null; reference: string | null; body: Record<string, unknown> }>> {
  const all: Array<{ seq: number; id: string; number: string | null; reference: string | null; body: Record<string, unknown> }> = [];
  for (;;) {
    const page = (await control(world, 'GET', `ledger?type=${type}&afterSeq=${all.at(-1)?.seq ?? 0}`)) as { documents: typeof all };
    all.push(...page.documents);
    if (page.documents.length < 10_000) return all;
  }
}

/**
 * Runs the loop until no job is queued or sending: drains what is due, then moves both clocks
 * (the proxy's and the sandbox's) to the next moment anything can happen. Returns the rounds
 * and the simulated seconds that passed.
 */
export async function runUntilSettled(world: Pick<DeliveryWorld, 'loop' | 'deps' | 'clock' | 'advance'>, options: { maxRounds?: number } = {}): Promise<{ rounds: number; simulatedSeconds: number }> {
  const started = world.clock.now().getTime();
  const open = () => world.deps.db.prepare(`SELECT COUNT(*) FROM jobs WHERE status IN ('queued', 'sending')`).pluck().get() as number;
  for (let round = 1; round <= (options.maxRounds ?? 5_000); round++) {
    await world.loop.drain();
    if (open() === 0) return { rounds: round, simulatedSeconds: (world.clock.now().getTime() - started) / 1000 };
    const next = world.loop.nextWakeAt();
    if (!next) throw new Error(`${open()} jobs are open but nothing is due: the loop is stuck`);
    await world.advance(Math.max(0.001, (next.getTime() - world.clock.now().getTime()) / 1000));
  }
  throw new Error(`jobs still open after ${options.maxRounds ?? 5_000} rounds`);
}

/** Jobs by status, e.g. { delivered: 199, failed: 1 }. */
export function statusCounts(world: DeliveryWorld): Record<string, number> {
  const rows = world.deps.db.prepare('SELECT status, COUNT(*) AS n FROM jobs GROUP BY status').all() as Array<{ status: string; n: number }>;
  return Object.fromEntries(rows.map((row) => [row.status, row.n]));
}

/** A small seeded generator (mulberry32), so a failing fault run can be repeated. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

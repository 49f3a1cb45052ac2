import type { XeroResponse } from '../domain/xero/http';
import { parseXeroProblem } from '../domain/xero/problem';
import { AppError } from '../lib/errors';
import type { XeroDeps } from '../services/xero-app';
import type { BuildRequest, XeroCalls } from '../services/xero-calls';
import { claimJobs, holdJobs, nextJobDueAfter, noteWaiting, organisationsWithReadyJobs, readyKinds, type Job, type JobKind } from '../store/jobs';
import { findOrganisation } from '../store/organisations';
import { DEFAULT_RETRY, type RetryPolicy } from './backoff';
import { emptyStats, type DeliveryContext, type DeliveryStats } from './context';
import { failOrphans, releaseRelinked } from './housekeeping';
import type { Pacer } from '../services/pacer';
import { holdReason, relinkCause } from './settle';
import { KIND_STEPS, type KindSteps } from './steps';
import { Turns } from './turns';

/** How the loop runs; every field has a production default. */
export interface DeliveryOptions {
  /** No timers: tests drive the loop with `tick()` and `drain()`. */
  manual?: boolean;
  /** Elements per write; Xero recommends about 50. @see PROTOCOL.md §4.3 */
  batchSize?: number;
  /** How long a claim lasts; longer than a whole call (renewal and one resend included). */
  leaseMs?: number;
  /** The limit on one exchange with Xero. */
  sendTimeoutMs?: number;
  /** How often the timers look for due work. */
  pollMs?: number;
  /**
   * How many organisations' steps may be in flight at once; the rest wait their turn (Turns).
   * Enough to keep Xero's app-wide 10,000 calls a minute busy at 0.4 s a call, few enough that
   * a thousand organisations' batches are not built and held in memory together, and that the
   * connections to one host stay well under what a server allows one address (the sandbox: 100).
   */
  maxLanes?: number;
  retry?: Partial<RetryPolicy>;
  random?: () => number;
}

interface Work {
  mode: 'lookup' | 'send';
  kind: JobKind;
  steps: KindSteps;
  jobs: Job[];
}

/**
 * Delivers queued jobs to Xero: one lane per organisation (at most one request in flight for
 * each, up to `maxLanes` organisations in parallel, the least recently served first), each step exactly one paced call: either a look-up that
 * settles jobs whose last send may have reached Xero, or a batch write of jobs known not to be
 * there. Work is claimed under a lease, so jobs of a process that died come back, marked as
 * outcome-unknown, and are looked up before they are sent again.
 */
export class DeliveryLoop {
  readonly pacer: Pacer;
  readonly stats: DeliveryStats = emptyStats();
  readonly #ctx: DeliveryContext;
  readonly #options: Required<Omit<DeliveryOptions, 'retry' | 'random'>>;
  readonly #lanes = new Map<string, Promise<void>>();
  readonly #alone = new Map<string, number>();
  readonly #turns = new Turns();
  readonly #abort = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  /** A one-shot pump for when a paced organisation may call again, sooner than the next poll. */
  #wake: { at: number; timer: NodeJS.Timeout } | undefined;
  #stopping = false;
  /** When the timers last ran housekeeping (performance.now()). */
  #houseKeptAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly deps: XeroDeps,
    private readonly calls: XeroCalls,
    options: DeliveryOptions = {},
  ) {
    const { retry, random, ...timing } = options;
    const configured = deps.config.delivery;
    this.#options = { manual: false, batchSize: 50, leaseMs: configured.leaseSeconds * 1000, sendTimeoutMs: configured.sendTimeoutSeconds * 1000, pollMs: 500, maxLanes: 64, ...stripUndefined(timing) };
    if (this.#options.leaseMs <= this.#options.sendTimeoutMs * 3) {
      throw new AppError('internal', 'The delivery lease must outlast a call: one send, a token renewal and one resend.');
    }
    // The pacer every caller of Xero in this process shares: devices' reads take turns with delivery.
    this.pacer = calls.pacer;
    this.#ctx = {
      deps,
      pacer: this.pacer,
      retry: { ...DEFAULT_RETRY, ...stripUndefined(retry ?? {}) },
      random: random ?? Math.random,
      stats: this.stats,
      call: (organisationId, build) => this.#call(organisationId, build),
      sendAlone: (organisationId, kind, count) => this.#alone.set(`${organisationId} ${kind}`, count),
    };
  }

  /** Starts the timers (not in manual mode) and looks for work at once. */
  start(): void {
    if (this.#options.manual || this.#timer) return;
    this.#timer = setInterval(() => this.#pump(), this.#options.pollMs);
    this.#timer.unref();
    setImmediate(() => this.#pump());
  }

  /**
   * Stops claiming, lets in-flight requests finish within `graceMs`, then aborts the rest (their
   * jobs are recorded as outcome-unknown, so they are looked up after a restart).
   */
  async stop(graceMs: number): Promise<void> {
    this.#stopping = true;
    clearInterval(this.#timer);
    clearTimeout(this.#wake?.timer);
    const inFlight = Promise.all(this.#lanes.values());
    if (!(await within(inFlight, graceMs))) {
      this.#abort.abort();
      await within(inFlight, 5_000);
    }
  }

  /** One round: housekeeping, then one step for every organisation that may call Xero now; resolves when they finish. */
  async tick(): Promise<number> {
    if (this.#stopping) return 0;
    const changed = this.#housekeeping();
    const steps = this.#startSteps();
    await Promise.all(steps);
    return changed + steps.length;
  }

  /** Ticks until nothing more can happen at the current time. */
  async drain(maxTicks = 100_000): Promise<void> {
    for (let i = 0; i < maxTicks; i++) if ((await this.tick()) === 0) return;
    throw new AppError('internal', `The delivery loop was still busy after ${maxTicks} rounds.`);
  }

  /** When the next job falls due, a lease runs out or a paced organisation may call again, if ever. */
  nextWakeAt(): Date | undefined {
    const { db, clock } = this.deps;
    const times: number[] = [];
    const due = nextJobDueAfter(db, clock);
    if (due) times.push(Date.parse(due));
    for (const organisationId of organisationsWithReadyJobs(db, clock)) {
      const verdict = this.pacer.check(organisationId);
      if (!verdict.ok) times.push(verdict.until.getTime());
    }
    return times.length > 0 ? new Date(Math.min(...times)) : undefined;
  }

  #pump(): void {
    if (this.#stopping) return;
    try {
      // Relinked organisations and orphaned payments change rarely: once a poll is soon enough,
      // rather than before every step (a pump follows each call, 60 a minute per organisation).
      const now = performance.now();
      if (now - this.#houseKeptAt >= this.#options.pollMs) {
        this.#houseKeptAt = now;
        this.#housekeeping();
      }
      this.#startSteps();
    } catch (error) {
      this.deps.logger.error('delivery: round failed', { error });
    }
  }

  // Waiting for the next poll instead would stretch every paced gap by up to `pollMs` (half a
  // second on a gap of one), leaving a fifth or more of Xero's per-minute ceiling unused.
  #wakeAt(until: Date): void {
    if (this.#options.manual || this.#stopping) return;
    const at = until.getTime();
    if (this.#wake && this.#wake.at <= at) return;
    clearTimeout(this.#wake?.timer);
    const timer = setTimeout(() => {
      this.#wake = undefined;
      this.#pump();
    }, Math.max(0, at - this.deps.clock.now().getTime()));
    timer.unref();
    this.#wake = { at, timer };
  }

  #housekeeping(): number {
    return releaseRelinked(this.deps) + failOrphans(this.deps);
  }

  #startSteps(): Promise<void>[] {
    const steps: Promise<void>[] = [];
    for (const organisationId of this.#turns.order(organisationsWithReadyJobs(this.deps.db, this.deps.clock))) {
      if (this.#lanes.size >= this.#options.maxLanes) break;
      if (this.#lanes.has(organisationId)) continue;
      const step = this.#startStep(organisationId);
      if (step) steps.push(step);
    }
    return steps;
  }

  // Synchronous up to the call: checking the pace, claiming and counting the call cannot interleave with another lane.
  #startStep(organisationId: string): Promise<void> | undefined {
    const { db, clock, logger } = this.deps;
    const organisation = findOrganisation(db, organisationId);
    if (!organisation) {
      this.#turns.forget(organisationId);
      return undefined;
    }
    if (organisation.linkState !== 'linked') {
      const held = holdJobs(db, clock, organisationId, holdReason(organisation), relinkCause(organisation));
      return held > 0 ? Promise.resolve() : undefined;
    }
    const allowedAt = clock.now();
    const verdict = this.pacer.check(organisationId);
    if (!verdict.ok) {
      if (verdict.why === 'day') noteWaiting(db, clock, organisationId, verdict.message, verdict.until.toISOString());
      else this.#wakeAt(verdict.until);
      return undefined;
    }
    const work = this.#claim(organisationId);
    if (!work) return undefined;
    const end = this.pacer.begin(organisationId, allowedAt);
    this.#turns.served(organisationId);
    const run = (work.mode === 'lookup' ? work.steps.lookUp : work.steps.send)(this.#ctx, organisationId, work.jobs)
      // A fault here leaves the jobs leased: they return as outcome-unknown when the lease ends.
      .catch((error: unknown) => logger.error('delivery: step failed', { organisation: organisationId, error }))
      .finally(() => {
        end();
        this.#lanes.delete(organisationId);
        if (!this.#options.manual && !this.#stopping) setImmediate(() => this.#pump());
      });
    this.#lanes.set(organisationId, run);
    return run;
  }

  // Look-ups come first: a job whose outcome is unknown must never be batched into a write.
  #claim(organisationId: string): Work | undefined {
    const { db, clock } = this.deps;
    const { leaseMs, batchSize } = this.#options;
    for (const kind of readyKinds(db, clock, organisationId)) {
      const steps = KIND_STEPS[kind];
      const single = steps.oneAtATime?.(db, organisationId) ?? false;
      const unknown = claimJobs(db, clock, organisationId, kind, single ? 1 : steps.lookUpSize, leaseMs, { only: 'unknown' });
      if (unknown.length > 0) return { mode: 'lookup', kind, steps, jobs: unknown };
      const aloneKey = `${organisationId} ${kind}`;
      const alone = this.#alone.get(aloneKey) ?? 0;
      const jobs = claimJobs(db, clock, organisationId, kind, alone > 0 || single ? 1 : Math.min(batchSize, steps.sendSize ?? batchSize), leaseMs, { only: 'known' });
      if (jobs.length === 0) continue;
      if (alone > 0) this.#alone.set(aloneKey, alone - 1);
      return { mode: 'send', kind, steps, jobs };
    }
    return undefined;
  }

  async #call(organisationId: string, build: BuildRequest): Promise<XeroResponse> {
    this.stats.calls += 1;
    const response = await this.calls.call(organisationId, build, { timeoutMs: this.#options.sendTimeoutMs, signal: this.#abort.signal, paced: true });
    if ((response.status === 429 || response.status === 503) && parseXeroProblem(response).kind === 'rate_limited') this.stats.rateLimited += 1;
    return response;
  }
}

/** Whether `promise` settled within `ms`. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

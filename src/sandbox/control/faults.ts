import { AppError } from '../../lib/errors';
import type { Db } from '../../store/db';

/** Faults the sandbox injects, set through `/sandbox/faults`. */
export interface Faults {
  /** Probability per status (500, 502, 503, 504) of failing an API call before it does anything. */
  errorRates: Record<string, number>;
  /** Probability of answering 500 after a write was committed (the document exists). */
  errorAfterCommitRate: number;
  /** Probability of dropping the connection after a write was committed, without any answer. */
  dropAfterCommitRate: number;
  /** Added to every API call: a fixed delay plus a uniform random part. */
  latencyMs: number;
  latencyJitterMs: number;
  /** Apply error rates only to PUT/POST (reads stay healthy). */
  writesOnly: boolean;
  /** Organisations that answer 503 "organisation offline". */
  offlineOrganisations: string[];
  /** OAuth 2.0: how many coming token responses to drop after committing them (a lost refresh answer). */
  dropNextTokenResponses: number;
  /** OAuth 2.0: how many coming Bearer API calls to answer 429, and with which X-Rate-Limit-Problem. */
  rateLimitNextCalls: number;
  rateLimitProblem: RateLimitProblem;
}

export type RateLimitProblem = 'minute' | 'day' | 'appminute' | 'concurrent';
const RATE_LIMIT_PROBLEMS: readonly RateLimitProblem[] = ['minute', 'day', 'appminute', 'concurrent'];

export const NO_FAULTS: Faults = {
  errorRates: {},
  errorAfterCommitRate: 0,
  dropAfterCommitRate: 0,
  latencyMs: 0,
  latencyJitterMs: 0,
  writesOnly: false,
  offlineOrganisations: [],
  dropNextTokenResponses: 0,
  rateLimitNextCalls: 0,
  rateLimitProblem: 'minute',
};

const ERROR_STATUSES = new Set(['500', '502', '503', '504']);

/** The current faults, kept in memory and in the sandbox database so a restart keeps them. */
export class FaultState {
  #faults: Faults;
  constructor(private readonly db: Db) {
    const row = db.prepare("SELECT value FROM meta WHERE name = 'faults'").get() as { value: string } | undefined;
    this.#faults = row ? { ...NO_FAULTS, ...(JSON.parse(row.value) as Partial<Faults>) } : NO_FAULTS;
  }
  get current(): Faults {
    return this.#faults;
  }
  /** Replaces the faults with `input` merged over none; validates every field. */
  set(input: unknown): Faults {
    const next = validateFaults(input);
    this.#faults = next;
    this.db.prepare("INSERT INTO meta (name, value) VALUES ('faults', ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value").run(JSON.stringify(next));
    return next;
  }
  clear(): Faults {
    return this.set({});
  }
  /** Whether to drop this token response; counts the drop down. */
  takeTokenResponseDrop(): boolean {
    return this.#take('dropNextTokenResponses');
  }
  /** Whether to refuse this Bearer call with a forced 429; counts it down. */
  takeForcedRateLimit(): boolean {
    return this.#take('rateLimitNextCalls');
  }
  #take(key: 'dropNextTokenResponses' | 'rateLimitNextCalls'): boolean {
    if (this.#faults[key] <= 0) return false;
    this.set({ ...this.#faults, [key]: this.#faults[key] - 1 });
    return true;
  }
}

function validateFaults(input: unknown): Faults {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new AppError('invalid', 'The faults must be a JSON object.');
  const raw = input as Record<string, unknown>;
  const known = new Set(Object.keys(NO_FAULTS));
  for (const key of Object.keys(raw)) if (!known.has(key)) throw new AppError('invalid', `${key}: unknown fault.`, { field: key });
  const probability = (key: string, value: unknown): number => {
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new AppError('invalid', `${key}: must be a probability between 0 and 1.`, { field: key });
    return value;
  };
  const millis = (key: string, value: unknown): number => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 120_000) throw new AppError('invalid', `${key}: must be whole milliseconds from 0 to 120000.`, { field: key });
    return value;
  };
  const count = (key: string, value: unknown): number => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new AppError('invalid', `${key}: must be a whole number, zero or more.`, { field: key });
    return value;
  };
  const problem = (value: unknown): RateLimitProblem => {
    if (!RATE_LIMIT_PROBLEMS.includes(value as never)) throw new AppError('invalid', `rateLimitProblem: must be one of ${RATE_LIMIT_PROBLEMS.join(', ')}.`, { field: 'rateLimitProblem' });
    return value as RateLimitProblem;
  };
  const errorRates: Record<string, number> = {};
  if (raw['errorRates'] !== undefined) {
    if (typeof raw['errorRates'] !== 'object' || raw['errorRates'] === null) throw new AppError('invalid', 'errorRates: must be an object of status → probability.', { field: 'errorRates' });
    for (const [status, rate] of Object.entries(raw['errorRates'] as Record<string, unknown>)) {
      if (!ERROR_STATUSES.has(status)) throw new AppError('invalid', `errorRates.${status}: only 500, 502, 503 and 504 can be injected.`, { field: `errorRates.${status}` });
      errorRates[status] = probability(`errorRates.${status}`, rate);
    }
    if (Object.values(errorRates).reduce((a, b) => a + b, 0) > 1) throw new AppError('invalid', 'errorRates: the probabilities add up to more than 1.', { field: 'errorRates' });
  }
  const offline = raw['offlineOrganisations'] ?? [];
  if (!Array.isArray(offline) || offline.some((id) => typeof id !== 'string')) throw new AppError('invalid', 'offlineOrganisations: must be a list of organisation ids.', { field: 'offlineOrganisations' });
  if (raw['writesOnly'] !== undefined && typeof raw['writesOnly'] !== 'boolean') throw new AppError('invalid', 'writesOnly: must be true or false.', { field: 'writesOnly' });
  return {
    errorRates,
    errorAfterCommitRate: probability('errorAfterCommitRate', raw['errorAfterCommitRate'] ?? 0),
    dropAfterCommitRate: probability('dropAfterCommitRate', raw['dropAfterCommitRate'] ?? 0),
    latencyMs: millis('latencyMs', raw['latencyMs'] ?? 0),
    latencyJitterMs: millis('latencyJitterMs', raw['latencyJitterMs'] ?? 0),
    writesOnly: (raw['writesOnly'] as boolean | undefined) ?? false,
    offlineOrganisations: offline as string[],
    dropNextTokenResponses: count('dropNextTokenResponses', raw['dropNextTokenResponses'] ?? 0),
    rateLimitNextCalls: count('rateLimitNextCalls', raw['rateLimitNextCalls'] ?? 0),
    rateLimitProblem: problem(raw['rateLimitProblem'] ?? 'minute'),
  };
}

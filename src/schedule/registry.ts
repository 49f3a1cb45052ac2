import cron, { type ScheduledTask } from 'node-cron';
import { AppError } from '../lib/errors';
import type { Logger } from '../lib/logger';

/** A named piece of recurring work; `work` is testable apart from its schedule. */
export interface Job {
  name: string;
  /** node-cron expression, seconds optional, e.g. "*\/30 * * * * *" (every 30 seconds). */
  cron: string;
  work: () => Promise<void> | void;
}

/** The server's recurring work: one registry that can list its jobs, run one now, and stop all. */
export class Scheduler {
  readonly #tasks = new Map<string, { job: Job; task: ScheduledTask }>();
  constructor(private readonly logger: Logger) {}

  /** Registers and starts a job; overlapping runs are skipped rather than piled up. */
  add(job: Job): void {
    if (!cron.validate(job.cron)) throw new AppError('internal', `The schedule "${job.cron}" of ${job.name} is not a valid cron expression.`);
    const task = cron.schedule(job.cron, () => this.#run(job), { name: job.name, noOverlap: true });
    this.#tasks.set(job.name, { job, task });
  }

  /** The jobs and when each runs next. */
  list(): Array<{ name: string; cron: string; nextRun: string | null }> {
    return [...this.#tasks.values()].map(({ job, task }) => ({ name: job.name, cron: job.cron, nextRun: task.getNextRun()?.toISOString() ?? null }));
  }

  /** Runs a job at once, outside its schedule. */
  async runNow(name: string): Promise<void> {
    const entry = this.#tasks.get(name);
    if (!entry) throw new AppError('not_found', `There is no scheduled job called ${name}.`);
    await this.#run(entry.job);
  }

  /** Stops every job; in-flight runs finish on their own. */
  async stop(): Promise<void> {
    for (const { task } of this.#tasks.values()) await task.destroy();
    this.#tasks.clear();
  }

  async #run(job: Job): Promise<void> {
    try {
      await job.work();
    } catch (error) {
      // A failed run is logged and tried again at the next tick; it never stops the schedule.
      this.logger.error('scheduled job failed', { job: job.name, error });
    }
  }
}

import type { Command } from 'commander';
import { loadConfig } from '../config/load';
import type { Config } from '../config/types';
import { systemClock } from '../lib/clock';
import { toAppError } from '../lib/errors';
import { doctorChecks, type Check } from '../services/doctor';
import { runtimeCheck } from '../services/runtime-check';
import { printData, table, type Io } from './output';

/** `xero-proxy doctor`: checks the runtime (glibc for SQLite), config, data directory, key, database, log file, clock and Xero reachability. */
export function registerDoctor(program: Command, io: Io): void {
  program
    .command('doctor')
    .description('check the system, the configuration, the data directory, the database, the log file, the clock and that Xero can be reached')
    .option('--json', 'print the checks as JSON')
    .option('--timeout <seconds>', 'how long to wait for Xero', '5')
    .action(async (options: { json?: boolean; timeout: string }, command: Command) => {
      // First, and touching nothing: on a glibc too old for the SQLite addon, this line is the
      // answer, and the checks that would load the addon are not run.
      const runtime = runtimeCheck();
      const checks: Check[] = [runtime];
      let config: Config | undefined;
      try {
        config = loadConfig({ path: command.optsWithGlobals<{ config?: string }>().config });
        checks.push({ check: 'config', status: 'ok', detail: config.source ?? 'no file; built-in defaults' });
      } catch (error) {
        checks.push({ check: 'config', status: 'fail', detail: toAppError(error).message });
      }
      if (config) {
        try {
          checks.push(...(await doctorChecks(config, { clock: systemClock, timeoutMs: Number(options.timeout) * 1000, sqliteLoads: runtime.status !== 'fail' })));
        } catch (error) {
          // Each check catches its own errors; this keeps what was found printable if one does not.
          checks.push({ check: 'doctor', status: 'fail', detail: `stopped early: ${toAppError(error).message}` });
        }
      }
      printData(io, Boolean(options.json), { ok: checks.every((c) => c.status !== 'fail'), checks }, () => table(checks as unknown as Record<string, unknown>[], ['check', 'status', 'detail']));
      if (checks.some((c) => c.status === 'fail')) process.exitCode = 1;
    });
}

import type { Command } from 'commander';
import { loadConfig } from '../config/load';
import type { Config } from '../config/types';
import { systemClock } from '../lib/clock';
import { toAppError } from '../lib/errors';
import { doctorChecks, type Check } from '../services/doctor';
import { printData, table, type Io } from './output';

/** `xero-proxy doctor`: checks config, data directory, key, database, clock and Xero reachability. */
export function registerDoctor(program: Command, io: Io): void {
  program
    .command('doctor')
    .description('check the configuration, the data directory, the database, the clock and that Xero can be reached')
    .option('--json', 'print the checks as JSON')
    .option('--timeout <seconds>', 'how long to wait for Xero', '5')
    .action(async (options: { json?: boolean; timeout: string }, command: Command) => {
      const checks: Check[] = [];
      let config: Config | undefined;
      try {
        config = loadConfig({ path: command.optsWithGlobals<{ config?: string }>().config });
        checks.push({ check: 'config', status: 'ok', detail: config.source ?? 'no file; built-in defaults' });
      } catch (error) {
        checks.push({ check: 'config', status: 'fail', detail: toAppError(error).message });
      }
      if (config) {
        checks.push(...(await doctorChecks(config, { clock: systemClock, timeoutMs: Number(options.timeout) * 1000 })));
      }
      printData(io, Boolean(options.json), { ok: checks.every((c) => c.status !== 'fail'), checks }, () => table(checks as unknown as Record<string, unknown>[], ['check', 'status', 'detail']));
      if (checks.some((c) => c.status === 'fail')) process.exitCode = 1;
    });
}

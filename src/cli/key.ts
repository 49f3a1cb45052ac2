import type { Command } from 'commander';
import { systemClock } from '../lib/clock';
import { keyFilePath } from '../store/keyring';
import { rotateMasterKey, type RotationResult, type RotationStep } from '../services/key-rotation';
import { cliActor, configFrom } from './context';
import { printData, type Io } from './output';

/**
 * For the tests that prove a rotation crash-safe: the process kills itself (SIGKILL, as a power
 * cut would end it) at the named step. Read here only; nothing else looks at it.
 */
const TEST_CRASH_ENV = 'XERO_PROXY_TEST_CRASH_AT';

/** `xero-proxy key rotate`: a new master key, every stored secret sealed with it, beside a running server. */
export function registerKey(program: Command, io: Io): void {
  const key = program.command('key').description('the master key that seals the stored secrets (data_dir/master.key)');
  key
    .command('rotate')
    .description('make a new master key and seal every stored secret with it; the server may keep running')
    .option('--json', 'print the result as JSON')
    .action((options: { json?: boolean }, command: Command) => {
      const config = configFrom(command);
      const crashAt = process.env[TEST_CRASH_ENV];
      const onStep = (step: RotationStep) => {
        if (step === crashAt) process.kill(process.pid, 'SIGKILL');
      };
      const result = rotateMasterKey(config, systemClock, { actor: cliActor(), onStep });
      printData(io, Boolean(options.json), result, () => rotationText(result, keyFilePath(config)));
    });
}

function rotationText(result: RotationResult, path: string): string {
  const finished = result.finished ? 'An earlier rotation had stopped half-way; it is finished now. ' : '';
  const retired = result.retired.length === 0 ? '' : ` ${result.retired.length === 1 ? `Key ${result.retired[0]} is` : `Keys ${result.retired.join(', ')} are`} retired: kept in the key file only to open backups made before now.`;
  return `${finished}The master key is now ${result.keyId}: ${result.resealed} stored secret(s) were sealed again with it.${retired}\nCopy ${path} to where you keep its backup: backups made from now on need the new key.`;
}

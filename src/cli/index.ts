import { Command, CommanderError } from 'commander';
import { processIo, reportError, type Io } from './output';
import { registerInit } from './init';
import { registerServe } from './serve';
import { registerSandbox } from './sandbox';
import { registerDoctor } from './doctor';
import { registerDemo } from './demo';
import { registerDevice } from './device';
import { registerOrg } from './org';
import { registerMap } from './map';
import { registerCert } from './cert';
import { registerAdmin } from './admin';
import { registerAudit } from './audit';
import { registerJobs } from './jobs';
import { registerPairing } from './pairing';
import { registerStatus } from './status';
import { registerAlerts } from './alerts';
import { registerService } from './service';
import { registerTls } from './tls';
import { registerVersion } from './version';
import { registerKey } from './key';
import { registerBackup } from './backup';
import { registerRestore } from './restore';
import { registerReconcile } from './reconcile';

/** Options every command shares. */
export interface GlobalOptions {
  config?: string;
}

/** Builds the command tree; each noun registers itself from its own file. `argv` is what `--version` reads `--json` from. */
export function buildProgram(io: Io, argv: readonly string[] = []): Command {
  const program = new Command('xero-proxy').description('Xero Comms Proxy: holds Xero credentials for LAN apps and delivers their documents to Xero.');
  registerVersion(program, io, argv);
  program
    .option('-c, --config <path>', 'config file (default ./xero-proxy.toml or XERO_PROXY_CONFIG)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.out(text.trimEnd()), writeErr: (text) => io.err(text.trimEnd()) });
  registerInit(program, io);
  registerServe(program, io);
  registerSandbox(program, io);
  registerDoctor(program, io);
  registerDemo(program, io);
  registerDevice(program, io);
  registerOrg(program, io);
  registerMap(program, io);
  registerCert(program, io);
  registerAdmin(program, io);
  registerAudit(program, io);
  registerJobs(program, io);
  registerPairing(program, io);
  registerStatus(program, io);
  registerAlerts(program, io);
  registerService(program, io);
  registerTls(program, io);
  registerKey(program, io);
  registerBackup(program, io);
  registerRestore(program, io);
  registerReconcile(program, io);
  return program;
}

/** Runs the CLI and resolves with the process exit code. */
export async function runCli(argv: readonly string[], io: Io = processIo): Promise<number> {
  const program = buildProgram(io, argv);
  try {
    await program.parseAsync(argv as string[]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here with exit code 0; usage errors are already printed.
      return error.exitCode === 0 ? 0 : 2;
    }
    return reportError(io, error);
  }
}

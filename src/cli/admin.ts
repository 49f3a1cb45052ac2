import type { Command } from 'commander';
import { AppError } from '../lib/errors';
import { resetMfa } from '../services/admin-mfa';
import { MAX_PASSWORD_LENGTH, validateNewPassword } from '../services/admin-password';
import { addAdministrator, administratorSummaries, removeAdministrator, resetAdministratorPassword, setAdminPassword } from '../services/administrators';
import { withStore } from './context';
import { printData, table, type Io } from './output';
import { readStdinSecret } from './stdin-secret';

const stdinHint = (command: string) => `In scripts, pipe it in: printf %s "$PASSWORD" | xero-proxy admin ${command} --password-stdin`;

/** `xero-proxy admin add|list|remove|reset-password|reset-mfa|set-password`: the people who sign in to the pages. */
export function registerAdmin(program: Command, io: Io): void {
  const admin = program.command('admin').description('the administrators who sign in to the console, approve devices and link organisations');
  const password = (options: { passwordStdin?: boolean }, command: string) => (options.passwordStdin ? readStdinPassword(command) : askTwice(command));

  admin
    .command('add <name>')
    .description('add an administrator with a password; they set up two-step sign-in when they first sign in')
    .option('--password-stdin', 'read the password from standard input instead of asking on the terminal')
    .action(async (name: string, options: { passwordStdin?: boolean }, command: Command) => {
      // The store opens first, so a broken config is reported before anyone types a password.
      await withStore(command, async (store) => {
        const added = await addAdministrator(store, { name, password: await password(options, 'add NAME') });
        io.out(`Added the administrator ${added.name}. ${firstSignIn(store.config.admin.requireMfa)} Sign in at ${store.config.server.publicUrl}/login`);
      });
    });

  admin
    .command('list')
    .description('list the administrators: two-step sign-in, last sign-in, browsers signed in')
    .option('--json', 'print as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withStore(command, (store) => {
        const administrators = administratorSummaries(store);
        const rows = administrators.map((a) => ({ ...a, mfa: a.mfaEnrolled ? `yes (${a.recoveryCodesLeft} recovery codes left)` : 'no', lastSignIn: a.lastSignInAt ?? 'never' }));
        printData(io, Boolean(options.json), { administrators }, () => table(rows, ['name', 'mfa', 'lastSignIn', 'sessions']));
      });
    });

  admin
    .command('remove <name>')
    .description('remove an administrator and sign their browsers out (never the last one)')
    .action(async (name: string, _options: unknown, command: Command) => {
      await withStore(command, (store) => {
        const removed = removeAdministrator(store, name);
        io.out(`Removed the administrator ${removed.name}${signedOutText(removed.signedOut)}.`);
      });
    });

  admin
    .command('reset-password <name>')
    .description("set a new password for an administrator; signs their browsers out and ends an account-wide sign-in pause")
    .option('--password-stdin', 'read the password from standard input instead of asking on the terminal')
    .option('--reset-mfa', 'also forget their two-step sign-in (a lost phone): they set it up again at the next sign-in')
    .action(async (name: string, options: { passwordStdin?: boolean; resetMfa?: boolean }, command: Command) => {
      await withStore(command, async (store) => {
        const done = await resetAdministratorPassword(store, name, await password(options, 'reset-password NAME'), { resetMfa: options.resetMfa === true });
        const mfa = done.mfaReset ? ' Their two-step sign-in is reset: they set it up again when they next sign in.' : '';
        io.out(`The password of ${done.name} is set${signedOutText(done.signedOut)}.${mfa}`);
      });
    });

  admin
    .command('reset-mfa <name>')
    .description('forget an administrator\'s two-step sign-in (a lost phone) and sign their browsers out; they set it up again at the next sign-in')
    .action(async (name: string, _options: unknown, command: Command) => {
      await withStore(command, (store) => {
        const done = resetMfa(store, name);
        io.out(`Two-step sign-in of ${done.name} is reset${signedOutText(done.signedOut)}; they set it up again, with a new QR code, when they next sign in.`);
      });
    });

  admin
    .command('set-password')
    .description('set the password of the administrator named "admin" (added if missing), as before named administrators')
    .option('--password-stdin', 'read the password from standard input instead of asking on the terminal')
    .action(async (options: { passwordStdin?: boolean }, command: Command) => {
      await withStore(command, async (store) => {
        const { signedOut, added } = await setAdminPassword(store, await password(options, 'set-password'));
        const url = `${store.config.server.publicUrl}/login`;
        io.out(`The password of the administrator "admin" is set${signedOutText(signedOut)}.${added ? ` ${firstSignIn(store.config.admin.requireMfa)}` : ''} Sign in at ${url} with the name admin.`);
      });
    });
}

const signedOutText = (count: number) => (count > 0 ? `; ${count} signed-in browser(s) were signed out` : '');
const firstSignIn = (requireMfa: boolean) => (requireMfa ? 'At the first sign-in they set up two-step sign-in with an authenticator app.' : 'Two-step sign-in is not required here (admin.require_mfa = false), but can be set up on the settings page.');


const readStdinPassword = (command: string) => readStdinSecret({ flag: '--password-stdin', what: 'password', maxLength: MAX_PASSWORD_LENGTH, hint: stdinHint(command) });

async function askTwice(command: string): Promise<string> {
  const first = validateNewPassword(await promptHidden('New administrator password (at least 12 characters): ', command));
  const second = await promptHidden('Type it again: ', command);
  if (first !== second) throw new AppError('invalid', 'The two passwords differ; nothing was changed.');
  return first;
}

/** Asks on the terminal with echo off, so the password is neither shown nor left in the scrollback. */
function promptHidden(prompt: string, command: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) return Promise.reject(new AppError('invalid', 'There is no terminal to ask for the password on.', { hint: stdinHint(command) }));
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (result: () => void) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      result();
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish(() => resolve(value));
        if (ch === '\u0003' || (ch === '\u0004' && value === '')) return finish(() => reject(new AppError('invalid', 'Cancelled; nothing was changed.')));
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else if (ch === '\u0015') value = '';
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

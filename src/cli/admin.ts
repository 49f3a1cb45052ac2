import type { Command } from 'commander';
import { AppError } from '../lib/errors';
import { MAX_PASSWORD_LENGTH, setAdminPassword, validateNewPassword } from '../services/admin-password';
import { withStore } from './context';
import { readStdinSecret } from './stdin-secret';
import type { Io } from './output';

const STDIN_HINT = 'In scripts, pipe it in: printf %s "$PASSWORD" | xero-proxy admin set-password --password-stdin';

/** `xero-proxy admin set-password`: the password that guards the connect and admin pages. */
export function registerAdmin(program: Command, io: Io): void {
  const admin = program.command('admin').description('the administrator who approves devices and links organisations in the browser');
  admin
    .command('set-password')
    .description('set or change the administrator password (signs every browser out)')
    .option('--password-stdin', 'read the password from standard input instead of asking on the terminal')
    .action(async (options: { passwordStdin?: boolean }, command: Command) => {
      // The store opens first, so a broken config is reported before anyone types a password.
      await withStore(command, async (store) => {
        const password = options.passwordStdin ? await readStdinPassword() : await askTwice();
        const { signedOut } = await setAdminPassword(store, password);
        const url = `${store.config.server.publicUrl}/login`;
        io.out(`The administrator password is set${signedOut > 0 ? `; ${signedOut} signed-in browser(s) were signed out` : ''}. Sign in at ${url}`);
      });
    });
}

const readStdinPassword = () => readStdinSecret({ flag: '--password-stdin', what: 'password', maxLength: MAX_PASSWORD_LENGTH, hint: STDIN_HINT });

async function askTwice(): Promise<string> {
  const first = validateNewPassword(await promptHidden('New administrator password (at least 12 characters): '));
  const second = await promptHidden('Type it again: ');
  if (first !== second) throw new AppError('invalid', 'The two passwords differ; nothing was changed.');
  return first;
}

/** Asks on the terminal with echo off, so the password is neither shown nor left in the scrollback. */
function promptHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) return Promise.reject(new AppError('invalid', 'There is no terminal to ask for the password on.', { hint: STDIN_HINT }));
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

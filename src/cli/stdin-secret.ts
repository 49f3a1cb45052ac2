import { AppError } from '../lib/errors';

/**
 * Reads a password or passphrase piped to standard input (`--password-stdin`,
 * `--passphrase-stdin`): everything up to the end, less one trailing line break (from echo or a
 * file). Refuses a terminal (the value would be typed in clear) and more than `maxLength`
 * characters.
 */
export async function readStdinSecret(options: { flag: string; what: string; maxLength: number; hint: string }): Promise<string> {
  if (process.stdin.isTTY) throw new AppError('invalid', `${options.flag} reads a piped ${options.what}, but standard input is a terminal.`, { hint: options.hint });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length;
    if (size > options.maxLength * 4 + 2) throw new AppError('invalid', `The ${options.what} must be at most ${options.maxLength} characters long.`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

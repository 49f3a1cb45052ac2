import { randomInt } from 'node:crypto';

const UPPER_ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A random string from `alphabet`, drawn with a CSPRNG. */
export function randomCode(length: number, alphabet = UPPER_ALPHANUMERIC): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** A consumer key, consumer secret, token, token secret or session handle: 30 uppercase alphanumerics, like Xero's. */
export const newCredential = (): string => randomCode(30);

/** The code a user types into an `oob` app: 7 digits (the sandbox's choice; Xero's format is unconfirmed). */
export const newVerifier = (): string => randomCode(7, '0123456789');

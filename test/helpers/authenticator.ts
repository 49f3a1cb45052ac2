import { createHmac } from 'node:crypto';

/**
 * The phone's side of two-step sign-in, written from RFC 6238 and RFC 4648 apart from the
 * proxy's own code (src/lib/totp.ts): it takes the key as the enrolment page shows it for typing,
 * and gives the six-digit code an authenticator app would show at a moment.
 */
export class Authenticator {
  readonly #key: Buffer;
  constructor(shownSecret: string) {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    const bits = [...shownSecret.replace(/\s/g, '').toUpperCase()].map((char) => {
      const value = alphabet.indexOf(char);
      if (value < 0) throw new Error(`not base32: ${shownSecret}`);
      return value.toString(2).padStart(5, '0');
    });
    const all = bits.join('');
    this.#key = Buffer.from(Array.from({ length: Math.floor(all.length / 8) }, (_, i) => parseInt(all.slice(i * 8, i * 8 + 8), 2)));
  }

  /** The code shown at `at`: HOTP of floor(unix seconds / 30), truncated to six digits. */
  codeAt(at: Date): string {
    const counter = Buffer.alloc(8);
    counter.writeBigUInt64BE(BigInt(Math.floor(at.getTime() / 30_000)));
    const mac = createHmac('sha1', this.#key).update(counter).digest();
    const offset = mac[19]! & 0xf;
    return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
  }
}

import { createHmac, timingSafeEqual } from 'node:crypto';

/** RFC 6238's defaults, which every authenticator app supports: 30-second steps, 6 digits, HMAC-SHA1. */
export const TOTP_STEP_SECONDS = 30;
export const TOTP_DIGITS = 6;

// RFC 4648 §6: the upper-case alphabet authenticator apps expect in an otpauth:// secret.
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Encodes bytes as RFC 4648 base32 without padding, as otpauth:// secrets are written. */
export function base32Encode(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** Decodes RFC 4648 base32 (case, spaces and padding ignored); undefined when it is not base32. */
export function base32Decode(text: string): Buffer | undefined {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of clean) {
    const index = BASE32.indexOf(char);
    if (index < 0) return undefined;
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The time step a moment falls in: whole 30-second periods since the Unix epoch (RFC 6238 §4.2, T0 = 0). */
export function totpStep(at: Date, stepSeconds = TOTP_STEP_SECONDS): number {
  return Math.floor(at.getTime() / 1000 / stepSeconds);
}

/**
 * The one-time password of a time step: HOTP (RFC 4226 §5.3, dynamic truncation) over the step
 * as an 8-byte big-endian counter.
 * @see https://www.rfc-editor.org/rfc/rfc6238 §4
 * @example totpCode(Buffer.from('12345678901234567890'), totpStep(new Date(59_000)), { digits: 8 }) // '94287082'
 */
export function totpCode(secret: Uint8Array, step: number, options: { digits?: number; algorithm?: 'sha1' | 'sha256' | 'sha512' } = {}): string {
  const digits = options.digits ?? TOTP_DIGITS;
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac(options.algorithm ?? 'sha1', secret).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** What a typed code is: the code of `step`, one of a step already used, or not a code of now. */
export type TotpMatch = { kind: 'ok'; step: number } | { kind: 'reused' } | { kind: 'wrong' };

/**
 * Whether a typed code is the code of the current step or of one step either side (RFC 6238
 * §5.2 allows for a clock a little off and for typing time), and of a step later than
 * `lastUsedStep`: a code once accepted cannot be replayed (§5.2). Every candidate is compared in
 * constant time.
 */
export function matchTotp(secret: Uint8Array, typed: string, at: Date, lastUsedStep: number | null): TotpMatch {
  const code = typed.replace(/\s/g, '');
  if (!/^\d{6}$/.test(code)) return { kind: 'wrong' };
  const now = totpStep(at);
  let fresh: number | undefined;
  let reused = false;
  for (const step of [now - 1, now, now + 1]) {
    if (!timingSafeEqual(Buffer.from(totpCode(secret, step)), Buffer.from(code))) continue;
    if (lastUsedStep !== null && step <= lastUsedStep) reused = true;
    else fresh ??= step;
  }
  return fresh !== undefined ? { kind: 'ok', step: fresh } : reused ? { kind: 'reused' } : { kind: 'wrong' };
}

/**
 * The `otpauth://` URI authenticator apps read from the QR code: the issuer and account name
 * label the entry, the parameters are RFC 6238's defaults written out.
 * @see https://github.com/google/google-authenticator/wiki/Key-Uri-Format
 */
export function otpauthUri(input: { issuer: string; account: string; secret: string }): string {
  const label = `${encodeURIComponent(input.issuer)}:${encodeURIComponent(input.account)}`;
  const query = new URLSearchParams({ secret: input.secret, issuer: input.issuer, algorithm: 'SHA1', digits: String(TOTP_DIGITS), period: String(TOTP_STEP_SECONDS) });
  return `otpauth://totp/${label}?${query.toString().replace(/\+/g, '%20')}`;
}

import { AppError } from '../../lib/errors';

/** A decoded name/value pair, in the order it appeared; names may repeat. */
export type Pair = readonly [name: string, value: string];

/**
 * RFC 3986 percent-encoding as OAuth 1.0a requires: everything but the unreserved characters
 * `A-Z a-z 0-9 - . _ ~` is encoded, as UTF-8, with upper-case hex. `encodeURIComponent` leaves
 * `! ' ( ) *` alone, so those are finished by hand.
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-3.6
 */
export function percentEncode(text: string): string {
  assertWellFormed(text);
  return encodeURIComponent(text).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Decodes a query string or an `application/x-www-form-urlencoded` body the way RFC 5849 tells
 * a signer to: split on `&`, split each part at its first `=` (so values keep their own `=`),
 * read `+` as a space, percent-decode names and values alike, and keep repeated names in order.
 * A malformed escape is refused rather than guessed at, since the server would decode it its own way.
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-3.4.1.3.1
 * @example decodeForm('c2&a3=2+q') // [['c2', ''], ['a3', '2 q']]
 */
export function decodeForm(text: string): Pair[] {
  const pairs: Pair[] = [];
  for (const part of text.split('&')) {
    if (part === '') continue;
    const cut = part.indexOf('=');
    const name = cut === -1 ? part : part.slice(0, cut);
    const value = cut === -1 ? '' : part.slice(cut + 1);
    pairs.push([decodeComponent(name), decodeComponent(value)]);
  }
  return pairs;
}

/** Encodes pairs as a form body or query string, percent-encoding per RFC 3986 (a space is `%20`, a plus `%2B`). */
export function encodeForm(pairs: readonly Pair[]): string {
  return pairs.map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`).join('&');
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new AppError('invalid', `The parameter text "${text.slice(0, 60)}" has a malformed percent-escape; encode "%" as %25.`);
  }
}

// A lone surrogate cannot be encoded as UTF-8, so no server could decode what we signed.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Throws `invalid` for text with a lone UTF-16 surrogate, which has no UTF-8 form to sign or send. */
export function assertWellFormed(text: string): void {
  if (LONE_SURROGATE.test(text)) throw new AppError('invalid', 'A request parameter contains a broken Unicode character (a lone surrogate) and cannot be signed.');
}

/**
 * The RFC 5849 signature base string, written from the RFC for the sandbox's verifier. It must
 * not share code with any client signer: the two sides check each other.
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-3.4.1
 */

/** A name/value pair; repeated names are kept, in the order received. */
export type Parameter = readonly [name: string, value: string];

const isUnreservedByte = (byte: number): boolean =>
  (byte >= 0x30 && byte <= 0x39) || // DIGIT
  (byte >= 0x41 && byte <= 0x5a) || // ALPHA (upper)
  (byte >= 0x61 && byte <= 0x7a) || // ALPHA (lower)
  byte === 0x2d || byte === 0x2e || byte === 0x5f || byte === 0x7e; // - . _ ~

const isHexByte = (byte: number | undefined): boolean =>
  byte !== undefined && ((byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66));

/**
 * RFC 5849 §3.6: UTF-8 encode, then percent-encode every byte except ALPHA, DIGIT, "-", ".",
 * "_" and "~", with uppercase hex digits.
 * @example percentEncode('Ladies + Gentlemen') // 'Ladies%20%2B%20Gentlemen'
 */
export function percentEncode(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    out += isUnreservedByte(byte) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Decodes %XX sequences into bytes and reads the bytes as UTF-8; a stray "%" stays literal. */
export function percentDecode(value: string): string {
  const raw = Buffer.from(value, 'utf8');
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === 0x25 && isHexByte(raw[i + 1]) && isHexByte(raw[i + 2])) {
      bytes.push(parseInt(String.fromCharCode(raw[i + 1]!, raw[i + 2]!), 16));
      i += 2;
    } else {
      bytes.push(raw[i]!);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * Decodes a query string or `application/x-www-form-urlencoded` body as RFC 5849 §3.4.1.3.1
 * requires (W3C form decoding: "+" is a space). A pair without "=" has an empty value.
 */
export function formDecode(text: string): Parameter[] {
  const pairs: Parameter[] = [];
  for (const segment of text.split('&')) {
    if (segment === '') continue;
    const eq = segment.indexOf('=');
    const name = eq === -1 ? segment : segment.slice(0, eq);
    const value = eq === -1 ? '' : segment.slice(eq + 1);
    pairs.push([percentDecode(name.replace(/\+/g, ' ')), percentDecode(value.replace(/\+/g, ' '))]);
  }
  return pairs;
}

/**
 * RFC 5849 §3.4.1.2 base string URI: scheme and host lowercased, the default port (80 for
 * http, 443 for https) dropped, the path kept as sent, query and fragment removed.
 * @example baseStringUri('http://EXAMPLE.COM:80/r%20v/X?id=123') // 'http://example.com/r%20v/X'
 */
export function baseStringUri(uri: string): string {
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)/.exec(uri);
  if (!match) throw new TypeError(`Not an absolute http(s) URI: ${uri}`);
  const scheme = match[1]!.toLowerCase();
  const authority = match[2]!.replace(/^[^@]*@/, '').toLowerCase();
  const hostPort = /^(.*?)(?::(\d*))?$/.exec(authority)!;
  const host = hostPort[1]!;
  const port = hostPort[2];
  const isDefaultPort = port === undefined || port === '' || (scheme === 'http' && port === '80') || (scheme === 'https' && port === '443');
  return `${scheme}://${host}${isDefaultPort ? '' : `:${port}`}${match[3] || '/'}`;
}

/**
 * RFC 5849 §3.4.1.3.2: encode every name and value, sort by encoded name then encoded value
 * (byte order; repeated names stay), join as `name=value` with "&".
 */
export function normalizeParameters(parameters: readonly Parameter[]): string {
  const encoded = parameters.map(([name, value]) => [percentEncode(name), percentEncode(value)] as const);
  encoded.sort(([aName, aValue], [bName, bValue]) => (aName < bName ? -1 : aName > bName ? 1 : aValue < bValue ? -1 : aValue > bValue ? 1 : 0));
  return encoded.map(([name, value]) => `${name}=${value}`).join('&');
}

/**
 * RFC 5849 §3.4.1.1: the uppercase method, the base string URI and the normalized parameters,
 * each percent-encoded and joined with "&". `parameters` must already exclude
 * `oauth_signature` and the header's `realm`.
 */
export function signatureBaseString(method: string, uri: string, parameters: readonly Parameter[]): string {
  return [method.toUpperCase(), percentEncode(baseStringUri(uri)), percentEncode(normalizeParameters(parameters))].join('&');
}

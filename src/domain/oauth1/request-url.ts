import { AppError } from '../../lib/errors';
import { decodeForm, type Pair } from './form-encoding';

const DEFAULT_PORT: Record<string, string> = { 'http:': '80', 'https:': '443' };

/** A request URL split the way the signature base string needs it. */
export interface NormalizedUrl {
  /** `scheme://host[:port]/path`: lower-case scheme and host, no default port, no query or fragment. */
  baseUri: string;
  /** The query's parameters, decoded, repeated names kept, in order. */
  query: Pair[];
}

/**
 * Parses and normalises a request URL for signing. The URL is parsed with WHATWG `URL`, the
 * same parser `fetch` uses to put the request on the wire, so the path and query we sign are
 * byte for byte the ones the server receives; the normalisation is then spelled out rather
 * than left to the parser's defaults.
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-3.4.1.2
 */
export function normalizeRequestUrl(raw: string): NormalizedUrl {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('invalid', `The request URL "${raw.slice(0, 200)}" is not an absolute URL.`);
  }
  const scheme = url.protocol.toLowerCase();
  if (DEFAULT_PORT[scheme] === undefined) throw new AppError('invalid', `The request URL must use http or https, not ${scheme.replace(/:$/, '')}.`);
  if (url.username !== '' || url.password !== '') throw new AppError('invalid', 'The request URL must not contain a user name or password.');
  const port = url.port === '' || url.port === DEFAULT_PORT[scheme] ? '' : `:${url.port}`;
  // `hostname` keeps the brackets of an IPv6 literal, which the base string also keeps.
  const baseUri = `${scheme}//${url.hostname.toLowerCase()}${port}${url.pathname === '' ? '/' : url.pathname}`;
  return { baseUri, query: decodeForm(url.search.replace(/^\?/, '')) };
}

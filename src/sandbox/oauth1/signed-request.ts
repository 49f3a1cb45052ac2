import type { Context } from 'hono';
import type { SandboxEnv } from '../deps';
import { formDecode, type Parameter } from './base-string';
import { parseAuthorizationHeader } from './verify';

/** An HTTP request as it arrived, before any OAuth reading. */
export interface RawRequest {
  method: string;
  /** `scheme://host[:port]` as the client addressed the sandbox (from the Host header). */
  origin: string;
  /** The request target exactly as received: the raw path and query. */
  target: string;
  authorization: string | undefined;
  /** The body when it is `application/x-www-form-urlencoded`, otherwise undefined. */
  formBody: string | undefined;
}

/** A request's OAuth reading (RFC 5849 §3.4.1.3.1 and §3.5). */
export interface SignedRequest {
  method: string;
  /** The absolute request URI without its query, for the base string. */
  uri: string;
  /** What the signature covers: query, form body and header parameters, minus `realm` and `oauth_signature`. */
  parameters: Parameter[];
  /** The `oauth_*` protocol parameters, wherever they were sent (`oauth_signature` included). */
  protocol: ReadonlyMap<string, string>;
  /** Protocol parameter names sent more than once. */
  duplicates: string[];
  /** The Authorization header said OAuth but could not be parsed. */
  malformedHeader: boolean;
}

/**
 * Collects the parameters of a signed request from the Authorization header, the query and a
 * form body, as RFC 5849 §3.5 allows (any of the three may carry the protocol parameters).
 */
export function parseSignedRequest(raw: RawRequest): SignedRequest {
  const queryAt = raw.target.indexOf('?');
  const beforeQuery = queryAt === -1 ? raw.target : raw.target.slice(0, queryAt);
  const query = queryAt === -1 ? '' : raw.target.slice(queryAt + 1);
  // A proxy may send the absolute form of the request target (RFC 7230 §5.3.2).
  const uri = /^https?:\/\//i.test(beforeQuery) ? beforeQuery : raw.origin + beforeQuery;

  const header = parseAuthorizationHeader(raw.authorization);
  const fromHeader = header.kind === 'oauth' ? header.parameters.filter(([name]) => name !== 'realm') : [];
  const all = [...formDecode(query), ...(raw.formBody === undefined ? [] : formDecode(raw.formBody)), ...fromHeader];

  const protocol = new Map<string, string>();
  const duplicates: string[] = [];
  for (const [name, value] of all) {
    if (!name.startsWith('oauth_')) continue;
    if (protocol.has(name)) duplicates.push(name);
    else protocol.set(name, value);
  }
  return {
    method: raw.method.toUpperCase(),
    uri,
    parameters: all.filter(([name]) => name !== 'oauth_signature'),
    protocol,
    duplicates,
    malformedHeader: header.kind === 'malformed',
  };
}

/**
 * Reads what the verifier needs from a Hono request: the raw target from Node's request when
 * there is one (so the path is exactly as sent), the Host header, and a form body.
 */
export async function readRawRequest(c: Context<SandboxEnv>): Promise<RawRequest> {
  const url = new URL(c.req.url);
  const target = c.env?.incoming?.url ?? url.pathname + url.search;
  const host = c.req.header('host') ?? url.host;
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const hasBody = c.req.method !== 'GET' && c.req.method !== 'HEAD';
  return {
    method: c.req.method,
    origin: `${url.protocol.replace(/:$/, '')}://${host}`,
    target,
    authorization: c.req.header('authorization'),
    formBody: hasBody && type === 'application/x-www-form-urlencoded' ? await c.req.text() : undefined,
  };
}

/** Shorthand: read and parse in one step. */
export async function readSignedRequest(c: Context<SandboxEnv>): Promise<SignedRequest> {
  return parseSignedRequest(await readRawRequest(c));
}

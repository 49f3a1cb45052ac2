import type { MiddlewareHandler } from 'hono';
import type { BodyScanner } from '../lib/body-scan/body-scanner';
import { asBodyError, BodyRefusal, XmlRefusal } from '../lib/body-scan/refusal';
import { AppError } from '../lib/errors';

/** The most one request may send, and how to say so when it sends more. */
export interface BodyLimit {
  bytes: number;
  /** Completes "The request body is larger than N bytes, …": what to do instead. */
  advice: string;
  /** This request's scan of its JSON or XML body, run on each chunk as it arrives. */
  scanner?: BodyScanner | undefined;
}

/**
 * Request bodies held in memory at once, across every connection. Each body is bounded by its
 * route's limit; this bounds their sum, so many connections sending at once cannot exhaust
 * memory either. Past it a request waits for nothing: it is refused with 503 and Retry-After.
 */
export const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

/** The bytes of request bodies in memory now, shared by every route of one server. */
export class BodyBudget {
  #held = 0;
  readonly #max: number;

  constructor(maxBytes = MAX_BUFFERED_BYTES) {
    this.#max = maxBytes;
  }

  /** Takes `bytes` from the budget, or refuses the request when there is not enough left. */
  take(bytes: number): void {
    if (this.#held + bytes > this.#max) {
      throw new AppError('unavailable', 'The proxy is receiving too many requests at once; try again in a moment.', { retryAfterSeconds: 1 });
    }
    this.#held += bytes;
  }

  give(bytes: number): void {
    this.#held -= bytes;
  }
}

/**
 * Reads a request's body into memory up to the limit `limitFor` gives its path (and type), refusing with
 * 413 `too_large` as soon as it is exceeded: at once when Content-Length declares more, while
 * reading when the body is chunked. Handlers after it read the body from memory, so no parser
 * ever sees more than the limit. GET and HEAD carry no body and pass untouched.
 *
 * When the limit brings a scanner, each chunk is scanned as it arrives, before the next is read:
 * a body too deep, too many-noded or with a DOCTYPE is refused with 400 at the chunk that shows
 * it, the rest unread, so a hostile body costs its scan (about 2.5 ms a megabyte, spread over
 * its chunks) and never a parse.
 */
export function limitBodies(budget: BodyBudget, limitFor: (path: string, contentType: string, contentTypeHeader: string) => BodyLimit): MiddlewareHandler {
  return async (c, next) => {
    const raw = c.req.raw;
    if (!raw.body || raw.method === 'GET' || raw.method === 'HEAD') return next();
    const header = raw.headers.get('content-type') ?? '';
    const limit = limitFor(c.req.path, header.split(';')[0]!.trim().toLowerCase(), header);
    const declared = raw.headers.get('content-length');
    // Refused before the body is read: the connection cannot carry another request (the rest of
    // this body is still coming), so the answer says it closes rather than leave a client to
    // send its next request into a socket that is about to go.
    const refuse = (error: AppError = tooLarge(limit)) => {
      c.header('Connection', 'close');
      return error;
    };
    if (declared !== null && !raw.headers.has('transfer-encoding') && Number(declared) > limit.bytes) throw refuse();
    let held = 0;
    try {
      const chunks: Uint8Array[] = [];
      let size = 0;
      const reader = raw.body.getReader();
      for (;;) {
        const { done, value } = await reader.read().catch((error: unknown) => {
          // The client went away (or was cut off by the request timeout) mid-body: nothing to
          // answer and nothing to log as a fault.
          throw new AppError('invalid', 'The connection closed before the request body arrived whole.', { field: 'body', cause: error });
        });
        if (done) break;
        size += value.byteLength;
        if (size > limit.bytes) {
          await reader.cancel().catch(() => undefined);
          throw refuse();
        }
        budget.take(value.byteLength);
        held += value.byteLength;
        chunks.push(value);
        const refusal = scanFinds(limit.scanner, value);
        if (refusal) {
          await reader.cancel().catch(() => undefined);
          throw refuse(refusal);
        }
      }
      const refusal = scanFinds(limit.scanner, undefined);
      if (refusal) throw refusal;
      c.req.raw = new Request(raw, { body: concat(chunks, size) });
      await next();
    } finally {
      budget.give(held);
    }
  };
}

/** What the scan refuses in `bytes` (or at the body's end, when undefined), as the answer's error. */
function scanFinds(scanner: BodyScanner | undefined, bytes: Uint8Array | undefined): AppError | undefined {
  if (!scanner) return undefined;
  try {
    if (bytes) scanner.chunk(bytes);
    else scanner.end();
    return undefined;
  } catch (error) {
    if (error instanceof XmlRefusal || error instanceof BodyRefusal) return asBodyError(error);
    throw error;
  }
}

function tooLarge(limit: BodyLimit): AppError {
  return new AppError('too_large', `The request body is larger than ${limit.bytes.toLocaleString('en')} bytes, the most this endpoint takes; ${limit.advice}.`, { field: 'body' });
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

import type { XeroRequest, XeroResponse } from './http';
import { XeroError, type Delivery } from './xero-error';

/** The network, injected: `fetch` itself in production, anything fetch-shaped in tests. */
export type Transport = (url: string, init: { method: string; headers: Record<string, string>; body?: string | Uint8Array; signal: AbortSignal; redirect: 'manual' }) => Promise<Response>;

/** Limits on one exchange with Xero. */
export interface SendOptions {
  /** The whole exchange, answer body included; 30 s by default. */
  timeoutMs?: number;
  /** Stops the exchange early (shutdown). */
  signal?: AbortSignal;
  /** Larger answers are refused; 16 MiB by default (a page of 100 invoices is far smaller). */
  maxBodyBytes?: number;
}

// Errors raised before a connection exists: DNS, refused or unreachable, TLS handshake. The
// request bytes cannot have left this machine.
const NOT_SENT = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EAI_NONAME|EHOSTUNREACH|ENETUNREACH|EADDRNOTAVAIL|UND_ERR_CONNECT_TIMEOUT|ERR_INVALID_URL|ERR_TLS_.*|ERR_SSL_.*|CERT_.*|UNABLE_TO_.*|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)$/;
const REASON: Record<string, string> = { ECONNREFUSED: 'connection refused', ENOTFOUND: 'host not found', EAI_AGAIN: 'name lookup failed', ECONNRESET: 'connection reset', UND_ERR_SOCKET: 'connection closed' };

/**
 * Sends a built request and reads the whole answer. Never throws for an HTTP status (process
 * functions judge those); network failures and timeouts become AppError `unavailable`
 * (retryable) with `delivery` saying whether the request may have reached Xero.
 */
export async function send(transport: Transport, request: XeroRequest, options: SendOptions = {}): Promise<XeroResponse> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const host = hostOf(request.url);
  let response: Response;
  try {
    response = await transport(request.url, { method: request.method, headers: request.headers, ...(request.body !== undefined ? { body: request.body } : {}), signal, redirect: 'manual' });
  } catch (error) {
    throw networkError(error, host, timeout.aborted ? timeoutMs : undefined, false);
  }
  const maxBytes = options.maxBodyBytes ?? 16 * 1024 * 1024;
  let body: string | undefined;
  try {
    body = await readCapped(response, maxBytes);
  } catch (error) {
    throw networkError(error, host, timeout.aborted ? timeoutMs : undefined, true);
  }
  if (body === undefined) throw new XeroError('upstream', `Xero's answer from ${host} was larger than the ${maxBytes} bytes allowed.`, { retryable: false, delivery: 'answered' });
  return { status: response.status, headers: Object.fromEntries(response.headers), body };
}

/** The retryable error for a failed exchange, saying whether the request may have reached Xero. */
export function networkError(error: unknown, host: string, timedOutAfterMs: number | undefined, answerStarted: boolean): XeroError {
  const code = errorCode(error);
  const delivery: Delivery = !answerStarted && timedOutAfterMs === undefined && code !== undefined && NOT_SENT.test(code) ? 'not_sent' : 'unknown';
  const reason = timedOutAfterMs !== undefined ? `no answer within ${timedOutAfterMs / 1000} seconds` : (REASON[code ?? ''] ?? code ?? (error instanceof Error ? error.message : String(error)));
  const message = answerStarted
    ? `Xero's answer from ${host} was cut off (${reason}); the request reached Xero but its outcome is unknown.`
    : delivery === 'not_sent'
      ? `Could not connect to Xero at ${host} (${reason}); the request was not sent.`
      : `The request to Xero at ${host} failed (${reason}); it may have reached Xero.`;
  return new XeroError('unavailable', message, {
    retryable: true,
    delivery,
    cause: error,
    ...(delivery === 'not_sent' ? { hint: 'Check xero.api_url and the network connection.' } : {}),
  });
}

/** The first error code on the error or its causes (fetch wraps them: TypeError → cause → AggregateError). */
function errorCode(error: unknown, depth = 0): string | undefined {
  if (error === null || typeof error !== 'object' || depth > 4) return undefined;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string') return code;
  return errorCode(cause, depth + 1) ?? (Array.isArray(errors) ? errors.map((e) => errorCode(e, depth + 1)).find(Boolean) : undefined);
}

async function readCapped(response: Response, maxBytes: number): Promise<string | undefined> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'an invalid URL';
  }
}

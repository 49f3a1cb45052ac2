import type { Context } from 'hono';
import type { SandboxDeps, SandboxEnv } from '../deps';
import { responseFormat, sendEnvelope, sendValidationException } from '../http/format';
import { jsonView, xmlView, type ViewOptions } from './render';

/** `unitdp=4` asks for unit amounts to 4 decimal places; anything else means 2. */
export function viewOptions(c: Context<SandboxEnv>): ViewOptions {
  return { unitdp: c.req.query('unitdp') === '4' ? 4 : 2 };
}

function view(c: Context<SandboxEnv>, value: unknown): unknown {
  return responseFormat(c) === 'json' ? jsonView(value, viewOptions(c)) : xmlView(value, viewOptions(c));
}

/** Xero's `Response` envelope around stored documents, in the format the client asked for. */
export function sendDocuments(c: Context<SandboxEnv>, deps: SandboxDeps, collection: string, items: readonly unknown[]): Response {
  return sendEnvelope(c, deps.clock.now(), collection, view(c, items) as unknown[]);
}

/** The summarised 400 ValidationException listing each failed element (`type` is its xsi:type). */
export function sendFailures(c: Context<SandboxEnv>, type: string, failed: readonly Record<string, unknown>[]): Response {
  return sendValidationException(
    c,
    failed.map((value) => ({ type, value: view(c, value) as Record<string, unknown> })),
  );
}

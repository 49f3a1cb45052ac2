import type { Context } from 'hono';
import { immediate } from '../../store/db';
import type { SandboxDeps, SandboxEnv } from '../deps';
import { sendDocuments, sendFailures } from './respond';

/** What happened to one submitted element: saved (the stored document) or refused, with Xero's messages. */
export type Outcome = { ok: true; doc: object } | { ok: false; echo: Record<string, unknown>; errors: string[] };

export interface BatchSpec {
  /** The collection element, e.g. "Invoices". */
  collection: string;
  /** The element's type name for `xsi:type` in a ValidationException, e.g. "Invoice". */
  type: string;
  /** The JSON flag Xero sets on each element with summarizeErrors=false. */
  errorFlag: 'HasErrors' | 'HasValidationErrors';
  /** Validates and saves one element; runs inside the batch's transaction. */
  process: (input: Record<string, unknown>) => Outcome;
}

/**
 * Saves a batch element by element, as Xero does: batches are not transactional, so valid
 * elements are saved even when others fail. With `summarizeErrors=false` the answer is always
 * 200 and every element carries its status (`status="OK|ERROR"` in XML; StatusAttributeString,
 * HasErrors and ValidationErrors in JSON). Otherwise any failure gives a 400 ValidationException
 * listing only the failed elements, and the saved ones are not reported.
 * @see PROTOCOL.md §4.3
 */
export function runBatch(c: Context<SandboxEnv>, deps: SandboxDeps, spec: BatchSpec, items: Record<string, unknown>[], summarize: boolean): Response {
  const outcomes = immediate(deps.db, () => items.map((item) => spec.process(item)));
  if (outcomes.some((outcome) => outcome.ok)) c.set('committedWrite', true);
  if (!summarize) {
    const elements = outcomes.map((outcome) =>
      outcome.ok
        ? { ...outcome.doc, ValidationErrors: [], StatusAttributeString: 'OK', [spec.errorFlag]: false }
        : { ValidationErrors: messages(outcome.errors), ...outcome.echo, StatusAttributeString: 'ERROR', [spec.errorFlag]: true },
    );
    return sendDocuments(c, deps, spec.collection, elements);
  }
  const failed = outcomes.filter((outcome): outcome is Extract<Outcome, { ok: false }> => !outcome.ok);
  if (failed.length > 0) {
    c.set('problem', failed.flatMap((outcome) => outcome.errors).join(' | ').slice(0, 500));
    return sendFailures(c, spec.type, failed.map((outcome) => ({ ValidationErrors: messages(outcome.errors), ...outcome.echo })));
  }
  return sendDocuments(c, deps, spec.collection, outcomes.map((outcome) => (outcome as { doc: object }).doc));
}

/** `summarizeErrors=false` (any case) turns per-element results on; anything else keeps Xero's default. */
export function summarizeErrors(c: Context<SandboxEnv>): boolean {
  return (c.req.query('summarizeErrors') ?? '').toLowerCase() !== 'false';
}

const messages = (errors: string[]) => errors.map((message) => ({ Message: message }));

import Database from 'better-sqlite3';
import { join } from 'node:path';
import { DATABASE_FILE } from '../../src/app';
import { invoicePayload } from './delivery';

/** A document a till got a 202 for, by the key the proxy gave it. */
export interface Accepted {
  kind: 'invoice' | 'payment';
  documentKey: string;
}

/** A request a till made and had accepted, to send again as it was (same Idempotency-Key and body). */
export interface Posted {
  path: string;
  idempotencyKey: string;
  body: unknown;
}

/**
 * A till: posts invoices (every fifth followed by its payment, naming the invoice by DocumentId)
 * and, when the answer is lost, posts the same request again with the same key until it gets one.
 * `base()` is asked before each request, so a till can be pointed at another server.
 */
export async function till(options: { base: () => string; key: string; name: string; accepted: Accepted[]; posted?: Posted[]; stopped: () => boolean }): Promise<void> {
  const { base, key, name, accepted, posted, stopped } = options;
  for (let n = 1; !stopped(); n++) {
    const documentId = `${name}-${n}`;
    const invoice = { path: '/invoices', idempotencyKey: documentId, body: { Invoices: [{ ...invoicePayload(n), DocumentId: documentId }] } };
    accepted.push(...(await postUntilAnswered(base, key, invoice)));
    posted?.push(invoice);
    if (n % 5 === 0) {
      const payment = {
        path: '/payments',
        idempotencyKey: `${documentId}-pay`,
        body: { Payments: [{ DocumentId: `${documentId}-pay`, Invoice: { DocumentId: documentId }, Account: { Code: '090' }, Date: '2026-11-28', Amount: 15.5, Reference: `Card ${documentId}` }] },
      };
      accepted.push(...(await postUntilAnswered(base, key, payment)));
      posted?.push(payment);
    }
    // A till's pace: documents keep arriving through every kill, not all before the first.
    await sleep(300);
  }
}

/** Posts a request until it gets an answer (a server that died mid-request is tried again once back); returns the new documents. */
export async function postUntilAnswered(base: () => string, key: string, request: Posted): Promise<Accepted[]> {
  for (;;) {
    try {
      const response = await fetch(`${base()}/api/v1${request.path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': request.idempotencyKey },
        body: JSON.stringify(request.body),
        signal: AbortSignal.timeout(10_000),
      });
      if (response.status === 202) {
        const { jobs } = (await response.json()) as { jobs: Array<{ kind: 'invoice' | 'payment'; documentKey: string; duplicateOf?: string }> };
        return jobs.filter((job) => job.duplicateOf === undefined).map((job) => ({ kind: job.kind, documentKey: job.documentKey }));
      }
      if (response.status < 500) throw new Error(`${request.path} answered ${response.status}: ${await response.text()}`);
    } catch (error) {
      if (error instanceof Error && error.message.includes(' answered ')) throw error;
      // The server died mid-request: the till tries again once it is back.
    }
    await sleep(100);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the data directory's queue has nothing left to deliver; returns how many are still open (0 when drained). */
export async function waitUntilDrained(dataDir: string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let open = -1;
  while (Date.now() < deadline) {
    const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
    open = db.prepare(`SELECT COUNT(*) FROM jobs WHERE status NOT IN ('delivered', 'failed', 'dead', 'cancelled')`).pluck().get() as number;
    db.close();
    if (open === 0) return 0;
    await sleep(250);
  }
  return open;
}

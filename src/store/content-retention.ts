import type { Clock } from '../lib/clock';
import { eraseAttachmentContent } from './attachments';
import type { Db } from './db';

/** What `eraseDeliveredContent` did. */
export interface ErasedContent {
  /** Jobs whose payload, source and Xero's answer were erased. */
  jobs: number;
  /** Requests whose body was erased (every document of them erased). */
  submissions: number;
}

/**
 * Erases the content of documents delivered before `before` (ISO): the payload (an invoice keeps
 * only its Type, which says whether it is a bill), what the app sent, Xero's answer and messages.
 * What identifies the document and what became of it stays: its key, DocumentId, content hash,
 * Xero's id and number, its times and the outcome of each attempt, so a resend is still
 * recognised and the console still shows what happened. A request's body goes once every
 * document of it is erased. One transaction.
 */
export function eraseDeliveredContent(db: Db, clock: Clock, before: string): ErasedContent {
  const now = clock.now().toISOString();
  return db.transaction((): ErasedContent => {
    const ids = db
      .prepare(
        `UPDATE jobs SET
           payload = CASE WHEN kind = 'invoice' AND json_extract(payload, '$.Type') IS NOT NULL THEN json_object('Type', json_extract(payload, '$.Type')) ELSE '{}' END,
           source = NULL, result = NULL, errors = NULL, last_error = NULL, content_erased_at = ?
         WHERE status = 'delivered' AND content_erased_at IS NULL AND delivered_at < ? RETURNING id`,
      )
      .pluck()
      .all(now, before) as string[];
    const messages = db.prepare('UPDATE job_attempts SET messages = NULL WHERE job_id = ? AND messages IS NOT NULL');
    for (const id of ids) messages.run(id);
    // An attachment's sealed bytes go with the rest of its job's content.
    eraseAttachmentContent(db, ids, now);
    const submissions = db
      .prepare(
        `UPDATE submissions SET request_body = NULL, content_erased_at = ?
         WHERE request_body IS NOT NULL AND content_erased_at IS NULL
           AND EXISTS (SELECT 1 FROM jobs WHERE jobs.submission_id = submissions.id)
           AND NOT EXISTS (SELECT 1 FROM jobs WHERE jobs.submission_id = submissions.id AND jobs.content_erased_at IS NULL)`,
      )
      .run(now).changes;
    return { jobs: ids.length, submissions };
  })();
}

import type { FC } from 'hono/jsx';
import type { Cause } from '../src/domain/attention/causes';
import type { DocumentDetail } from '../src/services/documents';
import type { AttemptOutcome } from '../src/store/job-attempts';
import { documentName, kindWords, StatusWord, When } from './documents';
import { CsrfField, Layout, Notice, type SignedIn } from './layout';
import { Utc } from './time';

/** Each history row's outcome in words. */
const OUTCOME_WORDS: Record<AttemptOutcome, string> = {
  delivered: 'Delivered',
  found: 'Found in Xero',
  refused: 'Refused by Xero',
  retry: 'Will try again',
  unknown: 'Outcome unknown; looked up before sending again',
  held: 'Held',
  dead: 'Gave up',
  cancelled: 'Cancelled',
  retried: 'Queued again',
};

const DONE_WORDS = {
  retried: 'The document is queued again and goes to Xero within a few seconds.',
  cancelled: 'The document is cancelled; it will not be sent to Xero.',
} as const;

export type DocumentDone = keyof typeof DONE_WORDS;

export interface DocumentPageProps {
  signedIn: SignedIn;
  now: Date;
  detail: DocumentDetail;
  done?: DocumentDone | undefined;
  /** A refused cancellation: the reason's problem, shown beside the field. */
  reasonError?: string | undefined;
}

const FIX_LINKS: Partial<Record<Cause['place'], { href: string; label: string }>> = {
  mappings: { href: '/mappings', label: 'Open the mappings' },
  organisations: { href: '/organisations', label: 'Open the organisations' },
  settings: { href: '/settings', label: 'Open the settings' },
};

/** A stored body as readable text: JSON indented, anything else as it came. */
function readable(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/** What is left of a document whose content was erased after the retention period, instead of an empty box. */
const Erased: FC<{ detail: DocumentDetail }> = ({ detail }) => (
  <>
    <p>
      Content erased after {detail.retentionDays} days, on <Utc at={detail.job.contentErasedAt} /> (<span class="mono">storage.retention_days</span>): what the app sent, the document as it went to Xero and
      Xero's answer. What happened to it is kept: its key, Xero's id and number, the times above and each attempt.
    </p>
    {detail.job.contentHash ? (
      <p class="help">
        Its content's SHA-256 is kept too, so the same document sent again is recognised: <span class="mono">{detail.job.contentHash}</span>
      </p>
    ) : null}
  </>
);

/** A file's size as a person reads it: 9.0 MB, 480 KB, 12 bytes. */
const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : bytes >= 1024 ? `${Math.round(bytes / 1024)} KB` : `${bytes} bytes`);

/** The files for a document (or an attachment's own file), each with what became of it. */
const Attachments: FC<{ detail: DocumentDetail }> = ({ detail }) => (
  <section class="card" aria-labelledby="doc-attachments">
    <h2 id="doc-attachments">{detail.job.kind === 'attachment' ? 'The file' : 'Attachments'}</h2>
    {detail.attachedTo ? (
      <p>
        For <a href={`/documents/${encodeURIComponent(detail.attachedTo.id)}`}>{detail.attachedTo.name}</a>
        {detail.job.status === 'delivered' ? '.' : '; it is sent once that document is in Xero.'}
      </p>
    ) : null}
    <div class="doc-table">
      <table>
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Type</th>
            <th scope="col">Size</th>
            <th scope="col">Shown on the online invoice</th>
            <th scope="col">Status</th>
            <th scope="col">What Xero or the proxy said</th>
          </tr>
        </thead>
        <tbody>
          {detail.attachments.map((file) => (
            <tr>
              <td>{detail.job.id === file.jobId ? file.fileName : <a href={`/documents/${encodeURIComponent(file.jobId)}`}>{file.fileName}</a>}</td>
              <td class="mono">{file.mimeType}</td>
              <td>
                {size(file.byteLength)}
                {file.contentErased ? <div class="help">content erased after {detail.retentionDays} days</div> : null}
              </td>
              <td>{file.includeOnline ? 'Yes' : 'No'}</td>
              <td>
                <StatusWord status={file.status} />
              </td>
              <td>{file.problem ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  </section>
);

/** `/documents/{jobId}`: one document, what became of it, each attempt, and what a person can do. */
export const DocumentPage: FC<DocumentPageProps> = ({ signedIn, now, detail, done, reasonError }) => {
  const { summary, job } = detail;
  const name = documentName(summary);
  const xeroWords = job.errors ?? (job.heldReason ? [job.heldReason] : job.lastError ? [job.lastError] : []);
  const fix = summary.cause ? FIX_LINKS[summary.cause.place] : undefined;
  return (
    <Layout title={`${kindWords(summary)} ${name}`} signedIn={signedIn} current="/documents">
      <p>
        <a href="/documents">Back to the documents</a>
      </p>
      <section class="card">
        <h1>
          {kindWords(summary)} {name}
        </h1>
        {done ? <Notice tone="success">{DONE_WORDS[done]}</Notice> : null}
        {summary.cause ? (
          <Notice tone={summary.cause.transient ? 'info' : 'warning'}>
            <strong>{summary.cause.title}.</strong> {summary.cause.fix} {fix ? <a href={fix.href}>{fix.label}</a> : null}
            {summary.cause.place === 'xero' && detail.xeroLink ? <a href={detail.xeroLink}>Open in Xero</a> : null}
          </Notice>
        ) : null}
        <dl class="facts">
          <dt>Status</dt>
          <dd>
            <StatusWord status={summary.status} />
            {job.status === 'queued' && job.lastError ? (
              <>
                {' '}
                — tried again <When at={job.notBefore} now={now} />
              </>
            ) : null}
          </dd>
          <dt>Organisation</dt>
          <dd>{summary.organisationName}</dd>
          <dt>Device</dt>
          <dd>
            {summary.deviceName}
            {summary.deviceName !== summary.deviceId ? <span class="mono"> ({summary.deviceId})</span> : null}
          </dd>
          {summary.documentId ? (
            <>
              <dt>App's document id</dt>
              <dd class="mono">{summary.documentId}</dd>
            </>
          ) : null}
          <dt>Received</dt>
          <dd>
            <When at={summary.createdAt} now={now} />
          </dd>
          <dt>Last change</dt>
          <dd>
            <When at={summary.updatedAt} now={now} />
          </dd>
          <dt>Attempts</dt>
          <dd>{summary.attempts}</dd>
          {/* A file carries no Reference at Xero; it is found by its name on its document. */}
          <dt>{summary.kind === 'attachment' ? "The proxy's key for it" : "Key in Xero's Reference"}</dt>
          <dd class="mono">{summary.documentKey}</dd>
          {summary.xeroNumber ? (
            <>
              <dt>Xero number</dt>
              <dd class="mono">{summary.xeroNumber}</dd>
            </>
          ) : null}
          {summary.xeroId ? (
            <>
              <dt>Xero id</dt>
              <dd class="mono">{summary.xeroId}</dd>
            </>
          ) : null}
          {job.cancelReason ? (
            <>
              <dt>Why it was cancelled</dt>
              <dd>{job.cancelReason}</dd>
            </>
          ) : null}
        </dl>
        {detail.xeroLink ? (
          <p>
            <a href={detail.xeroLink} rel="noopener noreferrer" target="_blank">
              Open in Xero{summary.kind === 'allocation' || detail.xeroLink.includes('ViewCreditNote') && summary.kind !== 'credit_note' ? ' (the credit note)' : summary.kind === 'payment' ? ' (the invoice it pays)' : ''}
              <span class="help"> (opens in a new tab)</span>
            </a>
          </p>
        ) : null}
        {xeroWords.length > 0 && job.status !== 'delivered' ? (
          <>
            <h2>What Xero or the proxy said</h2>
            <ul>
              {xeroWords.map((words) => (
                <li>{words}</li>
              ))}
            </ul>
          </>
        ) : null}
        {detail.canRetry || detail.canCancel ? (
          <div class="doc-actions">
            {detail.canRetry ? (
              <form method="post" action={`/documents/${encodeURIComponent(job.id)}/retry`}>
                <CsrfField token={signedIn.csrfToken} />
                <button type="submit" class="primary">
                  Retry now
                </button>
                <p class="help">Sends it again with a fresh count of attempts{job.outcomeUnknown ? ', after checking Xero does not have it already' : ''}.</p>
              </form>
            ) : null}
            {detail.canCancel ? (
              <form method="post" action={`/documents/${encodeURIComponent(job.id)}/cancel`} class="doc-cancel">
                <CsrfField token={signedIn.csrfToken} />
                <div class="field">
                  <label for="cancel-reason">Why cancel it?</label>
                  <p class="help" id="cancel-reason-help">
                    Required. It is kept with the document. A cancelled document is never sent to Xero.
                  </p>
                  {reasonError ? (
                    <p class="doc-field-error" id="cancel-reason-error">
                      {reasonError}
                    </p>
                  ) : null}
                  <input
                    type="text"
                    id="cancel-reason"
                    name="reason"
                    required
                    maxlength={500}
                    aria-describedby={reasonError ? 'cancel-reason-help cancel-reason-error' : 'cancel-reason-help'}
                    aria-invalid={reasonError ? 'true' : undefined}
                  />
                </div>
                <button type="submit" class="danger">
                  Cancel this document
                </button>
              </form>
            ) : null}
          </div>
        ) : null}
      </section>
      {detail.attachments.length > 0 ? <Attachments detail={detail} /> : null}
      <section class="card" aria-labelledby="doc-history">
        <h2 id="doc-history">History</h2>
        {detail.attempts.length === 0 ? (
          <p>Nothing has been sent to Xero yet.</p>
        ) : (
          <div class="doc-table">
            <table>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Xero's HTTP status</th>
                  <th scope="col">Xero's messages</th>
                  <th scope="col">Note</th>
                </tr>
              </thead>
              <tbody>
                {detail.attempts.map((attempt) => (
                  <tr>
                    <td>
                      <When at={attempt.attemptedAt} now={now} />
                    </td>
                    <td>{OUTCOME_WORDS[attempt.outcome]}</td>
                    <td class="mono">{attempt.httpStatus ?? '—'}</td>
                    <td>{attempt.messages.join(' ')}</td>
                    <td>{attempt.note ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section class="card" aria-labelledby="doc-sent">
        <h2 id="doc-sent">What the app sent</h2>
        {job.contentErasedAt ? (
          <Erased detail={detail} />
        ) : job.kind === 'attachment' ? (
          <p>The file itself is kept sealed (encrypted with the master key) until it is delivered and the retention period ends; it is not shown here.</p>
        ) : detail.sent ? (
          <>
            <p class="help">
              The whole request, received <When at={detail.sent.receivedAt} now={now} />
              {detail.sent.contentType ? ` as ${detail.sent.contentType}` : ''}; it may hold other documents too.
            </p>
            <pre class="doc-body" tabindex={0} aria-label="What the app sent">
              {readable(detail.sent.body)}
            </pre>
          </>
        ) : (
          <p>This document was received before the proxy kept requests, so only what goes to Xero is shown.</p>
        )}
        <h2>What goes to Xero</h2>
        {job.contentErasedAt ? (
          <p>Erased with the rest of its content.</p>
        ) : (
          <pre class="doc-body" tabindex={0} aria-label="What goes to Xero">
            {JSON.stringify(detail.toXero, null, 2)}
          </pre>
        )}
      </section>
    </Layout>
  );
};

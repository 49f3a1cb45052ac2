import type { FC } from 'hono/jsx';
import { Ago } from './time';
import type { Cause } from '../src/domain/attention/causes';
import type { DocumentFilter, DocumentList, DocumentSummary } from '../src/services/documents';
import type { JobKind, JobStatus } from '../src/store/jobs';
import { Layout, Notice, type SignedIn } from './layout';

/** A job's state in words; the colour beside it only repeats them. */
export const STATUS_WORDS: Record<JobStatus, string> = {
  queued: 'Queued',
  sending: 'Sending',
  delivered: 'Delivered',
  failed: 'Failed',
  held: 'Held',
  dead: 'Gave up',
  cancelled: 'Cancelled',
};

/** What a person calls a document of the list: its kind's words, or "Refund" for a payment of a credit note. */
export const kindWords = (doc: Pick<DocumentSummary, 'kind' | 'refund'>): string => (doc.refund ? 'Refund' : KIND_WORDS[doc.kind]);

export const KIND_WORDS: Record<JobKind, string> = { invoice: 'Invoice', payment: 'Payment', timesheet: 'Timesheet', credit_note: 'Credit note', allocation: 'Credit applied to an invoice', attachment: 'Attachment' };

/** The state as a word, marked for the stylesheet. */
export const StatusWord: FC<{ status: JobStatus }> = ({ status }) => <span class={`doc-status doc-status-${status}`}>{STATUS_WORDS[status]}</span>;

/** A time as "3 minutes ago", with the exact UTC time beside it and in `datetime`. */
export const When: FC<{ at: string; now: Date }> = ({ at, now }) => <Ago at={at} now={now} />;

/** How a person names a document: the app's Reference, its own id, or the proxy's key. */
export const documentName = (doc: Pick<DocumentSummary, 'reference' | 'documentId' | 'documentKey'>): string => doc.reference ?? doc.documentId ?? doc.documentKey;

export interface DocumentsPageProps {
  signedIn: SignedIn;
  now: Date;
  filter: DocumentFilter;
  /** `devices` undefined: too many to pick from, the device's id is typed. */
  choices: { organisations: ReadonlyArray<{ id: string; name: string }>; devices: ReadonlyArray<{ deviceId: string; name: string }> | undefined; causes: readonly Cause[] };
  list: DocumentList | undefined;
  /** A filter that could not be used, in words, and the field it concerns. */
  error?: { message: string; field: string | undefined } | undefined;
}

const STATUSES = Object.keys(STATUS_WORDS) as JobStatus[];
const KINDS = Object.keys(KIND_WORDS) as JobKind[];

/** The query string of the list with a filter, optionally from a page cursor. */
export function documentsHref(filter: DocumentFilter, after?: string): string {
  const params = new URLSearchParams();
  for (const key of ['q', 'status', 'cause', 'kind', 'organisation', 'device', 'from', 'to'] as const) {
    const value = filter[key];
    if (value) params.set(key, value);
  }
  if (after) params.set('after', after);
  const text = params.toString();
  return text ? `/documents?${text}` : '/documents';
}

const Select: FC<{ name: string; label: string; value: string | undefined; options: ReadonlyArray<{ value: string; label: string }> }> = ({ name, label, value, options }) => (
  <div class="field">
    <label for={`f-${name}`}>{label}</label>
    <select id={`f-${name}`} name={name}>
      <option value="">Any</option>
      {options.map((option) => (
        <option value={option.value} selected={option.value === value}>
          {option.label}
        </option>
      ))}
    </select>
  </div>
);

/** `/documents`: every document, newest first, filtered and searched, a page at a time. */
export const DocumentsPage: FC<DocumentsPageProps> = ({ signedIn, now, filter, choices, list, error }) => (
  <Layout title="Documents" signedIn={signedIn} current="/documents">
    <section class="card">
      <h1>Documents</h1>
      <p class="help">Every document your apps sent, newest first. Times are in UTC.</p>
      {error ? <Notice tone="error">{error.message}</Notice> : null}
      <form method="get" action="/documents" class="doc-filters" role="search" aria-label="Find documents">
        <div class="field doc-search">
          <label for="f-q">Search</label>
          <input type="text" id="f-q" name="q" value={filter.q ?? ''} aria-describedby="f-q-help" />
          <p class="help" id="f-q-help">
            A Reference, invoice number, the app's document or shift id, or Xero's id.
          </p>
        </div>
        <Select name="status" label="Status" value={filter.status} options={STATUSES.map((s) => ({ value: s, label: STATUS_WORDS[s] }))} />
        <Select name="cause" label="Cause" value={filter.cause} options={choices.causes.map((c) => ({ value: c.code, label: c.title }))} />
        <Select name="kind" label="Kind" value={filter.kind} options={KINDS.map((k) => ({ value: k, label: KIND_WORDS[k] }))} />
        <Select name="organisation" label="Organisation" value={filter.organisation} options={choices.organisations.map((o) => ({ value: o.id, label: o.name }))} />
        {choices.devices ? (
          <Select name="device" label="Device" value={filter.device} options={choices.devices.map((d) => ({ value: d.deviceId, label: `${d.name} (${d.deviceId})` }))} />
        ) : (
          <div class="field">
            <label for="f-device">Device ID</label>
            <input type="text" id="f-device" name="device" value={filter.device ?? ''} />
          </div>
        )}
        <div class="field">
          <label for="f-from">Received from (UTC)</label>
          <input type="date" id="f-from" name="from" value={filter.from ?? ''} />
        </div>
        <div class="field">
          <label for="f-to">Received to (UTC)</label>
          <input type="date" id="f-to" name="to" value={filter.to ?? ''} />
        </div>
        <div class="actions doc-filter-actions">
          <button type="submit" class="primary">
            Show documents
          </button>
          <a href="/documents">Clear filters</a>
        </div>
      </form>
    </section>
    {list ? (
      <section class="card" aria-labelledby="doc-results">
        <h2 id="doc-results">{list.total === 1 ? '1 document' : `${list.total} documents`}</h2>
        {list.documents.length === 0 ? (
          <p>No document matches. Try fewer filters.</p>
        ) : (
          <div class="doc-table">
            <table>
              <thead>
                <tr>
                  <th scope="col">Received</th>
                  <th scope="col">Document</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Organisation</th>
                  <th scope="col">Device</th>
                  <th scope="col">Status</th>
                  <th scope="col">Xero number</th>
                </tr>
              </thead>
              <tbody>
                {list.documents.map((doc) => (
                  <tr>
                    <td>
                      <When at={doc.createdAt} now={now} />
                    </td>
                    <td>
                      <a href={`/documents/${encodeURIComponent(doc.id)}`}>{documentName(doc)}</a>
                      {doc.documentId && doc.reference ? <div class="help mono">{doc.documentId}</div> : null}
                    </td>
                    <td>{kindWords(doc)}</td>
                    <td>{doc.organisationName}</td>
                    <td>
                      {doc.deviceName}
                      {doc.deviceName !== doc.deviceId ? <div class="help mono">{doc.deviceId}</div> : null}
                    </td>
                    <td>
                      <StatusWord status={doc.status} />
                      {doc.cause ? <div class="help">{doc.cause.title}</div> : null}
                    </td>
                    <td class="mono">{doc.xeroNumber ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {filter.after || list.next ? (
          <nav aria-label="Pages of documents" class="actions">
            {filter.after ? <a href={documentsHref(filter)}>Newest documents</a> : null}
            {list.next ? <a href={documentsHref(filter, list.next)}>Older documents</a> : null}
          </nav>
        ) : null}
      </section>
    ) : null}
  </Layout>
);

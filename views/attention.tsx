import type { FC } from 'hono/jsx';
import { Utc } from './time';
import { retriedText, type AttentionDocument, type AttentionGroup, type AttentionReport, type MappingProblemGroup } from '../src/services/attention';
import { CsrfField, Layout, Notice, type SignedIn } from './layout';

export interface AttentionPageProps {
  signedIn: SignedIn;
  report: AttentionReport;
  /** The outcome of **Retry all**, shown at the top. */
  retried?: { count: number; lookedUpFirst: number } | undefined;
}

const STATUS_TEXT: Record<AttentionDocument['status'], string> = {
  queued: 'Waiting to be sent again',
  sending: 'Being sent',
  delivered: 'Delivered',
  failed: 'Refused by Xero',
  held: 'Held',
  dead: 'Stopped trying',
  cancelled: 'Cancelled',
};

const KIND_TEXT: Record<AttentionDocument['kind'], string> = { invoice: 'Invoice', payment: 'Payment', timesheet: 'Timesheet', credit_note: 'Credit note', allocation: 'Credit applied to an invoice', attachment: 'Attachment' };

const documents = (count: number) => `${count} document${count === 1 ? '' : 's'}`;

/** The button or link that puts the cause right, where the console has one. */
const FixAction: FC<{ group: AttentionGroup; signedIn: SignedIn }> = ({ group, signedIn }) => {
  const organisation = encodeURIComponent(group.organisationId);
  switch (group.place) {
    case 'mappings':
      return <a href={`/mappings?organisation=${organisation}`}>{group.cause === 'mapping_missing' ? 'Add the mappings' : 'Change the mapping'}</a>;
    case 'organisations':
      if (group.cause === 'relink_needed') {
        return (
          <form method="post" action="/connect/link">
            <CsrfField token={signedIn.csrfToken} />
            <button type="submit" class="primary">{`Link ${group.organisationName} again`}</button>
          </form>
        );
      }
      return <a href="/organisations">{`See ${group.organisationName} on the organisations page`}</a>;
    case 'settings':
      return <a href="/settings">Check this computer's clock on the settings page</a>;
    case 'xero':
      return (
        <a href="https://go.xero.com/" rel="noopener noreferrer">
          Open Xero
        </a>
      );
    case 'document':
    case 'wait':
      return null;
  }
};

const RetryAll: FC<{ group: AttentionGroup; signedIn: SignedIn }> = ({ group, signedIn }) => (
  <form method="post" action="/attention/retry">
    <CsrfField token={signedIn.csrfToken} />
    <input type="hidden" name="organisation" value={group.organisationId} />
    <input type="hidden" name="cause" value={group.cause} />
    <button type="submit" class={group.place === 'document' || group.place === 'wait' ? 'primary' : undefined}>
      Retry all<span class="visually-hidden">{` (${documents(group.count)}: ${group.title}, ${group.organisationName})`}</span>
    </button>
  </form>
);

const DocumentTable: FC<{ group: AttentionGroup; caption: string }> = ({ group, caption }) => (
  <table class="attention-documents">
    <caption class="visually-hidden">{caption}</caption>
    <thead>
      <tr>
        <th scope="col">Document</th>
        <th scope="col">Kind</th>
        <th scope="col">Device</th>
        <th scope="col">State</th>
        <th scope="col">Last change</th>
        <th scope="col">In Xero</th>
      </tr>
    </thead>
    <tbody>
      {group.documents.map((doc) => (
        <tr>
          <td>
            <a href={`/documents/${encodeURIComponent(doc.jobId)}`}>{doc.label}</a>
            {doc.label !== doc.documentKey ? <span class="help mono"> {doc.documentKey}</span> : null}
          </td>
          <td>{KIND_TEXT[doc.kind]}</td>
          <td>{doc.deviceName}</td>
          <td>{STATUS_TEXT[doc.status]}</td>
          <td>
            <Utc at={doc.updatedAt} />
          </td>
          <td>
            {doc.xeroUrl ? (
              <a href={doc.xeroUrl} rel="noopener noreferrer">
                Open in Xero<span class="visually-hidden">{`: ${doc.label}`}</span>
              </a>
            ) : (
              <span class="help">Not in Xero</span>
            )}
          </td>
        </tr>
      ))}
    </tbody>
  </table>
);

const Group: FC<{ group: AttentionGroup; signedIn: SignedIn; index: number }> = ({ group, signedIn, index }) => {
  const id = `cause-${index}`;
  return (
    <section class="card attention-group" aria-labelledby={id} data-cause={group.cause} data-organisation={group.organisationId}>
      <h2 id={id}>
        {group.title}
        <span class="attention-org">{` — ${group.organisationName}`}</span>
      </h2>
      <p class="attention-what">{group.sentence}</p>
      <p>
        <strong>What to do: </strong>
        {group.fix}
      </p>
      {group.goesByItself ? (
        <p class="attention-tag">Goes by itself: nothing to do unless it lasts.</p>
      ) : (
        <div class="actions">
          <FixAction group={group} signedIn={signedIn} />
          {group.canRetry ? <RetryAll group={group} signedIn={signedIn} /> : null}
        </div>
      )}
      <DocumentTable group={group} caption={`Documents: ${group.title}, ${group.organisationName}`} />
    </section>
  );
};

/** Mappings the daily check found pointing at targets Xero no longer offers: put right before a document fails on them. */
const MappingProblems: FC<{ group: MappingProblemGroup; index: number }> = ({ group, index }) => {
  const id = `mapping-problems-${index}`;
  const count = group.problems.length;
  return (
    <section class="card attention-group" aria-labelledby={id} data-cause="mapping_target_archived" data-organisation={group.organisationId}>
      <h2 id={id}>
        {count === 1 ? 'A mapping points at something archived or deleted in Xero' : 'Mappings point at things archived or deleted in Xero'}
        <span class="attention-org">{` — ${group.organisationName}`}</span>
      </h2>
      <p class="attention-what">
        {`The daily check of ${group.organisationName}'s mappings (`}
        <Utc at={group.foundAt} />
        {`) found ${count === 1 ? 'a mapping' : `${count} mappings`} that Xero would refuse. No document has failed on ${count === 1 ? 'it' : 'them'} yet:`}
      </p>
      <ul>
        {group.problems.map((text) => (
          <li>{text}</li>
        ))}
      </ul>
      <p>
        <strong>What to do: </strong>
        Map each name to an active account, tax rate, employee or earnings rate on the mappings page, or restore it in Xero. A mapping saved again leaves this list at once; one restored in Xero at the next check (or run <code>xero-proxy org check</code>).
      </p>
      <div class="actions">
        <a href={`/mappings?organisation=${encodeURIComponent(group.organisationId)}`}>Change the mappings</a>
      </div>
    </section>
  );
};

/** `/attention`: every document that did not reach Xero, grouped by why, each group with its fix. */
export const AttentionPage: FC<AttentionPageProps> = ({ signedIn, report, retried }) => (
  <Layout title="Needs attention" signedIn={signedIn} current="/attention">
    <section class="card">
      <h1>Needs attention</h1>
      {retried ? <Notice tone="success">{retriedText(retried.count, retried.lookedUpFirst)}</Notice> : null}
      {report.needsPerson.length === 0 && report.mappingProblems.length === 0 ? (
        <p class="attention-clear">Nothing needs attention: every document has reached Xero or is on its way.</p>
      ) : (
        <p>
          {`${documents(report.total)} ${report.total === 1 ? 'needs' : 'need'} a person. Each group below says what happened and what to do; once it is put right, `}
          <strong>Retry all</strong> sends that group's documents again.
        </p>
      )}
    </section>
    {report.needsPerson.map((group, index) => (
      <Group group={group} signedIn={signedIn} index={index} />
    ))}
    {report.mappingProblems.map((group, index) => (
      <MappingProblems group={group} index={index} />
    ))}
    {report.goesByItself.length > 0 ? (
      <>
        <h2 class="attention-section">Waiting, and will go by themselves</h2>
        {report.goesByItself.map((group, index) => (
          <Group group={group} signedIn={signedIn} index={report.needsPerson.length + index} />
        ))}
      </>
    ) : null}
  </Layout>
);

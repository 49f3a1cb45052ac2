import type { FC } from 'hono/jsx';
import type { ReconciliationReport, RunView } from '../src/services/reconciliation-report';
import { CsrfField, Layout, Notice, type SignedIn } from './layout';
import { utcText } from './time';

export interface ReconciliationPageProps {
  signedIn: SignedIn;
  report: ReconciliationReport;
  /** The organisation the page is narrowed to, if any. */
  organisationId?: string | undefined;
  /** The run just made (**Compare with Xero**) or just marked dealt with, shown at the top. */
  outcome?: { kind: 'ran' | 'reviewed'; run: RunView } | undefined;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** One run in a sentence: what was compared, and what came of it. */
export function runSummary(run: RunView): string {
  const compared = `${plural(run.checked, 'delivered document')} compared with Xero, ${plural(run.calls, 'Xero call')}`;
  if (run.state === 'failed') return `Xero could not be read, so nothing was compared (${plural(run.calls, 'Xero call')}): ${run.error}`;
  if (run.state === 'clean') return `Nothing found: Xero holds every document as the proxy delivered it (${compared}).`;
  return `${plural(run.findings.length, 'document')} ${run.findings.length === 1 ? 'is' : 'are'} no longer in Xero as the proxy delivered ${run.findings.length === 1 ? 'it' : 'them'} (${compared}).`;
}

const Outcome: FC<{ outcome: NonNullable<ReconciliationPageProps['outcome']> }> = ({ outcome }) => {
  const { run } = outcome;
  if (outcome.kind === 'reviewed') return <Notice tone="success">{`${run.organisationName}, ${run.day}: marked dealt with. Its alert stops.`}</Notice>;
  return <Notice tone={run.state === 'clean' ? 'success' : run.state === 'found' ? 'warning' : 'error'}>{`${run.organisationName}, ${run.day}: ${runSummary(run)}`}</Notice>;
};

const Run: FC<{ run: RunView; signedIn: SignedIn }> = ({ run, signedIn }) => {
  const id = `run-${run.id}`;
  return (
    <section class="card" aria-labelledby={id} data-state={run.state}>
      <h2 id={id}>{`${run.organisationName} — deliveries of ${run.day}`}</h2>
      <p>{runSummary(run)}</p>
      <p class="help">{`Compared ${utcText(run.finishedAt)}, ${run.trigger === 'schedule' ? 'by the nightly schedule' : run.trigger === 'cli' ? 'with xero-proxy reconcile' : 'from this page'}.`}</p>
      {run.findings.length > 0 ? (
        <ul class="banner-list">
          {run.findings.map((finding) => (
            <li>
              <p>{finding.words.sentence}</p>
              <p>
                <strong>What to do: </strong>
                {finding.words.action}
              </p>
              <p>
                <a href={`/documents/${encodeURIComponent(finding.jobId)}`}>
                  See the document<span class="visually-hidden">{` for ${finding.words.subject}`}</span>
                </a>
              </p>
            </li>
          ))}
        </ul>
      ) : null}
      {run.state === 'found' && run.reviewedAt === null ? (
        <form method="post" action={`/reconciliation/${encodeURIComponent(run.id)}/review`}>
          <CsrfField token={signedIn.csrfToken} />
          <button type="submit">
            Mark as dealt with<span class="visually-hidden">{` (${run.organisationName}, ${run.day})`}</span>
          </button>
        </form>
      ) : null}
      {run.reviewedAt !== null ? <p class="help">{`Marked dealt with by ${run.reviewedBy ?? 'someone'} on ${utcText(run.reviewedAt)}.`}</p> : null}
    </section>
  );
};

/** `/reconciliation`: what each day's comparison with Xero found, in plain words with what to do, and a form to compare a day now. */
export const ReconciliationPage: FC<ReconciliationPageProps> = ({ signedIn, report, organisationId, outcome }) => (
  <Layout title="Reconciliation" signedIn={signedIn} current="/reconciliation">
    <h1>Reconciliation</h1>
    {outcome ? <Outcome outcome={outcome} /> : null}
    <section class="card" aria-labelledby="compare-now">
      <h2 id="compare-now">Compare a day with Xero now</h2>
      <p class="help">
        Every night the proxy compares what it delivered the day before (a UTC day) with what Xero holds, and raises an alert when an invoice or payment was voided, deleted or changed in Xero afterwards, or is missing. Each comparison costs a Xero call or two, counted in the
        organisation's day.
      </p>
      {report.organisations.length === 0 ? (
        <p>No organisation is linked, so there is nothing to compare.</p>
      ) : (
        <form method="post" action="/reconciliation/run">
          <CsrfField token={signedIn.csrfToken} />
          <div class="field">
            <label for="reconcile-organisation">Organisation</label>
            <select id="reconcile-organisation" name="organisation">
              {report.organisations.map((org) => (
                <option value={org.id} selected={org.id === organisationId}>
                  {org.name}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="reconcile-date">Day of delivery (UTC)</label>
            <input type="date" id="reconcile-date" name="date" value={report.yesterday} required />
          </div>
          <button type="submit" class="primary">
            Compare with Xero
          </button>
        </form>
      )}
    </section>
    {report.runs.length === 0 ? <p>No day has been compared with Xero in the last two weeks.</p> : report.runs.map((run) => <Run run={run} signedIn={signedIn} />)}
  </Layout>
);

import type { FC } from 'hono/jsx';
import { AUDIT_ACTIONS, changeLines, type AuditPage } from '../src/services/audit';
import { Layout, Notice, type SignedIn } from './layout';
import { Ago } from './time';

/** The filters of the log as the page was asked for them. */
export interface AuditFilter {
  actor?: string;
  action?: string;
  since?: string;
}

export interface AuditLogPageProps {
  signedIn: SignedIn;
  now: Date;
  filter: AuditFilter;
  log: AuditPage | undefined;
  actors: readonly string[];
  error?: string | undefined;
}

/** The link to the log with `filter`, from the record before `before`. */
export function auditHref(filter: AuditFilter, before?: number): string {
  const params = new URLSearchParams(Object.entries(filter).filter(([, value]) => value));
  if (before !== undefined) params.set('before', String(before));
  const text = params.toString();
  return text ? `/settings/audit?${text}` : '/settings/audit';
}

const ACTIONS = Object.entries(AUDIT_ACTIONS) as Array<[string, string]>;

/** `/settings/audit`: every change made on the pages or the command line, newest first, a page at a time. */
export const AuditLogPage: FC<AuditLogPageProps> = ({ signedIn, now, filter, log, actors, error }) => (
  <Layout title="Audit log" signedIn={signedIn} current="/settings">
    <section class="card">
      <h1>Audit log</h1>
      <p class="help">
        Every change made on these pages or with <span class="mono">xero-proxy</span> on the server (<span class="mono">xero-proxy audit list</span> prints the same), newest first: who made it (an administrator, or
        <span class="mono"> cli:</span> and the computer's user), when, from which address, and what changed. Secrets are never recorded. Entries are never changed or deleted. Times are in UTC.
      </p>
      <p>
        <a href="/settings">Back to the settings</a>
      </p>
      {error ? <Notice tone="error">{error}</Notice> : null}
      <form method="get" action="/settings/audit" class="doc-filters" role="search" aria-label="Filter the audit log">
        <div class="field">
          <label for="f-actor">Who</label>
          <select id="f-actor" name="actor">
            <option value="">Anyone</option>
            {actors.map((actor) => (
              <option value={actor} selected={actor === filter.actor}>
                {actor}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-action">What</label>
          <select id="f-action" name="action">
            <option value="">Anything</option>
            {ACTIONS.map(([action, words]) => (
              <option value={action} selected={action === filter.action}>
                {words}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-since">Since</label>
          <input type="text" id="f-since" name="since" value={filter.since ?? ''} aria-describedby="f-since-help" />
          <p class="help" id="f-since-help">
            A time (2026-11-28T09:00:00Z) or how long back (12h, 7d).
          </p>
        </div>
        <div class="doc-filter-actions">
          <button type="submit">Show</button>
        </div>
      </form>
    </section>
    {log ? (
      <section class="card" aria-labelledby="entries-heading">
        <h2 id="entries-heading">{log.entries.length === 0 ? 'Nothing recorded' : 'Changes'}</h2>
        {log.entries.length === 0 ? (
          <p>No change matches these filters.</p>
        ) : (
          <table class="doc-table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">From</th>
                <th scope="col">What</th>
                <th scope="col">Changes</th>
              </tr>
            </thead>
            <tbody>
              {log.entries.map((entry) => (
                <tr>
                  <td>
                    <Ago at={entry.at} now={now} />
                  </td>
                  <td class="mono">{entry.actor}</td>
                  <td class="mono">{entry.source}</td>
                  <td>
                    {entry.description}
                    {entry.subject ? <>: <strong>{entry.subject}</strong></> : null}
                    <br />
                    <span class="help mono">{entry.action}</span>
                  </td>
                  <td class="audit-changes">
                    {changeLines(entry.changes).map((line) => (
                      <div>{line}</div>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {log.next !== null ? (
          <p>
            <a href={auditHref(filter, log.next)}>Older changes</a>
          </p>
        ) : null}
      </section>
    ) : null}
  </Layout>
);

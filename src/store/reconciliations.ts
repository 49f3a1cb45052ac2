import type { DeliveredDocument, Finding } from '../domain/reconcile/compare';
import type { Db } from './db';

export type { DeliveredDocument, Finding };

export type RunState = 'clean' | 'found' | 'failed';
export type RunTrigger = 'schedule' | 'console' | 'cli';

/** One organisation's reconciliation of one UTC day of deliveries. */
export interface ReconciliationRun {
  id: string;
  organisationId: string;
  /** `2026-11-28`: the UTC day whose deliveries were compared. */
  day: string;
  state: RunState;
  /** Delivered documents compared. */
  checked: number;
  /** Calls to Xero the run made. */
  calls: number;
  error: string | null;
  trigger: RunTrigger;
  startedAt: string;
  finishedAt: string;
  /** When and by whom its findings were marked dealt with; null until then. */
  reviewedAt: string | null;
  reviewedBy: string | null;
  findings: Finding[];
}

interface RunRow {
  id: string;
  organisation_id: string;
  day: string;
  state: RunState;
  checked: number;
  calls: number;
  error: string | null;
  trigger: RunTrigger;
  started_at: string;
  finished_at: string;
  reviewed_at: string | null;
  reviewed_by: string | null;
}

interface FindingRow {
  job_id: string;
  kind: string;
  finding: Finding['finding'];
  xero_id: string | null;
  xero_number: string | null;
  expected: number | null;
  actual: number | null;
  xero_updated_at: string | null;
}

const toFinding = (row: FindingRow): Finding => ({ jobId: row.job_id, kind: row.kind, finding: row.finding, xeroId: row.xero_id, xeroNumber: row.xero_number, expected: row.expected, actual: row.actual, xeroUpdatedAt: row.xero_updated_at });

function toRun(db: Db, row: RunRow): ReconciliationRun {
  const findings = (db.prepare('SELECT * FROM reconciliation_findings WHERE run_id = ? ORDER BY rowid').all(row.id) as FindingRow[]).map(toFinding);
  return { id: row.id, organisationId: row.organisation_id, day: row.day, state: row.state, checked: row.checked, calls: row.calls, error: row.error, trigger: row.trigger, startedAt: row.started_at, finishedAt: row.finished_at, reviewedAt: row.reviewed_at, reviewedBy: row.reviewed_by, findings };
}

const DELIVERED_COLUMNS = `SELECT j.id, j.kind, j.document_key, j.document_id, json_extract(j.source, '$.endpoint') AS endpoint, d.name AS device_name,
         j.xero_id, j.xero_number, j.created_at, j.delivered_at, j.payload, j.result
  FROM jobs j JOIN devices d ON d.id = j.device_id`;

interface DeliveredRow {
  id: string;
  kind: string;
  document_key: string;
  document_id: string | null;
  endpoint: unknown;
  device_name: string;
  xero_id: string | null;
  xero_number: string | null;
  created_at: string;
  delivered_at: string;
  payload: string;
  result: string | null;
}

const toDelivered = (row: DeliveredRow): DeliveredDocument => ({
  jobId: row.id,
  kind: row.kind,
  documentKey: row.document_key,
  documentId: row.document_id,
  endpoint: typeof row.endpoint === 'string' ? row.endpoint : null,
  deviceName: row.device_name,
  xeroId: row.xero_id,
  xeroNumber: row.xero_number,
  createdAt: row.created_at,
  deliveredAt: row.delivered_at,
  payload: JSON.parse(row.payload) as Record<string, unknown>,
  result: row.result === null ? null : (JSON.parse(row.result) as Record<string, unknown>),
});

/** The documents of `kinds` an organisation had delivered during a UTC day, in delivery order. */
export function deliveredOnDay(db: Db, organisationId: string, day: string, kinds: readonly string[]): DeliveredDocument[] {
  if (kinds.length === 0) return [];
  const rows = db
    .prepare(
      `${DELIVERED_COLUMNS}
       WHERE j.organisation_id = ? AND j.status = 'delivered' AND j.delivered_at >= ? AND j.delivered_at < ? AND j.kind IN (${kinds.map(() => '?').join(', ')})
       ORDER BY j.delivered_at, j.rowid`,
    )
    .all(organisationId, `${day}T00:00:00.000Z`, nextDay(day), ...kinds) as DeliveredRow[];
  return rows.map(toDelivered);
}

/** One delivered document by its job id (for a finding's words), if it is still delivered. */
export function findDeliveredDocument(db: Db, jobId: string): DeliveredDocument | undefined {
  const row = db.prepare(`${DELIVERED_COLUMNS} WHERE j.id = ?`).get(jobId) as DeliveredRow | undefined;
  return row && row.delivered_at ? toDelivered(row) : undefined;
}

/** Stores a run with its findings in one transaction, replacing an earlier run of the same organisation and day. */
export function saveRun(db: Db, run: ReconciliationRun): void {
  db.transaction(() => {
    const earlier = db.prepare('SELECT id FROM reconciliation_runs WHERE organisation_id = ? AND day = ?').pluck().get(run.organisationId, run.day) as string | undefined;
    if (earlier) {
      db.prepare('DELETE FROM reconciliation_findings WHERE run_id = ?').run(earlier);
      db.prepare('DELETE FROM reconciliation_runs WHERE id = ?').run(earlier);
    }
    db.prepare(
      `INSERT INTO reconciliation_runs (id, organisation_id, day, state, checked, calls, error, trigger, started_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(run.id, run.organisationId, run.day, run.state, run.checked, run.calls, run.error, run.trigger, run.startedAt, run.finishedAt);
    const insert = db.prepare(
      `INSERT INTO reconciliation_findings (run_id, job_id, kind, finding, xero_id, xero_number, expected, actual, xero_updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const f of run.findings) insert.run(run.id, f.jobId, f.kind, f.finding, f.xeroId, f.xeroNumber, f.expected, f.actual, f.xeroUpdatedAt);
  })();
}

/** An organisation's run for a day, if there is one. */
export function findRun(db: Db, organisationId: string, day: string): ReconciliationRun | undefined {
  const row = db.prepare('SELECT * FROM reconciliation_runs WHERE organisation_id = ? AND day = ?').get(organisationId, day) as RunRow | undefined;
  return row ? toRun(db, row) : undefined;
}

/** Runs from `fromDay` (inclusive), newest day first, of one organisation or all. */
export function runsSince(db: Db, fromDay: string, organisationId?: string): ReconciliationRun[] {
  const rows = db
    .prepare('SELECT * FROM reconciliation_runs WHERE day >= ? AND (? IS NULL OR organisation_id = ?) ORDER BY day DESC, organisation_id')
    .all(fromDay, organisationId ?? null, organisationId ?? null) as RunRow[];
  return rows.map((row) => toRun(db, row));
}

/** One run by id, if there is one. */
export function findRunById(db: Db, id: string): ReconciliationRun | undefined {
  const row = db.prepare('SELECT * FROM reconciliation_runs WHERE id = ?').get(id) as RunRow | undefined;
  return row ? toRun(db, row) : undefined;
}

/** Marks a run's findings dealt with; false when there is no such run or it was marked already. */
export function markRunReviewed(db: Db, id: string, at: string, by: string): boolean {
  return db.prepare('UPDATE reconciliation_runs SET reviewed_at = ?, reviewed_by = ? WHERE id = ? AND reviewed_at IS NULL').run(at, by, id).changes === 1;
}

/** The UTC day after `day`, as the ISO instant it starts. */
function nextDay(day: string): string {
  const next = new Date(`${day}T00:00:00.000Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString();
}

import type { Clock } from '../lib/clock';
import type { Db } from './db';

/** What a mapping points at in Xero. */
export type { TargetKind } from '../domain/mapping-targets';
import type { TargetKind, TargetProblem } from '../domain/mapping-targets';

/** A mapping problem as the last check of its organisation found and stored it. */
export interface MappingProblem extends TargetProblem {
  organisationId: string;
  foundAt: string;
}

interface ProblemRow {
  organisation_id: string;
  kind: string;
  source: string;
  target_kind: TargetKind;
  target: string;
  problem: 'archived' | 'missing';
  target_name: string | null;
  found_at: string;
}

/** Replaces what the last check found for an organisation with what this one found. */
export function saveMappingProblems(db: Db, clock: Clock, organisationId: string, problems: readonly TargetProblem[]): void {
  const now = clock.now().toISOString();
  db.transaction(() => {
    db.prepare('DELETE FROM mapping_problems WHERE organisation_id = ?').run(organisationId);
    const insert = db.prepare('INSERT OR REPLACE INTO mapping_problems (organisation_id, kind, source, target_kind, target, problem, target_name, found_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    for (const p of problems) insert.run(organisationId, p.kind, p.source, p.targetKind, p.target, p.problem, p.targetName, now);
  })();
}

/**
 * The problems the last check found that still hold: a mapping changed since then (saved
 * against Xero's live data) is no longer listed.
 */
export function listMappingProblems(db: Db, organisationId?: string): MappingProblem[] {
  const rows = db
    .prepare(
      `SELECT p.* FROM mapping_problems p JOIN mappings m ON m.organisation_id = p.organisation_id AND m.kind = p.kind AND m.source = p.source
       WHERE m.updated_at <= p.found_at AND (? IS NULL OR p.organisation_id = ?) ORDER BY p.organisation_id, p.kind, p.source`,
    )
    .all(organisationId ?? null, organisationId ?? null) as ProblemRow[];
  return rows.map((row) => ({
    organisationId: row.organisation_id,
    kind: row.kind,
    source: row.source,
    targetKind: row.target_kind,
    target: row.target,
    problem: row.problem,
    targetName: row.target_name,
    foundAt: row.found_at,
  }));
}

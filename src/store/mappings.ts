import type { ShiftMappings } from '../domain/documents';
import type { PayrollMappings } from '../domain/documents';
import type { WageMappings } from '../domain/documents';
import type { Clock } from '../lib/clock';
import type { Db } from './db';

export type MappingKind = 'category' | 'tender' | 'staff' | 'earnings' | 'setting' | 'payer';

/** One mapping: an app's name for something → where it goes in the organisation's Xero. */
export interface Mapping {
  kind: MappingKind;
  source: string;
  target: Record<string, string>;
  updatedAt: string;
}

export function setMapping(db: Db, clock: Clock, organisationId: string, mapping: Omit<Mapping, 'updatedAt'>): void {
  db.prepare(
    `INSERT INTO mappings (organisation_id, kind, source, target, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(organisation_id, kind, source) DO UPDATE SET target = excluded.target, updated_at = excluded.updated_at`,
  ).run(organisationId, mapping.kind, mapping.source, JSON.stringify(mapping.target), clock.now().toISOString());
}

/** Removes one mapping; false when there was none. */
export function deleteMapping(db: Db, organisationId: string, kind: MappingKind, source: string): boolean {
  return db.prepare('DELETE FROM mappings WHERE organisation_id = ? AND kind = ? AND source = ?').run(organisationId, kind, source).changes === 1;
}

export function listMappings(db: Db, organisationId: string): Mapping[] {
  const rows = db.prepare('SELECT kind, source, target, updated_at FROM mappings WHERE organisation_id = ? ORDER BY kind, source').all(organisationId) as Array<{
    kind: MappingKind;
    source: string;
    target: string;
    updated_at: string;
  }>;
  return rows.map((row) => ({ kind: row.kind, source: row.source, target: JSON.parse(row.target) as Record<string, string>, updatedAt: row.updated_at }));
}

function byKind(mappings: readonly Mapping[], kind: MappingKind): Map<string, Record<string, string>> {
  return new Map(mappings.filter((m) => m.kind === kind).map((m) => [m.source, m.target]));
}

/** Where a till's takings go, as the shift transform wants it. */
export function shiftMappingsOf(db: Db, organisationId: string): ShiftMappings {
  const all = listMappings(db, organisationId);
  const settings = byKind(all, 'setting');
  const optional = (name: string, field: string) => settings.get(name)?.[field];
  const result: ShiftMappings = {
    categories: Object.fromEntries([...byKind(all, 'category')].map(([name, t]) => [name, { accountCode: t['accountCode']!, taxType: t['taxType']! }])),
    tenders: Object.fromEntries([...byKind(all, 'tender')].map(([name, t]) => [name, { accountCode: t['accountCode']! }])),
    payers: Object.fromEntries([...byKind(all, 'payer')].map(([name, t]) => [name, { accountCode: t['accountCode']! }])),
  };
  const rounding = optional('rounding', 'accountCode');
  const discrepancy = optional('discrepancy', 'accountCode');
  const fees = optional('fees', 'accountCode');
  const noTax = optional('no-tax', 'taxType');
  const settingAccounts = Object.fromEntries((['suspense', 'tips', 'gift-cards', 'gift-card-redemptions'] as const).flatMap((name) => (optional(name, 'accountCode') ? [[name, optional(name, 'accountCode')!]] : [])));
  return {
    ...result,
    ...(Object.keys(settingAccounts).length > 0 ? { settingAccounts } : {}),
    ...(rounding ? { roundingAccountCode: rounding } : {}),
    ...(discrepancy ? { discrepancyAccountCode: discrepancy } : {}),
    ...(fees ? { feeAccountCode: fees } : {}),
    ...(noTax ? { noTaxType: noTax } : {}),
  };
}

/** Third-party payer (as the app names it: "Medicare", "DVA", "HCF") → the clearing account its payments go into. */
export function payerMappingsOf(db: Db, organisationId: string): Readonly<Record<string, { accountCode: string }>> {
  return Object.fromEntries([...byKind(listMappings(db, organisationId), 'payer')].map(([name, t]) => [name, { accountCode: t['accountCode']! }]));
}

/** Staff numbers and earnings types → Xero's ids, for timesheets. */
export function payrollMappingsOf(db: Db, organisationId: string): PayrollMappings {
  const all = listMappings(db, organisationId);
  return {
    staff: Object.fromEntries([...byKind(all, 'staff')].map(([number, t]) => [number, t['employeeId']!])),
    earnings: Object.fromEntries([...byKind(all, 'earnings')].map(([type, t]) => [type, t['earningsRateId']!])),
  };
}

/** The wages account, for wage bills. */
export function wageMappingsOf(db: Db, organisationId: string): WageMappings {
  const wages = byKind(listMappings(db, organisationId), 'setting').get('wages')?.['accountCode'];
  return wages ? { wagesAccountCode: wages } : {};
}

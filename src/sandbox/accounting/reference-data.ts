import type { Db } from '../../store/db';
import { findDocument, findDocumentsByNumber, listDocuments } from '../store/documents';
import type { Account, Item, TaxRate, TrackingCategory } from './model';

/**
 * Lookups over an organisation's settings documents (chart of accounts, tax rates, items,
 * tracking categories), as invoice and payment validation needs them.
 */
export function findAccountByCode(db: Db, organisationId: string, code: string): Account | undefined {
  return findDocumentsByNumber<Account>(db, organisationId, 'Account', code)[0] ?? listDocuments<Account>(db, organisationId, 'Account').find((a) => a.Code.toLowerCase() === code.toLowerCase());
}

export function findAccountById(db: Db, organisationId: string, id: string): Account | undefined {
  return findDocument<Account>(db, organisationId, 'Account', id);
}

/** Tax rates are keyed by their TaxType code (`OUTPUT`, `INPUT2`, `TAX001`…). */
export function findTaxRate(db: Db, organisationId: string, taxType: string): TaxRate | undefined {
  return findDocument<TaxRate>(db, organisationId, 'TaxRate', taxType);
}

export function findItemByCode(db: Db, organisationId: string, code: string): Item | undefined {
  return findDocumentsByNumber<Item>(db, organisationId, 'Item', code)[0];
}

export function listTrackingCategories(db: Db, organisationId: string): TrackingCategory[] {
  return listDocuments<TrackingCategory>(db, organisationId, 'TrackingCategory');
}

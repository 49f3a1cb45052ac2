import type { Db } from '../../store/db';
import { updateDocument } from '../store/documents';
import { storedTimestamp } from '../store/stored-dates';
import type { Outcome } from './batch';
import type { Account } from './model';
import type { InvoiceContext } from './validate-invoice';
import { text } from './values';

/** Xero's answer when one request changes an account's Status and its details (recorded in xeroizer #324). */
export const DETAILS_AND_STATUS = 'Cannot update account details and STATUS on the same request';

/**
 * Xero's settings screens offer no archive for system accounts (Accounts Receivable, GST…), so
 * the API is taken to refuse it too; the wording is UNVERIFIED.
 */
export const SYSTEM_ACCOUNT_NOT_ARCHIVABLE = 'System accounts cannot be archived.';

/** Why Xero would not archive `account`, or undefined. */
export function archiveRefusal(account: Account): string | undefined {
  return account.SystemAccount ? SYSTEM_ACCOUNT_NOT_ARCHIVABLE : undefined;
}

/** Archives or restores an account, stamping UpdatedDateUTC so If-Modified-Since sees the change. */
export function setAccountStatus(db: Db, organisationId: string, account: Account, status: Account['Status'], now: Date): Account {
  const changed: Account = { ...account, Status: status, UpdatedDateUTC: storedTimestamp(now) };
  updateDocument(db, organisationId, 'Account', { id: account.AccountID, number: account.Code, reference: account.Name }, changed, now.toISOString());
  return changed;
}

/** Fields an update body may carry without their being "details": its own identity. */
const IDENTITY = new Set(['AccountID']);

/**
 * POST /Accounts/{AccountID}: Status ARCHIVED archives, ACTIVE restores. Xero refuses a Status
 * sent together with any other field. Other changes (name, code, tax type…) are not modelled
 * and are refused as such rather than silently dropped.
 * @see https://developer.xero.com/documentation/api/accounting/accounts (Status: "Accounts with a status of ACTIVE can be updated to ARCHIVED")
 */
export function updateAccount(context: InvoiceContext, account: Account, input: Record<string, unknown>): Outcome {
  const echo = { ...account, ...input } as Record<string, unknown>;
  const refuse = (message: string): Outcome => ({ ok: false, echo, errors: [message] });
  const status = text(input['Status'])?.toUpperCase();
  const details = Object.keys(input).filter((key) => key !== 'Status' && !IDENTITY.has(key));
  if (status === undefined) return refuse("Only an account's Status can be updated in the sandbox; changing its details is not modelled.");
  if (details.length > 0) return refuse(DETAILS_AND_STATUS);
  if (status !== 'ACTIVE' && status !== 'ARCHIVED') return refuse(`An account's Status can be updated to ACTIVE or ARCHIVED, not '${text(input['Status'])}'.`);
  if (status === 'ARCHIVED') {
    const refusal = archiveRefusal(account);
    if (refusal) return refuse(refusal);
  }
  return { ok: true, doc: setAccountStatus(context.db, context.org.id, account, status, context.now) };
}

import { storedTimestamp } from '../store/stored-dates';
import { parseRequestDate } from './dates';
import { lockDateRefusal } from './lock-dates';
import { EMPTY_ID, type Account, type Payment } from './model';
import { findAccountByCode, findAccountById } from './reference-data';
import type { InvoiceContext } from './validate-invoice';
import { decimal, isGuid, record, round, text } from './values';

export const ACCOUNT_NOT_PAYABLE = 'Account type is invalid for making a payment to/from';
/** Xero's words for a zero or negative payment, as quicktill #133 recorded them (MARKET-2026.md §3.2). */
export const NOT_POSITIVE = 'Payment amounts must be positive amounts';

/**
 * A payment into an archived account. Xero's wording for payments is UNVERIFIED: this is its
 * line-item text ("Account code '…' has been archived, or has been deleted. Each line item must
 * reference a valid account.", MARKET-2026.md §5) without the sentence about line items.
 */
export const accountArchived = (code: string) => `Account code '${code}' has been archived, or has been deleted.`;

/**
 * The part of a payment that does not depend on what it pays (an invoice, or a credit note for a
 * refund), checked as Xero checks it: the account, then Date, the lock dates and Amount. Problems
 * go into `errors`, in that order, after any the caller found in the document; the caller adds
 * the document's checks and its Invoice or CreditNote.
 */
export function paymentRecord(context: InvoiceContext, input: Record<string, unknown>, errors: string[], type: Payment['PaymentType']): Payment {
  const { account, accountId, code } = paymentAccount(context, input, errors);
  const date = parseRequestDate(input['Date']);
  if (date === undefined) errors.push('A Date must be specified for a payment.');
  if (date === null) errors.push(`The Date '${String(input['Date'])}' is not a valid date.`);
  // A payment is always posted, so a lock date refuses it whatever the document's date; Xero's
  // text for payments is UNVERIFIED and taken to be the documents' one.
  const locked = lockDateRefusal(context.settings, date ?? undefined);
  if (locked) errors.push(locked);
  const amountIn = decimal(input['Amount']);
  if (amountIn === undefined || amountIn === null) errors.push('A valid Amount must be specified for a payment.');
  else if (amountIn <= 0) errors.push(NOT_POSITIVE);

  const reference = text(input['Reference']);
  return {
    PaymentID: EMPTY_ID,
    Date: date ?? '',
    Amount: round(amountIn ?? 0, 2),
    ...(reference ? { Reference: reference } : {}),
    CurrencyRate: 1,
    PaymentType: type,
    Status: 'AUTHORISED',
    UpdatedDateUTC: storedTimestamp(context.now),
    Account: { AccountID: account?.AccountID ?? accountId ?? EMPTY_ID, Code: account?.Code ?? code ?? '', Name: account?.Name ?? '' },
  };
}

/** The account a payment or refund is made from, checked as Xero checks it; problems go into `errors`. */
function paymentAccount(context: InvoiceContext, input: Record<string, unknown>, errors: string[]): { account: Account | undefined; accountId: string | undefined; code: string | undefined } {
  const { db, org } = context;
  const accountRef = record(input['Account']);
  const accountId = text(accountRef?.['AccountID']);
  const code = text(accountRef?.['Code']);
  const account: Account | undefined = accountId && isGuid(accountId) ? findAccountById(db, org.id, accountId) : code ? findAccountByCode(db, org.id, code) : undefined;
  if (!accountId && !code) errors.push('An Account (Code or AccountID) must be specified for a payment.');
  else if (!account) errors.push(`The Account ${code ? `code '${code}'` : `'${accountId}'`} could not be found.`);
  else if (account.Status !== 'ACTIVE') errors.push(accountArchived(account.Code));
  else if (account.Type !== 'BANK' && !account.EnablePaymentsToAccount) errors.push(ACCOUNT_NOT_PAYABLE);

  return { account, accountId, code };
}

import type { Db } from '../../store/db';
import type { OrganisationSettings } from '../organisation-settings';
import { listDocuments } from '../store/documents';
import type { Invoice, InvoiceStatus } from './model';

/**
 * Xero's refusal when a plan's monthly cap is reached, word for word as MARKET-2026.md §0 and
 * §5 record it (help.linkmybooks.com, learn.auxosoftware.com, help.dext.com).
 */
export const APPROVAL_LIMIT_REACHED = 'You have reached the limit of invoices you can approve!';

/**
 * Statuses an invoice reaches only by being approved. A voided invoice was approved once;
 * whether voiding gives its place back is not documented, so the sandbox keeps counting it.
 */
const APPROVED: readonly InvoiceStatus[] = ['AUTHORISED', 'PAID', 'VOIDED'];

/**
 * Xero's refusal for approving `invoice` when its organisation's plan caps approvals (Starter
 * and similar plans: approved sales invoices, and separately bills, per month), or undefined.
 * Drafts and invoices submitted for approval are not approved and never count. The month is
 * the invoice date's, not the day it was sent (MARKET-2026.md §5); all apps' invoices count.
 */
export function approvalLimitRefusal(db: Db, organisationId: string, settings: OrganisationSettings, invoice: Invoice): string | undefined {
  const cap = invoice.Type === 'ACCREC' ? settings.approvedInvoicesPerMonth : settings.approvedBillsPerMonth;
  if (cap === undefined || invoice.Status !== 'AUTHORISED' || !invoice.Date) return undefined;
  const month = invoice.Date.slice(0, 7);
  // Only read when a cap is set, so an uncapped organisation pays nothing for it.
  const approved = listDocuments<Invoice>(db, organisationId, 'Invoice').filter(
    (other) => other.Type === invoice.Type && other.InvoiceID !== invoice.InvoiceID && APPROVED.includes(other.Status) && other.Date?.slice(0, 7) === month,
  ).length;
  return approved >= cap ? APPROVAL_LIMIT_REACHED : undefined;
}

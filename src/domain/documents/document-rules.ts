import { dayOf } from './dates';
import type { CreditNotesDocument } from './credit-notes';
import type { InvoicesDocument } from './invoices';
import type { Issue } from './issues';
import { sumMoney, formatMoney } from './money';
import type { PaymentsDocument } from './payments';
import type { WageBill } from './wage-bill';

/**
 * Invoice rules beyond the schema: a line needs a Description unless an ItemCode supplies one
 * (Xero: "The description field is mandatory for each line item"), a line's two tracking
 * categories differ, DueDate is not before Date, and no DocumentId repeats within the batch.
 */
export function invoiceIssues(document: InvoicesDocument): Issue[] {
  const issues: Issue[] = [];
  document.Invoices.forEach((invoice, index) => {
    const at = ['Invoices', index] as const;
    if (invoice.Date && invoice.DueDate && dayOf(invoice.DueDate) < dayOf(invoice.Date)) {
      issues.push({ path: [...at, 'DueDate'], message: `must not be before Date (${dayOf(invoice.Date)})` });
    }
    invoice.LineItems.forEach((line, lineIndex) => {
      const lineAt = [...at, 'LineItems', lineIndex] as const;
      if (line.Description === undefined && line.ItemCode === undefined) issues.push({ path: lineAt, message: 'must give a Description or an ItemCode' });
      const [first, second] = line.Tracking ?? [];
      if (first && second && first.Name.toLowerCase() === second.Name.toLowerCase()) issues.push({ path: [...lineAt, 'Tracking', 1, 'Name'], message: `repeats the tracking category "${first.Name}"` });
    });
  });
  issues.push(...repeatedIds(document.Invoices.map((invoice) => invoice.DocumentId), 'Invoices'));
  return issues;
}

/**
 * Credit note rules beyond the schema: lines as for invoices; an Allocation or Refund needs the
 * credit note AUTHORISED (Xero allocates and refunds only approved credit); no DocumentId repeats.
 * Whether the amounts fit the credit is Xero's to judge: the total depends on its tax arithmetic.
 */
export function creditNoteIssues(document: CreditNotesDocument): Issue[] {
  const issues: Issue[] = [];
  document.CreditNotes.forEach((note, index) => {
    const at = ['CreditNotes', index] as const;
    note.LineItems.forEach((line, lineIndex) => {
      if (line.Description === undefined && line.ItemCode === undefined) issues.push({ path: [...at, 'LineItems', lineIndex], message: 'must give a Description or an ItemCode' });
    });
    for (const use of ['Allocation', 'Refund'] as const) {
      if (note[use] !== undefined && note.Status !== 'AUTHORISED') issues.push({ path: [...at, use], message: `needs the credit note's Status to be AUTHORISED (it is ${note.Status ?? 'DRAFT'}): Xero only ${use === 'Allocation' ? 'allocates' : 'refunds'} approved credit` });
    }
  });
  issues.push(...repeatedIds(document.CreditNotes.map((note) => note.DocumentId), 'CreditNotes'));
  return issues;
}

/** Payment rules beyond the schema: each names an Account or a Payer (one, not both); no DocumentId repeats within the batch. */
export function paymentIssues(document: PaymentsDocument): Issue[] {
  const issues: Issue[] = [];
  document.Payments.forEach((payment, index) => {
    if ((payment.Account === undefined) === (payment.Payer === undefined)) issues.push({ path: ['Payments', index, payment.Account ? 'Payer' : 'Account'], message: payment.Account ? 'must not be given with Account: the payer\'s mapped account is where the payment goes' : 'is required (or a Payer, whose mapped clearing account is used)' });
  });
  return issues.concat(repeatedIds(document.Payments.map((payment) => payment.DocumentId), 'Payments'));
}

/** Wage bill rules beyond the schema: the period runs forwards and the bill is not negative. */
export function wageBillIssues(bill: WageBill): Issue[] {
  const issues: Issue[] = [];
  if (dayOf(bill.periodEnd) < dayOf(bill.periodStart)) issues.push({ path: ['periodEnd'], message: `must not be before periodStart (${dayOf(bill.periodStart)})` });
  const total = sumMoney(bill.lines.map((line) => line.amount));
  if (total < 0) issues.push({ path: ['lines'], message: `add up to ${formatMoney(total)}, but a bill cannot be negative` });
  return issues;
}

function repeatedIds(ids: ReadonlyArray<string | undefined>, list: string): Issue[] {
  const first = new Map<string, number>();
  const issues: Issue[] = [];
  ids.forEach((id, index) => {
    if (id === undefined) return;
    const earlier = first.get(id);
    if (earlier === undefined) first.set(id, index);
    else issues.push({ path: [list, index, 'DocumentId'], message: `repeats the DocumentId of ${list}[${earlier}]` });
  });
  return issues;
}

import { utcText } from '../../lib/utc-text';
import type { DeliveredDocument, Finding } from './compare';
import { RECONCILE_SPECS } from './kinds';

/** A finding as a person reads it: what happened, and what to do about it. */
export interface FindingWords {
  /** "Invoice INV-0042 (shift 2026-11-28-PM, till FRONT-TILL)". */
  subject: string;
  sentence: string;
  action: string;
}

const money = (value: number | null) => (value === null ? 'an unknown amount' : value.toFixed(2));
const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

/** Where the document came from: the shift or the app's DocumentId, and the till that sent it. */
function origin(document: DeliveredDocument): string {
  const parts: string[] = [];
  if (document.documentId) parts.push(document.endpoint === 'pos-shift' ? `shift ${document.documentId}` : `DocumentId ${document.documentId}`);
  parts.push(`till ${document.deviceName}`);
  return parts.join(', ');
}

/** The document named as people know it: an invoice by its number, a payment by amount and the invoice it paid. */
export function findingSubject(finding: Finding, document: DeliveredDocument): string {
  const noun = RECONCILE_SPECS[finding.kind]?.noun ?? 'Document';
  if (finding.kind === 'payment') {
    const invoice = (document.result?.['Invoice'] ?? document.payload['Invoice']) as Record<string, unknown> | undefined;
    const number = text(invoice?.['InvoiceNumber']);
    return `${noun} of ${money(finding.expected)}${number ? ` on invoice ${number}` : ''} (${origin(document)})`;
  }
  return `${noun} ${finding.xeroNumber ?? document.documentKey} (${origin(document)})`;
}

/**
 * Plain words for one finding, with the way to put it right. Voided and deleted documents
 * cannot be restored in Xero, so the advice is to enter them again where that was a mistake.
 */
export function findingWords(finding: Finding, document: DeliveredDocument): FindingWords {
  const subject = findingSubject(finding, document);
  const delivered = utcText(document.deliveredAt);
  const when = finding.xeroUpdatedAt ? ` on ${utcText(finding.xeroUpdatedAt)}` : '';
  switch (finding.finding) {
    case 'voided':
      return {
        subject,
        sentence: `${subject} was voided in Xero${when}, after the proxy delivered it on ${delivered}.`,
        action:
          finding.kind === 'invoice'
            ? 'If that was a mistake, enter the sale in Xero again (Xero cannot un-void an invoice), or send it again from the till with a new DocumentId. If it was meant, correct the till’s records so they agree with Xero.'
            : 'If that was a mistake, enter it in Xero again (Xero cannot un-void a document), or send it again from the till with a new DocumentId. If it was meant, correct the till’s records so they agree with Xero.',
      };
    case 'deleted':
      return finding.kind === 'payment'
        ? {
            subject,
            sentence: `${subject} was deleted in Xero${when}, after the proxy delivered it on ${delivered}; the invoice shows as owing that amount again.`,
            action: 'If the money was received, record the payment on the invoice in Xero again (or match it from the bank feed). If it was refunded, nothing more is needed in Xero.',
          }
        : {
            subject,
            sentence: `${subject} was deleted in Xero${when}, after the proxy delivered it on ${delivered}.`,
            action: 'If that was a mistake, enter it in Xero again, or send it again from the till with a new DocumentId. If it was meant, correct the till’s records so they agree with Xero.',
          };
    case 'missing':
      return {
        subject,
        sentence: `${subject} is not in Xero: the proxy delivered it on ${delivered}, but Xero no longer lists it.`,
        action: 'Search for it in Xero by its number or reference. If it is not there, send it again from the till with a new DocumentId, or enter it in Xero by hand.',
      };
    case 'total_changed':
      return {
        subject,
        sentence: `${subject} now comes to ${money(finding.actual)} in Xero, but the proxy sent ${money(finding.expected)}; it was changed in Xero${when || ' after delivery'}.`,
        action: 'Ask whoever changed it in Xero why. Then correct Xero or the till’s records, so both show the same amount.',
      };
  }
}

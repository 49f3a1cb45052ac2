import { paymentToXero } from './invoice-to-xero';
import { lookUp, shellQuote, type MissingMapping } from './mappings';
import type { Payment } from './payments';
import type { XeroPayment } from './xero-types';

/** Third-party payer (as the app names it) → the clearing account its payments go into. */
export type PayerMappings = Readonly<Record<string, { accountCode: string }>>;

/**
 * A payment that names a third-party payer (Medicare, DVA, an insurer, a health fund), as Xero
 * takes it: into the payer's mapped clearing account, so the day's payments from that payer add
 * up to its one settlement on the bank statement. An invoice named by the app's DocumentId is
 * left for the delivery loop to fill in. Returns the mapping to make when the payer has none.
 */
export function planPayerPayment(payment: Payment, payers: PayerMappings, field: string): { payment: XeroPayment } | { missing: MissingMapping[] } {
  const payer = payment.Payer ?? '';
  const mapped = lookUp(payers, payer);
  if (!mapped) {
    return { missing: [{ kind: 'payer', name: payer, field, message: `has no clearing account mapped for payer "${payer}"`, command: `xero-proxy map set payer ${shellQuote(payer)} --account <code>` }] };
  }
  const converted = paymentToXero(payment, () => 'pending', mapped.accountCode);
  return { payment: payment.Invoice.DocumentId === undefined ? converted : { ...converted, Invoice: {} } };
}

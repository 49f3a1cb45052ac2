/**
 * What an organisation's Xero plan (`Class`) and `Edition` mean for the apps sending to it, in
 * plain words. Xero counts invoices approved by every app together, so a small plan's monthly cap
 * is reached sooner than a person expects when a till sends an invoice per sale.
 * @see MARKET-2026.md §5 (plan transaction caps); xero_accounting.yaml Organisation.Class, Edition
 */

/** A limit the plan puts on what the proxy sends, with what to do about it. */
export interface PlanWarning {
  /** A stable name for tests and alerts. */
  code: 'invoice_cap' | 'no_invoicing' | 'partner_edition';
  /** One or two sentences a shop owner or practice manager can act on. */
  text: string;
}

/** Plans that cap approved sales invoices per month, with the cap Xero applies. */
const CAPPED: Readonly<Record<string, { plan: string; invoices: number }>> = {
  STARTER: { plan: 'Starter', invoices: 20 },
  IGNITE: { plan: 'Ignite', invoices: 20 },
  SIMPLE: { plan: 'Simple', invoices: 10 },
};

/** Plans that cannot take invoices from an integration at all. */
const NO_INVOICING: Readonly<Record<string, string>> = {
  LEDGER: 'Ledger',
  GST_CASHBOOK: 'Cashbook',
  NON_GST_CASHBOOK: 'Cashbook',
};

/**
 * The warnings for a plan class and edition as Xero reported them; none when both are unknown
 * (an organisation not yet refreshed) or unrestricted.
 * @example planWarnings('STARTER', 'BUSINESS')[0].code // 'invoice_cap'
 */
export function planWarnings(planClass: string | null, edition: string | null): PlanWarning[] {
  const warnings: PlanWarning[] = [];
  const upper = planClass?.toUpperCase() ?? '';
  const capped = CAPPED[upper];
  if (capped) {
    warnings.push({
      code: 'invoice_cap',
      text:
        `This organisation is on Xero's ${capped.plan} plan, which approves at most ${capped.invoices} sales invoices a month, counting those from every app. ` +
        'Send one end-of-shift summary (POST /api/v1/pos/shifts) instead of an invoice per sale, or move the organisation to a larger plan in Xero.',
    });
  }
  const noInvoicing = NO_INVOICING[upper];
  if (noInvoicing) {
    warnings.push({
      code: 'no_invoicing',
      text: `This organisation is on Xero's ${noInvoicing} plan, which does not take invoices from apps: Xero will refuse every invoice and shift sent to it. Move it to a plan with invoicing in Xero.`,
    });
  }
  if (edition?.toUpperCase() === 'PARTNER') {
    warnings.push({
      code: 'partner_edition',
      text: 'This organisation is a Xero Partner edition (set up through an accountant), which Xero describes as having no access to invoicing. If Xero refuses its invoices, ask the accountant to change the edition.',
    });
  }
  return warnings;
}

/** A plan class or edition as a person reads it: `PREMIUM_20` → "Premium 20"; "not read from Xero yet" when unknown. */
export function planLabel(planClass: string | null): string {
  if (!planClass) return 'not read from Xero yet';
  return planClass
    .toLowerCase()
    .split('_')
    .map((word) => (word === 'gst' ? 'GST' : word.charAt(0).toUpperCase() + word.slice(1)))
    .join(' ');
}

/**
 * Why an organisation cannot take invoices from any app, as the linking page says it, or
 * undefined when it can: Xero's Ledger and Cashbook plans and its Partner edition have no
 * invoicing through the API, so linking one would only queue documents Xero refuses.
 * @see MARKET-2026.md §3.3 (Cliniko: "Xero no longer supports invoicing integrations with Xero Cashbook and Ledger organisations"), §5
 * @example cannotInvoiceReason('GST_CASHBOOK', 'BUSINESS') // "… is on Xero's Cashbook plan …"
 */
export function cannotInvoiceReason(name: string, planClass: string | null | undefined, edition: string | null | undefined): string | undefined {
  const plan = NO_INVOICING[planClass?.toUpperCase() ?? ''];
  if (plan) {
    return `${name} is on Xero's ${plan} plan, which has no invoicing for apps: Xero would refuse every invoice, payment and shift the proxy sent to it, so it was not linked. Move the organisation to a plan with invoicing in Xero (Settings, Subscription and billing), then link it again.`;
  }
  if (edition?.toUpperCase() === 'PARTNER') {
    return `${name} is a Xero Partner edition (set up through an accountant), which has no invoicing for apps, so it was not linked. Ask the accountant to move it to a business edition, then link it again.`;
  }
  return undefined;
}

/**
 * The demo organisations' chart of accounts and tax rates, after Xero's default charts for
 * Australia (GST 10%), New Zealand (GST 15%) and the UK (VAT 20%).
 * @see https://central.xero.com/s/article/Default-chart-of-accounts-AU
 */
export interface AccountSeed {
  code: string;
  name: string;
  type: string;
  taxType: string;
  description?: string;
  bankAccountNumber?: string;
  systemAccount?: string;
  enablePayments?: boolean;
  archived?: boolean;
}

export interface TaxRateSeed {
  taxType: string;
  name: string;
  rate: number;
  reportTaxType: string;
  /** Which account classes the rate applies to: r=revenue, e=expenses, a=assets, l=liabilities, q=equity. */
  appliesTo: string;
  archived?: boolean;
}

interface CountryChart {
  accounts: AccountSeed[];
  taxRates: TaxRateSeed[];
  salesTax: string;
  purchasesTax: string;
}

function accounts(t: { none: string; sales: string; purchases: string; freeExpenses: string }, bankPrefix: string): AccountSeed[] {
  return [
    { code: '090', name: 'Business Bank Account', type: 'BANK', taxType: t.none, bankAccountNumber: `${bankPrefix}12345678` },
    { code: '091', name: 'Business Savings Account', type: 'BANK', taxType: t.none, bankAccountNumber: `${bankPrefix}87654321` },
    { code: '092', name: 'Cash Drawer', type: 'BANK', taxType: t.none, bankAccountNumber: 'CASH' },
    { code: '200', name: 'Sales', type: 'REVENUE', taxType: t.sales, description: 'Income from any normal business activity' },
    { code: '260', name: 'Other Revenue', type: 'REVENUE', taxType: t.sales, description: 'Any other income that does not relate to normal business activities and is not recurring' },
    { code: '310', name: 'Cost of Goods Sold', type: 'DIRECTCOSTS', taxType: t.purchases, description: 'Cost of goods sold by the business' },
    { code: '400', name: 'Advertising', type: 'EXPENSE', taxType: t.purchases, description: 'Expenses incurred for advertising while trying to increase sales' },
    { code: '404', name: 'Bank Fees', type: 'EXPENSE', taxType: t.freeExpenses, description: 'Fees charged by your bank for transactions regarding your bank account(s).' },
    { code: '420', name: 'Entertainment', type: 'EXPENSE', taxType: t.purchases, description: 'Archived in the demo data, so the archived-account error can be tried.', archived: true },
    { code: '429', name: 'General Expenses', type: 'EXPENSE', taxType: t.purchases, description: 'General expenses related to the running of the business.' },
    { code: '477', name: 'Wages and Salaries', type: 'EXPENSE', taxType: t.none, description: 'Payment to employees in exchange for their resources' },
    { code: '610', name: 'Accounts Receivable', type: 'CURRENT', taxType: t.none, systemAccount: 'DEBTORS', description: 'Outstanding invoices the company has issued out to the client but has not yet received in cash at balance date.' },
    { code: '615', name: 'EFTPOS Clearing', type: 'CURRENT', taxType: t.none, enablePayments: true, description: 'Card takings waiting to be settled into the bank account.' },
    // Clearing accounts a practice's third-party payers settle into, each matching one bank line.
    { code: '616', name: 'Medicare Clearing', type: 'CURRENT', taxType: t.none, enablePayments: true, description: 'Medicare benefits claimed, waiting for the day\'s settlement.' },
    { code: '617', name: 'Health Fund Clearing', type: 'CURRENT', taxType: t.none, enablePayments: true, description: 'Health fund claims, waiting for the fund\'s settlement.' },
    { code: '800', name: 'Accounts Payable', type: 'CURRLIAB', taxType: t.none, systemAccount: 'CREDITORS', description: 'Outstanding invoices the company has received from suppliers but has not yet paid at balance date' },
    { code: '820', name: 'GST', type: 'CURRLIAB', taxType: t.none, systemAccount: 'GST', description: 'The balance in this account represents GST owing to or from the tax office.' },
    { code: '850', name: 'Suspense', type: 'CURRLIAB', taxType: t.none, description: 'Amounts to be cleared, such as cash-back paid out of the till.' },
    { code: '855', name: 'Tips Payable', type: 'CURRLIAB', taxType: t.none, description: 'Tips customers paid through the till, owed to staff.' },
    { code: '856', name: 'Gift Card Liability', type: 'CURRLIAB', taxType: t.none, description: 'Gift cards sold and not yet redeemed.' },
    { code: '960', name: 'Retained Earnings', type: 'EQUITY', taxType: t.none, systemAccount: 'RETAINEDEARNINGS', description: 'Do not Use' },
  ];
}

const AU: CountryChart = {
  accounts: accounts({ none: 'BASEXCLUDED', sales: 'OUTPUT', purchases: 'INPUT', freeExpenses: 'EXEMPTEXPENSES' }, '062-000 '),
  taxRates: [
    { taxType: 'OUTPUT', name: 'GST on Income', rate: 10, reportTaxType: 'OUTPUT', appliesTo: 'ralq' },
    { taxType: 'INPUT', name: 'GST on Expenses', rate: 10, reportTaxType: 'INPUT', appliesTo: 'ealq' },
    { taxType: 'EXEMPTOUTPUT', name: 'GST Free Income', rate: 0, reportTaxType: 'EXEMPTOUTPUT', appliesTo: 'ralq' },
    { taxType: 'EXEMPTEXPENSES', name: 'GST Free Expenses', rate: 0, reportTaxType: 'EXEMPTEXPENSES', appliesTo: 'ealq' },
    { taxType: 'INPUTTAXED', name: 'Input Taxed', rate: 0, reportTaxType: 'INPUTTAXED', appliesTo: 'realq' },
    { taxType: 'BASEXCLUDED', name: 'BAS Excluded', rate: 0, reportTaxType: 'BASEXCLUDED', appliesTo: 'realq' },
    { taxType: 'GSTONIMPORTS', name: 'GST on Imports', rate: 0, reportTaxType: 'GSTONIMPORTS', appliesTo: 'l' },
    { taxType: 'CAPEXINPUT', name: 'GST on Capital', rate: 10, reportTaxType: 'CAPITALEXINPUT', appliesTo: 'a' },
    { taxType: 'TAX001', name: 'Old Sales Tax 12.5% (archived)', rate: 12.5, reportTaxType: 'OUTPUT', appliesTo: 'r', archived: true },
  ],
  salesTax: 'OUTPUT',
  purchasesTax: 'INPUT',
};

const NZ: CountryChart = {
  accounts: accounts({ none: 'NONE', sales: 'OUTPUT2', purchases: 'INPUT2', freeExpenses: 'NONE' }, '02-0108-'),
  taxRates: [
    { taxType: 'OUTPUT2', name: '15% GST on Income', rate: 15, reportTaxType: 'OUTPUT', appliesTo: 'ralq' },
    { taxType: 'INPUT2', name: '15% GST on Expenses', rate: 15, reportTaxType: 'INPUT', appliesTo: 'ealq' },
    { taxType: 'NONE', name: 'No GST', rate: 0, reportTaxType: 'NONE', appliesTo: 'realq' },
    { taxType: 'ZERORATED', name: 'Zero Rated', rate: 0, reportTaxType: 'OUTPUT', appliesTo: 'rl' },
    { taxType: 'EXEMPTINPUT', name: 'Exempt Expenses', rate: 0, reportTaxType: 'EXEMPTINPUT', appliesTo: 'ealq' },
    { taxType: 'GSTONIMPORTS', name: 'GST on Imports', rate: 0, reportTaxType: 'GSTONIMPORTS', appliesTo: 'l' },
    { taxType: 'TAX001', name: 'GST on Income 12.5% (before October 2010, archived)', rate: 12.5, reportTaxType: 'OUTPUT', appliesTo: 'r', archived: true },
  ],
  salesTax: 'OUTPUT2',
  purchasesTax: 'INPUT2',
};

// The UK's VAT in place of GST: the same accounts, account 820 holding VAT.
const GB: CountryChart = {
  accounts: accounts({ none: 'NONE', sales: 'OUTPUT2', purchases: 'INPUT2', freeExpenses: 'EXEMPTINPUT' }, '20-00-00 ').map((account) =>
    account.code === '820' ? { ...account, name: 'VAT', description: 'The balance in this account represents VAT owing to or from HMRC.' } : account,
  ),
  taxRates: [
    { taxType: 'OUTPUT2', name: '20% (VAT on Income)', rate: 20, reportTaxType: 'OUTPUT', appliesTo: 'ralq' },
    { taxType: 'INPUT2', name: '20% (VAT on Expenses)', rate: 20, reportTaxType: 'INPUT', appliesTo: 'ealq' },
    { taxType: 'RROUTPUT', name: '5% (VAT on Income)', rate: 5, reportTaxType: 'OUTPUT', appliesTo: 'ralq' },
    { taxType: 'RRINPUT', name: '5% (VAT on Expenses)', rate: 5, reportTaxType: 'INPUT', appliesTo: 'ealq' },
    { taxType: 'ZERORATEDOUTPUT', name: 'Zero Rated Income', rate: 0, reportTaxType: 'OUTPUT', appliesTo: 'ralq' },
    { taxType: 'ZERORATEDINPUT', name: 'Zero Rated Expenses', rate: 0, reportTaxType: 'INPUT', appliesTo: 'ealq' },
    { taxType: 'EXEMPTOUTPUT', name: 'Exempt Income', rate: 0, reportTaxType: 'EXEMPTOUTPUT', appliesTo: 'ralq' },
    { taxType: 'EXEMPTINPUT', name: 'Exempt Expenses', rate: 0, reportTaxType: 'EXEMPTINPUT', appliesTo: 'ealq' },
    { taxType: 'NONE', name: 'No VAT', rate: 0, reportTaxType: 'NONE', appliesTo: 'realq' },
  ],
  salesTax: 'OUTPUT2',
  purchasesTax: 'INPUT2',
};

/** The chart for a country code: NZ's, the UK's (GB), or for other countries the Australian one. */
export function chartFor(countryCode: string): CountryChart {
  return countryCode === 'NZ' ? NZ : countryCode === 'GB' ? GB : AU;
}

/** Xero's account class for an account type. */
export function accountClass(type: string): string {
  if (['BANK', 'CURRENT', 'FIXED', 'INVENTORY', 'NONCURRENT', 'PREPAYMENT'].includes(type)) return 'ASSET';
  if (['CURRLIAB', 'LIABILITY', 'TERMLIAB', 'PAYGLIABILITY', 'SUPERANNUATIONLIABILITY', 'WAGESPAYABLELIABILITY'].includes(type)) return 'LIABILITY';
  if (type === 'EQUITY') return 'EQUITY';
  if (['REVENUE', 'SALES', 'OTHERINCOME'].includes(type)) return 'REVENUE';
  return 'EXPENSE';
}

import type { Clock } from '../../lib/clock';
import type { Db } from '../../store/db';
import type { SandboxOrganisation } from '../organisations';
import { insertDocument } from '../store/documents';
import { storedTimestamp } from '../store/stored-dates';
import { accountClass, chartFor } from './demo-chart';
import { stableUuid } from './ids';
import type { Account, Contact, Item, TaxRate, TrackingCategory } from './model';

const CONTACTS = [
  { number: 'CUST-001', name: 'Cash Customer', customer: true, email: undefined },
  { number: 'CUST-002', name: 'Northside Catering', customer: true, email: 'accounts@northside-catering.example' },
  { number: 'SUPP-001', name: 'Harbour Wholesale Supplies', customer: false, email: 'invoices@harbour-wholesale.example' },
  { number: 'SUPP-002', name: 'Metro Power & Gas', customer: false, email: 'billing@metro-power.example' },
];

const ITEMS = [
  { code: 'COFFEE-L', name: 'Large Coffee', sell: 5.5, buy: undefined },
  { code: 'MUFFIN', name: 'Blueberry Muffin', sell: 4.5, buy: 1.8 },
  { code: 'BEANS-1KG', name: 'Coffee Beans 1kg', sell: 38, buy: 22 },
  { code: 'SERVICE-HR', name: 'Service (per hour)', sell: 120, buy: undefined },
];

const TRACKING = [
  { name: 'Location', options: ['Main Street', 'Harbourside', 'Online'] },
  { name: 'Department', options: ['Front of House', 'Kitchen', 'Administration'] },
];

/**
 * Seeds one organisation's Accounting settings: its country's chart of accounts and tax rates,
 * four contacts, four items and the "Location" and "Department" tracking categories. Ids are
 * derived from the organisation id and each record's code, so every fresh sandbox has the same.
 */
export function seedAccountingDemo(db: Db, org: SandboxOrganisation, clock: Clock): void {
  const at = clock.now().toISOString();
  const updated = storedTimestamp(clock.now());
  const chart = chartFor(org.countryCode);
  const id = (...parts: string[]) => stableUuid(org.id, ...parts);

  for (const seed of chart.accounts) {
    const account: Account = {
      AccountID: id('account', seed.code),
      Code: seed.code,
      Name: seed.name,
      Type: seed.type,
      TaxType: seed.taxType,
      Status: seed.archived ? 'ARCHIVED' : 'ACTIVE',
      ...(seed.description ? { Description: seed.description } : {}),
      ...(seed.type === 'BANK' ? { BankAccountNumber: seed.bankAccountNumber, BankAccountType: 'BANK', CurrencyCode: org.baseCurrency } : {}),
      EnablePaymentsToAccount: seed.enablePayments ?? false,
      ShowInExpenseClaims: accountClass(seed.type) === 'EXPENSE',
      Class: accountClass(seed.type),
      ...(seed.systemAccount ? { SystemAccount: seed.systemAccount } : {}),
      HasAttachments: false,
      UpdatedDateUTC: updated,
    };
    insertDocument(db, org.id, 'Account', { id: account.AccountID, number: account.Code, reference: account.Name }, account, at);
  }

  for (const seed of chart.taxRates) {
    const rate: TaxRate = {
      Name: seed.name,
      TaxType: seed.taxType,
      TaxComponents: [{ Name: org.countryCode === 'NZ' || org.countryCode === 'AU' ? 'GST' : org.countryCode === 'GB' ? 'VAT' : 'Tax', Rate: seed.rate, IsCompound: false, IsNonRecoverable: false }],
      Status: seed.archived ? 'ARCHIVED' : 'ACTIVE',
      ReportTaxType: seed.reportTaxType,
      CanApplyToAssets: seed.appliesTo.includes('a'),
      CanApplyToEquity: seed.appliesTo.includes('q'),
      CanApplyToExpenses: seed.appliesTo.includes('e'),
      CanApplyToLiabilities: seed.appliesTo.includes('l'),
      CanApplyToRevenue: seed.appliesTo.includes('r'),
      DisplayTaxRate: seed.rate,
      EffectiveRate: seed.rate,
    };
    insertDocument(db, org.id, 'TaxRate', { id: rate.TaxType, number: rate.TaxType, reference: rate.Name }, rate, at);
  }

  for (const seed of CONTACTS) {
    const contact: Contact = {
      ContactID: id('contact', seed.number),
      ContactNumber: seed.number,
      ContactStatus: 'ACTIVE',
      Name: seed.name,
      ...(seed.email ? { EmailAddress: seed.email } : {}),
      Addresses: [{ AddressType: 'POBOX' }, { AddressType: 'STREET' }],
      Phones: [{ PhoneType: 'DEFAULT' }, { PhoneType: 'MOBILE' }],
      IsSupplier: !seed.customer,
      IsCustomer: seed.customer,
      DefaultCurrency: org.baseCurrency,
      UpdatedDateUTC: updated,
      HasAttachments: false,
    };
    insertDocument(db, org.id, 'Contact', { id: contact.ContactID, number: seed.number, reference: contact.Name }, contact, at);
  }

  for (const seed of ITEMS) {
    const item: Item = {
      ItemID: id('item', seed.code),
      Code: seed.code,
      Name: seed.name,
      Description: seed.name,
      IsSold: true,
      IsPurchased: seed.buy !== undefined,
      PurchaseDetails: seed.buy === undefined ? {} : { UnitPrice: seed.buy, AccountCode: '310', TaxType: chart.purchasesTax },
      SalesDetails: { UnitPrice: seed.sell, AccountCode: '200', TaxType: chart.salesTax },
      IsTrackedAsInventory: false,
      UpdatedDateUTC: updated,
    };
    insertDocument(db, org.id, 'Item', { id: item.ItemID, number: item.Code, reference: item.Name }, item, at);
  }

  for (const seed of TRACKING) {
    const category: TrackingCategory = {
      TrackingCategoryID: id('tracking', seed.name),
      Name: seed.name,
      Status: 'ACTIVE',
      Options: seed.options.map((name) => ({ TrackingOptionID: id('tracking', seed.name, name), Name: name, Status: 'ACTIVE' })),
    };
    insertDocument(db, org.id, 'TrackingCategory', { id: category.TrackingCategoryID, number: null, reference: category.Name }, category, at);
  }
}

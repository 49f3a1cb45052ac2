import type { Db } from '../../store/db';
import { newId } from './ids';
import type { Invoice, LineAmountTypes, LineItem, LineTracking } from './model';
import { findAccountByCode, findItemByCode, findTaxRate, listTrackingCategories } from './reference-data';
import { lineTotals } from './totals';
import { decimal, records, round, text } from './values';

/** What line validation needs to know about the invoice around it. */
export interface LineContext {
  db: Db;
  organisationId: string;
  type: Invoice['Type'];
  lineAmountTypes: LineAmountTypes;
  unitdp: 2 | 4;
  /** The invoice's current lines, so a LineItemID can be kept on update. */
  previous: readonly LineItem[];
}

/**
 * Validates and prices an invoice's line items as Xero does: an ItemCode fills in the
 * description, price, account and tax type it lacks; the account must be an active, non-bank
 * account; the tax type must exist and be active; tracking names must exist.
 * Returns the priced lines (best effort, for echoing) and Xero's messages.
 */
export function buildLines(context: LineContext, input: unknown): { lines: LineItem[]; errors: string[] } {
  const errors: string[] = [];
  const add = (message: string) => {
    if (!errors.includes(message)) errors.push(message);
  };
  const lines = records(input).map((raw) => buildLine(context, raw, add));
  return { lines, errors };
}

function buildLine(context: LineContext, raw: Record<string, unknown>, add: (message: string) => void): LineItem {
  const { db, organisationId, type } = context;
  const itemCode = text(raw['ItemCode']);
  const item = itemCode ? findItemByCode(db, organisationId, itemCode) : undefined;
  if (itemCode && !item) add(`Item code '${itemCode}' is not valid.`);
  const details = item ? (type === 'ACCREC' ? item.SalesDetails : item.PurchaseDetails) : undefined;

  const description = text(raw['Description']) ?? (item ? (type === 'ACCPAY' ? item.PurchaseDescription ?? item.Description : item.Description) ?? item.Name : undefined);
  if (!description && !itemCode) add('The description field is mandatory for each line item.');

  const quantity = number(raw['Quantity'], 'Quantity', add) ?? 1;
  const lineAmountIn = number(raw['LineAmount'], 'LineAmount', add);
  const discountRate = number(raw['DiscountRate'], 'DiscountRate', add);
  if (discountRate !== undefined && (discountRate < 0 || discountRate > 100)) add('The DiscountRate must be between 0 and 100.');
  let unitAmount = number(raw['UnitAmount'], 'UnitAmount', add) ?? details?.UnitPrice;
  if (unitAmount === undefined) unitAmount = lineAmountIn !== undefined && quantity !== 0 ? lineAmountIn / quantity : 0;
  unitAmount = round(unitAmount, context.unitdp);

  const accountCode = text(raw['AccountCode']) ?? details?.AccountCode;
  const account = accountCode ? findAccountByCode(db, organisationId, accountCode) : undefined;
  if (accountCode && (!account || account.Type === 'BANK')) add(`Account code '${accountCode}' is not a valid code for this document.`);
  else if (accountCode && account && account.Status !== 'ACTIVE') add(`Account code '${accountCode}' has been archived, or has been deleted. Each line item must reference a valid account.`);

  const taxType = text(raw['TaxType']) ?? account?.TaxType ?? details?.TaxType;
  const taxRate = taxType ? findTaxRate(db, organisationId, taxType) : undefined;
  if (taxType && (!taxRate || taxRate.Status !== 'ACTIVE')) add(`The TaxType code ${taxType} does not exist or cannot be used for this type of transaction.`);

  const lineItemId = text(raw['LineItemID']);
  const kept = lineItemId ? context.previous.find((line) => line.LineItemID.toLowerCase() === lineItemId.toLowerCase()) : undefined;
  const totals = lineTotals(round(quantity, 4), unitAmount, discountRate, taxRate?.Status === 'ACTIVE' ? taxRate.EffectiveRate : 0, context.lineAmountTypes);
  return {
    LineItemID: kept?.LineItemID ?? newId(),
    ...(description ? { Description: description } : {}),
    Quantity: round(quantity, 4),
    UnitAmount: unitAmount,
    ...(itemCode ? { ItemCode: item?.Code ?? itemCode } : {}),
    ...(accountCode ? { AccountCode: account?.Code ?? accountCode } : {}),
    ...(taxType ? { TaxType: taxRate?.TaxType ?? taxType } : {}),
    TaxAmount: totals.TaxAmount,
    LineAmount: totals.LineAmount,
    ...(discountRate ? { DiscountRate: discountRate } : {}),
    Tracking: tracking(context, raw['Tracking'], add),
  };
}

function number(value: unknown, field: string, add: (message: string) => void): number | undefined {
  const parsed = decimal(value);
  if (parsed === null) {
    add(`The ${field} '${String(value)}' is not a valid number.`);
    return undefined;
  }
  return parsed;
}

function tracking(context: LineContext, input: unknown, add: (message: string) => void): LineTracking[] {
  const wanted = records(input);
  if (wanted.length === 0) return [];
  if (wanted.length > 2) add('A line item can be tracked against at most two tracking categories.');
  const categories = listTrackingCategories(context.db, context.organisationId);
  const out: LineTracking[] = [];
  for (const raw of wanted) {
    const categoryId = text(raw['TrackingCategoryID'])?.toLowerCase();
    const name = text(raw['Name']);
    const category = categories.find((c) => (categoryId ? c.TrackingCategoryID === categoryId : c.Name.toLowerCase() === name?.toLowerCase()));
    if (!category || category.Status !== 'ACTIVE') {
      add(`The tracking category '${name ?? categoryId ?? ''}' does not exist or is not active.`);
      continue;
    }
    const optionId = text(raw['TrackingOptionID'])?.toLowerCase();
    const optionName = text(raw['Option']);
    const option = category.Options.find((o) => (optionId ? o.TrackingOptionID === optionId : o.Name.toLowerCase() === optionName?.toLowerCase()));
    if (!option || option.Status !== 'ACTIVE') {
      add(`The tracking option '${optionName ?? optionId ?? ''}' does not exist for tracking category '${category.Name}'.`);
      continue;
    }
    out.push({ Name: category.Name, Option: option.Name, TrackingCategoryID: category.TrackingCategoryID, TrackingOptionID: option.TrackingOptionID });
  }
  return out;
}

import { encodeElement } from '../../lib/xml';
import { xeroItemNameForEncoding } from '../xero/xml-shape';
import type { XeroInvoice, XeroPayment, XeroTimesheet } from './xero-types';

/**
 * Xero's XML for a batch: `<Invoices><Invoice>…</Invoice></Invoices>` and likewise for
 * Payments and Timesheets, list items named as Xero's XSDs name them.
 * @example xeroXml('Invoices', [invoiceToXero(invoice)])
 */
export function xeroXml(collection: 'Invoices', items: readonly XeroInvoice[]): string;
/** Xero's XML for a batch of payments. */
export function xeroXml(collection: 'Payments', items: readonly XeroPayment[]): string;
/** Xero's XML for a batch of timesheets. */
export function xeroXml(collection: 'Timesheets', items: readonly XeroTimesheet[]): string;
export function xeroXml(collection: 'Invoices' | 'Payments' | 'Timesheets', items: readonly object[]): string {
  return encodeElement(collection, items, { itemName: xeroItemNameForEncoding });
}

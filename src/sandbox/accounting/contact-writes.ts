import { storedTimestamp } from '../store/stored-dates';
import type { Outcome } from './batch';
import { CONTACT_ID_UNKNOWN, findContact, findContactByName, findContactByNumber, newContact, saveContact } from './contact-records';
import { EMPTY_ID, type Contact } from './model';
import type { InvoiceContext } from './validate-invoice';
import { records, text } from './values';

const SIMPLE = ['AccountNumber', 'FirstName', 'LastName', 'EmailAddress', 'BankAccountDetails', 'TaxNumber'] as const;
const ADDRESS_KEYS = ['AddressType', 'AddressLine1', 'AddressLine2', 'AddressLine3', 'AddressLine4', 'City', 'Region', 'PostalCode', 'Country', 'AttentionTo'];
const PHONE_KEYS = ['PhoneType', 'PhoneNumber', 'PhoneAreaCode', 'PhoneCountryCode'];

/**
 * PUT /Contacts creates (an existing ContactID is refused); POST updates the contact named by
 * ContactID (which must exist), ContactNumber or Name, else creates. Names must be unique among
 * active contacts, as in Xero.
 */
export function saveContactInput(context: InvoiceContext, input: Record<string, unknown>, mode: 'create' | 'createOrUpdate'): Outcome {
  const { db, org } = context;
  const id = text(input['ContactID']);
  const byId = id ? findContact(db, org.id, id) : undefined;
  if (mode === 'create' && byId) return { ok: false, echo: input, errors: [`A contact with ContactID ${id} already exists; PUT only creates. Use POST to update it.`] };
  if (mode === 'createOrUpdate' && id && !byId) return { ok: false, echo: input, errors: [CONTACT_ID_UNKNOWN] };
  const number = text(input['ContactNumber']);
  const name = text(input['Name']);
  const existing = mode === 'create' ? undefined : byId ?? (number ? findContactByNumber(db, org.id, number) : undefined) ?? (name ? findContactByName(db, org.id, name) : undefined);
  return apply(context, input, existing);
}

/** Applies submitted fields over `existing` (or a new contact), validates and saves. */
export function apply(context: InvoiceContext, input: Record<string, unknown>, existing: Contact | undefined): Outcome {
  const { db, org, now } = context;
  const errors: string[] = [];
  const name = text(input['Name']) ?? existing?.Name;
  if (!name) errors.push('The Contact must contain at least 1 of the following elements to identify the contact: Name, ContactID, ContactNumber');
  else if (name.length > 255) errors.push('The contact name must be 255 characters or fewer.');
  else if (findContactByName(db, org.id, name, existing?.ContactID)) {
    errors.push(`The contact name ${name} is already assigned to another contact. The contact name must be unique across all active contacts.`);
  }
  const number = text(input['ContactNumber']) ?? existing?.ContactNumber;
  if (number && number.length > 50) errors.push('The ContactNumber must be 50 characters or fewer.');
  const email = text(input['EmailAddress']);
  if (email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) errors.push('Email address must be valid.');
  const status = text(input['ContactStatus'])?.toUpperCase() ?? existing?.ContactStatus ?? 'ACTIVE';
  if (status !== 'ACTIVE' && status !== 'ARCHIVED') errors.push(`ContactStatus '${status}' is not valid; use ACTIVE or ARCHIVED.`);
  const currency = text(input['DefaultCurrency'])?.toUpperCase();
  if (currency && currency !== org.baseCurrency) errors.push(`Organisation is not subscribed to currency ${currency}`);

  const base = existing ?? newContact(name ?? '', number, storedTimestamp(now));
  const contact: Contact = {
    ...base,
    ...(number ? { ContactNumber: number } : {}),
    ContactStatus: status === 'ARCHIVED' ? 'ARCHIVED' : 'ACTIVE',
    Name: name ?? '',
    ...Object.fromEntries(SIMPLE.flatMap((key) => (text(input[key]) !== undefined ? [[key, text(input[key])]] : []))),
    ...(input['Addresses'] !== undefined ? { Addresses: pick(records(input['Addresses']), ADDRESS_KEYS).slice(0, 2) } : {}),
    ...(input['Phones'] !== undefined ? { Phones: pick(records(input['Phones']), PHONE_KEYS).slice(0, 4) } : {}),
    ...(currency || base.DefaultCurrency ? { DefaultCurrency: currency ?? base.DefaultCurrency } : {}),
    IsSupplier: existing?.IsSupplier ?? false,
    IsCustomer: existing?.IsCustomer ?? false,
    UpdatedDateUTC: storedTimestamp(now),
  };
  if (errors.length > 0) return { ok: false, echo: { ...contact, ContactID: existing?.ContactID ?? EMPTY_ID }, errors };
  saveContact(db, org.id, contact, !existing, now.toISOString());
  return { ok: true, doc: contact };
}

function pick(list: Record<string, unknown>[], keys: string[]): Record<string, unknown>[] {
  return list.map((entry) => Object.fromEntries(keys.flatMap((key) => (text(entry[key]) !== undefined ? [[key, text(entry[key])]] : []))));
}


import type { Db } from '../../store/db';
import { findDocument, findDocumentsByNumber, insertDocument, listDocuments, updateDocument } from '../store/documents';
import { newId } from './ids';
import type { Contact, ContactSummary } from './model';
import { isGuid, record, text } from './values';

/** Messages Xero gives when an invoice or payment names its contact badly. */
export const CONTACT_MISSING = 'A Contact must be specified for this type of transaction';
export const CONTACT_UNIDENTIFIED = 'The Contact must contain at least 1 of the following elements to identify the contact: Name, ContactID, ContactNumber';
export const CONTACT_ID_UNKNOWN = 'An existing Contact with the specified ContactID could not be found';
/**
 * MARKET-2026.md §5 records the opening ("The contact with the specified contact details has
 * been archived…", Expedo wiki); the rest is as Re-Leased's and Retail Express's help centres
 * quote Xero's answer.
 */
export const CONTACT_ARCHIVED = 'The contact with the specified contact details has been archived. The contact must be un-archived before creating new invoices or credit notes.';

export function findContact(db: Db, organisationId: string, id: string): Contact | undefined {
  return isGuid(id) ? findDocument<Contact>(db, organisationId, 'Contact', id) : undefined;
}

export function findContactByNumber(db: Db, organisationId: string, number: string): Contact | undefined {
  return findDocumentsByNumber<Contact>(db, organisationId, 'Contact', number)[0];
}

/** The active contact with this name (names compare without regard to case). */
export function findContactByName(db: Db, organisationId: string, name: string, exceptId?: string): Contact | undefined {
  const wanted = name.trim().toLowerCase();
  return listDocuments<Contact>(db, organisationId, 'Contact').find((c) => c.ContactStatus === 'ACTIVE' && c.Name.toLowerCase() === wanted && c.ContactID !== exceptId);
}

export function summarise(contact: Contact): ContactSummary {
  return { ContactID: contact.ContactID, ...(contact.ContactNumber ? { ContactNumber: contact.ContactNumber } : {}), Name: contact.Name };
}

/** The contact a document names: an existing one, one to create (Name only, as Xero does), or an error. */
export type ContactResolution = { contact: Contact; isNew: boolean } | { error: string };

/**
 * Resolves a document's `Contact`: by ContactID (must exist), else ContactNumber, else Name;
 * a Name (with or without a new ContactNumber) that matches nobody becomes a new contact,
 * which the caller saves only if the document itself is saved. An archived contact is refused
 * however it is named; refusing a Name that matches only an archived contact (rather than
 * creating a second contact of that name) is the sandbox's reading of "specified contact
 * details", UNVERIFIED against Xero.
 */
export function resolveContact(db: Db, organisationId: string, input: unknown, updated: string): ContactResolution {
  const ref = record(input);
  if (!ref) return { error: CONTACT_MISSING };
  const id = text(ref['ContactID']);
  const number = text(ref['ContactNumber']);
  const name = text(ref['Name']);
  const usable = (contact: Contact): ContactResolution => (contact.ContactStatus === 'ARCHIVED' ? { error: CONTACT_ARCHIVED } : { contact, isNew: false });
  if (id) {
    const found = findContact(db, organisationId, id);
    return found ? usable(found) : { error: CONTACT_ID_UNKNOWN };
  }
  if (number) {
    const found = findContactByNumber(db, organisationId, number);
    if (found) return usable(found);
  }
  if (!name) return { error: number ? `The contact with ContactNumber '${number}' could not be found; give a Name to create it` : CONTACT_UNIDENTIFIED };
  const found = findContactByName(db, organisationId, name);
  if (found) return { contact: found, isNew: false };
  const wanted = name.toLowerCase();
  if (listDocuments<Contact>(db, organisationId, 'Contact').some((c) => c.ContactStatus === 'ARCHIVED' && c.Name.toLowerCase() === wanted)) return { error: CONTACT_ARCHIVED };
  // Xero matches a document's contact by id, number and name, never by e-mail; a new one keeps the e-mail given.
  const email = text(ref['EmailAddress']);
  return { contact: { ...newContact(name, number, updated), ...(email ? { EmailAddress: email } : {}) }, isNew: true };
}

export function newContact(name: string, number: string | undefined, updated: string): Contact {
  return {
    ContactID: newId(),
    ...(number ? { ContactNumber: number } : {}),
    ContactStatus: 'ACTIVE',
    Name: name,
    Addresses: [],
    Phones: [],
    IsSupplier: false,
    IsCustomer: false,
    UpdatedDateUTC: updated,
    HasAttachments: false,
  };
}

/** Saves a contact, new or changed; `at` is the sandbox clock's ISO time. */
export function saveContact(db: Db, organisationId: string, contact: Contact, isNew: boolean, at: string): void {
  const row = { id: contact.ContactID, number: contact.ContactNumber ?? null, reference: contact.Name };
  if (isNew) insertDocument(db, organisationId, 'Contact', row, contact, at);
  else updateDocument(db, organisationId, 'Contact', row, contact, at);
}

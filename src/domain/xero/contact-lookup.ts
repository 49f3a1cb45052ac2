import { encodeForm } from '../oauth1/form-encoding';
import { buildJsonGet, type XeroAuth } from './auth';
import { xeroEndpoints } from './endpoints';
import type { XeroRequest, XeroResponse } from './http';
import { parseXeroProblem } from './problem';
import { unreadableAnswer, xeroProblemError } from './xero-error';

/** How a document names its contact: any of Xero's identifying fields. */
export interface ContactRef {
  ContactID?: string;
  ContactNumber?: string;
  EmailAddress?: string;
  Name?: string;
}

/** One way of finding a contact, weakest last: its number, its e-mail, its name (compared trimmed, in lower case). */
export interface ContactKey {
  kind: 'number' | 'email' | 'name';
  value: string;
}

/** A contact as the look-up reads it from Xero. */
export interface FoundContact {
  ContactID: string;
  Name: string;
  ContactNumber?: string;
  EmailAddress?: string;
}

/** Terms per look-up: twenty keep the `where` URL well under the 2,048 characters IIS takes. */
export const MAX_CONTACT_KEYS_PER_LOOKUP = 20;

const FIELD = { number: 'ContactNumber', email: 'EmailAddress', name: 'Name' } as const;

const normal = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim().toLowerCase() : undefined);

/**
 * The keys a contact reference can be found by, in the order they are trusted: ContactNumber,
 * then e-mail, then name. None when it names a ContactID (Xero's own id needs no finding). A
 * value with a double quote cannot be written into Xero's `where` safely, so it is not a key.
 */
export function contactKeys(ref: ContactRef): ContactKey[] {
  if (normal(ref.ContactID)) return [];
  const keys: ContactKey[] = [];
  for (const [kind, field] of Object.entries(FIELD) as Array<[ContactKey['kind'], keyof ContactRef]>) {
    const value = normal(ref[field]);
    if (value !== undefined && !/["\\]/.test(value)) keys.push({ kind, value });
  }
  return keys;
}

/**
 * Builds `GET /Contacts?where=ContactNumber=="…" OR EmailAddress=="…" OR Name=="…"` (Xero's
 * optimised contact filters; strings compare without regard to case), active contacts only.
 * @see https://developer.xero.com/documentation/api/accounting/contacts (optimised use of the where filter)
 */
export function buildContactLookup(input: { apiUrl: string; auth: XeroAuth; keys: readonly ContactKey[] }): XeroRequest {
  const where = input.keys.map((key) => `${FIELD[key.kind]}=="${key.value}"`).join(' OR ');
  return buildJsonGet(input.auth, `${xeroEndpoints(input.apiUrl).accounting}/Contacts?${encodeForm([['where', where]])}`);
}

/** The active contacts Xero answered; any other status is thrown as its problem. */
export function processContactLookup(response: XeroResponse): FoundContact[] {
  if (response.status !== 200) throw xeroProblemError(parseXeroProblem(response), response);
  let list: unknown;
  try {
    list = (JSON.parse(response.body) as Record<string, unknown>)['Contacts'];
  } catch {
    throw unreadableAnswer("Xero's Contacts answer is not valid JSON.", response);
  }
  if (!Array.isArray(list)) throw unreadableAnswer("Xero's Contacts answer has no Contacts list.", response);
  return list.flatMap((entry: Record<string, unknown>) => {
    if (typeof entry?.['ContactID'] !== 'string' || typeof entry['Name'] !== 'string') return [];
    if (typeof entry['ContactStatus'] === 'string' && entry['ContactStatus'] !== 'ACTIVE') return [];
    const optional = (field: string) => (typeof entry[field] === 'string' && entry[field] !== '' ? { [field]: entry[field] as string } : {});
    return [{ ContactID: entry['ContactID'], Name: entry['Name'], ...optional('ContactNumber'), ...optional('EmailAddress') }];
  });
}

/**
 * The contact one key finds among those Xero answered: a number or a name names one contact
 * (active names are unique in Xero); an e-mail shared by several contacts (a family, a funder's
 * desk) finds none, so the name decides instead.
 */
export function contactForKey(key: ContactKey, found: readonly FoundContact[]): FoundContact | undefined {
  const matches = found.filter((contact) => normal(contact[FIELD[key.kind]]) === key.value);
  return matches.length === 1 ? matches[0] : undefined;
}

import { buildContactLookup, contactForKey, contactKeys, MAX_CONTACT_KEYS_PER_LOOKUP, processContactLookup, type ContactKey, type ContactRef } from '../domain/xero/contact-lookup';
import { findCachedContact, forgetContact, forgetContactKeys, saveCachedContact } from '../store/contact-cache';
import { unclaimJobs, type Job, type JobKind } from '../store/jobs';
import type { DeliveryContext } from './context';
import { settleFailure } from './settle';

/**
 * Contacts found before they are created. A document (invoice, credit note, any with a
 * `Contact`) that names its contact by ContactNumber or e-mail (and perhaps a name) is sent to
 * the contact Xero already has, found by ContactID, then ContactNumber, then e-mail, then name,
 * so a practice can name the patient or the funder by the e-mail or number its own system keeps,
 * and no second contact of an existing active name is made. Xero matches a document's contact by
 * id, number and name itself but never by e-mail, hence the look-up. What Xero answered is cached
 * per organisation (store/contact-cache.ts).
 */

/** The document's contact as it names it. */
export const contactOf = (job: Job): ContactRef => (job.payload['Contact'] ?? {}) as ContactRef;

/** What the cache says a document's contact is: Xero's id, `create` (Xero has none: send it as named), or `ask` (look it up first). */
export function cachedContact(ctx: DeliveryContext, organisationId: string, job: Job): { contactId: string } | 'create' | 'ask' {
  const keys = contactKeys(contactOf(job));
  // A contact named by its name alone is matched by Xero itself (active names are unique there),
  // so it costs no look-up; a number or an e-mail is looked up, so the e-mail counts before the name.
  if (!keys.some((key) => key.kind !== 'name')) return 'create';
  for (const key of keys) {
    const cached = findCachedContact(ctx.deps.db, ctx.deps.clock, organisationId, key);
    if (!cached) return 'ask';
    if (cached.contactId) return { contactId: cached.contactId };
  }
  return 'create';
}

/** The element with its contact named by Xero's id when one was found. */
export function withFoundContact(element: Record<string, unknown>, found: ReturnType<typeof cachedContact>): Record<string, unknown> {
  return typeof found === 'object' ? { ...element, Contact: { ContactID: found.contactId } } : element;
}

/**
 * One paced look-up of the contacts the cache cannot answer for (as many as one URL takes),
 * recording for each key what Xero has; then every claimed job goes back to the queue
 * uncounted, to be sent by the next step with its contact known. A failed look-up is settled
 * like any read: nothing was written, so nothing is unknown.
 */
export async function lookUpContacts(ctx: DeliveryContext, organisationId: string, kind: JobKind, claimed: readonly Job[], asking: readonly Job[]): Promise<void> {
  const { db, clock, config } = ctx.deps;
  const keys: ContactKey[] = [];
  const seen = new Set<string>();
  for (const job of asking) {
    for (const key of contactKeys(contactOf(job))) {
      const id = `${key.kind}:${key.value}`;
      if (seen.has(id) || findCachedContact(db, clock, organisationId, key)) continue;
      if (keys.length >= MAX_CONTACT_KEYS_PER_LOOKUP) break;
      seen.add(id);
      keys.push(key);
    }
  }
  if (keys.length === 0) {
    unclaimJobs(db, clock, claimed.map((job) => job.id), { notBefore: clock.now().toISOString() });
    return;
  }
  try {
    ctx.stats.lookups += 1;
    const response = await ctx.call(organisationId, (auth) => buildContactLookup({ apiUrl: config.xero.apiUrl, auth, keys }));
    const found = processContactLookup(response);
    db.transaction(() => {
      for (const key of keys) {
        const contact = contactForKey(key, found);
        saveCachedContact(db, clock, organisationId, key, contact ? { id: contact.ContactID, name: contact.Name } : null);
      }
      unclaimJobs(db, clock, claimed.map((job) => job.id), { notBefore: clock.now().toISOString() });
    })();
  } catch (error) {
    settleFailure(ctx, organisationId, kind, claimed, error, false);
  }
}

/** After Xero took a document: its contact's id is remembered under the number and name it was sent with. */
export function rememberDeliveredContact(ctx: DeliveryContext, organisationId: string, job: Job, item: Record<string, unknown>): void {
  const echoed = item['Contact'] as Record<string, unknown> | undefined;
  const id = echoed?.['ContactID'];
  const name = echoed?.['Name'];
  if (typeof id !== 'string' || typeof name !== 'string') return;
  const keys = contactKeys(contactOf(job));
  // A contact named by its name alone is never looked up, so there is nothing to remember it for.
  if (!keys.some((key) => key.kind !== 'name')) return;
  for (const key of keys) {
    // An e-mail is not in Xero's echo, so it is only cached by a look-up that saw it.
    const echoedValue = key.kind === 'number' ? echoed?.['ContactNumber'] : key.kind === 'name' ? name : undefined;
    if (typeof echoedValue === 'string' && echoedValue.trim().toLowerCase() === key.value) saveCachedContact(ctx.deps.db, ctx.deps.clock, organisationId, key, { id, name });
  }
}

/** After Xero refused a document for its contact: what the cache said about it is dropped, so a retry asks Xero again. */
export function forgetRefusedContact(ctx: DeliveryContext, organisationId: string, job: Job, cause: string, sent: Record<string, unknown>): void {
  if (cause !== 'contact_archived' && cause !== 'contact_name_taken') return;
  const contactId = (sent['Contact'] as Record<string, unknown> | undefined)?.['ContactID'];
  if (typeof contactId === 'string') forgetContact(ctx.deps.db, organisationId, contactId);
  forgetContactKeys(ctx.deps.db, organisationId, contactKeys(contactOf(job)));
}

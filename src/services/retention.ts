import { FOUND_CONTACT_MS, forgetContactsFoundBefore } from '../store/contact-cache';
import { eraseDeliveredContent, type ErasedContent } from '../store/content-retention';
import { checkpoint } from '../store/db';
import type { ServiceDeps } from './deps';

const DAY_MS = 86_400_000;

/**
 * Erases what delivered documents held (payload, what the app sent, Xero's answer) once
 * `storage.retention_days` have passed since their delivery; 0 keeps it for ever. The hourly job
 * of the server runs it. Logs counts only: a log never holds a document's content.
 */
export function eraseOldContent(deps: ServiceDeps): ErasedContent {
  const days = deps.config.storage.retentionDays;
  const now = deps.clock.now().getTime();
  // Contacts found at Xero (a patient's or funder's name and e-mail) are not trusted once a day
  // old, so they go then, whatever the retention (even 0, which keeps documents for ever).
  const contacts = forgetContactsFoundBefore(deps.db, new Date(now - FOUND_CONTACT_MS).toISOString());
  const erased = days === 0 ? { jobs: 0, submissions: 0 } : eraseDeliveredContent(deps.db, deps.clock, new Date(now - days * DAY_MS).toISOString());
  if (erased.jobs + erased.submissions + contacts > 0) {
    // The old pages leave the WAL too, not only the database file.
    checkpoint(deps.db);
    deps.logger.info('delivered documents: content erased after the retention period', { days, ...erased, contacts });
  }
  return erased;
}

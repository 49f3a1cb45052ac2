import { forgetContactsFoundBefore } from '../store/contact-cache';
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
  if (days === 0) return { jobs: 0, submissions: 0 };
  const before = new Date(deps.clock.now().getTime() - days * DAY_MS).toISOString();
  const erased = eraseDeliveredContent(deps.db, deps.clock, before);
  // Contacts found at Xero (names, e-mails) go under the same rule; a day old, they are not trusted anyway.
  const contacts = forgetContactsFoundBefore(deps.db, before);
  if (erased.jobs + erased.submissions + contacts > 0) {
    // The old pages leave the WAL too, not only the database file.
    checkpoint(deps.db);
    deps.logger.info('delivered documents: content erased after the retention period', { days, ...erased });
  }
  return erased;
}

import type { Organisation } from '../store/organisations';
import { recordAudit, type Actor } from './audit';
import type { ServiceDeps } from './deps';

/**
 * Records a link in the audit log, in the transaction that stores it: a new organisation, or one
 * the proxy knew linked again (after a relink was needed, or a disconnection).
 */
export function auditLinked(deps: Pick<ServiceDeps, 'db' | 'clock'>, actor: Actor, organisation: Organisation, previous: Organisation | undefined): void {
  recordAudit(deps, {
    actor,
    action: previous ? 'organisation.relinked' : 'organisation.linked',
    subject: organisation.name,
    changes: {
      xeroOrganisationId: organisation.xeroOrganisationId,
      shortCode: organisation.shortCode,
      appType: organisation.appType,
      ...(previous ? { linkState: { from: previous.linkState, to: organisation.linkState } } : {}),
    },
  });
}

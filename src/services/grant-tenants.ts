import { buildConnectionsRequest, processConnectionsResponse } from '../domain/oauth2/connections';
import { oauth2Auth } from '../domain/xero/auth';
import { buildOrganisationRequest, organisationFields, processOrganisationResponse } from '../domain/xero/organisation';
import { send } from '../domain/xero/send';
import { AppError } from '../lib/errors';
import type { Secret } from '../lib/secret';
import type { OrganisationDetails } from '../store/organisations';
import type { XeroDeps } from './xero-app';

/** One organisation a grant reaches, as linking records it. */
export type Tenant = Omit<OrganisationDetails, 'appType'> & { tenantId: string; connectionId: string };

/**
 * The organisations an access token may act for: `GET /connections`, then each organisation's
 * details read with its tenant id (which also proves the token works for it). Practices and
 * other tenant kinds have no accounting, so only organisations are kept.
 * @see PROTOCOL.md §6.2
 */
export async function readTenants(deps: XeroDeps, accessToken: Secret): Promise<Tenant[]> {
  const { apiUrl } = deps.config.xero;
  const connections = processConnectionsResponse(await send(deps.transport, buildConnectionsRequest(apiUrl, accessToken)));
  const organisations = connections.filter((connection) => connection.tenantType.toUpperCase() === 'ORGANISATION');
  if (organisations.length === 0) {
    throw new AppError('upstream', 'The authorisation at Xero covers no organisation (no tenant of type ORGANISATION), so there is nothing to link.', {
      retryable: false,
      hint: 'Sign in at Xero as a user of the organisation and tick it when Xero asks which organisations to allow.',
    });
  }
  const tenants: Tenant[] = [];
  for (const connection of organisations) {
    const details = processOrganisationResponse(await send(deps.transport, buildOrganisationRequest({ apiUrl, auth: oauth2Auth(accessToken, connection.tenantId) })));
    tenants.push({
      ...organisationFields(details),
      tenantId: connection.tenantId,
      connectionId: connection.id,
    });
  }
  return tenants;
}

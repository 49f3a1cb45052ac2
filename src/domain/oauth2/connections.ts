import { AppError } from '../../lib/errors';
import type { Secret } from '../../lib/secret';
import { xeroEndpoints } from '../xero/endpoints';
import type { XeroRequest, XeroResponse } from '../xero/http';
import { parseXeroProblem } from '../xero/problem';
import { unreadableAnswer, xeroProblemError } from '../xero/xero-error';

/** One tenant a grant reaches: the organisation (or practice) and this app's connection to it. */
export interface XeroConnection {
  /** The connection's id: what `DELETE /connections/{id}` removes. */
  id: string;
  /** What every API call sends as `xero-tenant-id`. */
  tenantId: string;
  /** ORGANISATION, PRACTICE… */
  tenantType: string;
  tenantName: string;
  authEventId: string | undefined;
}

/**
 * Builds `GET /connections` with the grant's access token: the tenants it may act for.
 * @see PROTOCOL.md §6.1, §6.2
 */
export function buildConnectionsRequest(apiUrl: string, accessToken: Secret): XeroRequest {
  return { method: 'GET', url: xeroEndpoints(apiUrl).connections, headers: { Authorization: `Bearer ${accessToken.reveal()}`, Accept: 'application/json' } };
}

/** Reads the connections list; any status but 200 is thrown as its problem. */
export function processConnectionsResponse(response: XeroResponse): XeroConnection[] {
  if (response.status !== 200) throw xeroProblemError(parseXeroProblem(response), response);
  let list: unknown;
  try {
    list = JSON.parse(response.body);
  } catch {
    throw unreadableAnswer("Xero's /connections answer is not JSON.", response);
  }
  if (!Array.isArray(list)) throw unreadableAnswer("Xero's /connections answer is not a list.", response);
  return list.map((item: unknown) => {
    const record = (item !== null && typeof item === 'object' ? item : {}) as Record<string, unknown>;
    const text = (name: string) => (typeof record[name] === 'string' && record[name] !== '' ? (record[name] as string) : undefined);
    const id = text('id');
    const tenantId = text('tenantId');
    if (!id || !tenantId) throw unreadableAnswer("An entry of Xero's /connections answer has no id or tenantId.", response);
    return { id, tenantId, tenantType: text('tenantType') ?? 'ORGANISATION', tenantName: text('tenantName') ?? tenantId, authEventId: text('authEventId') };
  });
}

/**
 * Builds `DELETE /connections/{id}`: disconnects one tenant, leaving the grant's others linked.
 * @see PROTOCOL.md §6.1
 */
export function buildDeleteConnectionRequest(apiUrl: string, accessToken: Secret, connectionId: string): XeroRequest {
  if (!/^[A-Za-z0-9-]{1,64}$/.test(connectionId)) throw new AppError('invalid', `"${connectionId}" is not a connection id.`, { field: 'connectionId' });
  return { method: 'DELETE', url: `${xeroEndpoints(apiUrl).connections}/${connectionId}`, headers: { Authorization: `Bearer ${accessToken.reveal()}` } };
}

/** 204: disconnected. 404: Xero no longer knows the connection (someone removed it in Xero), which ends the same way. */
export function processDeleteConnectionResponse(response: XeroResponse): 'deleted' | 'already_gone' {
  if (response.status === 204 || response.status === 200) return 'deleted';
  if (response.status === 404) return 'already_gone';
  throw xeroProblemError(parseXeroProblem(response), response);
}

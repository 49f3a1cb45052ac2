import { Hono, type Context } from 'hono';
import type { SandboxDeps, SandboxEnv } from '../deps';
import { findOrganisation } from '../organisations';
import { resolveBearer } from './bearer';
import { deleteConnection, listConnections, type Connection } from './grants';
import { countTenantlessCall } from './rate-limit';

/**
 * `GET /connections` (the tenants a grant covers, optionally `?authEventId=`) and
 * `DELETE /connections/{id}` (disconnect one tenant: 204, or 404 when the grant has no such
 * connection). Bearer token only; no tenant header; only the app-wide limit counts.
 * @see PROTOCOL.md §6.1, §6.2; xero-identity.yaml
 */
export function connectionsRoutes(deps: SandboxDeps): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();

  const list = (c: Context<SandboxEnv>) => {
    const caller = resolveBearer(deps, c);
    if (caller instanceof Response) return caller;
    const limited = countTenantlessCall(deps, c, caller.app.clientId);
    if (limited) return limited;
    const authEventId = c.req.query('authEventId');
    const connections = listConnections(deps.db, caller.grant.id).filter((connection) => !authEventId || connection.authEventId === authEventId);
    return c.json(connections.map((connection) => describe(deps, connection)));
  };

  const remove = (c: Context<SandboxEnv>) => {
    const caller = resolveBearer(deps, c);
    if (caller instanceof Response) return caller;
    const limited = countTenantlessCall(deps, c, caller.app.clientId);
    if (limited) return limited;
    if (!deleteConnection(deps.db, caller.grant.id, c.req.param('id') ?? '')) return c.body(null, 404);
    return c.body(null, 204);
  };

  for (const path of ['/connections', '/Connections']) {
    app.get(path, list);
    app.delete(`${path}/:id`, remove);
  }
  return app;
}

function describe(deps: SandboxDeps, connection: Connection): Record<string, unknown> {
  return {
    id: connection.id,
    authEventId: connection.authEventId,
    tenantId: connection.tenantId,
    tenantType: 'ORGANISATION',
    tenantName: findOrganisation(deps.db, connection.tenantId)?.name ?? null,
    createdDateUtc: connection.createdAt.replace(/Z$/, ''),
    updatedDateUtc: connection.updatedAt.replace(/Z$/, ''),
  };
}

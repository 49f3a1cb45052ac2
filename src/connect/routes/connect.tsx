import { Hono } from 'hono';
import { isAppError } from '../../lib/errors';
import type { ServiceDeps } from '../../services/deps';
import { approvePairing, denyPairing, getPendingPairing, normaliseUserCode } from '../../services/pairing';
import { findDeviceByDeviceId } from '../../store/devices';
import { findOrganisation, listOrganisations } from '../../store/organisations';
import { listPendingPairings, type Pairing } from '../../store/pairings';
import { CodeFormPage } from '../../../views/connect/code-form';
import { ApprovedPage, DeniedPage } from '../../../views/connect/outcomes';
import { PairingRequestPage } from '../../../views/connect/pairing-request';
import { page, PAGE_STATUS } from '../render';
import { acting, formText, requireAdmin, type PageEnv } from '../session';

const CODE_SHAPE = /^[A-Z]{4}-[A-Z]{4}$/;

/** Where a failed action on a pairing sends the person back to. */
export const backToRequest = (code: string) => ({ href: `/connect?code=${encodeURIComponent(normaliseUserCode(code))}`, label: 'Back to the request' });

/** `GET /connect` (type a code, or review one), `POST /connect/approve` and `POST /connect/deny`. */
export function connectRoutes(deps: ServiceDeps): Hono<PageEnv> {
  const app = new Hono<PageEnv>();
  const admin = requireAdmin(deps);
  const pendingList = () => listPendingPairings(deps.db, deps.clock).map(({ userCode, deviceId, name }) => ({ userCode, deviceId, name }));

  app.get('/connect', admin, (c) => {
    const signedIn = c.get('session')!;
    const typed = (c.req.query('code') ?? '').slice(0, 40);
    if (typed.trim() === '') return page(c, <CodeFormPage signedIn={signedIn} pending={pendingList()} />);
    const code = normaliseUserCode(typed);
    if (!CODE_SHAPE.test(code)) {
      return page(c, <CodeFormPage signedIn={signedIn} code={typed} error="That is not a pairing code: codes have eight letters, like BCDF-GHJK." pending={pendingList()} />, 400);
    }
    let pairing: Pairing;
    try {
      pairing = getPendingPairing(deps, code);
    } catch (error) {
      if (!isAppError(error)) throw error;
      return page(c, <CodeFormPage signedIn={signedIn} code={code} error={error.message} pending={pendingList()} />, PAGE_STATUS[error.code]);
    }
    const device = findDeviceByDeviceId(deps.db, pairing.deviceId);
    const alreadyLinked = device ? { organisationName: (device.organisationId && findOrganisation(deps.db, device.organisationId)?.name) || 'no organisation', active: device.status === 'active' } : undefined;
    const organisations = listOrganisations(deps.db).filter((org) => org.linkState === 'linked');
    const minutesLeft = Math.max(0, Math.ceil((Date.parse(pairing.expiresAt) - deps.clock.now().getTime()) / 60_000));
    return page(
      c,
      <PairingRequestPage
        signedIn={signedIn}
        request={{ userCode: pairing.userCode, deviceId: pairing.deviceId, name: pairing.name, sourceAddress: pairing.sourceAddress, minutesLeft }}
        alreadyLinked={alreadyLinked}
        organisations={organisations.map(({ id, name, shortCode }) => ({ id, name, shortCode }))}
      />,
    );
  });

  app.post('/connect/approve', admin, async (c) => {
    const code = await formText(c, 'code');
    c.set('back', backToRequest(code));
    const approved = approvePairing(acting(c, deps), code, await formText(c, 'organisationId'));
    const organisation = findOrganisation(deps.db, approved.organisationId!)!;
    return page(c, <ApprovedPage device={approved} organisationName={organisation.name} signedIn={c.get('session')} />);
  });

  app.post('/connect/deny', admin, async (c) => {
    const code = await formText(c, 'code');
    c.set('back', backToRequest(code));
    const pairing = getPendingPairing(deps, code);
    denyPairing(acting(c, deps), pairing.userCode, 'Denied by the administrator on the connect page.');
    return page(c, <DeniedPage device={pairing} signedIn={c.get('session')!} />);
  });
  return app;
}

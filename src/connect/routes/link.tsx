import { Hono } from 'hono';
import { completeLink, startLink, type LinkDeps } from '../../services/linking';
import { normaliseUserCode } from '../../services/pairing';
import type { Organisation } from '../../store/organisations';
import { findPairingByUserCode } from '../../store/pairings';
import { LinkDeniedPage, LinkedPage, LinkFailedPage, type DeviceLabel } from '../../../views/connect/outcomes';
import { page, PAGE_STATUS } from '../render';
import { formText, requireAdmin, type PageEnv } from '../session';
import { backToRequest } from './connect';

const home = { href: '/', label: 'Back to the overview' };

/**
 * `POST /connect/link` sends the browser to Xero to link an organisation (for a pairing, or on its
 * own); `GET /connect/callback` is where Xero sends it back.
 *
 * The callback needs no session, by design: the SameSite=Strict cookie is not sent on a redirect
 * that starts at Xero, and `xero-proxy org connect` links with no browser session at all. What
 * protects it is the request token: only a link started here (signed in, CSRF-checked) has one,
 * and it works once.
 */
export function linkRoutes(deps: LinkDeps): Hono<PageEnv> {
  const app = new Hono<PageEnv>();

  app.post('/connect/link', requireAdmin(deps), async (c) => {
    const code = (await formText(c, 'code')).trim();
    c.set('back', code ? backToRequest(code) : home);
    const started = await startLink(deps, code ? { pairingUserCode: code } : {});
    if (started.kind === 'redirect') return c.redirect(started.authorizeUrl, 303);
    // A private app belongs to one organisation: it is linked (and the pairing approved) at once.
    return page(c, <LinkedPage organisationName={started.organisation.name} device={code ? deviceResult(deps, code, started.organisation) : undefined} signedIn={c.get('session')} />);
  });

  app.get('/connect/callback', async (c) => {
    c.set('back', home);
    const outcome = await completeLink(deps, c.req.query());
    switch (outcome.kind) {
      case 'linked':
        return page(c, <LinkedPage organisationName={outcome.organisation.name} device={outcome.pairingUserCode ? deviceResult(deps, outcome.pairingUserCode, outcome.organisation) : undefined} />);
      case 'denied':
        // The person's own choice at Xero: a normal outcome, not an error.
        return page(c, <LinkDeniedPage message={outcome.message} />);
      case 'failed':
        return page(c, <LinkFailedPage message={outcome.message} />, PAGE_STATUS[outcome.code]);
    }
  });
  return app;
}

/** Whether the pairing behind a link ended approved for the organisation that was linked. */
function deviceResult(deps: LinkDeps, code: string, organisation: Organisation): (DeviceLabel & { approved: boolean }) | undefined {
  const pairing = findPairingByUserCode(deps.db, normaliseUserCode(code));
  if (!pairing) return undefined;
  const approved = (pairing.state === 'approved' || pairing.state === 'collected') && pairing.organisationId === organisation.id;
  return { name: pairing.name, deviceId: pairing.deviceId, approved };
}

import { Hono, type Context } from 'hono';
import { answerNeedsPasting } from '../../config/oauth2';
import { pastedAnswer } from '../../domain/oauth2/authorize';
import { chooseOrganisation, choiceOf } from '../../services/grant-choice';
import { completeLink, startLink, type LinkDeps, type LinkOutcome } from '../../services/linking';
import { normaliseUserCode } from '../../services/pairing';
import type { Organisation } from '../../store/organisations';
import { findPairingByUserCode } from '../../store/pairings';
import { ChooseOrganisationPage, GrantLinkedPage } from '../../../views/connect/choose-organisation';
import { ApprovedPage, LinkDeniedPage, LinkedPage, LinkFailedPage, LinkRefusedPage, type DeviceLabel } from '../../../views/connect/outcomes';
import { PasteAddressPage } from '../../../views/connect/paste-address';
import { page, PAGE_STATUS } from '../render';
import { acting, formText, requireAdmin, type PageEnv } from '../session';
import { backToRequest } from './connect';

const home = { href: '/', label: 'Back to the overview' };

/**
 * `POST /connect/link` sends the browser to Xero to link an organisation (for a pairing, or on its
 * own); `GET /connect/callback` is where Xero sends it back (`/connect/oauth2/callback` too, the
 * OAuth 2.0 default). OAuth 2.0 adds `POST /connect/choose`
 * (which organisation a waiting app sends to) and `POST /connect/paste` (Xero's answer pasted
 * from a localhost address the browser could not open).
 *
 * The callback needs no session, by design: the SameSite=Strict cookie is not sent on a redirect
 * that starts at Xero, and `xero-proxy org connect` links with no browser session at all. What
 * protects it is the request token or `state`: only a link started here (signed in, CSRF-checked)
 * has one, and it works once. For the same reason the choice page proves itself with a one-time
 * value made by the callback, not with the session's CSRF token.
 */
export function linkRoutes(deps: LinkDeps): Hono<PageEnv> {
  const app = new Hono<PageEnv>();

  app.post('/connect/link', requireAdmin(deps), async (c) => {
    const code = (await formText(c, 'code')).trim();
    c.set('back', code ? backToRequest(code) : home);
    const started = await startLink(acting(c, deps), code ? { pairingUserCode: code } : {});
    if (started.kind === 'redirect') {
      if (!answerNeedsPasting(deps.config)) return c.redirect(started.authorizeUrl, 303);
      return page(c, <PasteAddressPage signedIn={c.get('session')!} authorizeUrl={started.authorizeUrl} redirectUri={deps.config.xero.redirectUri} code={code || undefined} />);
    }
    // A private app or a custom connection reaches one organisation: it is linked (and the pairing approved) at once.
    return page(c, <LinkedPage organisationName={started.organisation.name} device={code ? deviceResult(deps, code, started.organisation) : undefined} signedIn={c.get('session')} />);
  });

  // OAuth 2.0 apps are registered with /connect/oauth2/callback by default; either path completes whichever link this proxy started.
  for (const path of ['/connect/callback', '/connect/oauth2/callback']) {
    app.get(path, async (c) => {
      c.set('back', home);
      return outcomePage(c, deps, await completeLink(deps, c.req.query()));
    });
  }

  app.post('/connect/paste', requireAdmin(deps), async (c) => {
    const code = (await formText(c, 'code')).trim();
    c.set('back', code ? backToRequest(code) : home);
    return outcomePage(c, deps, await completeLink(deps, Object.fromEntries(pastedAnswer(await formText(c, 'address')))));
  });

  app.post('/connect/choose', async (c) => {
    c.set('back', { href: '/connect', label: 'Back to the connect page' });
    const [link, proof, organisationId] = [await formText(c, 'link'), await formText(c, 'proof'), await formText(c, 'organisationId')];
    const chosen = chooseOrganisation(deps, { linkRequestId: link, proof, organisationId });
    return page(c, <ApprovedPage device={chosen.pairing} organisationName={chosen.organisation.name} />);
  });
  return app;
}

function outcomePage(c: Context<PageEnv>, deps: LinkDeps, outcome: LinkOutcome): Response {
  switch (outcome.kind) {
    case 'linked':
      return page(c, <LinkedPage organisationName={outcome.organisation.name} device={outcome.pairingUserCode ? deviceResult(deps, outcome.pairingUserCode, outcome.organisation) : undefined} />);
    case 'granted': {
      if (!outcome.choice) return page(c, <GrantLinkedPage organisations={outcome.organisations} device={outcome.device} refused={outcome.refused} />);
      const { organisations } = choiceOf(deps, outcome.linkRequestId, outcome.choice.proof);
      return page(c, <ChooseOrganisationPage linkRequestId={outcome.linkRequestId} proof={outcome.choice.proof} device={outcome.choice.device} organisations={organisations} />);
    }
    case 'denied':
      // The person's own choice at Xero: a normal outcome, not an error.
      return page(c, <LinkDeniedPage message={outcome.message} />);
    case 'refused':
      return page(c, <LinkRefusedPage organisations={outcome.organisations} />, PAGE_STATUS.forbidden);
    case 'failed':
      return page(c, <LinkFailedPage message={outcome.message} />, PAGE_STATUS[outcome.code]);
  }
}

/** Whether the pairing behind a link ended approved for the organisation that was linked. */
function deviceResult(deps: LinkDeps, code: string, organisation: Organisation): (DeviceLabel & { approved: boolean }) | undefined {
  const pairing = findPairingByUserCode(deps.db, normaliseUserCode(code));
  if (!pairing) return undefined;
  const approved = (pairing.state === 'approved' || pairing.state === 'collected') && pairing.organisationId === organisation.id;
  return { name: pairing.name, deviceId: pairing.deviceId, approved };
}

import { Hono, type Context } from 'hono';
import { describeMissing, type MissingKind } from '../../domain/documents';
import { isAppError } from '../../lib/errors';
import { MAPPING_KINDS, removeMapping, setCheckedMapping, type MappingInput } from '../../services/mappings';
import { mappingsOverview } from '../../services/mappings-overview';
import type { XeroCalls } from '../../services/xero-calls';
import type { XeroDeps } from '../../services/xero-app';
import { MappingsPage, type MappingFormError } from '../../../views/mappings';
import { page } from '../render';
import { acting, formText, requireAdmin, type PageEnv } from '../session';

const FORM_FIELDS = ['form', 'kind', 'name', 'account', 'tax', 'employee', 'rate'] as const;
// The refusals a person can put right in the form; anything else is the error page's.
const SHOWN_IN_FORM = new Set(['invalid', 'upstream', 'unavailable', 'rate_limited', 'unprocessable']);

/** `GET /mappings`, `POST /mappings` (save, checked against Xero) and `POST /mappings/remove`. */
export function mappingRoutes(deps: XeroDeps, calls: XeroCalls): Hono<PageEnv> {
  const app = new Hono<PageEnv>();
  app.get('/mappings', requireAdmin(deps), async (c) => {
    const overview = await mappingsOverview(deps, calls, c.req.query('organisation') || undefined);
    const edit = c.req.query('edit');
    return page(c, <MappingsPage signedIn={c.get('session')!} overview={overview} {...noticeOf(c)} {...(edit ? { edit: { kind: edit, name: c.req.query('name') ?? '' } } : {})} />);
  });

  app.post('/mappings', requireAdmin(deps), async (c) => {
    const organisationId = await formText(c, 'organisation');
    const posted = Object.fromEntries(await Promise.all(FORM_FIELDS.map(async (name) => [name, (await formText(c, name)).trim()] as const)));
    const input = { kind: posted['kind'], ...Object.fromEntries(Object.entries(posted).filter(([key, value]) => key !== 'form' && key !== 'kind' && value !== '')) } as MappingInput;
    try {
      const saved = await setCheckedMapping(acting(c, deps), calls, organisationId, input);
      const query = new URLSearchParams({ organisation: organisationId, done: 'saved', kind: input.kind, ...(input.name ? { name: input.name.trim() } : {}), released: String(saved.documents.released), waiting: String(saved.documents.waiting) });
      return c.redirect(`/mappings?${query}`, 303);
    } catch (error) {
      if (!isAppError(error) || !SHOWN_IN_FORM.has(error.code)) throw error;
      // Shown again with what was entered and the error beside its field; nothing was saved.
      const refused: MappingFormError = { form: posted['form'] || `add-${input.kind}`, ...(error.field ? { field: error.field } : {}), message: plainMessage(error.message), posted };
      const overview = await mappingsOverview(deps, calls, organisationId);
      return page(c, <MappingsPage signedIn={c.get('session')!} overview={overview} error={refused} />, 400);
    }
  });

  app.post('/mappings/remove', requireAdmin(deps), async (c) => {
    const organisationId = await formText(c, 'organisation');
    const kind = await formText(c, 'kind');
    const name = (await formText(c, 'name')) || undefined;
    c.set('back', { href: `/mappings?organisation=${encodeURIComponent(organisationId)}`, label: 'Back to the mappings' });
    removeMapping(acting(c, deps), organisationId, kind, name);
    return c.redirect(`/mappings?${new URLSearchParams({ organisation: organisationId, done: 'removed', kind, ...(name ? { name } : {}) })}`, 303);
  });
  return app;
}

/** The sentence a redirect after an action asks for (`?done=saved&kind=category&name=Gelato&released=3`). */
function noticeOf(c: Context): { notice?: string } {
  const done = c.req.query('done');
  const kind = c.req.query('kind') ?? '';
  if ((done !== 'saved' && done !== 'removed') || !(MAPPING_KINDS as readonly string[]).includes(kind)) return {};
  const name = c.req.query('name');
  const what = describeMissing({ kind: kind as MissingKind, ...(name ? { name } : {}) });
  if (done === 'removed') return { notice: `Removed the mapping for ${what}. Documents that use it from now on wait here until it is mapped again.` };
  const released = Number(c.req.query('released') ?? 0);
  const waiting = Number(c.req.query('waiting') ?? 0);
  const sent = released > 0 ? ` ${released} waiting Xero ${released === 1 ? 'document is' : 'documents are'} now on the way to Xero.` : '';
  const still = waiting > 0 ? ` ${waiting} still ${waiting === 1 ? 'waits' : 'wait'} for other names, listed below.` : '';
  return { notice: `Saved the mapping for ${what}; Xero accepts it.${sent}${still}` };
}

/** The service's sentence without the command-line option it starts with (`--account: …`). */
const plainMessage = (message: string) => message.replace(/^--[a-z-]+: /, '');

import { DEMO_ORGANISATIONS, type SandboxOrganisation } from '../../src/sandbox/organisations';
import { encodeForm, oauthFetch, registerApp, type TestApp } from '../helpers/oauth1-client';
import { bearerFetch, linkWebApp, registerOAuth2App } from '../helpers/oauth2-client';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox';

/**
 * A whole sandbox on a real socket for the organisation-rules suites (archived records, lock
 * dates, approval caps): an OAuth 2.0 web app linked to every demo organisation, and an OAuth
 * 1.0a private app for one of them, so each rule can be met from both sides of the API.
 */
export interface RulesWorld {
  sb: TestSandbox;
  /** The organisation both apps reach. */
  org: SandboxOrganisation;
  /** A Bearer call to the Accounting API as `org` (or `tenant`), answering JSON. */
  api(method: string, path: string, body?: unknown, tenant?: SandboxOrganisation): Promise<Answer>;
  /** A signed OAuth 1.0a private-app call, with an `xml=` form body when given, answering Xero's XML. */
  oauth1(method: string, path: string, xml?: string): Promise<{ status: number; text: string }>;
  /** A control-API call under `/sandbox/organisations/{org}`. */
  control(method: string, path: string, body?: unknown, tenant?: SandboxOrganisation): Promise<Answer>;
  stop(): Promise<void>;
}

export interface Answer {
  status: number;
  // Tests read Xero's loosely typed JSON freely.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export const [HARBOURSIDE, RIVERBEND, KAURI] = DEMO_ORGANISATIONS as [SandboxOrganisation, SandboxOrganisation, SandboxOrganisation];

export async function startRulesWorld(): Promise<RulesWorld> {
  // Generous limits: these suites make more calls a minute than Xero allows one organisation.
  const sb = await startTestSandbox({ settings: { limits: { perMinute: 10_000, perDay: 100_000, concurrency: 5 } } });
  const web = await registerOAuth2App(sb, { type: 'web' });
  const organisations = DEMO_ORGANISATIONS.map((org) => org.id);
  const token = (await linkWebApp(sb, web, organisations, 'offline_access accounting.transactions accounting.settings accounting.contacts'))['access_token'] as string;
  const org = HARBOURSIDE;
  const privateApp: TestApp = await registerApp(sb.url, 'private', { organisationId: org.id });
  const json = async (response: Response): Promise<Answer> => {
    const text = await response.text();
    return { status: response.status, json: text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text };
  };
  return {
    sb,
    org,
    api: async (method, path, body, tenant = org) =>
      json(
        await bearerFetch(sb, `/api.xro/2.0${path}`, token, tenant.id, {
          method,
          ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } } : {}),
        }),
      ),
    oauth1: async (method, path, xml) => {
      const form = xml === undefined ? {} : { form: encodeForm([['xml', xml]]) };
      const response = await oauthFetch({ method, url: `${sb.url}/api.xro/2.0${path}`, credentials: privateApp.credentials, ...form, now: () => sb.sandbox.deps.clock.now() });
      return { status: response.status, text: await response.text() };
    },
    control: async (method, path, body, tenant = org) =>
      json(
        await fetch(`${sb.url}/sandbox/organisations/${tenant.id}${path}`, {
          method,
          ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } } : {}),
        }),
      ),
    stop: () => sb.stop(),
  };
}

type Json = Record<string, unknown>;

/** A one-line sales invoice to the demo café's cash customer, with `extra` over the defaults. */
export const saleInvoice = (extra: Json = {}, line: Json = {}): Json => ({
  Type: 'ACCREC',
  Contact: { ContactNumber: 'CUST-001' },
  Date: '2026-03-10',
  Status: 'AUTHORISED',
  LineItems: [{ Description: 'Coffee', Quantity: 1, UnitAmount: 10, AccountCode: '200', TaxType: 'OUTPUT', ...line }],
  ...extra,
});

/** The messages of the one element of a summarised 400 ValidationException, after checking its shape. */
export function summarisedMessages(answer: Answer): string[] {
  if (answer.status !== 400 || answer.json?.Type !== 'ValidationException' || answer.json?.ErrorNumber !== 10) {
    throw new Error(`expected a 400 ValidationException, got ${answer.status} ${JSON.stringify(answer.json).slice(0, 500)}`);
  }
  return answer.json.Elements[0].ValidationErrors.map((error: { Message: string }) => error.Message);
}

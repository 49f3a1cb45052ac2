import type { Element } from '@xmldom/xmldom';
import { decodeElement, parseXml, XERO_XML_LIMITS, type XmlObject } from '../../lib/xml';
import { buildJsonGet, type XeroAuth } from './auth';
import { xeroEndpoints } from './endpoints';
import type { XeroRequest, XeroResponse } from './http';
import { parseXeroProblem } from './problem';
import { unreadableAnswer, xeroProblemError } from './xero-error';
import { xeroDay } from './timesheet-write';
import { xeroItemName } from './xml-shape';

/** The organisation a token acts for, as the proxy records it. */
export interface XeroOrganisation {
  organisationId: string;
  name: string;
  shortCode: string | undefined;
  countryCode: string | undefined;
  baseCurrency: string | undefined;
  /** The organisation's plan (`Class`, e.g. STARTER), which may cap its invoices; JSON answers only. */
  planClass: string | undefined;
  /** `BUSINESS` or `PARTNER` (sold through an accountant, with restricted functionality); JSON answers only. */
  edition: string | undefined;
  /** `PeriodLockDate` as `YYYY-MM-DD`: "stop all users except advisers" posting on and before it; undefined when none. */
  periodLockDate: string | undefined;
  /** `EndOfYearLockDate` as `YYYY-MM-DD`: "stop all users" posting on and before it; undefined when none. */
  endOfYearLockDate: string | undefined;
}

/** What reading the organisation needs: where Xero is and how the request is authorised. */
export interface OrganisationInput {
  apiUrl: string;
  auth: XeroAuth;
}

/**
 * Builds GET /api.xro/2.0/Organisation asking for JSON (the path is singular, the answer's
 * collection `Organisations`).
 * @see PROTOCOL.md §4.1, §4.7; https://developer.xero.com/documentation/api/accounting/organisation
 */
export function buildOrganisationRequest(input: OrganisationInput): XeroRequest {
  return buildJsonGet(input.auth, `${xeroEndpoints(input.apiUrl).accounting}/Organisation`);
}

/**
 * Reads the Organisation answer, JSON (`{"Organisations":[{…}]}`) or the XML `Response` envelope
 * (Xero answers XML when `Accept` is lost on the way); any other status is thrown as its problem.
 * @see PROTOCOL.md §4.5 (envelope)
 */
export function processOrganisationResponse(response: XeroResponse): XeroOrganisation {
  if (response.status !== 200) throw xeroProblemError(parseXeroProblem(response), response);
  const envelope = readEnvelope(response);
  const list = envelope?.['Organisations'];
  const first = Array.isArray(list) ? list[0] : undefined;
  if (first === null || typeof first !== 'object' || Array.isArray(first)) throw unreadableAnswer("Xero's Organisation answer lists no organisation.", response);
  const record = first as Record<string, unknown>;
  const text = (name: string) => (typeof record[name] === 'string' && record[name] !== '' ? (record[name] as string) : undefined);
  const organisationId = text('OrganisationID');
  const name = text('Name');
  if (organisationId === undefined || name === undefined) throw unreadableAnswer("Xero's Organisation answer has no OrganisationID or Name.", response);
  return { organisationId, name, shortCode: text('ShortCode'), countryCode: text('CountryCode'), baseCurrency: text('BaseCurrency'), planClass: text('Class'), edition: text('Edition'),
    periodLockDate: xeroDay(record['PeriodLockDate']), endOfYearLockDate: xeroDay(record['EndOfYearLockDate']) };
}

function readEnvelope(response: XeroResponse): Record<string, unknown> | undefined {
  const body = response.body.trim();
  try {
    if (body.startsWith('{')) return JSON.parse(body) as Record<string, unknown>;
    if (body.startsWith('<')) {
      const root: Element = parseXml(body, XERO_XML_LIMITS);
      return root.tagName === 'Response' ? (decodeElement(root, xeroItemName) as XmlObject) : undefined;
    }
  } catch {
    throw unreadableAnswer("Xero's Organisation answer is neither valid JSON nor valid XML.", response);
  }
  return undefined;
}

/** An organisation as the proxy records it: Xero's id and name, the optional facts as nulls. */
export function organisationFields(organisation: XeroOrganisation): {
  xeroOrganisationId: string;
  name: string;
  shortCode: string | null;
  countryCode: string | null;
  baseCurrency: string | null;
  planClass: string | null;
  edition: string | null;
  lockDates: { periodLockDate: string | null; endOfYearLockDate: string | null };
} {
  return {
    xeroOrganisationId: organisation.organisationId,
    name: organisation.name,
    shortCode: organisation.shortCode ?? null,
    countryCode: organisation.countryCode ?? null,
    baseCurrency: organisation.baseCurrency ?? null,
    planClass: organisation.planClass ?? null,
    edition: organisation.edition ?? null,
    lockDates: { periodLockDate: organisation.periodLockDate ?? null, endOfYearLockDate: organisation.endOfYearLockDate ?? null },
  };
}

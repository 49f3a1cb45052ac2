import type { Element } from '@xmldom/xmldom';
import { childElements, parseXml, XERO_XML_LIMITS } from '../../lib/xml';
import { decodeForm } from '../oauth1/form-encoding';
import { jsonMessages, xmlMessages } from './validation-messages';

/**
 * One validation message and, when it belongs to one, the index of its element in the
 * exception's list (`Elements`, or Payroll's `Timesheets`). That list holds only the rejected
 * elements, so the index is not the request's order; `elementOutcomes` gives that.
 */
export interface ValidationError {
  message: string;
  element?: number;
}

/** What an error body turned out to be, whichever of Xero's formats it used. */
export type ProblemBody =
  | { shape: 'oauth'; problem: string; advice: string | undefined }
  | { shape: 'api_exception'; errorNumber: number | undefined; type: string | undefined; message: string | undefined; validationErrors: ValidationError[] }
  | { shape: 'json_problem'; title: string | undefined; detail: string | undefined }
  | { shape: 'text'; text: string }
  | { shape: 'empty' };

const HEADER_FIELDS = new Set(['ErrorNumber', 'Type', 'Message']);

/**
 * Sniffs an error body: a form-encoded `oauth_problem` (Xero labels it text/html, so the
 * Content-Type cannot be trusted), an XML or JSON `ApiException`, a JSON problem (OAuth 2.0
 * era), or plain text. A body that claims a format and fails to parse is kept as text.
 * @see PROTOCOL.md §2.1, §2.3, §4.5
 */
export function readProblemBody(body: string): ProblemBody {
  const text = body.trim();
  if (text === '') return { shape: 'empty' };
  if (/^oauth_problem=|&oauth_problem=/.test(text)) return readOAuthForm(text) ?? { shape: 'text', text };
  if (text.startsWith('<')) return readXml(text) ?? { shape: 'text', text: stripTags(text) };
  if (text.startsWith('{')) return readJson(text) ?? { shape: 'text', text };
  return { shape: 'text', text };
}

function readOAuthForm(text: string): ProblemBody | undefined {
  let pairs: ReturnType<typeof decodeForm>;
  try {
    pairs = decodeForm(text);
  } catch {
    return undefined;
  }
  // The first value wins when a name repeats, as pyxero does.
  const first = (name: string) => pairs.find(([key]) => key === name)?.[1];
  const problem = first('oauth_problem');
  if (problem === undefined || problem === '') return undefined;
  const advice = first('oauth_problem_advice');
  return { shape: 'oauth', problem, advice: advice === '' ? undefined : advice };
}

function readXml(text: string): ProblemBody | undefined {
  let root: Element;
  try {
    root = parseXml(text, XERO_XML_LIMITS);
  } catch {
    return undefined;
  }
  if (root.tagName !== 'ApiException') return undefined;
  const field = (name: string) => childElements(root).find((child) => child.tagName === name)?.textContent?.trim() || undefined;
  const validationErrors: ValidationError[] = [];
  // Accounting lists rejected objects under <Elements>, Payroll AU under their collection (<Timesheets>).
  for (const container of childElements(root).filter((child) => !HEADER_FIELDS.has(child.tagName))) {
    childElements(container).forEach((item, index) => validationErrors.push(...xmlMessages(item, 'ValidationError').map((message) => ({ message, element: index }))));
  }
  const number = Number(field('ErrorNumber'));
  return { shape: 'api_exception', errorNumber: Number.isInteger(number) ? number : undefined, type: field('Type'), message: field('Message'), validationErrors };
}

function readJson(text: string): ProblemBody | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const string = (...names: string[]) => names.map((name) => record[name]).find((v): v is string => typeof v === 'string' && v !== '');
  if ('ErrorNumber' in record || 'Elements' in record || ('Type' in record && 'Message' in record)) {
    const validationErrors: ValidationError[] = [];
    for (const [key, list] of Object.entries(record)) {
      if (HEADER_FIELDS.has(key) || !Array.isArray(list)) continue;
      list.forEach((item, index) => validationErrors.push(...jsonMessages(item, 'ValidationErrors').map((message) => ({ message, element: index }))));
    }
    // Xero-Net's fallback: errors outside any element list still count.
    if (validationErrors.length === 0) validationErrors.push(...jsonMessages(record, 'ValidationErrors').map((message) => ({ message })));
    const number = record['ErrorNumber'];
    return { shape: 'api_exception', errorNumber: typeof number === 'number' ? number : undefined, type: string('Type'), message: string('Message'), validationErrors };
  }
  const title = string('Title', 'title');
  const detail = string('Detail', 'detail');
  if (title !== undefined || detail !== undefined) return { shape: 'json_problem', title, detail };
  return undefined;
}

function stripTags(html: string): string {
  return html.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
}

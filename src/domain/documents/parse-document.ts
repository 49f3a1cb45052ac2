import { AppError, isAppError } from '../../lib/errors';
import { MAX_DEPTH } from '../../lib/untrusted-input';
import { parseXml, XmlRefusal } from '../../lib/xml';
import { bodyError, inDocumentOrder, issuesError, type Issue } from './issues';
import { readJson } from './json-value';
import { DOCUMENT_KINDS, type DocumentKind, type DocumentOf, type ParseOptions } from './kinds';
import { readBody, type DocumentBody } from './read-body';
import { schemaIssues } from './schema-issues';
import { valueIssues } from './value-issues';
import { decodeXmlDocument, xmlRootOf } from './xml-root';
import type { ElementLines } from './xml-value';

/**
 * Reads a document an app sent, as JSON or XML, and checks it completely: the body (size,
 * media type, UTF-8, syntax, nesting, prototype keys), the schema, and the rules between fields.
 * Every problem found is reported at once, each with its path and, for XML, its line.
 * Throws only AppError('invalid').
 * @example parseDocument('invoices', { contentType: 'application/xml', bytes })
 */
export function parseDocument<K extends DocumentKind>(kind: K, body: DocumentBody, options: ParseOptions = {}): DocumentOf[K] {
  try {
    return parse(kind, body, options);
  } catch (error) {
    if (isAppError(error, 'invalid')) throw error;
    // Not expected (the fuzz tests look for it), but the contract is "invalid, never a crash".
    throw new AppError('invalid', 'The request body could not be read as a document.', { field: 'body', details: [{ field: 'body', message: 'could not be read as a document' }], cause: error });
  }
}

function parse<K extends DocumentKind>(kind: K, body: DocumentBody, options: ParseOptions): DocumentOf[K] {
  const spec = DOCUMENT_KINDS[kind];
  const { format, text } = readBody(body);
  let value: unknown;
  let lines: ElementLines | undefined;
  let issues: Issue[] = [];
  if (format === 'json') {
    value = readJson(text, spec.title);
    // Xero's own Payroll JSON is a bare array; take one as the document's list.
    const shape = xmlRootOf(spec.schema);
    if (Array.isArray(value) && 'list' in shape) value = { [shape.list]: value };
  } else {
    const decoded = decodeXmlDocument(readXml(text), spec.schema);
    ({ value, lines, issues } = decoded);
  }
  issues = issues.concat(schemaIssues(spec.schema, value, format), valueIssues(spec.schema, value));
  if (issues.length > 0) throw issuesError(spec.title, inDocumentOrder(issues, value), lines);
  const typed = value as DocumentOf[K];
  const broken = spec.rules(typed, options);
  if (broken.length > 0) throw issuesError(spec.title, inDocumentOrder(broken, value), lines);
  return typed;
}

/** Parses XML with the shared hardened parser, restating its error as one about the body. */
function readXml(text: string) {
  try {
    return parseXml(text);
  } catch (error) {
    if (error instanceof XmlRefusal) throw bodyError(error.kind === 'depth' ? `nests elements more than ${MAX_DEPTH} deep` : `is not acceptable XML: ${error.reason}`, error.line);
    if (!isAppError(error)) throw error;
    const line = /line (\d+)/.exec(error.field ?? '')?.[1];
    const reason = error.message.replace(/^The XML is not well-formed(?: \(line \d+\))?: /, '').replace(/^XML line \d+: /, '').replace(/\.$/, '');
    throw bodyError(`is not acceptable XML: ${reason}`, line === undefined ? undefined : Number(line));
  }
}

import { Value } from '@sinclair/typebox/value';
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DOCUMENT_KINDS, type DocumentKind } from '../../src/domain/documents/kinds';
import { DOCUMENT_EXAMPLES } from '../../src/domain/documents/openapi-examples';
import { parseDocument } from '../../src/domain/documents/parse-document';
import { isAppError } from '../../src/lib/errors';
import { encodeElement } from '../../src/lib/xml';
import { xeroItemNameForEncoding } from '../../src/domain/xero/xml-shape';

const KINDS: DocumentKind[] = ['invoices', 'payments', 'pos-shift', 'timesheets', 'wage-bill'];
const TYPES = ['application/json', 'application/xml', 'text/xml; charset=utf-8', 'text/plain', undefined];
const enc = (text: string) => new TextEncoder().encode(text);

/**
 * The contract under fuzzing: parseDocument returns a value its schema accepts, or throws
 * AppError('invalid') with details (never the safety net's message, which would mean an
 * unexpected exception inside), and answers in well under a second for these sizes.
 */
function holds(kind: DocumentKind, contentType: string | undefined, bytes: Uint8Array): void {
  try {
    const value = parseDocument(kind, { contentType, bytes });
    assert.ok(Value.Check(DOCUMENT_KINDS[kind].schema, value), 'an accepted value fits its schema');
  } catch (error) {
    if (!isAppError(error, 'invalid')) throw new Error(`parseDocument threw ${String(error)}`);
    assert.ok((error.details?.length ?? 0) > 0, 'an invalid answer lists its problems');
    assert.is.not(error.message, 'The request body could not be read as a document.', `unexpected exception: ${String(error.cause)}`);
  }
}

const runs = (numRuns: number) => ({ numRuns, seed: 424242, endOnFailure: true });
const kind = fc.constantFrom(...KINDS);
const contentType = fc.constantFrom(...TYPES);

const NAMES = [
  'Invoices', 'Invoice', 'LineItems', 'LineItem', 'Type', 'Contact', 'Name', 'ContactID', 'Description', 'UnitAmount', 'Quantity', 'Tracking', 'TrackingCategory', 'Option',
  'Payments', 'Payment', 'Amount', 'Account', 'Code', 'Date', 'Timesheets', 'Timesheet', 'TimesheetLines', 'TimesheetLine', 'NumberOfUnits', 'NumberOfUnit', 'StartDate',
  'PosShift', 'shiftId', 'closedAt', 'sales', 'sale', 'category', 'gross', 'tax', 'tenders', 'tender', 'amount', 'WageBill', 'lines', 'line', '__proto__', 'constructor', 'x',
];
const TEXTS = ['ACCREC', 'ACCPAY', '12.50', '-1', '1e5', 'abc', '', ' ', '&amp;', '&lt;&gt;', '<![CDATA[a<b]]>', 'true', '2024-02-30', '2024-05-31', '2024-05-31T22:00:00', '0f5a7c3e-2b1d-4e8f-9a6b-1c2d3e4f5a6b', '\u00e9\u{1F600}'];

/** Random element trees over the documents' own names, some texts, comments and attributes. */
const xmlTree: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.tuple(fc.constantFrom(...NAMES), fc.constantFrom(...TEXTS)).map(([name, text]) => `<${name}>${text}</${name}>`),
    fc.constantFrom(...NAMES).map((name) => `<${name}/>`),
    fc.constant('<!-- a comment -->'),
    fc.tuple(fc.constantFrom(...NAMES), fc.boolean(), fc.array(tie('node'), { maxLength: 5 })).map(([name, attribute, children]) => `<${name}${attribute ? ' status="OK"' : ''}>${children.join('\n')}</${name}>`),
  ),
})).node;

/** Random edits of a valid body: delete, insert or repeat a piece of it. */
const mutated = (text: string): fc.Arbitrary<string> =>
  fc.array(fc.tuple(fc.nat({ max: text.length }), fc.nat({ max: 20 }), fc.constantFrom('', '<', '>', '"', '&', '{', '}', '[', ']', ',', ':', '-', '9', '<x>', '</x>', 'null')), { minLength: 1, maxLength: 4 }).map((edits) =>
    edits.reduce((body, [at, length, insert]) => body.slice(0, at) + (length % 3 === 0 ? body.slice(at, at + length) : insert) + body.slice(at + length), text),
  );

const fuzz = suite('documents.parseDocument fuzzing');

fuzz('random bytes never make it throw anything but AppError("invalid")', () => {
  fc.assert(fc.property(kind, contentType, fc.uint8Array({ maxLength: 2048 }), (k, type, bytes) => holds(k, type, bytes)), runs(400));
});

fuzz('random text, JSON-looking or XML-looking, never does either', () => {
  const text = fc.oneof(fc.string({ maxLength: 500, unit: 'binary' }), fc.json({ maxDepth: 6 }), xmlTree);
  fc.assert(fc.property(kind, contentType, text, (k, type, body) => holds(k, type, enc(body))), runs(400));
});

fuzz('random JSON structures, deep ones and prototype keys included, in the places documents have them', () => {
  const deep = fc.jsonValue({ maxDepth: 40 });
  const key = fc.constantFrom(...NAMES);
  const shaped = fc.oneof(deep, fc.dictionary(key, deep, { maxKeys: 6 }), fc.tuple(key, fc.array(fc.dictionary(key, deep, { maxKeys: 6 }), { maxLength: 4 })).map(([name, list]) => ({ [name]: list })));
  fc.assert(fc.property(kind, shaped, (k, value) => holds(k, 'application/json', enc(JSON.stringify(value).replace(/"x"/g, '"__proto__"')))), runs(400));
});

fuzz('random XML element trees in the documents\' own vocabulary', () => {
  fc.assert(fc.property(kind, xmlTree, (k, body) => holds(k, 'application/xml', enc(body))), runs(400));
});

fuzz('valid examples with random edits are accepted or refused cleanly', () => {
  for (const k of KINDS) {
    const { json, xml } = DOCUMENT_EXAMPLES[k];
    fc.assert(fc.property(mutated(xml), (body) => holds(k, 'application/xml', enc(body))), runs(150));
    fc.assert(fc.property(mutated(JSON.stringify(json, null, 1)), (body) => holds(k, 'application/json', enc(body))), runs(150));
  }
});

fuzz('a valid invoice reads the same from its JSON and from its XML', () => {
  // Without line ends: @xmldom/xmldom turns \r, U+0085, U+2028 and U+2029 into \n, as XML 1.1 says.
  const text = fc.string({ minLength: 1, maxLength: 30, unit: 'grapheme' }).map((s) => s.replace(/[\u0000-\u001F\u0085\u2028\u2029\uFFFE\uFFFF]/g, '').trim()).filter((s) => s !== '');
  const line = fc.record({ Description: text, Quantity: fc.nat({ max: 1e8 }).map((n) => n / 10_000), UnitAmount: fc.integer({ min: -1e12, max: 1e12 }).map((n) => n / 100) }, { requiredKeys: ['Description'], noNullPrototype: true });
  const invoice = fc.record(
    { Type: fc.constantFrom('ACCREC', 'ACCPAY'), Contact: fc.record({ Name: text }, { noNullPrototype: true }), Reference: text, SentToContact: fc.boolean(), LineItems: fc.array(line, { minLength: 1, maxLength: 3 }) },
    { requiredKeys: ['Type', 'Contact', 'LineItems'], noNullPrototype: true },
  );
  fc.assert(
    fc.property(fc.array(invoice, { minLength: 1, maxLength: 3 }), (invoices) => {
      const fromJson = parseDocument('invoices', { contentType: 'application/json', bytes: enc(JSON.stringify({ Invoices: invoices })) });
      const fromXml = parseDocument('invoices', { contentType: 'application/xml', bytes: enc(encodeElement('Invoices', invoices, { itemName: xeroItemNameForEncoding })) });
      assert.equal(fromXml, fromJson);
      assert.equal(fromJson, { Invoices: invoices });
    }),
    runs(200),
  );
});

fuzz.run();

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { DocumentKind } from '../../src/domain/documents/kinds';
import { parseDocument } from '../../src/domain/documents/parse-document';
import { AppError, isAppError } from '../../src/lib/errors';

const enc = (text: string) => new TextEncoder().encode(text);
const KINDS: DocumentKind[] = ['invoices', 'payments', 'pos-shift', 'timesheets', 'wage-bill'];

/** parseDocument must refuse the body with AppError('invalid'); returns the error. (Its cost is measured by the bench.) */
function refused(kind: DocumentKind, contentType: string | undefined, body: string | Uint8Array): AppError {
  try {
    parseDocument(kind, { contentType, bytes: typeof body === 'string' ? enc(body) : body });
  } catch (error) {
    assert.ok(isAppError(error, 'invalid'), `expected AppError("invalid"), got ${String(error)}`);
    assert.is.not((error as AppError).message, 'The request body could not be read as a document.', 'the safety net caught an unexpected error');
    return error as AppError;
  }
  throw new Error('expected the body to be refused');
}
const refusedXml = (body: string, kind: DocumentKind = 'invoices') => refused(kind, 'application/xml', body).message;
const refusedJson = (body: string, kind: DocumentKind = 'invoices') => refused(kind, 'application/json', body).message;

const COMPLETE = '<Type>ACCREC</Type><Contact><Name>B</Name></Contact><LineItems><LineItem><Description>x</Description></LineItem></LineItems>';

const xmlAttacks = suite('documents.parseDocument hostile XML');

xmlAttacks('a DOCTYPE is refused outright, so entity expansion and external entities never start', () => {
  const laughs = `<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n<Invoices>&lol3;</Invoices>`;
  assert.is(refusedXml(laughs), 'The request body is not acceptable XML: a DOCTYPE is not allowed (XML line 2).');
  const external = '<!DOCTYPE Invoices [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><Invoices><Invoice><Reference>&xxe;</Reference></Invoice></Invoices>';
  assert.is(refusedXml(external), 'The request body is not acceptable XML: a DOCTYPE is not allowed (XML line 1).');
  assert.is(refusedXml('<Invoices><!ENTITY a "b"></Invoices>'), 'The request body is not acceptable XML: an ENTITY declaration is not allowed (XML line 1).');
  assert.is(refusedXml('<Invoices>&lol;</Invoices>'), 'The request body is not acceptable XML: entity not found:&lol;.');
});

xmlAttacks('nesting deeper than 32 elements is refused, however deep it goes', () => {
  assert.is(refusedXml('<a>'.repeat(33) + '</a>'.repeat(33)), 'The request body nests elements more than 32 deep (XML line 1).');
  assert.is(refusedXml('<a>\n'.repeat(120_000) + '</a>'.repeat(120_000)), 'The request body nests elements more than 32 deep (XML line 33).');
});

xmlAttacks('malformed XML, two roots, no root, the wrong root', () => {
  assert.is(refusedXml('<Invoices><Invoice></Invoices>'), 'The request body is not acceptable XML: Opening and ending tag mismatch: "Invoice" != "Invoices".');
  assert.match(refusedXml('<Invoices/><Invoices/>'), /^The request body is not acceptable XML: .*Only one element/);
  assert.is(refusedXml('hello'), 'The request body is not acceptable XML: missing root element.');
  assert.is(refusedXml('<Payments/>'), 'The request body must have the root element <Invoices> (or a single <Invoice>), not <Payments> (XML line 1).');
});

xmlAttacks('prototype-reaching element names, text beside elements, characters XML cannot carry', () => {
  assert.is(refusedXml(`<Invoices><Invoice>${COMPLETE}\n<__proto__><polluted>1</polluted></__proto__></Invoice></Invoices>`), 'The request body is not acceptable XML: the element name <__proto__> is not allowed (XML line 2).');
  assert.is(({} as Record<string, unknown>)['polluted'], undefined);
  assert.is(refusedXml(`<Invoices><Invoice>oops${COMPLETE}</Invoice></Invoices>`), 'Invoices[0]: must hold only elements, not text beside them (XML line 1).');
  assert.is(refusedXml(`<Invoices><Invoice>${COMPLETE}<Reference>\u0001</Reference></Invoice></Invoices>`), 'Invoices[0].Reference: contains a character that cannot be sent to Xero (U+0001) (XML line 1).');
});

xmlAttacks('a quarter of a million stray elements are refused by their count, before any tree is built', () => {
  assert.is(refusedXml('<Invoices>' + '<x/>'.repeat(240_000) + '</Invoices>'), 'The request body is not acceptable XML: more than 40,000 elements and attributes are more than any request needs (XML line 1).');
  assert.is(refusedXml('<Invoices>\n<Invoice ' + 'a="1" '.repeat(40_000) + '/></Invoices>'), 'The request body is not acceptable XML: more than 40,000 elements and attributes are more than any request needs (XML line 2).');
  assert.is(refusedXml('<Invoices>' + '<x/>'.repeat(2_000) + '</Invoices>'), 'The Invoices document has 2 problems: Invoices: must have at least 1 entry (XML line 1); Invoices.x: is not allowed here (<Invoices> holds only <Invoice> elements) (XML line 1).');
});

const jsonAttacks = suite('documents.parseDocument hostile JSON');

jsonAttacks('__proto__, constructor and prototype keys are refused anywhere, and nothing is polluted', () => {
  assert.is(refusedJson('{"__proto__":{"polluted":true}}'), '__proto__: is not an allowed field name.');
  assert.is(refusedJson('{"Invoices":[{"Type":"ACCREC","constructor":{"prototype":{"polluted":true}}}]}'), 'Invoices[0].constructor: is not an allowed field name.');
  assert.is(refusedJson('{"shiftId":"x","prototype":1}', 'pos-shift'), 'prototype: is not an allowed field name.');
  assert.is(({} as Record<string, unknown>)['polluted'], undefined);
});

jsonAttacks('nesting deeper than 32 levels is refused', () => {
  assert.is(refusedJson(`{"Invoices":${'['.repeat(40)}${']'.repeat(40)}}`), `Invoices${'[0]'.repeat(31)}: is nested more than 32 levels deep.`);
  assert.match(refusedJson('['.repeat(400_000) + ']'.repeat(400_000)), /^(\[0\]){32}: is nested more than 32 levels deep\.$/);
});

jsonAttacks('not JSON, not an object, the wrong types, numbers JSON cannot hold', () => {
  assert.is(refusedJson('{"Invoices": ['), 'The request body is not valid JSON: Unexpected end of JSON input.');
  for (const root of ['"hello"', '42', 'null', 'true']) assert.is(refusedJson(root), 'body: must be an object.');
  assert.is(refusedJson('[]', 'pos-shift'), 'body: must be an object.');
  assert.is(refusedJson('{"Invoices":{"Type":"ACCREC"}}'), 'Invoices: must be a list.');
  assert.is(
    refusedJson('{"Invoices":[{"Type":7,"Contact":"Bob","LineItems":[{"Description":["x"],"UnitAmount":1e400,"Quantity":true}],"SentToContact":"yes"}]}'),
    'The Invoices document has 6 problems: Invoices[0].Type: must be ACCREC or ACCPAY; Invoices[0].Contact: must be an object; Invoices[0].LineItems[0].Description: must be text; ' +
      'Invoices[0].LineItems[0].UnitAmount: must be a number; Invoices[0].LineItems[0].Quantity: must be a number; Invoices[0].SentToContact: must be true or false.',
  );
  assert.is(refusedJson('{"Invoices":[{"Type":"ACCREC","Contact":{"Name":"B"},"LineItems":[{"Description":"x","UnitAmount":1e12}]}]}'), 'Invoices[0].LineItems[0].UnitAmount: must be at most 100000000000.');
});

jsonAttacks('text with control characters or lone surrogates, which XML to Xero could not carry', () => {
  assert.is(refusedJson('{"Invoices":[{"Type":"ACCREC","Contact":{"Name":"B\\u0001"},"LineItems":[{"Description":"\\ud800"}]}]}'),
    'The Invoices document has 2 problems: Invoices[0].Contact.Name: contains a character that cannot be sent to Xero (U+0001); Invoices[0].LineItems[0].Description: contains a character that cannot be sent to Xero (U+D800).');
});

const bodies = suite('documents.parseDocument hostile bodies');

bodies('a body over 1,000,000 bytes is refused before parsing; exactly 1,000,000 is read', () => {
  const huge = refused('invoices', 'application/json', new Uint8Array(2_000_000).fill(0x20));
  assert.is(huge.message, 'The request body is larger than 1000000 bytes (send fewer documents per request).');
  assert.equal(huge.details, [{ field: 'body', message: 'is larger than 1000000 bytes (send fewer documents per request)' }]);
  assert.is(refusedJson(' '.repeat(1_000_000)), 'The request body is empty.');
});

bodies('bytes that are not UTF-8: a stray byte, an overlong encoding, an encoded surrogate', () => {
  for (const bytes of [[0x7b, 0xff, 0x7d], [0x3c, 0xc0, 0xaf, 0x3e], [0x22, 0xed, 0xa0, 0x80, 0x22]]) {
    assert.is(refused('invoices', 'application/xml', new Uint8Array(bytes)).message, 'The request body is not valid UTF-8.');
  }
});

bodies('media types other than JSON and XML, and charsets other than UTF-8', () => {
  assert.is(refused('invoices', 'text/plain', '{}').message, 'The request body must be sent as application/json or application/xml, not "text/plain".');
  assert.is(refused('invoices', 'application/x-www-form-urlencoded', 'xml=%3CInvoices%3E').message, 'The request body must be sent as application/json or application/xml, not "application/x-www-form-urlencoded".');
  assert.is(refused('invoices', undefined, '{}').message, 'The request body must be sent with a Content-Type of application/json or application/xml.');
  assert.is(refused('invoices', 'application/xml; charset=ISO-8859-1', '<Invoices/>').message, 'The request body must be UTF-8, not charset "iso-8859-1".');
  assert.ok(parseDocument('invoices', { contentType: 'Application/JSON; Charset="UTF-8"', bytes: enc(`{"Invoices":[{"Type":"ACCREC","Contact":{"Name":"B"},"LineItems":[{"Description":"x"}]}]}`) }));
});

bodies('every kind refuses a table of hostile bodies with AppError("invalid") and nothing else', () => {
  const cases: Array<[string | undefined, string | Uint8Array]> = [
    ['application/json', ''],
    ['application/json', '{'],
    ['application/json', '{"a":'.repeat(50) + '1' + '}'.repeat(50)],
    ['application/json', '{"__proto__":[]}'],
    ['application/json', '[[[[]]]]'],
    ['application/json', '{"Invoices":[null],"Payments":[null],"Timesheets":[null],"sales":[null]}'],
    ['application/xml', '<?xml version="1.0"?>'],
    ['application/xml', '<!DOCTYPE a><a/>'],
    ['application/xml', '<a xmlns:x="urn:x"><x:b/></a>'],
    ['application/xml', '<![CDATA[x]]>'],
    ['text/xml', new Uint8Array([0xef, 0xbb, 0xbf, 0xff])],
    ['application/xml', '<Invoices><Invoice><Invoice/></Invoice></Invoices>'],
    [undefined, new Uint8Array(0)],
  ];
  for (const kind of KINDS) for (const [type, body] of cases) refused(kind, type, body);
});

bodies('AppError keeps its old shape: details is optional and absent unless given', () => {
  const plain = new AppError('invalid', 'x.');
  assert.is(plain.details, undefined);
  assert.equal(new AppError('invalid', 'x.', { details: [{ field: 'a', message: 'b', line: 3 }] }).details, [{ field: 'a', message: 'b', line: 3 }]);
});

bodies('the documents code never uses TypeBox\'s compiler, which builds code with new Function', () => {
  const dir = join('src', 'domain', 'documents');
  for (const name of readdirSync(dir)) {
    const text = readFileSync(join(dir, name), 'utf8');
    assert.not.match(text, /@sinclair\/typebox\/compiler|TypeCompiler\.|new Function\(|\beval\(/, name);
  }
});

xmlAttacks.run();
jsonAttacks.run();
bodies.run();

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { bodyScanner, multipartScanner } from '../../src/lib/body-scan/body-scanner';
import { scanJsonChunk, startJsonScan } from '../../src/lib/body-scan/json-scan';
import type { ScanLimits } from '../../src/lib/body-scan/limits';
import { FormRefusal, JsonRefusal, XmlRefusal } from '../../src/lib/body-scan/refusal';
import { boundaryOf } from '../../src/lib/body-scan/multipart-scan';
import { endXmlScan, scanXmlChunk, startXmlScan } from '../../src/lib/body-scan/xml-scan';
import { scanXml } from '../../src/lib/xml-scan';

const bytesOf = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

/** Every way to cut a body in two, and the body one byte at a time: chunks as a socket may deliver them. */
function* cuts(bytes: Uint8Array): Generator<Uint8Array[]> {
  for (let at = 0; at <= bytes.length; at++) yield [bytes.subarray(0, at), bytes.subarray(at)];
  yield Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
}

/** The XML scan's refusal of `text` delivered as `chunks`, or undefined when it passes. */
function xmlVerdict(chunks: Uint8Array[], limits: Pick<ScanLimits, 'maxDepth' | 'maxNodes'>): string | undefined {
  const state = startXmlScan(limits);
  try {
    for (const chunk of chunks) scanXmlChunk(state, chunk);
    endXmlScan(state);
    return undefined;
  } catch (error) {
    assert.instance(error, XmlRefusal);
    return (error as XmlRefusal).message;
  }
}

function jsonVerdict(chunks: Uint8Array[], limits: ScanLimits): string | undefined {
  const state = startJsonScan(limits);
  try {
    for (const chunk of chunks) scanJsonChunk(state, chunk);
    return undefined;
  } catch (error) {
    assert.instance(error, JsonRefusal);
    return (error as JsonRefusal).message;
  }
}

/** The same verdict however the body is cut. */
function sameAtEveryCut(text: string, verdict: (chunks: Uint8Array[]) => string | undefined, expected: string | undefined): void {
  for (const chunks of cuts(bytesOf(text))) {
    const got = verdict(chunks);
    if (got !== expected) assert.is(got, expected, `cut into ${chunks.map((c) => c.length).join('+')} bytes`);
  }
}

const xml = suite('lib.scanXmlChunk');

// Markup inside a comment, a CDATA section and quoted attribute values, a self-closing tag with
// a slash in a value, and characters of two and three bytes: 2 deep and 7 elements and
// attributes in truth, more if anything inside them were taken for markup.
const TRICKY_XML =
  '<?xml version="1.0" encoding="UTF-8"?>\n<!-- <a><b><c> <!DOCTYPE x> -->\n<Invoices a="<x><y>" b=\'"/>\'>\n' +
  '<Invoice c="/"><![CDATA[ <c><d> ]] > <!ENTITY e "f"> ]]></Invoice>\n<Note d=\'é€ > <z>\'/>\n<?pi <w><v> ?></Invoices>';

xml('markup inside comments, CDATA, quoted values and processing instructions counts for nothing, wherever the chunks are cut', () => {
  sameAtEveryCut(TRICKY_XML, (chunks) => xmlVerdict(chunks, { maxDepth: 2, maxNodes: 7 }), undefined);
  sameAtEveryCut(TRICKY_XML, (chunks) => xmlVerdict(chunks, { maxDepth: 1, maxNodes: 7 }), 'XML line 4: elements nest more than 1 deep.');
  sameAtEveryCut(TRICKY_XML, (chunks) => xmlVerdict(chunks, { maxDepth: 2, maxNodes: 6 }), 'XML line 5: more than 6 elements and attributes are more than any request needs.');
});

xml('a DOCTYPE or any other declaration is refused with its line, wherever the chunks are cut', () => {
  const limits = { maxDepth: 32, maxNodes: 100 };
  sameAtEveryCut('<?xml version="1.0"?>\n<!DOCTYPE l [<!ENTITY a "aaaa">]><l>&a;</l>', (c) => xmlVerdict(c, limits), 'XML line 2: a DOCTYPE is not allowed.');
  sameAtEveryCut('<Invoices>\n\n<!ENTITY a "b"></Invoices>', (c) => xmlVerdict(c, limits), 'XML line 3: an ENTITY declaration is not allowed.');
  sameAtEveryCut('<a><![INCLUDE[ x ]]></a>', (c) => xmlVerdict(c, limits), 'XML line 1: a markup declaration is not allowed.');
  sameAtEveryCut('<a><!-x></a>', (c) => xmlVerdict(c, limits), 'XML line 1: a markup declaration is not allowed.');
  // A body that ends inside the keyword is refused at its end.
  sameAtEveryCut('<!DOCTY', (c) => xmlVerdict(c, limits), 'XML line 1: an DOCTY declaration is not allowed.');
});

xml('nesting is counted by open tags, self-closing ones apart, with the line of the tag that goes too deep', () => {
  const limits = { maxDepth: 3, maxNodes: 1000 };
  sameAtEveryCut('<a><b><c/><c /><c x="/"/></b><b><c></c></b></a>', (c) => xmlVerdict(c, limits), undefined);
  sameAtEveryCut('<a>\n<b>\n<c x="/">\n<d></d></c></b></a>', (c) => xmlVerdict(c, limits), 'XML line 4: elements nest more than 3 deep.');
  assert.is(xmlVerdict([bytesOf('<a>'.repeat(100_000))], { maxDepth: 32, maxNodes: 1_000_000 }), 'XML line 1: elements nest more than 32 deep.');
  // End tags with nothing open do not lower the count below none.
  assert.is(xmlVerdict([bytesOf('</a>'.repeat(10) + '<a>'.repeat(33))], { maxDepth: 32, maxNodes: 1_000 }), 'XML line 1: elements nest more than 32 deep.');
});

xml('prototype-reaching element names are refused; longer names that start with them are not', () => {
  const limits = { maxDepth: 32, maxNodes: 100 };
  sameAtEveryCut('<Pair>\n<__proto__><x>1</x></__proto__></Pair>', (c) => xmlVerdict(c, limits), 'XML line 2: the element name <__proto__> is not allowed.');
  sameAtEveryCut('<Pair><constructor/></Pair>', (c) => xmlVerdict(c, limits), 'XML line 1: the element name <constructor> is not allowed.');
  sameAtEveryCut('<Pair><constructors/><prototypeName a="1"/></Pair>', (c) => xmlVerdict(c, limits), undefined);
});

xml('a run of text, CDATA, comment or attribute value longer than the limit is refused; runs split by markup are each their own', () => {
  const limits = { maxDepth: 32, maxNodes: 100, maxTextBytes: 8 };
  sameAtEveryCut('<a>12345678<b>12345678</b><!--12345678--><![CDATA[12345678]]>12345678<c d="12345678"/>12345678<?p 123456?>12345678</a>', (c) => xmlVerdict(c, limits), undefined);
  for (const body of ['<a>\n123456789</a>', '<a><b/>\n123456789</a>', '<a>\n<!--123456789ab--></a>', '<a>\n<![CDATA[123456789ab]]></a>', '<a>\n<c d="123456789"/></a>', "<a>\n<c d='12345678\"'/></a>", '<a>\n<?p 123456789a?></a>']) {
    sameAtEveryCut(body, (c) => xmlVerdict(c, limits), 'XML line 2: a text longer than 8 bytes is more than any field takes.');
  }
  // 'é€é€' is 4 characters but 10 bytes: bytes are what is counted.
  sameAtEveryCut('<a>é€é€</a>', (c) => xmlVerdict(c, limits), 'XML line 1: a text longer than 8 bytes is more than any field takes.');
});

xml('scanXml over a whole text gives the chunked scan\'s verdict', () => {
  assert.throws(() => scanXml('<a>\n<!DOCTYPE x></a>'), (error: unknown) => error instanceof XmlRefusal && error.kind === 'declaration' && error.line === 2);
  assert.not.throws(() => scanXml(TRICKY_XML, { maxDepth: 2, maxNodes: 7 }));
});

const json = suite('lib.scanJsonChunk');

// Brackets, quotes and backslashes inside strings and keys, escapes, numbers and literals, and
// multi-byte characters: 3 deep and 10 values in truth (keys are not values).
const TRICKY_JSON = '{"a\\"[{": "]}\\\\", "b" : [1, -2.5e3,true,null, {"c\\\\":"\\u005b\\"["}],\n "é€{": "x}"}';

json('brackets, quotes and escapes inside strings count for nothing, wherever the chunks are cut', () => {
  assert.ok(JSON.parse(TRICKY_JSON));
  sameAtEveryCut(TRICKY_JSON, (c) => jsonVerdict(c, { maxDepth: 3, maxNodes: 0, maxValues: 10, maxParts: 0, maxTextBytes: Infinity }), undefined);
  sameAtEveryCut(TRICKY_JSON, (c) => jsonVerdict(c, { maxDepth: 2, maxNodes: 0, maxValues: 10, maxParts: 0, maxTextBytes: Infinity }), 'The request body nests JSON arrays and objects more than 2 deep.');
  sameAtEveryCut(TRICKY_JSON, (c) => jsonVerdict(c, { maxDepth: 3, maxNodes: 0, maxValues: 9, maxParts: 0, maxTextBytes: Infinity }), 'The request body holds more than 9 JSON values, more than any request needs.');
});

json('deep nesting is refused at the first level too many, however deep the body goes', () => {
  const limits = { maxDepth: 32, maxNodes: 0, maxValues: 1_000_000, maxParts: 0, maxTextBytes: Infinity };
  assert.is(jsonVerdict([bytesOf('['.repeat(400_000))], limits), 'The request body nests JSON arrays and objects more than 32 deep.');
  assert.is(jsonVerdict([bytesOf('{"a":'.repeat(32) + '1' + '}'.repeat(32))], limits), undefined);
  assert.is(jsonVerdict([bytesOf('{"a":'.repeat(33) + '1' + '}'.repeat(33))], limits), 'The request body nests JSON arrays and objects more than 32 deep.');
});

json('values are counted, keys are not: an object of 40,000 keys is 40,001 values', () => {
  const wide = '{' + Array.from({ length: 40_000 }, (_, i) => `"k${i}":${i}`).join(',') + '}';
  assert.is(jsonVerdict([bytesOf(wide)], { maxDepth: 32, maxNodes: 0, maxValues: 40_001, maxParts: 0, maxTextBytes: Infinity }), undefined);
  assert.is(jsonVerdict([bytesOf(wide)], { maxDepth: 32, maxNodes: 0, maxValues: 40_000, maxParts: 0, maxTextBytes: Infinity }), 'The request body holds more than 40,000 JSON values, more than any request needs.');
});

json('a string longer than the limit is refused, escapes and multi-byte characters counted as bytes', () => {
  const limits = { maxDepth: 32, maxNodes: 0, maxValues: 100, maxParts: 0, maxTextBytes: 8 };
  sameAtEveryCut('{"12345678":"12345678","a":["\\"\\"\\"\\""]}', (c) => jsonVerdict(c, limits), undefined);
  sameAtEveryCut('{"a":"123456789"}', (c) => jsonVerdict(c, limits), 'The request body holds a string longer than 8 bytes, more than any field takes.');
  sameAtEveryCut('{"a":"é€é€"}', (c) => jsonVerdict(c, limits), 'The request body holds a string longer than 8 bytes, more than any field takes.');
  sameAtEveryCut('["\\u0041\\u0041"]', (c) => jsonVerdict(c, limits), 'The request body holds a string longer than 8 bytes, more than any field takes.');
});

json('bodyScanner picks the scan by format and leaves other formats alone', () => {
  const limits = { maxDepth: 2, maxNodes: 10, maxValues: 10, maxParts: 0, maxTextBytes: Infinity };
  assert.throws(() => bodyScanner('json', limits)!.chunk(bytesOf('[[[')), /more than 2 deep/);
  assert.throws(() => bodyScanner('xml', limits)!.chunk(bytesOf('<a><b><c>')), /more than 2 deep/);
  const xmlScan = bodyScanner('xml', limits)!;
  xmlScan.chunk(bytesOf('<!DOC'));
  assert.throws(() => xmlScan.end(), /an DOC declaration is not allowed/);
  assert.is(bodyScanner(undefined, limits), undefined);
});

const form = suite('lib.scanMultipartChunk');

const part = (name: string, value: string) => `--b-1\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;

function formVerdict(chunks: Uint8Array[], maxParts: number): string | undefined {
  const scanner = multipartScanner('multipart/form-data; boundary="b-1"', { maxDepth: 0, maxNodes: 0, maxValues: 0, maxParts, maxTextBytes: Infinity })!;
  try {
    for (const chunk of chunks) scanner.chunk(chunk);
    return undefined;
  } catch (error) {
    assert.instance(error, FormRefusal);
    return (error as FormRefusal).message;
  }
}

form('parts are counted by their delimiter, found wherever the chunks cut it; a lookalike inside a part is not one', () => {
  const body = part('FileName', 'a--b-2.pdf -b-1') + part('file', '--b- 1 --b') + part('DocumentId', 'x') + '--b-1--\r\n';
  sameAtEveryCut(body, (c) => formVerdict(c, 3), undefined);
  sameAtEveryCut(body, (c) => formVerdict(c, 2), 'The request body is a form of more than 2 parts, more than any request needs.');
});

form('the boundary is read from the header, quoted or not', () => {
  assert.is(boundaryOf('multipart/form-data; boundary="x-1"'), 'x-1');
  assert.is(boundaryOf('multipart/form-data; charset=utf-8; BOUNDARY=----WebKitFormBoundary7MA4YWxk'), '----WebKitFormBoundary7MA4YWxk');
  assert.is(boundaryOf('multipart/form-data'), undefined);
  assert.is(multipartScanner('multipart/form-data', { maxDepth: 0, maxNodes: 0, maxValues: 0, maxParts: 1, maxTextBytes: Infinity }), undefined);
});

xml.run();
json.run();
form.run();

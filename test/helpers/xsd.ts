import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as assert from 'uvu/assert';
import { validateXML } from 'xmllint-wasm';

const XSD_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'xsd');

let schemas: Array<{ fileName: string; contents: string }> | undefined;
function loadSchemas(): Array<{ fileName: string; contents: string }> {
  schemas ??= readdirSync(XSD_DIR)
    .filter((name) => name.endsWith('.xsd'))
    .map((name) => ({ fileName: name, contents: readFileSync(join(XSD_DIR, name), 'utf8') }));
  return schemas;
}

/**
 * Validates `xml` against Xero's XSDs (test/fixtures/xsd) with libxml2 compiled to WebAssembly,
 * starting from `rootXsd` (e.g. "Response.xsd", "Invoice.xsd"). Returns libxml2's messages;
 * an empty list means valid.
 * @example assert.equal(await validateXml(body, 'Response.xsd'), [])
 */
export async function validateXml(xml: string, rootXsd = 'Response.xsd'): Promise<string[]> {
  const all = loadSchemas();
  const root = all.find((file) => file.fileName === rootXsd);
  if (!root) throw new Error(`No XSD named ${rootXsd} in ${XSD_DIR}.`);
  const result = await validateXML({
    xml: [{ fileName: 'document.xml', contents: xml }],
    schema: root,
    preload: all.filter((file) => file !== root),
  });
  return result.valid ? [] : result.errors.map((error) => error.rawMessage);
}

/** Fails the test with libxml2's messages unless `xml` validates against `rootXsd`. */
export async function assertValidXml(xml: string, rootXsd = 'Response.xsd'): Promise<void> {
  const errors = await validateXml(xml, rootXsd);
  assert.equal(errors, [], `XML does not validate against ${rootXsd}:\n${errors.join('\n')}\n${xml.slice(0, 2000)}`);
}

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { childElements, parseXml } from '../../src/lib/xml';

const patterns = suite('lib.rememberXmldomPatterns');

/** How many RegExp objects `work` constructs, counted by a stand-in for the global constructor. */
function regExpsBuiltBy(work: () => void): number {
  const Original = globalThis.RegExp;
  let built = 0;
  globalThis.RegExp = new Proxy(Original, {
    construct(target, args: [string | RegExp, string?]) {
      built++;
      return new target(...args);
    },
  });
  try {
    work();
  } finally {
    globalThis.RegExp = Original;
  }
  return built;
}

patterns('a thousand end tags build their name pattern once, not a thousand times', () => {
  parseXml('<warm/>');
  const xml = '<Invoices>' + '<Invoice><Reference>r</Reference></Invoice>'.repeat(1_000) + '</Invoices>';
  let root: ReturnType<typeof parseXml> | undefined;
  const built = regExpsBuiltBy(() => (root = parseXml(xml)));
  assert.ok(built < 10, `${built} patterns built for 2,001 end tags`);
  assert.is(childElements(root!).length, 1_000);
});

patterns('end tags are still checked: a wrong or malformed one is refused as before', () => {
  const refusal = (xml: string) => {
    try {
      parseXml(xml);
    } catch (error) {
      return (error as Error).message;
    }
    return 'parsed';
  };
  assert.is(refusal('<a><b></a></b>'), 'The XML is not well-formed: Opening and ending tag mismatch: "b" != "a".');
  assert.is(refusal('<a></a b>'), 'The XML is not well-formed: end tag name contains invalid characters: "a b".');
  assert.is(refusal('<a></a%>'), 'The XML is not well-formed: end tag name contains invalid characters: "a%".');
  assert.is(parseXml('<a><b>1</b ></a>').tagName, 'a');
});

patterns.run();

// @ts-expect-error: the grammar module of @xmldom/xmldom has no type declarations.
import grammar from '@xmldom/xmldom/lib/grammar.js';

type Part = RegExp | string;
interface Node {
  next: Map<Part, Node>;
  pattern?: RegExp;
}

/**
 * @xmldom/xmldom 0.9 builds a new Unicode pattern of its element-name grammar (about 1 KB of
 * source) for every end tag it reads (`g.reg('^', g.QName_group, g.S_OPT, '$')` in sax.js): for a
 * 50-invoice batch of 15,000 end tags that is 15,000 RegExp objects and their source strings, a
 * third of the parse and most of its garbage. The parts it combines are the grammar's own
 * constants, and a pattern without the g or y flag keeps no state between uses, so one pattern
 * per combination is built once and handed out again. Installed once, before any parse.
 */
export function rememberXmldomPatterns(): void {
  const g = grammar as { reg: (...parts: Part[]) => RegExp; __remembered?: boolean };
  if (g.__remembered) return;
  const build = g.reg;
  const root: Node = { next: new Map() };
  g.reg = function remembered(this: unknown, ...parts: Part[]): RegExp {
    let node = root;
    for (const part of parts) {
      let next = node.next.get(part);
      if (!next) node.next.set(part, (next = { next: new Map() }));
      node = next;
    }
    return (node.pattern ??= build.apply(this, parts));
  };
  g.__remembered = true;
}

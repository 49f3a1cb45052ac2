import type { Element } from '@xmldom/xmldom';
import { childElements } from '../../lib/xml';

/**
 * Every `Message` under a list named `listKey` (`ValidationErrors`, `Warnings`) anywhere inside
 * a JSON element, nested objects included: Xero reports a bad Contact inside an Invoice on the
 * Contact. Repeats are dropped because Xero often echoes a nested error on the parent too.
 * @see PROTOCOL.md §4.5
 */
export function jsonMessages(value: unknown, listKey: 'ValidationErrors' | 'Warnings'): string[] {
  const found = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    for (const [key, child] of Object.entries(node as Record<string, unknown>)) {
      if (key === listKey && Array.isArray(child)) {
        for (const entry of child) {
          const message = entry !== null && typeof entry === 'object' ? (entry as Record<string, unknown>)['Message'] : undefined;
          if (typeof message === 'string' && message.trim() !== '') found.add(message.trim());
        }
      } else walk(child);
    }
  };
  walk(value);
  return [...found];
}

/** The XML twin of `jsonMessages`: the `Message` of every `<ValidationError>` or `<Warning>` inside an element. */
export function xmlMessages(element: Element, itemTag: 'ValidationError' | 'Warning'): string[] {
  const found = new Set<string>();
  const items = element.getElementsByTagName(itemTag);
  for (let i = 0; i < items.length; i++) {
    const message = childElements(items.item(i)!).find((child) => child.tagName === 'Message')?.textContent?.trim();
    if (message) found.add(message);
  }
  return [...found];
}

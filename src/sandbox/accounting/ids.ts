import { createHash, randomUUID } from 'node:crypto';

/**
 * A UUID that is always the same for the same parts (SHA-1 based, laid out as a version 5
 * UUID), so demo data has fixed ids that tests and integrators can rely on.
 * @example stableUuid(org.id, 'account', '200')
 */
export function stableUuid(...parts: string[]): string {
  const hex = createHash('sha1').update(parts.join('\u0000')).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A fresh id for a document the API creates. */
export function newId(): string {
  return randomUUID();
}

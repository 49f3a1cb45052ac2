import type { Context } from 'hono';
import { AppError } from '../lib/errors';
import { decodeElement, parseXml, type XmlObject } from '../lib/xml';

/**
 * Reads a JSON or XML object body (by Content-Type). XML fields are the child elements of the
 * root, with the same names as the JSON fields. The body was bounded before it reached here
 * and scanned as it arrived (`limitBodies`), and XML goes through the one hardened reader.
 */
export async function readObjectBody(c: Context): Promise<Record<string, unknown>> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new AppError('invalid', 'The request body is not valid UTF-8.');
  }
  if (type === 'application/json') {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new AppError('invalid', `The JSON body is not valid: ${(error as Error).message}.`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new AppError('invalid', 'The JSON body must be an object.');
    return value as Record<string, unknown>;
  }
  if (type === 'application/xml' || type === 'text/xml') {
    const value = decodeElement(parseXml(text), () => undefined);
    return typeof value === 'object' && !Array.isArray(value) ? (value as XmlObject) : {};
  }
  throw new AppError('invalid', `Send the body as application/json or application/xml (not "${type || 'no content type'}").`, { field: 'Content-Type' });
}

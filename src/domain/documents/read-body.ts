import { bodyError } from './issues';

/** Documents are small; anything bigger is refused before any parsing is paid for. */
export const MAX_BODY_BYTES = 1_000_000;

/** A request body as it arrived: its Content-Type header and its bytes. */
export interface DocumentBody {
  contentType: string | undefined;
  bytes: Uint8Array;
}

/** The body's text and whether it is JSON or XML. */
export interface BodyText {
  format: 'json' | 'xml';
  text: string;
}

const FORMATS: Record<string, BodyText['format']> = {
  'application/json': 'json',
  'application/xml': 'xml',
  'text/xml': 'xml',
};

/**
 * Checks what can be checked before parsing: the size, the media type (JSON or XML, UTF-8
 * only) and that the bytes are valid UTF-8. A byte-order mark is dropped.
 */
export function readBody(body: DocumentBody): BodyText {
  if (body.bytes.byteLength > MAX_BODY_BYTES) throw bodyError(`is larger than ${MAX_BODY_BYTES} bytes (send fewer documents per request)`);
  const [mediaType = '', ...parameters] = (body.contentType ?? '').split(';').map((part) => part.trim().toLowerCase());
  const format = FORMATS[mediaType];
  if (!format) throw bodyError(mediaType ? `must be sent as application/json or application/xml, not "${mediaType}"` : 'must be sent with a Content-Type of application/json or application/xml');
  const charset = parameters.find((parameter) => parameter.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') throw bodyError(`must be UTF-8, not charset "${charset}"`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body.bytes);
  } catch {
    throw bodyError('is not valid UTF-8');
  }
  if (text.trim() === '') throw bodyError('is empty');
  return { format, text };
}

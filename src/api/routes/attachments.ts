import { Hono, type Context } from 'hono';
import { MAX_ATTACHMENT_BYTES } from '../../domain/documents/attachment';
import { AppError } from '../../lib/errors';
import { submitAttachment, type AttachmentInput } from '../../services/attachments';
import type { ServiceDeps } from '../../services/deps';
import { requireDevice, type DeviceEnv } from '../device-auth';
import { reply } from '../respond';
import { answerAfterWaiting, waitSeconds } from './documents';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const FIELDS = ['DocumentId', 'XeroDocument', 'FileName', 'MimeType', 'IncludeOnline'];

/** A misspelt field is an error, not a setting silently lost (IncludeOnLine would never show the file). */
function refuseUnknown(names: readonly string[], known: readonly string[]): void {
  const unknown = names.find((name) => !known.includes(name));
  if (unknown !== undefined) throw new AppError('invalid', `${unknown}: not a field of an attachment; the fields are ${known.join(', ')}.`, { field: unknown });
}

/**
 * `POST /attachments`: a PDF or image for a document, as JSON (the bytes in base64) or as a
 * `multipart/form-data` form (the file in the `file` part); 202 once it is durable, with its job;
 * `?wait=SECONDS` waits for Xero's outcome as the document endpoints do.
 */
export function attachmentRoutes(deps: ServiceDeps): Hono<DeviceEnv> {
  const app = new Hono<DeviceEnv>();
  app.post('/attachments', requireDevice(deps), async (c) => {
    const wait = waitSeconds(c.req.query('wait'));
    const answer = submitAttachment(deps, c.get('device'), await readAttachment(c), { idempotencyKey: c.req.header('idempotency-key'), route: 'POST /attachments' });
    c.header('Location', `/api/v1/jobs/${answer.body.jobs[0]?.id ?? ''}`);
    return wait > 0 ? answerAfterWaiting(c, deps, answer, wait) : reply(c, 202, 'Accepted', { ...answer.body });
  });
  return app;
}

/** The file and its document from either body; the service checks every value. */
async function readAttachment(c: Context<DeviceEnv>): Promise<AttachmentInput> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') return fromJson(await c.req.text());
  if (type === 'multipart/form-data') return fromForm(c);
  throw new AppError('invalid', `Send the file as application/json (its bytes in Content, base64) or as multipart/form-data (not "${type || 'no content type'}").`, { field: 'Content-Type' });
}

function fromJson(text: string): AttachmentInput {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new AppError('invalid', `The JSON body is not valid: ${(error as Error).message}.`, { field: 'body' });
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new AppError('invalid', 'The JSON body must be an object.', { field: 'body' });
  const fields = body as Record<string, unknown>;
  refuseUnknown(Object.keys(fields), [...FIELDS, 'Content']);
  const content = fields['Content'];
  if (content !== undefined && typeof content !== 'string') throw new AppError('invalid', 'Content: must be the file in base64.', { field: 'Content' });
  const online = fields['IncludeOnline'];
  if (online !== undefined && typeof online !== 'boolean') throw new AppError('invalid', 'IncludeOnline: must be true or false.', { field: 'IncludeOnline' });
  return {
    fileName: textField(fields, 'FileName'),
    mimeType: textField(fields, 'MimeType'),
    content: content === undefined ? undefined : fromBase64(content),
    documentId: textField(fields, 'DocumentId'),
    xeroDocument: textField(fields, 'XeroDocument'),
    includeOnline: online,
  };
}

async function fromForm(c: Context<DeviceEnv>): Promise<AttachmentInput> {
  let form: Record<string, string | File>;
  try {
    form = (await c.req.parseBody()) as Record<string, string | File>;
  } catch (error) {
    throw new AppError('invalid', `The multipart form could not be read: ${(error as Error).message}.`, { field: 'body' });
  }
  refuseUnknown(Object.keys(form), [...FIELDS, 'file']);
  const file = form['file'];
  if (file !== undefined && typeof file === 'string') throw new AppError('invalid', 'file: must be the file itself (a part with a filename), not text.', { field: 'file' });
  const value = (name: string): string | undefined => {
    const part = form[name];
    if (part !== undefined && typeof part !== 'string') throw new AppError('invalid', `${name}: must be text, not a file.`, { field: name });
    return part;
  };
  const online = value('IncludeOnline');
  if (online !== undefined && online !== 'true' && online !== 'false') throw new AppError('invalid', 'IncludeOnline: must be true or false.', { field: 'IncludeOnline' });
  return {
    fileName: value('FileName') ?? (file?.name || undefined),
    mimeType: value('MimeType') ?? (file?.type || undefined),
    content: file ? new Uint8Array(await file.arrayBuffer()) : undefined,
    documentId: value('DocumentId'),
    xeroDocument: value('XeroDocument'),
    includeOnline: online === undefined ? undefined : online === 'true',
  };
}

function textField(fields: Record<string, unknown>, name: string): string | undefined {
  const value = fields[name];
  if (value !== undefined && typeof value !== 'string') throw new AppError('invalid', `${name}: must be text.`, { field: name });
  return value;
}

function fromBase64(text: string): Uint8Array {
  const compact = text.replace(/\s+/g, '');
  if (!BASE64.test(compact)) throw new AppError('invalid', 'Content: must be the file in base64 (A–Z, a–z, 0–9, + and /).', { field: 'Content' });
  // Refused by its size before it is decoded.
  if (Math.floor((compact.length * 3) / 4) - (compact.match(/=+$/)?.[0].length ?? 0) > MAX_ATTACHMENT_BYTES) {
    throw new AppError('too_large', `Content: the file is larger than ${MAX_ATTACHMENT_BYTES.toLocaleString('en')} bytes (10 MB), the most Xero takes a file.`, { field: 'Content' });
  }
  return new Uint8Array(Buffer.from(compact, 'base64'));
}

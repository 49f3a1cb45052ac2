import { AppError } from '../errors';

/** Why a scan refused a body: callers that word their own errors (documents) tell them apart. */
export type RefusalKind = 'declaration' | 'name' | 'depth' | 'size';

/** A refusal found by the XML scan: what is not allowed, as a sentence fragment, and its line. */
export class XmlRefusal extends AppError {
  readonly kind: RefusalKind;
  readonly reason: string;
  readonly line: number;

  constructor(kind: RefusalKind, reason: string, line: number) {
    super('invalid', `XML line ${line}: ${reason}.`, { field: `line ${line}` });
    this.kind = kind;
    this.reason = reason;
    this.line = line;
  }
}

/** A refusal of a body that is not XML (JSON, a form): a sentence fragment after "The request body". */
export class BodyRefusal extends AppError {
  readonly kind: RefusalKind;
  readonly reason: string;

  constructor(kind: RefusalKind, reason: string) {
    super('invalid', `The request body ${reason}.`, { field: 'body' });
    this.kind = kind;
    this.reason = reason;
  }
}

/** A refusal found by the JSON scan. JSON bodies are often one line, so no line is given. */
export class JsonRefusal extends BodyRefusal {}

/** A refusal found by the multipart scan. */
export class FormRefusal extends BodyRefusal {}

/**
 * A refusal restated as the device API words a problem with a body as a whole, the same words
 * a document's own reader uses, so a body refused while it arrives reads as one refused later:
 * @example The request body nests elements more than 32 deep (XML line 33).
 */
export function asBodyError(refusal: XmlRefusal | BodyRefusal): AppError {
  const xml = refusal instanceof XmlRefusal;
  const message = xml ? (refusal.kind === 'depth' ? refusal.reason.replace(/^elements nest/, 'nests elements') : `is not acceptable XML: ${refusal.reason}`) : refusal.reason;
  const line = xml ? refusal.line : undefined;
  const detail = line === undefined ? { field: 'body', message } : { field: 'body', message, line };
  return new AppError('invalid', `The request body ${message}${line === undefined ? '' : ` (XML line ${line})`}.`, { field: 'body', details: [detail] });
}

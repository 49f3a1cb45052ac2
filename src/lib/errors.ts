/** The stable error codes every layer speaks. HTTP statuses and exit codes are assigned elsewhere, once. */
export type ErrorCode =
  | 'invalid'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  /** A document sent again under the same DocumentId with other content; the earlier one stands. */
  | 'document_changed'
  | 'unauthorized'
  | 'forbidden'
  | 'too_large'
  | 'rate_limited'
  | 'unprocessable'
  | 'upstream'
  | 'unavailable'
  | 'internal';

/** One problem among several, e.g. one invalid field of a request body. */
export interface ErrorDetail {
  /** Where: a field path such as `Invoices[2].LineItems[0].UnitAmount`, or `body`. */
  field: string;
  /** What is wrong, as a phrase that follows the field: `must be a number`. */
  message: string;
  /** The line of the XML element concerned, when the body was XML. */
  line?: number;
}

export interface AppErrorOptions {
  /** The configuration key, request field or XML line the error concerns. */
  field?: string;
  /** Every problem found, when there are several (the message summarises them). */
  details?: readonly ErrorDetail[];
  /** What the operator could try next; the CLI prints it as a hint. */
  hint?: string;
  /** Whether repeating the same operation later may succeed. */
  retryable?: boolean;
  /** Whole seconds until a retry may succeed (at least 1); HTTP answers send it as `Retry-After`. */
  retryAfterSeconds?: number;
  cause?: unknown;
}

/**
 * One error type with a stable code and a message that is a complete sentence safe to show a user.
 * @example throw new AppError('invalid', 'server.listen: must be "host:port".', { field: 'server.listen' })
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly details: readonly ErrorDetail[] | undefined;
  readonly hint: string | undefined;
  readonly retryable: boolean;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.field = options.field;
    this.details = options.details;
    this.hint = options.hint;
    this.retryable = options.retryable ?? (code === 'unavailable' || code === 'upstream' || options.retryAfterSeconds !== undefined);
    this.retryAfterSeconds = options.retryAfterSeconds === undefined ? undefined : Math.max(1, Math.ceil(options.retryAfterSeconds));
  }
}

/** Whether a value is an AppError, optionally with a given code. */
export function isAppError(value: unknown, code?: ErrorCode): value is AppError {
  return value instanceof AppError && (code === undefined || value.code === code);
}

/** Wraps anything thrown into an AppError, keeping AppErrors as they are. */
export function toAppError(value: unknown): AppError {
  if (value instanceof AppError) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new AppError('internal', `An unexpected error occurred: ${message}`, { cause: value });
}

import { AppError, isAppError } from '../../src/lib/errors';

/** A JSON request body as the device API receives it. */
export const json = (value: unknown) => ({ contentType: 'application/json', bytes: new TextEncoder().encode(JSON.stringify(value)) });

/** An XML request body as the device API receives it. */
export const xml = (text: string) => ({ contentType: 'application/xml; charset=utf-8', bytes: new TextEncoder().encode(text) });

/** Runs `run`, which must throw AppError('invalid'), and returns the error. */
export function invalid(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (isAppError(error, 'invalid')) return error;
    throw error;
  }
  throw new Error('expected an AppError("invalid"), but nothing was thrown');
}

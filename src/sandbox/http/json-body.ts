import { AppError } from '../../lib/errors';

/** Reads a control-API body as a JSON object; an empty body is `{}`. */
export async function jsonObject(request: { text(): Promise<string> }): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError('invalid', 'The body must be a JSON object.');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new AppError('invalid', 'The body must be a JSON object.');
  return value as Record<string, unknown>;
}

import { AppError } from '../lib/errors';
import { envNameFor } from './schema';

/** The `invalid` error for a configuration key: names the key, and the env variable that can fix it. */
export function invalid(key: string, problem: string): AppError {
  return new AppError('invalid', `${key}: ${problem}.`, { field: key, hint: `Fix ${key} in the config file or ${envNameFor(key)}.` });
}

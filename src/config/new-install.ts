import { AppError } from '../lib/errors';

/**
 * The Xero app a new config names. Today's Xero takes OAuth 2.0 only: an app made with "Auth code
 * with PKCE" has no secret (`oauth2_pkce`, the default); a web app has one (`oauth2`), which the
 * config only ever names (env:NAME or file:PATH), so it is never written in plain text.
 */
export function newConfigApp(clientId: string, clientSecretRef: string | undefined): Record<string, string> {
  return {
    'xero.app_type': clientSecretRef === undefined ? 'oauth2_pkce' : 'oauth2',
    'xero.client_id': clientId,
    ...(clientSecretRef === undefined ? {} : { 'xero.client_secret': clientSecretRef }),
  };
}

/** A client id as the Xero developer portal shows it (32 letters and digits); empty means "set it later". */
export function checkClientId(value: string): string {
  const id = value.trim();
  if (id !== '' && !/^[A-Za-z0-9]{8,64}$/.test(id)) {
    throw new AppError('invalid', '--client-id: is not a Xero client id, which is 32 letters and digits (developer.xero.com → My Apps → your app → Configuration).', { field: 'client_id' });
  }
  return id;
}

/** How the config names a web app's client secret: an environment variable, or an owner-only file. */
export function clientSecretRef(options: { envName?: string; file?: string }): string | undefined {
  if (options.envName !== undefined && options.file !== undefined) throw new AppError('invalid', 'Give --client-secret-env or --client-secret-file, not both.');
  if (options.envName !== undefined) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(options.envName)) throw new AppError('invalid', `--client-secret-env: "${options.envName}" is not an environment variable name (letters, digits and _).`, { field: 'client_secret' });
    return `env:${options.envName}`;
  }
  if (options.file !== undefined) {
    if (options.file.trim() === '') throw new AppError('invalid', '--client-secret-file: is empty.', { field: 'client_secret' });
    return `file:${options.file}`;
  }
  return undefined;
}

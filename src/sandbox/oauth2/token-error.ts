/**
 * A token or revocation endpoint failure as RFC 6749 §5.2 answers it: JSON `error` and
 * `error_description`, 400 (401 for `invalid_client`). Returned, not thrown.
 */
export class TokenError {
  constructor(
    readonly status: 400 | 401,
    readonly error: string,
    readonly description: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {}
}

export const invalidGrant = (description: string): TokenError => new TokenError(400, 'invalid_grant', description);
export const invalidRequest = (description: string): TokenError => new TokenError(400, 'invalid_request', description);

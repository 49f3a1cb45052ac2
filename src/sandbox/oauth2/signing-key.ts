import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import type { Db } from '../../store/db';

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
}

/**
 * The RSA key the sandbox signs ID tokens with: made on first use and kept in the sandbox
 * database, so a restarted sandbox still verifies against the same JWKS.
 */
export function signingKey(db: Db, now: Date): SigningKey {
  const row = db.prepare('SELECT kid, private_key_pem AS pem FROM oauth2_signing_keys ORDER BY created_at LIMIT 1').get() as { kid: string; pem: string } | undefined;
  if (row) return { kid: row.kid, privateKey: createPrivateKey(row.pem) };
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomUUID().replace(/-/g, '').toUpperCase();
  db.prepare('INSERT INTO oauth2_signing_keys (kid, private_key_pem, created_at) VALUES (?, ?, ?)').run(kid, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, now.toISOString());
  return { kid, privateKey };
}

/** The JWKS document: the public half of the signing key. */
export function jwks(db: Db, now: Date): { keys: Record<string, unknown>[] } {
  const key = signingKey(db, now);
  const jwk = createPublicKey(key.privateKey).export({ format: 'jwk' });
  return { keys: [{ kty: 'RSA', use: 'sig', alg: 'RS256', kid: key.kid, n: jwk.n, e: jwk.e }] };
}

const base64url = (data: string | Buffer): string => Buffer.from(data).toString('base64url');

/** Signs `claims` as a compact RS256 JWT. */
export function signJwt(db: Db, now: Date, claims: Record<string, unknown>): string {
  const key = signingKey(db, now);
  const input = `${base64url(JSON.stringify({ alg: 'RS256', kid: key.kid, typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}`;
  return `${input}.${base64url(sign('sha256', Buffer.from(input), key.privateKey))}`;
}

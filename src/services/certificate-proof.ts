import { oauth1Auth } from '../domain/xero/auth';
import type { XeroAccess, XeroConsumer } from '../domain/xero/credentials';
import { buildOrganisationRequest, processOrganisationResponse, type XeroOrganisation } from '../domain/xero/organisation';
import { send, type Transport } from '../domain/xero/send';
import { XeroError } from '../domain/xero/xero-error';
import type { Clock } from '../lib/clock';
import { AppError, toAppError } from '../lib/errors';
import type { Secret } from '../lib/secret';

/** Who signs the proving request, with the private key being proven. */
export interface ProofCredentials {
  consumerKey: string;
  /** A private app acts with its consumer key; a partner app with an organisation's access token. */
  access: XeroAccess;
  privateKey: Secret;
  /** For the operator: "the private app", "the partner app with X's access token". */
  caller: string;
}

export interface ProofDeps {
  apiUrl: string;
  transport: Transport;
  clock: Clock;
}

const UNCHANGED = 'Nothing was changed; the active certificate keeps signing.';

/**
 * Proves a key pair at Xero with the cheapest signed read, GET Organisation, signed RSA-SHA1
 * with the key being proven. Resolves with the organisation; a refusal becomes an AppError that
 * says what to do, above all "upload the certificate first" for a bad signature.
 * @see PROTOCOL.md §1.2, §2
 */
export async function proveSigningKey(deps: ProofDeps, credentials: ProofCredentials): Promise<XeroOrganisation> {
  const consumer: XeroConsumer = { consumerKey: credentials.consumerKey, privateKeyPem: credentials.privateKey, signatureMethod: 'RSA-SHA1' };
  const request = buildOrganisationRequest({ apiUrl: deps.apiUrl, auth: oauth1Auth(consumer, credentials.access, deps.clock.now()) });
  try {
    return processOrganisationResponse(await send(deps.transport, request));
  } catch (error) {
    throw explainProofFailure(error);
  }
}

/** Rephrases a failed proof for the operator; every failure also says that nothing changed. */
export function explainProofFailure(error: unknown): AppError {
  // Xero checks the signature against the certificate it holds, so a bad signature from a fresh
  // pair almost always means the new publickey.cer was not uploaded (or not saved) yet.
  if (error instanceof XeroError && error.problem?.kind === 'signature') {
    return new AppError('unauthorized', 'Xero rejected the new certificate: upload publickey.cer to the app in the Xero developer portal first.', {
      hint: `${error.message} ${UNCHANGED} Run \`xero-proxy cert activate\` again after the upload.`,
      retryable: false,
      cause: error,
    });
  }
  const known = toAppError(error);
  return new AppError(known.code, `The new certificate could not be proven: ${known.message}`, {
    hint: known.hint ? `${known.hint} ${UNCHANGED}` : UNCHANGED,
    retryable: known.retryable,
    cause: error,
  });
}

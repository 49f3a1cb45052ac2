import { X509Certificate } from 'node:crypto';
import { splitByPermission, urlHost, wantedNames, type HostFacts, type Permitted, type ServerNames } from '../domain/tls/lan-names';
import { renewalDate, renewalReason, sanNames } from '../domain/tls/local-ca';
import { AppError } from '../lib/errors';
import { findTlsCertificate } from '../store/tls-certificates';
import type { ServiceDeps } from './deps';
import { pemBlocks, readTlsFiles } from './tls-files';

/** The public side of the proxy's HTTPS, for `tls show`, `doctor`, the settings page and pairing; never makes anything. */
export interface TlsStatus {
  mode: 'auto' | 'files' | 'off';
  /** What devices pin; undefined when HTTPS is off, or nothing is made (auto: before the server's first start) or readable (files). */
  caSpkiSha256: string | undefined;
  caCertificatePem: string | undefined;
  ca: { subject: string; notBefore: string; notAfter: string; permitted: Permitted | undefined } | undefined;
  server: { subject: string; names: ServerNames; notBefore: string; notAfter: string; fingerprintSha256: string; renewsAt: string | undefined } | undefined;
  /** Sentences for a person, each with the way to fix it; empty when all is well. */
  problems: string[];
}

/** Reads what HTTPS presents, from the store (`auto`) or the files (`files`). */
export function tlsStatus(deps: ServiceDeps, host: HostFacts): TlsStatus {
  const mode = deps.config.server.tls;
  const none = { caSpkiSha256: undefined, caCertificatePem: undefined, ca: undefined, server: undefined };
  if (mode === 'off') return { mode, ...none, problems: [] };
  if (mode === 'files') {
    try {
      const served = readTlsFiles(deps);
      const chain = pemBlocks(served.certificateChain, 'CERTIFICATE').map((pem) => new X509Certificate(pem));
      const problems = chain.length === 1 ? [`${deps.config.server.tlsCert} holds the server certificate alone: devices can pin only the server's own key, which changes with the certificate. Append the CA certificate to the file.`] : [];
      return {
        mode,
        caSpkiSha256: served.caSpkiSha256,
        caCertificatePem: served.caCertificatePem,
        ca: describe(chain[chain.length - 1]!, undefined),
        server: describeServer(chain[0]!, undefined),
        problems: [...problems, ...endingFiles(chain[0]!, deps)],
      };
    } catch (error) {
      return { mode, ...none, problems: [toSentence(error)] };
    }
  }
  const ca = findTlsCertificate(deps.db, 'ca');
  // Nothing to put right: the server makes both at its first start.
  if (!ca) return { mode, ...none, problems: [] };
  const caCertificate = new X509Certificate(ca.certificatePem);
  const stored = findTlsCertificate(deps.db, 'server');
  const server = stored && new X509Certificate(stored.certificatePem);
  const problems: string[] = [];
  const publicHost = urlHost(deps.config.server.publicUrl);
  const { allowed, refused } = splitByPermission(wantedNames(host, publicHost), ca.permitted!);
  if (refused.length > 0) {
    const who = refused.includes(publicHost) ? `server.public_url names ${publicHost}, so devices would be refused` : 'devices that reach the proxy by them would be refused';
    problems.push(
      `The proxy's CA may not sign for ${refused.join(', ')} (it was made when this host had other names), so the server certificate lacks ${refused.length === 1 ? 'it' : 'them'}: ${who}. Run \`xero-proxy tls renew --new-ca\` and pin the new CA on every device, or use a name or LAN address the certificate has.`,
    );
  }
  const due = renewalReason(server, caCertificate, allowed, deps.clock);
  if (due !== undefined && server) problems.push(`The server certificate is due for renewal (${due}); the running server renews it within a minute, or run \`xero-proxy tls renew\`.`);
  const caDaysLeft = (caCertificate.validToDate.getTime() - deps.clock.now().getTime()) / 86_400_000;
  if (caDaysLeft < 90) problems.push(`The proxy's CA ends on ${ca.notAfter.slice(0, 10)}. Run \`xero-proxy tls renew --new-ca\` before then and pin the new CA on every device.`);
  return {
    mode,
    caSpkiSha256: ca.spkiSha256,
    caCertificatePem: ca.certificatePem,
    ca: describe(caCertificate, ca.permitted),
    server: server && describeServer(server, renewalDate(server).toISOString()),
    problems,
  };
}

function describe(certificate: X509Certificate, permitted: Permitted | undefined): NonNullable<TlsStatus['ca']> {
  return { subject: certificate.subject.split('\n').join(', '), notBefore: certificate.validFromDate.toISOString(), notAfter: certificate.validToDate.toISOString(), permitted };
}

function describeServer(certificate: X509Certificate, renewsAt: string | undefined): NonNullable<TlsStatus['server']> {
  return { ...describe(certificate, undefined), names: sanNames(certificate), fingerprintSha256: certificate.fingerprint256, renewsAt };
}

/** Certificate files are renewed by a person: a month ahead, the console says so. */
function endingFiles(certificate: X509Certificate, deps: Pick<ServiceDeps, 'clock' | 'config'>): string[] {
  const daysLeft = Math.ceil((certificate.validToDate.getTime() - deps.clock.now().getTime()) / 86_400_000);
  return daysLeft < 30 ? [`The certificate in ${deps.config.server.tlsCert} ends in ${daysLeft} days: replace the files; the server reads them again within a minute.`] : [];
}

function toSentence(error: unknown): string {
  const problem = error instanceof AppError ? error : undefined;
  return problem ? `${problem.message}${problem.hint ? ` ${problem.hint}` : ''}` : String(error);
}

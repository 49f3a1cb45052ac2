import { createHash, randomBytes, sign, type KeyObject } from 'node:crypto';
import * as der from '../../lib/der';
import { ipBytes, maskBytes, type IpRange } from './ip-address';

/**
 * Issues X.509 v3 certificates signed with ECDSA P-256 and SHA-256 (RFC 5280, RFC 5758 §3.2).
 * Node makes the keys and signs; it cannot assemble a certificate, and node-forge (which can)
 * signs only with RSA keys, so the certificate is written here with a small DER writer. Node's
 * `X509Certificate`, OpenSSL's verifier and the tests read the result independently.
 * @see https://www.rfc-editor.org/rfc/rfc5280#section-4.1
 */

/** The subject or issuer: a common name and, optionally, an organisation. */
export interface CertificateName {
  commonName: string;
  organisation?: string;
}

/** One extension, its value already DER. */
export interface Extension {
  oid: string;
  critical: boolean;
  value: Buffer;
}

export interface IssueRequest {
  subject: CertificateName;
  publicKey: KeyObject;
  /** Who signs: the subject itself (a root) or the CA. */
  issuer: { name: CertificateName; privateKey: KeyObject; publicKey: KeyObject };
  notBefore: Date;
  notAfter: Date;
  extensions: readonly Extension[];
}

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const OID = {
  commonName: '2.5.4.3',
  organisation: '2.5.4.10',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  nameConstraints: '2.5.29.30',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
} as const;

/** Signs the certificate `request` describes and returns it as PEM. */
export function issueCertificate(request: IssueRequest): string {
  const algorithm = der.sequence(der.oid(ECDSA_WITH_SHA256));
  const tbs = der.sequence(
    der.contextTag(0, der.smallInteger(2), true),
    der.unsignedInteger(serialNumber()),
    algorithm,
    encodeName(request.issuer.name),
    der.sequence(der.time(request.notBefore), der.time(request.notAfter)),
    encodeName(request.subject),
    spki(request.publicKey),
    der.contextTag(3, der.sequence(...request.extensions.map(encodeExtension)), true),
  );
  // Node signs EC keys in DER (the ECDSA-Sig-Value X.509 wants) unless told otherwise.
  const signature = sign('sha256', tbs, request.issuer.privateKey);
  const certificate = der.sequence(tbs, algorithm, der.bitString(signature));
  const body = certificate.toString('base64').replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${body}-----END CERTIFICATE-----\n`;
}

/** A certificate authority that may sign for others, but not for further CAs (path length 0). */
export function caConstraints(): Extension {
  return { oid: OID.basicConstraints, critical: true, value: der.sequence(der.boolean(true), der.smallInteger(0)) };
}

/** An end-entity certificate: not a CA. */
export function endEntity(): Extension {
  return { oid: OID.basicConstraints, critical: true, value: der.sequence() };
}

/** A CA signs certificates and revocation lists (keyCertSign, cRLSign); a server signs its handshakes (digitalSignature). */
export function keyUsage(kind: 'ca' | 'server'): Extension {
  // Bits count from the top of the first byte: digitalSignature is bit 0, keyCertSign 5, cRLSign 6.
  const value = kind === 'ca' ? der.bitString(Buffer.from([0x06]), 1) : der.bitString(Buffer.from([0x80]), 7);
  return { oid: OID.keyUsage, critical: true, value };
}

/** For TLS servers only (id-kp-serverAuth), as Apple and the CA/Browser Forum require. */
export function serverAuth(): Extension {
  return { oid: OID.extKeyUsage, critical: false, value: der.sequence(der.oid(OID.serverAuth)) };
}

/** The names a server answers to: DNS names and IP addresses. */
export function subjectAltName(names: { dnsNames: readonly string[]; ipAddresses: readonly string[] }): Extension {
  const general = [...names.dnsNames.map(dnsName), ...names.ipAddresses.map((ip) => der.contextTag(7, ipBytes(ip), false))];
  return { oid: OID.subjectAltName, critical: false, value: der.sequence(...general) };
}

/**
 * Name constraints (RFC 5280 §4.2.1.10), critical: whatever this CA signs must name only the
 * permitted DNS names (or names below them) outside the excluded ones, and addresses in the
 * permitted ranges, so its key, if it ever leaked, could not vouch for `bank.example.com` or a
 * public address.
 */
export function nameConstraints(constraints: { dnsNames: readonly string[]; excludedDnsNames: readonly string[]; ipRanges: readonly IpRange[] }): Extension {
  const permitted = [
    ...constraints.dnsNames.map((name) => der.sequence(dnsName(name))),
    ...constraints.ipRanges.map((range) => der.sequence(der.contextTag(7, Buffer.concat([ipBytes(range.address), maskBytes(range)]), false))),
  ];
  const excluded = constraints.excludedDnsNames.map((name) => der.sequence(dnsName(name)));
  const subtrees = [der.contextTag(0, Buffer.concat(permitted), true), ...(excluded.length > 0 ? [der.contextTag(1, Buffer.concat(excluded), true)] : [])];
  return { oid: OID.nameConstraints, critical: true, value: der.sequence(...subtrees) };
}

/** The key's identifier: the leftmost 160 bits of the SHA-256 of its SubjectPublicKeyInfo (RFC 7093 §2). */
export function subjectKeyIdentifier(publicKey: KeyObject): Extension {
  return { oid: OID.subjectKeyIdentifier, critical: false, value: der.octetString(keyIdentifier(publicKey)) };
}

/** Names the issuer's key, so a client finds the right CA among several. */
export function authorityKeyIdentifier(issuerKey: KeyObject): Extension {
  return { oid: OID.authorityKeyIdentifier, critical: false, value: der.sequence(der.contextTag(0, keyIdentifier(issuerKey), false)) };
}

function keyIdentifier(publicKey: KeyObject): Buffer {
  return createHash('sha256').update(spki(publicKey)).digest().subarray(0, 20);
}

function spki(publicKey: KeyObject): Buffer {
  return publicKey.export({ type: 'spki', format: 'der' });
}

function dnsName(name: string): Buffer {
  return der.contextTag(2, Buffer.from(name, 'ascii'), false);
}

function encodeName(name: CertificateName): Buffer {
  const attribute = (oid: string, value: string) => der.setOf(der.sequence(der.oid(oid), der.utf8String(value)));
  return der.sequence(attribute(OID.commonName, name.commonName), ...(name.organisation ? [attribute(OID.organisation, name.organisation)] : []));
}

function encodeExtension(extension: Extension): Buffer {
  return der.sequence(der.oid(extension.oid), ...(extension.critical ? [der.boolean(true)] : []), der.octetString(extension.value));
}

// A positive 128-bit serial: RFC 5280 §4.1.2.2 asks for positive and unique, at most 20 bytes.
function serialNumber(): Buffer {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x40;
  return bytes;
}

import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { expiryStatus } from '../domain/certificates';
import { writeFileAtomic } from '../lib/atomic-write';
import type { Clock } from '../lib/clock';
import { AppError } from '../lib/errors';
import { activateCertificate } from '../services/certificate-activation';
import { createCertificate, importCertificate, rotateCertificate } from '../services/certificates';
import { listCertificates, type StoredCertificate } from '../store/certificates';
import { withStore } from './context';
import { printData, table, type Io } from './output';

/** The file Xero's recipe named the certificate to upload. */
export const CERTIFICATE_FILE = 'publickey.cer';

interface NewPairOptions {
  out: string;
  orgName?: string;
  force?: boolean;
  replacePending?: boolean;
  json?: boolean;
}

/** `xero-proxy cert create|import|list|rotate|activate`: the RSA pairs private and partner apps sign with. */
export function registerCert(program: Command, io: Io): void {
  const cert = program.command('cert').description('manage the RSA key pair and certificate that sign requests for private and partner apps');
  const newPair = (name: string, description: string) =>
    cert
      .command(name)
      .description(description)
      .option('--out <dir>', `directory to save ${CERTIFICATE_FILE} in`, '.')
      .option('--org-name <name>', 'add O=<name> to the certificate subject')
      .option('--force', `replace an existing ${CERTIFICATE_FILE}`)
      .option('--json', 'print as JSON');

  newPair('create', 'make the first key pair (it becomes active) and save the certificate to upload to Xero').action(async (options: NewPairOptions, command: Command) => {
    await withStore(command, (store) => {
      const target = certificatePath(options);
      const created = createCertificate(store, subjectOf(options));
      printNewPair(io, options, store.clock, created, saveCertificate(created, target, options), 'It is active: the proxy signs with it now.');
    });
  });

  newPair('rotate', 'make a new key pair beside the active one (pending until `cert activate`)')
    .option('--replace-pending', 'first retire a pending pair that will not be activated (lost, expired, never uploaded)')
    .action(async (options: NewPairOptions, command: Command) => {
      await withStore(command, (store) => {
        const target = certificatePath(options);
        const created = rotateCertificate(store, { ...subjectOf(options), replacePending: Boolean(options.replacePending) });
        printNewPair(io, options, store.clock, created, saveCertificate(created, target, options), 'It is pending: the active pair keeps signing until `xero-proxy cert activate`.');
      });
    });

  cert
    .command('import')
    .description('store an existing key pair (active if none is, otherwise pending)')
    .requiredOption('--key <file>', 'the private key, PEM (PKCS#1 or PKCS#8), e.g. privatekey.pem')
    .requiredOption('--cert <file>', 'the certificate, PEM or DER, e.g. publickey.cer')
    .option('--json', 'print as JSON')
    .action(async (options: { key: string; cert: string; json?: boolean }, command: Command) => {
      const input = { key: { source: options.key, bytes: readInput(options.key, 'key') }, certificate: { source: options.cert, bytes: readInput(options.cert, 'cert') } };
      await withStore(command, (store) => {
        const { certificate, warnings } = importCertificate(store, input);
        for (const warning of warnings) io.err(`warning: ${warning}`);
        const next = certificate.state === 'active' ? 'It is active: the proxy signs with it now.' : 'It is pending: upload the certificate to Xero, then run `xero-proxy cert activate`.';
        printData(io, Boolean(options.json), { ...describe(certificate, store.clock), warnings }, () => [`Imported certificate ${certificate.id} (${certificate.state}).`, ...summary(certificate, store.clock), '', next].join('\n'));
      });
    });

  cert
    .command('list')
    .description('list key pairs: state, SHA-1 fingerprint, expiry')
    .option('--json', 'print as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withStore(command, ({ db, clock }) => {
        const rows = listCertificates(db).map((c) => describe(c, clock));
        const text = rows.map((r) => ({
          id: r.id,
          state: r.state,
          'sha-1 fingerprint': r.fingerprintSha1,
          'not after': r.notAfter.slice(0, 10),
          'days left': r.state === 'retired' ? '' : r.expiry === 'expired' ? 'expired' : `${r.daysLeft}${r.expiry === 'warn' ? ' (renew!)' : ''}`,
        }));
        printData(io, Boolean(options.json), { certificates: rows }, () => table(text, ['id', 'state', 'sha-1 fingerprint', 'not after', 'days left']));
      });
    });

  cert
    .command('activate')
    .description('prove the pending pair with a signed read at Xero, then make it active and retire the old one')
    .option('--json', 'print as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withStore(command, async (store) => {
        const result = await activateCertificate({ ...store, transport: fetch });
        const data = { activated: describe(result.activated, store.clock), retired: result.retired ? describe(result.retired, store.clock) : null, provedWith: result.provedWith };
        printData(io, Boolean(options.json), data, () =>
          [`Xero accepted the new certificate (${result.provedWith}).`, `${result.activated.id} is now active${result.retired ? `; ${result.retired.id} is retired` : ''}.`].join('\n'),
        );
      });
    });
}

const subjectOf = (options: NewPairOptions) => (options.orgName === undefined ? {} : { organisationName: options.orgName });

/** A stored pair as commands print it: public facts and how long it has left. */
function describe(c: StoredCertificate, clock: Clock) {
  const expiry = expiryStatus(c.notAfter, clock);
  return {
    id: c.id,
    state: c.state,
    subject: c.subject,
    fingerprintSha1: c.fingerprintSha1,
    fingerprintSha256: c.fingerprintSha256,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    daysLeft: expiry.daysLeft,
    expiry: expiry.level,
    createdAt: c.createdAt,
    activatedAt: c.activatedAt,
    retiredAt: c.retiredAt,
    certificatePem: c.certificatePem,
  };
}

function summary(c: StoredCertificate, clock: Clock): string[] {
  return [`  Subject:      ${c.subject}`, `  SHA-1:        ${c.fingerprintSha1}`, `  Valid until:  ${c.notAfter.slice(0, 10)} (${expiryStatus(c.notAfter, clock).daysLeft} days)`];
}

function printNewPair(io: Io, options: NewPairOptions, clock: Clock, c: StoredCertificate, file: string, state: string): void {
  printData(io, Boolean(options.json), { ...describe(c, clock), file }, () =>
    [`Created certificate ${c.id} (${c.state}). ${state}`, ...summary(c, clock), `  Saved:        ${file}`, '', `Upload ${CERTIFICATE_FILE} to the app in the Xero developer portal:`, '', c.certificatePem.trimEnd()].join('\n'),
  );
}

/** Where the certificate goes; checked before a pair is made, so a refusal changes nothing. */
function certificatePath(options: NewPairOptions): string {
  const path = resolve(join(options.out, CERTIFICATE_FILE));
  if (existsSync(path) && !options.force) {
    throw new AppError('conflict', `${path} already exists; it may be the certificate Xero holds now.`, { hint: 'Choose another directory with --out, or replace the file with --force.' });
  }
  return path;
}

function saveCertificate(c: StoredCertificate, path: string, options: NewPairOptions): string {
  try {
    // Exclusive unless --force: another process may have written the file since the check.
    writeFileAtomic(path, c.certificatePem, { mode: 0o644, exclusive: !options.force });
    return path;
  } catch (error) {
    throw new AppError('unavailable', `The certificate ${c.id} was stored, but ${path} could not be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`, {
      hint: '`xero-proxy cert list --json` shows its PEM (certificatePem) to upload.',
      cause: error,
    });
  }
}

function readInput(path: string, option: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new AppError('invalid', `--${option} ${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`, { field: option });
  }
}

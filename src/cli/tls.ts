import type { Command } from 'commander';
import { silentLogger } from '../lib/logger';
import { readHostFacts } from '../services/host-facts';
import { auditTlsOutcome, renewTls } from '../services/tls';
import { tlsStatus, type TlsStatus } from '../services/tls-status';
import { withStore } from './context';
import { printData, type Io } from './output';

/** `xero-proxy tls show|renew`: the proxy's HTTPS, what devices pin, and a renewal now. */
export function registerTls(program: Command, io: Io): void {
  const tls = program.command('tls').description("the proxy's HTTPS: its CA (what devices pin) and its server certificate");
  tls
    .command('show')
    .description("the CA's fingerprint devices pin, the CA, the server certificate's names and dates, and when it renews")
    .option('--json', 'print as JSON (with the CA certificate in PEM)')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withStore(command, (store) => {
        const status = tlsStatus({ ...store, logger: silentLogger }, readHostFacts());
        printData(io, Boolean(options.json), status, () => describe(status).join('\n'));
      });
    });
  tls
    .command('renew')
    .description('issue a new server certificate now, for the names and LAN addresses this computer has now (server.tls = "auto")')
    .option('--new-ca', 'first replace the CA itself: every device must then pin the new one')
    .option('--json', 'print as JSON')
    .action(async (options: { newCa?: boolean; json?: boolean }, command: Command) => {
      await withStore(command, (store) => {
        const deps = { ...store, logger: silentLogger };
        const host = readHostFacts();
        auditTlsOutcome(deps, store.actor, renewTls(deps, host, { newCa: Boolean(options.newCa) }));
        const status = tlsStatus(deps, host);
        const next = options.newCa
          ? 'A new CA was made: every device must pin it now (pair it again, or give it the fingerprint above and the CA certificate from /ca.crt). Browsers must trust the new CA certificate.'
          : 'Devices keep their pin: the CA is the same.';
        printData(io, Boolean(options.json), status, () => [...describe(status), '', `${next} The running server presents the new certificate within a minute.`].join('\n'));
      });
    });
}

function describe(status: TlsStatus): string[] {
  if (status.mode === 'off') return ['HTTPS          off (server.tls = "off"): plain HTTP. Set server.tls = "auto" to have the proxy make its own certificates.'];
  const lines = [`HTTPS          ${status.mode === 'auto' ? 'auto: certificates from the proxy\'s own CA' : 'files: server.tls_cert and server.tls_key'}`];
  if (status.caSpkiSha256) lines.push(`CA fingerprint ${status.caSpkiSha256}  (SHA-256 of its public key, base64: what devices pin)`);
  if (status.ca) lines.push(`CA             ${status.ca.subject}, valid ${day(status.ca.notBefore)} to ${day(status.ca.notAfter)}`);
  if (status.server) {
    lines.push(`server         ${[...status.server.names.dnsNames, ...status.server.names.ipAddresses].join(', ')}`);
    lines.push(`               valid ${day(status.server.notBefore)} to ${day(status.server.notAfter)}${status.server.renewsAt ? `; renewed by the server from ${day(status.server.renewsAt)}` : ''}`);
  }
  for (const problem of status.problems) lines.push(`warning: ${problem}`);
  return lines;
}

function day(iso: string): string {
  return iso.slice(0, 10);
}

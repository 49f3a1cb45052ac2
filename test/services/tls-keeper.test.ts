import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { HostFacts } from '../../src/domain/tls/lan-names';
import { caPermitted } from '../../src/domain/tls/lan-names';
import { createLocalCa, issueServerCertificate } from '../../src/domain/tls/local-ca';
import { ManualClock, systemClock } from '../../src/lib/clock';
import { AppError } from '../../src/lib/errors';
import { createLogger } from '../../src/lib/logger';
import { overview } from '../../src/services/overview';
import { renewTls } from '../../src/services/tls';
import { tlsStatus } from '../../src/services/tls-status';
import type { ServiceDeps } from '../../src/services/deps';
import { loadConfig } from '../../src/config/load';
import { pinnedRequest, spkiOf } from '../helpers/https';
import { startTestProxy, type TestProxy } from '../helpers/proxy';

const DAY = 86_400_000;

/** The certificate a new connection is shown, read by a client that trusts `ca` alone (and checks the name). */
function servedCertificate(proxy: TestProxy, ca: string): Promise<X509Certificate> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: Number(new URL(proxy.url).port), ca }, () => {
      resolve(new X509Certificate(socket.getPeerCertificate().raw));
      socket.end();
    });
    socket.on('error', reject);
  });
}

function capturingLogger(): { lines: Array<{ msg: string; [field: string]: unknown }>; logger: ReturnType<typeof createLogger> } {
  const lines: Array<{ msg: string }> = [];
  return { lines, logger: createLogger({ level: 'info', format: 'json', write: (line) => lines.push(JSON.parse(line) as { msg: string }) }) };
}

const auto = suite('tls.keeper with server.tls = "auto"');

auto('the server certificate renews itself when the clock reaches its last 30 days, and the next connection gets it without a restart; the pin holds', async () => {
  // The proxy first starts 370 days ago: its certificate then ends in 27 days of real time.
  const clock = new ManualClock(Date.now() - 370 * DAY);
  const { lines, logger } = capturingLogger();
  const proxy = await startTestProxy({ clock, logger, publicUrlIsSelf: true, env: { XERO_PROXY_SERVER_TLS: 'auto' }, proxy: { schedule: true } });
  try {
    const { caCertificatePem: ca, caSpkiSha256: pin } = proxy.running.proxy.tls!.served;
    const first = await servedCertificate(proxy, ca);
    assert.is(Math.round((first.validToDate.getTime() - clock.now().getTime()) / DAY), 397);

    await proxy.running.scheduler.runNow('keep-tls');
    assert.is((await servedCertificate(proxy, ca)).fingerprint256, first.fingerprint256, 'with 27 days of the clock\'s own time still ahead of 30, nothing changes');

    clock.set(Date.now());
    await proxy.running.scheduler.runNow('keep-tls');
    const renewed = await servedCertificate(proxy, ca);
    assert.is.not(renewed.fingerprint256, first.fingerprint256);
    assert.ok(renewed.checkIssued(new X509Certificate(ca)), 'by the same CA');
    assert.is(renewed.validFromDate.getTime(), Math.floor((clock.now().getTime() - 3_600_000) / 1000) * 1000, 'valid from the moved clock, an hour back');
    assert.is((renewed.validToDate.getTime() - renewed.validFromDate.getTime()) / DAY, 397);
    const renewal = lines.find((line) => line.msg === 'HTTPS: issued a new server certificate' && line['reason'] !== 'there is no server certificate yet');
    assert.is(renewal?.['reason'], 'the server certificate has 27 days left');

    const pinned = await pinnedRequest(`${proxy.url}/healthz`, { ca, pinCaSpki: pin });
    assert.is(pinned.status, 200, 'a device that pinned the CA goes on as before');
    assert.is(spkiOf(pinned.chain.at(-1)!.raw), pin);
  } finally {
    await proxy.stop();
  }
});

auto('a new LAN address of the host is added to the certificate within the next check; an address it loses does not renew it', async () => {
  const host: HostFacts = { hostname: 'till-server', addresses: ['127.0.0.1', '::1', '192.168.1.20'] };
  const proxy = await startTestProxy({ publicUrlIsSelf: true, env: { XERO_PROXY_SERVER_TLS: 'auto' }, proxy: { schedule: true, host: () => host } });
  try {
    const { caCertificatePem: ca } = proxy.running.proxy.tls!.served;
    const first = await servedCertificate(proxy, ca);
    assert.is(first.subjectAltName, 'DNS:localhost, DNS:till-server, DNS:till-server.local, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, IP Address:192.168.1.20');

    host.addresses = ['127.0.0.1', '::1', '192.168.1.20', '10.0.4.7', '203.0.113.9'];
    await proxy.running.scheduler.runNow('keep-tls');
    const moved = await servedCertificate(proxy, ca);
    assert.is(moved.checkIP('10.0.4.7'), '10.0.4.7', 'the new LAN address');
    assert.is(moved.checkIP('203.0.113.9'), undefined, 'never a public one');

    host.addresses = ['127.0.0.1', '::1', '10.0.4.7'];
    await proxy.running.scheduler.runNow('keep-tls');
    assert.is((await servedCertificate(proxy, ca)).fingerprint256, moved.fingerprint256);
  } finally {
    await proxy.stop();
  }
});

auto('a certificate `tls renew` issued beside the running server is what it serves after its next check', async () => {
  const host: HostFacts = { hostname: 'till-server', addresses: ['127.0.0.1', '192.168.1.20'] };
  const proxy = await startTestProxy({ publicUrlIsSelf: true, env: { XERO_PROXY_SERVER_TLS: 'auto' }, proxy: { schedule: true, host: () => host } });
  try {
    const { caCertificatePem: ca } = proxy.running.proxy.tls!.served;
    const before = await servedCertificate(proxy, ca);
    const renewed = renewTls(proxy.running.proxy.deps, host);
    await proxy.running.scheduler.runNow('keep-tls');
    const after = await servedCertificate(proxy, ca);
    assert.is.not(after.fingerprint256, before.fingerprint256);
    assert.is(after.fingerprint256, renewed.served.serverFingerprint);
  } finally {
    await proxy.stop();
  }
});

const files = suite('tls.keeper with server.tls = "files"');

const FILES_ENV = { XERO_PROXY_SERVER_TLS: 'files', XERO_PROXY_SERVER_TLS_CERT: 'server.crt', XERO_PROXY_SERVER_TLS_KEY: 'server.key' };

/** Someone's own CA and a certificate for localhost from it, written where the config's files are: the chain, then the key. */
function writeFiles(dir: string): { ca: string; key: string; fingerprint: string } {
  const ca = createLocalCa(systemClock, 'office', caPermitted({ hostname: 'office', addresses: [] }, 'localhost'));
  const leaf = issueServerCertificate(systemClock, ca, { dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
  writeFileSync(join(dir, 'server.crt'), leaf.certificatePem + ca.certificatePem);
  writeFileSync(join(dir, 'server.key'), leaf.privateKey.reveal(), { mode: 0o600 });
  return { ca: ca.certificatePem, key: leaf.privateKey.reveal(), fingerprint: new X509Certificate(leaf.certificatePem).fingerprint256 };
}

files('the files are served as they are, read again when they change, and a broken change leaves the last good certificate with an error in the log', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'xp-tls-files-'));
  const first = writeFiles(dir);
  const { lines, logger } = capturingLogger();
  const proxy = await startTestProxy({ logger, dataDir: dir, publicUrlIsSelf: true, env: FILES_ENV, proxy: { schedule: true } });
  try {
    assert.is((await servedCertificate(proxy, first.ca)).fingerprint256, first.fingerprint);
    assert.is(proxy.running.proxy.tls!.served.caSpkiSha256, spkiOf(first.ca), 'devices pin the last certificate of the file: its CA');

    const second = writeFiles(dir);
    await proxy.running.scheduler.runNow('keep-tls');
    assert.is((await servedCertificate(proxy, second.ca)).fingerprint256, second.fingerprint);
    assert.ok(lines.some((line) => line.msg === 'HTTPS: read the changed certificate files'));

    writeFileSync(join(dir, 'server.key'), first.key);
    await proxy.running.scheduler.runNow('keep-tls');
    assert.is((await servedCertificate(proxy, second.ca)).fingerprint256, second.fingerprint, 'the last good certificate stays');
    const refused = lines.find((line) => line.msg === 'HTTPS: the changed certificate files cannot be used; the previous certificate stays');
    assert.is(refused?.['reason'], `server.tls_key: ${join(dir, 'server.key')} is not the private key of the first certificate in ${join(dir, 'server.crt')} (CN=localhost).`);
    const warning = overview(proxy.running.proxy.deps).warnings.find((w) => w.code === 'https');
    assert.equal(warning, {
      code: 'https',
      organisationId: null,
      message: `server.tls_key: ${join(dir, 'server.key')} is not the private key of the first certificate in ${join(dir, 'server.crt')} (CN=localhost). Fix server.tls_key in the config file or XERO_PROXY_SERVER_TLS_KEY.`,
      href: '/settings',
      action: 'See HTTPS',
    }, 'the console overview says it too');
  } finally {
    await proxy.stop();
  }
});

files('files that cannot be used stop the server from starting, naming the key of the config and what is wrong', async () => {
  const refusal = async (setup: (dir: string) => void): Promise<string> => {
    const dir = mkdtempSync(join(tmpdir(), 'xp-tls-files-'));
    setup(dir);
    try {
      const proxy = await startTestProxy({ dataDir: dir, publicUrlIsSelf: true, env: FILES_ENV });
      await proxy.stop();
      return 'started';
    } catch (error) {
      assert.instance(error, AppError);
      assert.is((error as AppError).code, 'invalid');
      return (error as AppError).message.replaceAll(dir, 'DIR');
    }
  };
  assert.is(await refusal(() => undefined), 'server.tls_cert: DIR/server.crt cannot be read (no such file).');
  assert.is(
    await refusal((dir) => {
      writeFiles(dir);
      writeFileSync(join(dir, 'server.crt'), 'not a certificate\n');
    }),
    'server.tls_cert: DIR/server.crt holds no PEM certificate ("-----BEGIN CERTIFICATE-----").',
  );
  assert.is(
    await refusal((dir) => {
      writeFiles(dir);
      writeFileSync(join(dir, 'server.key'), '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n');
    }),
    'server.tls_key: DIR/server.key is encrypted with a passphrase, which the proxy cannot ask for; write it unencrypted (openssl pkey -in key.pem -out key-plain.pem) and keep the file owner-only.',
  );
  assert.is(
    await refusal((dir) => {
      const other = writeFiles(dir).key;
      writeFiles(dir);
      writeFileSync(join(dir, 'server.key'), other);
    }),
    'server.tls_key: DIR/server.key is not the private key of the first certificate in DIR/server.crt (CN=localhost).',
  );
  assert.is(
    await refusal((dir) => {
      const ca = createLocalCa(new ManualClock(Date.now() - 500 * DAY), 'office', caPermitted({ hostname: 'office', addresses: [] }, 'localhost'));
      const old = issueServerCertificate(new ManualClock(Date.now() - 500 * DAY), ca, { dnsNames: ['localhost'], ipAddresses: [] });
      writeFileSync(join(dir, 'server.crt'), old.certificatePem + ca.certificatePem);
      writeFileSync(join(dir, 'server.key'), old.privateKey.reveal());
    }),
    `server.tls_cert: the certificate in DIR/server.crt expired on ${new Date(Date.now() - 103 * DAY - 3_600_000).toISOString().slice(0, 10)}.`,
  );
});

files('what tls show and Settings say of the files: the CA pinned is the last certificate; the server certificate alone, or one ending within 30 days, is a warning', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'xp-tls-files-'));
  const config = loadConfig({ env: { ...FILES_ENV, XERO_PROXY_SERVER_PUBLIC_URL: 'https://localhost:8080' }, cwd: dir });
  const deps = { config, clock: new ManualClock(Date.now()) } as unknown as ServiceDeps;
  const chain = writeFiles(dir);
  const whole = tlsStatus(deps, { hostname: 'office', addresses: [] });
  assert.is(whole.caSpkiSha256, spkiOf(chain.ca));
  assert.equal(whole.server!.names, { dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
  assert.equal(whole.problems, []);

  const leaf = readFileSync(join(dir, 'server.crt'), 'utf8').split(/(?<=-----END CERTIFICATE-----\n)/)[0]!;
  writeFileSync(join(dir, 'server.crt'), leaf);
  const alone = tlsStatus(deps, { hostname: 'office', addresses: [] });
  assert.is(alone.caSpkiSha256, spkiOf(leaf));
  assert.equal(alone.problems, [`${join(dir, 'server.crt')} holds the server certificate alone: devices can pin only the server's own key, which changes with the certificate. Append the CA certificate to the file.`]);

  (deps.clock as ManualClock).advance(380 * DAY);
  assert.equal(tlsStatus(deps, { hostname: 'office', addresses: [] }).problems.slice(1), [`The certificate in ${join(dir, 'server.crt')} ends in 17 days: replace the files; the server reads them again within a minute.`]);
});

auto.run();
files.run();

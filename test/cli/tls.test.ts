import { X509Certificate } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { hostname, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { TlsStatus } from '../../src/services/tls-status';
import { runCli } from '../helpers/cli';
import { spkiOf } from '../helpers/https';

const tls = suite('cli.tls');

async function initialised(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'xp-cli-tls-'));
  assert.is((await runCli(['init'], { cwd: dir })).code, 0);
  return dir;
}

async function show(dir: string, env: Record<string, string> = {}): Promise<TlsStatus> {
  const result = await runCli(['tls', 'show', '--json'], { cwd: dir, env });
  assert.is(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as TlsStatus;
}

tls('tls show says what devices pin, once made: the CA, the server certificate with its names and dates, and when it renews', async () => {
  const dir = await initialised();
  const before = await show(dir);
  assert.equal(before, { mode: 'auto', problems: [] }, 'nothing is made before the server first starts (or tls renew)');

  const renew = await runCli(['tls', 'renew'], { cwd: dir });
  assert.is(renew.code, 0, renew.stderr);
  const status = await show(dir);
  assert.is(status.mode, 'auto');
  assert.is(status.caSpkiSha256, spkiOf(status.caCertificatePem!));
  assert.match(status.ca!.subject, /^CN=Xero Comms Proxy CA .* \d{4}-\d\d-\d\d, O=Xero Comms Proxy$/);
  assert.equal(status.ca!.permitted!.dnsNames.slice(0, 5), ['localhost', 'local', 'home.arpa', 'internal', 'lan']);
  assert.ok(status.server!.names.dnsNames.includes('localhost') && status.server!.names.ipAddresses.includes('127.0.0.1'));
  assert.ok(status.server!.names.dnsNames.includes(hostname().toLowerCase()), 'the host name');
  assert.is(Date.parse(status.server!.notAfter) - Date.parse(status.server!.renewsAt!), 30 * 86_400_000);
  assert.equal(status.problems, []);

  const text = await runCli(['tls', 'show'], { cwd: dir });
  assert.match(text.stdout, `CA fingerprint ${status.caSpkiSha256}  (SHA-256 of its public key, base64: what devices pin)`);
  assert.match(text.stdout, `renewed by the server from ${status.server!.renewsAt!.slice(0, 10)}`);
});

tls('tls renew issues a new server certificate under the same CA; with --new-ca the CA itself is new and devices must pin it again', async () => {
  const dir = await initialised();
  assert.is((await runCli(['tls', 'renew'], { cwd: dir })).code, 0);
  const first = await show(dir);
  const again = await runCli(['tls', 'renew'], { cwd: dir });
  assert.match(again.stdout, 'Devices keep their pin: the CA is the same. The running server presents the new certificate within a minute.');
  const second = await show(dir);
  assert.is(second.caSpkiSha256, first.caSpkiSha256);
  assert.is.not(second.server!.fingerprintSha256, first.server!.fingerprintSha256);

  const replaced = await runCli(['tls', 'renew', '--new-ca'], { cwd: dir });
  assert.is(replaced.code, 0, replaced.stderr);
  assert.match(replaced.stdout, 'A new CA was made: every device must pin it now');
  const third = await show(dir);
  assert.is.not(third.caSpkiSha256, first.caSpkiSha256);
  assert.ok(new X509Certificate(third.caCertificatePem!).subject.includes('Xero Comms Proxy CA'));

  const audit = await runCli(['audit', 'list', '--json', '--action', 'tls.'], { cwd: dir });
  const { entries } = JSON.parse(audit.stdout) as { entries: Array<{ actor: string; action: string; changes: Record<string, unknown> }> };
  const { username } = userInfo();
  assert.equal(
    entries.map((entry) => [entry.actor, entry.action, entry.changes['caSpkiSha256'] ?? entry.changes['reason']]).reverse(),
    [
      [`cli:${username}`, 'tls.ca_created', first.caSpkiSha256],
      [`cli:${username}`, 'tls.certificate_issued', 'asked for'],
      [`cli:${username}`, 'tls.certificate_issued', 'asked for'],
      [`cli:${username}`, 'tls.ca_created', third.caSpkiSha256],
      [`cli:${username}`, 'tls.certificate_issued', 'a new CA was made'],
    ],
    'each renewal by hand is audited as the OS user, with the new CA fingerprint devices must pin',
  );
});

tls('with HTTPS off or from files, tls renew refuses and says what to do instead', async () => {
  const dir = await initialised();
  const off = await runCli(['tls', 'renew'], { cwd: dir, env: { XERO_PROXY_SERVER_TLS: 'off' } });
  assert.is(off.code, 1);
  assert.equal(off.stderr.trim().split('\n'), ['error: server.tls is "off", so the proxy makes no certificates of its own.', 'hint: Set server.tls = "auto" in the config file to have the proxy make them.']);
  assert.equal(await show(dir, { XERO_PROXY_SERVER_TLS: 'off' }), { mode: 'off', problems: [] });
  const text = await runCli(['tls', 'show'], { cwd: dir, env: { XERO_PROXY_SERVER_TLS: 'off' } });
  assert.is(text.stdout.trim(), 'HTTPS          off (server.tls = "off"): plain HTTP. Set server.tls = "auto" to have the proxy make its own certificates.');
});

tls.run();

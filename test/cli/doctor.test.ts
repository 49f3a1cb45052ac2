import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { release, tmpdir, type } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../helpers/cli';
import { startTestSandbox } from '../helpers/sandbox';

const doctor = suite('cli.doctor');

interface Report {
  ok: boolean;
  checks: Array<{ check: string; status: string; detail: string }>;
}

/** Makes a real `xero-proxy` behave as on glibc 2.31, where the SQLite addon cannot load. */
const OLD_GLIBC = { NODE_OPTIONS: `--import=${pathToFileURL(join(import.meta.dirname, '..', 'fixtures', 'old-glibc.mjs')).href}` };

async function initialised(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'xp-doctor-'));
  assert.is((await runCli(['init', '--client-id', '0123456789ABCDEF0123456789ABCDEF'], { cwd: dir })).code, 0);
  return dir;
}

async function doctorJson(dir: string, env: Record<string, string> = {}): Promise<{ code: number | null; report: Report }> {
  const result = await runCli(['doctor', '--json', '--timeout', '2'], { cwd: dir, env: { XERO_PROXY_XERO_API_URL: 'http://127.0.0.1:1', ...env } });
  try {
    return { code: result.code, report: JSON.parse(result.stdout) as Report };
  } catch {
    throw new Error(`doctor printed no JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
}

const checkOf = (report: Report, name: string) => report.checks.find((check) => check.check === name);

doctor('runs the runtime check first: glibc and the Node.js version this proxy runs on', async () => {
  const dir = await initialised();
  const sandbox = await startTestSandbox();
  try {
    const result = await runCli(['doctor', '--json'], { cwd: dir, env: { XERO_PROXY_XERO_API_URL: sandbox.url } });
    assert.is(result.code, 0, result.stdout + result.stderr);
    const report = JSON.parse(result.stdout) as Report;
    assert.is(report.checks[0]!.check, 'runtime');
    assert.is(report.checks[0]!.status, 'ok');
    assert.match(report.checks[0]!.detail, `Node.js ${process.version} on `);
    if (process.platform === 'linux') assert.match(report.checks[0]!.detail, /^glibc \d+\.\d+ \(2\.34 or newer needed\); /);
  } finally {
    await sandbox.stop();
  }
});

doctor('on a glibc too old for the SQLite addon it says so in plain words, does not try to load it, and still prints every check', async () => {
  const dir = await initialised();
  // The same process setup makes a command that opens the database fail, as it would there.
  const listed = await runCli(['device', 'list'], { cwd: dir, env: OLD_GLIBC });
  assert.is(listed.code, 1);
  assert.match(listed.stderr, "version `GLIBC_2.34' not found");

  const { code, report } = await doctorJson(dir, OLD_GLIBC);
  assert.is(code, 1);
  assert.is(report.ok, false);
  assert.equal(report.checks[0], {
    check: 'runtime',
    status: 'fail',
    detail: `this Linux has glibc 2.31; Xero Comms Proxy needs 2.34 or newer: Debian 12, Ubuntu 22.04, Raspberry Pi OS Bookworm or newer. Node.js ${process.version} on ${type()} ${release()} ${process.arch}`,
  });
  for (const name of ['encryption key', 'database', 'https', 'backups']) {
    assert.equal(checkOf(report, name), { check: name, status: 'warn', detail: 'not checked: the SQLite addon cannot load on this system (see the runtime check)' });
  }
  assert.equal(report.checks.map((check) => check.check), ['runtime', 'config', 'data directory', 'encryption key', 'database', 'oauth2 app', 'https', 'public url', 'log file', 'backups', 'xero reachable']);

  const text = await runCli(['doctor', '--timeout', '2'], { cwd: dir, env: { ...OLD_GLIBC, XERO_PROXY_XERO_API_URL: 'http://127.0.0.1:1' } });
  assert.is(text.code, 1);
  assert.match(text.stdout, /runtime\s+fail\s+this Linux has glibc 2\.31; Xero Comms Proxy needs 2\.34 or newer/);
});

doctor('reports the runtime even when the config cannot be loaded', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'xp-doctor-'));
  writeFileSync(join(dir, 'xero-proxy.toml'), '[server]\nlog_keep = 0\n');
  const { code, report } = await doctorJson(dir);
  assert.is(code, 1);
  assert.equal(report.checks.map((check) => `${check.check}:${check.status}`), ['runtime:ok', 'config:fail']);
  assert.is(checkOf(report, 'config')!.detail, 'server.log_keep: must be between 1 and 100.');
});

doctor('the log file: where a service writes it and its size, though doctor itself is not the service', async () => {
  const dir = await initialised();
  const path = join(dir, 'data', 'logs', 'xero-proxy.log');
  const none = await doctorJson(dir);
  assert.equal(checkOf(none.report, 'log file'), { check: 'log file', status: 'ok', detail: `${path} (written when run as a service, XERO_PROXY_SERVICE=1), not written yet; moved aside at 10 MiB, 5 earlier kept` });

  mkdirSync(join(dir, 'data', 'logs'), { mode: 0o700 });
  writeFileSync(path, 'x'.repeat(3000), { mode: 0o600 });
  writeFileSync(`${path}.1`, 'older\n', { mode: 0o600 });
  const some = await doctorJson(dir, { XERO_PROXY_SERVER_LOG_KEEP: '3' });
  assert.equal(checkOf(some.report, 'log file'), { check: 'log file', status: 'ok', detail: `${path} (written when run as a service, XERO_PROXY_SERVICE=1), 2.9 KiB, 1 earlier; moved aside at 10 MiB, 3 earlier kept` });

  const service = await doctorJson(dir, { XERO_PROXY_SERVICE: '1' });
  assert.is(checkOf(service.report, 'log file')!.detail, `${path}, 2.9 KiB, 1 earlier; moved aside at 10 MiB, 5 earlier kept`);

  const off = await doctorJson(dir, { XERO_PROXY_SERVER_LOG_FILE: 'off' });
  assert.equal(checkOf(off.report, 'log file'), { check: 'log file', status: 'ok', detail: 'off (server.log_file); the log goes to standard error only' });
});

doctor('a log file that cannot be written is a warning with the fix', async () => {
  const dir = await initialised();
  const data = join(dir, 'data');

  writeFileSync(join(data, 'blocker'), 'a file, not a directory');
  const blocked = await doctorJson(dir, { XERO_PROXY_SERVER_LOG_FILE: 'blocker/xero-proxy.log' });
  assert.equal(checkOf(blocked.report, 'log file'), {
    check: 'log file',
    status: 'warn',
    detail: `${join(data, 'blocker', 'xero-proxy.log')} cannot be created: ${join(data, 'blocker')} is a file, not a directory; fix that, or set server.log_file to a path this user can write`,
  });

  mkdirSync(join(data, 'a-directory'));
  const directory = await doctorJson(dir, { XERO_PROXY_SERVER_LOG_FILE: 'a-directory' });
  assert.equal(checkOf(directory.report, 'log file'), {
    check: 'log file',
    status: 'warn',
    detail: `${join(data, 'a-directory')} is a directory; set server.log_file to the path of a file, e.g. ${join(data, 'a-directory')}/xero-proxy.log`,
  });

  if (process.platform !== 'win32') {
    writeFileSync(join(data, 'open.log'), 'line\n');
    chmodSync(join(data, 'open.log'), 0o644);
    const open = await doctorJson(dir, { XERO_PROXY_SERVER_LOG_FILE: 'open.log' });
    assert.equal(checkOf(open.report, 'log file'), { check: 'log file', status: 'warn', detail: `${join(data, 'open.log')} has mode 644 and the log names organisations; run: chmod 600 ${join(data, 'open.log')}` });
  }
});

doctor('https: made at the first start, then the fingerprint devices pin; off on the LAN is a warning', async () => {
  const dir = await initialised();
  const before = await doctorJson(dir);
  assert.equal(checkOf(before.report, 'https'), { check: 'https', status: 'ok', detail: "auto: the CA and the server certificate are made at the server's first start" });
  assert.is((await runCli(['tls', 'renew'], { cwd: dir })).code, 0);
  const shown = JSON.parse((await runCli(['tls', 'show', '--json'], { cwd: dir })).stdout) as { caSpkiSha256: string; server: { notAfter: string } };
  const made = checkOf((await doctorJson(dir)).report, 'https')!;
  assert.is(made.status, 'ok');
  assert.match(made.detail, `auto: devices pin the CA ${shown.caSpkiSha256}; the server certificate names localhost, `);
  assert.match(made.detail, `valid until ${shown.server.notAfter.slice(0, 10)}, renewed by the server from `);

  // Xero takes http redirect URIs on localhost only: such an install links with the paste step.
  const lan = await doctorJson(dir, {
    XERO_PROXY_SERVER_TLS: 'off',
    XERO_PROXY_SERVER_LISTEN: '0.0.0.0:8080',
    XERO_PROXY_SERVER_PUBLIC_URL: 'http://192.168.1.20:8080',
    XERO_PROXY_XERO_REDIRECT_URI: 'http://localhost:8080/connect/oauth2/callback',
  });
  assert.equal(checkOf(lan.report, 'https'), {
    check: 'https',
    status: 'warn',
    detail: 'off: the pages, the administrator password and the API keys of devices cross the network unencrypted. Set server.tls = "auto" (and server.public_url to https://…), then restart',
  });
  const behind = await doctorJson(dir, { XERO_PROXY_SERVER_TLS: 'off', XERO_PROXY_SERVER_PUBLIC_URL: 'https://proxy.example' });
  assert.is(checkOf(behind.report, 'https')!.detail, 'off in the proxy; server.public_url is https, so a reverse proxy in front does HTTPS');
});

doctor('public url: a proxy listening on 0.0.0.0 with a public URL that says localhost is a warning naming what to write', async () => {
  const dir = await initialised();
  const fine = await doctorJson(dir);
  assert.equal(checkOf(fine.report, 'public url'), { check: 'public url', status: 'ok', detail: 'https://localhost:8080; listening on 127.0.0.1:8080' });
  const open = await doctorJson(dir, { XERO_PROXY_SERVER_LISTEN: '0.0.0.0:8080' });
  const warned = checkOf(open.report, 'public url')!;
  assert.is(warned.status, 'warn');
  assert.match(warned.detail, /^the proxy listens on 0\.0\.0\.0:8080, open to the LAN, but server\.public_url \(https:\/\/localhost:8080\) names this computer alone, so the links, pairing answers and redirects it gives send other computers to themselves\. Set server\.public_url to https:\/\/\S+:8080$/);
  const loopback = await doctorJson(dir, { XERO_PROXY_SERVER_PUBLIC_URL: 'https://192.168.1.20:8080' });
  assert.is(checkOf(loopback.report, 'public url')!.detail, 'the proxy listens on 127.0.0.1:8080, which only this computer can reach, but server.public_url (https://192.168.1.20:8080) names 192.168.1.20: set server.listen to 0.0.0.0:8080 to serve the LAN');
  const port = await doctorJson(dir, { XERO_PROXY_SERVER_PUBLIC_URL: 'https://localhost' });
  assert.is(checkOf(port.report, 'public url')!.detail, 'server.public_url (https://localhost) says port 443, but the proxy does HTTPS itself on port 8080: write the port it listens on in server.public_url');
  const unknown = await doctorJson(dir, { XERO_PROXY_SERVER_LISTEN: '0.0.0.0:8080', XERO_PROXY_SERVER_PUBLIC_URL: 'https://no-such-host.invalid:8080' });
  assert.match(checkOf(unknown.report, 'public url')!.detail, /^no-such-host\.invalid \(server\.public_url\) does not resolve on this computer \(ENOTFOUND\), so devices may not find it either: /);
});

doctor.run();

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { compareVersions, runtimeCheckOf, runtimeFacts, type RuntimeFacts } from '../../src/services/runtime-check';

const runtime = suite('services.runtime-check');

const linux = (glibc: string | undefined): RuntimeFacts => ({ platform: 'linux', glibc, os: 'Linux 6.1.0-18-arm64', arch: 'arm64', node: 'v26.1.0' });

runtime('versions compare part by part as numbers', () => {
  assert.is(compareVersions('2.4', '2.34'), -1, '2.4 is older than 2.34, though "2.4" > "2.34" as text');
  assert.is(compareVersions('2.34', '2.34'), 0);
  assert.is(compareVersions('2.36', '2.34'), 1);
  assert.is(compareVersions('3', '2.34'), 1);
  assert.is(compareVersions('2.34.1', '2.34'), 1);
  assert.is(compareVersions('2.34.0', '2.34'), 0);
  assert.is(compareVersions('2.x', '2.34'), undefined);
});

runtime('glibc older than 2.34 fails in plain words naming the systems that have it', () => {
  assert.equal(runtimeCheckOf(linux('2.31')), {
    check: 'runtime',
    status: 'fail',
    detail: 'this Linux has glibc 2.31; Xero Comms Proxy needs 2.34 or newer: Debian 12, Ubuntu 22.04, Raspberry Pi OS Bookworm or newer. Node.js v26.1.0 on Linux 6.1.0-18-arm64 arm64',
  });
  assert.is(runtimeCheckOf(linux('2.4')).status, 'fail');
});

runtime('glibc 2.34 and newer pass, with the version needed and Node.js', () => {
  assert.equal(runtimeCheckOf(linux('2.34')), { check: 'runtime', status: 'ok', detail: 'glibc 2.34 (2.34 or newer needed); Node.js v26.1.0 on Linux 6.1.0-18-arm64 arm64' });
  assert.is(runtimeCheckOf(linux('2.36')).status, 'ok');
});

runtime('a Linux without glibc (musl, as on Alpine) is told the executable is built for glibc', () => {
  assert.equal(runtimeCheckOf(linux(undefined)), {
    check: 'runtime',
    status: 'warn',
    detail: 'this Linux has no glibc (it uses another C library, such as musl on Alpine); the xero-proxy executable is built for glibc 2.34 or newer: Debian 12, Ubuntu 22.04, Raspberry Pi OS Bookworm or newer. Node.js v26.1.0 on Linux 6.1.0-18-arm64 arm64',
  });
  assert.is(runtimeCheckOf(linux('2.x')).status, 'warn');
});

runtime('other systems pass with their name and version', () => {
  assert.equal(runtimeCheckOf({ platform: 'darwin', glibc: undefined, os: 'Darwin 23.4.0', arch: 'arm64', node: 'v26.1.0' }), { check: 'runtime', status: 'ok', detail: 'Node.js v26.1.0 on Darwin 23.4.0 arm64' });
  assert.is(runtimeCheckOf({ platform: 'win32', glibc: undefined, os: 'Windows_NT 10.0.22631', arch: 'x64', node: 'v26.1.0' }).status, 'ok');
});

runtime("this process's facts come from Node's diagnostic report", () => {
  const facts = runtimeFacts();
  assert.is(facts.node, process.version);
  assert.is(facts.platform, process.platform);
  if (process.platform === 'linux') assert.match(facts.glibc ?? '', /^\d+\.\d+$/, 'a glibc Linux reports its version');
});

runtime.run();

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { renderExampleConfig } from '../../src/config/example';
import { loadConfig, parseConfigText } from '../../src/config/load';
import { CONFIG_KEYS } from '../../src/config/schema';
import { AppError } from '../../src/lib/errors';

const config = suite('config.load');

function expectInvalid(work: () => unknown, message: string): void {
  try {
    work();
  } catch (error) {
    assert.instance(error, AppError);
    assert.is((error as AppError).code, 'invalid');
    assert.is((error as AppError).message, message);
    return;
  }
  assert.unreachable(`expected: ${message}`);
}

config('config.example.toml is exactly what the key table renders, so it cannot go stale', () => {
  assert.is(readFileSync('config.example.toml', 'utf8'), renderExampleConfig());
});

config('config.example.toml documents every key and parses to the defaults, with HTTPS on as a new config has it', () => {
  const text = readFileSync('config.example.toml', 'utf8');
  for (const spec of CONFIG_KEYS) assert.ok(text.includes(spec.key.split('.').pop()!), `${spec.key} is documented`);
  const parsed = parseConfigText(text, { baseDir: '/srv/proxy' });
  assert.equal(parsed.server.listen, { host: '127.0.0.1', port: 8080 });
  assert.is(parsed.xero.apiUrl, 'https://api.xero.com');
  assert.is(parsed.storage.dataDir, '/srv/proxy/data');
  assert.equal({ ...parsed.xero.rateLimit }, { profile: 'standard', perMinute: 60, perDay: 5000, concurrency: 5, minuteMs: 60_000 });
  assert.is(parsed.sandbox.database, '/srv/proxy/data/sandbox.db');
  assert.is(parsed.server.tls, 'auto');
  assert.is(parsed.server.publicUrl, 'https://localhost:8080');
});

config('built-in defaults are typed like given values (listen addresses parsed)', () => {
  const defaults = parseConfigText('');
  assert.equal(defaults.server.listen, { host: '127.0.0.1', port: 8080 });
  assert.equal(defaults.sandbox.listen, { host: '127.0.0.1', port: 9090 });
  assert.is(defaults.xero.consumerSecret.reveal(), '');
});

config('the starter profile lowers the daily budget unless per_day is given', () => {
  assert.is(parseConfigText('[xero.rate_limit]\nprofile = "starter"').xero.rateLimit.perDay, 1000);
  assert.is(parseConfigText('[xero.rate_limit]\nprofile = "starter"\nper_day = 2000').xero.rateLimit.perDay, 2000);
});

config('validation names the key and the problem', () => {
  expectInvalid(() => parseConfigText('[xero]\napi_url = "ftp://example.com"'), 'xero.api_url: must be an http(s) URL.');
  expectInvalid(() => parseConfigText('[server]\nlisten = "8080"'), 'server.listen: must be "host:port", e.g. "0.0.0.0:8080".');
  expectInvalid(() => parseConfigText('[xero]\napp_type = "desktop"'), 'xero.app_type: must be one of private, public, partner, oauth2, oauth2_pkce, custom_connection.');
  expectInvalid(() => parseConfigText('[server]\nshutdown_grace_seconds = -1'), 'server.shutdown_grace_seconds: must be between 0 and 600.');
  expectInvalid(() => parseConfigText('[server]\nlistn = "x"'), 'server.listn: unknown key.');
  expectInvalid(() => parseConfigText('[serverr]\nlisten = "x"'), 'serverr: unknown table.');
  expectInvalid(() => parseConfigText('[server\nlisten'), 'config, line 1: not valid TOML (illegal character in key).');
});

config('environment variables override the file, with one prefix', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xp-config-'));
  const path = join(dir, 'proxy.toml');
  writeFileSync(path, '[server]\nlisten = "127.0.0.1:8080"\n[xero.rate_limit]\nper_minute = 30\n');
  const loaded = loadConfig({ path, env: { XERO_PROXY_SERVER_LISTEN: '0.0.0.0:9999', XERO_PROXY_XERO_RATE_LIMIT_PER_MINUTE: '12' } });
  assert.equal(loaded.server.listen, { host: '0.0.0.0', port: 9999 });
  assert.is(loaded.xero.rateLimit.perMinute, 12);
  assert.is(loaded.source, path);
  expectInvalid(() => loadConfig({ path, env: { XERO_PROXY_XERO_RATE_LIMIT_PER_MINUTE: 'many' } }), 'xero.rate_limit.per_minute: must be a whole number.');
});

config('a scaled minute paces the proxy and the sandbox alike, and never against Xero itself', () => {
  const scaled = parseConfigText('[xero]\napi_url = "http://127.0.0.1:9090"\n[xero.rate_limit]\nminute_ms = 2000\n[sandbox]\nminute_ms = 2000');
  assert.is(scaled.xero.rateLimit.minuteMs, 2000);
  assert.is(scaled.sandbox.minuteMs, 2000);
  assert.is(parseConfigText('').sandbox.minuteMs, 60_000);
  expectInvalid(() => parseConfigText('[xero.rate_limit]\nminute_ms = 2000'), "xero.rate_limit.minute_ms: must be 60000 while xero.api_url is Xero's: a shorter minute is for the sandbox alone.");
});

config('XERO_PROXY_CONFIG names the file, and a named file that is missing is an error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xp-config-'));
  const path = join(dir, 'named.toml');
  writeFileSync(path, '[server]\npublic_url = "https://proxy.example/"\n');
  assert.is(loadConfig({ env: { XERO_PROXY_CONFIG: path } }).server.publicUrl, 'https://proxy.example');
  expectInvalid(() => loadConfig({ path: join(dir, 'missing.toml'), env: {} }), `The config file ${join(dir, 'missing.toml')} does not exist.`);
  assert.is(loadConfig({ env: {}, cwd: dir }).source, undefined, 'no default file means built-in defaults');
});

config('secrets may be literal, env: or file: references, and never print', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xp-config-'));
  writeFileSync(join(dir, 'secret.txt'), 'from-a-file\n');
  assert.is(parseConfigText('[xero]\nconsumer_secret = "literal-value"').xero.consumerSecret.reveal(), 'literal-value');
  assert.is(parseConfigText('[xero]\nconsumer_secret = "env:MY_SECRET"', { env: { MY_SECRET: 'from-env' } }).xero.consumerSecret.reveal(), 'from-env');
  const fromFile = parseConfigText('[xero]\nconsumer_secret = "file:secret.txt"', { baseDir: dir });
  assert.is(fromFile.xero.consumerSecret.reveal(), 'from-a-file');
  assert.not.match(JSON.stringify(fromFile), 'from-a-file');
  expectInvalid(() => parseConfigText('[xero]\nconsumer_secret = "env:NOPE"', { env: {} }), 'xero.consumer_secret: refers to the environment variable NOPE, which is not set.');
  expectInvalid(() => parseConfigText('[xero]\nconsumer_secret = "file:nope.txt"', { baseDir: dir }), `xero.consumer_secret: refers to the file ${join(dir, 'nope.txt')}, which cannot be read.`);
});

config('OAuth 2.0: client id, a secret reference, scopes and identity URLs, with Xero as the default', () => {
  const oauth2 = parseConfigText('[xero]\napp_type = "oauth2"\nclient_id = "ABC123"\nclient_secret = "env:XERO_CLIENT_SECRET"', { env: { XERO_CLIENT_SECRET: 's3cret' } });
  assert.is(oauth2.xero.appType, 'oauth2');
  assert.is(oauth2.xero.clientId, 'ABC123');
  assert.is(oauth2.xero.clientSecret.reveal(), 's3cret');
  assert.not.match(JSON.stringify(oauth2), 's3cret');
  assert.ok(oauth2.xero.scopes.includes('offline_access'));
  assert.ok(oauth2.xero.scopes.includes('accounting.invoices') && oauth2.xero.scopes.includes('accounting.payments'), 'granular scopes by default');
  assert.is(oauth2.xero.loginUrl, 'https://login.xero.com');
  assert.is(oauth2.xero.identityUrl, 'https://identity.xero.com');
  assert.is(oauth2.xero.redirectUri, 'http://localhost:8080/connect/oauth2/callback', 'the callback under public_url');
  const broad = parseConfigText('[xero]\napp_type = "oauth2_pkce"\nscopes = "offline_access  accounting.transactions accounting.settings"');
  assert.equal([...broad.xero.scopes], ['offline_access', 'accounting.transactions', 'accounting.settings']);
  const sandbox = parseConfigText('[xero]\napp_type = "oauth2"\nlogin_url = "http://127.0.0.1:9090/"\nidentity_url = "http://127.0.0.1:9090"');
  assert.is(sandbox.xero.loginUrl, 'http://127.0.0.1:9090');
});

config('OAuth 2.0 redirects must be https or localhost, and the error names the key to fix', () => {
  const https = parseConfigText('[server]\npublic_url = "https://proxy.example/"\n[xero]\napp_type = "oauth2"');
  assert.is(https.xero.redirectUri, 'https://proxy.example/connect/oauth2/callback');
  const local = parseConfigText('[server]\npublic_url = "http://192.168.1.20:8080"\n[xero]\napp_type = "oauth2"\nredirect_uri = "http://localhost:8080/connect/oauth2/callback"');
  assert.is(local.xero.redirectUri, 'http://localhost:8080/connect/oauth2/callback');
  expectInvalid(
    () => parseConfigText('[server]\npublic_url = "http://192.168.1.20:8080"\n[xero]\napp_type = "oauth2"'),
    'server.public_url: Xero accepts OAuth 2.0 redirects to https addresses, or to http only on localhost, not http://192.168.1.20:8080; serve the proxy over https, or set xero.redirect_uri = "http://localhost:8080/connect/oauth2/callback".',
  );
  expectInvalid(
    () => parseConfigText('[xero]\napp_type = "oauth2_pkce"\nredirect_uri = "http://till.local/cb"'),
    'xero.redirect_uri: Xero accepts OAuth 2.0 redirects to https addresses, or to http only on localhost, not http://till.local.',
  );
  expectInvalid(() => parseConfigText('[xero]\nredirect_uri = "callback"'), 'xero.redirect_uri: must be an absolute http(s) URL.');
  // OAuth 1.0a apps never use it, so a LAN address stays fine for them.
  assert.is(parseConfigText('[server]\npublic_url = "http://192.168.1.20:8080"').xero.appType, 'partner');
});

config('OAuth 2.0 scopes are names separated by spaces, and browser apps must keep offline_access', () => {
  expectInvalid(() => parseConfigText('[xero]\nscopes = "offline_access,accounting.invoices"'), 'xero.scopes: "offline_access,accounting.invoices" is not a scope name; separate scopes with spaces, e.g. "offline_access accounting.invoices".');
  expectInvalid(
    () => parseConfigText('[xero]\napp_type = "oauth2"\nscopes = "accounting.invoices"'),
    'xero.scopes: must include offline_access, or Xero gives no refresh token and every link ends after 30 minutes.',
  );
  assert.equal([...parseConfigText('[xero]\napp_type = "custom_connection"\nscopes = "accounting.invoices"').xero.scopes], ['accounting.invoices'], 'a custom connection has no refresh token anyway');
});

config('server.log_file "auto" is the data directory\'s logs/xero-proxy.log, written only when XERO_PROXY_SERVICE=1', () => {
  const byHand = parseConfigText('[storage]\ndata_dir = "/srv/proxy/data"', { env: {} });
  assert.equal({ ...byHand.server.logFile }, { path: '/srv/proxy/data/logs/xero-proxy.log', active: false, keep: 5, maxBytes: 10 * 1024 * 1024 });
  const service = parseConfigText('[storage]\ndata_dir = "/srv/proxy/data"', { env: { XERO_PROXY_SERVICE: '1' } });
  assert.equal({ ...service.server.logFile }, { path: '/srv/proxy/data/logs/xero-proxy.log', active: true, keep: 5, maxBytes: 10 * 1024 * 1024 });
  assert.is(parseConfigText('', { env: { XERO_PROXY_SERVICE: '0' } }).server.logFile?.active, false, 'only "1" means a service');
});

config('server.log_file "off" is none, a relative path is in the data directory, and log_keep and log_max_mib set the rotation', () => {
  assert.is(parseConfigText('[server]\nlog_file = "off"', { env: { XERO_PROXY_SERVICE: '1' } }).server.logFile, undefined);
  const relative = parseConfigText('[server]\nlog_file = "proxy.log"\nlog_keep = 2\nlog_max_mib = 1\n[storage]\ndata_dir = "/srv/proxy/data"', { baseDir: '/etc/xero-proxy' });
  assert.equal({ ...relative.server.logFile }, { path: '/srv/proxy/data/proxy.log', active: true, keep: 2, maxBytes: 1024 * 1024 });
  assert.is(parseConfigText('[server]\nlog_file = "/var/log/xero-proxy/proxy.log"').server.logFile?.path, '/var/log/xero-proxy/proxy.log');
  const dir = mkdtempSync(join(tmpdir(), 'xp-config-'));
  assert.is(loadConfig({ env: { XERO_PROXY_SERVER_LOG_FILE: 'off' }, cwd: dir }).server.logFile, undefined, 'set from the environment like any key');
});

config('bad log file settings name the key', () => {
  expectInvalid(() => parseConfigText('[server]\nlog_file = ""'), 'server.log_file: must be "auto", "off" or the path of a file.');
  expectInvalid(() => parseConfigText('[server]\nlog_file = "logs/"'), 'server.log_file: "logs/" names a directory; give the path of a file in it, e.g. "logs/xero-proxy.log".');
  expectInvalid(() => parseConfigText('[server]\nlog_file = true'), 'server.log_file: must be a string.');
  expectInvalid(() => parseConfigText('[server]\nlog_keep = 0'), 'server.log_keep: must be between 1 and 100.');
  expectInvalid(() => parseConfigText('[server]\nlog_keep = 101'), 'server.log_keep: must be between 1 and 100.');
  expectInvalid(() => parseConfigText('[server]\nlog_max_mib = 0'), 'server.log_max_mib: must be between 1 and 1024.');
  expectInvalid(() => parseConfigText('[server]\nlog_max_mib = 1.5'), 'server.log_max_mib: must be a whole number.');
  const dir = mkdtempSync(join(tmpdir(), 'xp-config-'));
  try {
    loadConfig({ env: { XERO_PROXY_SERVER_LOG_KEEP: 'lots' }, cwd: dir });
    assert.unreachable('lots is not a number');
  } catch (error) {
    assert.is((error as AppError).message, 'server.log_keep: must be a whole number.');
    assert.is((error as AppError).hint, 'Fix server.log_keep in the config file or XERO_PROXY_SERVER_LOG_KEEP.');
  }
});

config('a config without server.tls keeps plain HTTP, as before HTTPS existed; the TLS files are resolved beside the config file', () => {
  const before = parseConfigText('[server]\nlisten = "0.0.0.0:8080"\npublic_url = "http://192.168.1.10:8080"\n');
  assert.is(before.server.tls, 'off');
  assert.is(before.server.publicUrl, 'http://192.168.1.10:8080');
  const files = parseConfigText('[server]\ntls = "files"\npublic_url = "https://pos.lan:8443"\ntls_cert = "certs/fullchain.pem"\ntls_key = "/etc/ssl/pos.key"\n', { baseDir: '/srv/proxy' });
  assert.equal([files.server.tls, files.server.tlsCert, files.server.tlsKey], ['files', '/srv/proxy/certs/fullchain.pem', '/etc/ssl/pos.key']);
  const reverseProxy = parseConfigText('[server]\ntls = "off"\npublic_url = "https://proxy.example"\n');
  assert.is(reverseProxy.server.publicUrl, 'https://proxy.example', 'plain HTTP behind a reverse proxy that does HTTPS');
});

config('with HTTPS on, a public URL in plain http or a missing certificate file is refused naming the key', () => {
  expectInvalid(
    () => parseConfigText('[server]\ntls = "auto"\npublic_url = "http://pos.lan:8080"\n'),
    'server.public_url: must start with https:// when server.tls is "auto" (plain http on that port only redirects to https); write https://pos.lan:8080.',
  );
  expectInvalid(() => parseConfigText('[server]\ntls = "files"\npublic_url = "https://pos.lan:8080"\ntls_key = "k.pem"\n'), 'server.tls_cert: must name the PEM file of the server certificate (and its chain) when server.tls is "files".');
  expectInvalid(() => parseConfigText('[server]\ntls = "files"\npublic_url = "https://pos.lan:8080"\ntls_cert = "c.pem"\n'), 'server.tls_key: must name the PEM file of the private key when server.tls is "files".');
  expectInvalid(() => parseConfigText('[server]\ntls = "on"\n'), 'server.tls: must be one of auto, files, off.');
});

config('backups: daily at 02:30 into data_dir/backups keeping 7 by default; the schedule is cron or "off", checked field by field', () => {
  const defaults = parseConfigText('[storage]\ndata_dir = "/srv/xp"');
  assert.equal(defaults.backup, { dir: '/srv/xp/backups', schedule: '30 2 * * *', keep: 7 });
  assert.is(defaults.storage.retentionDays, 30);
  assert.equal(parseConfigText('[storage]\ndata_dir = "/srv/xp"\n[backup]\ndir = "/mnt/nas/xp"\nschedule = "off"\nkeep = 30').backup, { dir: '/mnt/nas/xp', schedule: undefined, keep: 30 });
  assert.is(parseConfigText('[backup]\nschedule = "0 */6 * * mon-fri"').backup.schedule, '0 */6 * * mon-fri');
  expectInvalid(() => parseConfigText('[backup]\nschedule = "daily"'), 'backup.schedule: must be "off" or a cron expression of five fields, minute hour day month weekday, e.g. "30 2 * * *" (every day at 02:30); "daily" has 1.');
  expectInvalid(() => parseConfigText('[backup]\nschedule = "30 25 * * *"'), 'backup.schedule: "25" is not a valid hour (0-23, *, a range a-b, a list a,b or a step */n).');
  expectInvalid(() => parseConfigText('[backup]\nkeep = 0'), 'backup.keep: must be between 1 and 1000.');
  expectInvalid(() => parseConfigText('[storage]\nretention_days = -1'), 'storage.retention_days: must be between 0 and 3650.');
});

config('the loaded config is frozen', () => {
  const loaded = parseConfigText('');
  assert.throws(() => {
    (loaded.server as { publicUrl: string }).publicUrl = 'x';
  });
});

config.run();

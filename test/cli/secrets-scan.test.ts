import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openStore } from '../../src/app';
import { loadConfig } from '../../src/config/load';
import { systemClock } from '../../src/lib/clock';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { REPO_ROOT, runCli, spawnCli } from '../helpers/cli';
import { freePort } from '../helpers/proxy';
import { startTestSandbox } from '../helpers/sandbox';
import { openEverySecret } from '../helpers/sealed';
import { Browser } from '../helpers/web';

const scan = suite('secrets-scan');
const CAFE = DEMO_ORGANISATIONS[0]!;
const ADMIN_PASSWORD = 'secrets scan admin passphrase 77';
const BACKUP_PASSPHRASE = 'secrets scan backup passphrase 91';
// What only the test's documents hold: the logs must not hold it either.
const CONTENT = ['Ms Scan Patient-3R8W', 'Scan consultation 5521'];

/**
 * A proxy used as a practice would: an OAuth 2.0 app linked through the sandbox (its tokens
 * renewed once), two devices with API keys, the administrator signing in, a signing key pair,
 * documents delivered, two backups (one with a passphrase), logging at debug to a file. Then
 * every byte the proxy wrote (database, WAL, backups, logs, the cache directory) is searched for
 * every secret it holds, in UTF-8 and UTF-16: none may be there in plain text.
 */
scan('after a realistic workload no token, client secret, private key, password, passphrase, API key or session is in plain text in the database, WAL, backups, logs or cache', async () => {
  const sandbox = await startTestSandbox();
  const dir = mkdtempSync(join(tmpdir(), 'xp-scan-'));
  const cache = join(dir, 'cache');
  mkdirSync(cache);
  const port = await freePort();
  const self = `http://127.0.0.1:${port}`;
  let server: ChildProcess | undefined;
  let connect: ChildProcess | undefined;
  let serverOutput = '';
  try {
    const registered = await fetch(`${sandbox.url}/sandbox/oauth2/apps`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'web', redirectUris: [`${self}/connect/oauth2/callback`] }) });
    const client = (await registered.json()) as { clientId: string; clientSecret: string };
    const env: Record<string, string> = {
      XERO_PROXY_SERVER_LISTEN: `127.0.0.1:${port}`,
      // Plain HTTP, so the scan can also look for keys in what travels; HTTPS keys have their own test (api/https).
      XERO_PROXY_SERVER_TLS: 'off',
      // The password alone signs in here; the TOTP secret and recovery codes have their own scan (store/secrets-at-rest).
      XERO_PROXY_ADMIN_REQUIRE_MFA: 'false',
      XERO_PROXY_SERVER_PUBLIC_URL: self,
      XERO_PROXY_SERVER_LOG_LEVEL: 'debug',
      XERO_PROXY_SERVER_LOG_FILE: 'logs/xero-proxy.log',
      XERO_PROXY_XERO_APP_TYPE: 'oauth2',
      XERO_PROXY_XERO_CLIENT_ID: client.clientId,
      XERO_PROXY_XERO_CLIENT_SECRET: client.clientSecret,
      XERO_PROXY_XERO_API_URL: sandbox.url,
      XERO_PROXY_XERO_LOGIN_URL: sandbox.url,
      XERO_PROXY_XERO_IDENTITY_URL: sandbox.url,
      CACHE_DIRECTORY: cache,
      // The pages are JSX: tsx reads the repository's compiler settings though the server runs elsewhere.
      TSX_TSCONFIG_PATH: join(REPO_ROOT, 'tsconfig.json'),
    };
    const cli = async (args: string[], input?: string) => {
      const result = await runCli(args, { cwd: dir, env, ...(input !== undefined ? { input } : {}) });
      assert.is(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
      return result.stdout;
    };
    await cli(['init']);
    await cli(['admin', 'set-password', '--password-stdin'], ADMIN_PASSWORD);
    await cli(['cert', 'create', '--out', join(dir, 'cert')]);
    server = spawnCli(['serve'], { cwd: dir, env });
    server.stdout!.on('data', (chunk) => (serverOutput += chunk));
    server.stderr!.on('data', (chunk) => (serverOutput += chunk));
    await until(() => fetch(`${self}/healthz`).then((r) => r.ok, () => false));

    // Linking: the URL printed, a person allowing at Xero, the browser back at the server's callback.
    connect = spawnCli(['org', 'connect', '--device', 'TILL-1', '--json'], { cwd: dir, env, interactive: true });
    let connectOut = '';
    connect.stdout!.on('data', (chunk) => (connectOut += chunk));
    let connectErr = '';
    connect.stderr!.on('data', (chunk) => (connectErr += chunk));
    await until(async () => /^http\S+authorize\?\S+$/m.test(connectOut));
    const authorizeUrl = /^(http\S+authorize\?\S+)$/m.exec(connectOut)![1]!;
    const approved = (await (await fetch(`${sandbox.url}/sandbox/oauth2/authorize`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ authorizeUrl, organisationIds: [CAFE.id], decision: 'allow' }) })).json()) as { redirect: string };
    assert.is((await fetch(approved.redirect)).status, 200, serverOutput);
    // The till's organisation, asked at the terminal.
    await until(async () => connectErr.includes('Type its number and press Enter:'));
    connect.stdin!.write('1\n');
    assert.is(await new Promise((resolve) => connect!.on('close', resolve)), 0);
    const tillKey = (JSON.parse(connectOut.slice(connectOut.indexOf('{'))) as { device: { apiKey: string } }).device.apiKey;
    const secondKey = (JSON.parse(await cli(['device', 'add', 'TILL-2', '--org', CAFE.name, '--json'])) as { apiKey: string }).apiKey;

    const send = async (key: string, n: number) => {
      const response = await fetch(`${self}/api/v1/invoices?wait=20`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': `scan-${n}` },
        body: JSON.stringify({ Invoices: [{ DocumentId: `scan-${n}`, Type: 'ACCREC', Contact: { Name: CONTENT[0] }, Date: '2026-11-28', LineAmountTypes: 'Inclusive', Status: 'AUTHORISED', LineItems: [{ Description: CONTENT[1], Quantity: 1, UnitAmount: 88, AccountCode: '200', TaxType: 'OUTPUT' }] }] }),
      });
      assert.is(response.status, 200, await response.clone().text());
    };
    await send(tillKey, 1);
    // Xero's half hour passes: the next delivery renews the grant (a new refresh token stored).
    await fetch(`${sandbox.url}/sandbox/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceSeconds: 31 * 60 }) });
    await send(secondKey, 2);

    const browser = new Browser(self);
    assert.is((await browser.signIn(ADMIN_PASSWORD)).status, 303);
    assert.is((await browser.get('/documents')).status, 200);
    const session = [...browser.cookies.values()];

    await cli(['backup']);
    await cli(['backup', '--passphrase-stdin'], BACKUP_PASSPHRASE);
    server.kill('SIGTERM');
    await new Promise((resolve) => server!.on('close', resolve));
    server = undefined;

    // Every secret the proxy holds, read back through its key; tokens and the key pair split into their values.
    const config = loadConfig({ path: join(dir, 'xero-proxy.toml'), env });
    const { db, keyring } = openStore(config, systemClock);
    const sealed = [...openEverySecret(db, keyring).values()];
    db.close();
    const tokens = sealed.flatMap((value) => (value.startsWith('{') ? Object.values(JSON.parse(value) as Record<string, string>).filter((token) => typeof token === 'string') : []));
    const pemLines = sealed.filter((value) => value.includes('PRIVATE KEY')).flatMap((pem) => pem.split('\n').filter((line) => /^[A-Za-z0-9+/=]{40,}$/.test(line)));
    const secrets = new Map<string, string>([
      ['client secret', client.clientSecret],
      ['administrator password', ADMIN_PASSWORD],
      ['backup passphrase', BACKUP_PASSPHRASE],
      ['API key of TILL-1', tillKey],
      ['API key of TILL-2', secondKey],
      ...session.map((value, i): [string, string] => [`session cookie ${i}`, value]),
      ...tokens.map((value, i): [string, string] => [`token ${i}`, value]),
      ...pemLines.map((value, i): [string, string] => [`private key line ${i}`, value]),
      ['master key', readFileSync(join(dir, 'data', 'master.key'), 'utf8').match(/^k1 (\S+)$/m)![1]!],
    ]);
    assert.ok(tokens.length >= 3, `an access token, a refresh token and the one it replaced (${tokens.length})`);
    assert.ok(pemLines.length >= 20, 'the private key');

    // The key file holds the master key by design; everything else the proxy wrote is searched.
    const files = [...walk(join(dir, 'data')), ...walk(cache)].filter((file) => !file.endsWith('master.key'));
    const kinds = (pattern: RegExp) => files.filter((file) => pattern.test(file)).length;
    assert.ok(kinds(/xero-proxy\.db$/) === 1 && kinds(/\.backup$/) === 2 && kinds(/logs\/xero-proxy\.log$/) === 1, `database, backups and log are all there: ${files.map((f) => relative(dir, f)).join(', ')}`);
    const found: string[] = [];
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const [name, value] of secrets) {
        if (bytes.includes(Buffer.from(value, 'utf8')) || bytes.includes(Buffer.from(value, 'utf16le'))) found.push(`${name} in ${relative(dir, file)}`);
      }
    }
    for (const [name, value] of secrets) if (serverOutput.includes(value)) found.push(`${name} in the server's standard error`);
    assert.equal(found, [], 'no secret in plain text');

    const log = readFileSync(join(dir, 'data', 'logs', 'xero-proxy.log'), 'utf8') + serverOutput;
    assert.ok(log.split('\n').length > 20, 'the log has something in it to search');
    for (const text of CONTENT) assert.not.match(log, text, 'a log never holds what a document says');
  } finally {
    server?.kill('SIGKILL');
    connect?.kill('SIGKILL');
    await sandbox.stop();
  }
});

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

async function until(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

scan.run();

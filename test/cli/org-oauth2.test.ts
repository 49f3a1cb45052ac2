import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { runCli, spawnCli } from '../helpers/cli';
import { approveAtXero, revokedGrants, startGrantWorld, type GrantWorld } from '../helpers/grant-world';

const [CAFE, PRACTICE] = DEMO_ORGANISATIONS;
const org = suite('cli.org-oauth2');

/** A CLI process a person types into: its output so far, and a wait for a pattern in it. */
function terminal(child: ChildProcess) {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    exited,
    async waitFor(pattern: RegExp, timeoutMs = 30_000): Promise<string> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = pattern.exec(stdout + stderr);
        if (match) return match[0];
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; output:\n${stdout}${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    type: (line: string) => child.stdin!.write(`${line}\n`),
  };
}

const connectionsOf = (world: GrantWorld) =>
  world.sandbox.sandbox.deps.db.prepare('SELECT tenant_id FROM oauth2_connections c JOIN oauth2_grants g ON g.id = c.grant_id WHERE g.revoked_at IS NULL ORDER BY tenant_id').pluck().all() as string[];

org('org connect (web app): the URL on its own line, the answer at the server, the device’s organisation asked for, then its key; org disconnect removes one connection and revokes the grant with the last', async () => {
  const world = await startGrantWorld('oauth2');
  const cwd = mkdtempSync(join(tmpdir(), 'xp-org2-'));
  try {
    const cli = terminal(spawnCli(['org', 'connect', '--device', 'TILL-7', '--name', 'Back office till', '--json'], { cwd, env: world.env, interactive: true }));
    const url = (await cli.waitFor(/^http\S+\/identity\/connect\/authorize\?\S+$/m)).trim();
    // The browser, on any machine, comes back to the server's callback.
    const callback = await fetch(await approveAtXero(world, url, [CAFE!.id, PRACTICE!.id]));
    assert.is(callback.status, 200);
    await cli.waitFor(/Type its number and press Enter:/);
    assert.match(cli.stderr, `Which organisation does TILL-7 send to?\n  1) ${CAFE!.name} (${CAFE!.shortCode})\n  2) ${PRACTICE!.name} (${PRACTICE!.shortCode})`);
    cli.type('2');
    assert.is(await cli.exited, 0, cli.stderr);
    const [first, ...rest] = cli.stdout.split('\n');
    assert.is(first, url);
    const result = JSON.parse(rest.join('\n')) as { organisation: { name: string }; organisations: Array<{ name: string }>; device: { deviceId: string; apiKey: string } };
    assert.equal([result.organisation.name, result.organisations.map((o) => o.name), result.device.deviceId], [PRACTICE!.name, [CAFE!.name, PRACTICE!.name], 'TILL-7']);
    const read = await fetch(`${world.proxy.url}/api/v1/organisation`, { headers: { authorization: `Bearer ${result.device.apiKey}` } });
    assert.is(((await read.json()) as { name: string }).name, PRACTICE!.name);

    assert.equal(connectionsOf(world), [CAFE!.id, PRACTICE!.id].sort());
    const one = await runCli(['org', 'disconnect', CAFE!.name], { cwd, env: world.env });
    assert.is(one.code, 0, one.stderr);
    assert.is(one.stdout.trim(), `Disconnected ${CAFE!.name}. Its connection at Xero is removed.`);
    assert.equal(connectionsOf(world), [PRACTICE!.id], 'the other organisation stays connected');
    assert.is(revokedGrants(world), 0);
    await world.advance(2); // the server's pacer spaces calls a second apart
    assert.is((await fetch(`${world.proxy.url}/api/v1/organisation`, { headers: { authorization: `Bearer ${result.device.apiKey}` } })).status, 200, 'the practice still answers');
    const last = await runCli(['org', 'disconnect', PRACTICE!.name, '--json'], { cwd, env: world.env });
    assert.is(last.code, 0, last.stderr);
    const { id, ...answer } = JSON.parse(last.stdout) as { id: string };
    assert.match(id, /^org_/);
    assert.equal(answer, { name: PRACTICE!.name, linkState: 'disconnected', connection: 'deleted', revoked: true, notes: [] });
    assert.is(revokedGrants(world), 1, 'the last organisation out revoked the grant');
    assert.is(world.proxy.running.proxy.deps.db.prepare('SELECT COUNT(*) FROM token_sets').pluck().get(), 0, 'and the proxy forgot it');
  } finally {
    await world.stop();
  }
});

org('org connect (PKCE, localhost redirect): the address pasted into the terminal finishes the link, with no server needed; --organisation answers in advance', async () => {
  const world = await startGrantWorld('oauth2_pkce', { redirectUri: () => 'http://localhost:8080/connect/oauth2/callback' });
  await world.proxy.stop();
  const cwd = mkdtempSync(join(tmpdir(), 'xp-org2-'));
  try {
    const cli = terminal(spawnCli(['org', 'connect', '--device', 'TILL-8', '--organisation', CAFE!.name], { cwd, env: world.env, interactive: true }));
    const url = (await cli.waitFor(/^http\S+\/identity\/connect\/authorize\?\S+$/m)).trim();
    assert.match(url, 'code_challenge_method=S256');
    await cli.waitFor(/paste that whole address here and press Enter/);
    const landed = await approveAtXero(world, url, [CAFE!.id, PRACTICE!.id]);
    assert.match(landed, /^http:\/\/localhost:8080\/connect\/oauth2\/callback\?code=/);
    cli.type(landed);
    assert.is(await cli.exited, 0, cli.stderr);
    assert.match(cli.stdout, `Linked ${CAFE!.name} (${CAFE!.shortCode}), ${PRACTICE!.name} (${PRACTICE!.shortCode}).\n\nAPI key for TILL-8, sending to ${CAFE!.name} (shown once):`);
    assert.not.match(cli.stderr, 'Which organisation');
    const listed = JSON.parse((await runCli(['org', 'list', '--json'], { cwd, env: world.env })).stdout) as { organisations: Array<{ name: string; appType: string; linkState: string }> };
    assert.equal(listed.organisations.map((o) => [o.name, o.appType, o.linkState]), [
      [CAFE!.name, 'oauth2_pkce', 'linked'],
      [PRACTICE!.name, 'oauth2_pkce', 'linked'],
    ]);
  } finally {
    await world.sandbox.stop();
  }
});

org('org connect (custom connection): no browser, the one organisation linked at once', async () => {
  const world = await startGrantWorld('custom_connection', { tenant: PRACTICE!.id });
  const cwd = mkdtempSync(join(tmpdir(), 'xp-org2-'));
  try {
    const result = await runCli(['org', 'connect', '--device', 'TILL-9'], { cwd, env: world.env });
    assert.is(result.code, 0, result.stderr);
    assert.match(result.stdout, `Linked ${PRACTICE!.name} (${PRACTICE!.shortCode}).\n\nAPI key for TILL-9, sending to ${PRACTICE!.name} (shown once):`);
    assert.is(result.stderr, '');
  } finally {
    await world.stop();
  }
});

org.run();

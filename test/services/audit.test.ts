import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../src/lib/clock';
import { isAppError } from '../../src/lib/errors';
import { Secret } from '../../src/lib/secret';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { auditEntries, parseSince, recordAudit, type Actor } from '../../src/services/audit';
import { startLink } from '../../src/services/linking';
import { openDatabase, type Db } from '../../src/store/db';
import { MIGRATIONS } from '../../src/store/migrations';
import { listOrganisations } from '../../src/store/organisations';
import { asCli, TEST_ACTOR } from '../helpers/actor';
import { runCli } from '../helpers/cli';
import { startWorld, type LinkedWorld } from '../helpers/linked';
import { Browser, field, givenAdminPassword } from '../helpers/web';

const log = suite<{ db: Db; clock: ManualClock }>('services.audit');

log.before.each((context) => {
  context.db = openDatabase(':memory:', { migrations: MIGRATIONS });
  context.clock = new ManualClock('2026-03-02T09:00:00Z');
});
log.after.each(({ db }) => {
  db.close();
});

const alice: Actor = { name: 'admin:alice', from: '192.168.1.20' };

log('records are kept as written and cannot be changed or deleted, even with SQL', ({ db, clock }) => {
  recordAudit({ db, clock }, { actor: alice, action: 'device.revoked', subject: 'TILL-1' });
  assert.equal(db.prepare('SELECT at, actor, source, action, subject, changes FROM audit_log').all(), [
    { at: '2026-03-02T09:00:00.000Z', actor: 'admin:alice', source: '192.168.1.20', action: 'device.revoked', subject: 'TILL-1', changes: '{}' },
  ]);
  assert.throws(() => db.prepare("UPDATE audit_log SET actor = 'admin:mallory'").run(), /the audit log is append-only/);
  assert.throws(() => db.prepare('DELETE FROM audit_log').run(), /the audit log is append-only/);
  assert.is(db.prepare('SELECT actor FROM audit_log').pluck().get(), 'admin:alice');
});

log('an entry that would record a secret is refused, and nothing is written', ({ db, clock }) => {
  const attempts: Array<[Record<string, never>, string]> = [
    [{ password: 'hunter2hunter2' } as never, 'An audit entry must not record a secret, but it has changes.password.'],
    [{ apiKey: 'xpk_abc_def' } as never, 'An audit entry must not record a secret, but it has changes.apiKey.'],
    [{ device: { refreshToken: 'r' } } as never, 'An audit entry must not record a secret, but it has changes.device.refreshToken.'],
    [{ code: '123456' } as never, 'An audit entry must not record a secret, but it has changes.code.'],
    [{ note: 'xpk_7k3m9q2wz4ab_0123456789abcdefghijklmnopqrstuv' } as never, 'An audit entry must not record a secret, but changes.note holds one.'],
    [{ note: ['fine', 'v1.k1.AAAAAAAAAAAAAAAAAAAAAAAAAAAA'] } as never, 'An audit entry must not record a secret, but changes.note holds one.'],
    [{ note: new Secret('x') } as never, 'An audit entry must not record a secret, but changes.note holds one.'],
  ];
  for (const [changes, message] of attempts) {
    const error = (() => {
      try {
        recordAudit({ db, clock }, { actor: alice, action: 'device.added', subject: 'TILL-1', changes });
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();
    assert.ok(isAppError(error, 'internal'), JSON.stringify(changes));
    assert.is((error as Error).message, message);
  }
  assert.is(db.prepare('SELECT count(*) FROM audit_log').pluck().get(), 0);
  recordAudit({ db, clock }, { actor: alice, action: 'device.key_rotated', subject: 'TILL-1', changes: { keyPrefix: { from: '7k3m9q2wz4ab', to: 'q2wz4ab7k3m9' }, codesLeft: 9, pairingCode: 'BCDF-GHJK' } });
  assert.is(db.prepare('SELECT count(*) FROM audit_log').pluck().get(), 1, 'public prefixes, counts and spent pairing codes are not secrets');
});

log('the log reads newest first, a page at a time, by actor, by action or kind of action, and since a time or a duration', ({ db, clock }) => {
  const bob: Actor = { name: 'cli:bob', from: 'cli' };
  for (const [actor, action] of [[alice, 'device.added'], [bob, 'mapping.saved'], [alice, 'device.revoked'], [bob, 'admin.added']] as const) {
    recordAudit({ db, clock }, { actor, action });
    clock.advance(3_600_000);
  }
  const actions = (page: ReturnType<typeof auditEntries>) => page.entries.map((e) => e.action);
  const first = auditEntries({ db, clock }, { limit: 3 });
  assert.equal(actions(first), ['admin.added', 'device.revoked', 'mapping.saved']);
  assert.equal(actions(auditEntries({ db, clock }, { limit: 3, before: String(first.next) })), ['device.added']);
  assert.equal(first.actors, ['admin:alice', 'cli:bob']);
  assert.equal(actions(auditEntries({ db, clock }, { actor: 'admin:alice' })), ['device.revoked', 'device.added']);
  assert.equal(actions(auditEntries({ db, clock }, { action: 'device.' })), ['device.revoked', 'device.added']);
  assert.equal(actions(auditEntries({ db, clock }, { since: '2h' })), ['admin.added', 'device.revoked'], 'now is 13:00; the last two are from 11:00 and 12:00');
  assert.equal(actions(auditEntries({ db, clock }, { since: '2026-03-02T10:00:00Z' })), ['admin.added', 'device.revoked', 'mapping.saved']);
  assert.is(auditEntries({ db, clock }, {}).entries[0]!.description, 'Added an administrator');
  const unknown = (() => {
    try {
      auditEntries({ db, clock }, { action: 'device.exploded' });
    } catch (error) {
      return error;
    }
  })();
  assert.ok(isAppError(unknown, 'invalid'));
  assert.match((unknown as Error).message, 'action: "device.exploded" is not an action the log records');
});

log('--since takes an ISO time, a date, or minutes, hours, days and weeks back; anything else is refused naming the field', () => {
  const now = new Date('2026-03-02T09:00:00Z');
  assert.is(parseSince('30m', now), '2026-03-02T08:30:00.000Z');
  assert.is(parseSince('12h', now), '2026-03-01T21:00:00.000Z');
  assert.is(parseSince('7d', now), '2026-02-23T09:00:00.000Z');
  assert.is(parseSince('2w', now), '2026-02-16T09:00:00.000Z');
  assert.is(parseSince('2026-03-01', now), '2026-03-01T00:00:00.000Z');
  assert.is(parseSince('2026-03-01T10:30:00+10:00', now), '2026-03-01T00:30:00.000Z');
  for (const bad of ['yesterday', '5y', '-1d', '2026-13-45', '']) {
    assert.throws(() => parseSince(bad, now), (error: unknown) => isAppError(error, 'invalid') && (error as Error).message.startsWith('since: must be a time such as 2026-11-28T09:00:00Z'));
  }
});

log.run();

const changes = suite<{ world: LinkedWorld; browser: Browser; orgId: string }>('services.audit changes on the pages and the CLI');

changes.before.each(async (context) => {
  context.world = await startWorld('private', { organisationId: DEMO_ORGANISATIONS[0]!.id, publicUrlIsSelf: true });
  const { deps } = context.world.proxy.running.proxy;
  assert.is((await startLink(asCli(deps), {})).kind, 'linked');
  context.orgId = listOrganisations(deps.db)[0]!.id;
  await givenAdminPassword(deps);
  context.browser = new Browser(context.world.proxy.url, { localAddress: '127.0.0.7' });
  assert.is((await context.browser.signIn()).status, 303);
});
changes.after.each(async ({ world }) => world.stop());

changes('a device added, given a new key and revoked on the pages is recorded with the administrator, the address and what changed, and never the key', async ({ world, browser, orgId }) => {
  const page = await browser.get('/devices');
  await browser.post('/devices', { csrf: field(page.text, 'csrf'), deviceId: 'TILL-0042', name: 'Front counter till', organisation: orgId, 'right-reference': 'yes' });
  const shown = await browser.get('/devices/TILL-0042/key');
  const firstKey = /(xpk_[A-Za-z0-9_-]+)/.exec(shown.text)![1]!;
  await browser.post('/devices/TILL-0042/key', { csrf: field(page.text, 'csrf') });
  const secondKey = /(xpk_[A-Za-z0-9_-]+)/.exec((await browser.get('/devices/TILL-0042/key')).text)![1]!;
  await browser.post('/devices/TILL-0042/revoke', { csrf: field(page.text, 'csrf') });

  const { entries } = auditEntries(world.proxy.running.proxy.deps, { action: 'device.' });
  const prefix = (key: string) => key.split('_')[1];
  assert.equal(
    entries.map(({ actor, source, action, subject, changes }) => ({ actor, source, action, subject, changes })),
    [
      { actor: 'admin:admin', source: '127.0.0.7', action: 'device.revoked', subject: 'TILL-0042', changes: {} },
      { actor: 'admin:admin', source: '127.0.0.7', action: 'device.key_rotated', subject: 'TILL-0042', changes: { keyPrefix: { from: prefix(firstKey), to: prefix(secondKey) } } },
      { actor: 'admin:admin', source: '127.0.0.7', action: 'device.added', subject: 'TILL-0042', changes: { name: 'Front counter till', organisation: DEMO_ORGANISATIONS[0]!.name, rights: ['reference'], keyReplaced: false } },
    ],
  );
  const all = JSON.stringify(world.proxy.running.proxy.deps.db.prepare('SELECT * FROM audit_log').all());
  // A key is xpk_<prefix>_<secret>, and the secret (base64url) may itself hold underscores.
  const secretOf = (key: string) => key.split('_').slice(2).join('_');
  for (const key of [firstKey, secondKey]) assert.not.match(all, secretOf(key), 'no key secret in the log');
  assert.ok(auditEntries(world.proxy.running.proxy.deps, { action: 'admin.signed_in' }).entries.some((e) => e.source === '127.0.0.7'), 'the sign-in too');
});

changes('a change made with the CLI names the operating system user, and `audit list` prints it as JSON or a table', async ({ world }) => {
  const dir = world.proxy.dataDir;
  const env = { XERO_PROXY_STORAGE_DATA_DIR: dir };
  const added = await runCli(['device', 'add', 'PMS-LIC-7781', '--org', DEMO_ORGANISATIONS[0]!.shortCode, '--name', 'Reception PC'], { cwd: dir, env });
  assert.is(added.code, 0, added.stderr);
  const listed = await runCli(['audit', 'list', '--json', '--since', '10m', '--action', 'device.added'], { cwd: dir, env });
  assert.is(listed.code, 0, listed.stderr);
  const { entries } = JSON.parse(listed.stdout) as { entries: Array<{ actor: string; source: string; subject: string }> };
  assert.is(entries.length, 1);
  assert.match(entries[0]!.actor, /^cli:[^:]+$/);
  assert.not.equal(entries[0]!.actor, TEST_ACTOR.name);
  assert.equal([entries[0]!.source, entries[0]!.subject], ['cli', 'PMS-LIC-7781']);
  const text = await runCli(['audit', 'list', '--action', 'device.'], { cwd: dir, env });
  assert.match(text.stdout, /^AT\s+ACTOR\s+FROM\s+ACTION\s+SUBJECT\s+CHANGES\n/);
  assert.match(text.stdout, 'device.added  PMS-LIC-7781  name: Reception PC; organisation: Harbourside Café; rights: reference; keyReplaced: false');
  const bad = await runCli(['audit', 'list', '--since', 'last tuesday'], { cwd: dir, env });
  assert.equal([bad.code, bad.stderr.split('\n')[0]], [2, 'error: since: must be a time such as 2026-11-28T09:00:00Z or 2026-11-28, or a duration back from now such as 30m, 12h, 7d or 2w.']);
});

changes.run();

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openBackup, readBackupHeader } from '../../src/lib/backup-file';
import { ManualClock } from '../../src/lib/clock';
import { parseKeyring } from '../../src/lib/secret-box';
import { runScheduledBackup } from '../../src/services/backup';
import { overview } from '../../src/services/overview';
import { startTestProxy, type TestProxy } from '../helpers/proxy';

const scheduled = suite('services.runScheduledBackup');
const DAY = 86_400_000;

async function proxyWith(env: Record<string, string>, clock: ManualClock): Promise<TestProxy> {
  return startTestProxy({ clock, env, proxy: { schedule: true } });
}

scheduled('the schedule is registered from backup.schedule, and each run writes backup.dir/xero-proxy-<time>.backup keeping the newest backup.keep', async () => {
  const clock = new ManualClock('2026-11-28T02:30:00Z');
  const proxy = await proxyWith({ XERO_PROXY_BACKUP_KEEP: '2' }, clock);
  try {
    const { scheduler } = proxy.running;
    assert.equal(scheduler.list().find((job) => job.name === 'backup')?.cron, '30 2 * * *');
    for (let day = 0; day < 3; day++) {
      await scheduler.runNow('backup');
      clock.advance(DAY);
    }
    const dir = join(proxy.dataDir, 'backups');
    assert.equal(readdirSync(dir).sort(), ['xero-proxy-20261129T023000Z.backup', 'xero-proxy-20261130T023000Z.backup'], 'the oldest beyond 2 was deleted');
    const bytes = readFileSync(join(dir, 'xero-proxy-20261130T023000Z.backup'));
    assert.is(readBackupHeader(bytes, 'x').header.createdAt, '2026-11-30T02:30:00.000Z');
    const key = parseKeyring(readFileSync(join(proxy.dataDir, 'master.key'), 'utf8'), 'key').active.key;
    assert.ok(openBackup(bytes, 'x', key).image.length > 0, 'it opens with the master key');
    assert.equal(overview(proxy.running.proxy.deps).warnings.filter((warning) => warning.code === 'backup'), []);
  } finally {
    await proxy.stop();
  }
  const off = await proxyWith({ XERO_PROXY_BACKUP_SCHEDULE: 'off' }, clock);
  try {
    assert.is(off.running.scheduler.list().find((job) => job.name === 'backup'), undefined);
  } finally {
    await off.stop();
  }
});

scheduled('a backup that fails is said on the overview with its reason and fix until one succeeds; none for two days is said too', async () => {
  const clock = new ManualClock('2026-11-28T02:30:00Z');
  const blocked = join(mkdtempSync(join(tmpdir(), 'xp-backup-dir-')), 'not-a-directory');
  writeFileSync(blocked, 'a file where the directory should be');
  const proxy = await proxyWith({ XERO_PROXY_BACKUP_DIR: blocked }, clock);
  const deps = proxy.running.proxy.deps;
  const backupWarnings = () => overview(deps).warnings.filter((warning) => warning.code === 'backup').map(({ message, href, action }) => ({ message, href, action }));
  try {
    assert.is(runScheduledBackup(deps), undefined);
    const [warning] = backupWarnings();
    assert.is(warning!.message, `The last backup failed (2026-11-28 02:30 UTC): The backup directory ${blocked} cannot be used: EEXIST: file already exists, mkdir '${blocked}'. Point backup.dir (or --out) at a directory this user can create or write.`);
    assert.is(warning!.href, '/settings');
    assert.is(warning!.action, 'See the backups');
    assert.is(overview(deps).allDelivered, false);

    // The directory is mended: the next run succeeds and the warning goes.
    rmSync(blocked);
    mkdirSync(blocked);
    clock.advance(DAY);
    assert.ok(runScheduledBackup(deps));
    assert.equal(backupWarnings(), []);

    // Three days on with no backup (the server was off at 02:30, say): said, with what to do.
    clock.advance(3 * DAY);
    assert.equal(backupWarnings(), [
      {
        message: 'No backup has been made for 3 days (the last on 2026-11-29); scheduled backups ("30 2 * * *") run only while the server runs. Run `xero-proxy backup`, and check the log for "backup failed".',
        href: '/settings',
        action: 'See the backups',
      },
    ]);
  } finally {
    await proxy.stop();
  }
});

scheduled.run();

import Database from 'better-sqlite3';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DATABASE_FILE } from '../../src/app';
import { systemClock } from '../../src/lib/clock';
import { revoke, rotateDeviceKey } from '../../src/services/devices';
import { noteDeviceSeen } from '../../src/store/device-seen';
import { getDeviceByDeviceId, revokeDevice } from '../../src/store/devices';
import { groupCommitOf } from '../../src/store/group-commit';
import { asCli } from '../helpers/actor';
import { collectKey, pairAndLink, startWorld, type LinkedWorld } from '../helpers/linked';

const keys = suite<{ world: LinkedWorld; key: string; stopped?: boolean }>('api.device-keys');

keys.before.each(async (context) => {
  context.world = await startWorld('private');
  const { pairingId } = await pairAndLink(context.world, 'TILL-1');
  context.key = await collectKey(context.world, pairingId);
});
keys.after.each(async ({ world, stopped }) => (stopped ? undefined : world.stop()));

const status = (world: LinkedWorld, key: string) => fetch(`${world.proxy.url}/api/v1/status`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.status);
const otherConnection = (world: LinkedWorld, readonly = true) => new Database(join(world.proxy.dataDir, DATABASE_FILE), { readonly, fileMustExist: true });

keys('a key revoked from the pages stops working at the next request, though the device was known a moment before', async ({ world, key }) => {
  assert.equal([await status(world, key), await status(world, key)], [200, 200]);
  revoke(asCli(world.proxy.running.proxy.deps), 'TILL-1');
  assert.is(await status(world, key), 401);
});

keys('a key revoked by another process (the CLI, its own connection) stops working at the next request', async ({ world, key }) => {
  assert.is(await status(world, key), 200);
  const cli = otherConnection(world, false);
  revokeDevice(cli, systemClock, 'TILL-1');
  cli.close();
  assert.is(await status(world, key), 401);
});

keys('a rotated key: the old one is refused at once, the new one works', async ({ world, key }) => {
  assert.is(await status(world, key), 200);
  const issued = rotateDeviceKey(asCli(world.proxy.running.proxy.deps), 'TILL-1');
  assert.equal([await status(world, key), await status(world, issued.apiKey)], [401, 200]);
});

keys('a wrong secret under a known lookup id is refused while the right key is known', async ({ world, key }) => {
  assert.is(await status(world, key), 200);
  const wrong = key.slice(0, -4) + (key.endsWith('AAAA') ? 'BBBB' : 'AAAA');
  assert.equal([await status(world, wrong), await status(world, key)], [401, 200]);
});

keys('when a device was last seen is stored by the commit after its call, and a clean shutdown writes what is pending', async (context) => {
  const { world, key } = context;
  const { db } = world.proxy.running.proxy;
  assert.is(await status(world, key), 200);
  const reader = otherConnection(world);
  const row = () => reader.prepare("SELECT last_seen_at, last_seen_address FROM devices WHERE device_id = 'TILL-1'").get() as { last_seen_at: string | null; last_seen_address: string | null };
  const seen = row();
  assert.ok(seen.last_seen_at !== null, 'committed: another connection sees it');
  assert.is(seen.last_seen_address, '127.0.0.1');
  // Within the minute from the same address: nothing more to write.
  const commits = groupCommitOf(db).stats.commits;
  assert.is(await status(world, key), 200);
  assert.is(groupCommitOf(db).stats.commits, commits, 'no commit for a device seen a moment ago');
  // From another address it is written, and a shutdown does not drop it.
  noteDeviceSeen(db, systemClock, getDeviceByDeviceId(db, 'TILL-1'), '192.0.2.7');
  context.stopped = true;
  await world.stop();
  assert.is(row().last_seen_address, '192.0.2.7');
  reader.close();
});

keys.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { newId, newOrderedId, randomBase32 } from '../../src/lib/ids';

test('ordered ids sort by the time they were made, and keep 80 random bits after it', () => {
  const times = [0, 1, 31, 32, 1_000, Date.UTC(2026, 11, 7), Date.UTC(2026, 11, 7) + 1, Date.UTC(2999, 0, 1)];
  const ids = times.map((time) => newOrderedId('job', time));
  assert.equal([...ids].sort(), ids);
  for (const id of ids) assert.match(id, /^job_[0-9a-hjkmnp-tv-z]{25}$/);
  const sameMoment = Array.from({ length: 1000 }, () => newOrderedId('sub', 1_700_000_000_000));
  assert.is(new Set(sameMoment).size, 1000);
  assert.ok(sameMoment.every((id) => id.startsWith(sameMoment[0]!.slice(0, 13))), 'the same time prefix');
});

test('random ids drawn from the pool do not repeat and use the whole alphabet', () => {
  const ids = Array.from({ length: 5000 }, () => newId('dev'));
  assert.is(new Set(ids).size, ids.length);
  const letters = new Set(Array.from({ length: 2000 }, () => randomBase32(8)).join(''));
  assert.is(letters.size, 32);
  assert.is(randomBase32(5000).length, 5000, 'longer than the pool');
});

test.run();

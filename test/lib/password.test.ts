import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { OneAtATime } from '../../src/lib/one-at-a-time';
import { hashPassword, parseHash, sameSecret, verifyPassword } from '../../src/lib/password';

const password = suite('lib.password');
const CHEAP = { N: 2 ** 14, r: 8, p: 1 };

password('a hash names its cost and salt, differs every time, and verifies only the same password', async () => {
  const first = await hashPassword('correct horse battery', CHEAP);
  const second = await hashPassword('correct horse battery', CHEAP);
  assert.match(first, /^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  assert.is.not(first, second, 'a fresh salt each time');
  assert.ok(await verifyPassword('correct horse battery', first));
  assert.not.ok(await verifyPassword('correct horse batterY', first));
  // Unicode is normalised: the same word typed with a composed or decomposed é matches.
  const cafe = await hashPassword('caf\u00e9 on the harbour', CHEAP);
  assert.ok(await verifyPassword('cafe\u0301 on the harbour', cafe));
});

password('malformed or absurdly expensive hashes never match and never run', async () => {
  const good = await hashPassword('correct horse battery', CHEAP);
  const [, , r, p, salt, key] = good.split('$');
  for (const bad of ['', 'plain', `bcrypt$16384$${r}$${p}$${salt}$${key}`, `scrypt$16385$${r}$${p}$${salt}$${key}`, `scrypt$${2 ** 24}$${r}$${p}$${salt}$${key}`, `scrypt$16384$${r}$${p}$${salt}$${key}AA`]) {
    assert.is(parseHash(bad), undefined, bad);
    assert.not.ok(await verifyPassword('correct horse battery', bad), bad);
  }
});

password('sameSecret compares in constant time and treats different lengths as unequal', () => {
  assert.ok(sameSecret('abc', 'abc'));
  assert.not.ok(sameSecret('abc', 'abd'));
  assert.not.ok(sameSecret('abc', 'abcd'));
  assert.not.ok(sameSecret('', 'a'));
});

password.run();

const oneAtATime = suite('lib.one-at-a-time');

oneAtATime('OneAtATime runs work in order, one piece at a time, even when one fails', async () => {
  const queue = new OneAtATime();
  const log: string[] = [];
  let running = 0;
  const work = (name: string, fail = false) => async () => {
    running++;
    assert.is(running, 1);
    log.push(`start ${name}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
    log.push(`end ${name}`);
    running--;
    if (fail) throw new Error(name);
    return name;
  };
  const results = await Promise.allSettled([queue.run(work('a')), queue.run(work('b', true)), queue.run(work('c'))]);
  assert.equal(log, ['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  assert.equal(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
  assert.is(queue.pending, 0);
});

oneAtATime.run();

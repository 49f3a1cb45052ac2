import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, statSync, symlinkSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LogFile, type LogFileOptions } from '../../src/lib/log-file';

const logFile = suite('lib.log-file');

const tempDir = () => mkdtempSync(join(tmpdir(), 'xp-log-file-'));
/** Lines of different lengths (so sizes do not line up with the limit by luck), each naming its number. */
const lineOf = (n: number) => JSON.stringify({ n, pad: 'x'.repeat((n * 37) % 90) });
const linesIn = (path: string) => readFileSync(path, 'utf8').split('\n').slice(0, -1);

logFile('rotates before a line would pass the limit, keeps exactly keep earlier files, drops the oldest, and never splits or loses a line in between', () => {
  const dir = tempDir();
  const path = join(dir, 'x.log');
  const file = new LogFile(path, { maxBytes: 1000, keep: 3 });
  for (let n = 1; n <= 200; n++) file.write(lineOf(n));
  file.close();

  assert.equal(readdirSync(dir).sort(), ['x.log', 'x.log.1', 'x.log.2', 'x.log.3']);
  const files = [`${path}.3`, `${path}.2`, `${path}.1`, path];
  for (const each of files) {
    const text = readFileSync(each, 'utf8');
    assert.ok(text.length <= 1000, `${each} has ${text.length} bytes`);
    assert.ok(text.endsWith('\n'), `${each} ends with a whole line`);
  }
  // Oldest to newest, the kept files hold one unbroken run of lines ending with the last one written.
  const numbers = files.flatMap((each) => linesIn(each).map((line) => (JSON.parse(line) as { n: number }).n));
  assert.is(numbers.at(-1), 200);
  assert.equal(numbers, Array.from({ length: numbers.length }, (_, i) => 200 - numbers.length + 1 + i));
  // Each rotated file was full: the next line would not have fitted.
  for (const each of [`${path}.3`, `${path}.2`, `${path}.1`]) {
    const after = files[files.indexOf(each) + 1]!;
    assert.ok(statSync(each).size + linesIn(after)[0]!.length + 1 > 1000, `${each} was moved aside only when the next line would not fit`);
  }
});

logFile('a file may reach exactly the limit; the line after it starts the next file', () => {
  const dir = tempDir();
  const path = join(dir, 'x.log');
  const file = new LogFile(path, { maxBytes: 20, keep: 1 });
  for (const line of ['123456789', 'abcdefghi', 'ABCDEFGHI']) file.write(line);
  file.close();
  assert.equal(linesIn(`${path}.1`), ['123456789', 'abcdefghi']);
  assert.is(statSync(`${path}.1`).size, 20);
  assert.equal(linesIn(path), ['ABCDEFGHI']);
});

logFile('a first line longer than the limit goes into the empty file, leaving no empty earlier file', () => {
  const dir = tempDir();
  const path = join(dir, 'x.log');
  const file = new LogFile(path, { maxBytes: 100, keep: 2 });
  file.write('y'.repeat(250));
  file.close();
  assert.equal(readdirSync(dir), ['x.log']);
  assert.equal(linesIn(path), ['y'.repeat(250)]);
});

logFile('a line longer than the limit is written whole, in a file of its own', () => {
  const dir = tempDir();
  const path = join(dir, 'x.log');
  const file = new LogFile(path, { maxBytes: 100, keep: 2 });
  file.write('short');
  file.write('y'.repeat(250));
  file.write('after');
  file.close();
  assert.equal(linesIn(`${path}.2`), ['short']);
  assert.equal(linesIn(`${path}.1`), ['y'.repeat(250)]);
  assert.equal(linesIn(path), ['after']);
});

logFile('earlier files past keep, left by a larger log_keep before, are deleted at the next rotation', () => {
  const dir = tempDir();
  const path = join(dir, 'x.log');
  for (let n = 1; n <= 7; n++) writeFileSync(`${path}.${n}`, `old ${n}\n`);
  writeFileSync(path, 'current\n');
  const file = new LogFile(path, { maxBytes: 10, keep: 2 });
  file.write('next line');
  file.close();
  assert.equal(readdirSync(dir).sort(), ['x.log', 'x.log.1', 'x.log.2']);
  assert.equal(linesIn(`${path}.1`), ['current']);
  assert.equal(linesIn(`${path}.2`), ['old 1']);
  assert.equal(linesIn(path), ['next line']);
});

// Windows has no owner-only modes to check.
(process.platform === 'win32' ? logFile.skip : logFile)('creates its directory 0700 and the file 0600, and tightens a file someone made readable to others', () => {
  const dir = tempDir();
  const path = join(dir, 'logs', 'nested', 'x.log');
  const file = new LogFile(path, { maxBytes: 1000, keep: 1 });
  file.write('one');
  file.close();
  assert.is(statSync(join(dir, 'logs')).mode & 0o777, 0o700);
  assert.is(statSync(join(dir, 'logs', 'nested')).mode & 0o777, 0o700);
  assert.is(statSync(path).mode & 0o777, 0o600);

  const loose = join(dir, 'loose.log');
  writeFileSync(loose, 'before\n', { mode: 0o644 });
  chmodSync(loose, 0o644);
  const again = new LogFile(loose, { maxBytes: 1000, keep: 1 });
  again.write('after');
  again.close();
  assert.is(statSync(loose).mode & 0o777, 0o600);
  assert.equal(linesIn(loose), ['before', 'after']);
});

logFile('a file moved away or deleted (logrotate) is noticed at the next line, which starts a new file', () => {
  const dir = tempDir();
  const path = join(dir, 'x.log');
  const file = new LogFile(path, { maxBytes: 10_000, keep: 1 });
  file.write('first');
  renameSync(path, join(dir, 'moved.log'));
  file.write('second');
  unlinkSync(path);
  file.write('third');
  file.close();
  assert.equal(linesIn(join(dir, 'moved.log')), ['first']);
  assert.equal(linesIn(path), ['third']);
});

logFile('a file moved away with a new one made in its place (logrotate\'s create) is left alone, and the next line goes to the new one', () => {
  const dir = tempDir();
  const path = join(dir, 'x.log');
  const file = new LogFile(path, { maxBytes: 10_000, keep: 1 });
  file.write('before');
  renameSync(path, join(dir, 'x.log-20260102'));
  writeFileSync(path, '', { mode: 0o600 });
  file.write('after');
  file.close();
  assert.equal(linesIn(join(dir, 'x.log-20260102')), ['before']);
  assert.equal(linesIn(path), ['after']);
});

logFile('a file emptied in place (copytruncate) is measured again, so it is not rotated early', () => {
  const dir = tempDir();
  const path = join(dir, 'x.log');
  const file = new LogFile(path, { maxBytes: 100, keep: 1 });
  for (let n = 0; n < 9; n++) file.write('123456789');
  truncateSync(path, 0);
  for (let n = 0; n < 9; n++) file.write('abcdefghi');
  file.close();
  assert.not.ok(existsSync(`${path}.1`));
  assert.is(linesIn(path).length, 9);
});

/** A clock the test moves by hand, and the failures and recoveries the file reported. */
function watched(options: Partial<LogFileOptions> = {}) {
  const seen = { failures: [] as Error[], recoveries: 0, now: 1_000_000 };
  const settings: LogFileOptions = {
    maxBytes: 1000,
    keep: 2,
    retryMs: 60_000,
    now: () => seen.now,
    onFailure: (error) => seen.failures.push(error),
    onRecovery: () => seen.recoveries++,
    ...options,
  };
  return { seen, settings };
}

logFile('a path that cannot be made (a file where its directory should be) is reported once, throws nothing, and is tried again only after retryMs', () => {
  const dir = tempDir();
  const blocker = join(dir, 'blocker');
  writeFileSync(blocker, 'a file, not a directory');
  const path = join(blocker, 'x.log');
  const { seen, settings } = watched();
  const file = new LogFile(path, settings);
  for (let n = 0; n < 5; n++) file.write(`lost ${n}`);
  assert.is(seen.failures.length, 1);
  assert.is((seen.failures[0] as NodeJS.ErrnoException).code, 'ENOTDIR');

  unlinkSync(blocker);
  seen.now += 59_999;
  file.write('still waiting');
  assert.not.ok(existsSync(path), 'no retry before the minute is up');
  seen.now += 1;
  file.write('back');
  file.write('and on');
  file.close();
  assert.equal(linesIn(path), ['back', 'and on']);
  assert.is(seen.failures.length, 1);
  assert.is(seen.recoveries, 1);
});

logFile('a path that is a directory is reported once and nothing is thrown', () => {
  const dir = tempDir();
  const path = join(dir, 'a-directory');
  mkdirSync(path);
  const { seen, settings } = watched();
  const file = new LogFile(path, settings);
  file.write('one');
  file.write('two');
  assert.is(seen.failures.length, 1);
  assert.is((seen.failures[0] as NodeJS.ErrnoException).code, 'EISDIR');
  assert.is(seen.recoveries, 0);
});

// /dev/full answers every write with ENOSPC, as a full disk does; Linux has it.
(existsSync('/dev/full') ? logFile : logFile.skip)('a full disk (ENOSPC) is reported once and nothing is thrown', () => {
  const dir = tempDir();
  // Through a link, so a fault in rotation could only ever move the link, never /dev/full itself.
  const path = join(dir, 'full.log');
  symlinkSync('/dev/full', path);
  const { seen, settings } = watched({ maxBytes: 1 });
  const file = new LogFile(path, settings);
  for (let n = 0; n < 3; n++) file.write(`line ${n}`);
  seen.now += 60_000;
  file.write('retried, and full again');
  assert.is(seen.failures.length, 1);
  assert.is((seen.failures[0] as NodeJS.ErrnoException).code, 'ENOSPC');
  assert.equal(readdirSync(dir), ['full.log']);
});

logFile.run();

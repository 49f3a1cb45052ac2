import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger } from '../../src/lib/logger';
import { Secret } from '../../src/lib/secret';

const logger = suite('lib.logger');

const at = () => new Date('2026-01-02T03:04:05.000Z');

logger('the file gets every line as JSON while standard error gets text, both redacted, at the same level', () => {
  const stderr: string[] = [];
  const file: string[] = [];
  const log = createLogger({ level: 'info', format: 'text', write: (line) => stderr.push(line), file: { write: (line) => file.push(line) }, now: at });
  log.child({ organisation: 'Harbourside Café' }).warn('renewal failed', { refreshToken: 'rt-NEVER-LOGGED', key: new Secret('sk-NEVER-LOGGED') });
  log.debug('below the level');
  assert.equal(stderr, ['03:04:05 WARN  renewal failed  organisation="Harbourside Café" refreshToken="[redacted]" key="[redacted]"']);
  assert.equal(file.map((line) => JSON.parse(line)), [
    { time: '2026-01-02T03:04:05.000Z', level: 'warn', msg: 'renewal failed', organisation: 'Harbourside Café', refreshToken: '[redacted]', key: '[redacted]' },
  ]);
});

logger('with JSON on standard error the file gets the same line', () => {
  const stderr: string[] = [];
  const file: string[] = [];
  const log = createLogger({ level: 'debug', format: 'json', write: (line) => stderr.push(line), file: { write: (line) => file.push(line) }, now: at });
  log.info('proxy listening', { url: 'http://127.0.0.1:8080' });
  assert.equal(file, stderr);
  assert.is(file.length, 1);
});

logger.run();

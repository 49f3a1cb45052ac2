import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AppError } from '../../src/lib/errors';
import { newKeyLine, open, parseKeyring, seal } from '../../src/lib/secret-box';

const box = suite('lib.secret-box');
const keyring = parseKeyring(newKeyLine('k1'), 'test');

box('seals and opens a secret bound to its row', () => {
  const sealed = seal(keyring, 'consumer-secret-1', 'secrets:a');
  assert.match(sealed, /^v1\.k1\./);
  assert.not.match(sealed, 'consumer-secret-1');
  assert.is(open(keyring, sealed, 'secrets:a'), 'consumer-secret-1');
});

box('uses a fresh nonce every time', () => {
  assert.is.not(seal(keyring, 'same', 'row'), seal(keyring, 'same', 'row'));
});

box('a ciphertext moved to another row does not open', () => {
  const sealed = seal(keyring, 'token', 'organisations:org_1');
  try {
    open(keyring, sealed, 'organisations:org_2');
    assert.unreachable();
  } catch (error) {
    assert.instance(error, AppError);
    assert.is((error as AppError).message, 'A stored secret failed its integrity check (wrong key, or the row was altered).');
  }
});

box('a tampered ciphertext does not open', () => {
  const sealed = seal(keyring, 'token', 'row');
  const bytes = Buffer.from(sealed.split('.')[2]!, 'base64url');
  bytes[14] = bytes[14]! ^ 1;
  assert.throws(() => open(keyring, `v1.k1.${bytes.toString('base64url')}`, 'row'), /integrity check/);
});

box('after rotation new secrets use the new key and old ones still open', () => {
  const old = seal(keyring, 'before', 'row');
  const rotated = parseKeyring(`k1 ${keyring.active.key.toString('base64')}\n` + newKeyLine('k2'), 'test');
  assert.is(rotated.active.id, 'k2');
  assert.match(seal(rotated, 'after', 'row'), /^v1\.k2\./);
  assert.is(open(rotated, old, 'row'), 'before');
});

box('a secret sealed with a key that is gone says which key is missing', () => {
  const other = parseKeyring(newKeyLine('k9'), 'test');
  try {
    open(other, seal(keyring, 'x', 'row'), 'row');
    assert.unreachable();
  } catch (error) {
    assert.is((error as AppError).code, 'unavailable');
    assert.is((error as AppError).message, 'A stored secret was sealed with key "k1", which is not in the key file.');
  }
});

box('a key file with a short key is rejected with its line', () => {
  assert.throws(() => parseKeyring('# comment\nk1 c2hvcnQ=\n', 'master.key'), (error: AppError) => error.message === 'master.key, line 2: expected "<id> <32-byte base64 key>".');
});

box.run();

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { base32Decode, base32Encode, matchTotp, otpauthUri, totpCode, totpStep } from '../../src/lib/totp';

const totp = suite('lib.totp');

// RFC 6238 Appendix B: the seeds are the ASCII digits "1234567890" repeated to the hash's key length.
const SEED = {
  sha1: Buffer.from('12345678901234567890'),
  sha256: Buffer.from('12345678901234567890123456789012'),
  sha512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234'),
};
const VECTORS: ReadonlyArray<readonly [number, string, string, string]> = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

totp("gives RFC 6238's test vectors for SHA-1, SHA-256 and SHA-512 at every time of Appendix B", () => {
  for (const [seconds, sha1, sha256, sha512] of VECTORS) {
    const step = totpStep(new Date(seconds * 1000));
    assert.is(totpCode(SEED.sha1, step, { digits: 8 }), sha1, `SHA-1 at ${seconds}`);
    assert.is(totpCode(SEED.sha256, step, { digits: 8, algorithm: 'sha256' }), sha256, `SHA-256 at ${seconds}`);
    assert.is(totpCode(SEED.sha512, step, { digits: 8, algorithm: 'sha512' }), sha512, `SHA-512 at ${seconds}`);
  }
});

totp('six digits are the last six of the eight (RFC 4226 truncation modulo 10^6)', () => {
  assert.is(totpCode(SEED.sha1, totpStep(new Date(59_000))), '287082');
  assert.is(totpCode(SEED.sha1, totpStep(new Date(1111111109_000))), '081804');
});

totp('base32 follows RFC 4648 §10 and reads what it writes, in any case and with spaces', () => {
  const vectors = [['', ''], ['f', 'MY'], ['fo', 'MZXQ'], ['foo', 'MZXW6'], ['foob', 'MZXW6YQ'], ['fooba', 'MZXW6YTB'], ['foobar', 'MZXW6YTBOI']];
  for (const [plain, encoded] of vectors) {
    assert.is(base32Encode(Buffer.from(plain!)), encoded);
    assert.is(base32Decode(encoded!)!.toString(), plain);
  }
  assert.is(base32Decode('mzxw 6ytb oi======')!.toString(), 'foobar');
  assert.is(base32Decode('MZXW1'), undefined, '1 is not in the alphabet');
  const secret = Buffer.from('0123456789abcdefghij');
  assert.equal(base32Decode(base32Encode(secret)), secret);
});

totp('a code is accepted for the step of now and one either side, and not twice', () => {
  const at = new Date(1111111109_000);
  const now = totpStep(at);
  const code = (step: number) => totpCode(SEED.sha1, step);
  assert.equal(matchTotp(SEED.sha1, code(now), at, null), { kind: 'ok', step: now });
  assert.equal(matchTotp(SEED.sha1, code(now - 1), at, null), { kind: 'ok', step: now - 1 });
  assert.equal(matchTotp(SEED.sha1, ` ${code(now + 1).slice(0, 3)} ${code(now + 1).slice(3)} `, at, null), { kind: 'ok', step: now + 1 });
  assert.equal(matchTotp(SEED.sha1, code(now - 2), at, null), { kind: 'wrong' });
  assert.equal(matchTotp(SEED.sha1, code(now + 2), at, null), { kind: 'wrong' });
  assert.equal(matchTotp(SEED.sha1, code(now), at, now), { kind: 'reused' }, 'the step already used');
  assert.equal(matchTotp(SEED.sha1, code(now - 1), at, now), { kind: 'reused' }, 'an earlier step after a later one was used');
  assert.equal(matchTotp(SEED.sha1, code(now + 1), at, now), { kind: 'ok', step: now + 1 });
  for (const typed of ['', '12345', '1234567', 'abcdef', '１２３４５６']) assert.equal(matchTotp(SEED.sha1, typed, at, null), { kind: 'wrong' }, typed);
});

totp('the otpauth URI names the issuer and account and spells out the defaults', () => {
  assert.is(
    otpauthUri({ issuer: 'Xero Comms Proxy', account: 'front.desk', secret: 'JBSWY3DPEHPK3PXP' }),
    'otpauth://totp/Xero%20Comms%20Proxy:front.desk?secret=JBSWY3DPEHPK3PXP&issuer=Xero%20Comms%20Proxy&algorithm=SHA1&digits=6&period=30',
  );
});

totp.run();

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CALL_MARGIN_MS, callMarginMs, SWEEP_MARGIN_MS, sweepMarginMs } from '../../src/domain/xero/renewal-margin';

const margin = suite('domain.renewal-margin');
const ISSUED = '2026-03-01T09:00:00.000Z';
const lifeOf = (seconds: number) => ({ issuedAt: ISSUED, expiresAt: new Date(Date.parse(ISSUED) + seconds * 1000).toISOString() });

// [the life the token was given, in seconds; a call's margin; the sweep's margin] in milliseconds.
const TABLE: Array<[number, number, number]> = [
  [20, 5_000, 10_000],
  [60, 15_000, 30_000],
  [10 * 60, 150_000, 300_000],
  [20 * 60, 300_000, 600_000],
  [30 * 60, 300_000, 600_000], // Xero's access tokens, OAuth 2.0 and OAuth 1.0a partner alike
  [2 * 3600, 300_000, 600_000],
];

for (const [seconds, call, sweep] of TABLE) {
  margin(`a token given ${seconds} s is renewed by a call ${call / 1000} s and by the sweep ${sweep / 1000} s before its end`, () => {
    assert.is(callMarginMs(lifeOf(seconds)), call);
    assert.is(sweepMarginMs(lifeOf(seconds)), sweep);
  });
}

margin('the sweep renews no later than a call would, whatever the life', () => {
  for (const seconds of [1, 7, 20, 59, 600, 1799, 1800, 86_400]) assert.ok(sweepMarginMs(lifeOf(seconds)) >= callMarginMs(lifeOf(seconds)), `${seconds} s`);
});

margin('a life that cannot be known keeps the full margins', () => {
  const unknown = [
    { issuedAt: null, expiresAt: '2026-03-01T09:00:20.000Z' },
    { issuedAt: ISSUED, expiresAt: null },
    { issuedAt: ISSUED, expiresAt: ISSUED },
    { issuedAt: '2026-03-01T10:00:00.000Z', expiresAt: ISSUED },
    { issuedAt: 'not a time', expiresAt: ISSUED },
  ];
  for (const life of unknown) {
    assert.is(callMarginMs(life), CALL_MARGIN_MS, JSON.stringify(life));
    assert.is(sweepMarginMs(life), SWEEP_MARGIN_MS, JSON.stringify(life));
  }
});

margin.run();

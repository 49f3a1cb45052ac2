import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../src/lib/clock';
import { DEFAULT_RETRY, retryDelayMs } from '../../src/queue/backoff';
import { RateLimiter } from '../../src/sandbox/limits';
import { PacedOut, Pacer, SPACING_MARGIN } from '../../src/services/pacer';

const pacer = suite('services.pacer');

/** Starts a call whenever the pacer allows one, for `seconds` of clock time in `stepMs` steps; returns the start times. */
function callsOver(p: Pacer, clock: ManualClock, organisation: string, seconds: number, stepMs = 10): number[] {
  const starts: number[] = [];
  const end = clock.now().getTime() + seconds * 1000;
  while (clock.now().getTime() < end) {
    if (p.check(organisation).ok) {
      starts.push(clock.now().getTime());
      p.begin(organisation)();
    }
    clock.advance(stepMs);
  }
  return starts;
}

pacer('calls are spread evenly: 60 a minute means one a second, so no fixed minute window, wherever it starts, sees more than 60', () => {
  const clock = new ManualClock('2026-11-28T10:00:00.005Z');
  const p = new Pacer(clock, { perMinute: 60, perDay: 100_000, concurrency: 5 });
  const starts = callsOver(p, clock, 'org', 600);
  assert.ok(starts.length >= 594 && starts.length <= 600, `ten minutes hold 600 calls, less the spacing margin: ${starts.length}`);
  for (let i = 1; i < starts.length; i++) assert.ok(starts[i]! - starts[i - 1]! >= 1000 * (1 + SPACING_MARGIN), 'never two within a second and its margin');
  for (let offset = 0; offset < 60_000; offset += 7_000) {
    const windows = new Map<number, number>();
    for (const at of starts) windows.set(Math.floor((at - offset) / 60_000), (windows.get(Math.floor((at - offset) / 60_000)) ?? 0) + 1);
    assert.ok(Math.max(...windows.values()) <= 60);
  }
});

pacer('a scaled minute (minuteMs) spreads the same 60 calls over it, so a sandbox scaled alike never sees more than 60 in its window', () => {
  const clock = new ManualClock('2026-11-28T10:00:00.005Z');
  const p = new Pacer(clock, { perMinute: 60, perDay: 100_000, concurrency: 5 }, { minuteMs: 3_000 });
  const starts = callsOver(p, clock, 'org', 30, 1);
  assert.ok(starts.length >= 588 && starts.length <= 600, `ten scaled minutes hold 600 calls, one every 50 ms and its margin: ${starts.length}`);
  for (let i = 1; i < starts.length; i++) assert.ok(starts[i]! - starts[i - 1]! >= 50 * (1 + SPACING_MARGIN), 'never two within a sixtieth of the scaled minute and its margin');
  for (let offset = 0; offset < 3_000; offset += 170) {
    const windows = new Map<number, number>();
    for (const at of starts) windows.set(Math.floor((at - offset) / 3_000), (windows.get(Math.floor((at - offset) / 3_000)) ?? 0) + 1);
    assert.ok(Math.max(...windows.values()) <= 60);
  }
  assert.throws(() => new Pacer(clock, { perMinute: 60, perDay: 1, concurrency: 1 }, { minuteMs: 0 }), /at least 1/);
});

pacer("the pacer and the sandbox's fixed minute windows agree: calls that arrive up to 15 ms late, by varying amounts, never meet the sandbox's limit", () => {
  // Xero counts a call when it arrives; the pacer when it begins. At a 2 s scaled minute a sixtieth
  // is 33 ms, so exact spacing would let a late call and an early one share a window as its 61st.
  const clock = new ManualClock('2026-11-28T10:00:00.000Z');
  const p = new Pacer(clock, { perMinute: 60, perDay: 100_000, concurrency: 5 }, { minuteMs: 2_000 });
  let seed = 7;
  const jitter = () => ((seed = (seed * 48_271) % 2_147_483_647) % 16);
  const arrivals: number[] = [];
  const end = clock.now().getTime() + 40_000;
  while (clock.now().getTime() < end) {
    if (p.check('org').ok) {
      p.begin('org')();
      arrivals.push(clock.now().getTime() + jitter());
    }
    clock.advance(1);
  }
  const sandboxClock = new ManualClock('2026-11-28T10:00:00.000Z');
  const limiter = new RateLimiter(sandboxClock, { perMinute: 60, perDay: 100_000, concurrency: 5 }, { minuteMs: 2_000 });
  const refused = arrivals
    .sort((a, b) => a - b)
    .filter((at) => {
      sandboxClock.set(new Date(at));
      const admission = limiter.admit('org');
      if (admission.ok) admission.release();
      return !admission.ok;
    });
  assert.ok(arrivals.length >= 1_170, `twenty scaled minutes hold nearly 1,200 calls (less the margin, in whole milliseconds): ${arrivals.length}`);
  assert.equal(refused, [], 'no call met the limit');
});

pacer('a call is dated from when it was allowed, so the time the loop spends claiming its work is not added to every gap', () => {
  const clock = new ManualClock('2026-11-28T10:00:00.000Z');
  const p = new Pacer(clock, { perMinute: 60, perDay: 100_000, concurrency: 5 }, { minuteMs: 2_000 });
  const gap = Math.ceil((2_000 / 60) * (1 + SPACING_MARGIN));
  const allowedAt = clock.now();
  assert.ok(p.check('org').ok);
  clock.advance(3); // the claim's commit
  p.begin('org', allowedAt)();
  clock.set(allowedAt.getTime() + gap - 1);
  assert.not.ok(p.check('org').ok, 'not before a gap has passed since it was allowed');
  clock.set(allowedAt.getTime() + gap);
  assert.ok(p.check('org').ok, 'a gap after it was allowed, not a gap after it began');
  // A date in the future is no licence: the call counts from now.
  p.begin('org', new Date(clock.now().getTime() + 10_000))();
  clock.advance(gap - 1);
  assert.not.ok(p.check('org').ok);
});

pacer('a quiet spell earns no burst', () => {
  const clock = new ManualClock('2026-11-28T10:00:00Z');
  const p = new Pacer(clock, { perMinute: 60, perDay: 1000, concurrency: 5 });
  clock.advance(3_600_000);
  assert.is(callsOver(p, clock, 'org', 2.5).length, 3);
});

pacer('the daily budget ends the day\'s calls with a sentence naming the limit and the UTC midnight when sending resumes, then turns over', () => {
  const clock = new ManualClock('2026-11-28T23:58:00Z');
  const p = new Pacer(clock, { perMinute: 600, perDay: 3, concurrency: 5 });
  assert.is(callsOver(p, clock, 'org', 60).length, 3);
  const verdict = p.check('org');
  assert.equal(verdict, { ok: false, until: new Date('2026-11-29T00:00:00Z'), why: 'day', message: "Xero's daily limit of 3 calls for this organisation is used up; sending resumes at 2026-11-29T00:00:00Z." });
  assert.ok(p.check('other').ok, 'each organisation has its own budget');
  clock.set('2026-11-29T00:00:00Z');
  assert.ok(p.check('org').ok);
});

pacer("Xero's remaining daily count raises the pacer's own after a restart, never lowers it", () => {
  const clock = new ManualClock('2026-11-28T10:00:00Z');
  const p = new Pacer(clock, { perMinute: 600, perDay: 1000, concurrency: 5 });
  p.observe('org', { 'x-daylimit-remaining': '0' });
  assert.is(p.check('org').ok, false);
  const q = new Pacer(clock, { perMinute: 600, perDay: 1000, concurrency: 5 });
  q.observe('org', { 'X-DayLimit-Remaining': '5000' });
  assert.ok(q.check('org').ok, 'a larger allowance at Xero than configured is ignored');
});

pacer("Xero's app-wide minute (X-AppMinLimit-Remaining: 0) holds every organisation for at most a minute; an organisation's own count does not", () => {
  const clock = new ManualClock('2026-11-28T10:00:00Z');
  const p = new Pacer(clock, { perMinute: 6000, perDay: 1000, concurrency: 5 });
  p.observe('org', { 'X-MinLimit-Remaining': '0', 'X-AppMinLimit-Remaining': '9000' });
  assert.ok(p.check('org').ok, "the organisation's own minute is paced already; a 429 would say how long to wait");
  p.observe('other', { 'X-AppMinLimit-Remaining': '0' });
  const held = p.check('third');
  assert.ok(!held.ok && held.message.includes('across all organisations'));
  clock.advance(60_000);
  assert.ok(p.check('org').ok && p.check('third').ok, 'a minute later all may call again');
});

pacer('a pause holds one organisation until its time; the concurrency limit holds calls in flight', () => {
  const clock = new ManualClock('2026-11-28T10:00:00Z');
  const p = new Pacer(clock, { perMinute: 6000, perDay: 1000, concurrency: 2 });
  p.pause('org', new Date('2026-11-28T10:00:30Z'), "Xero's per-minute rate limit was exceeded; try again in 30 seconds.", false);
  assert.equal(p.check('org'), { ok: false, until: new Date('2026-11-28T10:00:30Z'), why: 'paused', message: "Xero's per-minute rate limit was exceeded; try again in 30 seconds." });
  assert.ok(p.check('other').ok);
  clock.advance(30_000);
  const first = p.begin('org');
  clock.advance(100);
  p.begin('org');
  clock.advance(100);
  assert.is((p.check('org') as { why: string }).why, 'concurrency');
  first();
  first();
  assert.ok(p.check('org').ok, 'ending a call twice frees one slot only');
});

pacer('retry delays are full jitter: anywhere from zero to the doubling ceiling, capped at 30 minutes', () => {
  assert.is(retryDelayMs(DEFAULT_RETRY, 1, () => 0.999_999), 1_999);
  assert.is(retryDelayMs(DEFAULT_RETRY, 4, () => 0.5), 8_000);
  assert.is(retryDelayMs(DEFAULT_RETRY, 50, () => 0.999_999), 1_799_998);
  assert.is(retryDelayMs(DEFAULT_RETRY, 3, () => 0), 0);
  let expected = 0;
  for (let attempt = 1; attempt < DEFAULT_RETRY.maxAttempts; attempt++) expected += retryDelayMs(DEFAULT_RETRY, attempt, () => 0.5);
  assert.ok(expected > 20 * 3_600_000 && expected < 26 * 3_600_000, `the retries span about a day (${(expected / 3_600_000).toFixed(1)} h)`);
});

pacer("acquire waits for the organisation's next turn when it comes within the wait, and refuses at once when it does not", async () => {
  // The pacer's clock stands still, so only moving it can release the wait: a slow machine
  // changes how often acquire looks, never what it sees.
  const clock = new ManualClock('2026-11-28T10:00:00Z');
  const p = new Pacer(clock, { perMinute: 600, perDay: 1000, concurrency: 5 });
  p.begin('org')();
  let released = false;
  const waiting = p.acquire('org', { waitMs: 60_000 }).then((end) => {
    released = true;
    return end;
  });
  const looks = () => new Promise((resolve) => setTimeout(resolve, 150));
  await looks();
  assert.is(released, false, 'no turn while the clock stands still');
  clock.advance(100);
  await looks();
  assert.is(released, false, 'one turn every 100 ms and its margin (101 ms): not at 100 ms');
  clock.advance(1);
  (await waiting)();
  assert.ok(released, 'released once the clock reaches the next turn');
  const error = await p.acquire('org', { waitMs: 20 }).catch((e: unknown) => e);
  assert.instance(error, PacedOut);
  assert.equal([(error as PacedOut).code, (error as PacedOut).retryAfterSeconds], ['rate_limited', 1]);
  assert.is((error as PacedOut).message, 'Calls to Xero for this organisation are spread to 600 a minute, and other calls are ahead of this one; try again in 1 second.');
});

pacer('acquire refuses a paused or spent organisation at once, saying when to come back', async () => {
  const clock = new ManualClock('2026-11-28T23:59:00Z');
  const p = new Pacer(clock, { perMinute: 60, perDay: 1, concurrency: 5 });
  p.pause('org', new Date('2026-11-28T23:59:30Z'), "Xero's per-minute rate limit was exceeded; try again in 30 seconds.", false);
  const paused = (await p.acquire('org', { waitMs: 5_000 }).catch((e: unknown) => e)) as PacedOut;
  assert.equal([paused.retryAfterSeconds, paused.message], [30, 'Xero asked for a pause in calls for this organisation; try again in 30 seconds.']);
  clock.advance(30_000);
  (await p.acquire('org', { waitMs: 5_000 }))();
  clock.advance(1_000);
  const spent = (await p.acquire('org', { waitMs: 5_000 }).catch((e: unknown) => e)) as PacedOut;
  assert.equal([spent.retryAfterSeconds, spent.message], [29, "Xero's daily limit of 1 calls for this organisation is used up; sending resumes at 2026-11-29T00:00:00Z."]);
});

pacer('acquire waits for a call in flight to end when the organisation has no concurrency left', async () => {
  const clock = new ManualClock('2026-11-28T10:00:00Z');
  const p = new Pacer(clock, { perMinute: 6000, perDay: 1000, concurrency: 1 });
  const first = await p.acquire('org', { waitMs: 1_000 });
  clock.advance(1_000);
  setTimeout(first, 50);
  (await p.acquire('org', { waitMs: 2_000 }))();
  const end = p.begin('org');
  const error = (await p.acquire('org', { waitMs: 30 }).catch((e: unknown) => e)) as PacedOut;
  assert.is(error.message, 'Xero takes 1 calls at a time for this organisation, and other calls are ahead of this one; try again in 1 second.');
  end();
});

pacer.run();

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../src/lib/clock';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { expectProblem } from '../helpers/oauth1-assert';
import { registerApp, signRequest, type TestApp } from '../helpers/oauth1-client';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox';

const [CAFE, PRACTICE] = DEMO_ORGANISATIONS as [(typeof DEMO_ORGANISATIONS)[0], (typeof DEMO_ORGANISATIONS)[0]];

/** A signed call to the Accounting API, JSON in and out. */
async function call(sb: TestSandbox, app: TestApp, method: string, path: string, body?: unknown): Promise<Response> {
  const url = `${sb.url}/api.xro/2.0/${path}`;
  // Sign with the sandbox's clock, which these tests move forward by hours.
  const clock = (await (await fetch(`${sb.url}/sandbox/clock`)).json()) as { now: string };
  const signed = signRequest({ method, url, credentials: app.credentials, now: () => new Date(clock.now) });
  return fetch(url, {
    method,
    headers: { Authorization: signed.authorization, Accept: 'application/json', ...(body ? { 'Content-Type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
}

const invoice = (reference: string) => ({
  Invoices: [{ Type: 'ACCREC', Contact: { Name: 'Walk-in Customer' }, Reference: reference, Status: 'AUTHORISED', LineItems: [{ Description: 'Flat white', Quantity: 2, UnitAmount: 4.5, AccountCode: '200', TaxType: 'OUTPUT' }] }],
});

async function control(sb: TestSandbox, method: string, path: string, body: unknown): Promise<Response> {
  return fetch(`${sb.url}/sandbox/${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

async function ledgerReferences(sb: TestSandbox): Promise<string[]> {
  const body = (await (await fetch(`${sb.url}/sandbox/ledger?type=Invoice`)).json()) as { documents: Array<{ reference: string | null }> };
  return body.documents.map((d) => d.reference ?? '');
}

const limits = suite('sandbox.rate-limits');

limits('the minute limit answers 503 rate limit exceeded for that organisation only, until the minute turns', async () => {
  const sb = await startTestSandbox();
  try {
    await control(sb, 'PUT', 'limits', { perMinute: 3 });
    const cafe = await registerApp(sb.url, 'private', { organisationId: CAFE.id });
    const practice = await registerApp(sb.url, 'private', { organisationId: PRACTICE.id });
    // Start at the beginning of a sandbox minute so the window cannot turn mid-test.
    const clock = (await (await fetch(`${sb.url}/sandbox/clock`)).json()) as { now: string };
    await control(sb, 'POST', 'clock', { advanceSeconds: 60 - new Date(clock.now).getUTCSeconds() });
    for (let i = 0; i < 3; i++) {
      const ok = await call(sb, cafe, 'GET', 'Organisation');
      assert.is(ok.status, 200);
      assert.is(ok.headers.get('x-minlimit-remaining'), String(2 - i));
    }
    const limited = await call(sb, cafe, 'GET', 'Organisation');
    assert.is(limited.headers.get('x-rate-limit-problem'), 'Minute');
    assert.ok(Number(limited.headers.get('retry-after')) >= 1 && Number(limited.headers.get('retry-after')) <= 60);
    await expectProblem(limited, 503, 'rate limit exceeded', 'please wait before retrying the xero api');
    assert.is((await call(sb, practice, 'GET', 'Organisation')).status, 200, 'another organisation is not limited');
    await control(sb, 'POST', 'clock', { advanceSeconds: 60 });
    assert.is((await call(sb, cafe, 'GET', 'Organisation')).status, 200);
  } finally {
    await sb.stop();
  }
});

limits('the daily limit says Daily and holds until the day turns; 429 when configured', async () => {
  const sb = await startTestSandbox({ settings: { rateLimitStatus: 429 } });
  try {
    await control(sb, 'PUT', 'limits', { perDay: 2 });
    const app = await registerApp(sb.url, 'private');
    const clock = (await (await fetch(`${sb.url}/sandbox/clock`)).json()) as { now: string };
    const now = new Date(clock.now);
    // Move to 01:00 of the next sandbox day so both calls fall in one day.
    const nextDay = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1, 1);
    await control(sb, 'POST', 'clock', { advanceSeconds: Math.ceil((nextDay - now.getTime()) / 1000) });
    assert.is((await call(sb, app, 'GET', 'Organisation')).status, 200);
    assert.is((await call(sb, app, 'GET', 'Organisation')).status, 200);
    const limited = await call(sb, app, 'GET', 'Organisation');
    assert.is(limited.headers.get('x-rate-limit-problem'), 'Daily');
    const retryAfter = Number(limited.headers.get('retry-after'));
    assert.ok(retryAfter > 22 * 3600 && retryAfter <= 23 * 3600, `retry after ${retryAfter}`);
    await expectProblem(limited, 429, 'rate limit exceeded');
    await control(sb, 'POST', 'clock', { advanceSeconds: retryAfter });
    assert.is((await call(sb, app, 'GET', 'Organisation')).status, 200);
  } finally {
    await sb.stop();
  }
});

limits('more than the concurrent limit in flight is refused', async () => {
  const sb = await startTestSandbox();
  try {
    await control(sb, 'PUT', 'limits', { concurrency: 2 });
    await control(sb, 'PUT', 'faults', { latencyMs: 300 });
    const app = await registerApp(sb.url, 'private');
    const statuses = (await Promise.all([1, 2, 3].map(() => call(sb, app, 'GET', 'Organisation')))).map((r) => r.status).sort();
    // The latency is served while holding a slot, so the third call finds both slots taken.
    assert.equal(statuses, [200, 200, 503]);
  } finally {
    await sb.stop();
  }
});

limits('a scaled minute (minuteMs) turns its window in that time, and Retry-After stays at least a second', async () => {
  // The base clock stands still, so the 2-second window cannot turn between calls on a slow machine.
  const sb = await startTestSandbox({ clock: new ManualClock('2026-11-28T10:00:00Z'), settings: { minuteMs: 2_000, limits: { perMinute: 2, perDay: 5000, concurrency: 5 } } });
  try {
    const app = await registerApp(sb.url, 'private', { organisationId: CAFE.id });
    assert.is((await call(sb, app, 'GET', 'Organisation')).status, 200);
    await control(sb, 'POST', 'clock', { advanceSeconds: 1.5 });
    assert.is((await call(sb, app, 'GET', 'Organisation')).status, 200);
    const limited = await call(sb, app, 'GET', 'Organisation');
    assert.is(limited.headers.get('x-rate-limit-problem'), 'Minute');
    assert.is(limited.headers.get('retry-after'), '1', 'half a second of the scaled minute is left, rounded up to one');
    await expectProblem(limited, 503, 'rate limit exceeded');
    await control(sb, 'POST', 'clock', { advanceSeconds: 0.5 });
    assert.is((await call(sb, app, 'GET', 'Organisation')).status, 200, 'the scaled minute has turned');
  } finally {
    await sb.stop();
  }
});

const faults = suite('sandbox.faults');

faults('an offline organisation answers 503 organisation offline; others work', async () => {
  const sb = await startTestSandbox();
  try {
    await control(sb, 'PUT', 'faults', { offlineOrganisations: [CAFE.id] });
    const cafe = await registerApp(sb.url, 'private', { organisationId: CAFE.id });
    const practice = await registerApp(sb.url, 'private', { organisationId: PRACTICE.id });
    await expectProblem(await call(sb, cafe, 'GET', 'Organisation'), 503, 'organisation offline');
    assert.is((await call(sb, practice, 'GET', 'Organisation')).status, 200);
  } finally {
    await sb.stop();
  }
});

faults('injected errors fail a call before anything is written', async () => {
  let roll = 0.1;
  const sb = await startTestSandbox({ random: () => roll });
  try {
    await control(sb, 'PUT', 'faults', { errorRates: { '503': 0.2 }, writesOnly: true });
    const app = await registerApp(sb.url, 'private');
    assert.is((await call(sb, app, 'GET', 'Organisation')).status, 200, 'reads are spared with writesOnly');
    const failed = await call(sb, app, 'PUT', 'Invoices', invoice('FAULT-1'));
    assert.is(failed.status, 503);
    assert.is(await failed.text(), 'The Xero API is temporarily unavailable. Please try again later.');
    roll = 0.5;
    assert.is((await call(sb, app, 'PUT', 'Invoices', invoice('FAULT-2'))).status, 200);
    assert.equal(await ledgerReferences(sb), ['FAULT-2']);
  } finally {
    await sb.stop();
  }
});

faults('a dropped connection after commit leaves the client without an answer but the invoice exists', async () => {
  const sb = await startTestSandbox();
  try {
    await control(sb, 'PUT', 'faults', { dropAfterCommitRate: 1 });
    const app = await registerApp(sb.url, 'private');
    const outcome = await call(sb, app, 'PUT', 'Invoices', invoice('DROP-1')).then(
      (response) => `answered ${response.status}`,
      (error: Error) => `dropped: ${(error.cause as Error | undefined)?.message ?? error.message}`,
    );
    assert.match(outcome, /^dropped/);
    assert.equal(await ledgerReferences(sb), ['DROP-1']);
    assert.is((await call(sb, app, 'GET', 'Organisation')).status, 200, 'reads commit nothing and are never dropped');
  } finally {
    await sb.stop();
  }
});

faults('a 500 after commit: the client sees an error although the invoice exists', async () => {
  const sb = await startTestSandbox();
  try {
    await control(sb, 'PUT', 'faults', { errorAfterCommitRate: 1 });
    const app = await registerApp(sb.url, 'private');
    const response = await call(sb, app, 'PUT', 'Invoices', invoice('LATE-500'));
    assert.is(response.status, 500);
    assert.match(await response.text(), 'An unhandled error with the Xero API occurred');
    assert.equal(await ledgerReferences(sb), ['LATE-500']);
  } finally {
    await sb.stop();
  }
});

faults('latency delays every API call; the request log records calls and write bodies', async () => {
  const sb = await startTestSandbox();
  try {
    await control(sb, 'PUT', 'faults', { latencyMs: 250 });
    const app = await registerApp(sb.url, 'private');
    const slow = await call(sb, app, 'PUT', 'Invoices', invoice('SLOW-1'));
    assert.is(slow.status, 200);
    assert.is(slow.headers.get('x-sandbox-latency-ms'), '250', 'the answer says the delay it was held for');
    const log = (await (await fetch(`${sb.url}/sandbox/requests?limit=1`)).json()) as { requests: Array<{ method: string; path: string; status: number; organisationId: string; requestBody: string }> };
    const entry = log.requests[0]!;
    assert.equal([entry.method, entry.path, entry.status, entry.organisationId], ['PUT', '/api.xro/2.0/Invoices', 200, CAFE.id]);
    assert.match(entry.requestBody, 'SLOW-1');
    await control(sb, 'PUT', 'faults', { latencyMs: 100, latencyJitterMs: 50 });
    const jittered = Number((await call(sb, app, 'GET', 'Organisation')).headers.get('x-sandbox-latency-ms'));
    assert.ok(jittered >= 100 && jittered < 150, `the jitter adds up to 50 ms (${jittered})`);
    await control(sb, 'DELETE', 'faults', undefined);
    assert.is((await call(sb, app, 'GET', 'Organisation')).headers.get('x-sandbox-latency-ms'), null, 'no latency, no header');
  } finally {
    await sb.stop();
  }
});

limits.run();
faults.run();

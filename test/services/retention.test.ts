import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DATABASE_FILE } from '../../src/app';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { eraseOldContent } from '../../src/services/retention';
import { countCachedContacts, saveCachedContact } from '../../src/store/contact-cache';
import { runUntilSettled } from '../helpers/delivery';
import { collectKey, pairAndLink, startWorld } from '../helpers/linked';
import { Browser, givenAdminPassword } from '../helpers/web';

const retention = suite('services.eraseOldContent');
const DAY = 86_400;
// What only this document holds, to look for in the database's bytes.
const PATIENT = 'Ms Retention Patient-5Q7Z';
const VISIT = 'Consultation for retention test 8841';

const visit = (description = VISIT) => ({
  Invoices: [
    {
      DocumentId: 'visit-8841',
      Type: 'ACCREC',
      Contact: { Name: PATIENT },
      Date: '2026-11-28',
      LineAmountTypes: 'Inclusive',
      Reference: 'Visit 8841',
      Status: 'AUTHORISED',
      LineItems: [{ Description: description, Quantity: 1, UnitAmount: 88, AccountCode: '200', TaxType: 'OUTPUT' }],
    },
  ],
});

retention('after storage.retention_days the content of a delivered document is gone, a resend of its DocumentId is still a duplicate, and the console says what was erased', async () => {
  const world = await startWorld('private', { organisationId: DEMO_ORGANISATIONS[0]!.id, publicUrlIsSelf: true, proxy: { delivery: { manual: true } } });
  try {
    const deps = world.proxy.running.proxy.deps;
    const key = await collectKey(world, (await pairAndLink(world, 'TILL-1')).pairingId);
    const post = (body: unknown, idempotencyKey: string) =>
      fetch(`${world.proxy.url}/api/v1/invoices`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': idempotencyKey }, body: JSON.stringify(body) });
    const first = await post(visit(), 'first-send');
    assert.is(first.status, 202);
    const [job] = ((await first.json()) as { jobs: Array<{ id: string }> }).jobs;
    await runUntilSettled({ loop: world.proxy.running.delivery!, deps, clock: world.clock, advance: world.advance });
    const row = () => deps.db.prepare('SELECT status, payload, result, source, xero_id, xero_number, content_hash, document_key, delivered_at, content_erased_at FROM jobs WHERE id = ?').get(job!.id) as Record<string, string | null>;
    const delivered = row();
    assert.is(delivered.status, 'delivered');
    assert.match(delivered.payload!, PATIENT);

    await world.advance(29 * DAY);
    assert.equal(eraseOldContent(deps), { jobs: 0, submissions: 0 }, 'kept for 30 days');
    await world.advance(2 * DAY);
    assert.equal(eraseOldContent(deps), { jobs: 1, submissions: 1 });
    const erased = row();
    assert.equal(
      { ...erased, content_erased_at: typeof erased.content_erased_at },
      { ...delivered, payload: '{"Type":"ACCREC"}', result: null, source: null, content_erased_at: 'string' },
      'only the content went: the key, Xero id and number, content hash and times stay',
    );
    assert.is(deps.db.prepare('SELECT request_body FROM submissions s JOIN jobs j ON j.submission_id = s.id WHERE j.id = ?').pluck().get(job!.id), null);
    const file = join(world.proxy.dataDir, DATABASE_FILE);
    for (const bytes of [readFileSync(file), readFileSync(`${file}-wal`)]) {
      for (const text of [PATIENT, VISIT]) assert.not.ok(bytes.includes(Buffer.from(text)), `"${text}" is still in the database's bytes`);
    }

    // The till sends it again, as if it never got the answer: recognised by its DocumentId and content hash.
    const again = await post(visit(), 'second-send');
    assert.is(again.status, 202);
    assert.equal(((await again.json()) as { jobs: unknown[] }).jobs, [{ id: job!.id, kind: 'invoice', documentKey: delivered.document_key, status: 'delivered', duplicateOf: job!.id }]);
    const changed = await post(visit('Something else'), 'third-send');
    assert.is(changed.status, 409);
    assert.is(((await changed.json()) as { error: { code: string } }).error.code, 'document_changed');
    assert.is(deps.db.prepare('SELECT COUNT(*) FROM jobs').pluck().get(), 1, 'nothing new queued');

    await givenAdminPassword(deps);
    const browser = new Browser(world.proxy.url);
    assert.is((await browser.signIn()).status, 303);
    const page = await browser.get(`/documents/${job!.id}`);
    assert.is(page.status, 200);
    assert.match(page.text, 'Content erased after 30 days, on ');
    assert.match(page.text, delivered.content_hash!);
    assert.match(page.text, delivered.xero_number!);
    assert.not.match(page.text, PATIENT);
  } finally {
    await world.stop();
  }
});

retention('storage.retention_days = 0 keeps content for ever', async () => {
  const world = await startWorld('private', { organisationId: DEMO_ORGANISATIONS[0]!.id, env: { XERO_PROXY_STORAGE_RETENTION_DAYS: '0' }, proxy: { delivery: { manual: true } } });
  try {
    const deps = world.proxy.running.proxy.deps;
    const key = await collectKey(world, (await pairAndLink(world, 'TILL-1')).pairingId);
    const sent = await fetch(`${world.proxy.url}/api/v1/invoices`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(visit()) });
    assert.is(sent.status, 202);
    await runUntilSettled({ loop: world.proxy.running.delivery!, deps, clock: world.clock, advance: world.advance });
    // A patient found at Xero by e-mail: the cache of found contacts is not document content, and
    // a day old it is not trusted, so it goes even when documents are kept for ever.
    const organisationId = deps.db.prepare('SELECT id FROM organisations').pluck().get() as string;
    saveCachedContact(deps.db, deps.clock, organisationId, { kind: 'email', value: 'patient-5q7z@example.com' }, { id: '5b1e0c1e-64d4-4b1a-9a4e-2f4c1d7e9a10', name: PATIENT });
    await world.advance(3650 * DAY);
    assert.equal(eraseOldContent(deps), { jobs: 0, submissions: 0 });
    assert.match(deps.db.prepare("SELECT payload FROM jobs WHERE status = 'delivered'").pluck().get() as string, PATIENT);
    assert.is(countCachedContacts(deps.db, organisationId), 0, 'the found contact is forgotten');
  } finally {
    await world.stop();
  }
});

retention.run();

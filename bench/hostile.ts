// Hostile bodies: eight 1 MB XML bodies a misbehaving till might send (deep, wide, entity-laden,
// huge text), posted at once while /healthz is asked over and over; the figures are its slowest answer and
// the longest the event loop was held meanwhile. Not a test: it measures.
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { collectKey, pairAndLink, startWorld } from '../test/helpers/linked';

export interface HostileFigures {
  bodies: number;
  /** The slowest /healthz answer while the bodies were in. */
  healthzMs: number;
  maxBlockMs: number;
  refused: number;
}

/** The bodies the hostile-input test sends, each about a megabyte. */
export function hostileBodies(): string[] {
  const oneMb = (inner: string, times: number) => `<Invoices>${inner.repeat(times)}</Invoices>`;
  return [
    oneMb('<x/>', 250_000),
    '<a>'.repeat(170_000) + '</a>'.repeat(170_000),
    `<Invoices><Invoice ${Array.from({ length: 60_000 }, (_, i) => `a${i}="1"`).join(' ')}/></Invoices>`,
    oneMb('<Invoice><Type>ACCREC</Type></Invoice>', 25_000),
    `<!DOCTYPE x [${'<!ENTITY a "b">'.repeat(60_000)}]><Invoices/>`,
    oneMb('<Invoice><Reference>r</Reference></Invoice>', 23_000),
    `<Invoices><Invoice><Reference>${'x'.repeat(990_000)}</Reference></Invoice></Invoices>`,
    oneMb('<!-- c --><x></x>', 55_000),
  ];
}

export async function benchHostile(): Promise<HostileFigures> {
  const world = await startWorld('private', {});
  try {
    const { pairingId } = await pairAndLink(world, 'BENCH-TILL');
    const key = await collectKey(world, pairingId);
    const bodies = hostileBodies();
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const sent = bodies.map((body) =>
      fetch(`${world.proxy.url}/api/v1/invoices`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/xml' }, body }).then((r) => r.status),
    );
    // /healthz asked again and again until every body is answered: the slowest answer counts.
    let answered = false;
    const all = Promise.all(sent).finally(() => (answered = true));
    let healthzMs = 0;
    do {
      const asked = performance.now();
      await fetch(`${world.proxy.url}/healthz`);
      healthzMs = Math.max(healthzMs, performance.now() - asked);
    } while (!answered);
    const statuses = await all;
    delay.disable();
    return { bodies: bodies.length, healthzMs, maxBlockMs: delay.max / 1e6, refused: statuses.filter((s) => s === 400 || s === 413).length };
  } finally {
    await world.stop();
  }
}

import { suite, type Test } from 'uvu';
import type { ProxyOptions } from '../../src/app';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { openConsoleBrowser, type ConsoleBrowser } from './console-browser';
import { runUntilSettled } from './delivery';
import { pairAndLink, startWorld, type LinkedWorld } from './linked';
import { givenAdminPassword } from './web';

/** The first demo organisation, which the console's browser tests link to. */
export const CAFE = DEMO_ORGANISATIONS[0]!;

/** A proxy linked by a private app to the café, its administrator's password set and a Chromium open on its console. */
export interface LinkedConsole {
  world: LinkedWorld;
  browser: ConsoleBrowser;
  organisationId: string;
}

/**
 * A suite whose tests share one linked console: a private app paired from `deviceName` and
 * linked to the café, delivery run by hand (`settle`), and `proxy` options on top of that. The
 * browser is open but not signed in.
 */
export function linkedConsoleSuite(name: string, deviceName: string, proxy: ProxyOptions = {}): Test<LinkedConsole> {
  const test = suite<LinkedConsole>(name);
  test.before(async (context) => {
    context.world = await startWorld('private', { organisationId: CAFE.id, publicUrlIsSelf: true, proxy: { delivery: { manual: true }, ...proxy } });
    const { outcome } = await pairAndLink(context.world, deviceName);
    if (outcome.kind !== 'linked') throw new Error(JSON.stringify(outcome));
    context.organisationId = outcome.organisation.id;
    await givenAdminPassword(context.world.proxy.running.proxy.deps);
    context.browser = await openConsoleBrowser(context.world.proxy.url);
  });
  test.after(async (context) => {
    await context.browser?.close();
    await context.world?.stop();
  });
  return test;
}

/** Runs the proxy's delivery loop until no job is queued or sending. */
export const settle = (world: LinkedWorld) => runUntilSettled({ loop: world.proxy.running.delivery!, deps: world.proxy.running.proxy.deps, clock: world.clock, advance: world.advance });

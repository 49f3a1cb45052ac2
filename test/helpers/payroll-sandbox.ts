import type { ManualClock } from '../../src/lib/clock';
import { seedDemo } from '../../src/sandbox/app';
import type { SandboxDeps } from '../../src/sandbox/deps';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { payrollRoutes } from '../../src/sandbox/payroll/routes';
import { startRoutesOnly } from './routes-only';

/** The first demo organisation (AU), whose payroll the helper serves by default. */
export const PAYROLL_ORG = DEMO_ORGANISATIONS[0]!;

export interface PayrollOnlySandbox {
  /** e.g. http://127.0.0.1:41234/payroll.xro/1.0 */
  base: string;
  deps: SandboxDeps;
  clock: ManualClock;
  /** Fetch under `base` as `organisationId` (default: the helper's organisation). */
  call(path: string, init?: RequestInit & { organisationId?: string }): Promise<Response>;
  stop(): Promise<void>;
}

/**
 * Serves only the Payroll AU routes on a real socket, over a fresh in-memory sandbox database
 * seeded with the demo organisations, with a stand-in for the OAuth 1.0a verifier that marks
 * every request as coming from `organisationId` (or from the `x-test-organisation` header).
 * The clock is manual and starts at 2026-01-15T00:00:00Z.
 */
export async function startPayrollOnly(options: { organisationId?: string } = {}): Promise<PayrollOnlySandbox> {
  const server = await startRoutesOnly({
    start: '2026-01-15T00:00:00Z',
    organisationId: options.organisationId ?? PAYROLL_ORG.id,
    seed: seedDemo,
    mount: (app, deps) => app.route('/payroll.xro/1.0', payrollRoutes(deps)),
  });
  const base = `${server.url}/payroll.xro/1.0`;
  return {
    base,
    deps: server.deps,
    clock: server.clock,
    call: (path, init = {}) => {
      const { organisationId: asOrg, headers, ...rest } = init;
      return fetch(`${base}${path}`, { ...rest, headers: { ...(headers as Record<string, string> | undefined), ...(asOrg ? { 'x-test-organisation': asOrg } : {}) } });
    },
    stop: server.stop,
  };
}

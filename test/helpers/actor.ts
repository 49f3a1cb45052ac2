import type { Acting, Actor } from '../../src/services/audit';

/** Who the audit log names for changes a test makes through a service directly: a person at the terminal. */
export const TEST_ACTOR: Actor = { name: 'cli:test', from: 'cli' };

/** `deps` as a command run by a person acts: with the test's actor. */
export const asCli = <D extends object>(deps: D): D & Acting => ({ ...deps, actor: TEST_ACTOR });

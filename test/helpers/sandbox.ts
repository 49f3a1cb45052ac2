import { systemClock, type Clock } from '../../src/lib/clock';
import { silentLogger } from '../../src/lib/logger';
import { createSandbox, type Sandbox } from '../../src/sandbox/app';
import type { SandboxSettings } from '../../src/sandbox/deps';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { startServer } from '../../src/server/listen';

export interface TestSandbox {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  sandbox: Sandbox;
  stop(): Promise<void>;
}

export const DEMO_ORG = DEMO_ORGANISATIONS[0]!;

/** Starts an in-memory sandbox on a real socket (a free port on 127.0.0.1). */
export async function startTestSandbox(options: { settings?: Partial<SandboxSettings>; clock?: Clock; random?: () => number; database?: string } = {}): Promise<TestSandbox> {
  const sandbox = createSandbox({
    database: options.database ?? ':memory:',
    settings: {
      limits: { perMinute: 60, perDay: 5000, concurrency: 5 },
      rateLimitStatus: 503,
      timestampWindowSeconds: 300,
      ...options.settings,
    },
    logger: silentLogger,
    clock: options.clock ?? systemClock,
    ...(options.random ? { random: options.random } : {}),
  });
  const server = await startServer(sandbox.app.fetch, { host: '127.0.0.1', port: 0 });
  return {
    url: server.url,
    sandbox,
    stop: async () => {
      await server.close(1000);
      sandbox.close();
    },
  };
}

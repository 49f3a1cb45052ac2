// bench/scale.ts, loaded only when it is there: the scale run is its own file, and the rest of
// the bench runs without it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** What bench/scale.ts measures: one proxy holding many organisations and devices. */
export interface ScaleFigures {
  orgs: number;
  devices: number;
  rssMb: number;
  overviewMs: number;
  documentsMs: number;
  sweepMaxPerS: number;
}

export type BenchScale = (options: { proxyCommand: string[] }) => Promise<ScaleFigures>;

/** bench/scale.ts's `benchScale`, or undefined when the file is absent. */
export async function loadScale(): Promise<BenchScale | undefined> {
  const url = new URL('./scale.ts', import.meta.url);
  if (!existsSync(fileURLToPath(url))) return undefined;
  const module = (await import(url.href)) as { benchScale?: BenchScale };
  if (typeof module.benchScale !== 'function') throw new Error('bench/scale.ts does not export benchScale');
  return module.benchScale;
}

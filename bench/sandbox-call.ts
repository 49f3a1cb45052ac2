// The sandbox's own time per 50-invoice call, apart from the proxy: the largest invoice write the
// proxy made in a delivery run, taken from the sandbox's request log, sent again straight to the
// sandbox process with a token of the same custom connection, one call at a time and paced under
// its scaled minute (so none is refused). Not a test: it measures.
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import type { BenchWorld } from './world';

export interface SandboxCallFigures {
  calls: number;
  /** Invoices in the body sent again (the proxy's largest batch). */
  invoicesPerCall: number;
  msPerCallMedian: number;
  msPerCallMean: number;
  /** Answers other than 200 (a measurement with any is not of the sandbox's work). */
  refused: number;
}

export async function benchSandboxCall(world: BenchWorld, options: { minuteMs: number; calls?: number }): Promise<SandboxCallFigures> {
  const db = new Database(world.sandboxDb, { readonly: true });
  const logged = db
    .prepare(
      `SELECT method, path, query, content_type AS contentType, request_body AS body FROM request_log
       WHERE method IN ('PUT', 'POST') AND path LIKE '/api.xro/2.0/Invoices' AND status = 200 AND request_body IS NOT NULL
       ORDER BY length(request_body) DESC LIMIT 1`,
    )
    .get() as { method: string; path: string; query: string; contentType: string; body: string } | undefined;
  db.close();
  if (!logged) throw new Error('no invoice write in the sandbox log to send again');
  if (logged.body.length >= 65_536) throw new Error('the logged body was cut at 64 KiB; it cannot be sent again whole');
  const invoicesPerCall = (logged.body.match(/<Invoice>/g) ?? logged.body.match(/"Type"\s*:\s*"ACCREC"/g) ?? []).length;

  const basic = Buffer.from(`${world.client.clientId}:${world.client.clientSecret}`).toString('base64');
  const token = await fetch(`${world.sandboxUrl}/connect/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
  });
  const { access_token: accessToken } = (await token.json()) as { access_token: string };
  const headers = { authorization: `Bearer ${accessToken}`, 'xero-tenant-id': world.xeroOrganisationId, 'content-type': logged.contentType, accept: 'application/json' };

  const calls = options.calls ?? 30;
  // Fewer than the 60 calls of a scaled minute: 40 % more room than the pacer's gap.
  const gapMs = (options.minuteMs / 60) * 1.4;
  const times: number[] = [];
  let refused = 0;
  for (let i = 0; i < calls; i++) {
    const started = performance.now();
    const response = await fetch(`${world.sandboxUrl}${logged.path}${logged.query}`, { method: logged.method, headers, body: logged.body });
    await response.arrayBuffer();
    const ms = performance.now() - started;
    if (response.status === 200) times.push(ms);
    else refused++;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, gapMs - ms)));
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? Number.NaN;
  const mean = times.reduce((sum, ms) => sum + ms, 0) / Math.max(1, times.length);
  return { calls, invoicesPerCall, msPerCallMedian: median, msPerCallMean: mean, refused };
}

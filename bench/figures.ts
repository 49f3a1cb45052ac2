// Every figure of a run, and the JSON `--json FILE` writes: nested objects whose dotted names
// (accept.ratio_50, delivery.calls_per_1000, …) the README lists. Absolute values beside the
// ratios to their baselines, as the tables print them.
import type { AcceptFigures } from './accept';
import { callsPer1000, ofCeiling, perScaledMinute, type DeliveryFigures } from './delivery';
import type { HostileFigures } from './hostile';
import type { SandboxCallFigures } from './sandbox-call';
import type { ScaleFigures } from './scale-entry';

export interface Figures {
  accept?: AcceptFigures;
  delivery?: { runs: DeliveryFigures[]; payments: DeliveryFigures; sandboxCall?: SandboxCallFigures };
  hostile?: HostileFigures;
  scale?: ScaleFigures;
}

type Json = Record<string, Record<string, number>>;

export function figuresJson(figures: Figures): Json {
  const json: Json = {};
  if (figures.accept) {
    const accept: Record<string, number> = { seconds: figures.accept.seconds, jobs_committed: figures.accept.jobsCommitted };
    for (const { connections: n, proxy, bare } of figures.accept.rows) {
      Object.assign(accept, {
        [`ratio_${n}`]: proxy.requestsPerSecond / bare.requestsPerSecond,
        [`rps_${n}`]: proxy.requestsPerSecond,
        [`p50_ms_${n}`]: proxy.p50,
        [`p99_ms_${n}`]: proxy.p99,
        [`non2xx_${n}`]: proxy.non2xx,
        [`bare_rps_${n}`]: bare.requestsPerSecond,
        [`bare_p99_ms_${n}`]: bare.p99,
      });
    }
    json['accept'] = accept;
  }
  if (figures.hostile) {
    const h = figures.hostile;
    json['hostile'] = {
      max_block_ms: h.maxBlockMs,
      max_block_cpu_ms: h.maxBlockCpuMs,
      idle_max_block_ms: h.idleMaxBlockMs,
      healthz_ms: h.healthzMs,
      bodies: h.bodies,
      refused: h.refused,
      batch_max_block_ms: h.batchMaxBlockMs,
      batch_max_block_cpu_ms: h.batchMaxBlockCpuMs,
      scan_xml_ms_per_mb: h.scanXmlMsPerMb,
      scan_json_ms_per_mb: h.scanJsonMsPerMb,
    };
  }
  if (figures.delivery) {
    const { runs, payments, sandboxCall } = figures.delivery;
    const delivery: Record<string, number> = {};
    for (const run of runs) {
      const m = `${run.minuteMs / 1000}s`;
      Object.assign(delivery, {
        [`of_ceiling_${m}`]: ofCeiling(run),
        [`invoices_per_minute_${m}`]: perScaledMinute(run),
        [`deliver_seconds_${m}`]: run.deliverSeconds,
        [`ms_per_call_${m}`]: (run.deliverSeconds * 1000) / Math.max(1, run.writes + run.lookups),
        [`rate_limit_answers_${m}`]: run.rateLimitAnswers,
        [`calls_per_1000_invoices_${m}`]: callsPer1000(run),
      });
    }
    Object.assign(delivery, { calls_per_1000: callsPer1000(payments), payment_run_writes: payments.writes, payment_run_lookups: payments.lookups, payment_run_rate_limit_answers: payments.rateLimitAnswers });
    if (sandboxCall) Object.assign(delivery, { sandbox_ms_per_call: sandboxCall.msPerCallMedian, sandbox_ms_per_call_mean: sandboxCall.msPerCallMean, sandbox_invoices_per_call: sandboxCall.invoicesPerCall });
    json['delivery'] = delivery;
  }
  if (figures.scale) {
    const { orgs, devices, rssMb, overviewMs, documentsMs, sweepMaxPerS } = figures.scale;
    json['scale'] = { orgs, devices, rss_mb: rssMb, overview_ms: overviewMs, documents_ms: documentsMs, sweep_max_per_s: sweepMaxPerS };
  }
  return json;
}

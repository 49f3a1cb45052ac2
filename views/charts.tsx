import type { FC } from 'hono/jsx';

/** The numbers of one bar chart (services/overview-charts.ts builds them). */
export interface BarChartData {
  title: string;
  series: string[];
  buckets: ReadonlyArray<{ start: string; label: string; values: number[] }>;
  limit: { value: number; label: string } | null;
}

const WIDTH = 720;
const HEIGHT = 190;
const LEFT = 44;
const RIGHT = 8;
const TOP = 12;
const BOTTOM = 26;

/** A sentence saying what the chart shows, for its `<desc>` and for anyone who cannot see it. */
export function describeChart(chart: BarChartData): string {
  const totals = chart.series.map((name, i) => `${name.toLowerCase()}: ${chart.buckets.reduce((n, b) => n + (b.values[i] ?? 0), 0)}`);
  const busiest = chart.buckets.reduce<{ label: string; n: number } | undefined>((best, b) => ((b.values[0] ?? 0) > (best?.n ?? 0) ? { label: b.label, n: b.values[0] ?? 0 } : best), undefined);
  const peak = busiest ? `; the most ${chart.series[0]!.toLowerCase()} in one period was ${busiest.n}, at ${busiest.label}` : '; none in this time';
  const limit = chart.limit ? `; ${chart.limit.label}` : '';
  return `${chart.title}. In total, ${totals.join(', ')}${peak}${limit}.`;
}

/**
 * A bar chart drawn on the server as SVG (no script): one group of bars per period, one bar per
 * series, an optional limit line, with `<title>` and `<desc>`, and the same numbers in a table
 * under a `<details>` for anyone who reads tables better than pictures.
 */
export const BarChart: FC<{ id: string; chart: BarChartData }> = ({ id, chart }) => {
  const values = chart.buckets.flatMap((b) => b.values);
  const top = Math.max(1, ...values, chart.limit && chart.limit.value <= Math.max(1, ...values) * 4 ? chart.limit.value : 0);
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const slot = plotWidth / Math.max(1, chart.buckets.length);
  const barWidth = (slot * 0.78) / Math.max(1, chart.series.length);
  const y = (n: number) => TOP + plotHeight - (n / top) * plotHeight;
  const every = chart.buckets.length > 16 ? 3 : chart.buckets.length > 8 ? 2 : 1;
  const limitShown = chart.limit && chart.limit.value <= top;
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} class="chart-svg">
        <title id={`${id}-title`}>{chart.title}</title>
        <desc id={`${id}-desc`}>{describeChart(chart)}</desc>
        <line class="chart-axis" x1={LEFT} y1={TOP + plotHeight} x2={WIDTH - RIGHT} y2={TOP + plotHeight} />
        <text class="chart-tick" x={LEFT - 6} y={TOP + plotHeight} text-anchor="end">
          0
        </text>
        <text class="chart-tick" x={LEFT - 6} y={TOP + 10} text-anchor="end">
          {String(top)}
        </text>
        {chart.buckets.map((bucket, i) => (
          <g>
            {bucket.values.map((value, s) =>
              value > 0 ? <rect class={`chart-bar chart-series-${s}`} x={(LEFT + i * slot + slot * 0.11 + s * barWidth).toFixed(1)} y={y(value).toFixed(1)} width={barWidth.toFixed(1)} height={(TOP + plotHeight - y(value)).toFixed(1)} /> : null,
            )}
            {i % every === 0 ? (
              <text class="chart-tick" x={(LEFT + i * slot + slot / 2).toFixed(1)} y={HEIGHT - 8} text-anchor="middle">
                {bucket.label}
              </text>
            ) : null}
          </g>
        ))}
        {limitShown && chart.limit ? <line class="chart-limit" x1={LEFT} y1={y(chart.limit.value).toFixed(1)} x2={WIDTH - RIGHT} y2={y(chart.limit.value).toFixed(1)} /> : null}
      </svg>
      <figcaption>
        <span class="chart-legend">
          {chart.series.map((name, s) => (
            <span class="chart-key">
              <span class={`chart-swatch chart-series-${s}`} aria-hidden="true" /> {name}
            </span>
          ))}
          {chart.limit ? <span class="chart-key">{limitShown ? `Dashed line: ${chart.limit.label}` : `${chart.limit.label} (far above these bars)`}</span> : null}
        </span>
        <details>
          <summary>{`${chart.title}: the numbers`}</summary>
          <table class="chart-table">
            <thead>
              <tr>
                <th scope="col">Period (UTC)</th>
                {chart.series.map((name) => (
                  <th scope="col">{name}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {chart.buckets.map((bucket) => (
                <tr>
                  <th scope="row">
                    <time datetime={bucket.start}>{bucket.label}</time>
                  </th>
                  {bucket.values.map((value) => (
                    <td>{value}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </figcaption>
    </figure>
  );
};

import { memo } from 'react';
import { CartesianGrid, ErrorBar, Line, LineChart, XAxis, YAxis, Tooltip } from 'recharts';
import type { ConfigResult } from '../../core/experiments/experimentResults';
import type { Experiment } from '../../core/experiments/experiments';
import { niceTicks, tickFormatter } from '../../core/chart/ticks';
import { Heatmap } from './Heatmap';

type Props = { experiment: Experiment; rows: readonly ConfigResult[] };

/** What the chart draws of each row: it is redrawn only when one of these changes. */
const drawn = (r: ConfigResult) => [r.config.key, r.mean, r.low, r.high, r.min, r.max, r.article, r.runs];
const sameChart = (a: Props, b: Props) =>
  a.experiment === b.experiment &&
  a.rows.length === b.rows.length &&
  a.rows.every((r, i) => drawn(r).every((v, k) => Object.is(v, drawn(b.rows[i] as ConfigResult)[k])));

/** The points (x, this lab's mean and interval, the article's) and a y range that hugs them. */
function chartData(experiment: Experiment, rows: readonly ConfigResult[]) {
  const byWidth = experiment.chart === 'width';
  const data = rows.map((r) => ({
    x: byWidth ? r.config.width : r.config.depth,
    ours: r.mean,
    article: r.article,
    // The 95 % t-interval over the seeds (none with a single run).
    interval: r.mean === null || r.low === null || r.high === null ? [0, 0] : [r.mean - r.low, r.high - r.mean],
  }));
  // The y axis hugs the values (and the article's), so a few points of difference show.
  const ys = rows
    .flatMap((r) => [r.min, r.max, r.low, r.high, r.article])
    .filter((v): v is number => v !== null)
    .map((v) => Math.min(1, Math.max(0, v)));
  const lo = ys.length ? Math.max(0, Math.min(...ys) - 0.02) : 0;
  const hi = ys.length ? Math.min(1, Math.max(...ys) + 0.02) : 1;
  // Ticks a nice step apart (0.85, 0.90, 0.95 or 0, 0.2, 0.4 …), the axis ending on the outer two;
  // recharts' even split of the hugging range read 0.08, 0.28, 0.48.
  const yTicks = niceTicks(lo, hi, 6);
  const yDomain: [number, number] = [yTicks[0] ?? 0, yTicks.at(-1) ?? 1];
  return { byWidth, data, xs: data.map((d) => d.x), yTicks, yDomain };
}

/**
 * Test accuracy against depth or width (log), the article's beside it; a heat map for the grid.
 * Memoised on the values it draws: the history changes at every epoch of any run, the results
 * only when a run of this experiment finishes, and a chart redraw costs tens of milliseconds.
 */
export const ResultChart = memo(function ResultChart({ experiment, rows }: Props) {
  if (experiment.chart === 'grid') return <Heatmap rows={rows} />;
  if (experiment.chart === 'none') return null;
  const { byWidth, data, xs, yTicks, yDomain } = chartData(experiment, rows);
  return (
    <div className="result-chart" data-testid="experiment-chart">
      <LineChart
        width={560}
        height={285}
        data={data}
        margin={{ top: 40, right: 20, bottom: 20, left: 0 }}
        style={{ maxWidth: '100%' }}
        responsive
      >
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis
          dataKey="x"
          type="number"
          scale={byWidth ? 'log' : 'linear'}
          domain={[Math.min(...xs), Math.max(...xs)]}
          ticks={xs}
          allowDecimals={false}
          label={{
            value: byWidth ? 'units in the hidden layer (log scale)' : (experiment.xLabel ?? 'hidden layers of 32'),
            position: 'insideBottom',
            offset: -10,
          }}
        />
        <YAxis
          domain={yDomain}
          ticks={yTicks}
          niceTicks="none"
          interval={0}
          width={48}
          tickFormatter={tickFormatter(yTicks)}
          allowDataOverflow
        />
        <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(4) : String(v))} />
        {/* The legend is drawn in the chart's own SVG, so an exported chart keeps it. */}
        <g className="chart-legend" fontSize={12}>
          <line x1={60} x2={84} y1={8} y2={8} stroke="#2563eb" strokeWidth={2} />
          <text x={90} y={12} fill="#1f2937">
            this lab (mean, 95 % interval)
          </text>
          <line x1={60} x2={84} y1={24} y2={24} stroke="#f59e0b" strokeWidth={2} strokeDasharray="6 4" />
          <text x={90} y={28} fill="#1f2937">
            the article
          </text>
        </g>
        <Line
          dataKey="ours"
          name="this lab (mean, 95 % interval)"
          stroke="#2563eb"
          strokeWidth={2}
          isAnimationActive={false}
          connectNulls
        >
          <ErrorBar dataKey="interval" width={6} stroke="#2563eb" />
        </Line>
        <Line
          dataKey="article"
          name="the article"
          stroke="#f59e0b"
          strokeDasharray="6 4"
          isAnimationActive={false}
          connectNulls
        />
      </LineChart>
    </div>
  );
}, sameChart);

import { useEffect, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { CartesianGrid, ErrorBar, Line, LineChart, XAxis, YAxis, Tooltip } from 'recharts';
import { experimentResults, resultsToCsv, resultsToJson, type ConfigResult } from '../core/experimentResults';
import { configLabel, EXPERIMENTS, experimentById, experimentPlan, QUICK_SUBSET, type Experiment } from '../core/experiments';
import { formatCount } from '../core/params';
import { architectureLabel } from '../core/runs';
import { estimateRemainingSeconds } from '../core/runEstimate';
import type { DatasetName } from '../core/spec';
import { useLab } from '../store/context';
import { selectConfig, selectExperiments, selectIsBusy, selectProgress, selectQueue, selectRuns } from '../store/selectors';
import type { LabState } from '../store/store';
import { downloadText } from './download';
import { downloadPng, downloadSvg } from './exportChart';
import { duration } from './format';

/** The panel's actions, as one shallow-compared object (they never change, so neither does it). */
const selectActions = (s: LabState) => ({
  selectExperiment: s.selectExperiment,
  setRepeats: s.setRepeats,
  setQuick: s.setQuick,
  runExperiment: s.runExperiment,
  pauseQueue: s.pauseQueue,
  resumeQueue: s.resumeQueue,
  cancelQueue: s.cancelQueue,
  restartQueue: s.restartQueue,
});

/** The article's experiments: pick one, queue its runs, and set the results against the article. */
export function ExperimentsPanel() {
  const ex = useLab(selectExperiments);
  const config = useLab(selectConfig);
  const lab = useLab(useShallow(selectActions));
  const busy = useLab(selectIsBusy);
  const runs = useLab(selectRuns);
  const section = useRef<HTMLElement>(null);
  const experiment = ex.selected ? experimentById(ex.selected) : null;
  const plan = useMemo(
    () => (experiment ? experimentPlan(experiment, { repeats: ex.repeats, quick: ex.quick, dataset: config.dataset }) : []),
    [experiment, ex.repeats, ex.quick, config.dataset],
  );
  const estimate = useMemo(() => estimateRemainingSeconds(runs, plan.map((p) => ({ config: p.config, epochs: p.config.epochs }))), [plan, runs]);

  // A link with `experiment=` opens the lab at this panel.
  useEffect(() => {
    if (new URLSearchParams(location.search).has('experiment')) section.current?.scrollIntoView({ block: 'start' });
  }, []);

  const queueActive = ex.queue.status === 'running' || ex.queue.status === 'paused';
  return (
    <section className="panel" aria-labelledby="experiments-title" ref={section}>
      <h2 id="experiments-title">Reproduce the article</h2>
      <div className="experiment-picker" role="radiogroup" aria-label="Experiment">
        {EXPERIMENTS.map((e) => (
          <label key={e.id} className={`experiment-option${ex.selected === e.id ? ' picked' : ''}`}>
            <input type="radio" name="experiment" value={e.id} checked={ex.selected === e.id} onChange={() => lab.selectExperiment(e.id)} />
            <span>
              <strong>
                {e.number}. {e.title}
              </strong>{' '}
              <span className="small muted">({e.configs.length} config{e.configs.length === 1 ? '' : 's'})</span>
            </span>
          </label>
        ))}
      </div>
      {experiment ? (
        <>
          <p>{experiment.question}</p>
          <p className="small muted">The article: {experiment.articleSays}</p>
          <p className="small">
            Every run: the article's setup (sigmoid hidden layers, raw 0..255 inputs, SGD 0.01, validation 0.1), {config.dataset === 'fashion' ? 'Fashion-MNIST (the lab’s own split)' : 'MNIST'}; configs:{' '}
            {experiment.configs.map((c) => `${configLabel(c)} (${c.epochs} epochs${c.batchSize !== 128 ? `, batch ${c.batchSize}` : ''})`).join(', ')}.
          </p>
          <div className="experiment-options">
            <label className="field">
              <span>repeats per config (seeds 1, 2, …)</span>
              <input type="number" min={1} max={10} value={ex.repeats} onChange={(e) => lab.setRepeats(Number(e.target.value))} disabled={queueActive} />
            </label>
            <label className="check">
              <input type="checkbox" checked={ex.quick} onChange={(e) => lab.setQuick(e.target.checked)} disabled={queueActive} /> quick: train on {formatCount(QUICK_SUBSET)} of the 60,000 images
            </label>
          </div>
          {ex.quick ? <p className="small notice-inline">Quick mode shows the shape of the result on a slow machine; its numbers will not match the article's, which trained on all 60,000 images.</p> : null}
          <p className="buttons">
            <button type="button" className="primary" data-testid="experiment-run" onClick={lab.runExperiment} disabled={busy || queueActive}>
              Run experiment {experiment.number}: {plan.length} run{plan.length === 1 ? '' : 's'}
            </button>
            <span className="small muted">{estimate === null ? 'Time: no estimate until a run has finished an epoch.' : `About ${duration(estimate)} here.`}</span>
          </p>
        </>
      ) : (
        <p className="small muted">Pick an experiment to see what it asks, queue its runs, and compare with the article.</p>
      )}
      <QueueStatus />
      {experiment ? <Results experiment={experiment} quick={ex.quick} dataset={config.dataset} /> : null}
    </section>
  );
}

function QueueStatus() {
  const q = useLab(selectQueue);
  const lab = useLab(useShallow(selectActions));
  const progress = useLab(selectProgress);
  const runs = useLab(selectRuns);
  const [, tick] = useState(0);
  useEffect(() => {
    if (q.status !== 'running') return;
    const id = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(id);
  }, [q.status]);
  if (q.status === 'idle') return null;
  const n = q.items.length;
  const current = q.items[Math.min(q.index, n - 1)];
  const e = q.experiment ? experimentById(q.experiment) : null;
  const left = estimateRemainingSeconds(
    runs,
    q.items.slice(q.index).map((item, k) => ({
      config: item.config,
      // The run under way has only part of its epochs left.
      epochs: k === 0 && q.status === 'running' && progress ? Math.max(0, item.config.epochs - progress.epoch + 1 - progress.batch / progress.batches) : item.config.epochs,
    })),
  );
  const label = current ? `${architectureLabel(current.config.layers)}, seed ${current.config.seed}` : '';
  const text =
    q.status === 'done'
      ? `Experiment ${e?.number ?? ''} finished: ${n} runs${q.failed ? `, ${q.failed} failed` : ''}.`
      : q.status === 'cancelled'
        ? `Cancelled at run ${Math.min(q.index + 1, n)} of ${n}.`
        : q.status === 'paused'
          ? `Paused at run ${q.index + 1} of ${n} (${label}); resume runs it again.`
          : `Run ${q.index + 1} of ${n}: ${label}${progress ? `, epoch ${progress.epoch}` : ''} · ${q.startedAt ? duration((Date.now() - q.startedAt) / 1000) : ''} elapsed${left !== null ? ` · about ${duration(left)} left` : ''}`;
  return (
    <div className="queue" data-testid="queue-status" data-status={q.status}>
      <progress max={n} value={q.status === 'done' ? n : q.index} aria-label="Experiment progress" />
      <span className="small">{text}</span>
      <span className="buttons">
        {q.status === 'running' ? (
          <button type="button" onClick={lab.pauseQueue}>
            Pause
          </button>
        ) : null}
        {q.status === 'paused' || q.status === 'cancelled' ? (
          <button type="button" onClick={lab.resumeQueue}>
            Resume
          </button>
        ) : null}
        {q.status === 'running' || q.status === 'paused' ? (
          <button type="button" onClick={lab.cancelQueue}>
            Cancel
          </button>
        ) : null}
        {q.status === 'done' || q.status === 'cancelled' || q.status === 'paused' ? (
          <button type="button" onClick={lab.restartQueue}>
            Restart
          </button>
        ) : null}
      </span>
    </div>
  );
}

const pct = (x: number | null, digits = 3) => (x === null ? '–' : x.toFixed(digits));
const signed = (x: number | null) => (x === null ? '–' : Math.abs(x * 100) < 0.05 ? '0.0 pt' : `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)} pt`);

function Results({ experiment, quick, dataset }: { experiment: Experiment; quick: boolean; dataset: DatasetName }) {
  const runs = useLab(selectRuns);
  const rows = useMemo(() => experimentResults(experiment, runs, quick, dataset), [experiment, runs, quick, dataset]);
  const chartBox = useRef<HTMLDivElement>(null);
  const [exportProblem, setExportProblem] = useState<string | null>(null);
  const stamp = `mlp-lab-${experiment.id}-${dataset}${quick ? '-quick' : ''}`;
  // The chart's own surface (not a tooltip's or legend icon's small SVG).
  const svg = () => chartBox.current?.querySelector('.recharts-wrapper > svg, svg.heatmap') as SVGSVGElement | null;
  return (
    <div className="experiment-results">
      <h3>
        Results: test accuracy {quick ? '(quick mode)' : ''} {dataset === 'fashion' ? 'on Fashion-MNIST' : ''}
      </h3>
      <div className="table-scroll">
        <table data-testid="experiment-results">
          <thead>
            <tr>
              <th>hidden layers</th>
              <th>epochs</th>
              <th>params</th>
              <th>runs</th>
              <th>test acc (mean)</th>
              <th>± sd</th>
              <th>range</th>
              <th>article</th>
              <th>difference</th>
              <th>s/epoch</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.config.key} data-key={r.config.key}>
                <td>{r.label}</td>
                <td>
                  {r.config.epochs}
                  {r.config.batchSize !== 128 ? ` (batch ${r.config.batchSize})` : ''}
                </td>
                <td>{formatCount(r.params)}</td>
                <td>{r.runs}</td>
                <td data-testid="result-mean">{pct(r.mean, 4)}</td>
                <td>{pct(r.sd)}</td>
                <td>{r.min === null ? '–' : `${pct(r.min)}–${pct(r.max)}`}</td>
                <td data-testid="result-article">{pct(r.article)}</td>
                <td>{signed(r.diff)}</td>
                <td>{r.secondsPerEpoch === null ? '–' : r.secondsPerEpoch.toFixed(1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {dataset !== 'mnist' ? <p className="small muted">The article trained on MNIST only, so it has no numbers to set beside these.</p> : null}
      {quick && dataset === 'mnist' ? (
        <p className="small muted">The article's numbers are for all 60,000 images: beside quick runs they show the expected shape, and no difference is taken.</p>
      ) : null}
      <div ref={chartBox}>
        <ResultChart experiment={experiment} rows={rows} />
      </div>
      <p className="buttons">
        <button type="button" onClick={() => downloadText(`${stamp}.csv`, resultsToCsv(experiment, rows, quick, dataset), 'text/csv')}>
          Results CSV
        </button>
        <button type="button" onClick={() => downloadText(`${stamp}.json`, resultsToJson(experiment, rows, quick, dataset, Date.now()), 'application/json')}>
          Results JSON
        </button>
        {experiment.chart !== 'none' ? (
          <>
            <button type="button" data-testid="chart-svg" onClick={() => svg() && downloadSvg(svg() as SVGSVGElement, `${stamp}.svg`)}>
              Chart SVG
            </button>
            <button
              type="button"
              data-testid="chart-png"
              onClick={() => {
                setExportProblem(null);
                const el = svg();
                if (el) downloadPng(el, `${stamp}.png`).catch((e: unknown) => setExportProblem(`Could not make the PNG: ${e instanceof Error ? e.message : String(e)}`));
              }}
            >
              Chart PNG
            </button>
          </>
        ) : null}
      </p>
      {exportProblem ? (
        <p className="error" role="alert">
          {exportProblem}
        </p>
      ) : null}
    </div>
  );
}

function ResultChart({ experiment, rows }: { experiment: Experiment; rows: readonly ConfigResult[] }) {
  if (experiment.chart === 'grid') return <Heatmap rows={rows} />;
  if (experiment.chart === 'none') return null;
  const byWidth = experiment.chart === 'width';
  const data = rows.map((r) => ({
    x: byWidth ? r.config.width : r.config.depth,
    ours: r.mean,
    article: r.article,
    range: r.mean === null || r.min === null || r.max === null ? [0, 0] : [r.mean - r.min, r.max - r.mean],
  }));
  const xs = data.map((d) => d.x);
  // The y axis hugs the values (and the article's), so a few points of difference show.
  const ys = rows.flatMap((r) => [r.min, r.max, r.article]).filter((v): v is number => v !== null);
  const lo = ys.length ? Math.max(0, Math.floor((Math.min(...ys) - 0.02) * 50) / 50) : 0;
  const hi = ys.length ? Math.min(1, Math.ceil((Math.max(...ys) + 0.02) * 50) / 50) : 1;
  return (
    <div className="result-chart" data-testid="experiment-chart">
      <LineChart width={560} height={285} data={data} margin={{ top: 40, right: 20, bottom: 20, left: 0 }} style={{ maxWidth: '100%' }} responsive>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis
          dataKey="x"
          type="number"
          scale={byWidth ? 'log' : 'linear'}
          domain={[Math.min(...xs), Math.max(...xs)]}
          ticks={xs}
          allowDecimals={false}
          label={{ value: byWidth ? 'units in the hidden layer (log scale)' : 'hidden layers of 32', position: 'insideBottom', offset: -10 }}
        />
        <YAxis domain={[lo, hi]} tickCount={6} width={48} tickFormatter={(v: number) => v.toFixed(2)} allowDataOverflow />
        <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(4) : String(v))} />
        {/* The legend is drawn in the chart's own SVG, so an exported chart keeps it. */}
        <g className="chart-legend" fontSize={12}>
          <line x1={60} x2={84} y1={8} y2={8} stroke="#2563eb" strokeWidth={2} />
          <text x={90} y={12} fill="#1f2937">
            this lab (mean, range)
          </text>
          <line x1={60} x2={84} y1={24} y2={24} stroke="#f59e0b" strokeWidth={2} strokeDasharray="6 4" />
          <text x={90} y={28} fill="#1f2937">
            the article
          </text>
        </g>
        <Line dataKey="ours" name="this lab (mean, range)" stroke="#2563eb" strokeWidth={2} isAnimationActive={false} connectNulls>
          <ErrorBar dataKey="range" width={6} stroke="#2563eb" />
        </Line>
        <Line dataKey="article" name="the article" stroke="#f59e0b" strokeDasharray="6 4" isAnimationActive={false} connectNulls />
      </LineChart>
    </div>
  );
}

/** Mean test accuracy by depth (rows) and width (columns), as an SVG so it exports like the charts. */
function Heatmap({ rows }: { rows: readonly ConfigResult[] }) {
  const widths = [...new Set(rows.map((r) => r.config.width))];
  const depths = [...new Set(rows.map((r) => r.config.depth))];
  const cw = 110;
  const ch = 34;
  const left = 90;
  const top = 40;
  const colour = (v: number | null) => (v === null ? '#f1f5f9' : `hsl(${Math.round(v * 120)}, 70%, ${Math.round(88 - v * 40)}%)`);
  return (
    <svg className="heatmap" data-testid="experiment-chart" viewBox={`0 0 ${left + cw * widths.length + 10} ${top + ch * depths.length + 10}`} width="100%" style={{ maxWidth: 480 }} role="img" aria-label="Test accuracy by depth and width">
      <text x={left + (cw * widths.length) / 2} y={14} textAnchor="middle" fontSize="13">
        units per layer
      </text>
      {widths.map((w, i) => (
        <text key={w} x={left + cw * i + cw / 2} y={top - 8} textAnchor="middle" fontSize="13">
          {w}
        </text>
      ))}
      {depths.map((d, j) => (
        <text key={d} x={left - 8} y={top + ch * j + ch / 2 + 4} textAnchor="end" fontSize="13">
          {d} layer{d === 1 ? '' : 's'}
        </text>
      ))}
      {rows.map((r) => {
        const i = widths.indexOf(r.config.width);
        const j = depths.indexOf(r.config.depth);
        return (
          <g key={r.config.key}>
            <rect x={left + cw * i} y={top + ch * j} width={cw - 2} height={ch - 2} fill={colour(r.mean)} />
            <text x={left + cw * i + cw / 2} y={top + ch * j + ch / 2 + 4} textAnchor="middle" fontSize="13">
              {r.mean === null ? '–' : r.mean.toFixed(3)}
              {r.article !== null ? ` (${r.article.toFixed(3)})` : ''}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

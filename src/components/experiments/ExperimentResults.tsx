import { useEffect, useMemo, useRef, useState } from 'react';
import { experimentResults, resultsToCsv, resultsToJson } from '../../core/experiments/experimentResults';
import { KERAS_MEASURED_WITH } from '../../core/experiments/kerasReference';
import type { Experiment } from '../../core/experiments/experiments';
import { formatCount } from '../../core/network/params';
import type { DatasetName } from '../../core/network/spec';
import { useRunList } from '../../store/hooks';
import { downloadText } from '../lib/download';
import { downloadPng, downloadSvg } from '../lib/exportChart';
import { ResultChart } from './ResultChart';

const pct = (x: number | null, digits = 3) => (x === null ? '–' : x.toFixed(digits));
const signed = (x: number | null) =>
  x === null ? '–' : Math.abs(x * 100) < 0.05 ? '0.0 pt' : `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)} pt`;

type ResultRow = ReturnType<typeof experimentResults>[number];

interface ResultsProps {
  experiment: Experiment;
  quick: boolean;
  dataset: DatasetName;
}

/** Per config: the runs' test accuracy against the article's, a chart, and exports. */
export function ExperimentResults({ experiment, quick, dataset }: ResultsProps) {
  const runs = useRunList();
  const rows = useMemo(() => experimentResults(experiment, runs, quick, dataset), [experiment, runs, quick, dataset]);
  const chartBox = useRef<HTMLDivElement>(null);
  const [exportProblem, setExportProblem] = useState<string | null>(null);
  const chartReady = useNextTask();
  // The chart's own surface (not a tooltip's or legend icon's small SVG).
  const svg = () => chartBox.current?.querySelector('.recharts-wrapper > svg, svg.heatmap') as SVGSVGElement | null;
  return (
    <div className="experiment-results">
      <h3>
        Results: test accuracy {quick ? '(quick mode)' : ''} {dataset === 'fashion' ? 'on Fashion-MNIST' : ''}
      </h3>
      <ResultsTable rows={rows} />
      <ResultsNotes quick={quick} dataset={dataset} />
      <div ref={chartBox}>
        {chartReady ? (
          <ResultChart experiment={experiment} rows={rows} />
        ) : (
          <div className="result-chart" aria-busy="true" />
        )}
      </div>
      <ResultsExports
        experiment={experiment}
        quick={quick}
        dataset={dataset}
        rows={rows}
        svg={svg}
        onProblem={setExportProblem}
      />
      {exportProblem ? (
        <p className="error" role="alert">
          {exportProblem}
        </p>
      ) : null}
    </div>
  );
}

/**
 * False until a task after the first render: the chart is drawn in a task of its own after the
 * table, so opening the tab is never one long task.
 */
function useNextTask() {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    const id = setTimeout(() => setReady(true), 0);
    return () => clearTimeout(id);
  }, []);
  return ready;
}

/** The results table: a row per config. */
function ResultsTable({ rows }: { rows: readonly ResultRow[] }) {
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label="Results table">
      <table data-testid="experiment-results">
        <thead>
          <tr>
            <th>hidden layers</th>
            <th>epochs</th>
            <th>params</th>
            <th>runs</th>
            <th>test acc (mean)</th>
            <th>95 % interval (t, over seeds)</th>
            <th>range</th>
            <th>article</th>
            <th>difference</th>
            <th>
              <abbr title={`Real Keras, the same setup and data: mean and range over 5 seeds (${KERAS_MEASURED_WITH})`}>
                Keras, 5 seeds
              </abbr>
            </th>
            <th>s/epoch</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <ResultsRow key={r.config.key} r={r} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One config's results. */
function ResultsRow({ r }: { r: ResultRow }) {
  return (
    <tr data-key={r.config.key}>
      <td>{r.label}</td>
      <td>
        {r.config.epochs}
        {r.config.batchSize !== 128 ? ` (batch ${r.config.batchSize})` : ''}
      </td>
      <td>{formatCount(r.params)}</td>
      <td>{r.runs}</td>
      <td
        data-testid="result-mean"
        className={r.outsideKeras ? 'outside-keras' : undefined}
        title={
          r.outsideKeras
            ? 'Outside the Keras band: this lab’s 95 % interval does not reach the range of Keras’s 5 seeds'
            : undefined
        }
      >
        {pct(r.mean, 4)}
        {r.outsideKeras ? ' ≠ Keras' : ''}
      </td>
      <td data-testid="result-interval">{r.low === null || r.high === null ? '–' : `${pct(r.low)}–${pct(r.high)}`}</td>
      <td>{r.min === null ? '–' : `${pct(r.min)}–${pct(r.max)}`}</td>
      <td data-testid="result-article">{pct(r.article)}</td>
      <td>{signed(r.diff)}</td>
      <td data-testid="result-keras">
        {r.keras ? `${pct(r.keras.mean)} (${pct(r.keras.min)}–${pct(r.keras.max)})` : '–'}
      </td>
      <td>{r.secondsPerEpoch === null ? '–' : r.secondsPerEpoch.toFixed(1)}</td>
    </tr>
  );
}

/** What the numbers are set against, for the dataset and mode shown. */
function ResultsNotes({ quick, dataset }: { quick: boolean; dataset: DatasetName }) {
  return (
    <>
      {dataset !== 'mnist' ? (
        <p className="small muted">The article trained on MNIST only, so it has no numbers to set beside these.</p>
      ) : null}
      {dataset === 'mnist' && !quick ? (
        <p className="small muted">
          Keras: the same networks, setup and MNIST files trained in real Keras ({KERAS_MEASURED_WITH}) with seeds 1 to
          5, as mean and (lowest–highest); the article’s numbers are single runs. A mean marked ≠ Keras has a 95 %
          interval outside that range.
        </p>
      ) : null}
      {quick && dataset === 'mnist' ? (
        <p className="small muted">
          The article's numbers are for all 60,000 images: beside quick runs they show the expected shape, and no
          difference is taken.
        </p>
      ) : null}
    </>
  );
}

/** Downloads of the results (CSV, JSON) and of the chart (SVG, PNG). */
function ResultsExports({
  experiment,
  quick,
  dataset,
  rows,
  svg,
  onProblem,
}: ResultsProps & {
  rows: readonly ResultRow[];
  svg: () => SVGSVGElement | null;
  onProblem: (problem: string | null) => void;
}) {
  const stamp = `mlp-lab-${experiment.id}-${dataset}${quick ? '-quick' : ''}`;
  return (
    <p className="buttons">
      <button
        type="button"
        onClick={() => downloadText(`${stamp}.csv`, resultsToCsv(experiment, rows, quick, dataset), 'text/csv')}
      >
        Results CSV
      </button>
      <button
        type="button"
        onClick={() =>
          downloadText(`${stamp}.json`, resultsToJson(experiment, rows, quick, dataset, Date.now()), 'application/json')
        }
      >
        Results JSON
      </button>
      {experiment.chart !== 'none' ? (
        <>
          <button
            type="button"
            data-testid="chart-svg"
            onClick={() => svg() && downloadSvg(svg() as SVGSVGElement, `${stamp}.svg`)}
          >
            Chart SVG
          </button>
          <button
            type="button"
            data-testid="chart-png"
            onClick={() => {
              onProblem(null);
              const el = svg();
              if (el)
                downloadPng(el, `${stamp}.png`).catch((e: unknown) =>
                  onProblem(`Could not make the PNG: ${e instanceof Error ? e.message : String(e)}`),
                );
            }}
          >
            Chart PNG
          </button>
        </>
      ) : null}
    </p>
  );
}

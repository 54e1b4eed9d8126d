import { useEffect, useMemo, useRef, useState } from 'react';
import { experimentResults, resultsToCsv, resultsToJson } from '../../core/experiments/experimentResults';
import { KERAS_MEASURED_WITH } from '../../core/experiments/kerasReference';
import type { Experiment } from '../../core/experiments/experiments';
import type { DatasetName } from '../../core/network/spec';
import { useRunList } from '../../store/hooks';
import { downloadText } from '../lib/download';
import { downloadPng, downloadSvg } from '../lib/exportChart';
import { ResultChart } from './ResultChart';
import { PublishedSummary, ResultsTable, type ResultRow } from './ResultsTable';

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
  const published = experiment.reference === 'published';
  // The chart's own surface (not a tooltip's or legend icon's small SVG).
  const svg = () => chartBox.current?.querySelector('.recharts-wrapper > svg, svg.heatmap') as SVGSVGElement | null;
  return (
    <div className="experiment-results">
      <h3>
        Results: test accuracy {quick ? '(quick mode)' : ''} {dataset === 'fashion' ? 'on Fashion-MNIST' : ''}
      </h3>
      <ResultsTable rows={rows} published={published} />
      {published && !quick && dataset === 'mnist' ? <PublishedSummary rows={rows} /> : null}
      <ResultsNotes quick={quick} dataset={dataset} published={published} />
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

/** What the numbers are set against, for the dataset and mode shown. */
function ResultsNotes({ quick, dataset, published }: { quick: boolean; dataset: DatasetName; published: boolean }) {
  const source = published ? 'The papers' : 'The article';
  return (
    <>
      {dataset !== 'mnist' ? (
        <p className="small muted">{source} trained on MNIST only, so there are no numbers to set beside these.</p>
      ) : null}
      {dataset === 'mnist' && !quick && !published ? (
        <p className="small muted">
          Keras: the same networks, setup and MNIST files trained in real Keras ({KERAS_MEASURED_WITH}) with seeds 1 to
          5, as mean and (lowest–highest); the article’s numbers are single runs. A mean marked ≠ Keras has a 95 %
          interval outside that range.
        </p>
      ) : null}
      {dataset === 'mnist' && !quick && published ? (
        <p className="small muted">
          Published: the paper’s test error on the same 10,000 test images, as accuracy (1.6 % error is 0.984). Against
          it: matched where this lab’s mean, to the tenth of a point the difference column shows, is at most 0.5 points
          below it (or above it); else how far short. Under each row: where the lab’s recipe departs from the paper’s.
        </p>
      ) : null}
      {quick && dataset === 'mnist' ? (
        <p className="small muted">
          {published ? 'The papers’' : 'The article’s'} numbers are for all 60,000 images: beside quick runs they show
          the expected shape, and no difference is taken.
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

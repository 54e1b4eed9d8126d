import { memo, useMemo, useState } from 'react';
import { runNames } from '../../core/runs/runs';
import { useRuns } from '../../store/hooks';
import { LiveLineChart, type Series } from '../live/LiveLineChart';

/** Tableau 10: distinct hues that stay apart for the colour-blind more than most. */
const COLOURS = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];

const colour = (i: number): string => COLOURS[i % COLOURS.length] ?? '#000';

/** Accuracy runs from 0 to 1 (ticks every 0.2); one array, so the memoised chart sees the same prop. */
const UNIT: readonly [number, number] = [0, 1];

/** At most this many runs are drawn (one colour each); more ticked runs are exported, not drawn. */
export const MAX_COMPARED = COLOURS.length;

/** The ticked runs' accuracy curves in one chart: validation solid, training dashed. */
export const CompareChart = memo(function CompareChart() {
  const { list: runs, selected } = useRuns('list', 'selected');
  const [showTraining, setShowTraining] = useState(true);
  const ticked = useMemo(() => {
    const byId = new Map(runs.map((r) => [r.id, r]));
    return selected.flatMap((id) => byId.get(id) ?? []);
  }, [runs, selected]);
  const chosen = useMemo(() => ticked.slice(0, MAX_COMPARED), [ticked]);
  const names = useMemo(() => runNames(chosen), [chosen]);
  const maxEpoch = Math.max(1, ...chosen.map((r) => r.epochs.length));
  const series = useMemo<Series[]>(
    () => [
      ...chosen.map((r, i) => ({
        name: `${names[i] ?? ''} (validation)`,
        colour: colour(i),
        dots: true,
        points: r.epochs.flatMap((e) => (e.valAcc === null ? [] : [{ x: e.epoch, y: e.valAcc }])),
      })),
      ...(showTraining
        ? chosen.map((r, i) => ({
            name: `${names[i] ?? ''} (training)`,
            colour: colour(i),
            dashed: true,
            points: r.epochs.map((e) => ({ x: e.epoch, y: e.acc })),
          }))
        : []),
    ],
    [chosen, names, showTraining],
  );
  return (
    <section className="panel chart" aria-labelledby="compare-title">
      <h2 id="compare-title">Compare runs</h2>
      {chosen.length === 0 ? (
        <p className="small muted">
          Tick runs in the table above to overlay their accuracy curves here, one colour per run.
        </p>
      ) : (
        <>
          <label className="small">
            <input type="checkbox" checked={showTraining} onChange={(e) => setShowTraining(e.target.checked)} />{' '}
            training accuracy too (dashed)
          </label>
          <LiveLineChart
            series={series}
            xMax={maxEpoch}
            yDomain={UNIT}
            testId="compare-chart"
            label={`Accuracy per epoch of ${chosen.length} ticked run${chosen.length === 1 ? '' : 's'}`}
          />
          <ul className="compare-legend" data-testid="compare-legend" aria-label="Runs in the chart">
            {chosen.map((r, i) => (
              <li key={r.id}>
                <svg width="28" height="10" aria-hidden="true">
                  <line x1="0" y1="5" x2="28" y2="5" stroke={colour(i)} strokeWidth="3" />
                </svg>{' '}
                {names[i]}
                <span className="muted small"> · test {r.testAcc === null ? '–' : r.testAcc.toFixed(4)}</span>
              </li>
            ))}
          </ul>
          {ticked.length > chosen.length ? (
            <p className="small" data-testid="compare-capped">
              The chart shows the first {chosen.length} of the {ticked.length} ticked runs (one colour each); the
              exports include all {ticked.length}.
            </p>
          ) : null}
          <p className="small muted">
            Solid: validation accuracy after each epoch. Dashed: training accuracy (mean over the epoch).
          </p>
        </>
      )}
    </section>
  );
});

import { memo, useMemo, useState } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { runNames } from '../../core/runs';
import { useLab } from '../../store/context';
import { selectRuns, selectSelectedRunIds } from '../../store/selectors';

/** Tableau 10: distinct hues that stay apart for the colour-blind more than most. */
const COLOURS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

const colour = (i: number): string => COLOURS[i % COLOURS.length] ?? '#000';

/** The ticked runs' accuracy curves in one chart: validation solid, training dashed. */
export const CompareChart = memo(function CompareChart() {
  const runs = useLab(selectRuns);
  const selected = useLab(selectSelectedRunIds);
  const [showTraining, setShowTraining] = useState(true);
  const chosen = useMemo(() => selected.map((id) => runs.find((r) => r.id === id)).filter((r) => r !== undefined), [runs, selected]);
  const names = useMemo(() => runNames(chosen), [chosen]);
  const maxEpoch = Math.max(1, ...chosen.map((r) => r.epochs.length));
  return (
    <section className="panel chart" aria-labelledby="compare-title">
      <h2 id="compare-title">Compare runs</h2>
      {chosen.length === 0 ? (
        <p className="small muted">Tick runs in the table above to overlay their accuracy curves here, one colour per run.</p>
      ) : (
        <>
          <label className="small">
            <input type="checkbox" checked={showTraining} onChange={(e) => setShowTraining(e.target.checked)} /> training accuracy too (dashed)
          </label>
          <div className="chart-box" data-testid="compare-chart">
            <ResponsiveContainer width="100%" height="100%">
              <LineChart margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis
                  dataKey="epoch"
                  type="number"
                  domain={[1, maxEpoch]}
                  allowDecimals={false}
                  tickCount={Math.min(maxEpoch, 11)}
                  label={{ value: 'epoch', position: 'insideBottomRight', offset: -4 }}
                />
                <YAxis domain={[0, 1]} tickCount={6} width={40} />
                <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(4) : String(v))} labelFormatter={(x) => `epoch ${String(x)}`} />
                {chosen.map((r, i) => (
                  <Line
                    key={`val-${r.id}`}
                    data={r.epochs.filter((e) => e.valAcc !== null)}
                    dataKey="valAcc"
                    name={`${names[i] ?? ''} (validation)`}
                    stroke={colour(i)}
                    strokeWidth={2}
                    isAnimationActive={false}
                  />
                ))}
                {showTraining
                  ? chosen.map((r, i) => (
                      <Line
                        key={`acc-${r.id}`}
                        data={r.epochs}
                        dataKey="acc"
                        name={`${names[i] ?? ''} (training)`}
                        stroke={colour(i)}
                        strokeDasharray="5 4"
                        dot={false}
                        legendType="plainline"
                        isAnimationActive={false}
                      />
                    ))
                  : null}
              </LineChart>
            </ResponsiveContainer>
          </div>
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
          <p className="small muted">Solid: validation accuracy after each epoch. Dashed: training accuracy (mean over the epoch).</p>
        </>
      )}
    </section>
  );
});

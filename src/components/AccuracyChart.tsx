import { memo, useDeferredValue, useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useLab } from '../store/context';
import { selectConfig, selectEpochs, selectLive } from '../store/selectors';

/** Training accuracy as it grows within each epoch, and validation accuracy after each epoch. */
export const AccuracyChart = memo(function AccuracyChart() {
  // Deferred: React renders the chart at low priority, in slices that yield to input, so a busy
  // machine never sees one long task per training update.
  const live = useDeferredValue(useLab(selectLive));
  const epochs = useDeferredValue(useLab(selectEpochs));
  const maxEpochs = useLab(selectConfig).epochs;
  const val = useMemo(() => epochs.filter((e) => e.valAcc !== null).map((e) => ({ x: e.epoch, acc: e.valAcc })), [epochs]);
  const train = useMemo(() => [{ x: 0, acc: null }, ...live], [live]);
  return (
    <section className="panel chart" aria-labelledby="chart-title">
      <h2 id="chart-title">Accuracy</h2>
      <div className="chart-box" data-testid="accuracy-chart">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis
              dataKey="x"
              type="number"
              domain={[0, maxEpochs]}
              allowDecimals={false}
              tickCount={Math.min(maxEpochs + 1, 11)}
              label={{ value: 'epoch', position: 'insideBottomRight', offset: -4 }}
            />
            <YAxis domain={[0, 1]} tickCount={6} width={40} />
            <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(4) : String(v))} labelFormatter={(x) => `epoch ${Number(x).toFixed(2)}`} />
            <Legend />
            <Line data={train} dataKey="acc" name="training (running mean in the epoch)" stroke="#2563eb" dot={false} isAnimationActive={false} />
            <Line data={val} dataKey="acc" name="validation (end of epoch)" stroke="#dc2626" isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </section>
  );
});

import { memo, useDeferredValue, useMemo } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useLab } from '../../store/context';
import { selectEpochs, selectSamples, selectShownEpochs } from '../../store/selectors';
import { chartPoints } from './series';

const fmt = (v: unknown) => (typeof v === 'number' ? v.toFixed(4) : String(v));

/**
 * Training accuracy as a smoothed curve over batches (not reset at epoch ends) and validation
 * accuracy at each epoch's end, with the 10 % a guess scores.
 */
export const AccuracyChart = memo(function AccuracyChart() {
  // Deferred: React renders the chart at low priority, in slices that yield to input.
  const samples = useDeferredValue(useLab(selectSamples));
  const epochs = useDeferredValue(useLab(selectEpochs));
  const maxEpochs = useLab(selectShownEpochs);
  const data = useMemo(() => chartPoints(samples, epochs, 'acc'), [samples, epochs]);
  return (
    <figure className="live-chart">
      <figcaption className="chart-title">
        Accuracy <span className="legend-train">— training</span> <span className="legend-val">● validation</span> <span className="legend-chance">┄ chance</span>
      </figcaption>
      <div className="chart-box" data-testid="accuracy-chart">
        {data.length === 0 ? <p className="chart-empty">Press Train: accuracy appears here as the network learns.</p> : null}
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={{ top: 6, right: 10, bottom: 0, left: -12 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="x" type="number" domain={[0, maxEpochs]} allowDecimals={false} tickCount={Math.min(maxEpochs + 1, 11)} fontSize={11} />
            <YAxis domain={[0, 1]} ticks={[0, 0.2, 0.4, 0.6, 0.8, 1]} width={40} fontSize={11} />
            <ReferenceLine y={0.1} stroke="#64748b" strokeDasharray="4 4" ifOverflow="visible" />
            <Tooltip formatter={fmt} labelFormatter={(x) => `epoch ${Number(x).toFixed(2)}`} />
            <Line dataKey="train" name="training" stroke="#2563eb" dot={false} isAnimationActive={false} connectNulls />
            <Line dataKey="val" name="validation" stroke="#dc2626" isAnimationActive={false} connectNulls />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
});

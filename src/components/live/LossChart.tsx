import { memo, useDeferredValue, useMemo, useState } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useLab } from '../../store/context';
import { selectEpochs, selectSamples, selectShownEpochs } from '../../store/selectors';
import { chartPoints } from './series';

/** What guessing scores: -ln(1/10). */
const GUESS_LOSS = Math.log(10);
const fmt = (v: unknown) => (typeof v === 'number' ? v.toFixed(4) : String(v));

/** Training loss (smoothed, per batch) and validation loss per epoch, with a log-scale toggle. */
export const LossChart = memo(function LossChart() {
  const samples = useDeferredValue(useLab(selectSamples));
  const epochs = useDeferredValue(useLab(selectEpochs));
  const maxEpochs = useLab(selectShownEpochs);
  const [log, setLog] = useState(false);
  const data = useMemo(() => chartPoints(samples, epochs, 'loss'), [samples, epochs]);
  return (
    <figure className="live-chart">
      <figcaption className="chart-title">
        Loss <span className="legend-train">— training</span> <span className="legend-val">● validation</span>
        <label className="check inline">
          <input type="checkbox" checked={log} onChange={(e) => setLog(e.target.checked)} /> log scale
        </label>
      </figcaption>
      <div className="chart-box" data-testid="loss-chart">
        {data.length === 0 ? <p className="chart-empty">Loss: lower is better; guessing scores 2.30.</p> : null}
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={{ top: 6, right: 10, bottom: 0, left: -12 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="x" type="number" domain={[0, maxEpochs]} allowDecimals={false} tickCount={Math.min(maxEpochs + 1, 11)} fontSize={11} />
            {log ? (
              <YAxis scale="log" domain={['auto', 'auto']} allowDataOverflow width={40} fontSize={11} tickFormatter={(v: number) => String(Number(v.toPrecision(2)))} />
            ) : (
              <YAxis domain={[0, 'auto']} width={40} fontSize={11} tickFormatter={(v: number) => String(Number(v.toPrecision(2)))} />
            )}
            <ReferenceLine y={GUESS_LOSS} stroke="#64748b" strokeDasharray="4 4" ifOverflow="extendDomain" />
            <Tooltip formatter={fmt} labelFormatter={(x) => `epoch ${Number(x).toFixed(2)}`} />
            <Line dataKey="train" name="training" stroke="#2563eb" dot={false} isAnimationActive={false} connectNulls />
            <Line dataKey="val" name="validation" stroke="#dc2626" isAnimationActive={false} connectNulls />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
});

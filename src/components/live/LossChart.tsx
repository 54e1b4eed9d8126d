import { memo, useDeferredValue, useMemo, useState } from 'react';
import { useLab } from '../../store/context';
import { selectEpochs, selectSamples, selectShownEpochs } from '../../store/selectors';
import { LiveLineChart } from './LiveLineChart';
import { curves, lossAxis } from './series';

/** What guessing scores: -ln(1/10). */
const GUESS_LOSS = Math.log(10);

/** Training loss (smoothed, per batch) and validation loss per epoch, with a log-scale toggle. */
export const LossChart = memo(function LossChart() {
  // Deferred: the redraw runs at low priority, after the page has answered any input.
  const samples = useDeferredValue(useLab(selectSamples));
  const epochs = useDeferredValue(useLab(selectEpochs));
  const maxEpochs = useLab(selectShownEpochs);
  const [log, setLog] = useState(false);
  const { train, val } = useMemo(() => curves(samples, epochs, 'loss'), [samples, epochs]);
  const axis = useMemo(() => lossAxis([...train, ...val].map((p) => p.y), GUESS_LOSS, log), [train, val, log]);
  return (
    <figure className="live-chart">
      <figcaption className="chart-title">
        Loss <span className="legend-train">— training</span> <span className="legend-val">○ validation</span> <span className="legend-chance">┄ guessing</span>
        <label className="check inline">
          <input type="checkbox" checked={log} onChange={(e) => setLog(e.target.checked)} data-testid="loss-log" /> log scale
        </label>
      </figcaption>
      <LiveLineChart
        testId="loss-chart"
        label="Training and validation loss by epoch"
        series={[
          { name: 'training', colour: '#2563eb', points: train },
          { name: 'validation', colour: '#dc2626', points: val, dots: true },
        ]}
        xMax={maxEpochs}
        yDomain={axis.domain}
        yTicks={axis.ticks}
        log={log}
        reference={GUESS_LOSS}
        empty="Loss: lower is better; guessing scores 2.30."
      />
    </figure>
  );
});

import { memo, useDeferredValue, useMemo } from 'react';
import { useLab } from '../../store/context';
import { selectEpochs, selectSamples, selectShownEpochs } from '../../store/selectors';
import { LiveLineChart } from './LiveLineChart';
import { curves } from './series';

/**
 * Training accuracy as a smoothed curve over batches (not reset at epoch ends) and validation
 * accuracy at each epoch's end, with the 10 % a guess scores.
 */
export const AccuracyChart = memo(function AccuracyChart() {
  // Deferred: the redraw runs at low priority, after the page has answered any input.
  const samples = useDeferredValue(useLab(selectSamples));
  const epochs = useDeferredValue(useLab(selectEpochs));
  const maxEpochs = useLab(selectShownEpochs);
  const { train, val } = useMemo(() => curves(samples, epochs, 'acc'), [samples, epochs]);
  return (
    <figure className="live-chart">
      <figcaption className="chart-title">
        Accuracy <span className="legend-train">— training</span> <span className="legend-val">○ validation</span> <span className="legend-chance">┄ chance</span>
      </figcaption>
      <LiveLineChart
        testId="accuracy-chart"
        label="Training and validation accuracy by epoch"
        series={[
          { name: 'training', colour: '#2563eb', points: train },
          { name: 'validation', colour: '#dc2626', points: val, dots: true },
        ]}
        xMax={maxEpochs}
        yDomain={[0, 1]}
        yTicks={[0, 0.2, 0.4, 0.6, 0.8, 1]}
        reference={0.1}
        empty="Press Train: accuracy appears here as the network learns."
      />
    </figure>
  );
});

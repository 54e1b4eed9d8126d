import { memo } from 'react';
import { LiveLineChart } from './LiveLineChart';
import { useLiveCurves } from './useLiveCurves';
import { useKeptMarker } from './useEarlyStop';

/** Accuracy runs from 0 to 1 (ticks every 0.2): one array, so the memoised chart sees the same prop. */
const UNIT: readonly [number, number] = [0, 1];

/**
 * Training accuracy as a smoothed curve over batches (not reset at epoch ends) and validation
 * accuracy at each epoch's end, with the 10 % a guess scores.
 */
export const AccuracyChart = memo(function AccuracyChart() {
  const { series, maxEpochs } = useLiveCurves('acc');
  const marker = useKeptMarker();
  return (
    <figure className="live-chart">
      <figcaption className="chart-title">
        Accuracy <span className="legend-train">— training</span> <span className="legend-val">○ validation</span>{' '}
        <span className="legend-chance">┄ chance</span>
      </figcaption>
      <LiveLineChart
        marker={marker}
        testId="accuracy-chart"
        label="Training and validation accuracy by epoch"
        series={series}
        xMax={maxEpochs}
        yDomain={UNIT}
        reference={0.1}
        empty="Press Train: accuracy appears here as the network learns."
      />
    </figure>
  );
});

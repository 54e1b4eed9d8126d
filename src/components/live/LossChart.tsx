import { memo, useMemo, useState } from 'react';
import { LiveLineChart } from './LiveLineChart';
import { lossAxis } from './series';
import { useLiveCurves } from './useLiveCurves';
import { useKeptMarker } from './useEarlyStop';
import { useShownLoss } from '../../store/hooks';
import { guessLoss } from '../../core/network/loss';

/** Training loss (smoothed, per batch) and validation loss per epoch, with a log-scale toggle. */
export const LossChart = memo(function LossChart() {
  const { series, points, maxEpochs } = useLiveCurves('loss');
  const marker = useKeptMarker();
  // What guessing evenly scores in the run's loss: ln 10 ≈ 2.30, or 0.09 in squared error.
  const guess = guessLoss(useShownLoss());
  const [log, setLog] = useState(false);
  const axis = useMemo(
    () =>
      lossAxis(
        points.map((p) => p.y),
        guess,
        log,
      ),
    [points, guess, log],
  );
  return (
    <figure className="live-chart">
      <figcaption className="chart-title">
        Loss <span className="legend-train">— training</span> <span className="legend-val">○ validation</span>{' '}
        <span className="legend-chance">┄ guessing</span>
        <label className="check inline">
          <input type="checkbox" checked={log} onChange={(e) => setLog(e.target.checked)} data-testid="loss-log" /> log
          scale
        </label>
      </figcaption>
      <LiveLineChart
        marker={marker}
        testId="loss-chart"
        label="Training and validation loss by epoch"
        series={series}
        xMax={maxEpochs}
        yDomain={axis.domain}
        log={log}
        reference={guess}
        empty={`Loss: lower is better; guessing scores ${guess.toFixed(2)}.`}
      />
    </figure>
  );
});

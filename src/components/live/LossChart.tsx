import { memo, useMemo, useState } from 'react';
import { LiveLineChart } from './LiveLineChart';
import { lossAxis } from './series';
import { useLiveCurves } from './useLiveCurves';
import { useKeptMarker } from './useEarlyStop';

/** What guessing scores: -ln(1/10). */
const GUESS_LOSS = Math.log(10);

/** Training loss (smoothed, per batch) and validation loss per epoch, with a log-scale toggle. */
export const LossChart = memo(function LossChart() {
  const { series, points, maxEpochs } = useLiveCurves('loss');
  const marker = useKeptMarker();
  const [log, setLog] = useState(false);
  const axis = useMemo(
    () =>
      lossAxis(
        points.map((p) => p.y),
        GUESS_LOSS,
        log,
      ),
    [points, log],
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
        reference={GUESS_LOSS}
        empty="Loss: lower is better; guessing scores 2.30."
      />
    </figure>
  );
});

/**
 * The learning-rate finder (core/network/rateFinder.ts): a button that runs it on the controls'
 * network, its curve of loss against rate (log scale) as it comes, and the suggestion with the
 * rule that chose it and a button that uses it.
 */
import { CartesianGrid, Line, LineChart, ReferenceLine, XAxis, YAxis } from 'recharts';
import { centredLoss, RATE_FINDER, type FinderPoint } from '../../core/network/rateFinder';
import { describeConfig } from '../../core/runs/runs';
import { useActions, useConfig, useIsBusy, useLabState } from '../../store/hooks';
import { Hint } from '../common/Hint';
import { formatRate } from '../lib/format';

const TICKS = [1e-7, 1e-5, 1e-3, 1e-1, 10];

export function RateFinder() {
  const { finder } = useLabState('finder');
  const config = useConfig();
  const busy = useIsBusy();
  const { findRate, applyFoundRate } = useActions();
  const { status, points, suggestion } = finder;
  const finding = status === 'finding';
  return (
    <div className="rate-finder" data-testid="rate-finder">
      <div className="with-hint">
        <button type="button" data-testid="lr-finder" onClick={findRate} disabled={busy || finding}>
          {finding ? 'Finding a rate…' : 'Find a learning rate'}
        </button>
        <Hint term="rateFinder" label="the learning-rate finder" />
      </div>
      {finding ? (
        <p className="small muted" role="status">
          {finder.progress
            ? 'Loading the images…'
            : `Batch ${points.length} of up to ${RATE_FINDER.steps}, rate ${formatRate(points.at(-1)?.rate ?? RATE_FINDER.start)}`}
        </p>
      ) : null}
      {points.length > 1 ? <FinderChart points={points} suggested={suggestion?.rate ?? null} /> : null}
      {status === 'done' && finder.config ? (
        <p className="small" data-testid="lr-suggestion">
          {suggestion ? (
            <>
              Suggested rate <b>{formatRate(suggestion.rate)}</b>: where the loss (the blue line: each batch's with the
              5 either side) fell fastest (by {(-suggestion.slope).toFixed(2)} per tenfold rate), before its lowest
              point ({suggestion.lowest.toFixed(2)} at rate {formatRate(suggestion.lowestRate)}). Found over{' '}
              {points.length} batches of {describeConfig(finder.config)}.{' '}
              <button
                type="button"
                data-testid="lr-apply"
                onClick={applyFoundRate}
                disabled={config.learningRate === suggestion.rate}
              >
                {config.learningRate === suggestion.rate ? 'In use' : `Use ${formatRate(suggestion.rate)}`}
              </button>
            </>
          ) : (
            <>
              No rate made the loss fall over these {points.length} batches: the network did not learn at any rate
              tried. Try scaled inputs or another optimizer.
            </>
          )}
        </p>
      ) : null}
      {finder.problem ? <p className="small error">{finder.problem}</p> : null}
    </div>
  );
}

/** Loss against rate, log scale: each batch's loss faint, the centred mean the suggestion reads over it, the suggestion marked. */
function FinderChart({ points, suggested }: { points: readonly FinderPoint[]; suggested: number | null }) {
  const centred = centredLoss(points);
  const data = points.map((p, i) => ({ rate: p.rate, loss: p.loss, centred: centred[i] }));
  const top = Math.min(Math.max(...centred), 2 * Math.max(centred[0] ?? 1, 0.1));
  return (
    <figure className="finder-chart" aria-label="Loss against learning rate, log scale">
      <LineChart
        width={300}
        height={150}
        data={data}
        margin={{ top: 12, right: 8, bottom: 14, left: 0 }}
        style={{ maxWidth: '100%' }}
        responsive
      >
        <CartesianGrid stroke="#e2e8f0" />
        <XAxis
          dataKey="rate"
          type="number"
          scale="log"
          domain={[RATE_FINDER.start, RATE_FINDER.end]}
          ticks={TICKS}
          tickFormatter={(v: number) => formatRate(v)}
          fontSize={10}
          label={{ value: 'learning rate (log scale)', position: 'insideBottom', offset: -8, fontSize: 10 }}
        />
        <YAxis domain={[0, Number(top.toPrecision(2))]} width={34} fontSize={10} allowDataOverflow />
        <Line dataKey="loss" stroke="#cbd5e1" dot={false} isAnimationActive={false} strokeWidth={1} />
        <Line dataKey="centred" stroke="#2563eb" dot={false} isAnimationActive={false} strokeWidth={1.5} />
        {suggested !== null ? (
          <ReferenceLine
            x={suggested}
            stroke="#f59e0b"
            strokeDasharray="4 3"
            label={{ value: `suggested ${formatRate(suggested)}`, position: 'insideTopLeft', fontSize: 10 }}
          />
        ) : null}
      </LineChart>
    </figure>
  );
}

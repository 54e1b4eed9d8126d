import { memo, useDeferredValue } from 'react';
import { useRun } from '../../store/hooks';
import { WeightKey, WeightTileGrid } from '../inside/WeightTiles';
import { earlyStopOf } from '../../core/runs/earlyStopping';

/** Tiles shown in the main view (all 64 are in "Inside the network"). */
const SHOWN = 24;

/** The first layer's weights of the run on screen, read back every couple of seconds as it trains. */
export const LiveTiles = memo(function LiveTiles() {
  const run = useRun('tiles', 'config', 'status', 'epochs');
  const tiles = useDeferredValue(run.tiles);
  const { config, status } = run;
  // Early stopping may have put an earlier epoch's weights back: the tiles are the last trained.
  const stop = config && status === 'done' ? earlyStopOf(config, run.epochs) : null;
  const kept = stop && stop.restored < run.epochs.length ? stop.restored : null;
  const hidden = (config?.layers.length ?? 1) > 0;
  return (
    <section className="panel live-tiles" aria-labelledby="tiles-title">
      <h2 id="tiles-title">
        {hidden ? 'Layer 1 weights' : 'Output weights'}
        {tiles ? (
          <span className="small muted">
            {' '}
            · epoch {tiles.x.toFixed(2)}
            {status === 'training' ? ', live' : ''}
          </span>
        ) : null}
      </h2>
      {tiles && kept !== null ? (
        <p className="small muted" data-testid="tiles-not-kept">
          These are the last trained epoch&apos;s weights; early stopping gave the network back epoch {kept}&apos;s.
        </p>
      ) : null}
      {tiles ? (
        <WeightTileGrid
          kernel={tiles.values}
          columns={tiles.units}
          count={SHOWN}
          perRow={8}
          label={`Weights of the first ${Math.min(SHOWN, tiles.units)} ${hidden ? 'units of layer 1' : 'output classes'} on the 28×28 pixels, at epoch ${tiles.x.toFixed(2)}`}
          testId="live-tiles"
        />
      ) : config ? (
        <>
          <div className="weight-sheet-placeholder" aria-hidden="true" />
          {/* The key holds its place before the first read-back, so the panel does not grow then. */}
          <WeightKey />
        </>
      ) : (
        <p className="small muted empty">
          As it trains, each unit’s weights on the 28×28 pixels appear here (red: ink pushes it up, blue: down) and
          sharpen into strokes.
        </p>
      )}
    </section>
  );
});

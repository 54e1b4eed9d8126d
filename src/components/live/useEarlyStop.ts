import { useMemo } from 'react';
import { earlyStopOf, type EarlyStop } from '../../core/runs/earlyStopping';
import { useShown } from '../../store/hooks';

/** What early stopping did in the run the main view shows (null: it has none, or nothing yet). */
export function useEarlyStop(): EarlyStop | null {
  const { config, epochs } = useShown('config', 'epochs');
  return useMemo(() => (config ? earlyStopOf(config, epochs) : null), [config, epochs]);
}

/** The charts' mark at the epoch whose weights early stopping kept (while training: the best so far; null: none). */
export function useKeptMarker(): { x: number; label: string } | null {
  const stop = useEarlyStop();
  const { status } = useShown('status');
  const done = status === 'done';
  return useMemo(
    () => (stop ? { x: stop.restored, label: done ? `weights kept: epoch ${stop.restored}` : 'best so far' } : null),
    [stop, done],
  );
}

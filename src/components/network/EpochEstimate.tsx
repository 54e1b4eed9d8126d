import { useMemo } from 'react';
import { estimateEpochSeconds } from '../../core/runs/runEstimate';
import { useConfig, useRunList } from '../../store/hooks';
import { duration } from '../lib/format';

/** Time per epoch on this machine, scaled from the throughput of runs the lab has measured. */
export function EpochEstimate() {
  const config = useConfig();
  const runs = useRunList();
  const estimate = useMemo(() => estimateEpochSeconds(runs, config), [runs, config]);
  return (
    <p className="small muted" data-testid="epoch-estimate">
      {estimate
        ? `Per epoch here: about ${duration(estimate.seconds)} (${estimate.backend}); ${duration(estimate.seconds * config.epochs)} for ${config.epochs}. From ${estimate.runs} measured run${estimate.runs === 1 ? '' : 's'}.`
        : config.backend === 'auto' || runs.length === 0
          ? 'Time per epoch: no estimate yet (the lab learns it from a first run).'
          : `Time per epoch: no estimate yet for ${config.backend} (the lab learns it from a first run on it).`}
    </p>
  );
}

import { useDeferredValue, useMemo } from 'react';
import { useShown, useShownEpochs } from '../../store/hooks';
import type { Series } from './LiveLineChart';
import { curves, type Point } from './series';

/**
 * What a live chart of `key` draws: the training curve (blue) and the validation points (red),
 * read deferred so the redraw runs at low priority, after the page has answered any input; and
 * the epochs of the run on screen (the x axis).
 */
export function useLiveCurves(key: 'acc' | 'loss'): { series: Series[]; points: Point[]; maxEpochs: number } {
  const run = useShown('samples', 'epochs');
  const samples = useDeferredValue(run.samples);
  const epochs = useDeferredValue(run.epochs);
  const maxEpochs = useShownEpochs();
  return useMemo(() => {
    const { train, val } = curves(samples, epochs, key);
    return {
      series: [
        { name: 'training', colour: '#2563eb', points: train },
        { name: 'validation', colour: '#dc2626', points: val, dots: true },
      ],
      points: [...train, ...val],
      maxEpochs,
    };
  }, [samples, epochs, key, maxEpochs]);
}

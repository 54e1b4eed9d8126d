/**
 * The learning-rate finder (core/network/rateFinder.ts): one click trains the controls' network in
 * the worker for up to 200 batches at rising rates; the points arrive as they are trained, the
 * suggestion is worked out from them at the end, and one more click puts it into the config.
 */
import { setNumber } from '../../core/network/edit';
import { suggestRate, type FinderPoint, type RateSuggestion } from '../../core/network/rateFinder';
import type { TrainConfig } from '../../core/network/spec';
import type { LoadProgress, TrainingClient } from '../../worker/client';
import { errorMessage, type GetState, type SetState } from './slice';

export interface FinderState {
  readonly status: 'idle' | 'finding' | 'done' | 'error';
  /** The config the finder ran (its network, optimizer, batch size…). */
  readonly config: TrainConfig | null;
  readonly points: readonly FinderPoint[];
  /** Null until it is done, and when no rate made the loss fall. */
  readonly suggestion: RateSuggestion | null;
  readonly progress: LoadProgress | null;
  readonly problem: string | null;
}

export const EMPTY_FINDER: FinderState = {
  status: 'idle',
  config: null,
  points: [],
  suggestion: null,
  progress: null,
  problem: null,
};

export interface FinderActions {
  /** Runs the finder on the controls' network (while the lab is idle). */
  findRate(): void;
  /** Sets the learning rate to the finder's suggestion. */
  applyFoundRate(): void;
}

interface Host {
  readonly finder: FinderState;
  readonly config: TrainConfig;
  readonly run: { readonly status: string };
  editConfig(edit: (config: TrainConfig) => TrainConfig): void;
}

export function createFinderSlice(
  set: SetState<Pick<Host, 'finder'>>,
  get: GetState<Host>,
  deps: { readonly client: () => TrainingClient },
): Pick<Host, 'finder'> & FinderActions {
  const update = (change: Partial<FinderState>) => set((s) => ({ finder: { ...s.finder, ...change } }));
  let request = 0;
  return {
    finder: EMPTY_FINDER,
    findRate() {
      const { run, config, finder } = get();
      if (finder.status === 'finding') return;
      if (run.status === 'loading' || run.status === 'training') {
        update({ problem: 'A run is training: the rate finder works while the lab is idle (Stop the run first).' });
        return;
      }
      const mine = ++request;
      set({ finder: { ...EMPTY_FINDER, status: 'finding', config } });
      const points: FinderPoint[] = [];
      deps
        .client()
        .findRate(
          config,
          (point) => {
            points.push(point);
            if (mine === request) update({ points: [...points], progress: null });
          },
          (progress) => {
            if (mine === request) update({ progress });
          },
        )
        .then(
          (all) => {
            if (mine === request) update({ status: 'done', points: all, suggestion: suggestRate(all), progress: null });
          },
          (e: unknown) => {
            if (mine === request)
              update({ status: 'error', progress: null, problem: `The rate finder failed: ${errorMessage(e)}` });
          },
        );
    },
    applyFoundRate() {
      const rate = get().finder.suggestion?.rate;
      if (rate !== undefined) get().editConfig((c) => setNumber(c, 'learningRate', rate));
    },
  };
}

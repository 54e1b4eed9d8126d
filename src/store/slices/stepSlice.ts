/**
 * Stepping through training one batch at a time (the "One step" tab): each press of Step trains
 * exactly one batch of the controls' network in the worker and shows what it did; a unit chosen in
 * the view shows its incoming weights and its dot product. The stepped network is the worker's;
 * it starts afresh when the settings change, on Start over, and after a run.
 */
import type { TrainConfig } from '../../core/network/spec';
import type { StepResult, UnitWeights } from '../../core/step/step';
import type { LoadProgress, TrainingClient } from '../../worker/client';
import { errorMessage, type GetState, type SetState } from './slice';

export interface StepState {
  readonly status: 'idle' | 'stepping' | 'ready' | 'error';
  /** The last step's report, and the settings of the network it stepped. */
  readonly result: StepResult | null;
  readonly config: TrainConfig | null;
  /** The dataset loading before the first step. */
  readonly progress: LoadProgress | null;
  /** The unit shown in detail (0-based), and its weights once read. */
  readonly unit: { readonly layer: number; readonly unit: number; readonly weights: UnitWeights | null } | null;
  readonly problem: string | null;
}

export const EMPTY_STEP: StepState = {
  status: 'idle',
  result: null,
  config: null,
  progress: null,
  unit: null,
  problem: null,
};

export interface StepActions {
  /** Trains one batch (a fresh network first when the settings changed or after Start over). */
  stepOnce(): void;
  /** Forgets the stepped network: the next Step starts from the initial weights. */
  resetStep(): void;
  /** Shows unit `unit` of layer `layer` (0-based; the output layer last) in detail, or none. */
  showUnit(layer: number, unit: number): void;
  closeUnit(): void;
}

interface Host {
  readonly step: StepState;
  readonly config: TrainConfig;
  readonly run: { readonly status: string };
  drawnInput(range: 'raw' | 'scaled'): Float32Array | null;
}

const same = (a: TrainConfig | null, b: TrainConfig) => a !== null && JSON.stringify(a) === JSON.stringify(b);

export function createStepSlice(
  set: SetState<Pick<Host, 'step'>>,
  get: GetState<Host>,
  deps: { readonly client: () => TrainingClient },
): Pick<Host, 'step'> & StepActions {
  const update = (change: Partial<StepState>) => set((s) => ({ step: { ...s.step, ...change } }));
  let fresh = true;
  let unitRequest = 0;

  const readUnit = (layer: number, unit: number) => {
    const mine = ++unitRequest;
    deps
      .client()
      .stepUnit(layer, unit)
      .then(
        (weights) => {
          if (mine === unitRequest) update({ unit: { layer, unit, weights } });
        },
        (e: unknown) => {
          if (mine === unitRequest) update({ unit: null, problem: `Could not read the unit: ${errorMessage(e)}` });
        },
      );
  };

  return {
    step: EMPTY_STEP,
    stepOnce() {
      const { run, config, step } = get();
      if (step.status === 'stepping') return;
      if (run.status === 'loading' || run.status === 'training') {
        update({ problem: 'A run is training: Step works while the lab is idle (Stop the run first).' });
        return;
      }
      const reset = fresh || !same(step.config, config);
      fresh = false;
      update({ status: 'stepping', problem: null, progress: null });
      deps
        .client()
        .step(config, get().drawnInput(config.preprocessing), reset, (progress) => update({ progress }))
        .then(
          (result) => {
            const unit = get().step.unit;
            update({ status: 'ready', result, config, progress: null, unit: unit && { ...unit, weights: null } });
            if (unit) readUnit(unit.layer, unit.unit);
          },
          (e: unknown) => {
            fresh = true;
            update({ status: 'error', progress: null, problem: `Could not step: ${errorMessage(e)}` });
          },
        );
    },
    resetStep() {
      fresh = true;
      unitRequest++;
      set({ step: EMPTY_STEP });
    },
    showUnit(layer, unit) {
      if (!get().step.result) return;
      update({ unit: { layer, unit, weights: null } });
      readUnit(layer, unit);
    },
    closeUnit() {
      unitRequest++;
      update({ unit: null });
    },
  };
}

/**
 * The page's side of stepping (the worker's `step` and `step-unit` messages): each request waits
 * for its reply by id; all fail at once when the worker goes away.
 */
import type { TrainConfig } from '../core/network/spec';
import type { StepResult, UnitWeights } from '../core/step/step';
import type { LoadProgress } from '../data/mnist';
import type { MainToWorker, StepMessage, WorkerToMain } from './protocol';

interface Pending {
  readonly resolve: (value: StepResult | UnitWeights) => void;
  readonly reject: (e: Error) => void;
  readonly onProgress: (p: LoadProgress) => void;
}

export const isStepReply = (m: WorkerToMain): m is StepMessage =>
  m.type === 'step-loading' || m.type === 'step-result' || m.type === 'step-unit-result' || m.type === 'step-error';

export function createStepRequests(send: (m: MainToWorker) => void) {
  let nextRequestId = 1;
  const pending = new Map<number, Pending>();
  const ask = <T extends StepResult | UnitWeights>(
    message: (requestId: number) => MainToWorker,
    onProgress: (p: LoadProgress) => void,
  ) => {
    const requestId = nextRequestId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(requestId, { resolve: resolve as (v: StepResult | UnitWeights) => void, reject, onProgress });
      send(message(requestId));
    });
  };
  return {
    receive(m: StepMessage) {
      const p = pending.get(m.requestId);
      if (!p) return;
      if (m.type === 'step-loading') return p.onProgress({ loaded: m.loaded, total: m.total, fromCache: m.fromCache });
      pending.delete(m.requestId);
      if (m.type === 'step-error') p.reject(new Error(m.message));
      else p.resolve(m.type === 'step-result' ? m.result : m.weights);
    },
    failAll(why: string) {
      for (const p of pending.values()) p.reject(new Error(why));
      pending.clear();
    },
    /** Trains one batch of `config`'s run in the worker (see the `step` message). */
    step(
      config: TrainConfig,
      baseUrl: string,
      input: Float32Array | null,
      reset: boolean,
      onProgress: (p: LoadProgress) => void,
    ) {
      return ask<StepResult>((requestId) => ({ type: 'step', requestId, config, baseUrl, input, reset }), onProgress);
    },
    /** One unit's incoming weights and bias in the stepped network. */
    unit(layer: number, unit: number) {
      return ask<UnitWeights>(
        (requestId) => ({ type: 'step-unit', requestId, layer, unit }),
        () => undefined,
      );
    },
  };
}

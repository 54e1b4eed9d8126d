/**
 * The page's side of stepping and of the rate finder (the worker's `step`, `step-unit` and
 * `rate-find` messages): each request waits for its reply by id; all fail at once when the worker
 * goes away.
 */
import type { FinderPoint } from '../core/network/rateFinder';
import type { GroupTime } from '../core/runs/groupTrial';
import type { TrainConfig } from '../core/network/spec';
import type { StepResult, UnitWeights } from '../core/step/step';
import type { LoadProgress } from '../data/mnist';
import type { MainToWorker, StepMessage, WorkerToMain } from './protocol';

type Reply = StepResult | UnitWeights | readonly FinderPoint[] | readonly GroupTime[];

interface Pending {
  readonly resolve: (value: Reply) => void;
  readonly reject: (e: Error) => void;
  readonly onProgress: (p: LoadProgress) => void;
  readonly onPoint?: (point: FinderPoint, index: number) => void;
}

export const isStepReply = (m: WorkerToMain): m is StepMessage =>
  m.type === 'step-loading' ||
  m.type === 'step-result' ||
  m.type === 'step-unit-result' ||
  m.type === 'step-error' ||
  m.type === 'rate-find-point' ||
  m.type === 'rate-find-result' ||
  m.type === 'group-time-result';

export function createStepRequests(send: (m: MainToWorker) => void) {
  let nextRequestId = 1;
  const pending = new Map<number, Pending>();
  const ask = <T extends Reply>(
    message: (requestId: number) => MainToWorker,
    callbacks: Omit<Pending, 'resolve' | 'reject'>,
  ) => {
    const requestId = nextRequestId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(requestId, { resolve: resolve as (v: Reply) => void, reject, ...callbacks });
      send(message(requestId));
    });
  };
  return {
    receive(m: StepMessage) {
      const p = pending.get(m.requestId);
      if (!p) return;
      if (m.type === 'step-loading') return p.onProgress({ loaded: m.loaded, total: m.total, fromCache: m.fromCache });
      if (m.type === 'rate-find-point') return p.onPoint?.(m.point, m.index);
      pending.delete(m.requestId);
      if (m.type === 'step-error') p.reject(new Error(m.message));
      else if (m.type === 'group-time-result') p.resolve(m.times);
      else p.resolve(m.type === 'step-result' ? m.result : m.type === 'rate-find-result' ? m.points : m.weights);
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
      return ask<StepResult>((requestId) => ({ type: 'step', requestId, config, baseUrl, input, reset }), {
        onProgress,
      });
    },
    /** One unit's incoming weights and bias in the stepped network. */
    unit(layer: number, unit: number) {
      return ask<UnitWeights>((requestId) => ({ type: 'step-unit', requestId, layer, unit }), {
        onProgress: () => undefined,
      });
    },
    /** Runs the rate finder on `config`'s network; each batch's point as it comes, then all of them. */
    findRate(
      config: TrainConfig,
      baseUrl: string,
      onPoint: (point: FinderPoint, index: number) => void,
      onProgress: (p: LoadProgress) => void,
    ) {
      return ask<readonly FinderPoint[]>((requestId) => ({ type: 'rate-find', requestId, config, baseUrl }), {
        onProgress,
        onPoint,
      });
    },
    /** The group trial: `config`'s network timed alone and in groups of `sizes` (its backend; WASM: `threads` threads). */
    timeGroups(config: TrainConfig, sizes: readonly number[], baseUrl: string, threads: number) {
      return ask<readonly GroupTime[]>(
        (requestId) => ({ type: 'group-time', requestId, config, sizes, baseUrl, threads }),
        { onProgress: () => undefined },
      );
    },
  };
}

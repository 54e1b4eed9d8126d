/**
 * Stepping in the worker: one Stepper (ml/stepper.ts) kept between presses of Step, made afresh
 * when the page asks, when the config or the backend changed, and dropped when a run starts (the
 * run needs the memory; stepping after it starts again from a fresh network).
 */
import * as tf from '@tensorflow/tfjs';
import { INPUT_SIZE } from '../core/network/spec';
import type { TrainData } from '../core/dataset/dataset';
import { Stepper, type StepImage } from '../ml/stepper';
import { findRate } from '../ml/rateFinder';
import { timeGroups } from '../ml/group/timeGroups';
import { askWasmThreads, checkDevice, type selectBackend } from '../ml/backend';
import type { DataCache } from './dataCache';
import { throttledProgress } from './dataCache';
import { errorText, type ModelHolder } from './modelHolder';
import type { MainToWorker, WorkerToMain } from './protocol';

type StepRequest = Extract<MainToWorker, { type: 'step' }>;
type UnitRequest = Extract<MainToWorker, { type: 'step-unit' }>;
type FindRequest = Extract<MainToWorker, { type: 'rate-find' }>;
type GroupTimeRequest = Extract<MainToWorker, { type: 'group-time' }>;

export interface StepDeps {
  readonly post: (m: WorkerToMain) => void;
  readonly data: DataCache;
  readonly holder: ModelHolder;
  /** The backend auto would use (the one the worker has chosen), started once. */
  readonly autoBackend: () => Promise<unknown>;
  readonly selectBackend: typeof selectBackend;
  /** Whether a run is training now (stepping waits for idle). */
  readonly training: () => boolean;
}

/** The image to show: the page's, or the first test image in the run's input range. */
function stepImage(m: StepRequest, d: TrainData): StepImage {
  if (m.input && m.input.length === INPUT_SIZE) return { input: m.input, source: { kind: 'drawn' } };
  const factor = m.config.preprocessing === 'scaled' ? 1 / 255 : 1;
  const input = Float32Array.from(d.test.images.subarray(0, INPUT_SIZE), (b) => b * factor);
  return { input, source: { kind: 'test', index: 0, label: d.test.labels[0] ?? 0 } };
}

export function createStepHandler(deps: StepDeps) {
  const { post } = deps;
  let stepper: { s: Stepper; key: string; backend: string } | null = null;
  // One request at a time, in order: a second press waits for the first step.
  let queue: Promise<void> = Promise.resolve();

  const drop = () => {
    stepper?.s.dispose();
    stepper = null;
  };

  /** The backend and the dataset of a request's config, ready (a run training now: an error). */
  const prepare = async (m: StepRequest | FindRequest | GroupTimeRequest, what: string) => {
    if (deps.training()) throw new Error(`a run is training: ${what} works while the lab is idle`);
    if (m.config.backend === 'auto') await deps.autoBackend();
    else await deps.selectBackend(m.config.backend);
    const { requestId } = m;
    const onLoad = throttledProgress((p) => post({ type: 'step-loading', requestId, ...p }));
    const d = await deps.data.get(m.baseUrl, m.config.dataset, onLoad);
    if (!d) throw new Error('the dataset could not be loaded');
    return d;
  };

  const find = async (m: FindRequest) => {
    const { requestId } = m;
    try {
      const d = await prepare(m, 'the rate finder');
      const points = await findRate(
        d,
        m.config,
        deps.holder.deviceData,
        (point, index) => post({ type: 'rate-find-point', requestId, point, index }),
        () => (deps.training() ? 'a run started' : null),
      );
      post({ type: 'rate-find-result', requestId, points });
    } catch (e) {
      post({ type: 'step-error', requestId, message: errorText(e) });
    }
  };

  const timeSizes = async (m: GroupTimeRequest) => {
    const { requestId } = m;
    try {
      if (m.config.backend === 'wasm' && m.threads > 0) askWasmThreads(m.threads);
      const d = await prepare(m, 'the group trial');
      const signal = new AbortController().signal;
      const options = { checkDevice, deviceData: deps.holder.deviceData };
      post({ type: 'group-time-result', requestId, times: await timeGroups(d, m.config, m.sizes, signal, options) });
    } catch (e) {
      post({ type: 'step-error', requestId, message: errorText(e) });
    }
  };

  const step = async (m: StepRequest) => {
    const { requestId } = m;
    try {
      const d = await prepare(m, 'Step');
      const key = JSON.stringify(m.config);
      if (m.reset || !stepper || stepper.key !== key || stepper.backend !== tf.getBackend()) {
        drop();
        stepper = { s: new Stepper(d, m.config, deps.holder.deviceData), key, backend: tf.getBackend() };
      }
      const result = await stepper.s.step(stepImage(m, d));
      post({ type: 'step-result', requestId, result });
    } catch (e) {
      post({ type: 'step-error', requestId, message: errorText(e) });
    }
  };

  const unit = async (m: UnitRequest) => {
    try {
      if (!stepper) throw new Error('no step has been taken yet: press Step first');
      post({ type: 'step-unit-result', requestId: m.requestId, weights: await stepper.s.unit(m.layer, m.unit) });
    } catch (e) {
      post({ type: 'step-error', requestId: m.requestId, message: errorText(e) });
    }
  };

  return {
    handle(m: StepRequest | UnitRequest | FindRequest | GroupTimeRequest) {
      const next = { step, 'step-unit': unit, 'rate-find': find, 'group-time': timeSizes }[m.type] as (
        r: typeof m,
      ) => Promise<void>;
      queue = queue.then(() => next(m));
    },
    /** A run starts: the stepped network goes (its memory is the run's). */
    drop,
  };
}

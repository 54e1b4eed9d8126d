/**
 * The model the worker predicts with, and the worker's tensor accounting. The model is the network
 * the last run trained, whose weights stayed on the device (weights null: the worker has no copy
 * elsewhere), or one the page sent (kept as plain arrays, put on the device on first use). It is
 * taken off the device when a run starts (the run needs the memory, and may switch backends). Its
 * tensors, and the images uploaded once for all runs, are not a run's: they are left out of the
 * run's tensor check.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainedModel } from '../core/runs/model';
import { INPUT_SIZE } from '../core/network/spec';
import { checkDevice, DeviceLostError, isDeviceLost } from '../ml/backend';
import { createDeviceData } from '../ml/deviceData';
import { createPredictor, predictorOf, type Predictor } from '../ml/predictor';
import type { MainToWorker, TensorCheck, WorkerToMain } from './protocol';

export interface TensorSnapshot {
  readonly tensors: number;
  readonly bytes: number;
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function createModelHolder(post: (m: WorkerToMain) => void, backendReady: () => Promise<unknown>) {
  let model: { id: string; weights: TrainedModel | null; predictor: Predictor | null } | null = null;
  const deviceData = createDeviceData();
  // Predictors of imported models under test (see testModel.ts): not a run's tensors either.
  const testing = new Set<Predictor>();
  const kept = () => [...(model?.predictor ? [model.predictor] : []), ...testing];
  const count = () =>
    tf.memory().numTensors - deviceData.heldTensors - kept().reduce((sum, p) => sum + p.heldTensors, 0);
  const bytes = () => tf.memory().numBytes - deviceData.heldBytes - kept().reduce((sum, p) => sum + p.heldBytes, 0);

  const drop = () => {
    model?.predictor?.dispose();
    // A model trained here lives only on the device: once off it, the page sends it again.
    if (model) model = model.weights ? { ...model, predictor: null } : null;
  };

  const predict = async (m: Extract<MainToWorker, { type: 'predict' }>) => {
    const { requestId } = m;
    try {
      await backendReady();
      // Checked and built after the await, in one synchronous step: two predictions arriving
      // while the backend starts must not each build (and one leak) a predictor.
      if (!model || model.id !== m.modelId) {
        post({ type: 'prediction-error', requestId, message: `model ${m.modelId} is not loaded`, unknownModel: true });
        return;
      }
      // A context lost while idle reads all zeros, or throws: a fresh worker is needed.
      checkDevice();
      if (!model.predictor && !model.weights) throw new Error('the model has no weights');
      const predictor = model.predictor ?? createPredictor(model.weights as TrainedModel, true);
      model = { ...model, predictor };
      const before = tf.memory().numTensors;
      const result = await predictor.predict(m.input);
      checkDevice();
      const tensors = { before, after: tf.memory().numTensors };
      post({ type: 'prediction', requestId, probs: result.probs, activations: result.activations, tensors });
    } catch (e) {
      const lost = e instanceof DeviceLostError || isDeviceLost();
      post({
        type: 'prediction-error',
        requestId,
        message: lost ? new DeviceLostError().message : errorText(e),
        unknownModel: false,
        ...(lost ? { restart: true } : {}),
      });
    }
  };

  return {
    deviceData,
    /** The run's tensors and bytes now (what the worker keeps on purpose left out). */
    snapshot: (): TensorSnapshot => ({ tensors: count(), bytes: bytes() }),
    check(before: TensorSnapshot): TensorCheck {
      const m = tf.memory() as tf.MemoryInfo & { numBytesInGPUAllocated?: number };
      return {
        before: before.tensors,
        after: count(),
        bytesBefore: before.bytes,
        bytesAfter: bytes(),
        device: { tensorBytes: m.numBytes, allocated: m.numBytesInGPUAllocated ?? null, uploads: deviceData.uploads },
      };
    },
    /** Takes the model off the device. */
    drop,
    /** Makes the page's `weights` the model, known as `id`. */
    load(id: string, weights: TrainedModel) {
      drop();
      model = { id, weights, predictor: null };
    },
    /** Makes a network just trained (its weights on the device) the model, known as `id`. */
    adopt(id: string, layers: TrainedModel['layers'], kernels: readonly tf.Tensor[], biases: readonly tf.Tensor[]) {
      drop();
      model = { id, weights: null, predictor: predictorOf(layers, kernels, biases, true) };
    },
    /**
     * One prediction of a blank image compiles the predictor's GPU programs now, so that the first
     * drawing after the run answers as fast as the next ones (synchronous: in a worker).
     */
    async warmUp(id: string) {
      if (model?.id === id) await model.predictor?.predict(new Float32Array(INPUT_SIZE)).catch(() => undefined);
    },
    predict,
    /** Builds a predictor for `weights` that a run's tensor check leaves out until it is disposed. */
    testPredictor(weights: TrainedModel): Predictor {
      const p = createPredictor(weights, true);
      testing.add(p);
      return {
        ...p,
        dispose() {
          testing.delete(p);
          p.dispose();
        },
      };
    },
  };
}

export type ModelHolder = ReturnType<typeof createModelHolder>;

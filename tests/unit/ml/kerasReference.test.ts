import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import type { TrainData } from '../../../src/core/dataset/dataset';
import {
  DEFAULT_CONFIG,
  INPUT_SIZE,
  NUM_CLASSES,
  type HiddenLayer,
  type OptimizerName,
  type TrainConfig,
} from '../../../src/core/network/spec';
import { backward, createMlp, forward, GPU_INPUT_WIDTH, headOps, type Mlp } from '../../../src/ml/mlp';
import { createOptimizer } from '../../../src/ml/optimizers';
import { createPredictor } from '../../../src/ml/predictor';
import { trainRun } from '../../../src/ml/train';
import { loadMnist } from '../helpers';

// Issue 11: Keras's semantics pinned against independent references, so that a wrong constant in
// the engine fails a test: the clip epsilon, the optimizers' constants over several steps, and
// which images validate. The references are tfjs-layers (a port of Keras: its loss clips at
// 1e-7, its optimizers are configured as Keras's defaults here) and plain arithmetic.
beforeAll(async () => {
  await tf.setBackend('cpu');
});

const BATCH = 64;
const STEPS = 6;
const LAYERS: HiddenLayer[] = [{ units: 20, activation: 'sigmoid' }];

/** tfjs-layers' optimizer with Keras 2.2's defaults for `name` (eps 1e-7, as K.epsilon()). */
function kerasOptimizer(name: OptimizerName, lr: number): tf.Optimizer {
  switch (name) {
    case 'sgd':
      return tf.train.sgd(lr);
    case 'momentum':
      // Keras: m = 0.9 m - lr g, w += m. TensorFlow's: a = 0.9 a + g, w -= lr a; the same for a fixed lr.
      return tf.train.momentum(lr, 0.9);
    case 'adam':
      // Keras 2.2 (and TensorFlow's ApplyAdam) add epsilon to sqrt(v) before the bias correction
      // (lr_t = lr sqrt(1 - b2^t) / (1 - b1^t); w -= lr_t m / (sqrt(v) + eps)); tf.train.adam adds
      // it after (w -= lr m^ / (sqrt(v^) + eps')). The same when eps' = eps / sqrt(1 - b2^t): the
      // test sets it before every step.
      return tf.train.adam(lr, 0.9, 0.999, 1e-7);
    case 'rmsprop':
      return tf.train.rmsprop(lr, 0.9, 0, 1e-7);
  }
}

/** The network as a tfjs-layers model with our starting weights (without the two padding rows). */
function referenceModel(net: Mlp, name: OptimizerName, lr: number): tf.Sequential {
  const model = tf.sequential();
  LAYERS.forEach((l, i) =>
    model.add(
      tf.layers.dense({ units: l.units, activation: l.activation, ...(i === 0 ? { inputShape: [INPUT_SIZE] } : {}) }),
    ),
  );
  model.add(tf.layers.dense({ units: NUM_CLASSES, activation: 'softmax' }));
  model.compile({ optimizer: kerasOptimizer(name, lr), loss: 'categoricalCrossentropy' });
  model.setWeights(weightsOf(net));
  return model;
}

/** Kernels and biases in Keras's order, the first kernel without its padding rows (copies). */
function weightsOf(net: Mlp): tf.Tensor[] {
  return tf.tidy(() =>
    net.kernels.flatMap((k, i) => [
      i === 0 ? tf.slice(k, [0, 0], [INPUT_SIZE, k.shape[1] as number]) : tf.clone(k),
      tf.clone(net.biases[i] as tf.Tensor),
    ]),
  );
}

/** One step of the lab's engine (the loop's forward, loss head, backward and update); the mean loss. */
function ourStep(net: Mlp, opt: ReturnType<typeof createOptimizer>, x: tf.Tensor, labels: tf.Tensor): number {
  const vars = [...net.kernels, ...net.biases];
  const loss = tf.tidy(() => {
    const out = forward(net, x);
    const { stats, dz } = headOps(out.logits, labels, opt.gradientScale);
    const g = backward(net, x, out.hidden, dz);
    opt.apply(vars, [...g.kernelGrads, ...g.biasGrads]);
    return tf.slice(stats, [0], [1]);
  });
  const v = loss.dataSync()[0] as number;
  loss.dispose();
  return v / BATCH;
}

/** max |a - b| / max |b| over all tensors of the lists. */
function relDiff(a: readonly tf.Tensor[], b: readonly tf.Tensor[]): number {
  return tf.tidy(() => {
    let num = 0;
    let den = 1e-30;
    a.forEach((t, i) => {
      num = Math.max(num, tf.max(tf.abs(tf.sub(t, b[i] as tf.Tensor))).dataSync()[0] as number);
      den = Math.max(den, tf.max(tf.abs(b[i] as tf.Tensor)).dataSync()[0] as number);
    });
    return num / den;
  });
}

describe('several steps of each optimizer match tfjs-layers trainOnBatch, with confidently wrong samples that hit the clip', () => {
  // Scaled inputs; the output weights blown up so that some samples' true-class probability is
  // below 1e-7 (clipped: loss 16.1, no gradient) and some between 1e-7 and 1e-3.
  const cases: [OptimizerName, number][] = [
    ['sgd', 0.1],
    ['momentum', 0.05],
    ['adam', 0.01],
  ];
  test.each(cases)('%s (lr %s): the loss of every step and every update agree', async (name, lr) => {
    const { images, labels: labelBytes } = loadMnist('train', BATCH);
    const x784 = tf.tidy(() => tf.div(tf.tensor2d(Float32Array.from(images), [BATCH, INPUT_SIZE]), 255));
    const x = tf.pad(x784, [
      [0, 0],
      [0, GPU_INPUT_WIDTH - INPUT_SIZE],
    ]);
    const labels = tf.tensor1d(Int32Array.from(labelBytes), 'int32');
    const oneHot = tf.oneHot(labels, NUM_CLASSES);
    const net = createMlp(LAYERS, 7);
    tf.tidy(() => (net.kernels[1] as tf.Variable).assign(tf.mul(net.kernels[1] as tf.Tensor, 10)));
    const [clipped, nearClip] = tf.tidy(() => {
      const p = tf.sum(tf.mul(tf.softmax(forward(net, x).logits), oneHot), 1);
      return [
        tf.sum(tf.cast(tf.less(p, 1e-7), 'int32')).dataSync()[0] as number,
        tf.sum(tf.cast(tf.logicalAnd(tf.greaterEqual(p, 1e-7), tf.less(p, 1e-3)), 'int32')).dataSync()[0] as number,
      ];
    });
    expect(clipped).toBeGreaterThanOrEqual(3);
    expect(nearClip).toBeGreaterThanOrEqual(3);

    const model = referenceModel(net, name, lr);
    const opt = createOptimizer(name, lr, [...net.kernels, ...net.biases]);
    try {
      for (let step = 1; step <= STEPS; step++) {
        const before = weightsOf(net);
        if (name === 'adam')
          (model.optimizer as unknown as { epsilon: number }).epsilon = 1e-7 / Math.sqrt(1 - 0.999 ** step);
        const theirLoss = (await model.trainOnBatch(x784, oneHot)) as number;
        const ourLoss = ourStep(net, opt, x, labels);
        expect(Math.abs(ourLoss - theirLoss) / theirLoss, `loss of step ${step}`).toBeLessThan(1e-5);
        // The update of every weight, relative to the largest update: the step itself, not the
        // weights (which barely move), so that a wrong constant shows.
        const ours = weightsOf(net);
        const theirs = model.getWeights();
        const ourStepT = ours.map((w, i) => tf.sub(w, before[i] as tf.Tensor));
        const theirStepT = theirs.map((w, i) => tf.sub(w, before[i] as tf.Tensor));
        const largest = Math.max(...theirStepT.map((t) => tf.tidy(() => tf.max(tf.abs(t)).dataSync()[0] as number)));
        expect(largest, `the weights move in step ${step}`).toBeGreaterThan(1e-4);
        expect(relDiff(ourStepT, theirStepT), `update of step ${step}`).toBeLessThan(2e-3);
        tf.dispose([...before, ...ours, ...ourStepT, ...theirStepT]);
      }
    } finally {
      opt.dispose();
      model.dispose();
      net.dispose();
      tf.dispose([x784, x, labels, oneHot]);
    }
  });
});

describe('which images validate', () => {
  let data: TrainData;
  beforeAll(() => {
    data = { train: loadMnist('train', 1000), test: loadMnist('t10k', 100) };
  });

  test('the validation loss and accuracy are those of the trained network on exactly the last 10 % of the images', async () => {
    const config: TrainConfig = {
      ...DEFAULT_CONFIG,
      layers: [{ units: 16, activation: 'relu' }],
      subset: 1000,
      epochs: 1,
      preprocessing: 'scaled',
      optimizer: 'adam',
      learningRate: 0.003,
      seed: 2,
    };
    const outcome = await trainRun(data, config, {}, new AbortController().signal, { keepModel: true });
    const [epoch] = outcome.epochs;
    if (!outcome.kept || !epoch || epoch.valLoss === null || epoch.valAcc === null) throw new Error('no validation');
    expect(outcome.valCount).toBe(100);
    // The kept model, evaluated here on images 900..999 only: Keras's validation_split takes the
    // last share, before any shuffling.
    const predictor = createPredictor(outcome.kept.model);
    const evaluate = async (from: number, to: number) => {
      let loss = 0;
      let correct = 0;
      for (let i = from; i < to; i++) {
        const input = Float32Array.from(
          data.train.images.subarray(i * INPUT_SIZE, (i + 1) * INPUT_SIZE),
          (b) => b / 255,
        );
        const { probs } = await predictor.predict(input);
        const label = data.train.labels[i] as number;
        loss -= Math.log(Math.min(Math.max(probs[label] as number, 1e-7), 1 - 1e-7));
        if (probs.indexOf(Math.max(...probs)) === label) correct++;
      }
      return { loss: loss / (to - from), acc: correct / (to - from) };
    };
    try {
      const last = await evaluate(900, 1000);
      expect(epoch.valAcc).toBeCloseTo(last.acc, 6);
      expect(Math.abs(epoch.valLoss - last.loss)).toBeLessThan(1e-5);
      // The first 100 images (which the network trained on) give other numbers: the check can tell.
      const front = await evaluate(0, 100);
      expect(Math.abs(front.loss - last.loss)).toBeGreaterThan(1e-3);
    } finally {
      predictor.dispose();
    }
  });
});

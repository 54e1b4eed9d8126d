import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { HiddenLayer } from '../../../src/core/network/spec';
import { createKerasModel } from '../../../src/ml/kerasModel';
import { backward, createMlp, forward, GPU_INPUT_WIDTH, headOps, type Mlp } from '../../../src/ml/mlp';
import { createOptimizer } from '../../../src/ml/optimizers';
import { loadMnist } from '../helpers';

// Our hand-written backward pass against TensorFlow.js's autodiff of Keras's loss, and one SGD step
// against tfjs-layers' model (which mirrors Keras: clipped cross-entropy, Glorot-uniform, SGD).
beforeAll(async () => {
  await tf.setBackend('cpu');
});

const BATCH = 64;

function batch(scale: number): { x784: tf.Tensor; x: tf.Tensor; labels: tf.Tensor; oneHot: tf.Tensor } {
  const { images, labels } = loadMnist('train', BATCH);
  const x784 = tf.tidy(() => tf.mul(tf.tensor2d(Float32Array.from(images), [BATCH, 784]), scale));
  const x = tf.pad(x784, [
    [0, 0],
    [0, GPU_INPUT_WIDTH - 784],
  ]);
  const y = tf.tensor1d(Int32Array.from(labels), 'int32');
  return { x784, x, labels: y, oneHot: tf.oneHot(y, 10) };
}

/** The Keras loss through plain ops, differentiated by TensorFlow.js. */
function kerasGrads(net: Mlp, x: tf.Tensor, oneHot: tf.Tensor): tf.Tensor[] {
  const vars = [...net.kernels, ...net.biases];
  const { grads } = tf.variableGrads(() => {
    let h = x;
    net.activations.forEach((act, i) => {
      const z = tf.add(tf.matMul(h, net.kernels[i] as tf.Tensor), net.biases[i] as tf.Tensor);
      h = act === 'sigmoid' ? tf.sigmoid(z) : act === 'relu' ? tf.relu(z) : act === 'tanh' ? tf.tanh(z) : z;
    });
    const last = net.activations.length;
    const probs = tf.softmax(tf.add(tf.matMul(h, net.kernels[last] as tf.Tensor), net.biases[last] as tf.Tensor));
    return tf.mean(tf.metrics.categoricalCrossentropy(oneHot, probs)) as tf.Scalar;
  }, vars);
  return vars.map((v) => grads[v.name] as tf.Tensor);
}

/** Our gradients (kernels then biases) for one batch, via the hand-written backward pass. */
function ourGrads(net: Mlp, x: tf.Tensor, labels: tf.Tensor): tf.Tensor[] {
  return tf.tidy(() => {
    const out = forward(net, x);
    const g = backward(net, x, out.hidden, headOps(out.logits, labels).dz);
    return [...g.kernelGrads, ...g.biasGrads];
  });
}

function maxRelDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]! / Math.max(1e-12, tf.max(tf.abs(b)).dataSync()[0]!));
}

// The WASM backend (issue 11) runs the transposed products of the backward pass as explicit
// transposes and untransposed products (XNNPACK's fast path): the same gradients, checked here
// in Node with TensorFlow.js's WASM binaries.
setWasmPaths(
  join(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/',
);

describe.each(['cpu', 'wasm'])(
  'on the %s backend, the hand-written backward pass computes what Keras differentiates',
  (backend) => {
    beforeAll(async () => {
      expect(await tf.setBackend(backend)).toBe(true);
    });
    afterAll(async () => {
      await tf.setBackend('cpu');
    });
    const cases: [string, HiddenLayer[], number][] = [
      ['one sigmoid layer, raw 0..255 inputs', [{ units: 32, activation: 'sigmoid' }], 1],
      [
        'relu, tanh and linear layers, scaled inputs',
        [
          { units: 24, activation: 'relu' },
          { units: 16, activation: 'tanh' },
          { units: 8, activation: 'linear' },
        ],
        1 / 255,
      ],
      [
        'odd widths: 7 sigmoid, 13 relu, scaled inputs',
        [
          { units: 7, activation: 'sigmoid' },
          { units: 13, activation: 'relu' },
        ],
        1 / 255,
      ],
      ['no hidden layer', [], 1 / 255],
    ];
    test.each(cases)('%s', (_, layers, scale) => {
      const { x, labels, oneHot } = batch(scale);
      const net = createMlp(layers, 3);
      const ours = ourGrads(net, x, labels);
      const theirs = kerasGrads(net, x, oneHot);
      ours.forEach((g, i) => expect(maxRelDiff(g, theirs[i] as tf.Tensor)).toBeLessThan(1e-4));
      tf.dispose([...ours, ...theirs, x, labels, oneHot]);
      net.dispose();
    });

    test('batch normalization: the backward pass through the batch statistics is what autodiff gives', () => {
      const { x, labels, oneHot } = batch(1 / 255);
      const layers: HiddenLayer[] = [
        { units: 13, activation: 'relu', batchNorm: true },
        { units: 8, activation: 'sigmoid' },
        { units: 7, activation: 'tanh', batchNorm: true },
      ];
      const net = createMlp(layers, 6);
      // γ and β away from their initial 1 and 0, so that a wrong use of either shows.
      tf.tidy(() =>
        net.norms.forEach((n, i) => {
          if (!n) return;
          n.gamma.assign(tf.randomUniform(n.gamma.shape, 0.5, 1.5, 'float32', 7 + i));
          (net.biases[i] as tf.Variable).assign(tf.randomUniform(n.gamma.shape, -0.5, 0.5, 'float32', 9 + i));
        }),
      );
      const ours = tf.tidy(() => {
        const out = forward(net, x, undefined, undefined, undefined, true);
        const g = backward(net, x, out.hidden, headOps(out.logits, labels).dz, undefined, undefined, out.norms);
        return [...g.kernelGrads, ...g.biasGrads, ...g.gammaGrads];
      });
      const { grads } = tf.variableGrads(() => {
        let h = x;
        net.activations.forEach((act, i) => {
          const norm = net.norms[i];
          let z = tf.matMul(h, net.kernels[i] as tf.Tensor);
          if (norm) {
            const { mean, variance } = tf.moments(z, 0);
            z = tf.add(
              tf.mul(tf.div(tf.sub(z, mean), tf.sqrt(tf.add(variance, 1e-3))), norm.gamma),
              net.biases[i] as tf.Tensor,
            );
          } else z = tf.add(z, net.biases[i] as tf.Tensor);
          h = act === 'sigmoid' ? tf.sigmoid(z) : act === 'relu' ? tf.relu(z) : act === 'tanh' ? tf.tanh(z) : z;
        });
        const last = net.activations.length;
        const probs = tf.softmax(tf.add(tf.matMul(h, net.kernels[last] as tf.Tensor), net.biases[last] as tf.Tensor));
        return tf.mean(tf.metrics.categoricalCrossentropy(oneHot, probs)) as tf.Scalar;
      }, net.trainable as tf.Variable[]);
      const theirs = net.trainable.map((v) => grads[v.name] as tf.Tensor);
      expect(ours).toHaveLength(theirs.length);
      ours.forEach((g, i) => expect(maxRelDiff(g, theirs[i] as tf.Tensor)).toBeLessThan(1e-4));
      tf.dispose([...ours, ...Object.values(grads), x, labels, oneHot]);
      net.dispose();
    });

    test('samples whose true-class probability is clipped contribute no gradient, as in Keras', () => {
      const { x, labels, oneHot } = batch(1 / 255);
      const net = createMlp([{ units: 16, activation: 'sigmoid' }], 5);
      // Blow up the output weights so that many samples are confidently wrong (p < 1e-7).
      tf.tidy(() => (net.kernels[1] as tf.Variable).assign(tf.mul(net.kernels[1] as tf.Tensor, 400)));
      const clipped = tf.tidy(() => {
        const p = tf.sum(tf.mul(tf.softmax(forward(net, x).logits), oneHot), 1);
        return tf.sum(tf.cast(tf.less(p, 1e-7), 'int32')).dataSync()[0]!;
      });
      expect(clipped).toBeGreaterThan(5);
      const ours = ourGrads(net, x, labels);
      const theirs = kerasGrads(net, x, oneHot);
      ours.forEach((g, i) => expect(maxRelDiff(g, theirs[i] as tf.Tensor)).toBeLessThan(1e-4));
      tf.dispose([...ours, ...theirs, x, labels, oneHot]);
      net.dispose();
    });
  },
);

test('one SGD step updates the weights exactly as tfjs-layers model.trainOnBatch does', async () => {
  const layers: HiddenLayer[] = [{ units: 32, activation: 'sigmoid' }];
  const { x784, x, labels, oneHot } = batch(1);
  const net = createMlp(layers, 11);
  const model = createKerasModel(layers, 0.01, 0);
  // Same starting weights (our first kernel has two zero padding rows at the end).
  model.setWeights(
    tf.tidy(() =>
      [
        tf.slice(net.kernels[0] as tf.Tensor, [0, 0], [784, 32]),
        net.biases[0] as tf.Tensor,
        net.kernels[1] as tf.Tensor,
        net.biases[1] as tf.Tensor,
      ].map((t) => t.clone()),
    ),
  );
  const [kerasLoss] = (await model.trainOnBatch(x784, oneHot)) as number[];

  const opt = createOptimizer('sgd', 0.01, [...net.kernels, ...net.biases]);
  const lossSum = tf.tidy(() => {
    const out = forward(net, x);
    const { stats, dz } = headOps(out.logits, labels, opt.gradientScale);
    const g = backward(net, x, out.hidden, dz);
    opt.apply([...net.kernels, ...net.biases], [...g.kernelGrads, ...g.biasGrads]);
    return tf.slice(stats, [0], [1]);
  });
  expect(lossSum.dataSync()[0]! / BATCH).toBeCloseTo(kerasLoss!, 4);
  const after = model.getWeights();
  const ours = tf.tidy(() =>
    [
      tf.slice(net.kernels[0] as tf.Tensor, [0, 0], [784, 32]),
      net.biases[0] as tf.Tensor,
      net.kernels[1] as tf.Tensor,
      net.biases[1] as tf.Tensor,
    ].map((t) => t.clone()),
  );
  ours.forEach((w, i) => expect(maxRelDiff(w, after[i] as tf.Tensor)).toBeLessThan(1e-5));
  const padding = tf.tidy(() => tf.max(tf.abs(tf.slice(net.kernels[0] as tf.Tensor, [784, 0], [2, 32]))).dataSync()[0]);
  expect(padding).toBe(0);
  tf.dispose([...ours, lossSum, x784, x, labels, oneHot]);
  model.dispose();
  opt.dispose();
  net.dispose();
});

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { createMlp } from '../../../src/ml/mlp';
import { createOptimizer } from '../../../src/ml/optimizers';
import { OPTIMIZERS } from '../../../src/core/network/spec';

// Issue 10: a network that cannot be built half way (out of memory while allocating its layers or
// the optimizer's slots) must leave no tensor behind.
beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('building a network that runs out of memory half way', () => {
  test('the layers made before the failure are freed', () => {
    const before = tf.memory().numTensors;
    // The second layer's kernel cannot be allocated: 64 × 2^31 weights.
    expect(() =>
      createMlp(
        [
          { units: 64, activation: 'relu' },
          { units: 2 ** 31, activation: 'relu' },
        ],
        1,
      ),
    ).toThrow();
    expect(tf.memory().numTensors).toBe(before);
  });

  test.each(OPTIMIZERS)('the slots of %s made before the failure are freed', (name) => {
    const good = tf.variable(tf.zeros([4, 4]));
    // Its slot cannot be made (not a tensor: zerosLike throws, as a failed allocation would).
    const bad = { shape: [2 ** 31, 64], dtype: 'float32' } as unknown as tf.Variable;
    const before = tf.memory().numTensors;
    if (name === 'sgd') {
      // Plain SGD has no slots: nothing to fail.
      createOptimizer(name, 0.01, [good, bad]).dispose();
    } else {
      expect(() => createOptimizer(name, 0.01, [good, bad])).toThrow();
    }
    expect(tf.memory().numTensors).toBe(before);
    good.dispose();
  });
});

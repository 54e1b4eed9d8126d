/**
 * A trained network's forward pass on plain arrays, and its test-set evaluation: for a model that
 * did not train here (an imported one), so that the page can show its accuracy, confusion matrix
 * and mistakes as for any run. Pure; the caller chooses how many images per call, to keep the
 * page responsive.
 */
import type { TestPredictions } from '../runs/metrics';
import type { TrainedModel } from '../runs/model';
import { INPUT_SIZE, NUM_CLASSES, type Activation } from '../network/spec';

function activate(a: Activation, v: Float32Array): void {
  for (let i = 0; i < v.length; i++) {
    const x = v[i] as number;
    v[i] = a === 'sigmoid' ? 1 / (1 + Math.exp(-x)) : a === 'relu' ? (x > 0 ? x : 0) : a === 'tanh' ? Math.tanh(x) : x;
  }
}

function softmax(v: Float32Array): void {
  let max = -Infinity;
  for (const x of v) if (x > max) max = x;
  let sum = 0;
  for (let i = 0; i < v.length; i++) {
    const e = Math.exp((v[i] as number) - max);
    v[i] = e;
    sum += e;
  }
  for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) / sum;
}

/** Class probabilities of one image, [784] already in the model's input range. */
export function forwardOne(m: TrainedModel, input: ArrayLike<number>): Float32Array {
  let x: ArrayLike<number> = input;
  let inputs = INPUT_SIZE;
  const widths = [...m.layers.map((l) => l.units), NUM_CLASSES];
  widths.forEach((units, l) => {
    const k = m.kernels[l] as Float32Array;
    const out = Float32Array.from(m.biases[l] as Float32Array);
    for (let i = 0; i < inputs; i++) {
      const xi = x[i] as number;
      if (xi === 0) continue;
      const row = i * units;
      for (let j = 0; j < units; j++) out[j] = (out[j] as number) + xi * (k[row + j] as number);
    }
    if (l < m.layers.length) activate((m.layers[l] as { activation: Activation }).activation, out);
    else softmax(out);
    x = out;
    inputs = units;
  });
  return x as Float32Array;
}

/** Multiply-adds of one image's forward pass (to size the batches a caller runs at a time). */
export function forwardCost(m: Pick<TrainedModel, 'layers'>): number {
  const widths = [INPUT_SIZE, ...m.layers.map((l) => l.units), NUM_CLASSES];
  let c = 0;
  for (let i = 0; i + 1 < widths.length; i++) c += (widths[i] as number) * (widths[i + 1] as number);
  return c;
}

/** An evaluation in progress over the test set: call `step` until it returns the result. */
export interface Evaluation {
  /** Evaluates up to `count` more images; the result once all are done, else null. */
  step(count: number): { readonly test: TestPredictions; readonly loss: number; readonly acc: number } | null;
  /** Images done so far. */
  readonly done: number;
}

/**
 * Evaluates `m` on `images` ([n, 784] bytes 0..255) with `labels`, as Keras's evaluate does:
 * accuracy and the mean categorical cross-entropy (probabilities clipped to 1e-7 as Keras does),
 * plus each image's predicted class and its probability.
 */
export function evaluation(m: TrainedModel, images: Uint8Array, labels: Uint8Array): Evaluation {
  const n = labels.length;
  if (images.length !== n * INPUT_SIZE) throw new Error(`evaluation: ${images.length} bytes for ${n} images`);
  const scale = m.preprocessing === 'scaled' ? 1 / 255 : 1;
  const preds = new Uint8Array(n);
  const probs = new Float32Array(n);
  const input = new Float32Array(INPUT_SIZE);
  let done = 0;
  let right = 0;
  let lossSum = 0;
  return {
    get done() {
      return done;
    },
    step(count) {
      const end = Math.min(n, done + Math.max(1, Math.floor(count)));
      for (; done < end; done++) {
        for (let p = 0; p < INPUT_SIZE; p++) input[p] = (images[done * INPUT_SIZE + p] as number) * scale;
        const out = forwardOne(m, input);
        let best = 0;
        for (let c = 1; c < NUM_CLASSES; c++) if ((out[c] as number) > (out[best] as number)) best = c;
        const label = labels[done] as number;
        preds[done] = best;
        probs[done] = out[best] as number;
        if (best === label) right++;
        lossSum -= Math.log(Math.min(1 - 1e-7, Math.max(1e-7, out[label] as number)));
      }
      if (done < n) return null;
      return {
        test: { labels: Uint8Array.from(labels), preds, probs },
        loss: n > 0 ? lossSum / n : Number.NaN,
        acc: n > 0 ? right / n : Number.NaN,
      };
    },
  };
}

/**
 * The loss head of a training step on WebGL in two shader passes instead of about twenty-five
 * TensorFlow.js ops: from the logits [batch, 10] and the labels, (1) d(loss)/d(logits) times a
 * scale and (2) the batch's summed loss and number of correct predictions. The maths is
 * mlp.ts's headOps (softmax, then Keras's clipped cross-entropy or the mean squared error,
 * first-index argmax); the labels go in as a small float texture, so no one-hot tensor is built.
 * Call inside tf.tidy.
 */
import * as tf from '@tensorflow/tfjs';
import type { LossName } from '../../core/network/spec';
import { CLIP_EPSILON } from '../clip';
import { runProgram } from './webglProgram';

const EPS = CLIP_EPSILON.toExponential();
const ONE_MINUS_EPS = (1 - CLIP_EPSILON).toFixed(9);

/** Helpers reading row r of the packed logits L [batch, 10] and the labels. */
function helpers(batch: number, classes: number): string {
  const lw = Math.ceil(batch / 2).toFixed(1);
  return `
    int labelAt(int r) {
      int half2 = r / 2;
      vec4 t = texture(Y, vec2((float(half2) + 0.5) / ${lw}, 0.5));
      return int((r == 2 * half2 ? t.x : t.y) + 0.5);
    }
    float logitAt(int r, int j) {
      vec4 t = texelFetch(L, ivec2(j / 2, r / 2), 0);
      int c = (r - (r / 2) * 2) * 2 + (j - (j / 2) * 2);
      return c == 0 ? t.x : (c == 1 ? t.y : (c == 2 ? t.z : t.w));
    }
    // NaN or infinity, tested on the bits: GLSL's max/clamp may silently drop NaN.
    bool notFinite(float v) { return (floatBitsToUint(v) & 0x7fffffffu) >= 0x7f800000u; }
    // Softmax of row r: its max m and sum s of exp(l - m); p_j = exp(l_j - m) / s.
    void rowSoftmax(int r, out float m, out float s) {
      m = logitAt(r, 0);
      for (int j = 1; j < ${classes}; j++) m = max(m, logitAt(r, j));
      s = 0.0;
      for (int j = 0; j < ${classes}; j++) s += exp(logitAt(r, j) - m);
    }
  `;
}

/**
 * GLSL for one row's d(loss)/d(logit j) times `scale`, `vec2 rowGrad(int r, int j0)` giving
 * columns j0 and j0 + 1. Cross-entropy: mask * (p - onehot), where mask is 0 for rows whose
 * true-class probability lies outside [1e-7, 1 - 1e-7]. Mean squared error: with
 * g = 2 (p - onehot) / classes, p_k (g_k - Σ_j g_j p_j) (core/network/loss.ts).
 */
function rowGradient(batch: number, classes: number, loss: LossName): string {
  if (loss === 'mse')
    return `
        float gradAt(int r, int j, int label, float m, float s) {
          return 2.0 * (exp(logitAt(r, j) - m) / s - (j == label ? 1.0 : 0.0)) / ${classes.toFixed(1)};
        }
        vec2 rowGrad(int r, int j0) {
          if (r >= ${batch}) return vec2(0.0);
          float m; float s;
          rowSoftmax(r, m, s);
          int label = labelAt(r);
          float dot = 0.0;
          for (int j = 0; j < ${classes}; j++) dot += gradAt(r, j, label, m, s) * exp(logitAt(r, j) - m) / s;
          vec2 g = vec2(0.0);
          g.x = scale * exp(logitAt(r, j0) - m) / s * (gradAt(r, j0, label, m, s) - dot);
          if (j0 + 1 < ${classes}) g.y = scale * exp(logitAt(r, j0 + 1) - m) / s * (gradAt(r, j0 + 1, label, m, s) - dot);
          return g;
        }`;
  return `
        vec2 rowGrad(int r, int j0) {
          if (r >= ${batch}) return vec2(0.0);
          float m; float s;
          rowSoftmax(r, m, s);
          int label = labelAt(r);
          float pTrue = exp(logitAt(r, label) - m) / s;
          float mask = (pTrue >= ${EPS} && pTrue <= ${ONE_MINUS_EPS}) ? scale : 0.0;
          vec2 g = vec2(0.0);
          g.x = mask * (exp(logitAt(r, j0) - m) / s - (j0 == label ? 1.0 : 0.0));
          if (j0 + 1 < ${classes}) g.y = mask * (exp(logitAt(r, j0 + 1) - m) / s - (j0 + 1 == label ? 1.0 : 0.0));
          return g;
        }`;
}

/** d(mean loss)/d(logits) times `gradientScale` (see rowGradient). */
export function headGradient(logits: tf.Tensor, labels: tf.Tensor, gradientScale: number, loss: LossName): tf.Tensor {
  const [batch, classes] = logits.shape as [number, number];
  return runProgram(
    {
      variableNames: ['L', 'Y'],
      outputShape: [batch, classes],
      packedInputs: true,
      packedOutput: true,
      customUniforms: [{ name: 'scale', type: 'float' }],
      userCode: `
        ${helpers(batch, classes)}
        ${rowGradient(batch, classes, loss)}
        void main() {
          ivec2 t = ivec2(gl_FragCoord.xy);
          setOutput(vec4(rowGrad(2 * t.y, 2 * t.x), rowGrad(2 * t.y + 1, 2 * t.x)));
        }
      `,
    },
    [logits, tf.cast(labels, 'float32')],
    [[gradientScale / batch]],
  );
}

/** One row's loss in GLSL: the clipped cross-entropy, or the mean squared error. */
function rowLoss(classes: number, loss: LossName): string {
  if (loss === 'mse')
    return `
              float sq = 0.0;
              for (int j = 0; j < ${classes}; j++) {
                float d = exp(logitAt(r, j) - m) / s - (j == label ? 1.0 : 0.0);
                sq += d * d;
              }
              total += sq / ${classes.toFixed(1)};`;
  return `
              float pTrue = exp(logitAt(r, label) - m) / s;
              total -= log(clamp(pTrue, ${EPS}, ${ONE_MINUS_EPS}));`;
}

/** [summed loss, number of rows whose first argmax is the label], shape [2]. */
export function headStats(logits: tf.Tensor, labels: tf.Tensor, loss: LossName): tf.Tensor {
  const [batch, classes] = logits.shape as [number, number];
  return runProgram(
    {
      variableNames: ['L', 'Y'],
      outputShape: [2],
      packedInputs: true,
      packedOutput: false,
      customUniforms: [],
      userCode: `
        ${helpers(batch, classes)}
        void main() {
          int which = int(gl_FragCoord.x);
          float total = 0.0;
          for (int r = 0; r < ${batch}; r++) {
            float m; float s;
            rowSoftmax(r, m, s);
            // A non-finite logit makes the sums NaN, so that the loop sees the divergence.
            if (notFinite(m) || notFinite(s)) { total = uintBitsToFloat(0x7fc00000u); break; }
            int label = labelAt(r);
            if (which == 0) {
              ${rowLoss(classes, loss)}
            } else {
              int best = 0;
              float bestP = exp(logitAt(r, 0) - m) / s;
              for (int j = 1; j < ${classes}; j++) {
                float p = exp(logitAt(r, j) - m) / s;
                if (p > bestP) { bestP = p; best = j; }
              }
              total += best == label ? 1.0 : 0.0;
            }
          }
          setOutput(total);
        }
      `,
    },
    [logits, tf.cast(labels, 'float32')],
    [],
  );
}

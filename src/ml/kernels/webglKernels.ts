/**
 * The training step's kernels (types.ts) as WebGL programs on TensorFlow.js's packed textures.
 * The row gathers and expansions of the first layer's compacted columns (core/dataset/columns.ts) run as
 * one shader pass each, with the row indices in a small texture: TensorFlow.js's own gather works
 * on unpacked textures, and the unpack / pack passes around it would cost more than the
 * compaction saves. The loss head is in headKernels.ts.
 *
 * Packed layout (TensorFlow.js): a 2D tensor [R, C] lives in a texture of ceil(R/2) x ceil(C/2)
 * texels; texel (x, y) holds rows 2y, 2y+1 and columns 2x, 2x+1 as (r0c0, r0c1, r1c0, r1c1).
 */
import * as tf from '@tensorflow/tfjs';
import type { Activation } from '../../core/network/spec';
import { ACTIVATION_FORMS } from '../activations';
import { headGradient, headStats } from './headKernels';
import type { Kernels } from './types';
import { runProgram } from './webglProgram';

/**
 * GLSL: indexPair(y) reads indices 2y and 2y+1 from I, a packed float tensor [n] (one texel holds
 * two indices); rowHalf(row, texelX) reads the two values of `row` in texel column texelX of A, a
 * packed [aRows, aCols] tensor. Indices come in a texture, not a uniform array: SwiftShader
 * indexes uniform arrays slowly, and small GPUs have few uniform vectors.
 */
function readers(indexCount: number, aRows: number, aCols: number): string {
  const iw = Math.ceil(indexCount / 2).toFixed(1);
  const w = Math.ceil(aCols / 2).toFixed(1);
  const h = Math.ceil(aRows / 2).toFixed(1);
  return `
    ivec2 indexPair(int y) {
      vec4 t = texture(I, vec2((float(y) + 0.5) / ${iw}, 0.5));
      return ivec2(t.xy + 0.5);
    }
    vec2 rowHalf(int row, int texelX) {
      int half2 = row / 2;
      vec4 t = texture(A, vec2((float(texelX) + 0.5) / ${w}, (float(half2) + 0.5) / ${h}));
      return row == 2 * half2 ? t.xy : t.zw;
    }
  `;
}

/** Float copy of int32 indices, for reading in a shader. */
function indexTensor(indices: tf.Tensor): tf.Tensor {
  return tf.cast(indices, 'float32');
}

/** Rows `rows` of `a` [R, C] as a new [k, C] tensor; `rows` is int32 [k] with values in 0..R-1. */
function gatherRows(a: tf.Tensor, rows: tf.Tensor): tf.Tensor {
  const [ar, c] = a.shape as [number, number];
  const k = rows.shape[0] as number;
  return runProgram(
    {
      variableNames: ['A', 'I'],
      outputShape: [k, c],
      packedInputs: true,
      packedOutput: true,
      customUniforms: [],
      userCode: `
        ${readers(k, ar, c)}
        void main() {
          ivec2 t = ivec2(gl_FragCoord.xy);
          ivec2 j = indexPair(t.y);
          vec4 result = vec4(rowHalf(j.x, t.x), 0.0, 0.0);
          if (2 * t.y + 1 < ${k}) result.zw = rowHalf(j.y, t.x);
          setOutput(result);
        }
      `,
    },
    [a, indexTensor(rows)],
    [],
  );
}

function expandCode(k: number, r: number, c: number, addTo: boolean): string {
  return `
    ${readers(r, k, c)}
    void main() {
      ivec2 t = ivec2(gl_FragCoord.xy);
      vec4 result = ${addTo ? 'texture(B, resultUV)' : 'vec4(0.0)'};
      ivec2 j = indexPair(t.y);
      if (j.x < ${k}) result.xy += rowHalf(j.x, t.x);
      if (2 * t.y + 1 < ${r} && j.y < ${k}) result.zw += rowHalf(j.y, t.x);
      setOutput(result);
    }
  `;
}

/**
 * The inverse of gatherRows for gradients: a [R, C] tensor whose row r is row inv[r] of
 * `compact` [K, C], or zeros where inv[r] >= K (`inv` is int32 [R]).
 */
function expandRows(compact: tf.Tensor, inv: tf.Tensor): tf.Tensor {
  const [k, c] = compact.shape as [number, number];
  const r = inv.shape[0] as number;
  return runProgram(
    {
      variableNames: ['A', 'I'],
      outputShape: [r, c],
      packedInputs: true,
      packedOutput: true,
      customUniforms: [],
      userCode: expandCode(k, r, c, false),
    },
    [compact, indexTensor(inv)],
    [],
  );
}

/** base + expandRows(compact, inv) in one pass. `base` is [inv.length, C]. */
function addExpandedRows(base: tf.Tensor, compact: tf.Tensor, inv: tf.Tensor): tf.Tensor {
  const [k, c] = compact.shape as [number, number];
  const r = inv.shape[0] as number;
  return runProgram(
    {
      variableNames: ['A', 'I', 'B'],
      outputShape: [r, c],
      packedInputs: true,
      packedOutput: true,
      customUniforms: [],
      userCode: expandCode(k, r, c, true),
    },
    [compact, indexTensor(inv), base],
    [],
  );
}

/**
 * Column sums of a [R, C] tensor, shape [C]: the bias gradient from dz. TensorFlow.js transposes
 * before reducing over the first axis; this reads the packed texels once.
 */
function columnSums(a: tf.Tensor): tf.Tensor {
  const [r, c] = a.shape as [number, number];
  const w = Math.ceil(c / 2).toFixed(1);
  const h = Math.ceil(r / 2);
  return runProgram(
    {
      variableNames: ['A'],
      outputShape: [c],
      packedInputs: true,
      packedOutput: true,
      customUniforms: [],
      userCode: `
        void main() {
          float u = (floor(gl_FragCoord.x) + 0.5) / ${w};
          vec2 acc = vec2(0.0);
          for (int y = 0; y < ${h}; y++) {
            vec4 t = texture(A, vec2(u, (float(y) + 0.5) / ${h.toFixed(1)}));
            acc += t.xy + t.zw;
          }
          setOutput(vec4(acc, 0.0, 0.0));
        }
      `,
    },
    [a],
    [],
  );
}

/**
 * x[rows][:, cols] as a packed [rows.length, cols.length] tensor, ready for the matMuls: one pass
 * instead of two gathers on unpacked textures plus a pack before each product.
 * `rows` and `cols` are int32 index tensors.
 */
function gatherBatch(x: tf.Tensor, rows: tf.Tensor, cols: tf.Tensor): tf.Tensor {
  const b = rows.shape[0] as number;
  const k = cols.shape[0] as number;
  return runProgram(
    {
      variableNames: ['X', 'R', 'C'],
      outputShape: [b, k],
      packedInputs: false,
      packedOutput: true,
      customUniforms: [],
      userCode: `
        void main() {
          ivec2 t = ivec2(gl_FragCoord.xy);
          int r = 2 * t.y;
          int c = 2 * t.x;
          bool r1 = r + 1 < ${b};
          bool c1 = c + 1 < ${k};
          int x0 = int(getR(r) + 0.5);
          int x1 = r1 ? int(getR(r + 1) + 0.5) : x0;
          int y0 = int(getC(c) + 0.5);
          int y1 = c1 ? int(getC(c + 1) + 0.5) : y0;
          setOutput(vec4(
            getX(x0, y0),
            c1 ? getX(x0, y1) : 0.0,
            r1 ? getX(x1, y0) : 0.0,
            r1 && c1 ? getX(x1, y1) : 0.0));
        }
      `,
    },
    [x, indexTensor(rows), indexTensor(cols)],
    [],
  );
}

/**
 * dh times the activation's derivative, written in terms of its output h (both [batch, units]):
 * one pass instead of two or three.
 */
function activationGradient(h: tf.Tensor, dh: tf.Tensor, activation: Activation): tf.Tensor {
  return runProgram(
    {
      variableNames: ['H', 'D'],
      outputShape: h.shape,
      packedInputs: true,
      packedOutput: true,
      customUniforms: [],
      userCode: `
        void main() {
          vec4 h = getHAtOutCoords();
          vec4 d = getDAtOutCoords();
          setOutput(${ACTIVATION_FORMS[activation].glslGradient});
        }
      `,
    },
    [h, dh],
    [],
  );
}

/**
 * The same tensor with the padding of its packed texture set to zero. An activation applied to a
 * whole texel turns the padding of an odd-sized layer into f(0) (0.5 for sigmoid); the next
 * products would then add padding into the weights' own padding and from there into the logits.
 */
function zeroPadding(a: tf.Tensor): tf.Tensor {
  const [r, c] = a.shape as [number, number];
  if (r % 2 === 0 && c % 2 === 0) return a;
  return runProgram(
    {
      variableNames: ['A'],
      outputShape: [r, c],
      packedInputs: true,
      packedOutput: true,
      customUniforms: [],
      userCode: `
        void main() {
          ivec2 t = ivec2(gl_FragCoord.xy);
          vec4 v = texture(A, resultUV);
          if (2 * t.x + 1 >= ${c}) { v.y = 0.0; v.w = 0.0; }
          if (2 * t.y + 1 >= ${r}) { v.z = 0.0; v.w = 0.0; }
          setOutput(v);
        }
      `,
    },
    [a],
    [],
  );
}

/** The kernels as WebGL programs (TensorFlow.js's own packed matMul for the products). */
export const WEBGL_KERNELS: Kernels = {
  name: 'webgl',
  // TensorFlow.js's own: the training images can outgrow one texture (54,000 rows), which it lays
  // out in its own way; the programs here read packed textures of the logical shape.
  gatherImages: (x, rows) => tf.gather(x, rows),
  gatherRows,
  gatherBatch,
  expandRows,
  addExpandedRows,
  dense: (x, w, b, activation) => zeroPadding(ACTIVATION_FORMS[activation].dense(x, w, b)),
  activate: (a, activation) => zeroPadding(ACTIVATION_FORMS[activation].activate(a)),
  affine: (x, w, b) => tf.fused.matMul({ a: x, b: w, bias: b }),
  product: (a, b, transposeA, transposeB) => tf.matMul(a, b, transposeA, transposeB),
  activationGradient,
  columnSums,
  head: (logits, labels, gradientScale, loss) => ({
    stats: headStats(logits, labels, loss),
    dz: headGradient(logits, labels, gradientScale, loss),
  }),
};

/**
 * Row gather and row expansion for the first layer's compacted columns (core/columns.ts).
 * On WebGL these run as one shader pass each on TensorFlow.js's packed textures, with the row
 * indices in a uniform array: TensorFlow.js's own gather works on unpacked textures, and the
 * unpack / pack passes around it would cost more than the compaction saves. Other backends use
 * tf.gather.
 *
 * Packed layout (TensorFlow.js): a 2D tensor [R, C] lives in a texture of ceil(R/2) x ceil(C/2)
 * texels; texel (x, y) holds rows 2y, 2y+1 and columns 2x, 2x+1 as (r0c0, r0c1, r1c0, r1c1).
 */
import * as tf from '@tensorflow/tfjs';
import { ivec4Reader, ivec4Uniform, runProgram } from './webglProgram';

const INDEX_AT = `
  ${ivec4Reader('indexAt', 'idx')}
  vec2 rowHalf(int row, int texelX) {
    vec4 t = texelFetch(A, ivec2(texelX, row / 2), 0);
    return (row - (row / 2) * 2) == 0 ? t.xy : t.zw;
  }
`;

function expandCode(k: number, r: number, addTo: boolean): string {
  return `
    ${INDEX_AT}
    void main() {
      ivec2 t = ivec2(gl_FragCoord.xy);
      int row = 2 * t.y;
      vec4 result = ${addTo ? 'texelFetch(B, t, 0)' : 'vec4(0.0)'};
      int j0 = indexAt(row);
      if (j0 < ${k}) result.xy += rowHalf(j0, t.x);
      if (row + 1 < ${r}) {
        int j1 = indexAt(row + 1);
        if (j1 < ${k}) result.zw += rowHalf(j1, t.x);
      }
      setOutput(result);
    }
  `;
}

/** Rows `rows` of `a` [R, C] as a new [rows.length, C] tensor (`rows` must be in 0..R-1). */
export function gatherRows(a: tf.Tensor, rows: Int32Array, rowsTensor: tf.Tensor): tf.Tensor {
  if (tf.getBackend() !== 'webgl') return tf.gather(a, rowsTensor);
  const [, c] = a.shape as [number, number];
  const k = rows.length;
  const { values, length } = ivec4Uniform(rows);
  return runProgram(
    {
      variableNames: ['A'],
      outputShape: [k, c],
      packedInputs: true,
      packedOutput: true,
      customUniforms: [{ name: 'idx', type: 'ivec4', arrayIndex: length }],
      userCode: `
        ${INDEX_AT}
        void main() {
          ivec2 t = ivec2(gl_FragCoord.xy);
          int r = 2 * t.y;
          vec4 result = vec4(rowHalf(indexAt(r), t.x), 0.0, 0.0);
          if (r + 1 < ${k}) result.zw = rowHalf(indexAt(r + 1), t.x);
          setOutput(result);
        }
      `,
    },
    [a],
    [values],
  );
}

/**
 * The inverse of gatherRows for gradients: a [R, C] tensor whose row r is row inv[r] of
 * `compact` [K, C], or zeros where inv[r] >= K.
 */
export function expandRows(compact: tf.Tensor, inv: Int32Array, invTensor: tf.Tensor): tf.Tensor {
  const [k, c] = compact.shape as [number, number];
  if (tf.getBackend() !== 'webgl') return tf.gather(tf.pad(compact, [[0, 1], [0, 0]]), invTensor);
  const r = inv.length;
  const { values, length } = ivec4Uniform(inv);
  return runProgram(
    {
      variableNames: ['A'],
      outputShape: [r, c],
      packedInputs: true,
      packedOutput: true,
      customUniforms: [{ name: 'idx', type: 'ivec4', arrayIndex: length }],
      userCode: expandCode(k, r, false),
    },
    [compact],
    [values],
  );
}

/** base + expandRows(compact, inv): one pass on WebGL. `base` is [inv.length, C]. */
export function addExpandedRows(base: tf.Tensor, compact: tf.Tensor, inv: Int32Array, invTensor: tf.Tensor): tf.Tensor {
  const [k, c] = compact.shape as [number, number];
  if (tf.getBackend() !== 'webgl') return tf.add(base, expandRows(compact, inv, invTensor));
  const r = inv.length;
  const { values, length } = ivec4Uniform(inv);
  return runProgram(
    {
      variableNames: ['A', 'B'],
      outputShape: [r, c],
      packedInputs: true,
      packedOutput: true,
      customUniforms: [{ name: 'idx', type: 'ivec4', arrayIndex: length }],
      userCode: expandCode(k, r, true),
    },
    [compact, base],
    [values],
  );
}

/**
 * Running a hand-written shader through TensorFlow.js's WebGL backend (its GPGPUProgram
 * interface): TensorFlow.js declares the samplers, uniforms and setOutput(), and manages the
 * textures; the userCode is ours.
 */
import * as tf from '@tensorflow/tfjs';

export interface Program {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  packedInputs: boolean;
  packedOutput: boolean;
  customUniforms: { name: string; type: 'ivec4' | 'float'; arrayIndex?: number }[];
}

interface WebGLBackendLike {
  compileAndRun(program: Program, inputs: tf.TensorInfo[], dtype?: tf.DataType, uniforms?: number[][]): tf.TensorInfo;
}

/** Runs `program` on the active (WebGL) backend; `uniforms` in the order of customUniforms. */
export function runProgram(program: Program, inputs: tf.Tensor[], uniforms: number[][]): tf.Tensor {
  const backend = tf.backend() as unknown as WebGLBackendLike;
  return tf.engine().makeTensorFromTensorInfo(backend.compileAndRun(program, inputs, 'float32', uniforms));
}

/** Integers as the values of an `ivec4 name[length]` uniform, zero-padded to a multiple of 4. */
export function ivec4Uniform(values: ArrayLike<number>): { values: number[]; length: number } {
  const length = Math.ceil(values.length / 4);
  const out = new Array<number>(length * 4).fill(0);
  for (let i = 0; i < values.length; i++) out[i] = values[i] as number;
  return { values: out, length };
}

/** GLSL: element i of the `ivec4 <name>[]` uniform written by ivec4Uniform. */
export function ivec4Reader(fn: string, name: string): string {
  return `
    int ${fn}(int i) {
      ivec4 v = ${name}[i / 4];
      int j = i - (i / 4) * 4;
      return j == 0 ? v.x : (j == 1 ? v.y : (j == 2 ? v.z : v.w));
    }
  `;
}

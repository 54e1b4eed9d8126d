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
  customUniforms: { name: string; type: 'float' }[];
}

interface WebGLBackendLike {
  compileAndRun(program: Program, inputs: tf.TensorInfo[], dtype?: tf.DataType, uniforms?: number[][]): tf.TensorInfo;
}

/** Runs `program` on the active (WebGL) backend; `uniforms` in the order of customUniforms. */
export function runProgram(program: Program, inputs: tf.Tensor[], uniforms: number[][]): tf.Tensor {
  const backend = tf.backend() as unknown as WebGLBackendLike;
  return tf.engine().makeTensorFromTensorInfo(backend.compileAndRun(program, inputs, 'float32', uniforms));
}

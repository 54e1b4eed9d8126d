/**
 * The few kernels a training step is made of. mlp.ts writes the forward and backward pass once
 * over them; each backend family has one implementation: WebGL programs on packed textures
 * (webglKernels.ts), and TensorFlow.js ops shaped for XNNPACK's fast path on WASM, which the
 * CPU backend runs too (opsKernels.ts). An activation's forms (fused forward, derivative as ops
 * and as GLSL) are one entry of activations.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { OPS_KERNELS, WASM_KERNELS } from './opsKernels';
import { WEBGL_KERNELS } from './webglKernels';
import type { Kernels } from './types';

/**
 * The kernels for the active backend; with `plainOps`, TensorFlow.js's ops whatever the backend
 * (the reference the fast paths are compared with).
 */
export function kernelsFor(backend: string = tf.getBackend(), plainOps = false): Kernels {
  if (plainOps) return OPS_KERNELS;
  return backend === 'webgl' ? WEBGL_KERNELS : backend === 'wasm' ? WASM_KERNELS : OPS_KERNELS;
}

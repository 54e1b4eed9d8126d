import { describe, expect, test } from 'vitest';
import { backendLabel } from '../../../../src/core/device/backends';

// The worker's sentences (ml/backend.ts) name the WebGL renderer in brackets.
const webgl = (renderer: string) =>
  `WebGL on the GPU in the training worker (${renderer}), the first backend that starts here.`;

describe('backendLabel', () => {
  test('software WebGL renderers are called what they are', () => {
    const software = [
      'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)',
      'Google SwiftShader',
      'llvmpipe (LLVM 15.0.7, 256 bits)',
      'ANGLE (Mesa, llvmpipe (LLVM 17.0.6 256 bits), OpenGL 4.5)',
      'softpipe',
      'ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11 vs_5_0 ps_5_0, D3D11)',
    ];
    for (const r of software) expect(backendLabel('webgl', webgl(r)), r).toBe('WebGL (software renderer)');
  });

  test('a real GPU is a GPU', () => {
    const gpus = [
      'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)',
      'ANGLE (Intel, Intel(R) UHD Graphics 620 Direct3D11 vs_5_0 ps_5_0, D3D11)',
      'ANGLE (Apple, ANGLE Metal Renderer: Apple M2, Unspecified Version)',
      'Mali-G78',
    ];
    for (const r of gpus) expect(backendLabel('webgl', webgl(r)), r).toBe('GPU (WebGL)');
    // A browser that hides the renderer: assume the GPU.
    expect(backendLabel('webgl', 'WebGL on the GPU in the training worker, the first backend that starts here.')).toBe(
      'GPU (WebGL)',
    );
  });

  test('WebAssembly and plain JavaScript run on the CPU', () => {
    expect(
      backendLabel(
        'wasm',
        'WebAssembly on the CPU in the training worker, because webgl could not start in this browser.',
      ),
    ).toBe('WebAssembly (CPU)');
    expect(backendLabel('cpu', 'plain JavaScript on the CPU in the training worker (slowest).')).toBe(
      'JavaScript (CPU)',
    );
  });

  test('the renderer only matters for WebGL', () => {
    expect(backendLabel('wasm', 'SwiftShader')).toBe('WebAssembly (CPU)');
    // Its threads, when the worker's sentence counts them.
    expect(backendLabel('wasm', 'WebAssembly on the CPU in the training worker, 2 threads.')).toBe(
      'WebAssembly (CPU, 2 threads)',
    );
    expect(
      backendLabel(
        'wasm',
        'WebAssembly on the CPU in the training worker, 1 thread: the page is not cross-origin isolated',
      ),
    ).toBe('WebAssembly (CPU, 1 thread)');
    expect(backendLabel('cpu', 'NVIDIA GeForce RTX 3060')).toBe('JavaScript (CPU)');
  });

  test('an unknown backend is shown by its name', () => {
    expect(backendLabel('webgpu', 'WebGPU on the GPU')).toBe('webgpu');
  });
});

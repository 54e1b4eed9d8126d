/**
 * Finds a Python with real Keras 3 for the tests that run it: KERAS_PYTHON, else the repository's
 * .venv-keras (made by `npm run keras:setup`, as .ci/run does), else python3. Keras runs on JAX
 * unless KERAS_BACKEND says otherwise.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const KERAS_ENV = { ...process.env, KERAS_BACKEND: process.env.KERAS_BACKEND ?? 'jax' };

function candidates(): string[] {
  const venv = resolve('.venv-keras/bin/python');
  return [process.env.KERAS_PYTHON, existsSync(venv) ? venv : undefined, 'python3'].filter(
    (p): p is string => typeof p === 'string' && p !== '',
  );
}

/** The first candidate that imports keras 3, with its version, or why none does. */
export function findKeras(): { python: string; version: string } | { python: null; why: string } {
  const tried: string[] = [];
  for (const python of candidates()) {
    const r = spawnSync(python, ['-c', 'import keras; print(keras.__version__ + " " + keras.backend.backend())'], {
      encoding: 'utf8',
      env: KERAS_ENV,
      timeout: 120_000,
    });
    const version = r.stdout.trim();
    if (r.status === 0 && version.startsWith('3.')) return { python, version };
    tried.push(`${python}: ${r.error?.message ?? (r.stderr.trim().split('\n').at(-1) || `keras ${version}`)}`);
  }
  return { python: null, why: tried.join('; ') };
}

/**
 * The page's handle on the training worker: starts it on first use, registers one listener,
 * and turns worker crashes into typed error messages.
 */
import type { TrainConfig } from '../core/spec';
import type { MainToWorker, WorkerToMain } from './protocol';

export type { WorkerToMain };

export interface TrainingClient {
  /** Starts a run (stopping any current one); returns its id, carried by every message of it. */
  train(config: TrainConfig): number;
  stop(runId: number): void;
  /** Diagnostics for tests: makes the worker lose its WebGL context. */
  loseWebGLContext(): void;
  dispose(): void;
}

export function createTrainingClient(onMessage: (m: WorkerToMain) => void): TrainingClient {
  let worker: Worker | null = null;
  let nextRunId = 1;
  let activeRunId = 0;

  const ensure = (): Worker => {
    if (worker) return worker;
    const w = new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module', name: 'training' });
    w.addEventListener('message', (e: MessageEvent<WorkerToMain>) => {
      const m = e.data;
      if (m.type === 'error' && m.restart) {
        w.terminate();
        if (worker === w) worker = null;
        // A newer run queued in this worker dies with it: say so instead of leaving it loading.
        if (m.runId !== activeRunId) {
          onMessage({ type: 'error', runId: activeRunId, message: 'The training worker had to restart (lost GPU context). Press Train again.', tensors: null });
        }
      }
      onMessage(m);
    });
    w.addEventListener('error', (e: ErrorEvent) => {
      e.preventDefault();
      onMessage({
        type: 'error',
        runId: activeRunId,
        message: `The training worker crashed: ${e.message || 'unknown error'}. Press Train to start a new one.`,
        tensors: null,
      });
      w.terminate();
      worker = null;
    });
    worker = w;
    return w;
  };
  const send = (m: MainToWorker) => ensure().postMessage(m);

  return {
    train(config) {
      activeRunId = nextRunId++;
      send({ type: 'train', runId: activeRunId, config, baseUrl: new URL(import.meta.env.BASE_URL, location.href).href });
      return activeRunId;
    },
    stop(runId) {
      if (worker) send({ type: 'stop', runId });
    },
    loseWebGLContext() {
      if (worker) send({ type: 'lose-webgl-context' });
    },
    dispose() {
      worker?.terminate();
      worker = null;
    },
  };
}

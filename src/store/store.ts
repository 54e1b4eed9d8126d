/**
 * The lab's one store (zustand), built from a config slice (what the URL says) and a run slice
 * (what the worker reports). Actions are thin: they call core functions or the worker client.
 */
import { createStore } from 'zustand/vanilla';
import { decodeConfig, type Notice } from '../core/urlCodec';
import { randomSeed } from '../core/rng';
import type { TrainConfig } from '../core/spec';
import { createTrainingClient, type TrainingClient } from '../worker/client';
import { IDLE_RUN, reduceRun, startRun, type RunState } from './runSlice';

export interface LabState {
  readonly config: TrainConfig;
  readonly notices: readonly Notice[];
  readonly run: RunState;
  train(): void;
  stop(): void;
  dismissNotices(): void;
  /** Applies one of core/edit.ts's config edits (the controls' only way to change the config). */
  editConfig(edit: (config: TrainConfig) => TrainConfig): void;
  /** Diagnostics for the end-to-end tests (window.mlpLab): lose the worker's WebGL context. */
  debugLoseWebGLContext(): void;
}

export type LabStore = ReturnType<typeof createLabStore>;

/** Creates the store from a query string; `makeClient` is replaceable for tests. */
export function createLabStore(
  search: string,
  makeClient: (onMessage: Parameters<typeof createTrainingClient>[0]) => TrainingClient = createTrainingClient,
) {
  const decoded = decodeConfig(search, randomSeed);
  let client: TrainingClient | null = null;
  const store = createStore<LabState>()((set, get) => ({
    config: decoded.config,
    notices: decoded.notices,
    run: IDLE_RUN,
    train() {
      client ??= makeClient((m) => set((s) => ({ run: reduceRun(s.run, m) })));
      const runId = client.train(get().config);
      set({ run: startRun(runId, Date.now()) });
    },
    stop() {
      const { run } = get();
      if (run.status === 'loading' || run.status === 'training') client?.stop(run.runId);
    },
    dismissNotices() {
      set({ notices: [] });
    },
    editConfig(edit) {
      set((s) => ({ config: edit(s.config) }));
    },
    debugLoseWebGLContext() {
      client?.loseWebGLContext();
    },
  }));
  return store;
}

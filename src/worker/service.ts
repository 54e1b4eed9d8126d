/**
 * What the training worker does, apart from the worker global itself: one run at a time, the
 * dataset loaded once and kept, every message typed. A new `train` (or `train-group`) stops the
 * current run first. The parts: the datasets (dataCache.ts), the model predictions use
 * (modelHolder.ts), a run (runHandler.ts), a group of runs (groupHandler.ts) and an imported
 * model's test (testModel.ts).
 */
import { onceUntilFailure } from '../core/once';
import { loseWebGLContext, selectBackend } from '../ml/backend';
import { createDataCache, pickImages, throttledProgress, type LoadData } from './dataCache';
import type { ProbeSlot } from './liveBuffer';
import { createModelHolder, errorText } from './modelHolder';
import type { MainToWorker, WorkerToMain } from './protocol';
import { handleGroup } from './groupHandler';
import { handleRun } from './runHandler';
import { createStepHandler } from './stepHandler';
import { testModel } from './testModel';

/** What the service uses from outside, replaceable in tests. */
export interface ServiceDeps {
  readonly loadData?: LoadData;
  readonly selectBackend?: typeof selectBackend;
}

export function createTrainingService(
  post: (m: WorkerToMain) => void,
  deps: ServiceDeps = {},
): (m: MainToWorker) => void {
  const data = createDataCache(deps.loadData);
  const select = deps.selectBackend ?? selectBackend;
  // Set once a backend has been chosen in this worker (by a run, or by the first prediction).
  const backendReady = onceUntilFailure<unknown>(() => select('auto'));
  const ready = () => backendReady.get();
  const holder = createModelHolder(post, ready);
  const probe: ProbeSlot = { current: { probeId: 0, input: null } };
  const runDeps = { post, data, holder, probe, backendReady, selectBackend: select };
  // The run under way (a group: its runs; stopping any of them stops the group).
  let current: { runIds: readonly number[]; controller: AbortController; finished: Promise<void> } | null = null;
  let training = false;
  const stepping = createStepHandler({
    post,
    data,
    holder,
    autoBackend: ready,
    selectBackend: select,
    training: () => training,
  });

  const train = (m: Extract<MainToWorker, { type: 'train' | 'train-group' }>) => {
    const previous = current;
    previous?.controller.abort();
    const controller = new AbortController();
    stepping.drop();
    training = true;
    const finished = (previous?.finished ?? Promise.resolve())
      .then(() =>
        m.type === 'train' ? handleRun(m, controller.signal, runDeps) : handleGroup(m, controller.signal, runDeps),
      )
      .finally(() => {
        if (current?.finished === finished) training = false;
      });
    current = { runIds: m.type === 'train' ? [m.runId] : m.runs.map((r) => r.runId), controller, finished };
  };

  return (m) => {
    switch (m.type) {
      case 'lose-webgl-context':
        loseWebGLContext();
        return;
      case 'sample':
        void sample(m, data, post);
        return;
      case 'load-model':
        holder.load(m.modelId, m.model);
        return;
      case 'predict':
        void holder.predict(m);
        return;
      case 'test-model':
        void testModel(m, { post, data, holder, backendReady: ready });
        return;
      case 'probe':
        probe.current = { probeId: m.probeId, input: m.input };
        return;
      case 'stop':
        if (current?.runIds.includes(m.runId)) current.controller.abort();
        return;
      case 'step':
      case 'step-unit':
      case 'rate-find':
      case 'group-time':
        stepping.handle(m);
        return;
      case 'train':
      case 'train-group':
        train(m);
    }
  };
}

/** Images for the galleries (the `sample` message), or why not. */
async function sample(
  m: Extract<MainToWorker, { type: 'sample' }>,
  data: ReturnType<typeof createDataCache>,
  post: (m: WorkerToMain) => void,
) {
  const { requestId } = m;
  try {
    const onLoad = throttledProgress((p) => post({ type: 'sample-loading', requestId, ...p }));
    const d = await data.get(m.baseUrl, m.dataset, onLoad);
    if (!d) throw new Error('the dataset could not be loaded');
    post({ type: 'sample', requestId, ...pickImages(d, m.pick) });
  } catch (e) {
    post({ type: 'sample-error', requestId, message: errorText(e) });
  }
}

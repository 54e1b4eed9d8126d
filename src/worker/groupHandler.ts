/**
 * A group of runs in the worker (the `train-group` message): runs of one config but for the seed
 * and the learning rate, trained together on WASM or the CPU, many networks in one step (ml/group), each
 * reported as a quiet run of its own (its own runId: started, progress, epochs, then done, stopped
 * or its own failure). A network whose loss becomes NaN fails alone; the others go on. Where the
 * backend trains no groups (WASM without the products of our own), the runs train one after another.
 */
import { askWasmThreads, checkDevice } from '../ml/backend';
import { DivergedError, trainRun, type RunOutcome, type TrainCallbacks } from '../ml/train';
import { trainGroup } from '../ml/group/trainGroup';
import { groupsHere } from '../ml/group/groupStep';
import type { TrainData } from '../core/dataset/dataset';
import type { TrainConfig } from '../core/network/spec';
import { throttledProgress } from './dataCache';
import { createLiveBuffer, type ProbeSlot } from './liveBuffer';
import { errorText, type TensorSnapshot } from './modelHolder';
import type { MainToWorker } from './protocol';
import { makeYield, type RunDeps } from './runHandler';

type GroupMessage = Extract<MainToWorker, { type: 'train-group' }>;

/** Nobody watches a group's runs live: no drawing to classify. */
const NO_PROBE: ProbeSlot = { current: { probeId: 0, input: null } };

export async function handleGroup(m: GroupMessage, signal: AbortSignal, deps: RunDeps): Promise<void> {
  const { post, holder } = deps;
  const lives = m.runs.map((r) => createLiveBuffer(r.runId, post, NO_PROBE));
  const { yieldFn, close } = makeYield();
  let before: TensorSnapshot | null = null;
  const ended = new Set<number>();
  const each = (f: (runId: number, i: number) => void) => m.runs.forEach((r, i) => f(r.runId, i));
  try {
    if (m.threads !== undefined) askWasmThreads(m.threads);
    const config = (m.runs[0] as GroupMessage['runs'][number]).config;
    const backend = await deps.selectBackend(config.backend);
    deps.backendReady.set(Promise.resolve());
    each((runId) => post({ type: 'backend', runId, name: backend.name, reason: backend.reason }));
    const onLoad = throttledProgress((p) => each((runId) => post({ type: 'loading', runId, ...p })));
    const dataset = await deps.data.get(m.baseUrl, config.dataset, onLoad, signal);
    before = holder.snapshot();
    const snapshot = before;
    if (signal.aborted || !dataset) {
      const outcome = { status: 'stopped' as const, epochs: [], testLoss: null, testAcc: null, params: 0 };
      const stopped = { ...outcome, trainCount: 0, valCount: 0 };
      each((runId) => post({ type: 'stopped', runId, outcome: stopped, tensors: holder.check(snapshot) }));
      return;
    }
    const grouped = groupsHere();
    const group = grouped && m.runs.length > 1 ? { group: m.runs.length } : {};
    const callbacks = (i: number): TrainCallbacks => {
      const { runId } = m.runs[i] as GroupMessage['runs'][number];
      const live = lives[i] as ReturnType<typeof createLiveBuffer>;
      return {
        onStart: (plan) => post({ type: 'started', runId, ...plan, ...group }),
        onSample: (s) => live.add(s),
        onProgress: (progress) => live.progress(progress),
        onEpoch: (log) => post({ type: 'epoch', runId, log }),
      };
    };
    const runs = m.runs.map((r, i) => ({ config: r.config, callbacks: callbacks(i) }));
    const options = { yieldFn, checkDevice, keepModel: true, deviceData: holder.deviceData };
    /** Run i's end, posted once. */
    const end = (i: number, r: RunOutcome | DivergedError) => {
      const runId = (m.runs[i] as GroupMessage['runs'][number]).runId;
      (lives[i] as ReturnType<typeof createLiveBuffer>).flush();
      const tensors = holder.check(snapshot);
      ended.add(runId);
      if (r instanceof DivergedError) post({ type: 'error', runId, message: r.message, tensors, diverged: true });
      else post({ type: r.status === 'done' ? 'done' : 'stopped', runId, outcome: r, tensors });
    };
    if (grouped) (await trainGroup(dataset, runs, signal, options)).forEach((r, i) => end(i, r));
    else await oneByOne(dataset, runs, signal, options, end);
  } catch (e) {
    lives.forEach((live) => live.flush());
    const tensors = before === null ? null : holder.check(before);
    // The runs that had not ended (one after another, some may have) end with the failure.
    each((runId) => ended.has(runId) || post({ type: 'error', runId, message: errorText(e), tensors }));
  } finally {
    close();
  }
}

/** The runs trained one after another, each alone, each reported as it ends (a diverged run: its error). */
async function oneByOne(
  data: TrainData,
  runs: readonly { readonly config: TrainConfig; readonly callbacks: TrainCallbacks }[],
  signal: AbortSignal,
  options: Parameters<typeof trainRun>[4],
  end: (i: number, r: RunOutcome | DivergedError) => void,
): Promise<void> {
  for (const [i, r] of runs.entries()) {
    try {
      end(i, await trainRun(data, r.config, r.callbacks, signal, options));
    } catch (e) {
      if (!(e instanceof DivergedError)) throw e;
      end(i, e);
    }
  }
}

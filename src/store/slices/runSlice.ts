/**
 * Training: one run at a time, started by hand, by the queue or by a preset, its record written at
 * each milestone the worker reports, and the worker's messages reduced into the run state
 * (runState.ts).
 */
import { memoryProblem } from '../../core/device/deviceMemory';
import type { ExperimentTag } from '../../core/experiments/experiments';
import { quickDrawConfig } from '../../core/network/presets';
import type { TrainConfig } from '../../core/network/spec';
import { makeRunId, newRunRecord, type RunRecord } from '../../core/runs/runs';
import type { InjectedTimes } from '../../core/device/backendTrial';
import type { RunMessage, TrainingClient, TrainOptions } from '../../worker/client';
import type { CheckState } from './checkSlice';
import type { ExperimentActions, ExperimentState } from './experimentSlice';
import type { DrawActions } from './drawSlice';
import type { ModelsActions } from './modelsSlice';
import { IDLE_RUN, reduceRun, startRun, type RunState, type ShownRun } from './runState';
import { recordFromRun, upsert, type RunsState } from './runsSlice';
import type { GetState, SetState } from './slice';

export interface RunActions {
  train(): void;
  stop(): void;
  /** Loads the quick-draw preset into the controls and trains it. */
  quickTrain(): void;
  /**
   * Starts a run of `config` (tagged when the queue runs it); its record id, or null while
   * another run is busy or when it would not fit device memory (the page says why).
   */
  startRun(config: TrainConfig, tag: ExperimentTag | null, options?: TrainOptions): string | null;
  /** Stops the run training now, if any (its record ends as stopped). */
  stopRun(): void;
  /** A message of the worker about the current run. */
  receiveRunMessage(m: RunMessage): void;
  /** Diagnostics for the end-to-end tests (window.mlpLab): lose the worker's WebGL context. */
  debugLoseWebGLContext(): void;
  /** Diagnostics for the end-to-end tests: backend=auto takes these times instead of measuring. */
  debugInjectBackendTimes(times: InjectedTimes | null): void;
}

interface Host extends RunActions {
  readonly run: RunState;
  readonly shown: ShownRun | null;
  readonly runs: RunsState;
  readonly config: TrainConfig;
  readonly checks: CheckState;
  readonly experiments: Pick<ExperimentState, 'queue'>;
  readonly sendProbe: DrawActions['sendProbe'];
  readonly keepModel: ModelsActions['keepModel'];
  readonly queueRunEnded: ExperimentActions['queueRunEnded'];
  readonly pauseQueue: ExperimentActions['pauseQueue'];
  replaceConfig(config: TrainConfig, message: string): void;
}

export interface RunDeps {
  /** The worker client, started on first use. */
  readonly client: () => TrainingClient;
  /** The worker client if one was started, else null. */
  readonly startedClient: () => TrainingClient | null;
  /** Writes a record to storage (and tells other tabs); `hold` keeps a live run's lock. */
  readonly saver: { save(record: RunRecord): void; hold(id: string): void };
  readonly now: () => number;
}

/** Messages after which the live run's record is updated and written to storage. */
const PERSIST_ON = new Set(['backend', 'started', 'epoch', 'done', 'stopped', 'error']);

const busy = (run: RunState) => run.status === 'loading' || run.status === 'training';

export function createRunSlice(
  set: SetState<Pick<Host, 'run' | 'runs' | 'checks' | 'shown'>>,
  get: GetState<Host>,
  deps: RunDeps,
): Pick<Host, 'run'> & RunActions {
  /** The live run's record follows its state at the milestones; its end is the queue's business too. */
  const milestone = (m: RunMessage, next: RunState, live: RunRecord) => {
    const record = recordFromRun(live, next);
    set((s) => ({ run: next, runs: { ...s.runs, list: upsert(s.runs.list, record) } }));
    deps.saver.save(record);
    if (m.type === 'done' && m.outcome.kept) get().keepModel(record.id, record.params, m.outcome.kept);
    if (m.type === 'done' || m.type === 'stopped') get().queueRunEnded(record.id, m.type);
    if (m.type === 'error') get().queueRunEnded(record.id, m.diverged ? 'diverged' : 'error', m.message);
  };
  return {
    run: IDLE_RUN,
    startRun(config, tag, options) {
      const { runs, run } = get();
      // One run at a time: the button is disabled meanwhile, and the store holds to it too.
      if (busy(run) || memoryProblem(config) !== null) return null;
      const startedAt = deps.now();
      const record = newRunRecord(makeRunId(startedAt), startedAt, config, tag);
      const runId = deps.client().train(config, record.id, options);
      set({
        shown: null,
        run: startRun(runId, startedAt, config),
        runs: { ...runs, list: upsert(runs.list, record), liveId: record.id },
      });
      // Other tabs see this run as running here for as long as this tab holds its lock.
      deps.saver.hold(record.id);
      deps.saver.save(record);
      get().sendProbe();
      return record.id;
    },
    stopRun() {
      const { run } = get();
      if (busy(run)) deps.startedClient()?.stop(run.runId);
    },
    receiveRunMessage(m) {
      const { run, runs } = get();
      const next = reduceRun(run, m);
      if (next === run) return;
      const live = runs.list.find((r) => r.id === runs.liveId);
      // Progress ticks change only the live view; the record follows at the milestones.
      if (!live || !PERSIST_ON.has(m.type)) set({ run: next });
      else milestone(m, next, live);
    },
    train() {
      // A run started by hand takes the view: a paused check no longer brings its run back.
      if (get().startRun(get().config, null) !== null) set((s) => ({ checks: { ...s.checks, subject: null } }));
    },
    stop() {
      // Stop during an experiment pauses its queue (resume runs the stopped run again).
      if (get().experiments.queue.status === 'running') get().pauseQueue();
      else get().stopRun();
    },
    quickTrain() {
      get().replaceConfig(
        quickDrawConfig(get().config.seed),
        'The controls now hold the quick-draw network (128 ReLU units, scaled inputs, Adam, 3 epochs).',
      );
      get().train();
    },
    debugLoseWebGLContext() {
      deps.startedClient()?.loseWebGLContext();
    },
    debugInjectBackendTimes(times) {
      deps.client().injectBackendTimes(times);
    },
  };
}

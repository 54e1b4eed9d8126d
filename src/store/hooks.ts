/**
 * The hooks components read the store with. `useActions` gives the store's actions as one object
 * that never changes. The state comes in domain pieces: a component names the fields it shows
 * (`useRun('status', 'progress')`) and re-renders only when one of those changes, so a panel that
 * shows the run's status does not redraw on every training progress tick. Values worked out from
 * the state (parameter count, device memory, busy) are hooks here too.
 */
import { sideRunBusy } from './slices/sideSlice';
import type { RunState } from './slices/runState';
import { useShallow } from 'zustand/react/shallow';
import { estimateDeviceMemory, memoryProblem } from '../core/device/deviceMemory';
import { totalParams } from '../core/network/params';
import { checkBlocked } from './slices/checkSlice';
import { useLab, useLabStore } from './context';
import type { LabState, LabStore } from './store';

/** The keys of LabState that hold actions. */
type ActionKey = {
  [K in keyof LabState]-?: LabState[K] extends (...args: never[]) => unknown ? K : never;
}[keyof LabState];

/** The store's actions: the function-valued fields of LabState. */
export type LabActions = Pick<LabState, ActionKey>;

/** The keys of LabState that hold state. */
type DataKey = Exclude<keyof LabState, ActionKey>;

// The actions of a store are made with it and never replaced, so one object serves each store.
const actionsByStore = new WeakMap<LabStore, LabActions>();

/** The store's actions, as an object that stays the same for the store's life. */
export function useActions(): LabActions {
  const store = useLabStore();
  let actions = actionsByStore.get(store);
  if (!actions) {
    const state = store.getState();
    actions = Object.fromEntries(
      Object.entries(state).filter(([, value]) => typeof value === 'function'),
    ) as unknown as LabActions;
    actionsByStore.set(store, actions);
  }
  return actions;
}

function pick<T, K extends keyof T>(from: T, keys: readonly K[]): Pick<T, K> {
  const picked = {} as Pick<T, K>;
  for (const key of keys) picked[key] = from[key];
  return picked;
}

/** `keys` of one part of the state, compared field by field so the result changes only with them. */
function usePick<T, K extends keyof T>(part: (s: LabState) => T, keys: readonly K[]): Pick<T, K> {
  return useLab(useShallow((s: LabState) => pick(part(s), keys)));
}

/** Top-level fields of the state: `const { undo } = useLabState('undo')`. */
export const useLabState = <K extends DataKey>(...keys: K[]) => usePick<LabState, K>((s) => s, keys);

/** Fields of the run training now (or the last one): what the worker reports. */
export const useRun = <K extends keyof LabState['run']>(...keys: K[]) =>
  usePick<LabState['run'], K>((s) => s.run, keys);

/**
 * Fields of the run the main view shows: the live run (training now, or the last one of this
 * visit), or a run of the history chosen to be shown (after a reload: the newest).
 */
export const useShown = <K extends keyof LabState['run']>(...keys: K[]) =>
  usePick<LabState['run'], K>((s) => s.shown?.run ?? s.run, keys);

/** The kept run the main view shows instead of the live run (null: the live run), and whether there is a live run to go back to. */
export const useShownRecord = () =>
  useLab(
    useShallow((s: LabState) => ({
      record: s.shown ? (s.runs.list.find((r) => r.id === s.shown?.id) ?? null) : null,
      liveRun: s.run.status !== 'idle',
    })),
  );

/** Fields of the kept runs' state (list, selection, storage problem…). */
export const useRuns = <K extends keyof LabState['runs']>(...keys: K[]) =>
  usePick<LabState['runs'], K>((s) => s.runs, keys);

/** Fields of the kept models' state (available, active, storage…). */
export const useModels = <K extends keyof LabState['models']>(...keys: K[]) =>
  usePick<LabState['models'], K>((s) => s.models, keys);

/** Fields of the experiments' state (the one picked, its options, the queue…). */
export const useExperiments = <K extends keyof LabState['experiments']>(...keys: K[]) =>
  usePick<LabState['experiments'], K>((s) => s.experiments, keys);

/** The controls' config (what the URL says). */
export const useConfig = () => useLab((s) => s.config);

/** Every kept run, newest first. */
export const useRunList = () => useLab((s) => s.runs.list);

/** The run's status. */
export const useRunStatus = () => useLab((s) => s.run.status);

/**
 * The progress of the runs the queue's side worker trains (a group's runs go through their batches
 * together: its first's; null: none, or none reported yet).
 */
export const useSideProgress = () =>
  useLab((s) => {
    // The most advanced: a run of a group that failed stops reporting before the group ends.
    let best: RunState['progress'] = null;
    for (const r of s.side) {
      const p = r.run.progress;
      if (sideRunBusy(r) && p && (!best || p.epoch > best.epoch || (p.epoch === best.epoch && p.batch > best.batch)))
        best = p;
    }
    return best;
  });

/**
 * Whether the side worker trains its runs in one step (true), one after another (false), or has
 * not said yet (null): their 'started' message says so.
 */
export const useSideTogether = () =>
  useLab((s) => {
    const plan = s.side.find((r) => sideRunBusy(r) && r.run.plan)?.run.plan;
    return plan ? (plan.group ?? 1) > 1 : null;
  });

/** The layers of the network the side worker times now (a group trial), or null. */
export const useSideTiming = () => useLab((s) => s.groupTrials.timing?.layers ?? null);

/** The group trials remembered, per network (core/runs/groupTrial.ts). */
export const useGroupTrials = () => useLab((s) => s.groupTrials.table);

/** Whether the queue's side worker trains the run with record `id` now. */
export const useIsSideRun = (id: string) => useLab((s) => s.side.some((r) => r.recordId === id && sideRunBusy(r)));

/** A run is loading or training (the controls that would disturb it are disabled). */
export const useIsBusy = () => useLab((s) => s.run.status === 'loading' || s.run.status === 'training');

/** Whether the learning-rate finder is running (Train waits for it). */
export const useIsFinding = () => useLab((s) => s.finder.status === 'finding');

/** The epochs of the run on screen: the running (or last) run's, else the controls'. */
export const useShownEpochs = () => useLab((s) => (s.shown?.run.config ?? s.run.config ?? s.config).epochs);
/** The loss of the run on screen (or the controls' before any run): what the loss chart and table hold. */
export const useShownLoss = () => useLab((s) => (s.shown?.run.config ?? s.run.config ?? s.config).loss);

/** The parameter count of the controls' network. */
export const useParamTotal = () => useLab((s) => totalParams(s.config.layers));

/** Bytes of device memory a run of the controls' config would need (core/device/deviceMemory.ts). */
export const useDeviceMemory = () => useLab((s) => estimateDeviceMemory(s.config).total);

/** Why the controls' config would not fit device memory ('' when it fits). */
export const useMemoryProblem = () => useLab((s) => memoryProblem(s.config) ?? '');

/** Why a check cannot start now ('' : it can). */
export const useCheckBlocked = () => useLab(checkBlocked);

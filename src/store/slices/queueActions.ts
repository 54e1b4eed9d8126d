/**
 * The queue's actions and its runner. The runner keeps two lanes busy: the page's worker (the run
 * shown live) and, where the machine has a second core and the runs train on the CPU, the side
 * worker (sideSlice.ts). With two lanes, a lane whose run ends takes the costliest item nobody has
 * taken (the most work: parameters x epochs x images; the first of equals), so that the queue does
 * not end on one big run trained alone (the width experiment's last [2048] run did: 181 s instead of
 * about 155); with one lane, the first. The side lane takes, with its item, the free items of the
 * same group (core/runs/groups.ts: same setup but for the seed, the learning rate, the
 * initializer and the activations, small networks, WASM or the CPU backend), as many as the network's group trial found fastest (core/runs/groupTrial.ts;
 * the side worker times it first when no trial is remembered), and trains them together, many
 * networks in one step. Items
 * finish out of order: `index` is the first one not finished, `done` the ones after it that are.
 * Pause and cancel stop both lanes; resume runs the stopped items again.
 */
import { checkPlan } from '../../core/diagnosis';
import { experimentById, experimentPlan, type QueueKind } from '../../core/experiments/experiments';
import { GROUP_SIZE, groupKey } from '../../core/runs/groups';
import { groupChoice, type GroupTrialTable } from '../../core/runs/groupTrial';
import { unmeasured } from '../../core/runs/runs';
import { trainImagesPerEpoch } from '../../core/runs/runEstimate';
import { totalParams } from '../../core/network/params';
import type { TrainConfig } from '../../core/network/spec';
import type { GetState } from './slice';
import type { ExperimentActions, QueueHost, QueueItem, QueueState, Update } from './experimentSlice';
import { sideBusy } from './sideSlice';

type Lane = 'live' | 'side';

/** The queue: what it trains next, and the ways to start, pause, resume, cancel and restart it. */
export function queueActions(
  update: Update,
  get: GetState<QueueHost>,
  now: () => number,
  sideLane: (config: TrainConfig) => boolean,
): Omit<ExperimentActions, 'selectExperiment' | 'setRepeats' | 'setQuick' | 'setVariant'> {
  const { setQueue, busy, fill, start, stopBoth } = queueRunner(update, get, now, sideLane);

  return {
    queueLanes: (config) => (sideLane(config) ? 2 : 1),
    runExperiment() {
      const { experiments, config } = get();
      // The stored queue belongs to another tab while it runs there: never two owners.
      if (experiments.selected === null || busy() || experiments.elsewhere) return;
      const plan = experimentPlan(experimentById(experiments.selected), {
        repeats: experiments.repeats,
        quick: experiments.quick,
        dataset: config.dataset,
        backend: config.backend,
        variants: experiments.variants,
      });
      start(experiments.selected, plan);
    },
    runCheck(def) {
      const q = get().experiments.queue;
      // Never over a queue that is under way or paused (a paused experiment would lose its Resume).
      if (busy() || get().experiments.elsewhere || q.status === 'running' || q.status === 'paused') return false;
      start('check', checkPlan(def));
      return true;
    },
    pauseQueue() {
      if (get().experiments.queue.status !== 'running') return;
      setQueue((q) => ({ ...q, status: 'paused' }));
      stopBoth();
    },
    resumeQueue() {
      const q = get().experiments.queue;
      if ((q.status !== 'paused' && q.status !== 'cancelled') || busy() || get().experiments.elsewhere) return;
      setQueue((x) => ({ ...x, status: 'running', startedAt: now(), problem: null, failedItem: null }));
      fill();
    },
    cancelQueue() {
      const q = get().experiments.queue;
      if (q.status !== 'running' && q.status !== 'paused') return;
      setQueue((x) => ({ ...x, status: 'cancelled' }));
      stopBoth();
    },
    restartQueue() {
      const q = get().experiments.queue;
      if (
        q.experiment === null ||
        q.items.length === 0 ||
        q.status === 'running' ||
        busy() ||
        get().experiments.elsewhere
      )
        return;
      // From the first run again, but what the history holds by now (same setup and seed) is
      // not trained twice: a run trained again with its seed would be the same measurement.
      const reusedBefore = q.reused;
      start(q.experiment, q.items);
      setQueue((x) => ({ ...x, reused: x.reused + reusedBefore }));
    },
    queueRunEnded: (recordId, how, message) => runEnded(get, setQueue, fill, stopBoth, recordId, how, message),
  };
}

/** A lane's run ended (see ExperimentActions.queueRunEnded): the lane takes the next item, or the queue pauses. */
function runEnded(
  get: GetState<QueueHost>,
  setQueue: (f: (q: QueueState) => QueueState) => void,
  fill: () => void,
  stopBoth: () => void,
  ...[recordId, how, message]: Parameters<ExperimentActions['queueRunEnded']>
): void {
  const q = get().experiments.queue;
  const onSide = q.sideRecordIds.indexOf(recordId);
  const lane: Lane | null = recordId === q.liveRecordId ? 'live' : onSide >= 0 ? 'side' : null;
  if (lane === null) {
    // A run that is not the queue's ended (a run by hand, or one a restart let go): a lane is free.
    fill();
    return;
  }
  const item = lane === 'live' ? q.liveItem : (q.sideItems[onSide] ?? null);
  // The run's place is free again (the side lane is free once all of its group ended); its item is
  // taken again unless it finished.
  const freed = (x: QueueState): QueueState =>
    lane === 'live'
      ? { ...x, liveItem: null }
      : {
          ...x,
          sideItems: x.sideItems.filter((i) => i !== item),
          sideRecordIds: x.sideRecordIds.filter((id) => id !== recordId),
        };
  if (how === 'error') {
    // A group fails as one (its data, its worker): its other runs' errors after the first, which
    // paused the queue, only free their places: one failure, named by its first run.
    if (lane === 'side' && q.status === 'paused' && q.problem !== null) {
      setQueue(freed);
      return;
    }
    // A failure pauses the queue on that item, with the reason: the next items would most
    // likely fail the same way (no data, no GPU), each leaving an error row behind. The other
    // lane's run is stopped and trains again on resume.
    setQueue((x) => ({
      ...freed(x),
      status: x.status === 'running' ? 'paused' : x.status,
      index: item !== null && x.status === 'running' ? Math.min(x.index, item) : x.index,
      failed: x.failed + 1,
      problem: message ?? 'the run failed',
      failedItem: item,
    }));
    stopBoth();
    return;
  }
  if (how === 'diverged') {
    // The run's own failure (its loss became NaN): a result of its setup and seed, kept as failed;
    // the other runs go on.
    setQueue((x) => (item === null ? freed(x) : { ...finish(freed(x), item), failed: x.failed + 1 }));
    fill();
    return;
  }
  // A stopped run did not finish: its item is free again (a resume, or the next free lane, trains
  // it). Only the queue stops its runs (pause, cancel, a failure of the other lane), and the
  // stop can arrive after a resume. But a run that finished before the stop reached it is
  // counted, so it is not run twice.
  if (how === 'stopped') {
    setQueue(freed);
    fill();
    return;
  }
  setQueue((x) => (item === null ? freed(x) : finish(freed(x), item)));
  fill();
}

/** `x` with item `item` finished: `index` moves past every finished item. */
function finish(x: QueueState, item: number): QueueState {
  const done = new Set([...x.done, item]);
  let index = x.index;
  while (done.has(index)) index++;
  return { ...x, index, done: [...done].filter((d) => d > index).sort((a, b) => a - b) };
}

/** The first item from `index` on that no lane has taken and that has not finished, or null. */
function freeItem(q: QueueState): number | null {
  for (let i = q.index; i < q.items.length; i++) if (isFree(q, i)) return i;
  return null;
}

/** Whether item i is neither finished nor taken by a lane. */
const isFree = (q: QueueState, i: number) => i !== q.liveItem && !q.sideItems.includes(i) && !q.done.includes(i);

/**
 * Item `first` and the free items after it of its group (core/runs/groups.ts), as many as the
 * group trial `trials` found fastest, in order: the runs the side lane trains together; 'trial'
 * when they could train together but their network has not been timed yet.
 */
function groupFrom(q: QueueState, first: number, trials: GroupTrialTable): number[] | 'trial' {
  const config = (q.items[first] as QueueItem).config;
  const key = groupKey(config);
  const mates: number[] = [];
  for (let i = q.index; i < q.items.length && key !== null; i++)
    if (i !== first && isFree(q, i) && groupKey((q.items[i] as QueueItem).config) === key) mates.push(i);
  const all = [first, ...mates].slice(0, GROUP_SIZE);
  const choice = groupChoice(config, all.length, trials);
  if (choice === 'trial') return 'trial';
  // Its fair share of the runs of its setup: the page's worker trains the rest one at a time
  // meanwhile, so that neither lane waits for the other at the end (n runs: n·s / (1 + s) in the
  // group, s its speed-up), in the fastest size within that share.
  const n = mates.length + 1;
  const share = Math.max(1, Math.ceil((n * choice.speedup) / (1 + choice.speedup)));
  const within = groupChoice(config, Math.min(all.length, share), trials);
  return all.slice(0, within === 'trial' ? 1 : within.size);
}

/** The free item with the most work (parameters x epochs x training images; the first of equals), or null. */
function costliestFreeItem(q: QueueState): number | null {
  let best: number | null = null;
  let most = -1;
  for (let i = q.index; i < q.items.length; i++) {
    if (!isFree(q, i)) continue;
    const { config } = q.items[i] as QueueItem;
    const work = totalParams(config.layers) * config.epochs * trainImagesPerEpoch(config);
    if (work > most) [best, most] = [i, work];
  }
  return best;
}

/** Trains the queue's items on the lanes: starts what a free lane can take, and ends the queue. */
function queueRunner(
  update: Update,
  get: GetState<QueueHost>,
  now: () => number,
  sideLane: (config: TrainConfig) => boolean,
) {
  const setQueue = (f: (q: QueueState) => QueueState) => update((e) => ({ ...e, queue: f(e.queue) }));
  const busy = () => get().run.status === 'loading' || get().run.status === 'training';
  const stopBoth = () => {
    const q = get().experiments.queue;
    // The page's worker may be training a run started by hand (while only the side worker
    // trains the queue's last runs): that one is not the queue's to stop.
    if (busy() && q.liveItem !== null && get().runs.liveId === q.liveRecordId) get().stopRun();
    if (sideBusy(get().side)) get().stopSideRun();
  };
  /** Gives each free lane the next free item; finishes the queue when nothing is left to run. */
  const fill = () => {
    let q = get().experiments.queue;
    if (q.status !== 'running') return;
    const costliest = costliestFreeItem(q);
    const twoLanes = costliest !== null && sideLane((q.items[costliest] as QueueItem).config);
    const first = twoLanes ? costliest : freeItem(q);
    if (first !== null && !busy() && q.liveItem === null) {
      const item = q.items[first] as QueueItem;
      // Beside the side worker's run, one WASM thread each: two thread pools on two cores wait on
      // each other (a 2-thread run beside a 1-thread one trained at a third of its speed here).
      const one = sideLane(item.config) && item.config.backend === 'wasm';
      const id = get().startRun(item.config, item.tag, one ? { threads: 1 } : {});
      setQueue((x) => ({ ...x, liveRecordId: id, liveItem: id === null ? null : first }));
      q = get().experiments.queue;
    }
    const second = costliestFreeItem(q);
    const beside = second === null ? null : (q.items[second] as QueueItem);
    const sideFree = q.sideItems.length === 0 && !sideBusy(get().side) && get().groupTrials.timing === null;
    if (beside && second !== null && sideFree && sideLane(beside.config)) {
      const group = groupFrom(q, second, get().groupTrials.table);
      // Its network timed first (once per network: the page remembers it), then the side lane goes on.
      if (group === 'trial') void get().timeSideGroups(beside.config).then(fill);
      else {
        const ids = get().startSideRuns(group.map((i) => q.items[i] as QueueItem));
        if (ids !== null) setQueue((x) => ({ ...x, sideRecordIds: ids, sideItems: group }));
      }
      q = get().experiments.queue;
    }
    if (q.index >= q.items.length && q.liveItem === null && q.sideItems.length === 0)
      setQueue((x) => ({ ...x, status: 'done', liveRecordId: null }));
  };

  /** Queues what `plan` needs that the history does not hold, and starts it. */
  const start = (kind: QueueKind, plan: readonly QueueItem[]) => {
    const { items, reused } = unmeasured(plan, get().runs.list);
    setQueue(() => ({
      experiment: kind,
      items,
      reused,
      index: 0,
      done: [],
      status: 'running',
      liveRecordId: null,
      liveItem: null,
      sideRecordIds: [],
      sideItems: [],
      startedAt: now(),
      failed: 0,
      problem: null,
    }));
    fill();
  };

  return { setQueue, busy, fill, start, stopBoth };
}

/**
 * The experiment queue's one-line status, pure: where it is, what runs (with the variant it
 * flips), elapsed and estimated time left.
 */
import { ALL_EXPERIMENTS, type ExperimentTag } from './experiments';
import { architectureLabel } from '../runs/runs';
import type { HiddenLayer, TrainConfig } from '../network/spec';
import { groupTimesText, GROUP_TRIAL_SIZES, type GroupTrial } from '../runs/groupTrial';
import { VARIANTS } from './variants';

export interface QueueView {
  readonly status: 'idle' | 'running' | 'paused' | 'cancelled' | 'done';
  readonly items: readonly { readonly config: TrainConfig; readonly tag: ExperimentTag }[];
  readonly index: number;
  readonly failed: number;
  readonly problem: string | null;
  /** Runs of the plan the history already held (same setup and seed), so not trained again. */
  readonly reused: number;
  /**
   * The item the page's worker trains now (null: none), and the ones the side worker trains beside
   * it (one, or a group trained together; empty: none).
   */
  readonly liveItem?: number | null;
  readonly sideItems?: readonly number[];
  /**
   * How the side worker trains several runs, once it has said so: true in one step (a group),
   * false one after another (no products of our own there); null or absent: not known yet.
   */
  readonly sideTogether?: boolean | null;
  /** The layers of the network the side worker times now (the group trial), or null. */
  readonly sideTiming?: readonly HiddenLayer[] | null;
  /** The group trial of the side worker's network, where it trains several runs (null: none). */
  readonly sideTrial?: GroupTrial | null;
  /** Items after `index` that finished already. */
  readonly done?: readonly number[];
  /** The item whose failure paused the queue, where known. */
  readonly failedItem?: number | null;
}

/**
 * "3×32 sigmoid, seed 2"; for a variant's run, "4×32 relu, seed 1, ReLU instead of sigmoid"; for
 * a check's, "4×32 relu, seed 2, with the change"; for a config with a name of its own (experiment
 * 9's rows, which can share a shape), that name: "800, elastic distortions, seed 1".
 */
export function queueItemLabel(
  item: { readonly config: TrainConfig; readonly tag: ExperimentTag } | undefined,
): string {
  if (!item) return '';
  const variant = item.tag.variant ? `, ${VARIANTS[item.tag.variant].label}` : '';
  const arm =
    item.tag.experiment === 'check' ? (item.tag.key.endsWith('-after') ? ', with the change' : ', as it was') : '';
  const named = ALL_EXPERIMENTS.find((e) => e.id === item.tag.experiment)?.configs.find((c) => c.key === item.tag.key);
  return `${named?.label ?? architectureLabel(item.config.layers)}, seed ${item.config.seed}${variant}${arm}`;
}

/**
 * The runs of a group trained together, in one phrase: "2×32 sigmoid, seeds 2, 3 and 4" where
 * they differ only in the seed, else their labels joined by "; "; one run: its label.
 */
export function groupLabel(
  items: readonly ({ readonly config: TrainConfig; readonly tag: ExperimentTag } | undefined)[],
): string {
  const present = items.filter((i) => i !== undefined);
  const first = present[0];
  if (present.length <= 1 || !first) return queueItemLabel(first);
  const mark = '\u0000';
  const shape = (i: (typeof present)[number]) => queueItemLabel({ ...i, config: { ...i.config, seed: 0 } });
  const masked = (i: (typeof present)[number]) => shape(i).replace(', seed 0', mark);
  if (present.every((i) => masked(i) === masked(first)) && masked(first).includes(mark)) {
    const seeds = present.map((i) => i.config.seed);
    const list = `${seeds.slice(0, -1).join(', ')} and ${seeds[seeds.length - 1]}`;
    return masked(first).replace(mark, `, seeds ${list}`);
  }
  return present.map(queueItemLabel).join('; ');
}

/** What a queue is called in its status line: "Experiment 2", "The check". */
export function queueName(kind: string | null, number: number | null): string {
  return kind === 'check' ? 'The check' : `Experiment ${number ?? ''}`;
}

/**
 * The status line. `name`: what the queue is for ("Experiment 2", "The check"); `epoch`: of the
 * run under way, if known; `elapsed` and `left`: already formatted durations (null: unknown).
 */
export function queueSummary(
  q: QueueView,
  name: string,
  epoch: number | null,
  elapsed: string | null,
  left: string | null,
): string {
  const n = q.items.length;
  // While only the side worker trains (the last runs), the line is about its runs.
  const side = q.status === 'running' && (q.liveItem === null || q.liveItem === undefined) ? (q.sideItems ?? []) : [];
  const at = q.liveItem ?? q.index;
  const label =
    side.length > 0
      ? `${groupLabel(side.map((i) => q.items[i]))}${together(q, side.length)}`
      : queueItemLabel(q.items[Math.min(at, n - 1)]);
  const reused = q.reused > 0 ? ` (${q.reused} more reused from the history: same setup and seed)` : '';
  // Items before the index are finished, and so are those in `done`. With two lanes the runs
  // under way are the costliest left, not the next in the plan: the line says what trains and how
  // many runs finished, never a run's place in the plan as if it were the progress.
  const finished = queueFinished(q);
  const rest = n - finished === 1 ? 'the last one' : `the other ${n - finished}`;
  switch (q.status) {
    case 'done':
      if (n === 0)
        return q.reused === 1
          ? `${name}: its run was already in the history (same setup and seed), so it was not trained again.`
          : `${name}: all ${q.reused} runs were already in the history (same setup and seed), so none was trained again.`;
      return `${name} finished: ${n} run${n === 1 ? '' : 's'}${q.failed ? `, ${q.failed} failed` : ''}${reused}.`;
    case 'cancelled':
      return `Cancelled with ${finished} of ${n} runs finished.`;
    case 'paused':
      if (q.problem)
        return `Paused: ${queueItemLabel(q.items[q.failedItem ?? q.index])} failed: ${q.problem} Resume tries it again.`;
      return finished === n
        ? `Paused with all ${n} runs finished${reused}.`
        : `Paused with ${finished} of ${n} runs finished${reused}; resume trains ${rest}.`;
    default:
      return `Training ${label}${epoch !== null ? `, epoch ${epoch}` : ''} · ${finished} of ${n} finished · ${elapsed ?? ''} elapsed${left !== null ? ` · about ${left} left` : ''}${reused}`;
  }
}

/** How many of the queue's items have finished: those before the index and those in `done`. */
export function queueFinished(q: Pick<QueueView, 'index' | 'done' | 'items'>): number {
  return Math.min(q.items.length, q.index + (q.done?.length ?? 0));
}

/**
 * The side worker's line while it trains beside the live run: "Beside it, on a second worker:
 * 2×32 sigmoid, seed 4, epoch 2", or for a group "Beside it, on a second worker, 4 networks in one
 * step: 2×32 sigmoid, seeds 2, 3, 4 and 5, epoch 2"; null when it trains none (or only it does:
 * the status line is then about its runs).
 */
export function sideSummary(q: QueueView, epoch: number | null): string | null {
  const side = (q.sideItems ?? []).filter((i) => q.items[i] !== undefined);
  if (q.status === 'running' && q.sideTiming) {
    const sizes = GROUP_TRIAL_SIZES.filter((s) => s > 1);
    const list = `${sizes.slice(0, -1).join(', ')} and ${sizes.at(-1) ?? ''}`;
    return `Beside it, on a second worker: timing ${architectureLabel(q.sideTiming)} alone and in groups of ${list}, to choose how many of its runs to train in one step (the page remembers the times)`;
  }
  if (q.status !== 'running' || side.length === 0) return null;
  if (q.liveItem === null || q.liveItem === undefined) return null;
  const what = together(q, side.length);
  const label = groupLabel(side.map((i) => q.items[i]));
  return `Beside it, on a second worker${what}: ${label}${epoch !== null ? `, epoch ${epoch}` : ''}`;
}

/**
 * ", 4 networks in one step" (with its trial's speed-up: "(1.4× a run alone’s speed, as timed
 * here)") or ", 4 runs one after another" for several side runs, once known; else "".
 */
function together(q: QueueView, n: number): string {
  if (n < 2 || q.sideTogether === null || q.sideTogether === undefined) return '';
  if (!q.sideTogether) return `, ${n} runs one after another`;
  const times = q.sideTrial?.times ?? [];
  const [alone, group] = [1, n].map((k) => times.find((t) => t.size === k)?.msPerRun);
  const speedup = alone !== undefined && group !== undefined ? alone / group : null;
  const timed = speedup !== null && speedup > 1 ? ` (${speedup.toFixed(1)}× a run alone’s speed, as timed here)` : '';
  return `, ${n} networks in one step${timed}`;
}

/** The trial behind the side worker's group, in numbers ("Its trial: alone 1 ms a batch; …"), or null. */
export function sideTrialText(q: QueueView): string | null {
  if (q.status !== 'running' || !q.sideTrial || !q.sideTogether || (q.sideItems ?? []).length < 2) return null;
  return `Its network’s group trial in this browser: ${groupTimesText(q.sideTrial)}.`;
}

/**
 * What is left of a queue's runs, per item, in epochs: the unfinished ones, and the ones under way
 * less what they have trained (`live` and `side`: their progress, null where unknown).
 */
export function queueWork(
  q: QueueView,
  live: { readonly epoch: number; readonly batch: number; readonly batches: number } | null,
  side: { readonly epoch: number; readonly batch: number; readonly batches: number } | null,
): { config: TrainConfig; epochs: number }[] {
  const done = new Set(q.done ?? []);
  const out: { config: TrainConfig; epochs: number }[] = [];
  for (let i = q.index; i < q.items.length; i++) {
    const item = q.items[i];
    if (!item || done.has(i)) continue;
    const p = i === q.liveItem ? live : (q.sideItems ?? []).includes(i) ? side : null;
    const epochs = p ? Math.max(0, item.config.epochs - p.epoch + 1 - p.batch / p.batches) : item.config.epochs;
    out.push({ config: item.config, epochs });
  }
  return out;
}

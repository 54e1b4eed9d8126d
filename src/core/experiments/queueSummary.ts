/**
 * The experiment queue's one-line status, pure: where it is, what runs (with the variant it
 * flips), elapsed and estimated time left.
 */
import { ALL_EXPERIMENTS, type ExperimentTag } from './experiments';
import { architectureLabel } from '../runs/runs';
import type { TrainConfig } from '../network/spec';
import { VARIANTS } from './variants';

export interface QueueView {
  readonly status: 'idle' | 'running' | 'paused' | 'cancelled' | 'done';
  readonly items: readonly { readonly config: TrainConfig; readonly tag: ExperimentTag }[];
  readonly index: number;
  readonly failed: number;
  readonly problem: string | null;
  /** Runs of the plan the history already held (same setup and seed), so not trained again. */
  readonly reused: number;
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
  const label = queueItemLabel(q.items[Math.min(q.index, n - 1)]);
  const reused = q.reused > 0 ? ` (${q.reused} more reused from the history: same setup and seed)` : '';
  switch (q.status) {
    case 'done':
      if (n === 0)
        return q.reused === 1
          ? `${name}: its run was already in the history (same setup and seed), so it was not trained again.`
          : `${name}: all ${q.reused} runs were already in the history (same setup and seed), so none was trained again.`;
      return `${name} finished: ${n} run${n === 1 ? '' : 's'}${q.failed ? `, ${q.failed} failed` : ''}${reused}.`;
    case 'cancelled':
      return `Cancelled at run ${Math.min(q.index + 1, n)} of ${n}.`;
    case 'paused':
      return q.problem
        ? `Paused: run ${q.index + 1} of ${n} (${label}) failed: ${q.problem} Resume tries it again.`
        : `Paused at run ${q.index + 1} of ${n} (${label}); resume runs it again.`;
    default:
      return `Run ${q.index + 1} of ${n}: ${label}${epoch !== null ? `, epoch ${epoch}` : ''} · ${elapsed ?? ''} elapsed${left !== null ? ` · about ${left} left` : ''}${reused}`;
  }
}

/**
 * The experiment queue's one-line status, pure: where it is, what runs (with the variant it
 * flips), elapsed and estimated time left.
 */
import type { ExperimentTag } from './experiments';
import { architectureLabel } from './runs';
import type { TrainConfig } from './spec';
import { VARIANTS } from './variants';

export interface QueueView {
  readonly status: 'idle' | 'running' | 'paused' | 'cancelled' | 'done';
  readonly items: readonly { readonly config: TrainConfig; readonly tag: ExperimentTag }[];
  readonly index: number;
  readonly failed: number;
  readonly problem: string | null;
}

/** "3×32 sigmoid, seed 2" or, for a variant's run, "4×32 relu, seed 1, ReLU instead of sigmoid". */
export function queueItemLabel(item: { readonly config: TrainConfig; readonly tag: ExperimentTag } | undefined): string {
  if (!item) return '';
  const variant = item.tag.variant ? `, ${VARIANTS[item.tag.variant].label}` : '';
  return `${architectureLabel(item.config.layers)}, seed ${item.config.seed}${variant}`;
}

/**
 * The status line. `number`: the experiment's number; `epoch`: of the run under way, if known;
 * `elapsed` and `left`: already formatted durations (null: unknown).
 */
export function queueSummary(q: QueueView, number: number | null, epoch: number | null, elapsed: string | null, left: string | null): string {
  const n = q.items.length;
  const label = queueItemLabel(q.items[Math.min(q.index, n - 1)]);
  switch (q.status) {
    case 'done':
      return `Experiment ${number ?? ''} finished: ${n} runs${q.failed ? `, ${q.failed} failed` : ''}.`;
    case 'cancelled':
      return `Cancelled at run ${Math.min(q.index + 1, n)} of ${n}.`;
    case 'paused':
      return q.problem ? `Paused: run ${q.index + 1} of ${n} (${label}) failed: ${q.problem} Resume tries it again.` : `Paused at run ${q.index + 1} of ${n} (${label}); resume runs it again.`;
    default:
      return `Run ${q.index + 1} of ${n}: ${label}${epoch !== null ? `, epoch ${epoch}` : ''} · ${elapsed ?? ''} elapsed${left !== null ? ` · about ${left} left` : ''}`;
  }
}

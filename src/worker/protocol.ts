/** The typed messages between the page and the training worker (a tagged union each way). */
import type { TrainConfig } from '../core/spec';
import type { EpochLog, Progress, RunOutcome } from '../ml/train';

export type { EpochLog, Progress, RunOutcome };

export type MainToWorker =
  | { readonly type: 'train'; readonly runId: number; readonly config: TrainConfig; readonly baseUrl: string }
  | { readonly type: 'stop'; readonly runId: number }
  /** Diagnostics for the end-to-end tests: lose the WebGL context as a driver reset would. */
  | { readonly type: 'lose-webgl-context' }
  /** `count` random training images, chosen by `seed` (for the gallery). */
  | { readonly type: 'sample'; readonly requestId: number; readonly count: number; readonly seed: number; readonly baseUrl: string };

/** Tensor counts in the worker before a run started and after it ended (equal: no leak). */
export interface TensorCheck {
  readonly before: number;
  readonly after: number;
}

/** Messages about one training run; the store's run slice reduces these. */
export type RunMessage =
  | { readonly type: 'backend'; readonly runId: number; readonly name: string; readonly reason: string }
  | { readonly type: 'loading'; readonly runId: number; readonly loaded: number; readonly total: number; readonly fromCache: boolean }
  | {
      readonly type: 'started';
      readonly runId: number;
      readonly trainCount: number;
      readonly valCount: number;
      readonly batches: number;
    }
  | { readonly type: 'progress'; readonly runId: number; readonly progress: Progress }
  | { readonly type: 'epoch'; readonly runId: number; readonly log: EpochLog }
  | { readonly type: 'done'; readonly runId: number; readonly outcome: RunOutcome; readonly tensors: TensorCheck }
  | { readonly type: 'stopped'; readonly runId: number; readonly outcome: RunOutcome; readonly tensors: TensorCheck }
  | {
      readonly type: 'error';
      readonly runId: number;
      readonly message: string;
      readonly tensors: TensorCheck | null;
      /** The worker cannot be trusted any more (lost GPU context): the page starts a new one. */
      readonly restart?: boolean;
    };

/** Training images picked at random: `images` is [count, 784] bytes 0..255, `indices` into the 60,000. */
export interface Sample {
  readonly indices: readonly number[];
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
}

/** Replies to a `sample` request. */
export type SampleMessage =
  | { readonly type: 'sample-loading'; readonly requestId: number; readonly loaded: number; readonly total: number; readonly fromCache: boolean }
  | ({ readonly type: 'sample'; readonly requestId: number } & Sample)
  | { readonly type: 'sample-error'; readonly requestId: number; readonly message: string };

export type WorkerToMain = RunMessage | SampleMessage;

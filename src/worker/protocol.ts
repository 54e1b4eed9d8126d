/** The typed messages between the page and the training worker (a tagged union each way). */
import type { BackendTrial, InjectedTimes, TrialTable } from '../core/device/backendTrial';
import type { DatasetName, TrainConfig } from '../core/network/spec';
import type { GroupTime } from '../core/runs/groupTrial';
import type { TrainedModel } from '../core/runs/model';
import type { TestPredictions } from '../core/runs/metrics';
import type { FinderPoint } from '../core/network/rateFinder';
import type { StepResult, UnitWeights } from '../core/step/step';
import type { EpochLog, Progress, RunOutcome } from '../ml/train';
import type { HealthSample, LiveTiles, TrainSample } from '../core/diagnosis/health';

export type { EpochLog, HealthSample, LiveTiles, Progress, RunOutcome, TrainSample };

export type MainToWorker =
  /** Trains a run; when it finishes, its network stays in the worker as model `modelId`. */
  | {
      readonly type: 'train';
      readonly runId: number;
      readonly config: TrainConfig;
      readonly baseUrl: string;
      readonly modelId: string;
      /** backend=auto: the trials the page remembers (per device and size class), so as not to repeat one. */
      readonly trials?: TrialTable;
      /** backend=auto, diagnostics for tests: these times instead of measuring. */
      readonly injectTimes?: InjectedTimes | null;
      /**
       * A run nobody watches live (a queue's side worker): no layer health, weight tiles or
       * probe, only progress, epochs and the outcome.
       */
      readonly quiet?: boolean;
      /** WASM threads to ask for, if this worker has not started its WASM backend yet. */
      readonly threads?: number;
    }
  /**
   * Trains runs of one group (core/runs/groups.ts) together on their backend, many networks in one step
   * (ml/group), quietly as a side worker's run: each run's messages carry its own runId. Stopping
   * any of them stops them all.
   */
  | {
      readonly type: 'train-group';
      readonly runs: readonly { readonly runId: number; readonly config: TrainConfig }[];
      readonly baseUrl: string;
      /** WASM threads to ask for, if this worker has not started its WASM backend yet. */
      readonly threads?: number;
    }
  | { readonly type: 'stop'; readonly runId: number }
  /** Diagnostics for the end-to-end tests: lose the WebGL context as a driver reset would. */
  | { readonly type: 'lose-webgl-context' }
  /**
   * Images for the galleries: `count` random training images chosen by `seed`, or the test
   * images at `indices`.
   */
  | {
      readonly type: 'sample';
      readonly requestId: number;
      readonly dataset: DatasetName;
      readonly pick:
        | { readonly split: 'train'; readonly count: number; readonly seed: number }
        | { readonly split: 'test'; readonly indices: readonly number[] };
      readonly baseUrl: string;
    }
  /** Makes `model` the one `predict` uses (replacing any other). */
  | { readonly type: 'load-model'; readonly modelId: string; readonly model: TrainedModel }
  /** Classifies one image, [784] in the model's input range, with the loaded model `modelId`. */
  | { readonly type: 'predict'; readonly requestId: number; readonly modelId: string; readonly input: Float32Array }
  /**
   * The image a training run classifies with its current weights at every read-back ([784] in the
   * run's input range), or null for none; `probeId` comes back with the probabilities.
   */
  | { readonly type: 'probe'; readonly probeId: number; readonly input: Float32Array | null }
  /** Tests `model` (imported by the page) on its dataset's test images. */
  | { readonly type: 'test-model'; readonly requestId: number; readonly model: TrainedModel; readonly baseUrl: string }
  /**
   * Trains one batch of `config`'s run (a fresh network when `reset`, or when the config or the
   * backend differs from the last step's) and reports it with `input` ([784] in the run's input
   * range) passed through the network; null: the first test image.
   */
  | {
      readonly type: 'step';
      readonly requestId: number;
      readonly config: TrainConfig;
      readonly baseUrl: string;
      readonly input: Float32Array | null;
      readonly reset: boolean;
    }
  /** The incoming weights and bias of one unit of the stepped network (layer and unit 0-based). */
  | { readonly type: 'step-unit'; readonly requestId: number; readonly layer: number; readonly unit: number }
  /** Runs the learning-rate finder (ml/rateFinder.ts) on `config`'s network, from its initial weights. */
  | { readonly type: 'rate-find'; readonly requestId: number; readonly config: TrainConfig; readonly baseUrl: string }
  /** The group trial (ml/group/timeGroups.ts): `config`'s network timed alone and in groups of `sizes`, on its backend. */
  | {
      readonly type: 'group-time';
      readonly requestId: number;
      readonly config: TrainConfig;
      readonly sizes: readonly number[];
      readonly baseUrl: string;
      readonly threads: number;
    };

/** Tensors in the worker before and after something (equal: it freed all it made). */
export interface TensorCount {
  readonly before: number;
  readonly after: number;
}

/**
 * Tensors in the worker before a run started and after it ended, and the bytes they hold (equal:
 * no leak). What the worker keeps on purpose (the images on the device, the last model) is left
 * out of both.
 */
export interface TensorCheck extends TensorCount {
  readonly bytesBefore: number;
  readonly bytesAfter: number;
  /**
   * After the run, all the device memory the worker's backend has: bytes of every tensor, and on
   * WebGL the textures allocated (used or pooled for reuse; null elsewhere).
   */
  readonly device: {
    readonly tensorBytes: number;
    readonly allocated: number | null;
    /** Uploads of a split's images to the device by this worker so far (each split once, then reused). */
    readonly uploads: number;
  };
}

/** Messages about one training run; the store's run slice reduces these. */
export type RunMessage =
  | {
      readonly type: 'backend';
      readonly runId: number;
      readonly name: string;
      readonly reason: string;
      /** backend=auto: the times it chose by (absent where only one backend starts, or one was named). */
      readonly trial?: BackendTrial | null;
    }
  /** backend=auto is timing the network on each backend (before its 'backend' message). */
  | { readonly type: 'choosing'; readonly runId: number }
  | {
      readonly type: 'loading';
      readonly runId: number;
      readonly loaded: number;
      readonly total: number;
      readonly fromCache: boolean;
    }
  | {
      readonly type: 'started';
      readonly runId: number;
      readonly trainCount: number;
      readonly valCount: number;
      readonly batches: number;
      /** Networks trained together in its steps (a group, ml/group), when more than one. */
      readonly group?: number;
    }
  | {
      readonly type: 'progress';
      readonly runId: number;
      readonly progress: Progress;
      /** Loss and accuracy samples since the previous progress message (oldest first). */
      readonly samples: readonly TrainSample[];
      /** Layer-health samples since the previous progress message. */
      readonly health: readonly HealthSample[];
      /** The first layer's weights, when newly read. */
      readonly tiles: LiveTiles | null;
      /** The probe image's class probabilities with the current weights, and which probe it was. */
      readonly probe: { readonly probeId: number; readonly probs: Float32Array; readonly x: number } | null;
    }
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
      /**
       * The run had not started (the context was lost while the worker sat idle): the page starts
       * it again in the new worker instead of reporting an error.
       */
      readonly startAgain?: boolean;
      /** Only a reload helps (a newer release replaced the page's chunks). */
      readonly reload?: boolean;
      /** The run's loss became NaN or infinite: its setup's doing, not the machine's. */
      readonly diverged?: boolean;
    };

/** Images and their labels: `images` is [count, 784] bytes 0..255; `indices` into their split. */
export interface Sample {
  readonly indices: readonly number[];
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
}

/** Replies to a `sample` request. */
export type SampleMessage =
  | {
      readonly type: 'sample-loading';
      readonly requestId: number;
      readonly loaded: number;
      readonly total: number;
      readonly fromCache: boolean;
    }
  | ({ readonly type: 'sample'; readonly requestId: number } & Sample)
  | { readonly type: 'sample-error'; readonly requestId: number; readonly message: string };

/** Replies to a `predict` request; `tensors` is the worker's count around the prediction. */
export type PredictMessage =
  | {
      readonly type: 'prediction';
      readonly requestId: number;
      readonly probs: Float32Array;
      readonly activations: readonly Float32Array[];
      readonly tensors: TensorCount;
    }
  | {
      readonly type: 'prediction-error';
      readonly requestId: number;
      readonly message: string;
      readonly unknownModel: boolean;
      /** The GPU context is gone: the page starts a new worker and asks it again. */
      readonly restart?: boolean;
    };

/** A model's test: accuracy, Keras's loss and each test image's answer. */
export interface ModelTest {
  readonly loss: number;
  readonly acc: number;
  readonly test: TestPredictions;
}

/** Replies to a `test-model` request: loading the dataset, testing, the result or why not. */
export type TestModelMessage =
  | {
      readonly type: 'test-model-loading';
      readonly requestId: number;
      readonly loaded: number;
      readonly total: number;
      readonly fromCache: boolean;
    }
  | {
      readonly type: 'test-model-progress';
      readonly requestId: number;
      readonly tested: number;
      readonly total: number;
    }
  | ({ readonly type: 'test-model-result'; readonly requestId: number } & ModelTest)
  | { readonly type: 'test-model-error'; readonly requestId: number; readonly message: string };

/** Replies to `step`, `step-unit`, `rate-find` and `group-time`. */
export type StepMessage =
  | {
      readonly type: 'step-loading';
      readonly requestId: number;
      readonly loaded: number;
      readonly total: number;
      readonly fromCache: boolean;
    }
  | { readonly type: 'step-result'; readonly requestId: number; readonly result: StepResult }
  | { readonly type: 'step-unit-result'; readonly requestId: number; readonly weights: UnitWeights }
  | { readonly type: 'step-error'; readonly requestId: number; readonly message: string }
  /** One batch of the rate finder, as it is trained (index 0-based). */
  | {
      readonly type: 'rate-find-point';
      readonly requestId: number;
      readonly point: FinderPoint;
      readonly index: number;
    }
  | { readonly type: 'rate-find-result'; readonly requestId: number; readonly points: readonly FinderPoint[] }
  | { readonly type: 'group-time-result'; readonly requestId: number; readonly times: readonly GroupTime[] };

export type WorkerToMain = RunMessage | SampleMessage | PredictMessage | TestModelMessage | StepMessage;

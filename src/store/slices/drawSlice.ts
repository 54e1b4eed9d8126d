/**
 * What the page shows of the model in use: the drawn digit (or a test image picked instead) and its
 * prediction, the drawing a training run classifies as it learns, and the misclassified test images.
 */
import { preprocessDigit, type DigitImage } from '../../core/dataset/digit';
import type { DatasetName } from '../../core/network/spec';
import { mistakes, type Mistake } from '../../core/runs/metrics';
import type { PredictResult, Sample, TrainingClient } from '../../worker/client';
import type { ModelsState } from './modelsSlice';
import { errorMessage, type GetState, type SetState } from './slice';

/** How many misclassified test images the gallery shows at a time. */
export const MISTAKES_SHOWN = 40;

export interface DrawState {
  readonly digit: DigitImage | null;
  /** The probe id the current drawing was sent to the training run with (0: none sent). */
  readonly probeId: number;
  /** A test image picked instead of a drawing (the keyboard's way in): its index, label and bytes. */
  readonly testImage: { readonly index: number; readonly label: number; readonly bytes: Uint8Array } | null;
  readonly prediction: (PredictResult & { readonly modelId: string }) | null;
  readonly problem: string | null;
}

export interface MistakesState {
  readonly cell: { readonly label: number; readonly pred: number } | null;
  /** All mistakes in the cell (or all of them), most confident first. */
  readonly total: number;
  readonly shown: readonly Mistake[];
  readonly images: Sample | null;
  readonly status: 'idle' | 'loading' | 'ready' | 'error';
  readonly problem: string | null;
}

export const EMPTY_DRAW: DrawState = { digit: null, probeId: 0, testImage: null, prediction: null, problem: null };
export const EMPTY_MISTAKES: MistakesState = {
  cell: null,
  total: 0,
  shown: [],
  images: null,
  status: 'idle',
  problem: null,
};

export interface DrawActions {
  /** A new drawing: [width * height] ink 0..1 (all zero: cleared). */
  setDrawing(ink: Float32Array, width: number, height: number): void;
  /** Sends the drawing to the training run, in its input range, to be classified as it learns. */
  sendProbe(): void;
  /** Predicts the drawing again with the model in use now (called when that model changes). */
  predictAgain(): void;
  /** Uses a random test image instead of a drawing (a way in without a pointer). */
  predictTestImage(random?: () => number): void;
  /** The drawing (or picked test image) in input range `range`, or null when there is none. */
  drawnInput(range: 'raw' | 'scaled'): Float32Array | null;
  /** Shows the mistakes of one confusion-matrix cell, or all with null. */
  showMistakes(cell: { label: number; pred: number } | null): void;
  /**
   * Diagnostics for the benchmark and tests: preprocesses `ink` and predicts with the model in use
   * `n` times in a row; wall ms of each (preprocessing plus the worker's forward pass and the
   * round trip), the worker's tensor count before the first and after the last, and the last
   * prediction's class probabilities.
   */
  timePredictions(
    ink: Float32Array,
    width: number,
    height: number,
    n: number,
  ): Promise<{ ms: number[]; tensors: { before: number; after: number }; probs: number[] }>;
}

interface Host {
  readonly draw: DrawState;
  readonly mistakes: MistakesState;
  readonly models: Pick<ModelsState, 'active'>;
  readonly run: { readonly status: string; readonly config: { readonly preprocessing: 'raw' | 'scaled' } | null };
  readonly config: { readonly preprocessing: 'raw' | 'scaled'; readonly dataset: DatasetName };
}

type Ink = { ink: Float32Array; width: number; height: number };

export function createDrawSlice(
  set: SetState<Pick<Host, 'draw' | 'mistakes'>>,
  get: GetState<Host>,
  deps: { readonly client: () => TrainingClient },
): Pick<Host, 'draw' | 'mistakes'> & DrawActions {
  const { client } = deps;
  let lastInk: Ink | null = null;
  let predictSeq = 0;
  let probeSeq = 0;
  const setDraw = (change: Partial<DrawState>) => set((s) => ({ draw: { ...s.draw, ...change } }));
  const showMistakes = mistakesShower(set, get, client);

  const sendProbe = () => {
    const { run } = get();
    const busy = run.status === 'loading' || run.status === 'training';
    if (!busy || !run.config) return;
    const digit = lastInk
      ? preprocessDigit(lastInk.ink, lastInk.width, lastInk.height, run.config.preprocessing)
      : null;
    const probeId = ++probeSeq;
    client().setProbe(probeId, digit?.input ?? null);
    setDraw({ probeId });
  };

  const predict = () => {
    const seq = ++predictSeq;
    const active = get().models.active;
    // In the model's input range; with no model yet, the controls' (for the preview only).
    const range = active?.kept.model.preprocessing ?? get().config.preprocessing;
    const digit = lastInk ? preprocessDigit(lastInk.ink, lastInk.width, lastInk.height, range) : null;
    set((s) => ({ draw: { ...s.draw, digit, prediction: digit && active ? s.draw.prediction : null, problem: null } }));
    if (!digit || !active) return;
    client()
      .predict(active.id, active.kept.model, digit.input)
      .then(
        (r) => {
          if (seq === predictSeq) setDraw({ prediction: { ...r, modelId: active.id }, problem: null });
        },
        (e: unknown) => {
          if (seq === predictSeq) setDraw({ prediction: null, problem: `Could not predict: ${errorMessage(e)}` });
        },
      );
  };

  /** A new image to read: predict it, and let the training run classify it too. */
  const use = (ink: Ink) => {
    lastInk = ink;
    predict();
    sendProbe();
  };

  return {
    draw: EMPTY_DRAW,
    mistakes: EMPTY_MISTAKES,
    setDrawing(ink, width, height) {
      setDraw({ testImage: null });
      use({ ink, width, height });
    },
    predictTestImage(random = Math.random) {
      const dataset = get().models.active?.kept.model.dataset ?? get().config.dataset;
      const index = Math.floor(random() * 10000);
      client()
        .sample(dataset, { split: 'test', indices: [index] }, () => undefined)
        .then(
          (sample) => {
            const bytes = sample.images.slice(0, 784);
            setDraw({ testImage: { index, label: sample.labels[0] ?? 0, bytes } });
            use({ ink: Float32Array.from(bytes, (b) => b / 255), width: 28, height: 28 });
          },
          (e: unknown) => setDraw({ problem: `Could not read a test image: ${errorMessage(e)}` }),
        );
    },
    sendProbe,
    drawnInput: (range) =>
      lastInk ? (preprocessDigit(lastInk.ink, lastInk.width, lastInk.height, range)?.input ?? null) : null,
    predictAgain: predict,
    showMistakes,
    timePredictions: (ink, width, height, n) => timePredictions(get, client, { ink, width, height }, n),
  };
}

/** Shows the mistakes of one cell (or all), then loads their images; a newer request wins. */
function mistakesShower(
  set: SetState<Pick<Host, 'mistakes'>>,
  get: GetState<Host>,
  client: () => TrainingClient,
): DrawActions['showMistakes'] {
  let seq = 0;
  return (cell) => {
    const active = get().models.active;
    const mine = ++seq;
    if (!active) return set({ mistakes: EMPTY_MISTAKES });
    const all = mistakes(active.kept.test, cell ?? undefined);
    const shown = all.slice(0, MISTAKES_SHOWN);
    const status = shown.length > 0 ? 'loading' : 'ready';
    set({ mistakes: { cell, total: all.length, shown, images: null, status, problem: null } });
    if (shown.length === 0) return;
    const pick = { split: 'test' as const, indices: shown.map((m) => m.index) };
    client()
      .sample(active.kept.model.dataset ?? 'mnist', pick, () => undefined)
      .then(
        (images) => {
          if (mine === seq) set((s) => ({ mistakes: { ...s.mistakes, images, status: 'ready' } }));
        },
        (e: unknown) => {
          if (mine === seq) set((s) => ({ mistakes: { ...s.mistakes, status: 'error', problem: errorMessage(e) } }));
        },
      );
  };
}

async function timePredictions(get: GetState<Host>, client: () => TrainingClient, ink: Ink, n: number) {
  const active = get().models.active;
  if (!active) throw new Error('no trained model in use');
  const ms: number[] = [];
  let before = -1;
  let after = -1;
  let probs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const digit = preprocessDigit(ink.ink, ink.width, ink.height, active.kept.model.preprocessing);
    if (!digit) throw new Error('nothing drawn');
    const r = await client().predict(active.id, active.kept.model, digit.input);
    ms.push(performance.now() - t0);
    if (i === 0) before = r.tensors.before;
    after = r.tensors.after;
    probs = Array.from(r.probs);
  }
  return { ms, tensors: { before, after }, probs };
}

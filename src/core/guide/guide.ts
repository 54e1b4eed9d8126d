/**
 * The guided start (issue 25): four steps a newcomer takes through the article's finding, each
 * with the one control it needs and what to expect, moving on by itself when the history shows
 * the step done. The expectations are measured numbers (docs/article.md: real Keras over 5 seeds,
 * and the lab's own runs). Pure: the store keeps the step, the page shows it.
 */
import { DEFAULT_CONFIG, type TrainConfig } from '../network/spec';
import type { RunRecord } from '../runs/runs';

export type GuideStep = 1 | 2 | 3 | 4;
/** A step, or 'done' once the fourth is, or null: no guide shown. */
export type GuideAt = GuideStep | 'done' | null;

export interface GuideStepText {
  readonly title: string;
  /** What to do. */
  readonly act: string;
  /** What to expect. */
  readonly expect: string;
  /** The control the step needs (a CSS selector), highlighted while the step is shown. */
  readonly target: string;
  /** The step moves on by itself when a run shows it done (else with Next). */
  readonly auto: boolean;
}

export const GUIDE_STEPS: Readonly<Record<GuideStep, GuideStepText>> = {
  1: {
    title: 'Train the article’s network',
    act: 'The controls hold the article’s network: one hidden layer of 32 sigmoid units, raw 0..255 inputs, plain SGD at 0.01, 5 epochs. Press Train.',
    expect:
      'Expect a test accuracy near 0.89 (real Keras gives 0.881 to 0.890 over 5 seeds). The bar above shows the time left once it starts.',
    target: '[data-testid="train-button"]',
    auto: true,
  },
  2: {
    title: 'Add layers until it breaks',
    act: 'Press “+ Add hidden layer” until there are 4 layers of 32, then Train again. Try 2 and 3 on the way if you like.',
    expect:
      'Expect the accuracy to fall with each layer (Keras: about 0.81 with 2, 0.41 with 3) and to collapse to 0.11 with 4: the network calls every image a 1.',
    target: '[data-testid="add-layer"]',
    auto: true,
  },
  3: {
    title: 'Read why',
    act: 'The Diagnosis panel says what went wrong in plain words, with the numbers from the Layer health table beside it.',
    expect:
      'Expect it to say the gradient fades on its way back through the sigmoid layers, so the first layers barely learn.',
    target: '[data-testid="diagnosis"]',
    auto: false,
  },
  4: {
    title: 'Try the fix',
    act: 'Press the first fix under the first finding (“Use the setup that learns well”: ReLU units, inputs scaled to 0..1, Adam), then Train.',
    expect: 'Expect the same 4 layers of 32 to learn: measured here at 0.96 on all 60,000 images.',
    target: '[data-testid="finding"] button.fix',
    auto: true,
  },
};

/** Hidden layers of a run. */
const depth = (r: RunRecord) => r.config.layers.length;

/** Whether the runs since `since` (ms) show step `step` done. */
export function stepDone(step: GuideStep, runs: readonly RunRecord[], since: number): boolean {
  const ended = runs.filter((r) => r.startedAt >= since && r.status === 'done' && r.testAcc !== null);
  switch (step) {
    case 1:
      return ended.length > 0;
    case 2:
      return ended.some((r) => depth(r) >= 2 && (r.testAcc as number) <= 0.2);
    case 3:
      return false;
    case 4:
      return ended.some((r) => depth(r) >= 4 && (r.testAcc as number) >= 0.9);
  }
}

/** The step a link asks for (`?guide=2`), or null. */
export function guideFromQuery(search: string): GuideStep | null {
  const v = new URLSearchParams(search).get('guide');
  return v === '1' || v === '2' || v === '3' || v === '4' ? (Number(v) as GuideStep) : null;
}

/** What is kept of the guide between visits. */
export interface StoredGuide {
  readonly at: GuideAt;
  /** When the step was reached (ms): runs before it do not count for it. */
  readonly since: number;
  /** Closed by the person: it does not come back unasked. */
  readonly dismissed: boolean;
}

/** The stored guide, or null where there is none or it is not one (a first visit). */
export function parseStoredGuide(text: string | null): StoredGuide | null {
  try {
    const x = JSON.parse(text ?? 'null') as Partial<StoredGuide> | null;
    if (typeof x !== 'object' || x === null) return null;
    const at = x.at === 'done' || x.at === null || [1, 2, 3, 4].includes(x.at as number) ? (x.at as GuideAt) : null;
    const since = typeof x.since === 'number' && Number.isFinite(x.since) ? x.since : 0;
    return { at, since, dismissed: x.dismissed === true };
  } catch {
    return null;
  }
}

/**
 * Where the guide starts on this visit: the step a link asks for; else where the last visit left
 * it, unless dismissed; else, on a first visit, step 1.
 */
export function initialGuide(stored: StoredGuide | null, asked: GuideStep | null, now: () => number): StoredGuide {
  if (asked !== null) return { at: asked, since: now(), dismissed: false };
  // A first visit: every run from now on counts (a clock read only when needed).
  if (stored === null) return { at: 1, since: 0, dismissed: false };
  return stored.dismissed ? { ...stored, at: null } : stored;
}

/** Whether `c` is the article's network (what step 1 trains): one layer of 32 sigmoid units, raw inputs, SGD 0.01, 5 epochs. */
export function isArticleNetwork(c: TrainConfig): boolean {
  const [only] = c.layers;
  return (
    c.layers.length === 1 &&
    only?.units === 32 &&
    only.activation === 'sigmoid' &&
    c.preprocessing === 'raw' &&
    c.optimizer === 'sgd' &&
    c.learningRate === 0.01 &&
    c.epochs === 5 &&
    c.batchSize === 128 &&
    c.dataset === 'mnist'
  );
}

/** The controls' config with the article's network put in (its seed, backend and images kept). */
export function withArticleNetwork(c: TrainConfig): TrainConfig {
  return { ...DEFAULT_CONFIG, seed: c.seed, backend: c.backend, subset: c.subset };
}

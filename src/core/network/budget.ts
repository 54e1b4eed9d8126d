/**
 * Budget mode (issue 12): the total parameter count is held while the depth changes. The widths
 * come from `widthsForBudget` (core/network/params.ts); a width edited by hand leaves budget mode. Pure.
 */
import { totalParams, widthsForBudget } from './params';
import { LIMITS, type HiddenLayer, type TrainConfig } from './spec';

/** The budget field's range: below it a layer would be narrower than one unit. */
export const BUDGET_LIMITS = { min: 1000, max: LIMITS.maxParams } as const;

/** The article's first network's size, and the larger budget of the presets. */
export const ARTICLE_BUDGET = 25_450;

/**
 * `layers` with widths solved for `budget` (activations kept, widths within 1..maxWidth); a layer
 * with batch normalization counted as Keras counts it (3 more per unit: 4 in its normalization, no bias).
 */
export function budgetLayers(layers: readonly HiddenLayer[], budget: number): HiddenLayer[] {
  const withWidths = (widths: readonly number[]) =>
    layers.map((l, i) => ({ ...l, units: Math.min(LIMITS.maxWidth, Math.max(LIMITS.minWidth, widths[i] ?? 1)) }));
  const normed = layers.some((l) => l.batchNorm === true);
  const widths = normed
    ? widthsForBudget(layers.length, budget, (w) => totalParams(withWidths(w)))
    : widthsForBudget(layers.length, budget);
  return withWidths(widths);
}

/** How far the solved network's count is from the budget, as a fraction (0.003 = 0.3 %). */
export function budgetMiss(layers: readonly HiddenLayer[], budget: number): number {
  return Math.abs(totalParams(layers) - budget) / budget;
}

/** The config with its widths solved for `budget` (unchanged without hidden layers). */
export function applyBudget(config: TrainConfig, budget: number): TrainConfig {
  if (config.layers.length === 0) return config;
  return { ...config, layers: budgetLayers(config.layers, budget) };
}

const widthsOf = (c: TrainConfig) => c.layers.map((l) => l.units);
const sameMultiset = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && [...a].sort().join() === [...b].sort().join();

/**
 * An edit made in budget mode: a change of depth re-solves the widths for the new depth; a width
 * changed by hand leaves budget mode (budget null) and keeps the edit; anything else (activation,
 * epochs, moving a layer) stays in budget mode with the widths solved.
 */
export function editInBudget(
  before: TrainConfig,
  after: TrainConfig,
  budget: number | null,
): { config: TrainConfig; budget: number | null } {
  if (budget === null) return { config: after, budget };
  if (after.layers.length !== before.layers.length) return { config: applyBudget(after, budget), budget };
  if (!sameMultiset(widthsOf(before), widthsOf(after))) return { config: after, budget: null };
  return { config: applyBudget(after, budget), budget };
}

import { describe, expect, test } from 'vitest';
import { applyBudget, ARTICLE_BUDGET, budgetMiss, editInBudget } from '../../../../src/core/network/budget';
import { addLayer, removeLayer, setActivation, setWidth } from '../../../../src/core/network/edit';
import { totalParams } from '../../../../src/core/network/params';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../../src/core/network/spec';

const fourBy32: TrainConfig = {
  ...DEFAULT_CONFIG,
  layers: Array.from({ length: 4 }, () => ({ units: 32, activation: 'sigmoid' as const })),
};

describe('budget mode: the parameter count held while the depth changes', () => {
  test('4×32 at 25,450 becomes widths that total 25,450 ± 1 %, activations kept', () => {
    const c = applyBudget(
      { ...fourBy32, layers: fourBy32.layers.map((l, i) => ({ ...l, activation: i === 2 ? 'relu' : 'sigmoid' })) },
      ARTICLE_BUDGET,
    );
    expect(c.layers.map((l) => l.units)).toEqual([29, 28, 28, 28]);
    expect(c.layers.map((l) => l.activation)).toEqual(['sigmoid', 'sigmoid', 'relu', 'sigmoid']);
    expect(budgetMiss(c.layers, ARTICLE_BUDGET)).toBeLessThan(0.01);
  });

  test('adding or removing a layer re-solves the widths for the new depth', () => {
    const start = applyBudget(fourBy32, ARTICLE_BUDGET);
    const added = editInBudget(start, addLayer(start), ARTICLE_BUDGET);
    expect(added.budget).toBe(ARTICLE_BUDGET);
    expect(added.config.layers).toHaveLength(5);
    expect(Math.abs(totalParams(added.config.layers) - ARTICLE_BUDGET) / ARTICLE_BUDGET).toBeLessThan(0.01);
    const removed = editInBudget(start, removeLayer(start, 0), ARTICLE_BUDGET);
    expect(removed.config.layers).toHaveLength(3);
    expect(Math.abs(totalParams(removed.config.layers) - ARTICLE_BUDGET) / ARTICLE_BUDGET).toBeLessThan(0.011);
    const one = editInBudget(
      applyBudget(
        {
          ...DEFAULT_CONFIG,
          layers: [
            { units: 32, activation: 'sigmoid' },
            { units: 32, activation: 'sigmoid' },
          ],
        },
        ARTICLE_BUDGET,
      ),
      removeLayer(
        applyBudget(
          {
            ...DEFAULT_CONFIG,
            layers: [
              { units: 32, activation: 'sigmoid' },
              { units: 32, activation: 'sigmoid' },
            ],
          },
          ARTICLE_BUDGET,
        ),
        1,
      ),
      ARTICLE_BUDGET,
    );
    expect(one.config.layers.map((l) => l.units)).toEqual([32]);
  });

  test('a width edited by hand leaves budget mode and keeps the edit', () => {
    const start = applyBudget(fourBy32, ARTICLE_BUDGET);
    const r = editInBudget(start, setWidth(start, 1, 100), ARTICLE_BUDGET);
    expect(r.budget).toBeNull();
    expect(r.config.layers[1]?.units).toBe(100);
  });

  test('other edits stay in budget mode with the widths unchanged', () => {
    const start = applyBudget(fourBy32, ARTICLE_BUDGET);
    const r = editInBudget(start, setActivation(start, 0, 'relu'), ARTICLE_BUDGET);
    expect(r.budget).toBe(ARTICLE_BUDGET);
    expect(r.config.layers.map((l) => l.units)).toEqual([29, 28, 28, 28]);
    expect(r.config.layers[0]?.activation).toBe('relu');
  });

  test('outside budget mode an edit is the edit', () => {
    const after = setWidth(fourBy32, 0, 7);
    expect(editInBudget(fourBy32, after, null)).toEqual({ config: after, budget: null });
  });
});

import { describe, expect, test } from 'vitest';
import { EXPERIMENT_IDS } from '../../../../src/core/experiments/experiments';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../../src/core/network/spec';
import { decodeConfig, encodeConfig, encodeLink } from '../../../../src/core/link/urlCodec';

const config: TrainConfig = { ...DEFAULT_CONFIG, layers: [{ units: 128, activation: 'relu' }], epochs: 12, seed: 42 };

describe('experiment= in the URL', () => {
  test('?experiment=width opens the width experiment without a notice', () => {
    const d = decodeConfig('?experiment=width');
    expect(d.experiment).toBe('width');
    expect(d.notices).toEqual([]);
  });

  test('every experiment id decodes to itself, case and spaces aside', () => {
    for (const id of EXPERIMENT_IDS) expect(decodeConfig(`experiment=${id}`).experiment).toBe(id);
    expect(decodeConfig('?experiment=%20Depth40%20').experiment).toBe('depth40');
  });

  test('no experiment, or an empty one, is null without a notice', () => {
    expect(decodeConfig('?layers=32').experiment).toBeNull();
    expect(decodeConfig('').experiment).toBeNull();
    const empty = decodeConfig('?experiment=');
    expect(empty.experiment).toBeNull();
    expect(empty.notices).toEqual([]);
  });

  test('?experiment=nope is null, with a notice naming the parameter', () => {
    const d = decodeConfig('?experiment=nope');
    expect(d.experiment).toBeNull();
    expect(d.notices).toHaveLength(1);
    expect(d.notices[0]).toMatchObject({ param: 'experiment', given: 'nope' });
    expect(d.notices[0]?.reason).toMatch(/unknown experiment/);
  });

  test('the experiment does not change the config', () => {
    const q = encodeConfig(config);
    expect(decodeConfig(`${q}&experiment=grid`).config).toEqual(decodeConfig(q).config);
  });

  test('encodeLink(config, grid) ends with &experiment=grid and decodes back to both', () => {
    const link = encodeLink(config, 'grid');
    expect(link.endsWith('&experiment=grid')).toBe(true);
    expect(link.startsWith(encodeConfig(config))).toBe(true);
    const d = decodeConfig(`?${link}`);
    expect(d.experiment).toBe('grid');
    expect(d.config).toEqual(config);
    expect(d.notices).toEqual([]);
  });

  test('encodeLink without an experiment is the config alone', () => {
    const link = encodeLink(config, null);
    expect(link).toBe(encodeConfig(config));
    expect(link).not.toContain('experiment');
    expect(decodeConfig(link).experiment).toBeNull();
  });

  test('every experiment id survives the round trip', () => {
    for (const id of EXPERIMENT_IDS) {
      const d = decodeConfig(encodeLink(DEFAULT_CONFIG, id));
      expect(d.experiment).toBe(id);
      expect(d.config).toEqual(DEFAULT_CONFIG);
    }
  });
});

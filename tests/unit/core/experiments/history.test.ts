import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  configLabel,
  experimentById,
  experimentPlan,
  experimentRunConfig,
  type ExperimentConfig,
} from '../../../../src/core/experiments/experiments';
import { resultsToCsv, resultsToJson, experimentResults } from '../../../../src/core/experiments/experimentResults';
import { queueItemLabel } from '../../../../src/core/experiments/queueSummary';
import {
  againstPublished,
  paperHoursHere,
  publishedSummary,
  updatesPerEpoch,
} from '../../../../src/core/experiments/published';
import { decodeConfig } from '../../../../src/core/link/urlCodec';
import { setupKey } from '../../../../src/core/runs/runs';

const history = experimentById('history');

/** One CSV line's cells: commas split, except inside double quotes ("" is a quote). */
function parseCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quoted && ch === '"' && line[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  return [...cells, cell];
}
const byKey = (key: string) => history.configs.find((c) => c.key === key) as ExperimentConfig;
const run = (key: string, seed = 1) => experimentRunConfig(byKey(key), seed, { quick: false, dataset: 'mnist' });

describe('experiment 9, history: published rows beside the lab’s recipes', () => {
  test('is number 9, opens from ?experiment=history, and its numbers are the papers’', () => {
    expect(history.number).toBe(9);
    expect(history.reference).toBe('published');
    expect(decodeConfig('?experiment=history').experiment).toBe('history');
    // Published test errors (percent) as accuracy, row by row.
    expect(history.configs.map((c) => [c.key, c.article])).toEqual([
      ['lecun300', 0.953],
      ['lecun1000', 0.955],
      ['lecun300-100', 0.9695],
      ['lecun500-150', 0.9705],
      ['simard800', 0.984],
      ['simard800-affine', 0.989],
      ['simard800-elastic', 0.993],
      ['hinton500-300', 0.9847],
      ['dropout-logistic', 0.9865],
      ['dropout-relu', 0.9875],
      ['dropout-maxnorm', 0.9894],
      ['best', null],
    ]);
    for (const c of history.configs) {
      expect(c.source, c.key).toBeTruthy();
      expect(c.differs, c.key).toBeTruthy();
    }
  });

  test('its last config is the lab’s best recipe: the link docs/guide.md gives', () => {
    const guide = readFileSync('docs/guide.md', 'utf8');
    const link = /^\?(layers=1024,1024&\S+)$/m.exec(guide)?.[1];
    expect(link).toBeDefined();
    const fromGuide = decodeConfig(`?${link as string}&seed=2`).config;
    const last = history.configs[history.configs.length - 1] as ExperimentConfig;
    expect(last.key).toBe('best');
    expect({ ...run('best', 2), backend: fromGuide.backend }).toEqual(fromGuide);
    // The same setup: a run trained from the guide's link is reused by the experiment.
    expect(setupKey(run('best', 2))).toBe(setupKey(fromGuide));
  });

  test('each row trains its own recipe on all 60,000 images', () => {
    for (const c of history.configs) {
      const config = run(c.key);
      expect(config.validationSplit, c.key).toBe(0);
      expect(config.subset, c.key).toBeNull();
      expect(config.preprocessing, c.key).toBe('scaled');
      expect(config.optimizer, c.key).toBe('adam');
      expect(config.layers.length, c.key).toBe(c.depth);
    }
    expect(run('lecun300')).toMatchObject({ loss: 'mse', layers: [{ units: 300, activation: 'tanh' }] });
    expect(run('lecun1000').loss).toBe('ce');
    expect(run('simard800-affine').augment).toBe('affine');
    expect(run('simard800-elastic').augment).toBe('elastic');
    expect(run('hinton500-300')).toMatchObject({ l2: 1e-5, layers: [{ units: 500 }, { units: 300 }] });
    expect(run('dropout-logistic')).toMatchObject({
      inputDropout: 0.2,
      maxNorm: 0,
      layers: [1, 2, 3].map(() => ({ units: 1024, activation: 'sigmoid', dropout: 0.5 })),
    });
    expect(run('dropout-maxnorm')).toMatchObject({ maxNorm: 2, layers: [{ activation: 'relu' }, {}, {}] });
    expect(configLabel(byKey('simard800'))).toBe('800, cross-entropy');
    expect(run('simard800').layers).toEqual([{ units: 800, activation: 'sigmoid' }]);
  });

  test('takes no variants, and 2 repeats are seeds 1 and 2 of every row', () => {
    const plan = experimentPlan(history, { repeats: 2, quick: false, dataset: 'mnist', variants: ['relu', 'bn'] });
    expect(plan).toHaveLength(2 * history.configs.length);
    expect(plan.every((p) => p.tag.variant === undefined)).toBe(true);
    expect(plan.slice(0, 2).map((p) => [p.tag.key, p.config.seed])).toEqual([
      ['lecun300', 1],
      ['lecun300', 2],
    ]);
  });

  test('the results CSV carries the source, the verdict and what differs, quoted where they hold commas', () => {
    const measured = (key: string, seed: number, testAcc: number) => ({
      id: `${key}-${seed}`,
      status: 'done',
      config: run(key, seed),
      testAcc,
      epochs: [{ epoch: 1, seconds: 5 }],
    });
    const runs = [measured('simard800', 1, 0.981), measured('simard800', 2, 0.983), measured('best', 1, 0.988)];
    const rows = experimentResults(history, runs as never, false, 'mnist');
    const [header, ...lines] = resultsToCsv(history, rows, false, 'mnist').trimEnd().split('\r\n');
    const columns = (header as string).split(',');
    expect(columns.slice(-3)).toEqual(['source', 'against', 'differs']);
    // Every line reads back (RFC 4180) into as many cells as the header, with the row's own words.
    const cells = lines.map(parseCsvLine);
    for (const row of cells) expect(row).toHaveLength(columns.length);
    const at = (key: string, column: string) =>
      cells[history.configs.findIndex((c) => c.key === key)]?.[columns.indexOf(column)];
    expect(at('best', 'config')).toBe('1024-1024 ReLU, the lab’s best recipe');
    expect(at('best', 'against')).toBe('');
    expect(at('best', 'differs')).toBe(byKey('best').differs);
    expect(at('simard800', 'test_acc_mean')).toBe('0.982');
    expect(at('simard800', 'source')).toBe('Simard et al. 2003');
    // 0.982 against 0.984: 0.2 points below, within the half point.
    expect(at('simard800', 'against')).toBe('matched, within 0.5 pt');
    expect(at('lecun300', 'against')).toBe('');
  });
});

describe('experiment 9 outside its table', () => {
  test('its JSON says what its numbers are set against, with no Keras band it does not have', () => {
    const rows = experimentResults(history, [], false, 'mnist');
    const doc = JSON.parse(resultsToJson(history, rows, false, 'mnist', 0)) as Record<string, unknown>;
    expect(doc).not.toHaveProperty('keras');
    expect(doc.reference).toMatch(/^published test accuracy/);
    expect((doc.results as { against: unknown }[]).every((r) => r.against === null)).toBe(true);
    const depth = JSON.parse(resultsToJson(experimentById('depth'), [], false, 'mnist', 0)) as Record<string, unknown>;
    expect(depth).toHaveProperty('keras');
  });

  test('the queue names a row by its label, so rows of one shape are told apart', () => {
    const plan = experimentPlan(history, { repeats: 1, quick: false, dataset: 'mnist' });
    const labels = plan.map((p) => queueItemLabel(p));
    expect(labels.filter((l) => l.startsWith('800, '))).toEqual([
      '800, cross-entropy, seed 1',
      '800, affine distortions, seed 1',
      '800, elastic distortions, seed 1',
    ]);
    expect(new Set(labels).size).toBe(labels.length);
  });
});

describe('againstPublished: the verdict beside the published number', () => {
  test.each([
    [null, '–'],
    [0.0004, 'matched'],
    [0.007, 'matched, 0.7 pt above'],
    [-0.0049, 'matched, within 0.5 pt'],
    [-0.005, 'matched, within 0.5 pt'],
    [-0.0051, 'matched, within 0.5 pt'],
    [-0.0056, 'short by 0.6 pt'],
    [-0.0212, 'short by 2.1 pt'],
  ])('a difference of %s reads "%s"', (diff, words) => {
    expect(againstPublished(diff)).toBe(words);
  });
});

describe('how long the paper trained, at the speed measured here', () => {
  test('a 3-epoch row of all 60,000 images in batches of 128 makes 1,407 updates, as its words say', () => {
    expect(updatesPerEpoch(run('dropout-relu')) * run('dropout-relu').epochs).toBe(1407);
    expect(byKey('dropout-relu').differs).toContain('1,407 updates');
    expect(byKey('dropout-relu').paperUpdates).toBe(1_000_000);
    expect(byKey('lecun300').paperUpdates).toBeUndefined();
  });

  test('the paper’s updates scale the measured epoch: 46.9 s for 469 updates is 0.1 s each, 1e6 of them 27.8 h', () => {
    expect(paperHoursHere(run('dropout-relu'), 1_000_000, 46.9)).toBeCloseTo(100_000 / 3600, 6);
    expect(paperHoursHere(run('dropout-relu'), 1_000_000, null)).toBeNull();
    expect(paperHoursHere(run('dropout-relu'), 1_000_000, 0)).toBeNull();
  });

  test('the table gives those hours for full MNIST runs only: quick runs are of another length', () => {
    const record = (quick: boolean) => ({
      id: `r${quick ? 'q' : 'f'}`,
      status: 'done',
      config: experimentRunConfig(byKey('dropout-relu'), 1, { quick, dataset: 'mnist' }),
      testAcc: 0.97,
      epochs: [1, 2, 3].map((epoch) => ({ epoch, seconds: 46.9 })),
    });
    const hours = (quick: boolean) =>
      experimentResults(history, [record(quick)] as never, quick, 'mnist').find((r) => r.config.key === 'dropout-relu')
        ?.paperHours;
    expect(hours(false)).toBeCloseTo(100_000 / 3600, 6);
    expect(hours(true)).toBeNull();
  });
});

describe('publishedSummary: the sentence under the table, from its rows', () => {
  const row = (label: string, diff: number | null, secondsPerRun: number | null = 60) => ({
    label,
    diff,
    secondsPerRun,
  });

  test('nothing measured yet: nothing said', () => {
    expect(publishedSummary([row('300', null), row('best', null)])).toBeNull();
  });

  test('names the rows matched, the longest of their runs, and how far short the others are', () => {
    expect(
      publishedSummary([row('300', 0.02, 50), row('800', -0.004, 130), row('3×1024', -0.0123, 900), row('best', null)]),
    ).toBe(
      'Matched here (2 of 3; the slowest of them took 3 min a run on average): 300; 800. Short of the paper: 3×1024 (by 1.2 pt).',
    );
    expect(publishedSummary([row('3×1024', -0.0123)])).toBe(
      'The one row run so far is not matched here. Short of the paper: 3×1024 (by 1.2 pt).',
    );
  });
});

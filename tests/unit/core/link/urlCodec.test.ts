import { describe, expect, test } from 'vitest';
import { totalParams } from '../../../../src/core/network/params';
import {
  ACTIVATIONS,
  BACKEND_CHOICES,
  DATASETS,
  DEFAULT_CONFIG,
  LIMITS,
  OPTIMIZERS,
  PREPROCESSING,
  type Activation,
  type HiddenLayer,
  type TrainConfig,
} from '../../../../src/core/network/spec';
import {
  decodeConfig,
  describeNotice,
  encodeConfig,
  encodeLink,
  type Notice,
} from '../../../../src/core/link/urlCodec';

/** The seed every test's makeSeed draws, distinct from DEFAULT_CONFIG.seed so its use is visible. */
const DRAWN_SEED = 12345;
const makeSeed = (): number => DRAWN_SEED;

const layers = (widths: number[], ...acts: Activation[]): HiddenLayer[] =>
  widths.map((units, i) => ({ units, activation: acts[i] ?? acts[0] ?? 'sigmoid' }));

const config = (overrides: Partial<TrainConfig>): TrainConfig => ({ ...DEFAULT_CONFIG, ...overrides });

/** The article's setup with the seed this file's makeSeed draws. */
const DEFAULTS: TrainConfig = config({ seed: DRAWN_SEED });

/** A query string holding exactly these raw values (so that `given` must equal them verbatim). */
const query = (entries: [string, string][]): string => `?${new URLSearchParams(entries).toString()}`;

/** Asserts that every field of `c` is a value the lab can run, within LIMITS. */
function expectValid(c: TrainConfig): void {
  expect(c.layers.length).toBeLessThanOrEqual(LIMITS.maxLayers);
  for (const l of c.layers) {
    expect(Number.isInteger(l.units)).toBe(true);
    expect(l.units).toBeGreaterThanOrEqual(LIMITS.minWidth);
    expect(l.units).toBeLessThanOrEqual(LIMITS.maxWidth);
    expect(ACTIVATIONS).toContain(l.activation);
  }
  expect(totalParams(c.layers)).toBeLessThanOrEqual(LIMITS.maxParams);
  expect(Number.isInteger(c.epochs)).toBe(true);
  expect(c.epochs).toBeGreaterThanOrEqual(LIMITS.minEpochs);
  expect(c.epochs).toBeLessThanOrEqual(LIMITS.maxEpochs);
  expect(Number.isInteger(c.batchSize)).toBe(true);
  expect(c.batchSize).toBeGreaterThanOrEqual(LIMITS.minBatch);
  expect(c.batchSize).toBeLessThanOrEqual(LIMITS.maxBatch);
  expect(Number.isFinite(c.learningRate)).toBe(true);
  expect(c.learningRate).toBeGreaterThanOrEqual(LIMITS.minLr);
  expect(c.learningRate).toBeLessThanOrEqual(LIMITS.maxLr);
  expect(OPTIMIZERS).toContain(c.optimizer);
  expect(c.validationSplit).toBeGreaterThanOrEqual(LIMITS.minVal);
  expect(c.validationSplit).toBeLessThanOrEqual(LIMITS.maxVal);
  expect(PREPROCESSING).toContain(c.preprocessing);
  expect(Number.isInteger(c.seed)).toBe(true);
  expect(c.seed).toBeGreaterThanOrEqual(0);
  expect(c.seed).toBeLessThanOrEqual(LIMITS.maxSeed);
  expect(DATASETS).toContain(c.dataset);
  expect(BACKEND_CHOICES).toContain(c.backend);
  if (c.subset !== null) {
    expect(Number.isInteger(c.subset)).toBe(true);
    expect(c.subset).toBeGreaterThanOrEqual(LIMITS.minSubset);
    expect(c.subset).toBeLessThanOrEqual(LIMITS.maxSubset);
  }
  expect(Object.keys(c).sort()).toEqual(Object.keys(DEFAULT_CONFIG).sort());
}

/** How the decoded config writes `param` in a URL: what a notice's `used` must agree with. */
function writtenAs(c: TrainConfig, param: string): string {
  return new URLSearchParams(encodeConfig(c)).get(param) ?? '';
}

describe('share URL round trips', () => {
  const configs: [string, TrainConfig][] = [
    ['no hidden layer (logistic regression)', config({ layers: [], seed: 7 })],
    ['one hidden layer of 32 relu', config({ layers: layers([32], 'relu'), seed: 42 })],
    [
      'four layers of 32 with mixed activations',
      config({
        layers: layers([32, 32, 32, 32], 'relu', 'tanh', 'sigmoid', 'linear'),
        epochs: 20,
        batchSize: 32,
        seed: 3,
      }),
    ],
    ['widths 1 and 4096', config({ layers: layers([1, 4096], 'tanh', 'relu'), seed: 99 })],
    ['adam with lr 0.0003', config({ optimizer: 'adam', learningRate: 0.0003, seed: 5 })],
    [
      'rmsprop, scaled preprocessing, subset 6000',
      config({ optimizer: 'rmsprop', learningRate: 0.001, preprocessing: 'scaled', subset: 6000, seed: 11 }),
    ],
    [
      'backend wasm, momentum, batch 8192, 500 epochs',
      config({ backend: 'wasm', optimizer: 'momentum', batchSize: 8192, epochs: 500, seed: 8 }),
    ],
    ['seed 0, val 0, backend cpu', config({ seed: 0, validationSplit: 0, backend: 'cpu' })],
    ['seed 4294967295, the smallest subset, lr 10', config({ seed: 4294967295, subset: 100, learningRate: 10 })],
    [
      'ten layers, val 0.5, lr 1e-6',
      config({
        layers: layers(
          Array.from({ length: 10 }, (_, i) => i + 1),
          'linear',
        ),
        validationSplit: 0.5,
        learningRate: 1e-6,
        seed: 1,
      }),
    ],
  ];

  test.each(configs)('%s decodes back to the same config', (_, c) => {
    const encoded = encodeConfig(c);
    const decoded = decodeConfig(encoded, makeSeed);
    expect(decoded.config).toEqual(c);
    expect(decoded.notices).toEqual([]);
    expect(decoded.seedGiven).toBe(true);
    // And with the leading '?' a browser's location.search has.
    expect(decodeConfig(`?${encoded}`, makeSeed).config).toEqual(c);
  });

  test('the encoding is readable: commas unescaped, one activation written once', () => {
    const encoded = encodeConfig(config({ layers: layers([32, 64], 'relu'), seed: 9 }));
    expect(encoded).toBe(
      'v=1&layers=32,64&act=relu&epochs=5&batch=128&lr=0.01&opt=sgd&val=0.1&pre=raw&seed=9&data=mnist&backend=auto',
    );
    expect(encodeConfig(config({ layers: [], subset: 6000 }))).toContain('layers=&epochs');
    expect(encodeConfig(config({ layers: [], subset: 6000 }))).not.toContain('act=');
    expect(encodeConfig(config({ subset: 6000 }))).toMatch(/&subset=6000$/);
  });
});

describe('decoding defaults', () => {
  test("an empty query gives the article's setup, with a drawn seed", () => {
    const d = decodeConfig('', makeSeed);
    expect(d.config).toEqual({
      layers: [{ units: 32, activation: 'sigmoid' }],
      epochs: 5,
      batchSize: 128,
      learningRate: 0.01,
      optimizer: 'sgd',
      validationSplit: 0.1,
      preprocessing: 'raw',
      seed: DRAWN_SEED,
      dataset: 'mnist',
      backend: 'auto',
      subset: null,
      init: 'glorot_uniform',
      l2: 0,
      l1: 0,
      maxNorm: 0,
      inputDropout: 0,
      earlyPatience: null,
      earlyMonitor: 'val_loss',
      schedule: 'const',
      warmup: 0,
      loss: 'ce',
      augment: 'none',
    });
    expect(d.notices).toEqual([]);
    expect(d.seedGiven).toBe(false);
    expect(decodeConfig('?', makeSeed).config).toEqual(d.config);
  });

  test('the drawn seed is taken as an unsigned 32-bit integer', () => {
    expect(decodeConfig('', () => -1).config.seed).toBe(4294967295);
    expect(decodeConfig('', () => 77).config.seed).toBe(77);
  });

  test('an empty layers parameter means no hidden layer', () => {
    const d = decodeConfig('?layers=', makeSeed);
    expect(d.config.layers).toEqual([]);
    expect(d.notices).toEqual([]);
    expect(d.config).toEqual(config({ layers: [], seed: DRAWN_SEED }));
  });

  test("adam without a learning rate gets Keras's default 0.001; with one it keeps it", () => {
    const d = decodeConfig('?opt=adam', makeSeed);
    expect(d.config.optimizer).toBe('adam');
    expect(d.config.learningRate).toBe(0.001);
    expect(d.notices).toEqual([]);
    expect(decodeConfig('?opt=rmsprop', makeSeed).config.learningRate).toBe(0.001);
    expect(decodeConfig('?opt=momentum', makeSeed).config.learningRate).toBe(0.01);
    expect(decodeConfig('?opt=adam&lr=0.05', makeSeed).config.learningRate).toBe(0.05);
  });

  test('one activation applies to every layer; a list applies per layer', () => {
    expect(decodeConfig('?layers=32,32&act=relu', makeSeed).config.layers).toEqual(layers([32, 32], 'relu', 'relu'));
    const perLayer = decodeConfig('?layers=32,32&act=relu,tanh', makeSeed);
    expect(perLayer.config.layers).toEqual([
      { units: 32, activation: 'relu' },
      { units: 32, activation: 'tanh' },
    ]);
    expect(perLayer.notices).toEqual([]);
    expect(decodeConfig('?layers=64,16', makeSeed).config.layers).toEqual(layers([64, 16], 'sigmoid'));
  });

  test('a given seed is used and reported as given; enum values are case-insensitive', () => {
    const d = decodeConfig('?seed=2024&opt=ADAM&backend=Wasm', makeSeed);
    expect(d.config.seed).toBe(2024);
    expect(d.seedGiven).toBe(true);
    expect(d.config.optimizer).toBe('adam');
    expect(d.config.backend).toBe('wasm');
    expect(d.notices).toEqual([]);
  });

  test('an empty subset means the whole training set', () => {
    const d = decodeConfig('?subset=', makeSeed);
    expect(d.config.subset).toBeNull();
    expect(d.notices).toEqual([]);
  });
});

describe('bad values in a share URL', () => {
  const INJECTION = '<img src=x onerror=alert(1)>';
  const eleven = Array.from({ length: 11 }, () => '32').join(',');
  const ten32 = Array.from({ length: 10 }, () => '32').join(',');

  interface BadCase {
    /** The query's entries, raw (URL-encoded by the test). */
    readonly entries: [string, string][];
    readonly param: string;
    readonly given: string;
    readonly used: string;
    /** Fields of the decoded config (everything else must be the default). */
    readonly expected: Partial<TrainConfig>;
    readonly reason?: RegExp;
  }

  const cases: [string, BadCase][] = [
    [
      'epochs not a number',
      {
        entries: [['epochs', 'abc']],
        param: 'epochs',
        given: 'abc',
        used: '5',
        expected: { epochs: 5 },
        reason: /not a number/,
      },
    ],
    [
      'epochs 0',
      {
        entries: [['epochs', '0']],
        param: 'epochs',
        given: '0',
        used: '1',
        expected: { epochs: 1 },
        reason: /out of range/,
      },
    ],
    [
      'epochs 1e9',
      {
        entries: [['epochs', '1e9']],
        param: 'epochs',
        given: '1e9',
        used: '500',
        expected: { epochs: 500 },
        reason: /out of range/,
      },
    ],
    [
      'epochs 2.5 (rounded)',
      {
        entries: [['epochs', '2.5']],
        param: 'epochs',
        given: '2.5',
        used: '3',
        expected: { epochs: 3 },
        reason: /not a whole number/,
      },
    ],
    [
      'a negative batch',
      {
        entries: [['batch', '-64']],
        param: 'batch',
        given: '-64',
        used: '1',
        expected: { batchSize: 1 },
        reason: /out of range/,
      },
    ],
    [
      'batch NaN',
      {
        entries: [['batch', 'NaN']],
        param: 'batch',
        given: 'NaN',
        used: '128',
        expected: { batchSize: 128 },
        reason: /not a number/,
      },
    ],
    [
      'lr Infinity',
      {
        entries: [['lr', 'Infinity']],
        param: 'lr',
        given: 'Infinity',
        used: '0.01',
        expected: { learningRate: 0.01 },
        reason: /not a number/,
      },
    ],
    [
      'lr 0',
      {
        entries: [['lr', '0']],
        param: 'lr',
        given: '0',
        used: '0.000001',
        expected: { learningRate: 1e-6 },
        reason: /out of range/,
      },
    ],
    [
      'lr 100',
      {
        entries: [['lr', '100']],
        param: 'lr',
        given: '100',
        used: '10',
        expected: { learningRate: 10 },
        reason: /out of range/,
      },
    ],
    [
      'an unknown optimizer',
      {
        entries: [['opt', 'sgdx']],
        param: 'opt',
        given: 'sgdx',
        used: 'sgd',
        expected: { optimizer: 'sgd', learningRate: 0.01 },
        reason: /unknown value/,
      },
    ],
    [
      'val 0.9',
      {
        entries: [['val', '0.9']],
        param: 'val',
        given: '0.9',
        used: '0.5',
        expected: { validationSplit: 0.5 },
        reason: /out of range/,
      },
    ],
    [
      'val -1',
      {
        entries: [['val', '-1']],
        param: 'val',
        given: '-1',
        used: '0',
        expected: { validationSplit: 0 },
        reason: /out of range/,
      },
    ],
    [
      'an unknown preprocessing',
      {
        entries: [['pre', 'normalised']],
        param: 'pre',
        given: 'normalised',
        used: 'raw',
        expected: { preprocessing: 'raw' },
        reason: /unknown value/,
      },
    ],
    [
      'seed -5',
      {
        entries: [['seed', '-5']],
        param: 'seed',
        given: '-5',
        used: '0',
        expected: { seed: 0 },
        reason: /out of range/,
      },
    ],
    [
      'seed not a number',
      {
        entries: [['seed', 'xyz']],
        param: 'seed',
        given: 'xyz',
        used: String(DRAWN_SEED),
        expected: { seed: DRAWN_SEED },
        reason: /not a number/,
      },
    ],
    [
      'seed 2^40',
      {
        entries: [['seed', String(2 ** 40)]],
        param: 'seed',
        given: '1099511627776',
        used: '4294967295',
        expected: { seed: 4294967295 },
        reason: /out of range/,
      },
    ],
    [
      'an unknown dataset',
      {
        entries: [['data', 'cifar']],
        param: 'data',
        given: 'cifar',
        used: 'mnist',
        expected: { dataset: 'mnist' },
        reason: /unknown value/,
      },
    ],
    [
      'an unknown backend',
      {
        entries: [['backend', 'cuda']],
        param: 'backend',
        given: 'cuda',
        used: 'auto',
        expected: { backend: 'auto' },
        reason: /unknown value/,
      },
    ],
    [
      'subset 5',
      {
        entries: [['subset', '5']],
        param: 'subset',
        given: '5',
        used: '100',
        expected: { subset: 100 },
        reason: /out of range/,
      },
    ],
    [
      'subset 1e6',
      {
        entries: [['subset', '1e6']],
        param: 'subset',
        given: '1e6',
        used: '60000',
        expected: { subset: 60000 },
        reason: /out of range/,
      },
    ],
    [
      'layers that are not numbers (nothing usable: the article network)',
      {
        entries: [['layers', 'a,b']],
        param: 'layers',
        given: 'a,b',
        used: '32',
        expected: { layers: DEFAULT_CONFIG.layers },
        reason: /"a" is not a number \(dropped\)/,
      },
    ],
    [
      'one layer that is not a number among two',
      {
        entries: [['layers', '32,abc,64']],
        param: 'layers',
        given: '32,abc,64',
        used: '32,64',
        expected: { layers: layers([32, 64]) },
        reason: /"abc" is not a number \(dropped\)/,
      },
    ],
    [
      'a layer of width 0',
      {
        entries: [['layers', '0']],
        param: 'layers',
        given: '0',
        used: '1',
        expected: { layers: layers([1]) },
        reason: /out of range/,
      },
    ],
    [
      'a layer wider than 4096',
      {
        entries: [['layers', '99999']],
        param: 'layers',
        given: '99999',
        used: '4096',
        expected: { layers: layers([4096]) },
        reason: /out of range/,
      },
    ],
    [
      'eleven hidden layers',
      {
        entries: [['layers', eleven]],
        param: 'layers',
        given: eleven,
        used: ten32,
        expected: { layers: layers(Array.from({ length: 10 }, () => 32)) },
        reason: /kept the first 10/,
      },
    ],
    [
      'more parameters than the lab allows',
      {
        entries: [['layers', '4096,4096,4096']],
        param: 'layers',
        given: '4096,4096,4096',
        used: '32',
        expected: { layers: DEFAULT_CONFIG.layers },
        reason: /parameters is more than this lab allows \(20,000,000\)/,
      },
    ],
    [
      'an unknown activation',
      {
        entries: [
          ['layers', '32,32'],
          ['act', 'swish'],
        ],
        param: 'act',
        given: 'swish',
        used: 'sigmoid',
        expected: { layers: layers([32, 32], 'sigmoid') },
        reason: /"swish" is not an activation/,
      },
    ],
    [
      'three activations for two layers',
      {
        entries: [
          ['layers', '32,32'],
          ['act', 'relu,tanh,linear'],
        ],
        param: 'act',
        given: 'relu,tanh,linear',
        used: 'relu,tanh',
        expected: { layers: layers([32, 32], 'relu', 'tanh') },
        reason: /3 activations for 2 hidden layers/,
      },
    ],
    [
      'an unknown parameter',
      { entries: [['foo', 'bar']], param: 'foo', given: 'bar', used: '', expected: {}, reason: /unknown parameter/ },
    ],
    [
      'an unknown link version',
      { entries: [['v', '99']], param: 'v', given: '99', used: '1', expected: {}, reason: /unknown link version/ },
    ],
    [
      'markup in a value',
      {
        entries: [['act', INJECTION]],
        param: 'act',
        given: INJECTION,
        used: 'sigmoid',
        expected: {},
        reason: /is not an activation/,
      },
    ],
    [
      'markup in an unknown parameter',
      {
        entries: [['<script>', INJECTION]],
        param: '<script>',
        given: INJECTION,
        used: '',
        expected: {},
        reason: /unknown parameter/,
      },
    ],
  ];

  test.each(cases)('%s: a complete valid config and a notice naming it', (_, c) => {
    const decoded = decodeConfig(query(c.entries), makeSeed);
    expectValid(decoded.config);
    expect(decoded.config).toEqual({ ...DEFAULTS, ...c.expected });

    const notices = decoded.notices.filter((n) => n.param === c.param);
    expect(notices).toHaveLength(1);
    const notice = notices[0] as Notice;
    expect(notice.given).toBe(c.given);
    expect(notice.used).toBe(c.used);
    if (c.reason) expect(notice.reason).toMatch(c.reason);
    // Only the bad parameter is reported.
    expect(decoded.notices).toHaveLength(1);
    // `used` is what the decoded config would write in a URL (nothing, for an unknown parameter).
    if (c.param !== 'foo' && !c.param.startsWith('<')) expect(notice.used).toBe(writtenAs(decoded.config, c.param));
  });

  test('markup stays data: it appears only in `given`, never in the config or its URL', () => {
    const decoded = decodeConfig(
      query([
        ['act', '<img src=x onerror=alert(1)>'],
        ['layers', '16,"><script>alert(1)</script>'],
      ]),
      makeSeed,
    );
    expectValid(decoded.config);
    expect(decoded.config.layers).toEqual(layers([16], 'sigmoid'));
    expect(JSON.stringify(decoded.config)).not.toMatch(/[<>]/);
    expect(encodeConfig(decoded.config)).not.toMatch(/[<>]|%3C|%3E/i);
    for (const n of decoded.notices) expect(n.used).not.toMatch(/[<>]/);
    expect(decoded.notices.map((n) => n.given)).toEqual([
      '16,"><script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
    ]);
  });

  test('several bad values give one notice each and keep the good ones', () => {
    const decoded = decodeConfig('?epochs=abc&batch=64&opt=adam&lr=-1&backend=cuda&seed=33', makeSeed);
    expect(decoded.config).toEqual(
      config({ epochs: 5, batchSize: 64, optimizer: 'adam', learningRate: 1e-6, backend: 'auto', seed: 33 }),
    );
    expect(decoded.notices.map((n) => [n.param, n.given, n.used])).toEqual([
      ['lr', '-1', '0.000001'],
      ['epochs', 'abc', '5'],
      ['backend', 'cuda', 'auto'],
    ]);
    expect(decoded.seedGiven).toBe(true);
  });

  test('an unreadable lr falls back to the default of the optimizer in use', () => {
    const decoded = decodeConfig('?opt=adam&lr=fast', makeSeed);
    expect(decoded.config.learningRate).toBe(0.001);
    expect(decoded.notices).toEqual([expect.objectContaining({ param: 'lr', given: 'fast', used: '0.001' })]);
  });

  test('an unreadable seed is not counted as given, and a drawn seed is used', () => {
    const decoded = decodeConfig('?seed=xyz', makeSeed);
    expect(decoded.seedGiven).toBe(false);
    expect(decoded.config.seed).toBe(DRAWN_SEED);
  });

  test('when the parameter cap replaces the layers, reported activations match the ones used', () => {
    const decoded = decodeConfig('?layers=4096,4096,4096&act=relu,tanh', makeSeed);
    expect(decoded.config.layers).toEqual([{ units: 32, activation: 'relu' }]);
    expect(decoded.notices.map((n) => n.param)).toEqual(['layers', 'act']);
    for (const n of decoded.notices) expect(n.used).toBe(writtenAs(decoded.config, n.param));
  });
});

describe('describeNotice', () => {
  test('one line naming the parameter, the value given and the value used', () => {
    const [notice] = decodeConfig('?epochs=abc', makeSeed).notices;
    const line = describeNotice(notice as Notice);
    expect(line).not.toContain('\n');
    expect(line).toBe('epochs="abc": not a number; epochs must be a number; used "5"');
  });

  test('a value replaced by nothing says so', () => {
    const [notice] = decodeConfig('?layers=&act=swish', makeSeed).notices;
    const line = describeNotice(notice as Notice);
    expect(line).toMatch(/^act="swish": /);
    expect(line).toMatch(/; used \(none\)$/);
    expect(line).not.toContain('\n');
  });

  test('an unknown parameter is named as ignored, without a used value', () => {
    const [notice] = decodeConfig('?foo=bar', makeSeed).notices;
    expect(describeNotice(notice as Notice)).toBe('foo="bar": unknown parameter, ignored');
  });

  // Issue 26, item 3: a crafted link of tens of thousands of distinct unknown parameters froze the
  // page (quadratic lookups, one notice each).
  test('50,000 unknown parameters: five named, the rest counted, in linear time', () => {
    const link = '?layers=64&' + Array.from({ length: 50_000 }, (_, i) => `p${i}=${i}`).join('&');
    const t0 = performance.now();
    const { config, notices } = decodeConfig(link, makeSeed);
    const ms = performance.now() - t0;
    expect(config.layers.map((l) => l.units)).toEqual([64]);
    expect(notices.map(describeNotice)).toEqual([
      'p0="0": unknown parameter, ignored',
      'p1="1": unknown parameter, ignored',
      'p2="2": unknown parameter, ignored',
      'p3="3": unknown parameter, ignored',
      'p4="4": unknown parameter, ignored',
      '49,995 more unknown parameters, ignored',
    ]);
    // Linear: the old decoder took seconds here; a generous bound for a loaded machine.
    expect(ms).toBeLessThan(1000);
  });

  test('each bad value of a URL gets its own line with the value used', () => {
    const { notices } = decodeConfig('?val=0.9&subset=5&act=swish', makeSeed);
    const lines = notices.map(describeNotice);
    expect(lines).toHaveLength(3);
    expect(lines.find((l) => l.startsWith('val='))).toMatch(/used "0\.5"$/);
    expect(lines.find((l) => l.startsWith('subset='))).toMatch(/used "100"$/);
    expect(lines.find((l) => l.startsWith('act='))).toMatch(/used "sigmoid"$/);
    for (const l of lines) expect(l).not.toContain('\n');
  });
});

describe('crafted links (issue 10: a 100,000-character number froze the page for 27 s)', () => {
  test('a link with a 100,000-character number opens at once, with a notice', () => {
    const t0 = performance.now();
    const d = decodeConfig(`?epochs=${'1'.repeat(100_000)}x&layers=32`);
    const ms = performance.now() - t0;
    // Linear work takes a few milliseconds here; the old pattern backtracked for seconds.
    expect(ms).toBeLessThan(1000);
    expect(d.config.epochs).toBe(DEFAULT_CONFIG.epochs);
    const n = d.notices.find((x) => x.param === 'epochs');
    expect(n?.reason).toMatch(/too long \(100001 characters/);
    // The notice does not carry the whole value around.
    expect(n?.given.length).toBeLessThan(100);
  });

  test('every parameter, known or not, is capped the same way', () => {
    const long = 'a'.repeat(5000);
    const d = decodeConfig(`?act=${long}&layers=${'3,'.repeat(3000)}3&${long}=1`);
    expect(d.config.layers).toEqual(DEFAULT_CONFIG.layers);
    expect(d.notices.map((x) => x.param.slice(0, 10))).toEqual(expect.arrayContaining(['act', 'layers', 'aaaaaaaaaa']));
    for (const x of d.notices) {
      expect(x.given.length).toBeLessThan(100);
      expect(x.param.length).toBeLessThan(100);
    }
  });
});

describe('issue 12: budget and init in links', () => {
  test('?layers=32,32,32,32&budget=25450 opens with widths that total 25,450 ± 1 %', () => {
    const d = decodeConfig('?layers=32,32,32,32&budget=25450&seed=1');
    expect(d.budget).toBe(25450);
    expect(d.config.layers).toHaveLength(4);
    expect(Math.abs(totalParams(d.config.layers) - 25450) / 25450).toBeLessThan(0.01);
    expect(d.notices).toEqual([]);
  });

  test('the budget survives a round trip through the link, and a link without one has none', () => {
    const d = decodeConfig('?layers=32,32,32&budget=100000&seed=1');
    const again = decodeConfig(`?${encodeLink(d.config, null, d.budget)}`);
    expect(again.budget).toBe(100000);
    expect(again.config).toEqual(d.config);
    expect(decodeConfig('?layers=32').budget).toBeNull();
  });

  test('a bad budget is named and the widths are used as given', () => {
    const d = decodeConfig('?layers=32,32&budget=lots&seed=1');
    expect(d.budget).toBeNull();
    expect(d.config.layers.map((l) => l.units)).toEqual([32, 32]);
    expect(d.notices.map((n) => n.param)).toEqual(['budget']);
    const tiny = decodeConfig('?layers=32&budget=5&seed=1');
    expect(tiny.budget).toBe(1000);
    expect(tiny.notices[0]?.reason).toMatch(/out of range/);
  });

  test('a budget the depth cannot reach within 1 % says so', () => {
    const d = decodeConfig('?layers=32,32,32,32,32,32,32,32,32,32&budget=1000&seed=1');
    expect(d.notices.some((n) => n.param === 'budget' && /cannot come within 1 %/.test(n.reason))).toBe(true);
  });

  test('init: named in the link when not Keras\u2019s default, an unknown one is named and replaced', () => {
    const d = decodeConfig('?init=he_normal&seed=1');
    expect(d.config.init).toBe('he_normal');
    expect(encodeConfig(d.config)).toContain('init=he_normal');
    expect(encodeConfig(DEFAULT_CONFIG)).not.toContain('init=');
    const bad = decodeConfig('?init=zeros&seed=1');
    expect(bad.config.init).toBe('glorot_uniform');
    expect(bad.notices[0]?.param).toBe('init');
  });
});

test('l2 (issue 22): a link carries L2 weight decay, an old link has none, and a bad value is noted', () => {
  const d = decodeConfig('?layers=32&l2=0.0005&seed=1', makeSeed);
  expect(d.config.l2).toBe(0.0005);
  expect(decodeConfig(`?${encodeConfig(d.config)}`, makeSeed).config).toEqual(d.config);
  expect(decodeConfig('?layers=32&seed=1', makeSeed).config.l2).toBe(0);
  expect(encodeConfig({ ...d.config, l2: 0 })).not.toContain('l2');
  const bad = decodeConfig('?l2=-3', makeSeed);
  expect(bad.config.l2).toBe(0);
  expect(bad.notices.map((n) => n.param)).toEqual(['l2']);
});

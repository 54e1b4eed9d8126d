/**
 * Hostile input, the share-URL codec: any query string decodes, without throwing, to a config the
 * lab can run, with a bounded list of notices; a decoded config encodes and decodes back to itself;
 * and a link of many parameters is read in linear time.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { decodeConfig, describeNotice, encodeConfig, type Decoded } from '../../../src/core/link/urlCodec';
import { KNOWN, MAX_PARAM_LENGTH } from '../../../src/core/link/urlParams';
import { totalParams } from '../../../src/core/network/params';
import {
  ACTIVATIONS,
  BACKEND_CHOICES,
  DATASETS,
  DEFAULT_CONFIG,
  INITS,
  LIMITS,
  OPTIMIZERS,
  PREPROCESSING,
  type TrainConfig,
} from '../../../src/core/network/spec';
import { EXPERIMENT_IDS } from '../../../src/core/tags';
import { applyTextEdits, check, configArb, expectLinear, textEditArb } from './arbitraries';

const DRAWN_SEED = 12345;
const makeSeed = (): number => DRAWN_SEED;

/** Unknown parameters a decode names one by one; the rest are counted in one notice. */
const MAX_UNKNOWN_LISTED = 5;
/** A notice quotes at most 40 characters of a name or a value (and an ellipsis). */
const SHOWN = 41;
/**
 * At most one notice per known parameter (two for layers and budget), the unknown ones listed and
 * counted, and the version: a bound that does not grow with the link.
 */
const MAX_NOTICES = KNOWN.length + 2 + MAX_UNKNOWN_LISTED + 1;
/** A reason repeats what the link gave, but never more than MAX_PARAM_LENGTH characters of it per part. */
const MAX_REASON = 40 * MAX_PARAM_LENGTH;

/** Whether `c` is a config the lab can run: every field within LIMITS, nothing else. */
function expectRunnable(c: TrainConfig): void {
  expect(Object.keys(c).sort()).toEqual(Object.keys(DEFAULT_CONFIG).sort());
  expect(c.layers.length).toBeLessThanOrEqual(LIMITS.maxLayers);
  for (const l of c.layers) {
    expect(Number.isInteger(l.units) && l.units >= LIMITS.minWidth && l.units <= LIMITS.maxWidth).toBe(true);
    expect(ACTIVATIONS).toContain(l.activation);
  }
  expect(totalParams(c.layers)).toBeLessThanOrEqual(LIMITS.maxParams);
  const whole = (x: number, lo: number, hi: number) => Number.isInteger(x) && x >= lo && x <= hi;
  expect(whole(c.epochs, LIMITS.minEpochs, LIMITS.maxEpochs)).toBe(true);
  expect(whole(c.batchSize, LIMITS.minBatch, LIMITS.maxBatch)).toBe(true);
  expect(c.learningRate >= LIMITS.minLr && c.learningRate <= LIMITS.maxLr).toBe(true);
  expect(c.validationSplit >= LIMITS.minVal && c.validationSplit <= LIMITS.maxVal).toBe(true);
  expect(whole(c.seed, 0, LIMITS.maxSeed)).toBe(true);
  expect(c.subset === null || whole(c.subset, LIMITS.minSubset, LIMITS.maxSubset)).toBe(true);
  expect(OPTIMIZERS).toContain(c.optimizer);
  expect(PREPROCESSING).toContain(c.preprocessing);
  expect(DATASETS).toContain(c.dataset);
  expect(BACKEND_CHOICES).toContain(c.backend);
  expect(INITS).toContain(c.init);
}

/** The notices of any decode: few, each short, the unknown parameters listed at most five times. */
function expectBoundedNotices(d: Decoded): void {
  expect(d.notices.length).toBeLessThanOrEqual(MAX_NOTICES);
  for (const n of d.notices) {
    expect(n.param.length).toBeLessThanOrEqual(SHOWN);
    expect(n.given.length).toBeLessThanOrEqual(SHOWN);
    expect(n.used.length).toBeLessThanOrEqual(MAX_PARAM_LENGTH);
    expect(n.reason.length).toBeLessThanOrEqual(MAX_REASON);
  }
  const unknown = d.notices.filter((n) => n.reason === 'unknown parameter, ignored');
  expect(unknown.length).toBeLessThanOrEqual(MAX_UNKNOWN_LISTED);
  expect(d.notices.filter((n) => n.param === '').length).toBeLessThanOrEqual(1);
}

/** Decodes `q`: a runnable config, bounded notices, and a link of it that decodes back to the same config. */
function expectSound(q: string): Decoded {
  const d = decodeConfig(q, makeSeed);
  expectRunnable(d.config);
  expectBoundedNotices(d);
  const again = decodeConfig(encodeConfig(d.config), makeSeed);
  expect(again.config).toEqual(d.config);
  expect(again.notices).toEqual([]);
  expect(again.seedGiven).toBe(true);
  return d;
}

/** Values a link may hold for a parameter: numbers written many ways, names, lists, junk. */
const numberText = fc.oneof(
  fc.integer().map(String),
  fc.double().map(String),
  fc.double({ min: 1e-7, max: 20, noNaN: true }).map(String),
  fc.integer({ min: -10, max: 70000 }).map(String),
  fc.constantFrom('0', '-0', '+5', '.5', '5.', '1e5', '1E-7', ' 32 ', '0x10', '1_000', '٣', 'Infinity', 'NaN', '1e999'),
  fc.integer({ min: 1, max: 400 }).map((n) => '9'.repeat(n)),
);
const nameText = fc.constantFrom(
  ...ACTIVATIONS,
  ...OPTIMIZERS,
  ...PREPROCESSING,
  ...DATASETS,
  ...BACKEND_CHOICES,
  ...INITS,
  ...EXPERIMENT_IDS,
  'RELU',
  ' adam ',
  'softmax',
  '__proto__',
  'constructor',
);
const listText = fc.array(fc.oneof(numberText, nameText, fc.constant('')), { maxLength: 14 }).map((xs) => xs.join(','));
const valueText = fc.oneof(
  numberText,
  nameText,
  listText,
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.integer({ min: MAX_PARAM_LENGTH - 2, max: MAX_PARAM_LENGTH + 2 }).map((n) => '3,'.repeat(n).slice(0, n)),
);
const nameOf = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...KNOWN) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
);
const entriesArb = fc.array(fc.tuple(nameOf, valueText), { maxLength: 24 });

/** A query of these entries, written as URLSearchParams writes it, or raw (unescaped). */
const queryArb = fc.oneof(
  entriesArb.map((es) => new URLSearchParams(es).toString()),
  entriesArb.map((es) => '?' + es.map(([k, v]) => `${k}=${v}`).join('&')),
);

describe('fuzz: the share-URL codec', () => {
  test('valid configs encode and decode back to themselves, with no notice', () => {
    check(
      fc.property(configArb, (c) => {
        const d = decodeConfig(encodeConfig(c), makeSeed);
        expect(d.config).toEqual(c);
        expect(d.notices).toEqual([]);
        expect(d.seedGiven).toBe(true);
        expect(d.budget).toBeNull();
      }),
      400,
    );
  });

  test('links of known and unknown parameters decode to a runnable config that round-trips', () => {
    check(
      fc.property(queryArb, (q) => void expectSound(q)),
      500,
    );
  });

  test('any string decodes without throwing', () => {
    check(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: 'grapheme-ascii', maxLength: 300 })),
        (q) => void expectSound(q),
      ),
      500,
    );
  });

  // describeNotice: "One line for a notice". A name or a value may hold a line break (%0A).
  test('every notice is described in one line', () => {
    check(
      fc.property(fc.oneof(queryArb, fc.string({ unit: 'binary', maxLength: 300 })), (q) => {
        for (const n of decodeConfig(q, makeSeed).notices) expect(describeNotice(n)).not.toMatch(/[\n\r]/);
      }),
      500,
    );
  });

  test('links the lab wrote, then mangled, decode without throwing', () => {
    check(
      fc.property(configArb, fc.array(textEditArb, { minLength: 1, maxLength: 6 }), (c, edits) => {
        expectSound(applyTextEdits(encodeConfig(c), edits));
      }),
      400,
    );
  });

  test('unknown parameters: the first five are listed, the rest counted in one notice', () => {
    const unknownName = fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/).filter((n) => !KNOWN.includes(n));
    check(
      fc.property(fc.uniqueArray(unknownName, { maxLength: 40 }), fc.string({ maxLength: 10 }), (names, value) => {
        const q = new URLSearchParams(names.map((n) => [n, value])).toString();
        const d = expectSound(q);
        const listed = d.notices.filter((n) => n.reason === 'unknown parameter, ignored');
        expect(listed.map((n) => n.param)).toEqual(names.slice(0, MAX_UNKNOWN_LISTED));
        const counted = d.notices.filter((n) => n.param === '');
        if (names.length > MAX_UNKNOWN_LISTED)
          expect(counted.map((n) => n.reason)).toEqual([
            `${(names.length - MAX_UNKNOWN_LISTED).toLocaleString('en-US')} more unknown parameters, ignored`,
          ]);
        else expect(counted).toEqual([]);
      }),
      300,
    );
  });

  test('timing: a link of 50,000 parameters, and one of 100,000, are read in linear time', () => {
    const link = (n: number) =>
      '?' +
      Array.from({ length: n }, (_, i) =>
        i % 10 === 0 ? `${KNOWN[i % KNOWN.length]}=${'7'.repeat(i % 300)}` : `p${i}=${'x,'.repeat(i % 50)}`,
      ).join('&');
    const small = link(50_000);
    const large = link(100_000);
    const times = expectLinear((q: string) => decodeConfig(q, makeSeed), small, large);
    expect(times.large).toBeLessThan(2000);
    const d = decodeConfig(large, makeSeed);
    expectBoundedNotices(d);
  });

  test('timing: a 2 MB value and a 4 MB value of one parameter are read in linear time', () => {
    const link = (n: number) => `?layers=${'1,'.repeat(n / 2)}&act=${'relu,'.repeat(n / 5)}&epochs=${'9'.repeat(n)}`;
    expectLinear((q: string) => decodeConfig(q, makeSeed), link(2_000_000), link(4_000_000));
  });
});

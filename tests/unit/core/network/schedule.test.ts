import { describe, expect, it, test } from 'vitest';
import { decodeConfig, encodeConfig } from '../../../../src/core/link/urlCodec';
import { setNumber, setSchedule } from '../../../../src/core/network/edit';
import { readRunRecord, toStored } from '../../../../src/core/runs/runSchema';
import { describeConfig, newRunRecord, setupKey } from '../../../../src/core/runs/runs';
import { runsToCsv } from '../../../../src/core/runs/runExport';
import { DEFAULT_CONFIG } from '../../../../src/core/network/spec';
import {
  describeSchedule,
  isScheduled,
  rateAt,
  rateCurve,
  stepBoundaries,
  warmupEpochs,
  type ScheduleConfig,
} from '../../../../src/core/network/schedule';

const config = (c: Partial<ScheduleConfig>): ScheduleConfig => ({
  learningRate: 0.1,
  schedule: 'const',
  warmup: 0,
  epochs: 4,
  ...c,
});
const rates = (c: ScheduleConfig, perEpoch: number) =>
  Array.from({ length: c.epochs * perEpoch }, (_, i) => rateAt(c, i, perEpoch));

describe('learning-rate schedules', () => {
  it('a constant rate is the learning rate at every step', () => {
    expect(new Set(rates(config({}), 7))).toEqual(new Set([0.1]));
    expect(isScheduled(DEFAULT_CONFIG)).toBe(false);
  });

  it('warm-up climbs linearly from 0 over its epochs, then the schedule runs over the rest', () => {
    const r = rates(config({ warmup: 1, epochs: 3 }), 4);
    [0, 0.025, 0.05, 0.075].forEach((v, i) => expect(r[i]).toBeCloseTo(v, 15));
    expect(new Set(r.slice(4))).toEqual(new Set([0.1]));
    const cos = rates(config({ schedule: 'cos', warmup: 1, epochs: 3 }), 4);
    expect(cos[4]).toBeCloseTo(0.1, 12);
    // Cosine over the 8 steps after warm-up: step 4 + k has 0.05 (1 + cos(πk/8)).
    cos.slice(4).forEach((v, k) => expect(v).toBeCloseTo(0.05 * (1 + Math.cos((Math.PI * k) / 8)), 12));
  });

  it('warm-up is only for constant and cosine, and always shorter than the run', () => {
    expect(warmupEpochs(config({ schedule: 'step', warmup: 2 }))).toBe(0);
    expect(warmupEpochs(config({ schedule: 'onecycle', warmup: 2 }))).toBe(0);
    expect(warmupEpochs(config({ schedule: 'cos', warmup: 9, epochs: 4 }))).toBe(3);
    expect(warmupEpochs(config({ warmup: 3, epochs: 1 }))).toBe(0);
    expect(isScheduled(config({ warmup: 3, epochs: 1 }))).toBe(false);
  });

  it('step decay: the rate for the first half of the steps, a tenth to three quarters, then a hundredth', () => {
    expect(stepBoundaries(20)).toEqual([9, 14]);
    const r = rates(config({ schedule: 'step', epochs: 4 }), 5);
    expect(r.filter((v) => v === 0.1)).toHaveLength(10);
    expect(r.filter((v) => v === 0.1 * 0.1)).toHaveLength(5);
    expect(r.filter((v) => v === 0.1 * 0.1 * 0.1)).toHaveLength(5);
    expect(r.indexOf(0.1 * 0.1)).toBe(10);
  });

  it('exponential decay falls by the same factor every step, to a hundredth at the end', () => {
    const r = rates(config({ schedule: 'exp', epochs: 2 }), 50);
    for (let i = 1; i < r.length; i++)
      expect((r[i] as number) / (r[i - 1] as number)).toBeCloseTo(0.01 ** (1 / 100), 12);
    expect(rateAt(config({ schedule: 'exp', epochs: 2 }), 100, 50)).toBeCloseTo(0.001, 12);
  });

  it('cosine decay without warm-up starts at the rate and ends just above 0', () => {
    const r = rates(config({ schedule: 'cos', epochs: 2 }), 5);
    expect(r[0]).toBe(0.1);
    expect(r[5]).toBeCloseTo(0.05, 12);
    expect(r[9]).toBeCloseTo(0.05 * (1 + Math.cos(0.9 * Math.PI)), 12);
  });

  // Rates PyTorch 2.13's OneCycleLR(max_lr, total_steps, cycle_momentum=False) gave an SGD optimizer
  // for each of its steps (read from param_groups before each step, on this machine).
  const PYTORCH: readonly [number, number, readonly number[]][] = [
    [
      0.01,
      10,
      [
        0.0003999999999999993, 0.0052, 0.01, 0.009504846320134737, 0.008117456539497631, 0.0061126202193628925,
        0.003887419780637108, 0.00188258346050237, 0.0004951936798652628, 4e-8,
      ],
    ],
    [0.003, 5, [0.00011999999999999988, 0.002851453896040421, 0.0018337860658088677, 0.0005647750381507109, 1.2e-8]],
    [
      0.1,
      37,
      [
        0.0040000000000000036, 0.006303370838428968, 0.012992420136243993, 0.023425174514720037, 0.036600363048862355,
        0.051253513027823154, 0.0659783061869081, 0.07936154839426157, 0.09011879924054818, 0.09721764464655948,
        0.09997678155001544, 0.09970235941053401, 0.0986780269964604, 0.09693837707454113, 0.09450897368745133,
        0.09142551676026227, 0.08773331749235977, 0.08348663251231066, 0.07874786658022785, 0.07358665555387162,
        0.06807884309423991, 0.06230536614789347, 0.05635106558377999, 0.05030343946217228, 0.0442513572563524,
        0.038283753921470653, 0.032488323001152765, 0.026950227976568795, 0.021750850794605713, 0.016966595965440617,
        0.012667767803223493, 0.008917537308744445, 0.005771013875677785, 0.0032744354616193213, 0.0014644891243010296,
        0.00036777190765913803, 4e-7,
      ],
    ],
  ];
  it.each(PYTORCH)("one-cycle at %f over %i steps is PyTorch's OneCycleLR", (lr, total, expected) => {
    const got = rates(config({ schedule: 'onecycle', learningRate: lr, epochs: 1 }), total);
    expect(got).toHaveLength(expected.length);
    got.forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 15));
  });

  it('the curve covers the run from its first step to its last', () => {
    const c = config({ schedule: 'cos', epochs: 3 });
    const curve = rateCurve(c, 422, 60);
    expect(curve[0]).toEqual({ x: 0, rate: 0.1 });
    expect(curve.at(-1)?.x).toBeCloseTo(3 - 1 / 422, 12);
    expect(curve.length).toBeGreaterThanOrEqual(60);
    expect(curve.length).toBeLessThanOrEqual(62);
  });

  it('is described in a few words, and not at all when the rate is constant', () => {
    expect(describeSchedule(config({}))).toBe('');
    expect(describeSchedule(config({ schedule: 'cos', warmup: 1 }))).toBe('cosine decay, warm-up 1');
    expect(describeSchedule(config({ warmup: 2 }))).toBe('constant rate, warm-up 2');
    expect(describeSchedule(config({ schedule: 'onecycle', warmup: 2 }))).toBe('one-cycle');
  });
});

describe('the schedule in the link, the record, the CSV and the run name', () => {
  test('sched and warmup set it; a link without them has a constant rate and writes neither', () => {
    const c = decodeConfig('layers=64&epochs=10&sched=cos&warmup=2').config;
    expect([c.schedule, c.warmup]).toEqual(['cos', 2]);
    expect(encodeConfig(c)).toContain('sched=cos&warmup=2');
    expect(decodeConfig(encodeConfig(c)).config).toEqual(c);
    const none = decodeConfig('layers=64').config;
    expect([none.schedule, none.warmup]).toEqual(['const', 0]);
    expect(encodeConfig(none)).not.toMatch(/sched|warmup/);
  });

  test('a bad schedule, a warm-up the schedule does not take, and one as long as the run are noted and replaced', () => {
    const bad = decodeConfig('sched=linear');
    expect(bad.config.schedule).toBe('const');
    expect(bad.notices.map((n) => n.param)).toEqual(['sched']);
    const step = decodeConfig('sched=step&warmup=2&epochs=10');
    expect(step.config.warmup).toBe(0);
    expect(step.notices[0]?.reason).toBe('a step decay schedule has no warm-up; ignored');
    const long = decodeConfig('sched=cos&warmup=5&epochs=5');
    expect(long.config.warmup).toBe(4);
    expect(long.notices[0]).toMatchObject({ param: 'warmup', given: '5', used: '4' });
  });

  test('the edits keep a warm-up the run can have', () => {
    const c = setNumber({ ...DEFAULT_CONFIG, epochs: 10, schedule: 'cos' }, 'warmup', 3);
    expect(c.warmup).toBe(3);
    expect(setNumber(c, 'epochs', 2).warmup).toBe(1);
    expect(setNumber(c, 'warmup', 50).warmup).toBe(9);
    expect(setSchedule(c, 'onecycle').warmup).toBe(0);
    expect(setSchedule(c, 'const').warmup).toBe(3);
  });

  test('a record of schema 6 reads as a constant rate; one with a schedule reads back with it', () => {
    const run = newRunRecord('r1', 1000, DEFAULT_CONFIG);
    const v6 = { ...toStored(run), schema: 6, config: { ...run.config, schedule: undefined, warmup: undefined } };
    const r = readRunRecord(JSON.parse(JSON.stringify(v6)));
    if (!r.ok) throw new Error(r.reason);
    expect(r.from).toBe(6);
    expect([r.record.config.schedule, r.record.config.warmup]).toEqual(['const', 0]);
    const cos = newRunRecord('r2', 1000, { ...DEFAULT_CONFIG, epochs: 6, schedule: 'cos', warmup: 1 });
    const back = readRunRecord(JSON.parse(JSON.stringify(toStored(cos))));
    if (!back.ok) throw new Error(back.reason);
    expect(back.record.config).toEqual(cos.config);
    const bad = readRunRecord({ ...toStored(cos), config: { ...cos.config, schedule: 'linear' } });
    expect(bad.ok ? 'read' : bad.reason).toContain('learning-rate schedule');
  });

  test('the run name, the setup key and the CSV say it', () => {
    const cos = { ...DEFAULT_CONFIG, epochs: 6, schedule: 'cos' as const, warmup: 1 };
    expect(describeConfig(cos)).toContain(' · cosine decay, warm-up 1');
    expect(setupKey(cos)).not.toBe(setupKey(DEFAULT_CONFIG));
    const csv = runsToCsv([{ ...newRunRecord('r', 1000, cos), status: 'done' }]).split('\n');
    const header = (csv[0] ?? '').split(',');
    const row = (csv[1] ?? '').split(',');
    expect(row[header.indexOf('schedule')]).toBe('cos');
    expect(row[header.indexOf('warmup')]).toBe('1');
  });
});

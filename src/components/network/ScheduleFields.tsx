/**
 * The learning-rate schedule: its choice, the warm-up (constant and cosine only) and a small chart
 * of the rate over the run ahead, worked out by the same function the training step uses
 * (core/network/schedule.ts), so the chart is the run's rate.
 */
import { setSchedule } from '../../core/network/edit';
import { isScheduled, rateCurve, SCHEDULE_LABELS, SCHEDULE_WORDS, takesWarmup } from '../../core/network/schedule';
import { SCHEDULES, type ScheduleName, type TrainConfig } from '../../core/network/spec';
import { kerasSplit } from '../../core/dataset/split';
import { trainImagesPerEpoch } from '../../core/runs/runEstimate';
import { useActions, useConfig } from '../../store/hooks';
import { ConfigChoice, ConfigNumber } from '../common/ConfigFields';
import { formatRate } from '../lib/format';
import { RateFinder } from './RateFinder';

const CHOICES = SCHEDULES.map((s) => [s, SCHEDULE_LABELS[s]] as const);

export function ScheduleFields() {
  const config = useConfig();
  const { editConfig: edit } = useActions();
  return (
    <>
      <ConfigChoice
        label="rate schedule"
        value={config.schedule}
        options={CHOICES}
        testId="sched"
        onChange={(v) => edit((c) => setSchedule(c, v as ScheduleName))}
        hint={['schedule', 'the rate schedule']}
      />
      {takesWarmup(config.schedule) ? <ConfigNumber field="warmup" testId="warmup" /> : null}
      {isScheduled(config) ? <RateSketch config={config} /> : null}
      <RateFinder />
    </>
  );
}

/** Optimizer steps in an epoch of `config` (Keras's: the training images over the batch size, rounded up). */
export function stepsPerEpoch(config: TrainConfig): number {
  return kerasSplit(trainImagesPerEpoch(config), 0, config.batchSize).batchesPerEpoch;
}

const W = 240;
const H = 48;

/** The rate over the run ahead, from its first step to its last, on a linear scale from 0 to the peak. */
function RateSketch({ config }: { config: TrainConfig }) {
  const perEpoch = stepsPerEpoch(config);
  const curve = rateCurve(config, perEpoch);
  const peak = Math.max(...curve.map((p) => p.rate), 1e-12);
  const points = curve.map((p) => `${((p.x / config.epochs) * W).toFixed(1)},${(H - (p.rate / peak) * H).toFixed(1)}`);
  const first = curve[0]?.rate ?? 0;
  const last = curve.at(-1)?.rate ?? 0;
  const words = `${SCHEDULE_WORDS[config.schedule]} Here: ${formatRate(first)} at the first step, ${formatRate(peak)} at most, ${formatRate(last)} at the last (step ${(config.epochs * perEpoch).toLocaleString('en-US')}).`;
  return (
    <figure className="rate-sketch" data-testid="rate-sketch">
      <svg viewBox={`0 -2 ${W} ${H + 4}`} role="img" aria-label={`The learning rate over the run. ${words}`}>
        <line x1={0} y1={H} x2={W} y2={H} className="rate-axis" />
        <polyline points={points.join(' ')} className="rate-line" />
      </svg>
      <figcaption className="small muted">
        rate over the {config.epochs} epochs: {formatRate(first)} → {formatRate(last)}, peak {formatRate(peak)}
      </figcaption>
    </figure>
  );
}

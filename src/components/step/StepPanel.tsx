import { memo, useMemo } from 'react';
import { rms, stepNumber, stripUnits, type StepLayer, type StepResult } from '../../core/step/step';
import { architectureLabel } from '../../core/runs/runs';
import { describeSchedule, isScheduled } from '../../core/network/schedule';
import { formatRate } from '../lib/format';
import { useActions, useConfig, useIsBusy, useLabState } from '../../store/hooks';
import { DigitImage } from '../common/DigitImage';
import { BarStrip } from './BarStrip';
import { UnitDetail } from './UnitDetail';
import './step.css';

const BACKENDS: Record<string, string> = { webgl: 'WebGL', wasm: 'WebAssembly', cpu: 'the CPU backend' };

/**
 * Step through one batch: each press of Step trains exactly one batch of the controls' network
 * (the run's own batches, in its order) and shows the batch's loss and, layer by layer, the
 * image's activations, the gradient reaching each unit and the update the step applied.
 */
export function StepPanel() {
  const { step } = useLabState('step');
  const config = useConfig();
  const busy = useIsBusy();
  const { stepOnce, resetStep } = useActions();
  const result = step.result;
  const changed = result !== null && JSON.stringify(step.config) !== JSON.stringify(config);
  return (
    <section className="panel step-panel" aria-labelledby="step-title">
      <h2 id="step-title">One step, closely</h2>
      <p className="small muted">
        Step trains exactly one batch of {architectureLabel(config.layers)} ({config.batchSize} images,{' '}
        {config.optimizer}, learning rate {config.learningRate}
        {isScheduled(config) ? `, ${describeSchedule(config)}` : ''}) and shows what that batch did: its loss, each
        layer's outputs for one image, the gradient that reached each unit and the change the step made to its weights.
        Click a bar to see that unit's weights and its sum written out. Each step is a batch of the run Train would
        make; a run starts the stepped network afresh.
      </p>
      <div className="step-actions">
        <button
          type="button"
          data-testid="step-button"
          onClick={stepOnce}
          disabled={busy || step.status === 'stepping'}
        >
          {result ? 'Step again' : 'Step'}
        </button>
        <button type="button" onClick={resetStep} disabled={!result || step.status === 'stepping'}>
          Start over
        </button>
        <span className="small muted" role="status">
          {busy
            ? 'A run is training: Step works while the lab is idle.'
            : step.status === 'stepping'
              ? step.progress
                ? `Loading the images: ${Math.round((100 * step.progress.loaded) / Math.max(1, step.progress.total))} %`
                : 'Training one batch…'
              : changed
                ? 'The settings changed: the next Step starts a fresh network with them.'
                : ''}
        </span>
      </div>
      {step.problem ? (
        <p className="error small" role="alert">
          {step.problem}
        </p>
      ) : null}
      {result ? <StepView result={result} scheduled={step.config !== null && isScheduled(step.config)} /> : null}
    </section>
  );
}

const StepView = memo(function StepView({ result, scheduled }: { result: StepResult; scheduled: boolean }) {
  const bytes = useMemo(() => {
    const max = result.image.reduce((m, v) => Math.max(m, v), 0);
    const scale = max > 1 ? 1 : 255;
    return Uint8Array.from(result.image, (v) => Math.round(v * scale));
  }, [result.image]);
  const source =
    result.source.kind === 'drawn'
      ? 'your drawing'
      : `test image ${result.source.index + 1} (a ${result.source.label}); draw a digit to use yours`;
  const best = result.probs.reduce((b, p, i, all) => (p > (all[b] ?? 0) ? i : b), 0);
  return (
    <div className="step-view" data-testid="step-view">
      <p data-testid="step-summary">
        Step {result.step}: epoch {result.epoch}, batch {result.batch} of {result.batches} ({result.size} images), on{' '}
        {BACKENDS[result.backend] ?? result.backend}
        {scheduled ? `, at the schedule's rate ${formatRate(result.rate)}` : ''}. The batch's loss before the update:{' '}
        <b data-testid="step-loss">{result.loss.toFixed(4)}</b>, accuracy {result.acc.toFixed(4)}.
      </p>
      <div className="step-image">
        <DigitImage pixels={bytes} size={56} label={`The image shown: ${source}`} testId="step-image" />
        <p className="small">
          The image: {source}. With the weights after this step the network says {best} (probability{' '}
          <span data-testid="step-probability">{stepNumber(result.probs[best] ?? NaN)}</span>).
        </p>
      </div>
      <table className="step-layers small">
        <thead>
          <tr>
            <th scope="col">layer</th>
            <th scope="col">output for the image</th>
            <th scope="col">gradient at each unit's sum (batch mean)</th>
            <th scope="col">update to its weights ‖Δw‖</th>
          </tr>
        </thead>
        <tbody>
          {result.layers.map((layer, i) => (
            <LayerRow key={layer.name} layer={layer} index={i} />
          ))}
        </tbody>
      </table>
      <UnitDetail result={result} />
    </div>
  );
});

/** The three strips of a layer's row: what each shows, its test id and the number under it. */
const STRIPS = [
  {
    key: 'values',
    label: 'output for the image',
    testId: 'strip-values',
    note: (l: StepLayer) => `RMS ${stepNumber(rms(l.values))}`,
  },
  {
    key: 'gradient',
    label: "gradient at each unit's sum",
    testId: 'strip-gradient',
    note: (l: StepLayer) => `RMS ${stepNumber(rms(l.gradient))}`,
  },
  {
    key: 'update',
    label: 'update to its weights',
    testId: 'strip-update',
    note: (l: StepLayer) => `moved its weights by ${stepNumber(l.updateRatio * 100)} %`,
  },
] as const;

function LayerRow({ layer, index }: { layer: StepLayer; index: number }) {
  const { step } = useLabState('step');
  const { showUnit } = useActions();
  const width = layer.values.length;
  const shown = stripUnits(width);
  const chosen = step.unit?.layer === index ? step.unit.unit : null;
  const pick = (unit: number) => showUnit(index, unit);
  const more = shown < width ? ` (units 1–${shown} of ${width})` : '';
  const what = layer.activation ? `${layer.activation}` : 'logits';
  return (
    <tr data-testid="step-layer">
      <th scope="row">
        {layer.name}
        <span className="muted">
          {' '}
          · {width} {what}
        </span>
      </th>
      {STRIPS.map(({ key, label, testId, note }) => (
        <td key={key} data-label={label}>
          <BarStrip
            values={layer[key]}
            shown={shown}
            label={`${layer.name}: ${label}${more}`}
            chosen={chosen}
            onPick={pick}
            testId={testId}
          />
          <span className="muted">
            {note(layer)}
            {key === 'values' ? more : ''}
          </span>
        </td>
      ))}
    </tr>
  );
}

import {
  addLayer,
  moveLayer,
  removeLayer,
  setActivation,
  setNumber,
  setOptimizer,
  setWidth,
  stopToWidth,
  widthToStop,
  WIDTH_STOPS,
} from '../core/edit';
import { formatCount, layerParams } from '../core/params';
import { randomSeed } from '../core/rng';
import { ACTIVATIONS, BACKEND_CHOICES, INPUT_SIZE, LIMITS, OPTIMIZERS, type Activation, type BackendChoice, type OptimizerName } from '../core/spec';
import { useLab } from '../store/context';
import { selectConfig, selectEditConfig, selectParamTotal } from '../store/selectors';
import { NetworkDiagram } from './NetworkDiagram';
import { NumberField } from './NumberField';

/** The layer stack between the fixed input and output, each layer with a width slider. */
export function NetworkBuilder() {
  const config = useLab(selectConfig);
  const edit = useLab(selectEditConfig);
  const total = useLab(selectParamTotal);
  const rows = layerParams(config.layers);
  return (
    <section className="panel" aria-labelledby="network-title">
      <h2 id="network-title">Network</h2>
      <NetworkDiagram />
      <p className="small muted">Input: {INPUT_SIZE} pixels</p>
      <ol className="layer-stack">
        {config.layers.map((layer, i) => (
          <li key={i} className="layer-row" data-testid={`layer-${i}`}>
            <div className="layer-head">
              <strong>Hidden layer {i + 1}</strong>
              <span className="muted small">{formatCount(rows[i]?.params ?? 0)} params</span>
              <span className="layer-buttons">
                <button type="button" aria-label={`Move layer ${i + 1} up`} disabled={i === 0} onClick={() => edit((c) => moveLayer(c, i, -1))}>
                  ↑
                </button>
                <button
                  type="button"
                  aria-label={`Move layer ${i + 1} down`}
                  disabled={i === config.layers.length - 1}
                  onClick={() => edit((c) => moveLayer(c, i, 1))}
                >
                  ↓
                </button>
                <button type="button" aria-label={`Remove layer ${i + 1}`} onClick={() => edit((c) => removeLayer(c, i))}>
                  ✕
                </button>
              </span>
            </div>
            <label className="slider">
              <span className="visually-hidden">Layer {i + 1} width</span>
              <input
                type="range"
                min={0}
                max={WIDTH_STOPS.length - 1}
                step={1}
                value={widthToStop(layer.units)}
                aria-valuetext={`${layer.units} units`}
                data-testid={`layer-${i}-slider`}
                onChange={(e) => edit((c) => setWidth(c, i, stopToWidth(Number(e.target.value))))}
              />
            </label>
            <div className="layer-fields">
              <NumberField label="units" value={layer.units} min={LIMITS.minWidth} max={LIMITS.maxWidth} testId={`layer-${i}-units`} onCommit={(v) => edit((c) => setWidth(c, i, v))} />
              <label className="field">
                <span>activation</span>
                <select value={layer.activation} onChange={(e) => edit((c) => setActivation(c, i, e.target.value as Activation))}>
                  {ACTIVATIONS.map((a) => (
                    <option key={a}>{a}</option>
                  ))}
                </select>
              </label>
            </div>
          </li>
        ))}
      </ol>
      <button type="button" data-testid="add-layer" disabled={config.layers.length >= LIMITS.maxLayers} onClick={() => edit(addLayer)}>
        Add hidden layer
      </button>
      <p className="small muted">Output: 10 softmax ({formatCount(rows.at(-1)?.params ?? 0)} params)</p>
      <p className="total">
        Total params: <strong data-testid="param-total">{formatCount(total)}</strong>
      </p>
    </section>
  );
}

/** Training settings: every one a labelled form control, every change in the URL. */
export function TrainingSettings() {
  const config = useLab(selectConfig);
  const edit = useLab(selectEditConfig);
  const lrExp = Math.log10(config.learningRate);
  return (
    <section className="panel" aria-labelledby="settings-title">
      <h2 id="settings-title">Training</h2>
      <div className="settings-grid">
        <NumberField label="epochs" value={config.epochs} min={LIMITS.minEpochs} max={LIMITS.maxEpochs} onCommit={(v) => edit((c) => setNumber(c, 'epochs', v))} />
        <NumberField label="batch size" value={config.batchSize} min={LIMITS.minBatch} max={LIMITS.maxBatch} onCommit={(v) => edit((c) => setNumber(c, 'batchSize', v))} />
        <label className="field">
          <span>optimizer</span>
          <select value={config.optimizer} onChange={(e) => edit((c) => setOptimizer(c, e.target.value as OptimizerName))}>
            {OPTIMIZERS.map((o) => (
              <option key={o}>{o}</option>
            ))}
          </select>
        </label>
        <label className="field wide">
          <span>learning rate {config.learningRate}</span>
          <input
            type="range"
            min={-6}
            max={1}
            step={0.1}
            value={lrExp}
            aria-valuetext={String(config.learningRate)}
            onChange={(e) => edit((c) => setNumber(c, 'learningRate', Number(Math.pow(10, Number(e.target.value)).toPrecision(2))))}
          />
        </label>
        <label className="field wide">
          <span>dataset</span>
          <select data-testid="dataset" value={config.dataset} onChange={(e) => edit((c) => ({ ...c, dataset: e.target.value === 'fashion' ? 'fashion' : 'mnist' }))}>
            <option value="mnist">MNIST digits (the article)</option>
            <option value="fashion">Fashion-MNIST clothes (the lab's own split)</option>
          </select>
        </label>
        <label className="field">
          <span>inputs</span>
          <select value={config.preprocessing} onChange={(e) => edit((c) => ({ ...c, preprocessing: e.target.value === 'scaled' ? 'scaled' : 'raw' }))}>
            <option value="raw">raw 0..255 (article)</option>
            <option value="scaled">scaled 0..1</option>
          </select>
        </label>
        <NumberField label="validation split" value={config.validationSplit} min={LIMITS.minVal} max={LIMITS.maxVal} step={0.05} onCommit={(v) => edit((c) => setNumber(c, 'validationSplit', v))} />
        <NumberField
          label="training images"
          value={config.subset}
          min={LIMITS.minSubset}
          max={LIMITS.maxSubset}
          placeholder="all 60,000"
          onCommit={(v) => edit((c) => setNumber(c, 'subset', v))}
        />
        <label className="field">
          <span>backend</span>
          <select value={config.backend} onChange={(e) => edit((c) => ({ ...c, backend: e.target.value as BackendChoice }))}>
            {BACKEND_CHOICES.map((b) => (
              <option key={b}>{b}</option>
            ))}
          </select>
        </label>
        <div className="field">
          <NumberField label="seed" value={config.seed} min={0} max={LIMITS.maxSeed} testId="seed" onCommit={(v) => edit((c) => setNumber(c, 'seed', v))} />
          <button type="button" onClick={() => edit((c) => setNumber(c, 'seed', randomSeed()))}>
            New seed
          </button>
        </div>
      </div>
    </section>
  );
}

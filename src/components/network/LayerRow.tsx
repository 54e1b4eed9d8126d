import { moveLayer, removeLayer, setActivation, setWidth } from '../../core/network/edit';
import { formatCount } from '../../core/network/params';
import { layerDropout, setDropout } from '../../core/network/dropout';
import { layerNorm, setBatchNorm } from '../../core/network/batchNorm';
import { ACTIVATIONS, LIMITS, type Activation, type HiddenLayer, type TrainConfig } from '../../core/network/spec';
import { NumberField } from '../common/NumberField';
import { WidthSlider } from './WidthSlider';

/**
 * One hidden layer in two lines: its name and parameters, exact width, activation and buttons to
 * move or remove it; then its width on a slider.
 */
export function LayerRow({
  layer,
  index,
  count,
  params,
  showDropout,
  showNorm,
  edit,
}: {
  layer: HiddenLayer;
  index: number;
  count: number;
  params: number;
  /** Show the layer's own dropout field (when the network has any dropout). */
  showDropout: boolean;
  /** Show the layer's own batch normalization switch (when the network has any). */
  showNorm: boolean;
  edit: (f: (c: TrainConfig) => TrainConfig) => void;
}) {
  const i = index;
  return (
    <li className="layer-row" data-testid={`layer-${i}`}>
      <div className="layer-head">
        <span className="layer-name">
          <strong>Layer {i + 1}</strong>
          <span className="layer-params small muted">{formatCount(params)} params</span>
        </span>
        <NumberField
          label="units"
          value={layer.units}
          min={LIMITS.minWidth}
          max={LIMITS.maxWidth}
          testId={`layer-${i}-units`}
          onCommit={(v) => edit((c) => setWidth(c, i, v))}
          compact
        />
        <label className="field compact">
          <span className="visually-hidden">activation</span>
          <select
            aria-label="activation"
            value={layer.activation}
            onChange={(e) => edit((c) => setActivation(c, i, e.target.value as Activation))}
          >
            {ACTIVATIONS.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </label>
        {showDropout ? (
          <span className="layer-drop">
            <NumberField
              label="dropout"
              value={layerDropout(layer)}
              min={0}
              max={LIMITS.maxDropout}
              step={0.1}
              testId={`layer-${i}-dropout`}
              onCommit={(v) => edit((c) => setDropout(c, v, i))}
            />
          </span>
        ) : null}
        {showNorm ? <NormSwitch layer={layer} index={i} edit={edit} /> : null}
        <span className="layer-buttons">
          {count > 1 ? <MoveButtons index={i} count={count} edit={edit} /> : null}
          <button
            type="button"
            className="icon"
            aria-label={`Remove layer ${i + 1}`}
            onClick={() => edit((c) => removeLayer(c, i))}
          >
            ✕
          </button>
        </span>
      </div>
      <WidthSlider index={i} units={layer.units} onChange={(u) => edit((c) => setWidth(c, i, u))} />
    </li>
  );
}

/** The layer's batch normalization, on or off. */
function NormSwitch({
  layer,
  index: i,
  edit,
}: {
  layer: HiddenLayer;
  index: number;
  edit: (f: (c: TrainConfig) => TrainConfig) => void;
}) {
  return (
    <label className="layer-bn">
      <input
        type="checkbox"
        checked={layerNorm(layer)}
        data-testid={`layer-${i}-bn`}
        onChange={(e) => {
          const on = e.currentTarget.checked;
          edit((c) => setBatchNorm(c, on, i));
        }}
      />
      <abbr title="batch normalization">BN</abbr>
    </label>
  );
}

/** Up and down, for a stack of two or more layers. */
function MoveButtons({
  index: i,
  count,
  edit,
}: {
  index: number;
  count: number;
  edit: (f: (c: TrainConfig) => TrainConfig) => void;
}) {
  return (
    <>
      <button
        type="button"
        className="icon"
        aria-label={`Move layer ${i + 1} up`}
        disabled={i === 0}
        onClick={() => edit((c) => moveLayer(c, i, -1))}
      >
        ↑
      </button>
      <button
        type="button"
        className="icon"
        aria-label={`Move layer ${i + 1} down`}
        disabled={i === count - 1}
        onClick={() => edit((c) => moveLayer(c, i, 1))}
      >
        ↓
      </button>
    </>
  );
}

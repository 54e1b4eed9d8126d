import { moveLayer, removeLayer, setActivation, setWidth } from '../../core/network/edit';
import { formatCount } from '../../core/network/params';
import { ACTIVATIONS, LIMITS, type Activation, type HiddenLayer, type TrainConfig } from '../../core/network/spec';
import { NumberField } from '../common/NumberField';
import { WidthSlider } from './WidthSlider';

/** One hidden layer: its width (slider and exact field), activation, and buttons to move or remove it. */
export function LayerRow({
  layer,
  index,
  count,
  params,
  edit,
}: {
  layer: HiddenLayer;
  index: number;
  count: number;
  params: number;
  edit: (f: (c: TrainConfig) => TrainConfig) => void;
}) {
  const i = index;
  return (
    <li className="layer-row" data-testid={`layer-${i}`}>
      <div className="layer-head">
        <strong className="layer-name">Layer {i + 1}</strong>
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
        <span className="layer-buttons">
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
      <span className="layer-params small muted">{formatCount(params)} params</span>
    </li>
  );
}

import { dotProduct, type DotProduct, inputName, layerInputs, stepNumber, type StepResult } from '../../core/step/step';
import { ACTIVATION_INFO } from '../../core/network/activations';
import { useActions, useLabState } from '../../store/hooks';
import { WeightTileGrid } from '../inside/WeightTiles';
import { BarStrip } from './BarStrip';

/**
 * One unit of the stepped network: its incoming weights (a 28×28 tile for the first layer, bars
 * otherwise), and its sum for the image written out: the largest terms w·x, the rest, the bias, z
 * and the activation of z, which is the value its strip shows.
 */
export function UnitDetail({ result }: { result: StepResult }) {
  const { step } = useLabState('step');
  const { closeUnit } = useActions();
  const chosen = step.unit;
  if (!chosen) return null;
  const layer = result.layers[chosen.layer];
  if (!layer) return null;
  const where = `${layer.name}, unit ${chosen.unit + 1}`;
  const w = chosen.weights;
  const dot = w ? dotProduct(w.weights, layerInputs(result, chosen.layer), w.bias, layer.activation) : null;
  const fn = layer.activation ? ACTIVATION_INFO[layer.activation].name : null;
  return (
    <section className="unit-detail" data-testid="unit-detail" aria-labelledby="unit-detail-title">
      <h3 id="unit-detail-title">
        {where}{' '}
        <button type="button" className="link" onClick={closeUnit}>
          Close
        </button>
      </h3>
      {!w || !dot ? (
        <p className="small muted">Reading its weights…</p>
      ) : (
        <div className="unit-detail-body">
          <div className="unit-weights">
            <p className="small">
              Its {w.weights.length} incoming weights, after this step
              {chosen.layer > 0 && w.weights.length > 64 ? ' (the first 64 drawn)' : ''}:
            </p>
            {chosen.layer === 0 ? (
              <WeightTileGrid
                kernel={w.weights}
                columns={1}
                count={1}
                perRow={1}
                label={`Incoming weights of ${where} as a 28×28 tile`}
                testId="unit-tile"
              />
            ) : (
              <BarStrip
                values={w.weights}
                shown={Math.min(64, w.weights.length)}
                label={`Incoming weights of ${where}`}
                chosen={null}
                onPick={() => undefined}
                testId="unit-weight-bars"
              />
            )}
          </div>
          <DotTable dot={dot} layer={chosen.layer} inputs={w.weights.length} />
          <p className="unit-output">
            {fn ? (
              <>
                {fn}(z) ={' '}
                {ACTIVATION_INFO[layer.activation ?? 'linear'].formula.replace(
                  /z/g,
                  dot.z < 0 ? `(${stepNumber(dot.z)})` : stepNumber(dot.z),
                )}{' '}
                = <b data-testid="unit-output">{stepNumber(dot.output)}</b>: the unit's output for the image.
              </>
            ) : (
              <>
                z = <b data-testid="unit-output">{stepNumber(dot.output)}</b> is the logit of class {chosen.unit};
                softmax turns the ten logits into the probability {stepNumber(result.probs[chosen.unit] ?? NaN)}.
              </>
            )}
          </p>
        </div>
      )}
    </section>
  );
}

/** The sum written out: the largest terms, the rest, the bias and z. */
function DotTable({ dot, layer, inputs }: { dot: DotProduct; layer: number; inputs: number }) {
  return (
    <table className="dot-product small">
      <caption>Its sum for the image: z = bias + Σ w·x over {inputs} inputs</caption>
      <thead>
        <tr>
          <th scope="col">input</th>
          <th scope="col">w</th>
          <th scope="col">x</th>
          <th scope="col">w·x</th>
        </tr>
      </thead>
      <tbody>
        {dot.top.map((t) => (
          <tr key={t.index} data-testid="dot-term">
            <td>{inputName(layer, t.index)}</td>
            <td>{stepNumber(t.weight)}</td>
            <td>{stepNumber(t.input)}</td>
            <td data-testid="dot-term-product">{stepNumber(t.product)}</td>
          </tr>
        ))}
        <tr>
          <td colSpan={3}>{dot.others} other terms</td>
          <td data-testid="dot-rest">{stepNumber(dot.rest)}</td>
        </tr>
        <tr>
          <td colSpan={3}>bias</td>
          <td data-testid="dot-bias">{stepNumber(dot.bias)}</td>
        </tr>
        <tr className="dot-total">
          <td colSpan={3}>z (the sum)</td>
          <td data-testid="unit-z">{stepNumber(dot.z)}</td>
        </tr>
      </tbody>
    </table>
  );
}

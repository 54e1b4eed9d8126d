import { addLayer } from '../../core/network/edit';
import { formatCount, layerParams } from '../../core/network/params';
import { describeConfig } from '../../core/runs/runs';
import { INPUT_SIZE, LIMITS } from '../../core/network/spec';
import { useActions, useConfig, useIsBusy, useParamTotal, useRun } from '../../store/hooks';
import { Hint } from '../common/Hint';
import { AdvancedSettings } from './AdvancedSettings';
import { BudgetField } from './BudgetField';
import { DeviceMemoryLine } from './DeviceMemoryLine';
import { EpochEstimate } from './EpochEstimate';
import { LayerRow } from './LayerRow';
import { NetworkDiagram } from './NetworkDiagram';

/** The network the next run trains: fixed input and output, a row per hidden layer, and the total. */
export function NetworkBuilder() {
  const config = useConfig();
  const { editConfig: edit } = useActions();
  const total = useParamTotal();
  const busy = useIsBusy();
  const { config: running } = useRun('config');
  const rows = layerParams(config.layers);
  return (
    <section className="panel builder" aria-labelledby="network-title">
      <h2 id="network-title">
        Network <span className="small muted">(what Train trains)</span>
      </h2>
      {busy && running ? (
        <p className="small notice-inline">
          Changes here are for the next run; training now: {describeConfig(running)}.
        </p>
      ) : null}
      <NetworkDiagram />
      <p className="io-line small muted">
        <span>Input: {INPUT_SIZE} pixels</span>
        <span className="io-hints">
          units <Hint term="units" label="a unit" /> activation <Hint term="activation" label="an activation" />
        </span>
      </p>
      <ol className="layer-stack">
        {config.layers.map((layer, i) => (
          <LayerRow
            key={i}
            layer={layer}
            index={i}
            count={config.layers.length}
            params={rows[i]?.params ?? 0}
            edit={edit}
          />
        ))}
      </ol>
      <button
        type="button"
        data-testid="add-layer"
        disabled={config.layers.length >= LIMITS.maxLayers}
        onClick={() => edit(addLayer)}
      >
        + Add hidden layer
      </button>
      <p className="io-line small muted">Output: 10 softmax ({formatCount(rows.at(-1)?.params ?? 0)} params)</p>
      <p className="total">
        Total params: <strong data-testid="param-total">{formatCount(total)}</strong>{' '}
        <Hint term="params" label="a parameter" />
      </p>
      <BudgetField />
      <DeviceMemoryLine />
      <EpochEstimate />
      <AdvancedSettings />
    </section>
  );
}

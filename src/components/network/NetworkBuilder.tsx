import { addLayer } from '../../core/network/edit';
import { formatCount, layerParams } from '../../core/network/params';
import { describeConfig } from '../../core/runs/runs';
import { LIMITS } from '../../core/network/spec';
import { useActions, useConfig, useIsBusy, useParamTotal, useRun } from '../../store/hooks';
import { Hint } from '../common/Hint';
import { AdvancedSettings } from './AdvancedSettings';
import { ChangeHistory } from './ChangeHistory';
import { BudgetField } from './BudgetField';
import { EpochEstimate } from './EpochEstimate';
import { LayerRow } from './LayerRow';
import { layerDropout } from '../../core/network/dropout';
import { hasBatchNorm } from '../../core/network/batchNorm';
import { NetworkDiagram } from './NetworkDiagram';
import './NetworkBuilder.css';

/**
 * The network the next run trains: its diagram, a row per hidden layer, the total and the time an
 * epoch takes; the parameter budget and the advanced settings folded below.
 */
export function NetworkBuilder() {
  const config = useConfig();
  const anyDropout = config.layers.some((l) => layerDropout(l) > 0);
  const anyNorm = hasBatchNorm(config);
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
      <p className="stack-head small muted">
        <span>Hidden layers</span>
        <span className="io-hints">
          units <Hint term="units" label="a unit" /> activation <Hint term="activation" label="an activation" />
          {anyDropout ? (
            <>
              {' '}
              dropout <Hint term="dropout" label="a layer’s dropout" />
            </>
          ) : null}
          {anyNorm ? (
            <>
              {' '}
              BN <Hint term="batchNorm" label="batch normalization (BN)" />
            </>
          ) : null}
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
            showDropout={anyDropout}
            showNorm={anyNorm}
            edit={edit}
          />
        ))}
      </ol>
      <div className="builder-foot">
        <button
          type="button"
          data-testid="add-layer"
          disabled={config.layers.length >= LIMITS.maxLayers}
          onClick={() => edit(addLayer)}
        >
          + Add hidden layer
        </button>
        <p className="total" title={`Output layer: ${formatCount(rows.at(-1)?.params ?? 0)} of them`}>
          Total <strong data-testid="param-total">{formatCount(total)}</strong> params{' '}
          <Hint term="params" label="a parameter" />
        </p>
      </div>
      <EpochEstimate />
      <BudgetField />
      <AdvancedSettings />
      <ChangeHistory />
    </section>
  );
}

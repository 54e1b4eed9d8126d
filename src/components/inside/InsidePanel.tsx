import { architectureLabel } from '../../core/runs/runs';
import { CLASS_NAMES, type DatasetName } from '../../core/network/spec';
import { useModels, useRunList } from '../../store/hooks';
import { ActivationStrips } from './ActivationStrips';
import { ConfusionMatrix } from './ConfusionMatrix';
import { MistakesGallery } from './MistakesGallery';
import { WeightTileGrid } from './WeightTiles';

/** How many first-layer units get a weight tile. */
const TILES = 64;

const names = (d: DatasetName | undefined): readonly string[] => CLASS_NAMES[d ?? 'mnist'];

/** Inside the trained network: first-layer weights, activations of the drawn digit, test mistakes. */
export function InsidePanel() {
  const { active } = useModels('active');
  const runs = useRunList();
  const run = runs.find((r) => r.id === active?.id);
  return (
    <section className="panel" aria-labelledby="inside-title">
      <h2 id="inside-title">Inside the network</h2>
      {!active ? (
        <p className="small muted">
          After a finished run, its weights, its activations for your drawing and its mistakes on the test set appear
          here.
        </p>
      ) : (
        <div className="inside">
          <p className="small muted">
            Model of the run{' '}
            {run ? `${architectureLabel(run.config.layers)} (test accuracy ${run.testAcc?.toFixed(4) ?? '–'})` : ''}.
          </p>
          <FirstLayer kernel={active.kept.model.kernels[0]} units={active.kept.model.layers[0]?.units ?? null} />
          <ActivationStrips model={active.kept.model} />
          <ConfusionMatrix
            labels={active.kept.test.labels}
            preds={active.kept.test.preds}
            names={names(active.kept.model.dataset)}
          />
          <MistakesGallery names={names(active.kept.model.dataset)} />
        </div>
      )}
    </section>
  );
}

function FirstLayer({ kernel, units }: { kernel: Float32Array | undefined; units: number | null }) {
  if (!kernel) return null;
  const columns = units ?? 10;
  const shown = Math.min(TILES, columns);
  return (
    <div>
      <h3>
        {units !== null
          ? 'First hidden layer: what each unit weighs each pixel by'
          : 'No hidden layer: what each output class weighs each pixel by'}
      </h3>
      <p className="small muted">
        {shown < columns ? `The first ${shown} of ${columns} units. ` : ''}Red: the pixel's ink pushes the unit up;
        blue: down; white: ignored. Each tile is scaled to its own largest weight.
      </p>
      <WeightTileGrid
        kernel={kernel}
        columns={columns}
        count={TILES}
        perRow={16}
        label={`Weights of the first ${shown} ${units !== null ? 'units of the first hidden layer' : 'output classes'} on the 28×28 pixels, 16 to a row`}
        testId="weight-tiles"
      />
    </div>
  );
}

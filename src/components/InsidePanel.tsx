import { memo, useEffect, useMemo, useRef } from 'react';
import { confusionMatrix } from '../core/metrics';
import { diverging, weightTile, type TrainedModel } from '../core/model';
import { architectureLabel } from '../core/runs';
import { CLASS_NAMES, INPUT_SIZE, type Activation, type DatasetName } from '../core/spec';
import { useLab } from '../store/context';
import { selectActiveModel, selectDraw, selectMistakes, selectRuns, selectShowMistakes } from '../store/selectors';
import { DigitImage } from './DigitImage';

/** How many first-layer units get a weight tile. */
const TILES = 64;

/** A 28x28 tile of one unit's weights, blue negative, red positive, scaled to its largest |w|. */
function WeightTileCanvas({ weights, label }: { weights: Float32Array; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    let max = 1e-12;
    for (const w of weights) max = Math.max(max, Math.abs(w));
    const img = ctx.createImageData(28, 28);
    for (let i = 0; i < INPUT_SIZE; i++) {
      const [r, g, b] = diverging((weights[i] as number) / max);
      img.data.set([r, g, b, 255], i * 4);
    }
    ctx.putImageData(img, 0, 0);
  }, [weights]);
  return <canvas ref={ref} width={28} height={28} className="weight-tile" role="img" aria-label={label} />;
}

const WeightTiles = memo(function WeightTiles({ model }: { model: TrainedModel }) {
  const first = model.layers[0];
  const units = first?.units ?? 10;
  const shown = Math.min(TILES, units);
  const tiles = useMemo(() => Array.from({ length: shown }, (_, u) => weightTile(model, u)), [model, shown]);
  return (
    <div>
      <h3>{first ? `First hidden layer: what each unit weighs each pixel by` : 'No hidden layer: what each output class weighs each pixel by'}</h3>
      <p className="small muted">
        {shown < units ? `The first ${shown} of ${units} units. ` : ''}Red: the pixel's ink pushes the unit up; blue: down; white: ignored. Each tile is scaled to its own
        largest weight.
      </p>
      <div className="weight-tiles" data-testid="weight-tiles">
        {tiles.map((w, u) => (
          <WeightTileCanvas key={u} weights={w} label={first ? `weights of unit ${u + 1}` : `weights of class ${u}`} />
        ))}
      </div>
    </div>
  );
});

/** One hidden layer's outputs for the drawn digit, a cell per unit. */
function ActivationStrip({ values, activation, index }: { values: Float32Array; activation: Activation; index: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const perRow = Math.min(values.length, 128);
  const rows = Math.ceil(values.length / perRow);
  const stats = useMemo(() => {
    let sum = 0;
    let saturated = 0;
    let max = 1e-12;
    for (const v of values) {
      sum += v;
      max = Math.max(max, Math.abs(v));
      if ((activation === 'sigmoid' && (v > 0.99 || v < 0.01)) || (activation === 'tanh' && Math.abs(v) > 0.99) || (activation === 'relu' && v === 0)) saturated++;
    }
    return { mean: sum / values.length, saturated: saturated / values.length, max };
  }, [values, activation]);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(perRow, rows);
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      // Sigmoid lives in 0..1, tanh in -1..1: drawn on their own scale, so saturation shows.
      const t = activation === 'sigmoid' ? v * 2 - 1 : activation === 'tanh' ? v : v / stats.max;
      const [r, g, b] = diverging(t);
      img.data.set([r, g, b, 255], i * 4);
    }
    ctx.putImageData(img, 0, 0);
  }, [values, activation, perRow, rows, stats.max]);
  const what = activation === 'relu' ? 'at zero' : 'saturated';
  return (
    <li>
      <span className="small">
        Layer {index + 1} ({values.length} {activation}): mean {stats.mean.toFixed(3)}, {(stats.saturated * 100).toFixed(0)}% of units {what}
      </span>
      <canvas ref={ref} width={perRow} height={rows} className="activation-strip" style={{ aspectRatio: `${perRow} / ${rows * 3}` }} role="img" aria-label={`activations of hidden layer ${index + 1}`} />
    </li>
  );
}

function ActivationStrips({ model }: { model: TrainedModel }) {
  const draw = useLab(selectDraw);
  const acts = draw.digit && draw.prediction ? draw.prediction.activations : null;
  if (model.layers.length === 0) return null;
  return (
    <div>
      <h3>The drawn digit, layer by layer</h3>
      {acts ? (
        <ol className="activation-strips" data-testid="activation-strips">
          {acts.map((a, i) => (
            <ActivationStrip key={i} values={a} activation={model.layers[i]?.activation ?? 'linear'} index={i} />
          ))}
        </ol>
      ) : (
        <p className="small muted">Draw a digit above to see each hidden layer's outputs for it.</p>
      )}
      <p className="small muted">
        A cell per unit; for sigmoid and tanh, deep red and deep blue are the ends of their range. In deep sigmoid stacks the later layers look alike for every
        digit: the signal has been lost on the way, the article's game of telephone.
      </p>
    </div>
  );
}

function ConfusionMatrix({ labels, preds, names }: { labels: Uint8Array; preds: Uint8Array; names: readonly string[] }) {
  const m = useMemo(() => confusionMatrix(labels, preds), [labels, preds]);
  const mistakes = useLab(selectMistakes);
  const show = useLab(selectShowMistakes);
  const correct = m.reduce((s, row, i) => s + (row[i] ?? 0), 0);
  return (
    <div>
      <h3>Confusion matrix on the 10,000 test images</h3>
      <p className="small muted">
        Rows: the true class; columns: the predicted one. {correct.toLocaleString('en-US')} right, {(labels.length - correct).toLocaleString('en-US')} wrong. Click a
        cell off the diagonal to see those mistakes.
      </p>
      <div className="table-scroll">
        <table className="confusion" data-testid="confusion-matrix">
          <thead>
            <tr>
              <th scope="col">true ↓ / predicted →</th>
              {m.map((_, p) => (
                <th key={p} scope="col" title={names[p]}>
                  {names.length && names[p] !== String(p) ? `${p} ${names[p]}` : p}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {m.map((row, t) => {
              const rowTotal = row.reduce((a, b) => a + b, 0) || 1;
              return (
                <tr key={t}>
                  <th scope="row">{names[t] !== String(t) ? `${t} ${names[t]}` : t}</th>
                  {row.map((n, p) => {
                    const share = n / rowTotal;
                    const diagonal = t === p;
                    const picked = mistakes.cell?.label === t && mistakes.cell.pred === p;
                    const bg = diagonal ? `rgba(37, 99, 235, ${0.1 + 0.6 * share})` : n > 0 ? `rgba(220, 38, 38, ${Math.min(0.8, 0.08 + share * 4)})` : undefined;
                    return (
                      <td key={p} style={bg ? { background: bg } : undefined} className={picked ? 'picked' : undefined}>
                        {diagonal || n === 0 ? (
                          n
                        ) : (
                          <button type="button" className="cell" data-testid={`confusion-cell-${t}-${p}`} aria-label={`${n} images of ${t} predicted as ${p}: show them`} onClick={() => show({ label: t, pred: p })}>
                            {n}
                          </button>
                        )}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function MistakesGallery({ names }: { names: readonly string[] }) {
  const mistakes = useLab(selectMistakes);
  const show = useLab(selectShowMistakes);
  const images = mistakes.images;
  return (
    <div>
      <h3>
        Misclassified test images{' '}
        {mistakes.cell ? (
          <span className="small muted">
            : true {names[mistakes.cell.label]}, predicted {names[mistakes.cell.pred]}{' '}
            <button type="button" onClick={() => show(null)}>
              Show all mistakes
            </button>
          </span>
        ) : null}
      </h3>
      <p className="small muted" data-testid="mistakes-count">
        {mistakes.total === 0
          ? 'None.'
          : `${mistakes.total.toLocaleString('en-US')} image${mistakes.total === 1 ? '' : 's'}${mistakes.total > mistakes.shown.length ? `; the ${mistakes.shown.length} the network was surest about` : ''}, most confident first.`}
      </p>
      {mistakes.status === 'loading' ? <p className="small muted">Loading the images…</p> : null}
      {mistakes.problem ? <p className="error">{mistakes.problem}</p> : null}
      {images ? (
        <ul className="gallery mistakes" data-testid="mistakes-gallery">
          {mistakes.shown.map((m, i) => (
            <li key={m.index} data-testid="mistake" data-label={m.label} data-pred={m.pred}>
              <DigitImage pixels={images.images.subarray(i * INPUT_SIZE, (i + 1) * INPUT_SIZE)} size={56} label={`test image ${m.index + 1}: ${names[m.label]} read as ${names[m.pred]}`} />
              <span className="small">
                {names[m.label]} → <strong>{names[m.pred]}</strong>
              </span>
              <span className="small muted">{m.prob.toFixed(2)}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

const names = (d: DatasetName | undefined): readonly string[] => CLASS_NAMES[d ?? 'mnist'];

/** Inside the trained network: first-layer weights, activations of the drawn digit, test mistakes. */
export function InsidePanel() {
  const active = useLab(selectActiveModel);
  const runs = useLab(selectRuns);
  const run = runs.find((r) => r.id === active?.id);
  return (
    <section className="panel" aria-labelledby="inside-title">
      <h2 id="inside-title">Inside the network</h2>
      {!active ? (
        <p className="small muted">After a finished run, its weights, its activations for your drawing and its mistakes on the test set appear here.</p>
      ) : (
        <div className="inside">
          <p className="small muted">Model of the run {run ? `${architectureLabel(run.config.layers)} (test accuracy ${run.testAcc?.toFixed(4) ?? '–'})` : ''}.</p>
          <WeightTiles model={active.kept.model} />
          <ActivationStrips model={active.kept.model} />
          <ConfusionMatrix labels={active.kept.test.labels} preds={active.kept.test.preds} names={names(active.kept.model.dataset)} />
          <MistakesGallery names={names(active.kept.model.dataset)} />
        </div>
      )}
    </section>
  );
}

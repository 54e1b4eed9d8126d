import { useEffect, useMemo, useRef } from 'react';
import { SATURATION_MARGIN } from '../../core/diagnosis/health';
import { diverging, type TrainedModel } from '../../core/runs/model';
import type { Activation } from '../../core/network/spec';
import { useLab } from '../../store/context';
import { selectDraw } from '../../store/selectors';

/** One hidden layer's outputs for the drawn digit, a cell per unit. */
function ActivationStrip({
  values,
  activation,
  index,
}: {
  values: Float32Array;
  activation: Activation;
  index: number;
}) {
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
      if (
        (activation === 'sigmoid' && (v > 1 - SATURATION_MARGIN || v < SATURATION_MARGIN)) ||
        (activation === 'tanh' && Math.abs(v) > 1 - SATURATION_MARGIN) ||
        (activation === 'relu' && v === 0)
      )
        saturated++;
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
        Layer {index + 1} ({values.length} {activation}): mean {stats.mean.toFixed(3)},{' '}
        {(stats.saturated * 100).toFixed(0)}% of units {what}
      </span>
      <canvas
        ref={ref}
        width={perRow}
        height={rows}
        className="activation-strip"
        style={{ aspectRatio: `${perRow} / ${rows * 3}` }}
        role="img"
        aria-label={`activations of hidden layer ${index + 1}`}
      />
    </li>
  );
}

export function ActivationStrips({ model }: { model: TrainedModel }) {
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
        A cell per unit; for sigmoid and tanh, deep red and deep blue are the ends of their range. In deep sigmoid
        stacks the later layers look alike for every digit: the signal has been lost on the way, the article's game of
        telephone.
      </p>
    </div>
  );
}

import { useEffect, useMemo, useRef } from 'react';
import { ACTIVATION_INFO, atLimit } from '../../core/network/activations';
import { diverging, type TrainedModel } from '../../core/runs/model';
import type { Activation } from '../../core/network/spec';
import { useLabState } from '../../store/hooks';

/** An output of a bounded activation placed on -1..1 (the ends of its range), or null where it has no bounds. */
function onRange(activation: Activation, v: number): number | null {
  const { min, max } = ACTIVATION_INFO[activation].range;
  if (!Number.isFinite(min) || !Number.isFinite(max)) return null;
  return min + max === 0 ? v / max : ((v - min) * 2) / (max - min) - 1;
}

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
      if (atLimit(activation, v)) saturated++;
    }
    return { mean: sum / values.length, saturated: saturated / values.length, max };
  }, [values, activation]);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(perRow, rows);
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      // A bounded activation (sigmoid in 0..1, tanh in -1..1) is drawn on its own range, so saturation shows.
      const t = onRange(activation, v) ?? v / stats.max;
      const [r, g, b] = diverging(t);
      img.data.set([r, g, b, 255], i * 4);
    }
    ctx.putImageData(img, 0, 0);
  }, [values, activation, perRow, rows, stats.max]);
  const what = ACTIVATION_INFO[activation].limit === 'dies' ? 'at zero' : 'saturated';
  return (
    <li>
      <span className="small">
        Layer {index + 1} ({values.length} {ACTIVATION_INFO[activation].name}): mean {stats.mean.toFixed(3)},{' '}
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
  const { draw } = useLabState('draw');
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

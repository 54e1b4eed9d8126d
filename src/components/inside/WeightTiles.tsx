import { memo, useEffect, useMemo, useRef } from 'react';
import { diverging, tileOf } from '../../core/model';
import { INPUT_SIZE } from '../../core/spec';

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

/**
 * One tile per unit for the first `count` columns of a first-layer kernel, [784, columns]
 * row-major. `unitName` names a unit for screen readers ("unit 3", "class 3").
 */
export const WeightTileGrid = memo(function WeightTileGrid({
  kernel,
  columns,
  count,
  unitName,
  testId,
}: {
  kernel: Float32Array;
  columns: number;
  count: number;
  unitName: (u: number) => string;
  testId?: string;
}) {
  const shown = Math.min(count, columns);
  const tiles = useMemo(() => Array.from({ length: shown }, (_, u) => tileOf(kernel, columns, u)), [kernel, columns, shown]);
  return (
    <div className="weight-tiles" data-testid={testId}>
      {tiles.map((w, u) => (
        <WeightTileCanvas key={u} weights={w} label={`weights of ${unitName(u)}`} />
      ))}
    </div>
  );
});

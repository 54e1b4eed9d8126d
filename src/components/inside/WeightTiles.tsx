import { memo, useEffect, useMemo, useRef } from 'react';
import { diverging } from '../../core/runs/model';
import { INPUT_SIZE } from '../../core/network/spec';
import { ColourKey } from '../common/ColourKey';
import { drawSoon } from '../lib/frameQueue';

const SIDE = 28;
/** Pixels between tiles in the sheet. */
const GAP = 2;
/**
 * The diverging colours for -1..1 in 511 steps as packed RGBA words (little-endian, as canvas
 * pixels are laid out in memory on every browser platform), computed once.
 */
const STEPS = 255;
const LUT = (() => {
  const t = new Uint32Array(2 * STEPS + 1);
  for (let i = 0; i <= 2 * STEPS; i++) {
    const [r, g, b] = diverging(i / STEPS - 1);
    t[i] = (255 << 24) | (b << 16) | (g << 8) | r;
  }
  return t;
})();

const KEY_COLOURS = [-1, -0.5, 0, 0.5, 1].map((v) => {
  const [r, g, b] = diverging(v);
  return `rgb(${r} ${g} ${b})`;
});

/**
 * The weight tiles' colour key: blue for a negative weight (the pixel's ink pushes the unit down),
 * white for none, red for a positive one, each tile to its own largest |w|.
 */
export function WeightKey() {
  return (
    <ColourKey
      label="Colour key of the weights:"
      bars={[KEY_COLOURS]}
      low="−|w| max"
      mid="0"
      high="+|w| max"
      note="red: ink there pushes the unit up · blue: down · white: ignored"
      className="weight-key"
      testId="weight-key"
    />
  );
}

/**
 * One 28x28 tile per unit for the first `count` columns of a first-layer kernel, [784, columns]
 * row-major: blue negative, red positive, each tile scaled to its own largest |w|. Drawn as one
 * canvas (a sheet of tiles): cheap enough to redraw every couple of seconds while a run trains.
 */
export const WeightTileGrid = memo(function WeightTileGrid({
  kernel,
  columns,
  count,
  perRow,
  label,
  testId,
}: {
  kernel: Float32Array;
  columns: number;
  count: number;
  /** Tiles per row of the sheet. */
  perRow: number;
  label: string;
  testId?: string;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  const shown = Math.min(count, columns);
  const rows = Math.ceil(shown / perRow);
  const width = perRow * (SIDE + GAP) - GAP;
  const height = Math.max(1, rows * (SIDE + GAP) - GAP);
  // One key per row of tiles: each row is drawn in a frame of its own.
  const rowKeys = useMemo(() => Array.from({ length: rows }, () => ({})), [rows]);
  useEffect(() => {
    // Drawn in coming frames, a row of tiles per frame, not in React's commit: a live redraw then
    // never makes a long task, even on a CPU shared with a software GPU.
    const drawRow = (row: number) => {
      const ctx = ref.current?.getContext('2d', { willReadFrequently: true });
      if (!ctx) return;
      const img = ctx.createImageData(width, SIDE);
      const px = new Uint32Array(img.data.buffer);
      px.fill(0xffffffff);
      for (let u = row * perRow; u < Math.min(shown, (row + 1) * perRow); u++) {
        let max = 1e-12;
        for (let p = u; p < INPUT_SIZE * columns; p += columns) max = Math.max(max, Math.abs(kernel[p] as number));
        const scale = STEPS / max;
        const ox = (u % perRow) * (SIDE + GAP);
        let p = u;
        for (let y = 0; y < SIDE; y++) {
          let at = y * width + ox;
          for (let x = 0; x < SIDE; x++, p += columns, at++)
            px[at] = LUT[Math.round((kernel[p] as number) * scale) + STEPS] as number;
        }
      }
      ctx.putImageData(img, 0, row * (SIDE + GAP));
    };
    const cancels = rowKeys.map((key, row) => drawSoon(key, () => drawRow(row)));
    return () => cancels.forEach((c) => c());
  }, [kernel, columns, shown, perRow, width, rowKeys]);
  return (
    <>
      <canvas
        ref={ref}
        width={width}
        height={height}
        className="weight-sheet"
        style={{ aspectRatio: `${width} / ${height}` }}
        role="img"
        aria-label={label}
        data-testid={testId}
        data-tiles={shown}
        data-per-row={perRow}
      />
      <WeightKey />
    </>
  );
});

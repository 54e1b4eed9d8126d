/**
 * Which input pixels a batch uses. MNIST is mostly black: in a batch of 128 images only about
 * 530 of the 784 pixels are non-zero in any image. Columns that are zero for the whole batch add
 * nothing to the first layer's product or to its weight gradient, so the training loop multiplies
 * only the columns listed here; the result is the same up to float summation order.
 *
 * The list is padded to a multiple of `bucket` with `padIndex` (a column that is always zero), so
 * that the GPU sees only a few distinct shapes and compiles each shader program once.
 */
export interface BatchColumns {
  /** Used pixel indices ascending, then `padIndex` up to a multiple of the bucket. */
  readonly cols: Int32Array;
  /** For each of the `width` pixels its position in `cols`, or cols.length when unused. */
  readonly inv: Int32Array;
}

export interface ColumnOptions {
  /** Pixels per image (784). */
  readonly width: number;
  /** Length of `inv`: the width of the padded input the GPU holds (>= width). */
  readonly paddedWidth: number;
  /** Index of an always-zero column used as padding. */
  readonly padIndex: number;
  readonly bucket: number;
}

/**
 * Columns used by the images `rows` of `images` (row-major bytes, `width` per image), or null when
 * so many are used that compaction would not pay. `scratch` (length `width`) avoids allocations.
 */
export function batchColumns(
  images: Uint8Array,
  rows: ArrayLike<number>,
  opts: ColumnOptions,
  scratch: Uint8Array = new Uint8Array(opts.width),
): BatchColumns | null {
  const { width, paddedWidth, padIndex, bucket } = opts;
  scratch.fill(0);
  for (let r = 0; r < rows.length; r++) {
    const base = (rows[r] as number) * width;
    for (let k = 0; k < width; k++) if (images[base + k] !== 0) scratch[k] = 1;
  }
  let used = 0;
  for (let k = 0; k < width; k++) used += scratch[k] as number;
  const size = Math.max(bucket, Math.ceil(used / bucket) * bucket);
  if (size >= width) return null;
  const cols = new Int32Array(size).fill(padIndex);
  const inv = new Int32Array(paddedWidth).fill(size);
  let j = 0;
  for (let k = 0; k < width; k++) {
    if (scratch[k]) {
      cols[j] = k;
      inv[k] = j++;
    }
  }
  return { cols, inv };
}

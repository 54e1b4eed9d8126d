/** Drawing on the 280x280 canvas: strokes as the pen made them, and the ink read back. */

/** The drawing surface in canvas pixels; CSS scales it to the space there is. */
export const SIZE = 280;
/** About MNIST's stroke: 2 to 3 pixels of a 20-pixel digit, so a tenth of a full-height digit. */
const STROKE = 22;

export type Point = readonly [number, number];

/** Paints the strokes (and a test image under them, 28x28 bytes, white ink on paper). */
export function paint(ctx: CanvasRenderingContext2D, strokes: readonly (readonly Point[])[], image: Uint8Array | null) {
  ctx.clearRect(0, 0, SIZE, SIZE);
  if (image) {
    const cell = SIZE / 28;
    for (let i = 0; i < 784; i++) {
      const v = image[i] as number;
      if (v === 0) continue;
      ctx.fillStyle = `rgba(0, 0, 0, ${v / 255})`;
      ctx.fillRect((i % 28) * cell, Math.floor(i / 28) * cell, cell, cell);
    }
  }
  ctx.strokeStyle = '#000';
  ctx.fillStyle = '#000';
  ctx.lineWidth = STROKE;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  for (const s of strokes) {
    const [first, ...rest] = s;
    if (!first) continue;
    if (rest.length === 0) {
      ctx.beginPath();
      ctx.arc(first[0], first[1], STROKE / 2, 0, Math.PI * 2);
      ctx.fill();
      continue;
    }
    ctx.beginPath();
    ctx.moveTo(first[0], first[1]);
    for (const [x, y] of rest) ctx.lineTo(x, y);
    ctx.stroke();
  }
}

/** The canvas's ink as [SIZE * SIZE] amounts 0..1 (its alpha: strokes on a transparent canvas). */
export function readInk(ctx: CanvasRenderingContext2D): Float32Array {
  const data = ctx.getImageData(0, 0, SIZE, SIZE).data;
  const ink = new Float32Array(SIZE * SIZE);
  for (let i = 0; i < ink.length; i++) ink[i] = (data[i * 4 + 3] as number) / 255;
  return ink;
}

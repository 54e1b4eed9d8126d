import { useEffect, useRef } from 'react';
import { INPUT_SIZE } from '../../core/network/spec';

const SIDE = 28;

/**
 * One 28x28 image of 0..255 bytes drawn as MNIST stores it (white ink on black), scaled up with
 * crisp pixels by CSS to `size` CSS pixels.
 */
export function DigitImage({
  pixels,
  size,
  label,
  testId,
}: {
  pixels: Uint8Array;
  size: number;
  label: string;
  testId?: string;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx || pixels.length !== INPUT_SIZE) return;
    const img = ctx.createImageData(SIDE, SIDE);
    for (let i = 0; i < INPUT_SIZE; i++) {
      const v = pixels[i] as number;
      img.data[i * 4] = v;
      img.data[i * 4 + 1] = v;
      img.data[i * 4 + 2] = v;
      img.data[i * 4 + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }, [pixels]);
  return (
    <canvas
      ref={ref}
      width={SIDE}
      height={SIDE}
      className="digit-image"
      style={{ width: size, height: size }}
      role="img"
      aria-label={label}
      data-testid={testId}
    />
  );
}

import { useMemo } from 'react';
import { AFFINE, augmentedExamples } from '../../core/dataset/augment';
import { INPUT_SIZE } from '../../core/network/spec';
import type { LabState } from '../../store/store';
import { DigitImage } from '../common/DigitImage';

/**
 * The gallery's images as the affine augmentation distorts them while training: one draw each of
 * its law, from the controls' seed (a run draws anew for every batch).
 */
export function AugmentedExamples({
  sample,
  seed,
  name,
}: {
  sample: NonNullable<LabState['gallery']['sample']>;
  seed: number;
  name: (label: number | undefined) => string;
}) {
  const count = sample.indices.length;
  const warped = useMemo(() => augmentedExamples(sample.images, count, seed), [sample, count, seed]);
  return (
    <>
      <h3 className="small augmented-title">
        The same images as training sees them: shifted up to {AFFINE.shift} pixels, turned up to {AFFINE.degrees}° and
        scaled by {1 - AFFINE.scale} to {1 + AFFINE.scale}, one draw each (every batch draws anew).
      </h3>
      <ul className="gallery" data-testid="gallery-augmented">
        {sample.indices.map((idx, i) => (
          <li key={`${idx}-${i}`}>
            <DigitImage
              pixels={warped.subarray(i * INPUT_SIZE, (i + 1) * INPUT_SIZE)}
              size={56}
              label={`${name(sample.labels[i])}, augmented`}
            />
          </li>
        ))}
      </ul>
    </>
  );
}

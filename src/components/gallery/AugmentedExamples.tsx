import { useMemo } from 'react';
import { AFFINE, augmentedExamples } from '../../core/dataset/augment';
import { ELASTIC, elasticExamples } from '../../core/dataset/elastic';
import { INPUT_SIZE, type AugmentName } from '../../core/network/spec';
import type { LabState } from '../../store/store';
import { DigitImage } from '../common/DigitImage';

const LAW: Readonly<Record<Exclude<AugmentName, 'none'>, string>> = {
  affine: `shifted up to ${AFFINE.shift} pixels, turned up to ${AFFINE.degrees}° and scaled by ${1 - AFFINE.scale} to ${1 + AFFINE.scale}`,
  elastic: `bent by smooth random fields (noise smoothed with σ ${ELASTIC.sigma} pixels, times ${ELASTIC.alpha})`,
};

/**
 * The gallery's images as the augmentation distorts them while training: one draw each of its
 * law, from the controls' seed (a run draws anew for every batch).
 */
export function AugmentedExamples({
  sample,
  augment,
  seed,
  name,
}: {
  sample: NonNullable<LabState['gallery']['sample']>;
  augment: Exclude<AugmentName, 'none'>;
  seed: number;
  name: (label: number | undefined) => string;
}) {
  const count = sample.indices.length;
  const warped = useMemo(
    () => (augment === 'affine' ? augmentedExamples : elasticExamples)(sample.images, count, seed),
    [augment, sample, count, seed],
  );
  return (
    <>
      <h3 className="small augmented-title">
        The same images as training sees them: {LAW[augment]}, one draw each (every batch draws anew).
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

import { useRef, useState } from 'react';
import { formatCount } from '../../core/network/params';
import { CLASS_NAMES, DATASET_LABELS, INPUT_SIZE } from '../../core/network/spec';
import { useActions, useConfig, useLabState } from '../../store/hooks';
import { AugmentedExamples } from './AugmentedExamples';
import type { LabState } from '../../store/store';
import { DigitImage } from '../common/DigitImage';
import { megabytes } from '../lib/format';

/** Random training images with their labels, like the figure that opens the article. */
export function Gallery() {
  const { gallery } = useLabState('gallery');
  const { newGallery } = useActions();
  const { augment, seed } = useConfig();
  const [open, setOpen] = useState<number | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  const sample = gallery.sample;
  const show = (i: number) => {
    setOpen(i);
    dialog.current?.showModal();
  };
  const names = CLASS_NAMES[gallery.dataset];
  const name = (label: number | undefined) => (label === undefined ? '' : (names[label] ?? String(label)));
  const big = open !== null && sample ? sample.images.subarray(open * INPUT_SIZE, (open + 1) * INPUT_SIZE) : null;

  return (
    <section className="panel" aria-labelledby="gallery-title">
      <h2 id="gallery-title">Training images</h2>
      <p className="buttons">
        <button type="button" data-testid="gallery-new" onClick={newGallery} disabled={gallery.status === 'loading'}>
          {sample ? 'Another random selection' : 'Show random training images'}
        </button>
        {gallery.status === 'loading' ? (
          <span className="small muted" role="status">
            {gallery.progress
              ? `Loading ${DATASET_LABELS[gallery.dataset]} ${gallery.progress.fromCache ? 'from the browser cache' : 'from the server'}: ${megabytes(gallery.progress.loaded)} of ${megabytes(gallery.progress.total)}`
              : `Loading ${DATASET_LABELS[gallery.dataset]}…`}
          </span>
        ) : null}
      </p>
      {gallery.status === 'error' ? (
        <p className="error" role="alert">
          Could not show training images. {gallery.message}
        </p>
      ) : null}
      {sample ? <GalleryList sample={sample} name={name} onShow={show} /> : null}
      {sample && augment !== 'none' ? (
        <AugmentedExamples sample={sample} augment={augment} seed={seed} name={name} />
      ) : null}
      <dialog
        ref={dialog}
        className="enlarged"
        onClose={() => setOpen(null)}
        aria-labelledby="enlarged-title"
        data-testid="gallery-enlarged"
      >
        {big && sample && open !== null ? (
          <>
            <h3 id="enlarged-title">
              Label {name(sample.labels[open])}{' '}
              <span className="small muted">
                · training image {formatCount((sample.indices[open] ?? 0) + 1)} of 60,000
              </span>
            </h3>
            <DigitImage pixels={big} size={280} label={`${name(sample.labels[open])}, enlarged`} />
          </>
        ) : null}
        <form method="dialog">
          <button type="submit" autoFocus>
            Close
          </button>
        </form>
      </dialog>
    </section>
  );
}

/** The images, each a button that shows it large. */
function GalleryList({
  sample,
  name,
  onShow,
}: {
  sample: NonNullable<LabState['gallery']['sample']>;
  name: (label: number | undefined) => string;
  onShow: (i: number) => void;
}) {
  return (
    <ul className="gallery" data-testid="gallery">
      {sample.indices.map((idx, i) => (
        <li key={`${idx}-${i}`}>
          <button
            type="button"
            data-testid="gallery-image"
            onClick={() => onShow(i)}
            aria-label={`Training image ${idx + 1}, label ${name(sample.labels[i])}: show it large`}
          >
            <DigitImage
              pixels={sample.images.subarray(i * INPUT_SIZE, (i + 1) * INPUT_SIZE)}
              size={56}
              label={name(sample.labels[i])}
            />
            <span className={`gallery-label${name(sample.labels[i]).length > 2 ? ' long' : ''}`}>
              {name(sample.labels[i])}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}

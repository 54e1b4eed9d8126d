/** The gallery of training images: random images of the controls' dataset, drawn on request. */
import { randomSeed } from '../../core/network/rng';
import type { DatasetName, TrainConfig } from '../../core/network/spec';
import type { LoadProgress, Sample, TrainingClient } from '../../worker/client';
import { errorMessage, type GetState, type SetState } from './slice';

/** Random training images for the gallery. */
export interface GalleryState {
  readonly status: 'idle' | 'loading' | 'ready' | 'error';
  readonly progress: LoadProgress | null;
  readonly sample: Sample | null;
  /** The dataset the shown images come from. */
  readonly dataset: DatasetName;
  readonly message: string | null;
}

/** How many images the gallery shows at a time. */
export const GALLERY_SIZE = 24;

export interface GalleryActions {
  /** Draws a new random selection of training images for the gallery. */
  newGallery(): void;
}

interface Host {
  readonly gallery: GalleryState;
  readonly config: Pick<TrainConfig, 'dataset'>;
}

export function createGallerySlice(
  set: SetState<Pick<Host, 'gallery'>>,
  get: GetState<Host>,
  deps: { readonly client: () => TrainingClient; readonly dataset: DatasetName },
): Pick<Host, 'gallery'> & GalleryActions {
  let request = 0;
  const update = (change: Partial<GalleryState>) => set((s) => ({ gallery: { ...s.gallery, ...change } }));
  return {
    gallery: { status: 'idle', progress: null, sample: null, dataset: deps.dataset, message: null },
    newGallery() {
      const mine = (
        (n) => () =>
          n === request
      )(++request); // a newer click wins
      const dataset = get().config.dataset;
      update({ status: 'loading', progress: null, message: null });
      deps
        .client()
        .sample(dataset, { split: 'train', count: GALLERY_SIZE, seed: randomSeed() }, (progress) => {
          if (mine()) update({ progress });
        })
        .then(
          (sample) => {
            if (mine()) set({ gallery: { status: 'ready', progress: null, sample, dataset, message: null } });
          },
          (e: unknown) => {
            if (mine()) update({ status: 'error', progress: null, message: errorMessage(e) });
          },
        );
    },
  };
}

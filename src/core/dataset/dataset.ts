/** Images as raw bytes, row-major [count, 784] in 0..255, and labels [count] in 0..9. */
export interface LabelledImages {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
}

/** A dataset as the lab uses it: the 60,000 training and 10,000 test images. */
export interface TrainData {
  readonly train: LabelledImages;
  readonly test: LabelledImages;
}

/** Keras's epsilon: probabilities are clipped to [1e-7, 1 - 1e-7] before the log. */
export const CLIP_EPSILON = 1e-7;

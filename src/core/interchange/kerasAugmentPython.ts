/**
 * The lab's affine augmentation and elastic distortions (core/dataset/augment.ts, elastic.ts) in
 * Keras: their laws (affine_transforms, elastic_fields, elastic_warp), a batch of each
 * (affine_batch, elastic_batch) and the layer that applies one while training (augment_layer).
 */
export const AUGMENT_PY = `def affine_transforms(u):
    """Each training image's transform (TensorFlow's 8-number convention) from uniform numbers u [n, 4] in
    [-1, 1), as the lab draws them: shifts of up to 2 pixels, a rotation of up to 10 degrees and a scale of
    0.9 to 1.1, about the image's centre."""
    import keras

    ops = keras.ops
    dx, dy = 2.0 * u[:, 0], 2.0 * u[:, 1]
    angle = (10.0 * math.pi / 180.0) * u[:, 2]
    scale = 1.0 + 0.1 * u[:, 3]
    cos, sin = ops.cos(angle) / scale, ops.sin(angle) / scale
    c = 13.5
    zero = ops.zeros_like(cos)
    return ops.stack([cos, sin, c - cos * (c + dx) - sin * (c + dy),
                      -sin, cos, c + sin * (c + dx) - cos * (c + dy), zero, zero], axis=1)


def affine_batch(x, generator):
    """A batch of flat images [n, 784], each warped by a fresh draw (bilinear, zeros outside)."""
    import keras

    ops = keras.ops
    u = keras.random.uniform((ops.shape(x)[0], 4), -1.0, 1.0, seed=generator)
    warped = ops.image.affine_transform(ops.reshape(x, (-1, 28, 28, 1)), affine_transforms(u),
                                        interpolation="bilinear", fill_mode="constant", fill_value=0)
    return ops.reshape(warped, (-1, 784))


def augment_layer(seed, distort):
    """A layer that distorts the training images with distort(x, generator) (affine_batch or elastic_batch),
    a fresh draw each batch from seed; at test it passes them through."""
    import keras

    class Augment(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.generator = keras.random.SeedGenerator(seed)

        def call(self, x, training=None):
            return distort(x, self.generator) if training else x

    return Augment()


def gaussian_taps(sigma=4.0):
    """The Gaussian from -4 sigma to 4 sigma, summing to 1."""
    import numpy as np

    radius = int(round(4 * sigma))
    taps = np.exp(-((np.arange(-radius, radius + 1)) ** 2) / (2 * sigma ** 2)).astype("float32")
    return taps / taps.sum()


def elastic_fields(noise):
    """Displacements [n, 28, 28, 2] (dx, dy) from noise [n, 28, 28, 2] uniform in [-1, 1], as the lab makes
    them: each channel convolved with a Gaussian of sigma 4 down then across (zeros beyond the image), times 34."""
    import keras
    import numpy as np

    ops = keras.ops
    taps = gaussian_taps()
    down = ops.convert_to_tensor(np.tile(taps.reshape(-1, 1, 1, 1), (1, 1, 2, 1)))
    across = ops.convert_to_tensor(np.tile(taps.reshape(1, -1, 1, 1), (1, 1, 2, 1)))
    smooth = ops.depthwise_conv(ops.depthwise_conv(noise, down, padding="same"), across, padding="same")
    return 34.0 * smooth


def elastic_warp(images, fields):
    """Images [n, 28, 28] read at (x + dx, y + dy), bilinear, zeros outside."""
    import keras

    ops = keras.ops
    n = ops.shape(images)[0]
    ys, xs = ops.meshgrid(ops.arange(28, dtype="float32"), ops.arange(28, dtype="float32"), indexing="ij")
    b = ops.broadcast_to(ops.reshape(ops.cast(ops.arange(n), "float32"), (-1, 1, 1)), (n, 28, 28))
    coordinates = [b, ys[None] + fields[..., 1], xs[None] + fields[..., 0]]
    return keras.ops.image.map_coordinates(images, coordinates, order=1, fill_mode="constant", fill_value=0)


def elastic_batch(x, generator):
    """A batch of flat images [n, 784], each bent by fresh elastic fields."""
    import keras

    ops = keras.ops
    noise = keras.random.uniform((ops.shape(x)[0], 28, 28, 2), -1.0, 1.0, seed=generator)
    return ops.reshape(elastic_warp(ops.reshape(x, (-1, 28, 28)), elastic_fields(noise)), (-1, 784))


`;

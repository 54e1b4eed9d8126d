#!/usr/bin/env python3
"""The lab's affine augmentation and elastic distortions in real Keras 3, from a generated script's own
affine_transforms, elastic_fields, elastic_warp and augment_layer (core/interchange/kerasAugmentPython.ts),
for tests/keras/augment.test.ts.

    python3 keras/augment_warp.py SCRIPT.py IN.json OUT.json

IN.json: {"images": [[784 floats] ...], "u": [[4 uniform numbers in [-1, 1)] per image], "seed": a seed,
          "noise": optional [[28 × 28 × 2 numbers in [-1, 1), (dx, dy) per pixel] per image]}
OUT.json: {"transforms": the script's transform of each u, "warped": each image warped by it with
           keras.ops.image.affine_transform (bilinear, zeros outside), "test": augment_layer(seed, affine_batch)'s
           output at test (training=False), "train": its output while training (training=True);
           with noise: "fields": elastic_fields of it, flat (dx, dy per pixel), "bent": each image warped by
           them with elastic_warp (map_coordinates), "elastic_test" and "elastic_train": augment_layer(seed,
           elastic_batch)'s outputs}
"""
import importlib.util
import json
import sys

import keras
import numpy as np


def main(path, src, dst):
    spec = importlib.util.spec_from_file_location("lab_script", path)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    with open(src) as f:
        case = json.load(f)
    x = np.asarray(case["images"], dtype="float32")
    u = np.asarray(case["u"], dtype="float32")
    transforms = script.affine_transforms(keras.ops.convert_to_tensor(u))
    warped = keras.ops.image.affine_transform(x.reshape(-1, 28, 28, 1), transforms, interpolation="bilinear",
                                              fill_mode="constant", fill_value=0)
    layer = script.augment_layer(case["seed"], script.affine_batch)
    out = {"transforms": np.asarray(transforms).tolist(), "warped": np.asarray(warped).reshape(len(x), 784).tolist(),
           "test": np.asarray(layer(x, training=False)).tolist(), "train": np.asarray(layer(x, training=True)).tolist()}
    if "noise" in case:
        # Elastic: the script's fields from the given noise [n, 28, 28, 2] and its warp of the images with them.
        noise = np.asarray(case["noise"], dtype="float32").reshape(len(x), 28, 28, 2)
        fields = script.elastic_fields(keras.ops.convert_to_tensor(noise))
        bent = script.elastic_warp(keras.ops.convert_to_tensor(x.reshape(-1, 28, 28)), fields)
        elastic = script.augment_layer(case["seed"], script.elastic_batch)
        out.update(fields=np.asarray(fields).reshape(len(x), -1).tolist(), bent=np.asarray(bent).reshape(len(x), 784).tolist(),
                   elastic_test=np.asarray(elastic(x, training=False)).tolist(),
                   elastic_train=np.asarray(elastic(x, training=True)).tolist())
    with open(dst, "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main(*sys.argv[1:4])

#!/usr/bin/env python3
"""One training step in real Keras 3, for the lab's tests to compare with (tests/keras/).

    python3 keras/one_step.py IN.json OUT.json

IN.json: a list of cases, each {"hidden": [[units, activation] or [units, activation, batch norm], ...], "l2": λ₂, "l1": λ₁, "maxnorm": c, "lr": learning rate,
          "optimizer": "sgd" or "adam", "loss": "ce" (categorical cross-entropy, the default) or "mse",
          "weights": [flat float lists: kernel, bias per Dense layer], "x": [[784 floats] ...], "y": [labels],
          "masks": optional dropout masks of the step, {"input": [batch × 784] or null, "hidden": [[batch × units] or null, ...]}}
          or a dropout law case {"law": {"rate": r, "shape": [rows, columns]}}
          or an early stopping case {"early": {"patience": p, "monitor": "val_loss" or "val_accuracy", "series": [values]}}
OUT.json: a list of results, one per case, each {"evaluate_before": the loss model.evaluate reports before the step,
           "loss": what train_on_batch reports for the step,
           "evaluate_after": the loss model.evaluate reports after it,
           "weights": the weights after the step, flat, in the same order}
          or, for a law case, {"zeros": the share of keras.layers.Dropout(r)'s outputs of ones that are 0 at training,
          "kept": its distinct other values, "test_identity": whether it returns its input unchanged at test}
          or, for an early stopping case, {"epochs_run": epochs trained, "stopped": the 1-based epoch it stopped
          after or null, "restored": the 1-based epoch whose weights the model ends with}
A hidden layer with batch norm is Dense(units, use_bias=False), BatchNormalization() (Keras's
defaults: momentum 0.99, epsilon 1e-3) and Activation; its weights are the kernel, then γ, β, the
moving mean and the moving variance. Dense layers with kernel_regularizer=L1L2(λ₁, λ₂) and kernel_constraint=MaxNorm(c) (none where
0), a softmax output, categorical
cross-entropy or mean_squared_error (on one-hot labels), keras.optimizers.SGD(lr) or Adam(lr, epsilon=1e-7). Nothing is downloaded: the images come in IN.json.
"""
import json
import sys

import keras
import numpy as np


class FixedMask(keras.layers.Layer):
    """Dropout with a given mask: the mask times the input while training, the input itself at test."""

    def __init__(self, mask):
        super().__init__()
        self.mask = np.asarray(mask, dtype="float32")

    def call(self, x, training=None):
        return x * keras.ops.convert_to_tensor(self.mask) if training else x


def law(d):
    """keras.layers.Dropout(rate) on ones: the share of zeros and the other values at training; identity at test."""
    rate, shape = d["rate"], d["shape"]
    layer = keras.layers.Dropout(rate, seed=1)
    ones = np.ones(shape, dtype="float32")
    out = np.asarray(layer(ones, training=True))
    test = np.asarray(layer(ones, training=False))
    return {"zeros": float(np.mean(out == 0)), "kept": sorted(set(out[out != 0].tolist())),
            "test_identity": bool(np.array_equal(test, ones))}


def early(d):
    """keras.callbacks.EarlyStopping(restore_best_weights=True) over a recorded validation series: the
    weights at epoch e are all e, so the weights it leaves say which epoch it restored."""
    model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])
    mode = "min" if d["monitor"] == "val_loss" else "max"  # what mode="auto" picks for each (Keras's own tests)
    callback = keras.callbacks.EarlyStopping(monitor=d["monitor"], patience=d["patience"], mode=mode,
                                             restore_best_weights=True)
    callback.set_model(model)
    model.stop_training = False
    callback.on_train_begin()
    run = 0
    for e, value in enumerate(d["series"]):
        model.set_weights([np.full((1, 1), e + 1, dtype="float32"), np.zeros(1, dtype="float32")])
        run = e + 1
        callback.on_epoch_end(e, {d["monitor"]: value})
        if model.stop_training:
            break
    callback.on_train_end()
    return {"epochs_run": run, "stopped": callback.stopped_epoch + 1 if callback.stopped_epoch > 0 else None,
            "restored": int(model.get_weights()[0][0, 0])}


def step(d):
    if "law" in d:
        return law(d["law"])
    if "early" in d:
        return early(d["early"])
    l1, l2, c = d.get("l1", 0), d.get("l2", 0), d.get("maxnorm", 0)
    masks = d.get("masks") or {}
    hidden_masks = masks.get("hidden") or []
    batch = len(d["y"])
    dense = dict(kernel_regularizer=keras.regularizers.L1L2(l1=l1, l2=l2) if (l1 or l2) else None,
                 kernel_constraint=keras.constraints.MaxNorm(max_value=c, axis=0) if c else None)
    layers = [keras.Input(shape=(784,))]
    if masks.get("input") is not None:
        layers.append(FixedMask(np.reshape(masks["input"], (batch, 784))))
    for i, (units, activation, *bn) in enumerate(d["hidden"]):
        if bn and bn[0]:
            layers += [keras.layers.Dense(units, use_bias=False, **dense), keras.layers.BatchNormalization(),
                       keras.layers.Activation(activation)]
        else:
            layers.append(keras.layers.Dense(units, activation=activation, **dense))
        if i < len(hidden_masks) and hidden_masks[i] is not None:
            layers.append(FixedMask(np.reshape(hidden_masks[i], (batch, units))))
    layers.append(keras.layers.Dense(10, activation="softmax", **dense))
    model = keras.Sequential(layers)
    shapes = [w.shape for w in model.get_weights()]
    model.set_weights([np.asarray(w, dtype="float32").reshape(s) for w, s in zip(d["weights"], shapes)])
    if d.get("optimizer", "sgd") == "adam":
        optimizer = keras.optimizers.Adam(learning_rate=d["lr"], epsilon=1e-7)
    else:
        optimizer = keras.optimizers.SGD(learning_rate=d["lr"])
    loss = {"ce": "categorical_crossentropy", "mse": "mean_squared_error"}[d.get("loss", "ce")]
    model.compile(optimizer=optimizer, loss=loss)
    x = np.asarray(d["x"], dtype="float32").reshape(-1, 784)
    y = keras.utils.to_categorical(np.asarray(d["y"]), 10)
    before = float(model.evaluate(x, y, batch_size=len(x), verbose=0))
    loss = float(model.train_on_batch(x, y))
    after = float(model.evaluate(x, y, batch_size=len(x), verbose=0))
    return {"evaluate_before": before, "loss": loss, "evaluate_after": after,
            "weights": [w.reshape(-1).tolist() for w in model.get_weights()]}


def main(src, dst):
    json.dump([step(d) for d in json.load(open(src))], open(dst, "w"))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

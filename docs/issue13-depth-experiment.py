#!/usr/bin/env python3
"""Experiment 2: Depth: MLP Lab runs as a Keras 3 script.

Trains the same networks as the lab: Dense layers with the lab's initialiser on every kernel
(zero biases), softmax output, categorical cross-entropy, the same optimizer, learning rate,
batch size, epochs and validation split (the last fraction of the training images, held out
before shuffling, as Keras does), and writes the lab's run export ('mlp-lab-runs' JSON), which
the lab imports.

    python3 this.py                          # every run, one after another, into results.json
    python3 this.py --config w32d4 --seed 2  # one run (a Slurm array task, a Ray task)
    python3 this.py --merge out/*.json -o results.json

One difference: the lab's Fashion-MNIST uses its own train/test split of the 70,000 images;
keras.datasets.fashion_mnist gives the original split, so Fashion-MNIST numbers are close, not equal.
MNIST is the same 60,000/10,000 split. Seeds give repeatable runs within Keras, not the lab's
weights: the lab draws them with its own generator.
"""
import argparse
import glob
import json
import math
import os
import sys
import time

RUNS = json.loads(r"""[
 {
  "key": "w32d1",
  "seed": 1,
  "query": "v=1&layers=32&act=sigmoid&epochs=5&batch=128&lr=0.01&opt=sgd&val=0.1&pre=raw&seed=1&data=mnist&backend=auto",
  "params": 25450,
  "tag": {
   "experiment": "depth",
   "key": "w32d1",
   "repeat": 1,
   "quick": false
  },
  "config": {
   "layers": [
    {
     "units": 32,
     "activation": "sigmoid"
    }
   ],
   "epochs": 5,
   "batchSize": 128,
   "learningRate": 0.01,
   "optimizer": "sgd",
   "validationSplit": 0.1,
   "preprocessing": "raw",
   "seed": 1,
   "dataset": "mnist",
   "backend": "auto",
   "subset": null,
   "init": "glorot_uniform"
  }
 },
 {
  "key": "w32d2",
  "seed": 1,
  "query": "v=1&layers=32,32&act=sigmoid&epochs=5&batch=128&lr=0.01&opt=sgd&val=0.1&pre=raw&seed=1&data=mnist&backend=auto",
  "params": 26506,
  "tag": {
   "experiment": "depth",
   "key": "w32d2",
   "repeat": 1,
   "quick": false
  },
  "config": {
   "layers": [
    {
     "units": 32,
     "activation": "sigmoid"
    },
    {
     "units": 32,
     "activation": "sigmoid"
    }
   ],
   "epochs": 5,
   "batchSize": 128,
   "learningRate": 0.01,
   "optimizer": "sgd",
   "validationSplit": 0.1,
   "preprocessing": "raw",
   "seed": 1,
   "dataset": "mnist",
   "backend": "auto",
   "subset": null,
   "init": "glorot_uniform"
  }
 },
 {
  "key": "w32d3",
  "seed": 1,
  "query": "v=1&layers=32,32,32&act=sigmoid&epochs=5&batch=128&lr=0.01&opt=sgd&val=0.1&pre=raw&seed=1&data=mnist&backend=auto",
  "params": 27562,
  "tag": {
   "experiment": "depth",
   "key": "w32d3",
   "repeat": 1,
   "quick": false
  },
  "config": {
   "layers": [
    {
     "units": 32,
     "activation": "sigmoid"
    },
    {
     "units": 32,
     "activation": "sigmoid"
    },
    {
     "units": 32,
     "activation": "sigmoid"
    }
   ],
   "epochs": 5,
   "batchSize": 128,
   "learningRate": 0.01,
   "optimizer": "sgd",
   "validationSplit": 0.1,
   "preprocessing": "raw",
   "seed": 1,
   "dataset": "mnist",
   "backend": "auto",
   "subset": null,
   "init": "glorot_uniform"
  }
 },
 {
  "key": "w32d4",
  "seed": 1,
  "query": "v=1&layers=32,32,32,32&act=sigmoid&epochs=5&batch=128&lr=0.01&opt=sgd&val=0.1&pre=raw&seed=1&data=mnist&backend=auto",
  "params": 28618,
  "tag": {
   "experiment": "depth",
   "key": "w32d4",
   "repeat": 1,
   "quick": false
  },
  "config": {
   "layers": [
    {
     "units": 32,
     "activation": "sigmoid"
    },
    {
     "units": 32,
     "activation": "sigmoid"
    },
    {
     "units": 32,
     "activation": "sigmoid"
    },
    {
     "units": 32,
     "activation": "sigmoid"
    }
   ],
   "epochs": 5,
   "batchSize": 128,
   "learningRate": 0.01,
   "optimizer": "sgd",
   "validationSplit": 0.1,
   "preprocessing": "raw",
   "seed": 1,
   "dataset": "mnist",
   "backend": "auto",
   "subset": null,
   "init": "glorot_uniform"
  }
 }
]""")


def load(dataset, preprocessing, subset):
    import keras
    import numpy as np

    source = keras.datasets.mnist if dataset == "mnist" else keras.datasets.fashion_mnist
    (x, y), (xt, yt) = source.load_data()
    x = x.reshape(-1, 784).astype("float32")
    xt = xt.reshape(-1, 784).astype("float32")
    if preprocessing == "scaled":
        x, xt = x / 255.0, xt / 255.0
    if subset:
        x, y = x[:subset], y[:subset]
    return x, keras.utils.to_categorical(y, 10), xt, keras.utils.to_categorical(yt, 10), np


def optimizer(name, lr):
    import keras

    if name == "sgd":
        return keras.optimizers.SGD(learning_rate=lr)
    if name == "momentum":
        return keras.optimizers.SGD(learning_rate=lr, momentum=0.9)
    if name == "adam":
        return keras.optimizers.Adam(learning_rate=lr, epsilon=1e-7)
    if name == "rmsprop":
        return keras.optimizers.RMSprop(learning_rate=lr, rho=0.9, epsilon=1e-7)
    raise ValueError("unknown optimizer " + name)


def train(run):
    import keras

    c = run["config"]
    keras.utils.set_random_seed(run["seed"])
    x, y, xt, yt, np = load(c["dataset"], c["preprocessing"], c["subset"])
    layers = [keras.Input(shape=(784,))]
    for layer in c["layers"]:
        layers.append(keras.layers.Dense(layer["units"], activation=layer["activation"], kernel_initializer=c["init"], bias_initializer="zeros"))
    layers.append(keras.layers.Dense(10, activation="softmax", kernel_initializer=c["init"], bias_initializer="zeros"))
    model = keras.Sequential(layers)
    model.compile(optimizer=optimizer(c["optimizer"], c["learningRate"]), loss="categorical_crossentropy", metrics=["accuracy"])
    epochs, started, last = [], time.time(), time.time()

    class Log(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            nonlocal last
            logs = logs or {}
            now = time.time()
            epochs.append({"epoch": epoch + 1, "loss": float(logs["loss"]), "acc": float(logs["accuracy"]),
                           "valLoss": float(logs["val_loss"]) if "val_loss" in logs else None,
                           "valAcc": float(logs["val_accuracy"]) if "val_accuracy" in logs else None,
                           "seconds": now - last})
            last = now

    model.fit(x, y, batch_size=c["batchSize"], epochs=c["epochs"], validation_split=c["validationSplit"], shuffle=True, verbose=2, callbacks=[Log()])
    test_loss, test_acc = model.evaluate(xt, yt, verbose=0)
    val_count = int(len(x) * c["validationSplit"])
    return {
        "id": "keras-%s-seed%d-%d" % (run["key"], run["seed"], int(started)),
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "query": run["query"],
        "config": c,
        "tag": run["tag"],
        "status": "done",
        "params": run["params"],
        "backend": "keras-" + keras.__version__ + "-" + keras.backend.backend(),
        "ranOn": "keras",
        "trainCount": len(x) - val_count,
        "valCount": val_count,
        "testLoss": float(test_loss),
        "testAcc": float(test_acc),
        "error": None,
        "epochs": epochs,
    }


def finite(x):
    """JSON has no NaN or Infinity: a diverged loss is written as a string, as the lab writes it."""
    if isinstance(x, float) and not math.isfinite(x):
        return "NaN" if math.isnan(x) else ("Infinity" if x > 0 else "-Infinity")
    if isinstance(x, dict):
        return {k: finite(v) for k, v in x.items()}
    if isinstance(x, list):
        return [finite(v) for v in x]
    return x


def document(runs):
    return finite({"format": "mlp-lab-runs", "version": 1, "exportedAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "runs": runs})


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", help="run only this config key (one of: %s)" % ", ".join(sorted({r["key"] for r in RUNS})))
    parser.add_argument("--seed", type=int, help="run only this seed (an experiment's repeats are seeds 1, 2, ...)")
    parser.add_argument("--out", default=".", help="folder for the per-run JSON files")
    parser.add_argument("--merge", nargs="+", metavar="FILE", help="merge per-run JSON files into one (with -o)")
    parser.add_argument("-o", "--output", default="results.json", help="where the merged or full results go")
    args = parser.parse_args()
    if args.merge:
        runs = []
        for pattern in args.merge:
            for name in sorted(glob.glob(pattern)) or [pattern]:
                with open(name) as f:
                    runs.extend(json.load(f)["runs"])
        with open(args.output, "w") as f:
            json.dump(document(runs), f, indent=2, allow_nan=False)
        print("merged %d runs into %s" % (len(runs), args.output))
        return 0
    chosen = [r for r in RUNS if (args.config is None or r["key"] == args.config) and (args.seed is None or r["seed"] == args.seed)]
    if not chosen:
        print("no run matches --config %s --seed %s" % (args.config, args.seed), file=sys.stderr)
        return 2
    if args.config is not None or args.seed is not None:
        os.makedirs(args.out, exist_ok=True)
        for run in chosen:
            name = os.path.join(args.out, "%s-seed%d.json" % (run["key"], run["seed"]))
            with open(name, "w") as f:
                json.dump(document([train(run)]), f, indent=2, allow_nan=False)
            print("wrote " + name)
        return 0
    with open(args.output, "w") as f:
        json.dump(document([train(run) for run in chosen]), f, indent=2, allow_nan=False)
    print("wrote %s (%d runs)" % (args.output, len(chosen)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

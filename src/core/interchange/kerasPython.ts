/**
 * The fixed Python of the Keras script (kerasScript.ts), section by section: reading the data,
 * training one run as the lab does, and the command line (all runs, one run, or --merge). Nothing
 * here depends on the runs; the script embeds those before these sections.
 */

/** read_idx, keras_backend and load: the four IDX files (or keras.datasets), preprocessed as the lab does. */
export const DATA_PY = `def read_idx(folder, name, np):
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


`;

/**
 * rate_schedule and one_cycle: the run's learning rate, or its schedule as Keras's own
 * (core/network/schedule.ts says which and why each matches the lab's), one-cycle as a class.
 */
export const SCHEDULE_PY = `def one_cycle(max_lr, total):
    """One-cycle (Smith 2018) as PyTorch's OneCycleLR with its defaults (two phases, cosine, no
    momentum cycling): from max_lr/25 up to max_lr over the first 30 % of the steps, then down to
    max_lr/250,000 at the last step."""
    import keras
    from keras import ops

    class OneCycle(keras.optimizers.schedules.LearningRateSchedule):
        def __call__(self, step):
            step = ops.cast(step, "float32")
            initial, peak = max_lr / 25.0, 0.3 * total - 1.0

            def anneal(start, end, pct):
                return end + (start - end) / 2.0 * (ops.cos(math.pi * pct) + 1.0)

            up = anneal(initial, max_lr, step / peak)
            down = anneal(max_lr, initial / 1e4, (step - peak) / (total - 1.0 - peak))
            return ops.where(step <= peak, up, down)

        def get_config(self):
            return {"max_lr": max_lr, "total": total}

    return OneCycle()


def rate_schedule(c, train_count):
    """The run's learning rate, or its schedule (the rate of update i is schedule(i))."""
    import keras

    lr, name = c["learningRate"], c.get("schedule", "const")
    per_epoch = math.ceil(train_count / c["batchSize"])
    total = c["epochs"] * per_epoch
    warm = min(int(c.get("warmup", 0)), c["epochs"] - 1) * per_epoch if name in ("const", "cos") else 0
    if name == "const" and not warm:
        return lr
    s = keras.optimizers.schedules
    if name == "const":
        return s.CosineDecay(0.0, total - warm, alpha=1.0, warmup_target=lr, warmup_steps=warm)
    if name == "cos":
        return s.CosineDecay(0.0, total - warm, warmup_target=lr, warmup_steps=warm) if warm else s.CosineDecay(lr, total)
    if name == "step":
        b0, b1 = max(0, math.floor(total * 0.5) - 1), max(0, math.floor(total * 0.75) - 1)
        return s.PiecewiseConstantDecay([b0, b1], [lr, lr * 0.1, lr * 0.1 * 0.1])
    if name == "exp":
        return s.ExponentialDecay(lr, decay_steps=total, decay_rate=0.01)
    if name == "onecycle":
        return one_cycle(lr, total)
    raise ValueError("unknown schedule " + name)


`;

/**
 * build and train: one run's network, as the lab builds it (a layer with batch normalization is
 * Dense without bias, BatchNormalization with Keras's defaults, then the activation), and its
 * training, into the lab's run record.
 */
export const TRAIN_PY = `def build(c, seed):
    """The run's network: augmentation, dropout and batch normalization where the config has them."""
    import keras

    layers = [keras.Input(shape=(784,))]
    l1, l2, max_norm = c.get("l1", 0), c.get("l2", 0), c.get("maxNorm", 0)
    dense = dict(kernel_initializer=c["init"], bias_initializer="zeros",
                 kernel_regularizer=keras.regularizers.L1L2(l1=l1, l2=l2) if (l1 or l2) else None,
                 kernel_constraint=keras.constraints.MaxNorm(max_value=max_norm, axis=0) if max_norm else None)
    if c.get("augment", "none") != "none":
        layers.append(augment_layer(seed, affine_batch if c["augment"] == "affine" else elastic_batch))
    if c.get("inputDropout", 0):
        layers.append(keras.layers.Dropout(c["inputDropout"]))
    for layer in c["layers"]:
        if layer.get("batchNorm"):
            # beta does a bias's work: a bias before the normalization would be subtracted again.
            layers += [keras.layers.Dense(layer["units"], use_bias=False, **dense),
                       keras.layers.BatchNormalization(), keras.layers.Activation(layer["activation"])]
        else:
            layers.append(keras.layers.Dense(layer["units"], activation=layer["activation"], **dense))
        if layer.get("dropout", 0):
            layers.append(keras.layers.Dropout(layer["dropout"]))
    layers.append(keras.layers.Dense(10, activation="softmax", **dense))
    return keras.Sequential(layers)


def train(run):
    keras_backend()
    import keras

    c = run["config"]
    keras.utils.set_random_seed(run["seed"])
    x, y, xt, yt, np = load(c["dataset"], c["preprocessing"], c["subset"])
    model = build(c, run["seed"])
    val_count = int(len(x) * c["validationSplit"])
    rate = rate_schedule(c, len(x) - val_count)
    loss = {"ce": "categorical_crossentropy", "mse": "mean_squared_error"}[c.get("loss", "ce")]
    model.compile(optimizer=optimizer(c["optimizer"], rate), loss=loss, metrics=["accuracy"])
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

    callbacks = [Log()]
    if c.get("earlyPatience") is not None:
        callbacks.append(keras.callbacks.EarlyStopping(monitor=c.get("earlyMonitor", "val_loss"), patience=c["earlyPatience"], restore_best_weights=True))
    model.fit(x, y, batch_size=c["batchSize"], epochs=c["epochs"], validation_split=c["validationSplit"], shuffle=True, verbose=2, callbacks=callbacks)
    test_loss, test_acc = model.evaluate(xt, yt, verbose=0)
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


`;

/** finite, document and main: the JSON written, and the command line. */
export const MAIN_PY = `def finite(x):
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
    keys = ", ".join(sorted({r["key"] for r in RUNS})).replace("%", "%%")
    parser.add_argument("--config", help="run only this config key (one of: %s)" % keys)
    parser.add_argument("--seed", type=int, help="run only this seed (an experiment's repeats are seeds 1, 2, ...)")
    parser.add_argument("--task", type=int, metavar="N", help="run only the Nth run (0-based; %d runs): a Slurm array's $SLURM_ARRAY_TASK_ID" % len(RUNS))
    parser.add_argument("--data", metavar="DIR", help="folder with the four MNIST IDX files (else keras.datasets downloads them)")
    parser.add_argument("--out", default=".", help="folder for the per-run JSON files")
    parser.add_argument("--merge", nargs="+", metavar="FILE", help="merge per-run JSON files into one (with -o)")
    parser.add_argument("-o", "--output", default="results.json", help="where the merged or full results go")
    parser.add_argument("--ray", nargs="?", const="local", metavar="ADDRESS", help="every chosen run as a Ray task, merged into -o: on a local Ray cluster, or on the one at ADDRESS (auto: the cluster this machine belongs to)")
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
    if args.task is not None:
        if not 0 <= args.task < len(chosen):
            print("--task %d: there are %d runs, 0 to %d" % (args.task, len(chosen), len(chosen) - 1), file=sys.stderr)
            return 2
        chosen = [chosen[args.task]]
    if not chosen:
        print("no run matches --config %s --seed %s" % (args.config, args.seed), file=sys.stderr)
        return 2
    if args.ray is not None:
        with open(args.output, "w") as f:
            json.dump(document(ray_runs(chosen, args.ray)), f, indent=2, allow_nan=False)
        print("wrote %s (%d runs, trained as Ray tasks)" % (args.output, len(chosen)))
        return 0
    if args.config is not None or args.seed is not None or args.task is not None:
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

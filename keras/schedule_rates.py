#!/usr/bin/env python3
"""The learning rate of every update of a run in real Keras 3, from a generated script's own
rate_schedule (the lab's Keras script, core/interchange/kerasPython.ts), for tests/keras/schedule.test.ts.

    python3 keras/schedule_rates.py SCRIPT.py IN.json OUT.json

IN.json: a list of cases, each {"config": a run's config as the lab writes it, "train_count": its
         training images, "steps": how many updates to make}.
OUT.json: a list of lists: for each case, the rate keras.optimizers.SGD used for each update (the
          variable is set to 0 before each update with gradient 1, so -variable after it is the rate).
"""
import importlib.util
import json
import sys

import keras
import numpy as np


def rates(script, case):
    optimizer = keras.optimizers.SGD(learning_rate=script.rate_schedule(case["config"], case["train_count"]))
    w = keras.Variable(np.zeros((1,), dtype="float32"))
    one = np.ones((1,), dtype="float32")
    out = []
    for _ in range(case["steps"]):
        w.assign(np.zeros((1,), dtype="float32"))
        optimizer.apply([one], [w])
        out.append(-float(np.asarray(w)[0]))
    return out


def main(path, src, dst):
    spec = importlib.util.spec_from_file_location("lab_script", path)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    with open(src) as f:
        cases = json.load(f)
    with open(dst, "w") as f:
        json.dump([rates(script, case) for case in cases], f)


if __name__ == "__main__":
    main(*sys.argv[1:4])

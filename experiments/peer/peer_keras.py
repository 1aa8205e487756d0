#!/usr/bin/env python3
"""The seed's plain and residual nets in Keras 3 on TensorFlow: the seed's own framework as a peer.

`depthsweep bench --peer keras` (or `keras-xla`) runs it on the same models and threads and
prints the ratio of the two training rates:

    python peer_keras.py bench 50 residual --batches 20 --threads 2 [--jit]

prints one line ending in `train_images_per_s RATE`: training steps (`train_on_batch`) on random
batches of 150 images, timed after two untimed steps; `--jit` compiles the step with XLA.

    python peer_keras.py train 12 plain --seed 0 --epochs 25 --out DIR

trains on the real Fashion-MNIST as the seed does, records every epoch's test accuracy in
DIR/epochs.json and the end in DIR/result.json, and resumes after a kill from Keras's own
BackupAndRestore (DIR/backup) when the same command runs again. `params 12 plain` prints the
parameter count. Needs TensorFlow 2.21 (CPU): `scripts/venv.sh keras` makes a venv with it.

The nets are written as the seed writes them (docs/protocol.md): the functional API; 2x2
convolutions with `padding='same'` and ReLU, each followed by BatchNorm (Keras's defaults); four
stages of 32 to 256 channels, each ending in a 2x2 max-pool; the residual variant adds one
shortcut per stage; dropout 0.5, flatten, a dense softmax of 10; Keras 2's `Adam(lr=1e-4,
decay=1e-6)` as Keras 3 spells it.
"""

import argparse
import gzip
import json
import os
import platform
import time
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402

WIDTHS = (32, 64, 128, 256)
BATCH = 150
DATA = Path("/usr/share/datasets/fashion-mnist")


def stage_sizes(depth):
    """Convolutions per stage: depth // 4 each, the first depth % 4 stages one more."""
    return [depth // 4 + (1 if stage < depth % 4 else 0) for stage in range(4)]


def conv_bn(x, width):
    """The seed's unit: a 2x2 convolution with ReLU, then BatchNorm."""
    x = layers.Conv2D(width, 2, padding="same", activation="relu")(x)
    return layers.BatchNormalization()(x)


def build(depth, variant, jit=False):
    """The compiled model: stages of units, shortcuts in the residual variant, the head."""
    inputs = keras.Input(shape=(28, 28, 1))
    x = inputs
    for index, units in enumerate(stage_sizes(depth)):
        width = WIDTHS[index]
        if index == 0:  # the stem: its output is what stage 1's shortcut carries
            x = conv_bn(x, width)
            units -= 1
        y = x
        for _ in range(units):
            y = conv_bn(y, width)
        if variant == "residual":
            shortcut = x if index == 0 else layers.Conv2D(width, 1, activation="relu")(x)
            y = layers.Add()([y, shortcut])
        x = layers.MaxPooling2D(2)(y)
    x = layers.Flatten()(layers.Dropout(0.5)(x))
    outputs = layers.Dense(10, activation="softmax")(x)
    model = keras.Model(inputs, outputs, name=f"{variant}-{depth}")
    # Keras 2's Adam(lr=1e-4, decay=1e-6): the step-t rate is 1e-4 / (1 + 1e-6 t)
    rate = keras.optimizers.schedules.InverseTimeDecay(1e-4, decay_steps=1, decay_rate=1e-6)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=rate, epsilon=1e-7),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"],
                  jit_compile=jit)
    return model


def versions():
    return f"keras {keras.__version__}/tf {tf.__version__}"


def machine():
    """The CPU as /proc/cpuinfo names it (family and model tell VMs of one name apart), and cores."""
    fields = {}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            fields.setdefault(key.strip(), value.strip())
    except OSError:
        pass
    name = fields.get("model name", platform.processor() or platform.machine())
    family = f" (family {fields['cpu family']} model {fields['model']})" if "cpu family" in fields else ""
    return f"{name}{family}, {os.cpu_count()} cores"


def bench(args):
    model = build(args.depth, args.variant, args.jit)
    rng = np.random.default_rng(0)

    def step():
        images = rng.random((BATCH, 28, 28, 1), dtype=np.float32)
        labels = rng.integers(0, 10, BATCH)
        start = time.perf_counter()
        model.train_on_batch(images, labels)  # returns the loss: the step has finished
        return time.perf_counter() - start

    for _ in range(2):  # the first traces (and with --jit compiles) the step
        step()
    seconds = sum(step() for _ in range(args.batches))
    name = "keras-xla" if args.jit else "keras"
    print(f"peer {name} {keras.__version__}/tf {tf.__version__} {args.variant}-{args.depth}"
          f" params {model.count_params()} threads {args.threads}"
          f" train_images_per_s {args.batches * BATCH / seconds:.1f}", flush=True)


def read_idx(name):
    """One of Zalando's gzipped IDX files as an array."""
    with gzip.open(DATA / name) as file:
        data = file.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(usage, limit):
    images = read_idx(f"{usage}-images-idx3-ubyte.gz")[:limit]
    labels = read_idx(f"{usage}-labels-idx1-ubyte.gz")[:limit]
    return (images.astype(np.float32) / 255)[..., None], labels.astype(np.int64)


def write_json(path, value):
    """Writes PATH whole or not at all: a kill leaves the old file or the new one."""
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(value, indent=2) + "\n")
    os.replace(temporary, path)


class EpochRecord(keras.callbacks.Callback):
    """After each epoch: the test accuracy, appended to DIR/epochs.json with the train figures."""

    def __init__(self, path, test):
        super().__init__()
        self.path, self.test = path, test
        self.epochs = json.loads(path.read_text()) if path.exists() else []

    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.perf_counter()
        print(f"epoch {epoch + 1} begins", flush=True)

    def on_epoch_end(self, epoch, logs=None):
        loss, accuracy = self.model.evaluate(*self.test, batch_size=1000, verbose=0)
        # an epoch redone after a kill between this write and the backup replaces its record
        record = {"epoch": epoch + 1, "steps": int(self.model.optimizer.iterations),
                  "train_loss": float(logs["loss"]), "train_accuracy": float(logs["accuracy"]),
                  "test_loss": float(loss), "test_accuracy": float(accuracy),
                  "seconds": time.perf_counter() - self.start}
        self.epochs = [e for e in self.epochs if e["epoch"] != epoch + 1] + [record]
        write_json(self.path, self.epochs)
        print(f"epoch {epoch + 1} test_accuracy {accuracy:.4f}", flush=True)


def train(args):
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    keras.utils.set_random_seed(args.seed)
    train_set, test_set = load("train", args.train_limit), load("t10k", args.test_limit)
    model = build(args.depth, args.variant)
    record = EpochRecord(out / "epochs.json", test_set)
    # The record first: a kill after it but before the backup redoes (and re-records) the epoch.
    # The backup stays after the last epoch, so a longer --epochs later carries on from it.
    backup = keras.callbacks.BackupAndRestore(str(out / "backup"), double_checkpoint=True,
                                                delete_checkpoint=False)
    model.fit(*train_set, batch_size=BATCH, epochs=args.epochs, shuffle=True, verbose=0,
              callbacks=[record, backup])
    epochs = [e for e in record.epochs if e["epoch"] <= args.epochs]
    accuracies = [e["test_accuracy"] for e in epochs]
    write_json(out / "result.json", {
        "peer": "keras", "versions": versions(), "variant": args.variant, "depth": args.depth,
        "params": model.count_params(), "seed": args.seed, "epochs": len(epochs),
        "final_test_accuracy": accuracies[-1], "best_test_accuracy": max(accuracies),
        "seconds": sum(e["seconds"] for e in epochs), "machine": machine(),
        "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})
    print(f"peer keras {args.variant}-{args.depth} seed {args.seed} epochs {len(epochs)}"
          f" final_test_accuracy {accuracies[-1]:.4f}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["bench", "train", "params"])
    parser.add_argument("depth", type=int, help="2x2 convolutions, 4 or more")
    parser.add_argument("variant", choices=["plain", "residual"])
    parser.add_argument("--batches", type=int, default=20, help="bench: timed steps")
    parser.add_argument("--threads", type=int, default=2,
                        help="TensorFlow's intra-op and inter-op threads")
    parser.add_argument("--jit", action="store_true", help="bench: compile the step with XLA")
    parser.add_argument("--seed", type=int, default=0, help="train: keras.utils.set_random_seed")
    parser.add_argument("--epochs", type=int, default=25, help="train: epochs in all")
    parser.add_argument("--out", help="train: folder for epochs.json, result.json, backup/")
    parser.add_argument("--train-limit", type=int, help="train: first N training images only")
    parser.add_argument("--test-limit", type=int, help="train: first M test images only")
    args = parser.parse_args()
    if args.depth < 4:
        parser.error("depth must be at least 4: one convolution per stage")
    if args.command == "train" and not args.out:
        parser.error("train needs --out DIR")
    # Before anything runs: TensorFlow fixes its thread pools on first use. Both pools get
    # --threads, as depthsweep's PyTorch gets for its intra- and inter-op pools and TensorFlow's
    # default gives on a 2-core machine; one inter-op thread slowed fit by up to 1.7x and
    # train_on_batch by 1-6% (docs/results/speed.md, "TensorFlow's inter-op threads").
    tf.config.threading.set_intra_op_parallelism_threads(args.threads)
    tf.config.threading.set_inter_op_parallelism_threads(args.threads)
    if args.command == "params":
        model = build(args.depth, args.variant)
        print(f"{args.variant}-{args.depth} params {model.count_params()}")
    else:
        (bench if args.command == "bench" else train)(args)


if __name__ == "__main__":
    main()

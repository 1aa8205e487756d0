"""Writes a small run folder whose TensorBoard files follow docs' contract (notes/tb-spec.md), with
TensorBoard's own pure-Python writer, so that tensorboard_check.py can be tried without the Java
writer; and, with --fault, the same folder with one known defect, which the checks must reject.

    python tensorboard_fake.py RUNDIR CELL.json... [--fault KIND]

Each source cell JSON (e.g. docs/results/paper/cells/plain-12-seed0.json) is cut to a short
protocol: 2 epochs of 10 steps (1450 images in batches of 150: the last batch is short). The
first cell stays finished; the second, if any, fails after 15 steps (1 epoch) and has neither
precise-BN accuracies nor resident memory. Two PNGs from beside the first JSON's cells folder go
into RUNDIR and RUNDIR/tensorboard/plots.

Faults (each in the first cell's file unless said otherwise):
  wrong-value     train/loss at step 7 is off by one float32 ulp
  missing-step    no event for step 7
  duplicate-step  step 7's event twice
  corrupt-byte    one byte of a record in the middle of the file flipped (a CRC mismatch)
  truncated       the file cut in the middle of its last record
  wrong-hparam    hparam depth is 13
  epoch-step      the epoch-1 event at step 9 instead of 10
  two-files       a second, older events file in the cell's folder
  histogram       one count of weights/stage1 at epoch 2 off by one
"""

import argparse
import json
import math
import os
import pathlib
import shutil
import sys
import time

import numpy as np
from tensorboard.compat.proto import event_pb2, summary_pb2, tensor_pb2, tensor_shape_pb2, types_pb2
from tensorboard.plugins.hparams import plugin_data_pb2
from tensorboard.summary.writer.event_file_writer import EventFileWriter

FAULTS = [
    "wrong-value",
    "missing-step",
    "duplicate-step",
    "corrupt-byte",
    "truncated",
    "wrong-hparam",
    "epoch-step",
    "two-files",
    "histogram",
]
SUFFIX = ".depthsweep"
EPOCH_TAGS = [
    ("epoch/train_loss", "trainLoss"),
    ("epoch/train_accuracy", "trainAccuracy"),
    ("epoch/test_loss", "testLoss"),
    ("epoch/test_accuracy", "testAccuracy"),
    ("epoch/test_accuracy_precise_bn", "preciseBnTestAccuracy"),
    ("epoch/images_per_second", "trainImagesPerSecond"),
    ("epoch/resident_mb", "residentMb"),
]


def scalar(tag, value, first):
    """A TensorBoard 2.x scalar: a float32 scalar tensor, metadata on a tag's first value."""
    v = summary_pb2.Summary.Value(
        tag=tag,
        tensor=tensor_pb2.TensorProto(
            dtype=types_pb2.DT_FLOAT,
            tensor_shape=tensor_shape_pb2.TensorShapeProto(),
            float_val=[float(np.float32(value))],
        ),
    )
    if first:
        v.metadata.plugin_data.plugin_name = "scalars"
        v.metadata.data_class = summary_pb2.DATA_CLASS_SCALAR
    return v


def histogram(tag, h, first):
    """A TensorBoard 2.x histogram: float64 [k,3] rows of left edge, right edge, count."""
    k = len(h["counts"])
    width = (h["max"] - h["min"]) / k
    rows = []
    for i, count in enumerate(h["counts"]):
        rows += [h["min"] + i * width, h["max"] if i == k - 1 else h["min"] + (i + 1) * width, float(count)]
    v = summary_pb2.Summary.Value(
        tag=tag,
        tensor=tensor_pb2.TensorProto(
            dtype=types_pb2.DT_DOUBLE,
            tensor_shape=tensor_shape_pb2.TensorShapeProto(
                dim=[tensor_shape_pb2.TensorShapeProto.Dim(size=k), tensor_shape_pb2.TensorShapeProto.Dim(size=3)]
            ),
            double_val=rows,
        ),
    )
    if first:
        v.metadata.plugin_data.plugin_name = "histograms"
        v.metadata.data_class = summary_pb2.DATA_CLASS_TENSOR
    return v


def weight_histograms(cell):
    """Made-up weights' histograms for each ended epoch, as a sweep records them."""
    rng = np.random.default_rng(cell["seed"])
    out = []
    for epoch in cell["epochs"]:
        parts = {}
        for part in cell["gradientNorms"]["parts"]:
            values = rng.normal(0, 0.1, 500).astype(np.float32).astype(np.float64)
            counts, _ = np.histogram(values, bins=30, range=(values.min(), values.max()))
            parts[part] = {"min": values.min(), "max": values.max(), "counts": [int(c) for c in counts]}
        out.append({"epoch": epoch["epoch"], "parts": parts})
    return out


def image(tag, png, first):
    width = int.from_bytes(png[16:20], "big")
    height = int.from_bytes(png[20:24], "big")
    v = summary_pb2.Summary.Value(
        tag=tag,
        tensor=tensor_pb2.TensorProto(
            dtype=types_pb2.DT_STRING,
            tensor_shape=tensor_shape_pb2.TensorShapeProto(
                dim=[tensor_shape_pb2.TensorShapeProto.Dim(size=3)]
            ),
            string_val=[str(width).encode(), str(height).encode(), png],
        ),
    )
    if first:
        v.metadata.plugin_data.plugin_name = "images"
        v.metadata.data_class = summary_pb2.DATA_CLASS_BLOB_SEQUENCE
    return v


def hparams_value(cell):
    protocol = cell["protocol"]
    info = plugin_data_pb2.SessionStartInfo(group_name=cell["id"], start_time_secs=time.time())
    values = {
        "variant": cell["variant"],
        "depth": cell["depth"],
        "seed": cell["seed"],
        "optimizer": protocol.get("optimizer") or "adam",
        "learning_rate": protocol["learningRate"],
        "decay": protocol["decay"],
        "batch_size": protocol["batchSize"],
        "epochs": protocol["epochs"],
        "dataset": protocol.get("dataset") or "fashion-mnist",
        "train_limit": protocol["trainLimit"],
        "test_limit": protocol["testLimit"],
        "precise_bn_batches": protocol["preciseBnBatches"],
    }
    for name, value in values.items():
        if isinstance(value, str):
            info.hparams[name].string_value = value
        else:
            info.hparams[name].number_value = value
    data = plugin_data_pb2.HParamsPluginData(version=0, session_start_info=info)
    v = summary_pb2.Summary.Value(tag="_hparams_/session_start_info")
    v.metadata.plugin_data.plugin_name = "hparams"
    v.metadata.plugin_data.content = data.SerializeToString()
    return v


def cut(cell, steps, epochs, protocol):
    """The cell as if it had trained `steps` steps and ended `epochs` epochs under `protocol`."""
    cell = json.loads(json.dumps(cell))
    cell["protocol"] = protocol
    cell["epochs"] = cell["epochs"][:epochs]
    cell["stepLosses"] = cell["stepLosses"][:steps]
    norms = cell["gradientNorms"]
    keep = [i for i, s in enumerate(norms["steps"]) if s <= steps]
    norms["steps"] = [norms["steps"][i] for i in keep]
    norms["norms"] = [norms["norms"][i] for i in keep]
    return cell


def write_cell(tb, cell, fault):
    folder = tb / cell["id"]
    folder.mkdir(parents=True)
    protocol = cell["protocol"]
    per_epoch = math.ceil(protocol["trainLimit"] / protocol["batchSize"])
    lr, decay = protocol["learningRate"], protocol["decay"]
    norms = cell["gradientNorms"]
    norm_at = dict(zip(norms["steps"], norms["norms"]))
    epoch_at = {e["epoch"] * per_epoch: e for e in cell["epochs"]}
    writer = EventFileWriter(str(folder), filename_suffix=SUFFIX)  # writes file_version first
    writer.add_event(
        event_pb2.Event(
            wall_time=time.time(), step=0, session_log=event_pb2.SessionLog(status=event_pb2.SessionLog.START)
        )
    )
    hp = hparams_value(cell)
    if fault == "wrong-hparam":
        info = plugin_data_pb2.HParamsPluginData.FromString(hp.metadata.plugin_data.content)
        info.session_start_info.hparams["depth"].number_value = cell["depth"] + 1
        hp.metadata.plugin_data.content = info.SerializeToString()
    writer.add_event(event_pb2.Event(wall_time=time.time(), step=0, summary=summary_pb2.Summary(value=[hp])))
    seen = set()

    def first(tag):
        new = tag not in seen
        seen.add(tag)
        return new

    for k, loss in enumerate(cell["stepLosses"], start=1):
        if fault == "wrong-value" and k == 7:
            loss = float(np.nextafter(np.float32(loss), np.float32(np.inf)))
        values = [
            scalar("train/loss", loss, first("train/loss")),
            scalar("train/learning_rate", lr / (1 + decay * (k - 1)), first("train/learning_rate")),
        ]
        if k in norm_at:
            for part, norm in zip(norms["parts"], norm_at[k]):
                tag = "gradient_norm/" + part
                values.append(scalar(tag, norm, first(tag)))
        event = event_pb2.Event(wall_time=time.time(), step=k, summary=summary_pb2.Summary(value=values))
        if not (fault == "missing-step" and k == 7):
            writer.add_event(event)
        if fault == "duplicate-step" and k == 7:
            writer.add_event(event)
        if k in epoch_at:
            epoch = epoch_at[k]
            values = [
                scalar(tag, epoch[key], first(tag)) for tag, key in EPOCH_TAGS if epoch.get(key) is not None
            ]
            for entry in cell.get("weightHistograms", []):
                if entry["epoch"] == epoch["epoch"]:
                    for part, h in entry["parts"].items():
                        if fault == "histogram" and part == "stage1" and entry["epoch"] == 2:
                            h = dict(h, counts=[h["counts"][0] + 1] + h["counts"][1:])
                        values.append(histogram("weights/" + part, h, first("weights/" + part)))
            step = k - 1 if fault == "epoch-step" and k == per_epoch else k
            writer.add_event(event_pb2.Event(wall_time=time.time(), step=step, summary=summary_pb2.Summary(value=values)))
    writer.close()
    (path,) = folder.iterdir()
    if fault in ("corrupt-byte", "truncated"):
        data = bytearray(path.read_bytes())
        if fault == "corrupt-byte":
            data[len(data) // 2] ^= 0x01
        else:
            data = data[:-7]
        path.write_bytes(bytes(data))
    if fault == "two-files":
        shutil.copy(path, folder / "events.out.tfevents.1000000000.host.1.depthsweep")


def write_plots(run, tb, pngs, cells):
    folder = tb / "plots"
    folder.mkdir(parents=True)
    writer = EventFileWriter(str(folder), filename_suffix=SUFFIX)
    values = []
    for png in pngs:
        shutil.copy(png, run / png.name)
        values.append(image("plots/" + png.stem, png.read_bytes(), True))
    writer.add_event(event_pb2.Event(wall_time=time.time(), step=cells, summary=summary_pb2.Summary(value=values)))
    writer.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("run", type=pathlib.Path)
    parser.add_argument("cells", type=pathlib.Path, nargs="+")
    parser.add_argument("--fault", choices=FAULTS)
    args = parser.parse_args()
    if args.run.exists():
        sys.exit(f"{args.run} exists")
    protocol = {
        "epochs": 2,
        "batchSize": 150,
        "learningRate": 1.0e-4,
        "decay": 1.0e-6,
        "trainLimit": 1450,
        "testLimit": 500,
        "preciseBnBatches": 5,
    }
    tb = args.run / "tensorboard"
    (args.run / "cells").mkdir(parents=True)
    cells = []
    for i, source in enumerate(args.cells):
        cell = json.loads(source.read_text())
        if i == 0:
            cell = cut(cell, 20, 2, protocol)
            cell["weightHistograms"] = weight_histograms(cell)
        else:
            cell = cut(cell, 15, 1, protocol)
            cell["status"], cell["failure"] = "failed", "the loss is NaN (fake)"
            for epoch in cell["epochs"]:
                epoch["preciseBnTestAccuracy"] = None
                epoch["residentMb"] = None
        (args.run / "cells" / (cell["id"] + ".json")).write_text(json.dumps(cell, indent=2))
        write_cell(tb, cell, args.fault if i == 0 else None)
        cells.append(cell)
    (args.run / "protocol.json").write_text(json.dumps(protocol, indent=2))
    pngs = sorted(args.cells[0].resolve().parent.parent.glob("*.png"))[:2]
    write_plots(args.run, tb, pngs, len(cells))


if __name__ == "__main__":
    main()

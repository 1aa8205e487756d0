"""Checks the TensorBoard event files that depthsweep writes against their contract (each cell's
file: file_version, session_log START, the hparams, one event per step, one per epoch) and
against the cell JSONs they come from; and that TensorBoard itself serves them.

Run it with the tensorboard venv's python (scripts/venv.sh tensorboard):

    tensorboard_check.py records RUNDIR [TBDIR]   every record of every event file, read with
                                                  TensorBoard's strict reader (CRCs, truncation),
                                                  counted (3 + steps + epochs per cell) and in
                                                  the contract's order
    tensorboard_check.py stopped RUNDIR CELL STEPS
                                                  the live file of a cell that a signal stopped at
                                                  STEPS (exit 75): those steps, flushed, in order
    tensorboard_check.py values RUNDIR [TBDIR]    every value, step by step, against
                                                  RUNDIR/cells/*.json and the run's PNGs
    tensorboard_check.py same DIR_A DIR_B [--ignore TAG_GLOB]...
                                                  two TensorBoard folders hold the same events,
                                                  run by run and tag by tag (wall times aside)
    tensorboard_check.py server TBDIR [--run RUNDIR] [--browser] [--screenshot PNG]
                                                  a real `tensorboard --logdir TBDIR` serves every
                                                  cell's losses and hparams (and, with --browser,
                                                  headless Chromium renders its runs)

TBDIR defaults to RUNDIR/tensorboard; for an export (`depthsweep tensorboard RUNDIR --out OUT`)
it is OUT/<RUNDIR's name>. The server's RUNDIR defaults to TBDIR's parent.

Every failure prints one line, `tensorboard_check: FAILED: ...`, and exits 1; each passed check
prints one line.
"""

import argparse
import fnmatch
import json
import math
import os
import pathlib
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

import numpy as np
from google.protobuf.message import DecodeError
from tensorboard.backend.event_processing import event_accumulator as ea
from tensorboard.compat.proto import event_pb2, summary_pb2, types_pb2
from tensorboard.compat.tensorflow_stub import errors as tf_errors
from tensorboard.compat.tensorflow_stub.pywrap_tensorflow import PyRecordReader_New
from tensorboard.plugins.hparams import error as hparams_error
from tensorboard.plugins.hparams import metadata as hparams_metadata
from tensorboard.util import tensor_util

HPARAMS_TAG = hparams_metadata.SESSION_START_INFO_TAG  # "_hparams_/session_start_info"
EVENT_FILE = re.compile(r"^events\.out\.tfevents\.\d+\.[^/]+\.\d+\.depthsweep$")
# epoch/* tag -> the key of the JSON's epochs[] entry it holds
EPOCH_TAGS = {
    "epoch/train_loss": "trainLoss",
    "epoch/train_accuracy": "trainAccuracy",
    "epoch/test_loss": "testLoss",
    "epoch/test_accuracy": "testAccuracy",
    "epoch/test_accuracy_precise_bn": "preciseBnTestAccuracy",
    "epoch/images_per_second": "trainImagesPerSecond",
    "epoch/resident_mb": "residentMb",
}
HPARAM_NAMES = [
    "variant",
    "depth",
    "seed",
    "optimizer",
    "learning_rate",
    "decay",
    "batch_size",
    "epochs",
    "dataset",
    "train_limit",
    "test_limit",
    "precise_bn_batches",
]
KEEP_ALL = {
    ea.TENSORS: 0,
    ea.SCALARS: 0,
    ea.HISTOGRAMS: 0,
    ea.COMPRESSED_HISTOGRAMS: 0,
    ea.IMAGES: 0,
    ea.AUDIO: 0,
}


class Failure(Exception):
    """A check failed; the message is the one line to print."""


def fail(message):
    raise Failure(message)


# --- the run folder ---------------------------------------------------------------------------


def load_cells(run):
    folder = run / "cells"
    paths = sorted(folder.glob("*.json")) if folder.is_dir() else []
    if not paths:
        fail(f"{folder}: no cell JSON")
    cells = {}
    for path in paths:
        try:
            cell = json.loads(path.read_text())
        except (OSError, ValueError) as e:
            fail(f"{path}: not readable JSON: {e}")
        if cell.get("id") != path.stem:
            fail(f"{path}: its id is {cell.get('id')!r}, not {path.stem!r}")
        cells[path.stem] = cell
    return cells


def steps_per_epoch(cell):
    protocol = cell["protocol"]
    return math.ceil(protocol["trainLimit"] / protocol["batchSize"])


def epoch_steps(cell):
    """The step each ended epoch's event is at, in order."""
    per_epoch = steps_per_epoch(cell)
    return [epoch["epoch"] * per_epoch for epoch in cell["epochs"]]


def plots(run):
    """The run's PNG plots, by tag."""
    return {"plots/" + png.stem: png for png in sorted(run.glob("*.png"))}


def check_folder_layout(tb, run, cells):
    """TBDIR holds one folder per cell and, where the run has PNGs, plots/; no other folder, and
    no events file of its own (TensorBoard would show it as a run '.'). Other files, such as the
    export's .depthsweep-source marker, TensorBoard ignores."""
    if not tb.is_dir():
        fail(f"{tb}: no such folder")
    names = set()
    for entry in sorted(tb.iterdir()):
        if not entry.is_dir():
            if "tfevents" in entry.name:
                fail(f"{entry}: an events file beside the cells' folders")
            continue
        names.add(entry.name)
    for cell_id in cells:
        if cell_id not in names:
            fail(f"{tb}: no folder for cell {cell_id} (it has {run}/cells/{cell_id}.json)")
    expected = set(cells) | ({"plots"} if plots(run) else set())
    for name in sorted(names - expected):
        fail(f"{tb / name}: no such cell in {run}/cells" + ("" if name != "plots" else ", and no PNG"))


def the_event_file(folder):
    """The folder's one events file: the contract allows no second one, nor other files."""
    files = sorted(p.name for p in folder.iterdir())
    events = [f for f in files if f.startswith("events.out.tfevents.")]
    if len(events) != 1:
        fail(f"{folder}: {len(events)} events files, the contract wants exactly one: {events}")
    others = [f for f in files if f not in events]
    if others:
        fail(f"{folder}: holds {others} beside its events file")
    if not EVENT_FILE.match(events[0]):
        fail(f"{folder / events[0]}: the name is not events.out.tfevents.<secs>.<host>.<pid>.depthsweep")
    return folder / events[0]


def read_records(path):
    """Every event of the file, with TensorBoard's strict reader: a bad CRC or a truncated record
    raises there (the loader TensorBoard serves with would stop at it without a word)."""
    reader = PyRecordReader_New(str(path))
    events = []
    while True:
        try:
            reader.GetNext()
        except tf_errors.OutOfRangeError:
            break
        except tf_errors.DataLossError as e:
            fail(f"{path}: record {len(events) + 1}: {e.message.replace(str(path), 'the file')}")
        try:
            event = event_pb2.Event.FromString(reader.record())
        except DecodeError as e:
            fail(f"{path}: record {len(events) + 1} is no Event: {e}")
        if not event.wall_time > 0:
            fail(f"{path}: record {len(events) + 1} (step {event.step}) has wall_time {event.wall_time}")
        events.append(event)
    if not events:
        fail(f"{path}: empty")
    first = events[0]
    if first.WhichOneof("what") != "file_version" or first.file_version != "brain.Event:2":
        fail(f"{path}: the first record is not file_version 'brain.Event:2': {short(first)}")
    return events


def short(event):
    """An event in a few words, for a message."""
    what = event.WhichOneof("what")
    if what == "summary":
        tags = [v.tag for v in event.summary.value]
        shown = ", ".join(tags[:4]) + (f", ... ({len(tags)} tags)" if len(tags) > 4 else "")
        return f"step {event.step}: summary of {shown}"
    if what == "session_log":
        return f"step {event.step}: session_log {event_pb2.SessionLog.SessionStatus.Name(event.session_log.status)}"
    if what == "file_version":
        return f"step {event.step}: file_version {event.file_version!r}"
    return f"step {event.step}: {what}"


def kind(event):
    """What a cell file's record is, in the contract's words."""
    what = event.WhichOneof("what")
    if what != "summary":
        return what
    tags = [v.tag for v in event.summary.value]
    if "train/loss" in tags:
        return "step"
    if any(t.startswith("epoch/") for t in tags):
        return "epoch"
    if tags == [HPARAMS_TAG]:
        return "hparams"
    return "summary of " + ", ".join(tags)


def expected_plugin(tag):
    if tag == HPARAMS_TAG:
        return "hparams", None
    if tag.startswith("weights/"):
        return "histograms", None
    if tag.startswith("plots/"):
        return "images", None
    return "scalars", summary_pb2.DATA_CLASS_SCALAR


def check_metadata(path, events):
    """The first value of each tag carries its plugin's metadata, and values are tensors."""
    seen = set()
    for i, event in enumerate(events, start=1):
        for value in event.summary.value:
            plugin, data_class = expected_plugin(value.tag)
            if value.tag not in seen:
                seen.add(value.tag)
                got = value.metadata.plugin_data.plugin_name
                if got != plugin:
                    fail(f"{path}: record {i}, {value.tag}'s first value: plugin {got!r}, not {plugin!r}")
                if data_class is not None and value.metadata.data_class != data_class:
                    fail(
                        f"{path}: record {i}, {value.tag}'s first value: data_class "
                        f"{summary_pb2.DataClass.Name(value.metadata.data_class)}, not DATA_CLASS_SCALAR"
                    )
            if value.tag != HPARAMS_TAG and value.WhichOneof("value") != "tensor":
                fail(f"{path}: record {i}, {value.tag} at step {event.step} is a {value.WhichOneof('value')}, not a tensor")


def check_cell_records(path, cell, events):
    n, e = len(cell["stepLosses"]), len(cell["epochs"])
    if len(events) != 3 + n + e:
        fail(f"{path}: {len(events)} records; cell {cell['id']} wants 3 + {n} steps + {e} epochs = {3 + n + e}")
    wanted = [("file_version", 0), ("session_log", 0), ("hparams", 0)]
    ends = set(epoch_steps(cell))
    for k in range(1, n + 1):
        wanted.append(("step", k))
        if k in ends:
            wanted.append(("epoch", k))
    if len(ends) != e or max(ends, default=0) > n:
        fail(f"{cell['id']}.json: epochs {[x['epoch'] for x in cell['epochs']]} do not fit its {n} steps")
    for i, (event, (want, step)) in enumerate(zip(events, wanted), start=1):
        got = kind(event)
        if got != want or event.step != step:
            fail(f"{path}: record {i} is {got} at step {event.step} ({short(event)}); the contract wants {want} at step {step}")
    if events[1].session_log.status != event_pb2.SessionLog.START:
        fail(f"{path}: record 2 is {short(events[1])}, not session_log START")
    check_metadata(path, events)


def command_records(args):
    run = args.rundir
    tb = args.tbdir or run / "tensorboard"
    cells = load_cells(run)
    check_folder_layout(tb, run, cells)
    total = 0
    for cell_id, cell in cells.items():
        path = the_event_file(tb / cell_id)
        events = read_records(path)
        check_cell_records(path, cell, events)
        total += len(events)
    if plots(run):
        path = the_event_file(tb / "plots")
        events = read_records(path)
        check_metadata(path, events)
        total += len(events)
    print(f"records: {tb}: {len(cells)} cells{' and plots' if plots(run) else ''}, {total} records, all CRCs right, counts and order as the contract says")


def command_stopped(args):
    """A cell stopped by a signal (exit 75), before its JSON exists: its live file holds its steps
    so far, as the contract says of any cell (3 + steps + ended epochs records, in order)."""
    run = args.rundir
    protocol_path = run / "protocol.json"
    try:
        protocol = json.loads(protocol_path.read_text())
    except (OSError, ValueError) as e:
        fail(f"{protocol_path}: {e}")
    per_epoch = math.ceil(protocol["trainLimit"] / protocol["batchSize"])
    cell = {
        "id": args.cell,
        "protocol": protocol,
        "stepLosses": [None] * args.steps,
        "epochs": [{"epoch": e} for e in range(1, args.steps // per_epoch + 1)],
    }
    path = the_event_file(run / "tensorboard" / args.cell)
    events = read_records(path)
    check_cell_records(path, cell, events)
    print(f"stopped: {path}: {len(events)} records, all the {args.steps} steps trained before the stop")


# --- values -----------------------------------------------------------------------------------


def accumulate(folder):
    acc = ea.EventAccumulator(str(folder), size_guidance=KEEP_ALL)
    acc.Reload()
    return acc


def plugin_contents(acc, plugin):
    """tag -> plugin content of the plugin's tags, none if it has none."""
    try:
        return acc.PluginTagToContent(plugin)
    except KeyError:
        return {}


def check_steps(where, got, wanted):
    if got == wanted:
        return
    seen = set()
    for s in got:
        if s in seen:
            fail(f"{where}: step {s} twice")
        seen.add(s)
    missing = [s for s in wanted if s not in seen]
    if missing:
        fail(f"{where}: no step {missing[0]}" + (f" (nor {len(missing) - 1} more)" if len(missing) > 1 else ""))
    extra = [s for s in got if s not in set(wanted)]
    if extra:
        fail(f"{where}: step {extra[0]} is not in the JSON" + (f" (nor {len(extra) - 1} more)" if len(extra) > 1 else ""))
    fail(f"{where}: steps out of order: {got[:10]}...")


def scalar_value(where, tensor_proto):
    if tensor_proto.dtype != types_pb2.DT_FLOAT:
        fail(f"{where}: a {types_pb2.DataType.Name(tensor_proto.dtype)} tensor, not DT_FLOAT")
    array = tensor_util.make_ndarray(tensor_proto)
    if array.shape != ():
        fail(f"{where}: a tensor of shape {list(array.shape)}, not a scalar")
    return array.item()


def same_float32(got, wanted):
    want = np.float32(wanted)
    return np.float32(got) == want or (np.isnan(want) and np.isnan(got))


def check_series(cell_id, acc, tag, steps, values):
    """The tag's scalars are at exactly these steps, each the JSON's value as float32."""
    events = acc.Tensors(tag)
    check_steps(f"{cell_id}: {tag}", [ev.step for ev in events], steps)
    for ev, wanted in zip(events, values):
        got = scalar_value(f"{cell_id}: {tag} at step {ev.step}", ev.tensor_proto)
        if not same_float32(got, wanted):
            fail(f"{cell_id}: {tag} at step {ev.step} is {got!r}, the JSON says {wanted!r} (float32 {float(np.float32(wanted))!r})")
    return len(events)


def wanted_hparams(cell):
    protocol = cell["protocol"]
    return {
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


def compare_hparams(where, got, cell):
    """got: hparam name -> Python value (str or float). Fails on the first difference."""
    wanted = wanted_hparams(cell)
    if sorted(got) != sorted(wanted):
        fail(f"{where}: hparams {sorted(got)}, the contract wants {sorted(wanted)}")
    for name in HPARAM_NAMES:
        value, want = got[name], wanted[name]
        if isinstance(want, str):
            if value != want:
                fail(f"{where}: hparam {name} is {value!r}, the JSON says {want!r}")
        elif not isinstance(value, float) or value != float(want):
            hint = ""
            if isinstance(value, float) and np.float32(value) == np.float32(want):
                hint = " (equal only as float32: a float widened to double, not the JSON's number)"
            fail(f"{where}: hparam {name} is {value!r}, the JSON says {want!r}{hint}")


def hparam_python(value):
    """A google.protobuf.Value as str, float or bool (or None)."""
    which = value.WhichOneof("kind")
    return getattr(value, which) if which else None


def check_hparams(cell_id, acc, cell):
    contents = plugin_contents(acc, "hparams")
    if list(contents) != [HPARAMS_TAG]:
        fail(f"{cell_id}: hparams plugin tags {sorted(contents)}, the contract wants [{HPARAMS_TAG!r}]")
    try:
        info = hparams_metadata.parse_session_start_info_plugin_data(contents[HPARAMS_TAG])
    except hparams_error.HParamsError as e:
        fail(f"{cell_id}: {HPARAMS_TAG}: {e}")
    if info.group_name != cell_id:
        fail(f"{cell_id}: hparams group_name is {info.group_name!r}, not the cell id")
    compare_hparams(f"{cell_id}", {k: hparam_python(v) for k, v in info.hparams.items()}, cell)


def check_cell_values(cell_id, folder, cell):
    acc = accumulate(folder)
    tags = acc.Tags()
    for legacy in ("scalars", "histograms", "images", "audio"):
        if tags.get(legacy):
            fail(f"{cell_id}: {legacy} {tags[legacy][:3]} are TensorBoard 1.x summaries, not tensors")
    check_hparams(cell_id, acc, cell)
    n = len(cell["stepLosses"])
    steps = list(range(1, n + 1))
    points = check_series(cell_id, acc, "train/loss", steps, cell["stepLosses"])
    # The learning rate is in no JSON: at every step, positive and at most the initial rate.
    events = acc.Tensors("train/learning_rate") if "train/learning_rate" in tags["tensors"] else []
    check_steps(f"{cell_id}: train/learning_rate", [ev.step for ev in events], steps)
    initial = np.float32(cell["protocol"]["learningRate"])
    for ev in events:
        rate = scalar_value(f"{cell_id}: train/learning_rate at step {ev.step}", ev.tensor_proto)
        if not 0 < rate <= initial:
            fail(f"{cell_id}: train/learning_rate at step {ev.step} is {rate!r}, not in (0, {float(initial)!r}]")
    points += len(events)
    expected_tags = {"train/loss", "train/learning_rate"}
    norms = cell.get("gradientNorms") or {"parts": [], "steps": [], "norms": []}
    for j, part in enumerate(norms["parts"]):
        tag = "gradient_norm/" + part
        expected_tags.add(tag)
        if tag not in tags["tensors"]:
            fail(f"{cell_id}: no tag {tag} (gradientNorms.parts has {part!r})")
        points += check_series(cell_id, acc, tag, norms["steps"], [row[j] for row in norms["norms"]])
    ends = epoch_steps(cell)
    for tag, key in EPOCH_TAGS.items():
        at = [(s, epoch[key]) for s, epoch in zip(ends, cell["epochs"]) if epoch.get(key) is not None]
        if not at:
            continue
        expected_tags.add(tag)
        if tag not in tags["tensors"]:
            fail(f"{cell_id}: no tag {tag} (the JSON's epochs have {key})")
        points += check_series(cell_id, acc, tag, [s for s, _ in at], [v for _, v in at])
    per_epoch = steps_per_epoch(cell)
    histograms = {}  # tag -> [(step, {min, max, counts})]
    for entry in cell.get("weightHistograms") or []:
        for part, histogram in entry["parts"].items():
            histograms.setdefault("weights/" + part, []).append((entry["epoch"] * per_epoch, histogram))
    for tag, wanted in histograms.items():
        expected_tags.add(tag)
        if tag not in tags["tensors"]:
            fail(f"{cell_id}: no tag {tag} (the JSON's weightHistograms have it)")
        events = acc.Tensors(tag)
        check_steps(f"{cell_id}: {tag}", [ev.step for ev in events], [s for s, _ in wanted])
        for ev, (_, histogram) in zip(events, wanted):
            check_histogram(f"{cell_id}: {tag} at step {ev.step}", ev.tensor_proto, histogram)
            points += 1
    for tag in tags["tensors"]:
        if tag not in expected_tags and tag != HPARAMS_TAG:
            fail(f"{cell_id}: tag {tag} is in no place of the contract (or the JSON has nothing for it)")
    return points


def check_histogram(where, tensor_proto, histogram):
    """A float64 [k,3] tensor of (left, right, count) rows: the JSON's k equal-width buckets from its
    min to its max, with its counts."""
    array = tensor_util.make_ndarray(tensor_proto)
    if tensor_proto.dtype != types_pb2.DT_DOUBLE or array.ndim != 2 or array.shape[1:] != (3,):
        fail(f"{where}: a {types_pb2.DataType.Name(tensor_proto.dtype)} tensor of shape {list(array.shape)}, not float64 [k,3]")
    counts, low, high = histogram["counts"], histogram["min"], histogram["max"]
    if array.shape[0] != len(counts):
        fail(f"{where}: {array.shape[0]} buckets, the JSON has {len(counts)}")
    if list(array[:, 2]) != [float(c) for c in counts]:
        i = next(i for i, (x, c) in enumerate(zip(array[:, 2], counts)) if x != c)
        fail(f"{where}: bucket {i} counts {float(array[i, 2])!r}, the JSON {counts[i]!r}")
    if array[0, 0] != low or array[-1, 1] != high:
        fail(f"{where}: the buckets span {array[0, 0]!r} to {array[-1, 1]!r}, the JSON's min and max are {low!r} and {high!r}")
    width = (high - low) / len(counts)
    for i, (left, right, _) in enumerate(array):
        if i and left != array[i - 1, 1]:
            fail(f"{where}: bucket {i} starts at {left!r}, the one before ends at {array[i - 1, 1]!r}")
        if not math.isclose(right - left, width, rel_tol=1e-6, abs_tol=1e-300):
            fail(f"{where}: bucket {i} is {left!r} to {right!r}, not 1/{len(counts)} of {low!r} to {high!r}")


def png_size(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def check_plots(tb, run, cells):
    pngs = plots(run)
    if not pngs:
        return 0
    acc = accumulate(tb / "plots")
    tags = set(acc.Tags()["tensors"])
    for tag in sorted(tags - set(pngs)):
        fail(f"{tb}/plots: image {tag} has no PNG in {run}")
    for tag, png in pngs.items():
        if tag not in tags:
            fail(f"{tb}/plots: no image {tag} for {png}")
        if acc.SummaryMetadata(tag).plugin_data.plugin_name != "images":
            fail(f"{tb}/plots: {tag} has plugin {acc.SummaryMetadata(tag).plugin_data.plugin_name!r}, not 'images'")
        last = acc.Tensors(tag)[-1]
        if last.step != len(cells):
            fail(f"{tb}/plots: {tag}'s last image is at step {last.step}, but {len(cells)} cells ended")
        value = tensor_util.make_ndarray(last.tensor_proto)
        if last.tensor_proto.dtype != types_pb2.DT_STRING or value.shape != (3,):
            fail(f"{tb}/plots: {tag} is a {types_pb2.DataType.Name(last.tensor_proto.dtype)} tensor of shape {list(value.shape)}, not string [3]")
        width, height, data = value
        if data != png.read_bytes():
            fail(f"{tb}/plots: {tag} at step {last.step} is not the bytes of {png}")
        if (int(width), int(height)) != png_size(data):
            fail(f"{tb}/plots: {tag}'s size is {width!r} x {height!r}, the PNG's {png_size(data)}")
    return len(pngs)


def command_values(args):
    run = args.rundir
    tb = args.tbdir or run / "tensorboard"
    cells = load_cells(run)
    check_folder_layout(tb, run, cells)
    points = 0
    for cell_id, cell in cells.items():
        points += check_cell_values(cell_id, tb / cell_id, cell)
    images = check_plots(tb, run, cells)
    print(f"values: {tb}: {len(cells)} cells, {points} values equal to {run}/cells/*.json, hparams right, {images} plots equal to the PNGs")


# --- same -------------------------------------------------------------------------------------


def runs_of(tb):
    if not tb.is_dir():
        fail(f"{tb}: no such folder")
    for p in tb.iterdir():
        if p.is_file() and "tfevents" in p.name:
            fail(f"{p}: an events file beside the runs' folders")
    return sorted(p.name for p in tb.iterdir() if p.is_dir())


def structure(folder, ignored):
    """The folder's events in order, wall times aside: (step, what, tags) each."""
    out = []
    for path in sorted(folder.glob("events.out.tfevents.*")):
        for event in read_records(path):
            tags = tuple(sorted(v.tag for v in event.summary.value if not ignored(v.tag)))
            out.append((event.step, kind(event) if event.WhichOneof("what") != "summary" else "summary", tags))
    return out


def start_info(content):
    info = hparams_metadata.parse_session_start_info_plugin_data(content)
    info.ClearField("start_time_secs")  # a wall time
    return info


def command_same(args):
    a, b = args.dir_a, args.dir_b
    ignored = lambda tag: any(fnmatch.fnmatchcase(tag, glob) for glob in args.ignore)
    runs_a, runs_b = runs_of(a), runs_of(b)
    if runs_a != runs_b:
        only_a, only_b = sorted(set(runs_a) - set(runs_b)), sorted(set(runs_b) - set(runs_a))
        fail(f"runs differ: only in {a}: {only_a}; only in {b}: {only_b}")
    tag_count = points = 0
    for run in runs_a:
        sa, sb = structure(a / run, ignored), structure(b / run, ignored)
        for i, (ra, rb) in enumerate(zip(sa, sb), start=1):
            if ra != rb:
                fail(f"{run}: event {i} differs: {a} has step {ra[0]} {ra[1]} {list(ra[2])[:4]}, {b} step {rb[0]} {rb[1]} {list(rb[2])[:4]}")
        if len(sa) != len(sb):
            fail(f"{run}: {len(sa)} events in {a}, {len(sb)} in {b}")
        acc_a, acc_b = accumulate(a / run), accumulate(b / run)
        tags_a, tags_b = acc_a.Tags(), acc_b.Tags()
        for kind_ in ("tensors", "scalars", "histograms", "images", "audio"):
            ta = sorted(t for t in tags_a.get(kind_, []) if not ignored(t))
            tb_ = sorted(t for t in tags_b.get(kind_, []) if not ignored(t))
            if ta != tb_:
                fail(f"{run}: {kind_} tags differ: only in {a}: {sorted(set(ta) - set(tb_))}; only in {b}: {sorted(set(tb_) - set(ta))}")
        for tag in sorted(t for t in tags_a["tensors"] if not ignored(t)):
            ma, mb = acc_a.SummaryMetadata(tag), acc_b.SummaryMetadata(tag)
            if (ma.plugin_data.plugin_name, ma.data_class) != (mb.plugin_data.plugin_name, mb.data_class):
                fail(f"{run}: {tag}'s metadata differs: {ma.plugin_data.plugin_name}/{ma.data_class} vs {mb.plugin_data.plugin_name}/{mb.data_class}")
            ea_, eb = acc_a.Tensors(tag), acc_b.Tensors(tag)
            sta, stb = [e.step for e in ea_], [e.step for e in eb]
            if sta != stb:
                diff = next((i for i, (x, y) in enumerate(zip(sta, stb)) if x != y), min(len(sta), len(stb)))
                fail(f"{run}: {tag}: {len(sta)} steps in {a}, {len(stb)} in {b}; first difference at index {diff}: "
                     f"{sta[diff] if diff < len(sta) else 'none'} vs {stb[diff] if diff < len(stb) else 'none'}")
            for x, y in zip(ea_, eb):
                va, vb = tensor_util.make_ndarray(x.tensor_proto), tensor_util.make_ndarray(y.tensor_proto)
                if x.tensor_proto.dtype != y.tensor_proto.dtype or va.shape != vb.shape or not np.array_equal(va, vb, equal_nan=va.dtype.kind == "f"):
                    if va.shape == vb.shape and va.shape != ():
                        i = next(i for i, (p, q) in enumerate(zip(va.flat, vb.flat)) if p != q)
                        index = [int(j) for j in np.unravel_index(i, va.shape)]
                        where = f"element {index} is {va.flat[i].item()!r} in {a}, {vb.flat[i].item()!r} in {b}"
                        fail(f"{run}: {tag} at step {x.step}: {where}"[:400])
                    show = lambda v: repr(v.item()) if v.shape == () else f"{v.dtype} {list(v.shape)}"
                    fail(f"{run}: {tag} at step {x.step}: {show(va)} in {a}, {show(vb)} in {b}")
                points += 1
            tag_count += 1
        if not ignored(HPARAMS_TAG):
            ha, hb = plugin_contents(acc_a, "hparams"), plugin_contents(acc_b, "hparams")
            if sorted(ha) != sorted(hb):
                fail(f"{run}: hparams tags {sorted(ha)} in {a}, {sorted(hb)} in {b}")
            for tag in ha:
                ia, ib = start_info(ha[tag]), start_info(hb[tag])
                if ia != ib:
                    pa = {k: hparam_python(v) for k, v in ia.hparams.items()}
                    pb = {k: hparam_python(v) for k, v in ib.hparams.items()}
                    diff = [k for k in sorted(set(pa) | set(pb)) if pa.get(k) != pb.get(k)]
                    if diff:
                        k = diff[0]
                        fail(f"{run}: hparam {k} is {pa.get(k)!r} in {a}, {pb.get(k)!r} in {b}")
                    ia.ClearField("hparams")
                    ib.ClearField("hparams")
                    fail(f"{run}: {tag} differs: {ia} in {a}; {ib} in {b}".replace("\n", " "))
    note = f" (ignoring {', '.join(args.ignore)})" if args.ignore else ""
    print(f"same: {a} and {b}: {len(runs_a)} runs, {tag_count} tags, {points} values equal{note}")


# --- server -----------------------------------------------------------------------------------


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(url, body=None, timeout=10):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"} if data else {})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def until(deadline, check):
    """Calls check() until it returns None (passed) or the deadline; fails with its last message."""
    while True:
        try:
            problem = check()
        except (urllib.error.URLError, ConnectionError, TimeoutError, ValueError) as e:
            problem = f"no answer: {e}"
        if problem is None:
            return
        if time.monotonic() > deadline:
            fail(problem)
        time.sleep(0.5)


SESSION_GROUPS_REQUEST = {
    "experimentName": "",
    "allowedStatuses": ["STATUS_UNKNOWN", "STATUS_SUCCESS", "STATUS_FAILURE", "STATUS_RUNNING"],
    "colParams": [],
    "startIndex": 0,
    "sliceSize": 1000000,
    "includeMetrics": True,
}


def check_server_data(base, cells, deadline):
    def runs():
        listed = http(base + "/data/runs")
        missing = [c for c in cells if c not in listed]
        return f"{base}/data/runs lacks {missing[:3]} ({len(missing)} of {len(cells)} cells) after 60 s: {listed[:5]}" if missing else None

    until(deadline, runs)
    print(f"server: /data/runs lists all {len(cells)} cells")

    points = 0
    for cell_id, cell in cells.items():
        losses = cell["stepLosses"]

        def scalars():
            query = urllib.parse.urlencode({"run": cell_id, "tag": "train/loss"})
            got = http(f"{base}/data/plugin/scalars/scalars?{query}")
            if len(got) != len(losses):
                return f"{cell_id}: the server gives {len(got)} train/loss points, the JSON has {len(losses)}"
            for (_, step, value), (k, loss) in zip(got, enumerate(losses, start=1)):
                if step != k or not same_float32(value, loss):
                    return f"{cell_id}: the server's train/loss point {k} is step {step} = {value!r}, the JSON's step {k} = {loss!r}"
            return None

        until(deadline, scalars)
        points += len(losses)
    print(f"server: /data/plugin/scalars gives every cell's {points} train/loss points, equal to the JSON")

    state = {}

    def groups():
        answer = http(base + "/data/plugin/hparams/session_groups", SESSION_GROUPS_REQUEST)
        by_name = {g["name"]: g for g in answer.get("sessionGroups", [])}
        missing = [c for c in cells if c not in by_name]
        if missing:
            return f"hparams session_groups lack {missing[:3]} ({len(missing)} of {len(cells)}); it has {sorted(by_name)[:5]}"
        state["groups"] = by_name
        return None

    until(deadline, groups)
    metrics = 0
    for cell_id, cell in cells.items():
        group = state["groups"][cell_id]
        compare_hparams(f"server: session group {cell_id}", dict(group.get("hparams", {})), cell)
        values = {(m["name"].get("group", ""), m["name"]["tag"]): m for m in group.get("metricValues", [])}
        wanted = {("", "train/loss"): (len(cell["stepLosses"]), cell["stepLosses"][-1] if cell["stepLosses"] else None)}
        if cell["epochs"]:
            last = cell["epochs"][-1]
            for tag, key in EPOCH_TAGS.items():
                if last.get(key) is not None:
                    wanted[("", tag)] = (epoch_steps(cell)[-1], last[key])
        for name, (step, value) in wanted.items():
            if value is None:
                continue
            if name not in values:
                fail(f"server: session group {cell_id} has no metric {name[1]}: it has {sorted(t for _, t in values)[:8]}")
            got = values[name]
            if got.get("trainingStep") != step or not same_float32(got.get("value"), value):
                fail(f"server: session group {cell_id}: metric {name[1]} is {got.get('value')!r} at step {got.get('trainingStep')}, the JSON's last is {value!r} at step {step}")
            metrics += 1
    print(f"server: hparams session_groups list all {len(cells)} cells with their hparams and {metrics} metric values right")


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    fail("no chromium on PATH (apt-get install chromium)")


def run_chromium(url, extra, profile, timeout=90):
    command = [
        chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        *extra,
        url,
    ]
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout, start_new_session=True)
    except subprocess.TimeoutExpired:
        fail(f"chromium did not end within {timeout} s: {' '.join(command)}")
    if done.returncode != 0:
        err = done.stderr.decode(errors="replace").strip().splitlines()
        fail(f"chromium exited {done.returncode}: {err[-1] if err else ''}")
    return done.stdout.decode(errors="replace")


def check_browser(base, cells, args, work):
    # The Time Series dashboard (Angular) renders its runs table into the page's DOM, which
    # --dump-dom prints; the Scalars dashboard (Polymer) keeps its runs in shadow roots, which it
    # does not.
    url = f"{base}/#timeseries"
    dom = run_chromium(url, ["--virtual-time-budget=15000", "--dump-dom"], work / "profile-dom")
    missing = [c for c in cells if not re.search(r">\s*" + re.escape(c) + r"\s*<", dom)]
    if missing:
        (work / "dom.html").write_text(dom)
        fail(f"the page at {url} as headless Chromium renders it ({len(dom)} characters) shows no run {missing[0]} ({len(missing)} of {len(cells)} missing)")
    print(f"server: headless Chromium renders {url} with all {len(cells)} cells in its runs table")
    if args.screenshot:
        shot = args.screenshot.resolve()
        shot.parent.mkdir(parents=True, exist_ok=True)
        target = base + "/" + args.fragment
        run_chromium(
            target,
            [f"--virtual-time-budget={args.budget}", f"--screenshot={shot}", f"--window-size={args.window}"],
            work / "profile-shot",
        )
        if not shot.is_file() or png_size(shot.read_bytes()) is None:
            fail(f"chromium wrote no PNG at {shot}")
        print(f"server: screenshot of {target} in {shot} ({shot.stat().st_size} bytes)")


def command_server(args):
    tb = args.tbdir.resolve()
    run = (args.run or tb.parent).resolve()
    cells = load_cells(run)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    work = pathlib.Path(tempfile.mkdtemp(prefix="tensorboard-check-"))
    log = open(work / "tensorboard.log", "wb")
    command = [
        sys.executable, "-m", "tensorboard.main",
        "--logdir", str(tb),
        "--host", "127.0.0.1",
        "--port", str(port),
        # All points: TensorBoard keeps 1,000 scalars per tag by default. Not scalars=0: for the
        # Rust data server that TensorBoard 2.21 reads with by default, 0 means none at all.
        "--samples_per_plugin", "scalars=1000000,images=1000",
    ]
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + args.wait

        def up():
            if server.poll() is not None:
                tail = (work / "tensorboard.log").read_text(errors="replace").strip().splitlines()
                fail(f"tensorboard exited {server.returncode} before it answered: {tail[-1] if tail else ''}")
            http(base + "/data/runs", timeout=2)
            return None

        until(deadline, up)
        check_server_data(base, cells, deadline)
        if args.browser or args.screenshot:
            check_browser(base, cells, args, work)
    finally:
        stop(server)
        log.close()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"server: kept {work}")


def stop(process):
    """Stops the server and its children (the data server) by its process group, its own PID."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    try:  # a child left in the group
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("records", "values"):
        p = commands.add_parser(name)
        p.add_argument("rundir", type=pathlib.Path)
        p.add_argument("tbdir", type=pathlib.Path, nargs="?")
    p = commands.add_parser("stopped")
    p.add_argument("rundir", type=pathlib.Path)
    p.add_argument("cell")
    p.add_argument("steps", type=int)
    p = commands.add_parser("same")
    p.add_argument("dir_a", type=pathlib.Path)
    p.add_argument("dir_b", type=pathlib.Path)
    p.add_argument("--ignore", action="append", default=[], metavar="TAG_GLOB", help="leave these tags out, e.g. epoch/images_per_second")
    p = commands.add_parser("server")
    p.add_argument("tbdir", type=pathlib.Path)
    p.add_argument("--run", type=pathlib.Path, help="the run folder with cells/*.json (default: TBDIR's parent)")
    p.add_argument("--browser", action="store_true", help="also render the page in headless Chromium")
    p.add_argument("--screenshot", type=pathlib.Path, help="save a PNG of the page (implies --browser)")
    p.add_argument("--fragment", default="#scalars&tagFilter=epoch%2Ftest_accuracy", help="the page's state for the screenshot (default: %(default)s)")
    p.add_argument("--window", default="1600,1000", help="Chromium's window size for the screenshot")
    p.add_argument("--budget", type=int, default=20000, help="Chromium's virtual time for the screenshot, ms")
    p.add_argument("--wait", type=float, default=60, help="seconds to wait for the server's data")
    p.add_argument("--keep", action="store_true", help="keep the server's log and Chromium's DOM")
    args = parser.parse_args(argv)
    try:
        {"records": command_records, "stopped": command_stopped, "values": command_values, "same": command_same, "server": command_server}[args.command](args)
    except Failure as e:
        print(f"tensorboard_check: FAILED: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

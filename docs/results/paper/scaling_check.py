#!/usr/bin/env python3
"""Checks the rule by which the sweep's first line times a model that has no finished cell of its own
on a machine (experiments' TimeLeft): its multiply-adds at the speed of that machine's other finished
cells, all together. Each model is left out in turn and predicted from the other models' cells on
the same CPU; the ratio predicted/actual says how far the rule errs.

    python3 docs/results/paper/scaling_check.py

Reads cells/*.json (a cell counts where every session ran on one CPU; a model's time on a CPU is the
median training seconds of its epochs there, as TimeLeft takes it) and bench.txt (GFLOP per training
image: the bench's GFLOP/s over its training images/s).
"""
import glob
import json
import os
import statistics
from collections import defaultdict

here = os.path.dirname(os.path.abspath(__file__))

work = {}  # model -> GFLOP per training image
with open(os.path.join(here, 'bench.txt')) as bench:
    for line in bench:
        parts = line.split()
        if len(parts) == 5 and parts[0].startswith(('plain-', 'residual-')):
            work[parts[0]] = float(parts[3]) / float(parts[1])

epochs = defaultdict(list)  # (cpu, model) -> training seconds of every epoch
for path in sorted(glob.glob(os.path.join(here, 'cells', '*.json'))):
    with open(path) as f:
        cell = json.load(f)
    if cell.get('status') != 'finished':
        continue
    cpus = {s['machine']['cpu'] for s in cell.get('sessions') or []}
    if len(cpus) != 1 or 'family' not in next(iter(cpus)):
        continue  # the first cells' records say only "AMD EPYC": no current machine matches them
    model = '%s-%d' % (cell['variant'], cell['depth'])
    epochs[(cpus.pop(), model)] += [e['trainSeconds'] for e in cell['epochs']]

by_cpu = defaultdict(dict)  # cpu -> model -> median epoch seconds
for (cpu, model), seconds in epochs.items():
    by_cpu[cpu][model] = statistics.median(seconds)

for cpu, models in sorted(by_cpu.items()):
    if len(models) < 2:
        continue
    print('%s: %d models' % (cpu, len(models)))
    ratios = []
    for model, actual in sorted(models.items()):
        others = [m for m in models if m != model]
        speed = sum(work[m] for m in others) / sum(models[m] for m in others)
        ratio = work[model] / speed / actual
        ratios.append(ratio)
        print('  %-12s median epoch %6.0f s, predicted %6.0f s: %.2fx' % (model, actual, work[model] / speed, ratio))
    print('  predicted/actual: %.2f-%.2fx' % (min(ratios), max(ratios)))

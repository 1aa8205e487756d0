#!/usr/bin/env python3
"""The seed's plain and residual nets in plain PyTorch: a speed to hold depthsweep's against.

`depthsweep bench --peer torch` (PyTorch 2.13 from the `torch` venv), `--peer torch-compile`
(the same with `--compile`) and `--peer torch-debian` (Debian's python3-torch 1.13) run it on
the same models and threads, in the same environment (so the same C allocator and OpenMP wait),
and print the ratio of the two training rates.

    python3 peer_torch.py bench 50 residual --batches 20 --threads 2

prints one line ending in `train_images_per_s RATE`: training steps on random batches of 150
images, Adam as the seed sets it, timed after two untimed steps. `--compile` runs the net through
torch.compile (its default mode; it needs a C++ compiler) and times it after three untimed steps,
so compilation is not timed. Needs PyTorch: `scripts/venv.sh torch` makes a venv with it; on
Debian or Ubuntu `sudo apt-get install python3-torch` gives /usr/bin/python3 one.

The nets follow docs/protocol.md: 2x2 convolutions with Keras's `same` padding (one pixel after,
on the right and at the bottom), each followed by ReLU and then BatchNorm (momentum 0.99 in
Keras's sense, epsilon 1e-3); four stages of 32 to 256 channels, each ending in a 2x2 max-pool;
the residual variant adds one shortcut per stage; dropout 0.5 and a dense layer of 10.
"""

import argparse
import time

import torch
from torch import nn
import torch.nn.functional as F

WIDTHS = (32, 64, 128, 256)
BATCH = 150


def stage_sizes(depth):
    """Convolutions per stage: depth // 4 each, the first depth % 4 stages one more."""
    return [depth // 4 + (1 if stage < depth % 4 else 0) for stage in range(4)]


class ConvBn(nn.Module):
    """Pad right and bottom, 2x2 convolution, ReLU, BatchNorm: the seed's unit."""

    def __init__(self, channels_in, channels_out):
        super().__init__()
        self.conv = nn.Conv2d(channels_in, channels_out, 2)
        self.norm = nn.BatchNorm2d(channels_out, eps=1e-3, momentum=0.01)

    def forward(self, x):
        return self.norm(F.relu(self.conv(F.pad(x, (0, 1, 0, 1)))))


class Stage(nn.Module):
    """One stage: its units, with a shortcut around them in the residual variant, then a pool."""

    def __init__(self, index, channels_in, units, residual):
        super().__init__()
        width = WIDTHS[index]
        # Stage 1's first unit is the stem; its output is what the stage's shortcut carries.
        self.stem = ConvBn(channels_in, width) if index == 0 else None
        first_in = width if index == 0 else channels_in
        count = units - 1 if index == 0 else units
        self.units = nn.Sequential(
            *[ConvBn(first_in if i == 0 else width, width) for i in range(count)])
        self.residual = residual
        self.projection = nn.Conv2d(channels_in, width, 1) if residual and index > 0 else None

    def forward(self, x):
        if self.stem is not None:
            x = self.stem(x)
        y = self.units(x)
        if self.residual:
            y = y + (x if self.projection is None else F.relu(self.projection(x)))
        return F.max_pool2d(y, 2)


class StageNet(nn.Module):
    def __init__(self, depth, residual):
        super().__init__()
        stages, channels = [], 1
        for index, units in enumerate(stage_sizes(depth)):
            stages.append(Stage(index, channels, units, residual))
            channels = WIDTHS[index]
        self.stages = nn.Sequential(*stages)
        self.dropout = nn.Dropout(0.5)
        self.dense = nn.Linear(WIDTHS[-1], 10)
        for module in self.modules():
            if isinstance(module, (nn.Conv2d, nn.Linear)):
                nn.init.xavier_uniform_(module.weight)  # Keras's glorot_uniform
                nn.init.zeros_(module.bias)

    def forward(self, x):
        return self.dense(torch.flatten(self.dropout(self.stages(x)), 1))


def keras_parameters(net):
    """Parameters as Keras counts them: BatchNorm's moving statistics included."""
    return sum(p.numel() for p in net.parameters()) + sum(
        b.numel() for name, b in net.named_buffers() if not name.endswith("num_batches_tracked"))


def bench(args):
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    net = StageNet(args.depth, args.variant == "residual").train()
    adam = torch.optim.Adam(net.parameters(), lr=1e-4, betas=(0.9, 0.999), eps=1e-7)
    model = torch.compile(net) if args.compile else net

    def step():
        images = torch.rand(BATCH, 1, 28, 28)
        labels = torch.randint(0, 10, (BATCH,))
        start = time.perf_counter()
        adam.zero_grad(set_to_none=True)
        F.cross_entropy(model(images), labels).backward()
        adam.step()
        return time.perf_counter() - start

    for _ in range(3 if args.compile else 2):  # the first compiles the forward and backward
        step()
    seconds = sum(step() for _ in range(args.batches))
    name = "torch-compile" if args.compile else "torch"
    print(f"peer {name} {torch.__version__} {args.variant}-{args.depth}"
          f" params {keras_parameters(net)} threads {args.threads}"
          f" train_images_per_s {args.batches * BATCH / seconds:.1f}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["bench"])
    parser.add_argument("depth", type=int, help="2x2 convolutions, 4 or more")
    parser.add_argument("variant", choices=["plain", "residual"])
    parser.add_argument("--batches", type=int, default=20, help="timed steps")
    parser.add_argument("--threads", type=int, default=2, help="PyTorch's intra-op threads")
    parser.add_argument("--compile", action="store_true", help="run the net through torch.compile")
    args = parser.parse_args()
    if args.depth < 4:
        parser.error("depth must be at least 4: one convolution per stage")
    bench(args)


if __name__ == "__main__":
    main()

"""Keras's fit at a given number of TensorFlow inter-op threads (speed.md, "TensorFlow's inter-op threads").

    LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 \
      ~/.cache/depthsweep/venvs/keras/bin/python keras_fitprobe.py INTER DEPTH VARIANT IMAGES

INTER -1 leaves TensorFlow's default. Builds peer_keras.py's net, fits 1,500 images once untimed
(tracing), then times one epoch of the first IMAGES training images and prints images/s and the
process's CPU use over it.
"""
from pathlib import Path
import sys, time, resource, os
sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "experiments" / "peer"))
inter, depth, variant, n = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
import tensorflow as tf
tf.config.threading.set_intra_op_parallelism_threads(2)
if inter >= 0: tf.config.threading.set_inter_op_parallelism_threads(inter)
import peer_keras as pk, keras
keras.utils.set_random_seed(0)
x, y = pk.load("train", n)
model = pk.build(depth, variant)
model.fit(x[:1500], y[:1500], batch_size=150, epochs=1, verbose=0)  # warm-up: tracing
t = time.perf_counter(); c = resource.getrusage(resource.RUSAGE_SELF)
model.fit(x, y, batch_size=150, epochs=1, verbose=0, shuffle=True)
dt = time.perf_counter() - t; c2 = resource.getrusage(resource.RUSAGE_SELF)
cpu = (c2.ru_utime + c2.ru_stime) - (c.ru_utime + c.ru_stime)
print(f"inter {inter} {variant}-{depth}: {n/dt:.0f} img/s, CPU {100*cpu/dt:.0f}%", flush=True)

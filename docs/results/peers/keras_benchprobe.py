"""peer_keras.py's bench (train_on_batch) at a given number of TensorFlow inter-op threads.

    LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 \
      ~/.cache/depthsweep/venvs/keras/bin/python keras_benchprobe.py INTER DEPTH VARIANT
"""
from pathlib import Path
import sys, argparse
sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "experiments" / "peer"))
inter, depth, variant = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
import tensorflow as tf
tf.config.threading.set_intra_op_parallelism_threads(2)
tf.config.threading.set_inter_op_parallelism_threads(inter)
import peer_keras as pk
print(f"inter {inter}", end=" ")
pk.bench(argparse.Namespace(depth=depth, variant=variant, jit=False, batches=20, threads=2))

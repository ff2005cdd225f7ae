"""What a stale warm state costs: `warm_polar` forward and backward on one kernel from a warm state (E small), from a state
one large step old (caught up by one undamped update) and from a state no update repairs (recomputed exactly), with XLA
off and on, interleaved in one process; TensorFlow. `python bench/recovery.py [m] [n] [rounds]` (default: 4608 512 7,
the seed's widest convolution)."""
import os, statistics, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
m, n, rounds = (int(a) for a in (sys.argv[1:] + ['4608', '512', '7'][len(sys.argv) - 1:])[:3])
sys.argv = sys.argv[:1]
import numpy as np
import tensorflow as tf
from bench import cpu_model
from lipbook.normalizers import inverse_sqrt_gram, warm_polar, matmul_precision, GRAM_SIDE_FROM

rng = np.random.default_rng(0)
w0 = np.linalg.qr(rng.normal(size=(m, n)))[0].astype('float32')
w = tf.constant(w0 + (0.1 / np.sqrt(n) * rng.normal(size=w0.shape)).astype('float32'))   # a large step from w0
probe = tf.constant(rng.normal(size=(m, n)).astype('float32'))
states = {'warm': inverse_sqrt_gram(w), 'one large step old': inverse_sqrt_gram(w0), 'stale': tf.eye(n) * 3.0}


def step(jit):
    @tf.function(jit_compile=jit)
    def forward_backward(w, z):
        with tf.GradientTape() as tape:
            tape.watch(w)
            q, z_next = warm_polar(w, z)
            loss = tf.reduce_sum(q * probe)
        return tape.gradient(loss, w), z_next
    return forward_backward


fns = {jit: step(jit) for jit in (False, True)}
times = {(jit, name): [] for jit in fns for name in states}
for (jit, name) in times: fns[jit](w, states[name])                            # compile each case once
for r in range(rounds):
    for (jit, name), t in times.items():
        start = time.perf_counter()
        grad, _ = fns[jit](w, states[name])
        grad.numpy()
        t.append(time.perf_counter() - start)
precision = matmul_precision((m, n))
side = 'Gram side' if precision == 'f32' and m >= GRAM_SIDE_FROM * n else 'product side'
print(f"warm_polar forward + backward, {m}×{n} ({precision} products, {side}); {cpu_model()}; median of {rounds} rounds, ms")
for jit in fns:
    print(f"XLA {'on ' if jit else 'off'}: " + ', '.join(f"{name} {1000 * statistics.median(times[jit, name]):.1f}" for name in states))

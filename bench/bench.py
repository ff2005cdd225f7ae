"""lipbook benchmark: training and inference overhead against plain Keras, peak memory, certificates per second.

Run from the repository root:  python bench/bench.py [--quick] [--rounds N] [--gpu]
Writes bench/RESULTS.md (and prints it). Contestants are interleaved round by round on the same machine;
each figure is the median over rounds of the median step time within a round.
"""
import argparse, datetime, os, platform, resource, statistics, sys, time

os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')
import numpy as np
import tensorflow as tf
import keras
import lipbook
from lipbook.layers import SpectralConv2D, FrobeniusDense, ScaledAveragePooling2D, ScaledGlobalAveragePooling2D
from lipbook.activations import GroupSort2
from lipbook.losses import MulticlassHKR
from lipbook.model import LossVariableModel, vanilla_export
from lipbook.certification import certificates, lipschitz_report

SEED = ((128, 128, 128, 128), (256, 256, 256, 256), (512, 512, 512))
NARROW = ((32, 32), (64, 64), (128,))


def network(blocks, lipschitz: bool, shape=(32, 32, 3), classes=10):
    "The seed's VGG-like network (or a narrower one), built from lipbook layers or from plain Keras layers."
    keras.utils.set_random_seed(0)
    x = inp = keras.Input(shape)
    for i, block in enumerate(blocks):
        for filters in block:
            conv = SpectralConv2D if lipschitz else keras.layers.Conv2D
            x = conv(filters, kernel_size=3, padding='same', kernel_initializer='orthogonal')(x)
            x = GroupSort2()(x)
        if i < len(blocks) - 1: x = (ScaledAveragePooling2D() if lipschitz else keras.layers.AveragePooling2D(2))(x)
    x = (ScaledGlobalAveragePooling2D() if lipschitz else keras.layers.GlobalAveragePooling2D())(x)
    out = (FrobeniusDense(classes) if lipschitz else keras.layers.Dense(classes))(x)
    model = LossVariableModel(inp, out, optim_margin=False) if lipschitz else keras.Model(inp, out)
    return model


def compiled(blocks, lipschitz, jit):
    model = network(blocks, lipschitz)
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=MulticlassHKR(alpha=50, min_margin=0.5), jit_compile=jit)
    return model


def step_times(model, x, y, steps):
    "Per-step wall times of `steps` training steps (after one warm-up call that compiles)."
    model.train_on_batch(x, y)  # compile + build optimizer
    times = []
    for _ in range(steps):
        t = time.perf_counter(); model.train_on_batch(x, y); times.append(time.perf_counter() - t)
    return times


def predict_times(fn, x, reps):
    fn(x)
    times = []
    for _ in range(reps):
        t = time.perf_counter(); np.asarray(fn(x)); times.append(time.perf_counter() - t)
    return times


def median(v): return statistics.median(v)


def spread(v): return (min(v), max(v))


def bench_training(blocks, batch, rounds, steps, jit):
    rng = np.random.default_rng(0)
    x = rng.random((batch, 32, 32, 3), dtype=np.float32)
    y = keras.utils.to_categorical(rng.integers(0, 10, batch), 10)
    models = {'lipbook': compiled(blocks, True, jit), 'plain': compiled(blocks, False, jit)}
    results = {k: [] for k in models}
    for r in range(rounds):
        for name, model in (models.items() if r % 2 == 0 else reversed(models.items())):
            results[name].append(median(step_times(model, x, y, steps)))
    return results


def bench_inference(blocks, batch, rounds, reps):
    rng = np.random.default_rng(1)
    x = tf.constant(rng.random((batch, 32, 32, 3), dtype=np.float32))
    lip = network(blocks, True); plain = network(blocks, False); exported = vanilla_export(lip)
    fns = {name: tf.function(lambda t, m=m: m(t, training=False), jit_compile=False)
           for name, m in (('lipbook', lip), ('exported', exported), ('plain', plain))}
    results = {k: [] for k in fns}
    for r in range(rounds):
        for name, fn in fns.items(): results[name].append(median(predict_times(fn, x, reps)))
    return results


def bench_certificates(blocks, n=256):
    model = network(blocks, True)
    x = np.random.default_rng(2).random((n, 32, 32, 3), dtype=np.float32)
    t = time.perf_counter(); report = lipschitz_report(model); t_bound = time.perf_counter() - t
    certificates(model, x[:32], report=report)
    t = time.perf_counter(); certificates(model, x, report=report); t_cert = time.perf_counter() - t
    return n / t_cert, t_bound


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--quick', action='store_true', help='narrow network only, fewer rounds (a smoke run)')
    p.add_argument('--rounds', type=int, default=3)
    p.add_argument('--steps', type=int, default=5)
    p.add_argument('--jit', choices=('auto', 'on', 'off'), default='auto')
    p.add_argument('--out', default=os.path.join(os.path.dirname(__file__), 'RESULTS.md'))
    args = p.parse_args(argv)
    jit = {'auto': 'auto', 'on': True, 'off': False}[args.jit]
    rows, started = [], time.time()
    cases = [('narrow', NARROW, 64)] + ([] if args.quick else [('seed', SEED, 32)])
    for label, blocks, batch in cases:
        res = bench_training(blocks, batch, args.rounds, args.steps, jit)
        rows.append((f'training step, {label} network, batch {batch}', res))
    res = bench_inference(NARROW, 64, args.rounds, 10)
    rows.append(('inference, narrow network, batch 64', res))
    cps, t_bound = bench_certificates(NARROW)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines = [f"# lipbook benchmark", "",
             f"Command: `python bench/bench.py {' '.join(argv if argv is not None else sys.argv[1:])}`  ",
             f"Date: {datetime.date.today()}; machine: {platform.machine()}, {os.cpu_count()} CPU cores, "
             f"devices: {[d.device_type for d in tf.config.list_physical_devices()]}  ",
             f"Versions: lipbook {lipbook.__version__}, TensorFlow {tf.__version__}, Keras {keras.__version__}, "
             f"numpy {np.__version__}, Python {platform.python_version()}; jit_compile={args.jit}; rounds={args.rounds} (interleaved)", "",
             "| measurement | contestant | median s | min–max over rounds | ratio to plain Keras |", "|---|---|---|---|---|"]
    for title, res in rows:
        base = median(res['plain'])
        for name, v in res.items():
            lo, hi = spread(v)
            lines.append(f"| {title} | {name} | {median(v):.4f} | {lo:.4f}–{hi:.4f} | {median(v) / base:.2f}× |")
    lines += ["", f"Certificates per second (narrow network, 32×32×3, pairwise, bound precomputed): {cps:.0f}  ",
              f"Lipschitz bound of the narrow network at its input size: {t_bound:.2f} s  ",
              f"Peak resident memory of the benchmark process: {peak:.0f} MiB  ",
              f"Total benchmark time: {time.time() - started:.0f} s", ""]
    text = '\n'.join(lines)
    with open(args.out, 'w') as f: f.write(text)
    print(text)


if __name__ == '__main__':
    main()

"""lipbook benchmark: training and inference overhead against plain Keras, peak memory, certificates per second.

Run from the repository root:  python bench/bench.py [--quick] [--rounds N]      (2 CPU cores: about 3 minutes)
                               python bench/bench.py --gpu                       (on a GPU machine)
Writes bench/RESULTS.md (bench/RESULTS-gpu.md with --gpu) and prints it. Contestants are interleaved round by round
on the same machine; each figure is the median over rounds of the median step time within a round.
"""
import argparse, datetime, os, platform, resource, statistics, subprocess, sys, time

os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')
import numpy as np
import tensorflow as tf
import keras
import lipbook
from lipbook.layers import SpectralConv2D, FrobeniusDense, ScaledAveragePooling2D, ScaledGlobalAveragePooling2D
from lipbook.activations import GroupSort2
from lipbook.losses import MulticlassHKR
from lipbook.model import LossVariableModel, vanilla_export
from lipbook.normalizers import active_orthogonalizer
from lipbook.certification import certificates, lipschitz_report

SEED = ((128, 128, 128, 128), (256, 256, 256, 256), (512, 512, 512))
NARROW = ((32, 32), (64, 64), (128,))


def network(blocks, orthogonalizer=None, shape=(32, 32, 3), classes=10):
    "The seed's VGG-like network (or a narrower one): lipbook layers with `orthogonalizer`, or plain Keras layers if None."
    keras.utils.set_random_seed(0)
    lipschitz = orthogonalizer is not None
    x = inp = keras.Input(shape)
    for i, block in enumerate(blocks):
        for filters in block:
            if lipschitz: x = SpectralConv2D(filters, 3, padding='same', orthogonalizer=orthogonalizer)(x)
            else: x = keras.layers.Conv2D(filters, 3, padding='same', kernel_initializer='orthogonal')(x)
            x = GroupSort2()(x)
        if i < len(blocks) - 1: x = (ScaledAveragePooling2D() if lipschitz else keras.layers.AveragePooling2D(2))(x)
    x = (ScaledGlobalAveragePooling2D() if lipschitz else keras.layers.GlobalAveragePooling2D())(x)
    out = (FrobeniusDense(classes) if lipschitz else keras.layers.Dense(classes))(x)
    return LossVariableModel(inp, out, optim_margin=False) if lipschitz else keras.Model(inp, out)


def compiled(blocks, orthogonalizer, jit):
    model = network(blocks, orthogonalizer)
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


def batch_data(batch):
    "A random CIFAR-shaped batch and one-hot labels."
    rng = np.random.default_rng(0)
    return rng.random((batch, 32, 32, 3), dtype=np.float32), keras.utils.to_categorical(rng.integers(0, 10, batch), 10)


def bench_training(blocks, batch, rounds, steps, contestants, jit):
    "Median step times of each contestant (name -> orthogonalizer, None for plain Keras), interleaved round by round."
    x, y = batch_data(batch)
    models = {name: compiled(blocks, o, jit) for name, o in contestants.items()}
    results = {k: [] for k in models}
    for r in range(rounds):
        for name, model in (models.items() if r % 2 == 0 else reversed(models.items())):
            results[name].append(median(step_times(model, x, y, steps)))
    return results


def bench_inference(blocks, batch, rounds, reps):
    rng = np.random.default_rng(1)
    x = tf.constant(rng.random((batch, 32, 32, 3), dtype=np.float32))
    lip = network(blocks, 'auto'); plain = network(blocks); exported = vanilla_export(lip)
    fns = {name: tf.function(lambda t, m=m: m(t, training=False), jit_compile=False)
           for name, m in (('lipbook', lip), ('exported', exported), ('plain', plain))}
    results = {k: [] for k in fns}
    for r in range(rounds):
        for name, fn in (fns.items() if r % 2 == 0 else reversed(fns.items())):
            results[name].append(median(predict_times(fn, x, reps)))
    return results


def bench_certificates(blocks, n=256):
    model = network(blocks, 'auto')
    x = np.random.default_rng(2).random((n, 32, 32, 3), dtype=np.float32)
    t = time.perf_counter(); report = lipschitz_report(model); t_bound = time.perf_counter() - t
    certificates(model, x[:32], report=report)
    t = time.perf_counter(); certificates(model, x, report=report); t_cert = time.perf_counter() - t
    return n / t_cert, t_bound


def peak_rss_mib():
    "This process's peak resident memory in MiB (VmHWM on Linux: unlike ru_maxrss it does not inherit the parent's peak)."
    try:
        with open('/proc/self/status') as f:
            return next(int(l.split()[1]) for l in f if l.startswith('VmHWM:')) / 1024
    except (OSError, StopIteration): return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_training_memory(blocks_name, batch, orthogonalizer, steps=3):
    "Peak resident memory (MiB) of a fresh process that builds one contestant and runs `steps` training steps."
    code = (f"import sys; sys.path.insert(0, {os.path.dirname(os.path.abspath(__file__))!r}); import bench\n"
            f"bench.step_times(bench.compiled(bench.{blocks_name}, {orthogonalizer!r}, 'auto'), *bench.batch_data({batch}), {steps})\n"
            "print(bench.peak_rss_mib())")
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True)
    return float(out.stdout.split()[-1])


def table(rows, unit='s'):
    scale = 1000 if unit == 'ms' else 1
    lines = [f"| measurement | contestant | median {unit} | min–max over rounds | ratio to plain Keras |", "|---|---|---|---|---|"]
    for title, res in rows:
        base = median(res['plain'])
        for name, v in res.items():
            lines.append(f"| {title} | {name} | {scale * median(v):.4g} | {scale * min(v):.4g}–{scale * max(v):.4g} "
                         f"| {median(v) / base:.2f}× |")
    return lines


def header(argv, extra):
    devices = [d.device_type for d in tf.config.list_physical_devices()]
    gpus = [tf.config.experimental.get_device_details(d).get('device_name', 'GPU')
            for d in tf.config.list_physical_devices('GPU')]
    return ["# lipbook benchmark", "",
            f"Command: `{' '.join(['python bench/bench.py', *(argv if argv is not None else sys.argv[1:])])}`  ",
            f"Date: {datetime.date.today()}; machine: {platform.machine()}, {os.cpu_count()} CPU cores, devices: {devices}"
            + (f" ({', '.join(gpus)})" if gpus else "") + "  ",
            f"Versions: lipbook {lipbook.__version__}, TensorFlow {tf.__version__}, Keras {keras.__version__}, "
            f"numpy {np.__version__}, Python {platform.python_version()}; {extra}", ""]


def cpu_main(args, argv):
    jit = {'auto': 'auto', 'on': True, 'off': False}[args.jit]
    rows, started = [], time.time()
    rows.append(('training step, narrow network, batch 64',
                 bench_training(NARROW, 64, args.rounds, args.steps, {'lipbook': 'auto', 'plain': None}, jit)))
    if not args.quick:
        other = 'bjorck' if active_orthogonalizer() == 'polar' else 'polar'
        rows.append(('training step, seed network, batch 32',
                     bench_training(SEED, 32, args.rounds, args.steps,
                                    {'lipbook': 'auto', f'lipbook ({other})': other, 'plain': None}, jit)))
    rows.append(('inference, narrow network, batch 64', bench_inference(NARROW, 64, args.rounds, 30)))
    cps, t_bound = bench_certificates(NARROW)
    memory = [(label, batch, {name: peak_training_memory(label.upper(), batch, o) for name, o in
                              (('lipbook', 'auto'), ('plain', None))})
              for label, batch in (('narrow', 64),) + (() if args.quick else (('seed', 32),))]
    peak = peak_rss_mib()
    lines = header(argv, f"jit_compile={args.jit}; rounds={args.rounds} (interleaved); "
                         f"orthogonalizer 'auto' = '{active_orthogonalizer()}' here")
    lines += table(rows)
    lines += ["", "Peak resident memory of a fresh process building one model and running 3 training steps "
              "(TensorFlow's own footprint included):", "",
              "| network | lipbook MiB | plain MiB | ratio |", "|---|---|---|---|"]
    lines += [f"| {label}, batch {batch} | {m['lipbook']:.0f} | {m['plain']:.0f} | {m['lipbook'] / m['plain']:.2f}× |"
              for label, batch, m in memory]
    lines += ["", f"Certificates per second (narrow network, 32×32×3, pairwise, bound precomputed): {cps:.0f}  ",
              f"Lipschitz bound of the narrow network at its input size: {t_bound:.2f} s  ",
              f"Peak resident memory of the benchmark process: {peak:.0f} MiB  ",
              f"Total benchmark time: {time.time() - started:.0f} s", ""]
    return lines


def gpu_main(args, argv):
    "The seed's network at batch 128 on the GPU: ms/step and images/s, both orthogonalisers, XLA on and off."
    if not tf.config.list_physical_devices('GPU'): sys.exit('--gpu: no GPU is visible to TensorFlow on this machine.')
    started, lines = time.time(), []
    batch = 128
    for jit in (True, False):
        contestants = {'lipbook (bjorck)': 'bjorck', 'lipbook (polar)': 'polar', 'plain': None}
        res = bench_training(SEED, batch, args.rounds, args.steps, contestants, jit)
        lines += [f"## XLA {'on' if jit else 'off'}", ""] + table([(f'training step, seed network, batch {batch}', res)], 'ms')
        lines += ["", "| contestant | images/s |", "|---|---|"]
        lines += [f"| {name} | {batch / median(v):.0f} |" for name, v in res.items()] + [""]
    peak = tf.config.experimental.get_memory_info('GPU:0')['peak'] / 2 ** 20
    lines += [f"Peak GPU memory of the benchmark process: {peak:.0f} MiB  ",
              f"Total benchmark time: {time.time() - started:.0f} s", ""]
    return header(argv, f"rounds={args.rounds} (interleaved)") + lines


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--quick', action='store_true', help='narrow network only (a smoke run)')
    p.add_argument('--gpu', action='store_true', help="the seed's network at batch 128 on the GPU, XLA on and off")
    p.add_argument('--rounds', type=int, default=5)
    p.add_argument('--steps', type=int, default=5)
    p.add_argument('--jit', choices=('auto', 'on', 'off'), default='auto', help='XLA for the CPU run')
    p.add_argument('--out', help='where to write the results (default bench/RESULTS.md, or RESULTS-gpu.md with --gpu)')
    args = p.parse_args(argv)
    lines = gpu_main(args, argv) if args.gpu else cpu_main(args, argv)
    out = args.out or os.path.join(os.path.dirname(__file__), 'RESULTS-gpu.md' if args.gpu else 'RESULTS.md')
    text = '\n'.join(lines)
    with open(out, 'w') as f: f.write(text)
    print(text)


if __name__ == '__main__':
    main()

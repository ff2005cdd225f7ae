"""lipbook benchmark: training and inference overhead against plain Keras, peak memory, certificates per second.

Run from the repository root:  python bench/bench.py [--quick] [--rounds N]      (2 CPU cores: about 15 minutes)
                               python bench/bench.py --gpu                       (on a GPU machine)
                               python bench/bench.py --backend all [--quick]     (TensorFlow, JAX and PyTorch side by side)
Writes bench/RESULTS.md (bench/RESULTS-gpu.md with --gpu, bench/RESULTS-backends.md with --backend) and prints it.
Contestants are interleaved round by round on the same machine; each figure is the median over rounds of the median
step time within a round. The first two run on the Keras backend of the environment (KERAS_BACKEND, TensorFlow by
default); --backend runs the training-step comparison on each backend named, each in a fresh process (Keras fixes its
backend when it is imported).
"""
import argparse, datetime, json, os, platform, re, resource, statistics, subprocess, sys, tempfile, time

BACKENDS = ('tensorflow', 'jax', 'torch')
BACKEND_TITLES = {'tensorflow': 'TensorFlow', 'jax': 'JAX', 'torch': 'PyTorch'}


def _backend_argument(argv) -> str | None:
    "The value of --backend in `argv` (None if absent), read before Keras is imported."
    for i, a in enumerate(argv):
        if a == '--backend' and i + 1 < len(argv): return argv[i + 1]
        if a.startswith('--backend='): return a.split('=', 1)[1]
    return None


if __name__ == '__main__' and '--worker' in sys.argv and _backend_argument(sys.argv[1:]) in BACKENDS:
    os.environ['KERAS_BACKEND'] = _backend_argument(sys.argv[1:])     # a worker of --backend: its backend, before Keras loads
os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')
import numpy as np
import keras
from keras import ops
import lipbook
from lipbook.core import walk_layers
from lipbook.layers import (SpectralDense, SpectralConv2D, FrobeniusDense, ScaledAveragePooling2D, ScaledGlobalAveragePooling2D,
                            LipschitzKernelLayer)
from lipbook.activations import GroupSort2
from lipbook.losses import MulticlassHKR
from lipbook.model import LossVariableModel, vanilla_export
from lipbook.normalizers import active_orthogonalizer, WARM_FROM
from lipbook.certification import certificates, lipschitz_report

SEED = ((128, 128, 128, 128), (256, 256, 256, 256), (512, 512, 512))
NARROW = ((32, 32), (64, 64), (128,))


def _model(inp, out, lipschitz):
    return LossVariableModel(inp, out, optim_margin=False) if lipschitz else keras.Model(inp, out)


def vgg(blocks, orthogonalizer=None):
    "The seed's VGG-like CIFAR network (or a narrower one): lipbook layers with `orthogonalizer`, or plain Keras layers if None."
    keras.utils.set_random_seed(0)
    lipschitz = orthogonalizer is not None
    x = inp = keras.Input((32, 32, 3))
    for i, block in enumerate(blocks):
        for filters in block:
            if lipschitz: x = SpectralConv2D(filters, 3, padding='same', orthogonalizer=orthogonalizer)(x)
            else: x = keras.layers.Conv2D(filters, 3, padding='same', kernel_initializer='orthogonal')(x)
            x = GroupSort2()(x)
        if i < len(blocks) - 1: x = (ScaledAveragePooling2D() if lipschitz else keras.layers.AveragePooling2D(2))(x)
    x = (ScaledGlobalAveragePooling2D() if lipschitz else keras.layers.GlobalAveragePooling2D())(x)
    return _model(inp, (FrobeniusDense(10) if lipschitz else keras.layers.Dense(10))(x), lipschitz)


def _dense(units, orthogonalizer):
    if orthogonalizer is None: return keras.layers.Dense(units, kernel_initializer='orthogonal')
    return SpectralDense(units, orthogonalizer=orthogonalizer)


def mnist_dense(orthogonalizer=None):
    "MNIST dense 784→1024→1024→10: SpectralDense ×2 + FrobeniusDense with GroupSort2 (plain Dense layers if None)."
    keras.utils.set_random_seed(0)
    x = inp = keras.Input((784,))
    for units in (1024, 1024): x = GroupSort2()(_dense(units, orthogonalizer)(x))
    return _model(inp, (keras.layers.Dense(10) if orthogonalizer is None else FrobeniusDense(10))(x), orthogonalizer is not None)


def mnist_4c3f(orthogonalizer=None):
    "MNIST 4C3F: SpectralConv2D 32, 32/2, 64, 64/2 + SpectralDense 512, 512 + FrobeniusDense, GroupSort2 (plain if None)."
    keras.utils.set_random_seed(0)
    x = inp = keras.Input((28, 28, 1))
    for filters, strides in ((32, 1), (32, 2), (64, 1), (64, 2)):
        x = GroupSort2()((keras.layers.Conv2D(filters, 3, strides=strides, padding='same', kernel_initializer='orthogonal')
                          if orthogonalizer is None else
                          SpectralConv2D(filters, 3, strides=strides, padding='same', orthogonalizer=orthogonalizer))(x))
    x = keras.layers.Flatten()(x)
    for units in (512, 512): x = GroupSort2()(_dense(units, orthogonalizer)(x))
    return _model(inp, (keras.layers.Dense(10) if orthogonalizer is None else FrobeniusDense(10))(x), orthogonalizer is not None)


NETWORKS = {   # name -> (builder(orthogonalizer), input shape, batch, title)
    'narrow': (lambda o=None: vgg(NARROW, o), (32, 32, 3), 64, 'narrow CIFAR network, batch 64'),
    'seed': (lambda o=None: vgg(SEED, o), (32, 32, 3), 32, "seed's CIFAR network, batch 32"),
    'dense': (mnist_dense, (784,), 256, 'MNIST dense 1024-1024, batch 256'),
    '4c3f': (mnist_4c3f, (28, 28, 1), 256, 'MNIST 4C3F, batch 256'),
}


def compiled(net, orthogonalizer, jit):
    model = NETWORKS[net][0](orthogonalizer)
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=MulticlassHKR(alpha=50, min_margin=0.5), jit_compile=jit)
    return model


WARM_UP = 10   # training steps before timing: tracing, the optimiser's variables, and the warm route's first recoveries
               # (Adam's first steps move every weight by the full learning rate, so the warm factor recomputes exactly
               # for about five steps; after that a step costs what the tables say)


def step_times(model, x, y, steps):
    "Per-step wall times of `steps` training steps."
    times = []
    for _ in range(steps):
        t = time.perf_counter(); model.train_on_batch(x, y); times.append(time.perf_counter() - t)
    return times


def predict_times(fn, x, reps):
    fn(x)
    times = []
    for _ in range(reps):
        t = time.perf_counter(); out = fn(x); out is None or ops.convert_to_numpy(out); times.append(time.perf_counter() - t)
    return times


def median(v): return statistics.median(v)


def batch_data(net, batch=None):
    "A random batch of `net`'s input shape (and batch size, unless given), and one-hot labels."
    _, shape, default, _ = NETWORKS[net]
    batch = batch or default
    rng = np.random.default_rng(0)
    return rng.random((batch, *shape), dtype=np.float32), keras.utils.to_categorical(rng.integers(0, 10, batch), 10)


def reparametrisation(model):
    """A compiled function running every constrained layer's reparametrisation forward and backward (what a step pays
    for it); TensorFlow only (gradients with respect to variables have no backend-neutral route in Keras), else None."""
    if keras.backend.backend() != 'tensorflow': return None
    import tensorflow as tf
    layers = [l for l in walk_layers(model) if isinstance(l, LipschitzKernelLayer)]
    kernels = [l.kernel for l in layers]
    probes = [tf.constant(np.random.default_rng(i).standard_normal(k.shape).astype('float32')) for i, k in enumerate(kernels)]

    @tf.function
    def forward_backward():
        with tf.GradientTape() as tape:
            total = tf.add_n([tf.reduce_sum(l.compute_kernel()[0] * p) for l, p in zip(layers, probes)])
        return tf.add_n([tf.reduce_sum(g) for g in tape.gradient(total, kernels)])
    return forward_backward


def bench_training(net, rounds, steps, contestants, jit, batch=None, warm_up=WARM_UP, split=True):
    """Median step times of each contestant (name -> orthogonalizer, None for plain Keras), interleaved round by round,
    and with `split`, for each lipbook contestant the median time of its reparametrisation alone (forward and backward;
    TensorFlow only)."""
    x, y = batch_data(net, batch)
    models = {name: compiled(net, o, jit) for name, o in contestants.items()}
    for model in models.values(): step_times(model, x, y, warm_up)
    reparam = {name: reparametrisation(m) for name, m in models.items() if split and contestants[name] is not None}
    reparam = {name: fn for name, fn in reparam.items() if fn is not None}
    results, split = {k: [] for k in models}, {k: [] for k in reparam}
    for r in range(rounds):
        for name, model in (models.items() if r % 2 == 0 else reversed(models.items())):
            results[name].append(median(step_times(model, x, y, steps)))
            if name in reparam: split[name].append(median(predict_times(lambda _: reparam[name](), None, steps)))
    return results, split


def inference_function(model):
    "`model`'s inference on a batch as a compiled function: a tf.function on TensorFlow, Keras's predict step elsewhere."
    if keras.backend.backend() == 'tensorflow':
        import tensorflow as tf
        return tf.function(lambda t: model(t, training=False), jit_compile=False)
    return model.predict_on_batch


def bench_inference(net, rounds, reps):
    builder, shape, batch, _ = NETWORKS[net]
    x = ops.convert_to_tensor(np.random.default_rng(1).random((batch, *shape), dtype=np.float32))
    lip = builder('auto'); plain = builder(); exported = vanilla_export(lip)
    fns = {name: inference_function(m) for name, m in (('lipbook', lip), ('exported', exported), ('plain', plain))}
    results = {k: [] for k in fns}
    for r in range(rounds):
        for name, fn in (fns.items() if r % 2 == 0 else reversed(fns.items())):
            results[name].append(median(predict_times(fn, x, reps)))
    return results


def bench_certificates(net, n=256):
    builder, shape, _, _ = NETWORKS[net]
    model = builder('auto')
    x = np.random.default_rng(2).random((n, *shape), dtype=np.float32)
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


def peak_training_memory(net, orthogonalizer, steps=3):
    "Peak resident memory (MiB) of a fresh process that builds one contestant and runs `steps` training steps (and one to trace)."
    code = (f"import sys; sys.path.insert(0, {os.path.dirname(os.path.abspath(__file__))!r}); import bench\n"
            f"bench.step_times(bench.compiled({net!r}, {orthogonalizer!r}, 'auto'), *bench.batch_data({net!r}), {steps} + 1)\n"
            "print(bench.peak_rss_mib())")
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True)
    return float(out.stdout.split()[-1])


def table(rows, unit='s'):
    "Markdown rows: each contestant's median step, its spread over rounds, its ratio to plain Keras."
    scale = 1000 if unit == 'ms' else 1
    lines = [f"| measurement | contestant | median {unit} | min–max over rounds | ratio to plain Keras |", "|---|---|---|---|---|"]
    for title, res in rows:
        base = median(res['plain'])
        for name, v in res.items():
            lines.append(f"| {title} | {name} | {scale * median(v):.4g} | {scale * min(v):.4g}–{scale * max(v):.4g} "
                         f"| {median(v) / base:.2f}× |")
    return lines


def split_table(splits):
    "Markdown rows: each lipbook contestant's step split into its reparametrisation (forward + backward) and the rest."
    lines = ["| network | contestant | step ms | reparametrisation fwd+bwd ms | rest ms | plain Keras step ms |",
             "|---|---|---|---|---|---|"]
    for title, res, split in splits:
        for name, v in split.items():
            step, rep = median(res[name]), median(v)
            lines.append(f"| {title} | {name} | {1000 * step:.1f} | {1000 * rep:.1f} ({rep / step:.0%}) | "
                         f"{1000 * max(step - rep, 0):.1f} | {1000 * median(res['plain']):.1f} |")
    return lines


def devices() -> tuple:
    "The device types this process's Keras backend sees, and the names of its GPUs."
    backend = keras.backend.backend()
    if backend == 'tensorflow':
        import tensorflow as tf
        gpus = tf.config.list_physical_devices('GPU')
        return ([d.device_type for d in tf.config.list_physical_devices()],
                [tf.config.experimental.get_device_details(d).get('device_name', 'GPU') for d in gpus])
    if backend == 'jax':
        import jax
        return [d.platform.upper() for d in jax.devices()], [d.device_kind for d in jax.devices() if d.platform == 'gpu']
    import torch
    gpus = [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
    return ['CPU'] + ['GPU'] * len(gpus), gpus


def backend_version() -> str:
    "The Keras backend of this process and its package's version."
    from importlib.metadata import version
    backend = keras.backend.backend()
    return f"{BACKEND_TITLES.get(backend, backend)} {version(backend)}"


def header(argv, extra):
    kinds, gpus = devices()
    return ["# lipbook benchmark", "",
            f"Command: `{' '.join(['python bench/bench.py', *(argv if argv is not None else sys.argv[1:])])}`  ",
            f"Date: {datetime.date.today()}; machine: {platform.machine()}, {os.cpu_count()} CPU cores, devices: {kinds}"
            + (f" ({', '.join(gpus)})" if gpus else "") + "  ",
            f"Versions: lipbook {lipbook.__version__}, Keras {keras.__version__} on {backend_version()}, "
            f"numpy {np.__version__}, Python {platform.python_version()}; {extra}", ""]


def contestants(net):
    "Who races on `net`: 'auto' (named after what it picks here), the other orthogonalisers, plain Keras."
    auto = NETWORKS[net][0]('auto')
    picks = sorted({l.active_orthogonalizer for l in walk_layers(auto) if hasattr(l, 'active_orthogonalizer')})
    others = ('warm', 'polar') if net == 'seed' else ('warm', 'polar', 'bjorck')
    return {f"lipbook auto ({'/'.join(picks)})": 'auto', **{f'lipbook {o}': o for o in others if [o] != picks}, 'plain': None}


def cpu_main(args, argv):
    jit = {'auto': 'auto', 'on': True, 'off': False}[args.jit]
    nets = args.networks or (('narrow', 'dense') if args.quick else ('narrow', 'dense', '4c3f', 'seed'))
    rows, splits, started = [], [], time.time()
    for net in nets:
        res, split = bench_training(net, args.rounds, args.steps, contestants(net), jit)
        rows.append((f'training step, {NETWORKS[net][3]}', res)); splits.append((NETWORKS[net][3], res, split))
        print(*table(rows[-1:], 'ms')[2:], sep='\n', flush=True)
    rows.append(('inference, narrow CIFAR network, batch 64', bench_inference('narrow', args.rounds, 30)))
    cps, t_bound = bench_certificates('narrow')
    memory = [(net, {name: peak_training_memory(net, o) for name, o in (('lipbook', 'auto'), ('plain', None))})
              for net in nets]
    peak = peak_rss_mib()
    lines = header(argv, f"jit_compile={args.jit}; rounds={args.rounds} (interleaved) × {args.steps} steps; "
                         f"orthogonalizer 'auto' here: '{active_orthogonalizer(shape=(WARM_FROM, WARM_FROM))}' for kernel matrices "
                         f"of ≥ {WARM_FROM} columns, '{active_orthogonalizer(shape=(WARM_FROM - 1, WARM_FROM - 1))}' below")
    lines += table(rows, 'ms')
    lines += ["", "Where a lipbook step goes: its reparametrisation alone (every constrained layer's kernel, forward and "
              "backward, timed in the same rounds), and the rest (the network's own forward and backward, optimiser):", ""]
    lines += split_table(splits)
    lines += ["", "Peak resident memory of a fresh process building one model and running 4 training steps "
              "(the backend's own footprint included):", "",
              "| network | lipbook MiB | plain MiB | ratio |", "|---|---|---|---|"]
    lines += [f"| {NETWORKS[net][3]} | {m['lipbook']:.0f} | {m['plain']:.0f} | {m['lipbook'] / m['plain']:.2f}× |"
              for net, m in memory]
    lines += ["", f"Certificates per second (narrow network, 32×32×3, pairwise, bound precomputed): {cps:.0f}  ",
              f"Lipschitz bound of the narrow network at its input size: {t_bound:.2f} s  ",
              f"Peak resident memory of the benchmark process: {peak:.0f} MiB  ",
              f"Total benchmark time: {time.time() - started:.0f} s", ""]
    return lines


def gpu_main(args, argv):
    "The seed's network at batch 128 on the GPU: ms/step and images/s, each orthogonaliser, XLA on and off (TensorFlow)."
    if keras.backend.backend() != 'tensorflow': sys.exit('--gpu: runs on TensorFlow (KERAS_BACKEND=tensorflow).')
    import tensorflow as tf
    if not tf.config.list_physical_devices('GPU'): sys.exit('--gpu: no GPU is visible to TensorFlow on this machine.')
    started, lines = time.time(), []
    batch = 128
    for jit in (True, False):
        contestants = {f'lipbook {o}': o for o in ('bjorck', 'warm', 'polar')} | {'plain': None}
        res, _ = bench_training('seed', args.rounds, args.steps, contestants, jit, batch)
        lines += [f"## XLA {'on' if jit else 'off'}", ""] + table([(f'training step, seed network, batch {batch}', res)], 'ms')
        lines += ["", "| contestant | images/s |", "|---|---|"]
        lines += [f"| {name} | {batch / median(v):.0f} |" for name, v in res.items()] + [""]
    peak = tf.config.experimental.get_memory_info('GPU:0')['peak'] / 2 ** 20
    lines += [f"Peak GPU memory of the benchmark process: {peak:.0f} MiB  ",
              f"Total benchmark time: {time.time() - started:.0f} s", ""]
    return header(argv, f"rounds={args.rounds} (interleaved)") + lines


QUICK_BATCH, QUICK_WARM_UP = 8, 2   # --backend --quick: a smoke run, not a measurement


def what_failed(stderr:str) -> str:
    "The line of a failed process's standard error that names its exception (and, for Keras's wrapped ones, its message)."
    lines = [l.strip() for l in re.sub(r'\x1b\[[0-9;]*m', '', stderr or '').splitlines() if l.strip()]
    named = [i for i, l in enumerate(lines) if re.match(r'^[\w.]+(Error|Exception|Exit)\b', l)]
    if not named: return lines[-1] if lines else 'no output'
    i = named[-1]
    return lines[i] + (f' {lines[i + 1]}' if 'Exception encountered' in lines[i] and i + 1 < len(lines) else '')


def backend_worker(args):
    "One backend's side of --backend: each network's training step, lipbook ('auto') and plain Keras interleaved, into JSON."
    nets = args.networks or (('narrow', 'dense') if args.quick else tuple(NETWORKS))
    batch, warm_up = (QUICK_BATCH, QUICK_WARM_UP) if args.quick else (None, WARM_UP)
    kinds, gpus = devices()
    out = dict(backend=keras.backend.backend(), version=backend_version(), devices=kinds, gpus=gpus, networks={})
    for net in nets:
        res, _ = bench_training(net, args.rounds, args.steps, {'lipbook': 'auto', 'plain': None}, 'auto', batch, warm_up, split=False)
        out['networks'][net] = res
        print(f"{out['backend']} {net}: lipbook {1000 * median(res['lipbook']):.1f} ms, plain {1000 * median(res['plain']):.1f} ms",
              flush=True)
    with open(args.worker, 'w') as f: json.dump(out, f)


def backends_main(args, argv):
    "--backend: the training-step comparison on each backend named, each in a fresh process, side by side."
    names = BACKENDS if args.backend == 'all' else (args.backend,)
    nets = args.networks or (('narrow', 'dense') if args.quick else tuple(NETWORKS))
    folder, found, failed, started = tempfile.mkdtemp(prefix='lipbook-bench-'), {}, {}, time.time()
    for backend in names:
        path = os.path.join(folder, f'{backend}.json')
        command = [sys.executable, os.path.abspath(__file__), '--backend', backend, '--worker', path, '--rounds', str(args.rounds),
                   '--steps', str(args.steps), '--networks', *nets] + (['--quick'] if args.quick else [])
        done = subprocess.run(command, env={**os.environ, 'KERAS_BACKEND': backend}, stderr=subprocess.PIPE, text=True)
        if done.returncode or not os.path.exists(path): failed[backend] = what_failed(done.stderr)
        else:
            with open(path) as f: found[backend] = json.load(f)
    ran = [b for b in names if b in found]
    size = (f"--quick: batch {QUICK_BATCH}, {QUICK_WARM_UP} warm-up steps (a smoke run, not a measurement)" if args.quick
            else f"each network's batch, {WARM_UP} warm-up steps")
    lines = header(argv, f"rounds={args.rounds} (lipbook and plain Keras interleaved) × {args.steps} steps; {size}; "
                         "orthogonalizer 'auto', jit_compile 'auto' (Keras's choice per backend)")
    if ran: lines += ["Backends: " + '; '.join(f"{found[b]['version']} (devices: {', '.join(found[b]['devices'])})" for b in ran) + "  "]
    lines += [f"Failed: {BACKEND_TITLES[b]}: {msg}  " for b, msg in failed.items()]
    lines += ["", "Training step, median ms (min–max over rounds), and lipbook's ratio to plain Keras on the same backend:", "",
              "| network | " + " | ".join(f"{BACKEND_TITLES[b]} lipbook | {BACKEND_TITLES[b]} plain | ratio" for b in ran) + " |",
              "|---|" + "---|---|---|" * len(ran)]
    for net in nets:
        cells = []
        for b in ran:
            res = found[b]['networks'][net]
            cells += [f"{1000 * median(res[k]):.4g} ({1000 * min(res[k]):.4g}–{1000 * max(res[k]):.4g})" for k in ('lipbook', 'plain')]
            cells.append(f"{median(res['lipbook']) / median(res['plain']):.2f}×")
        lines.append(f"| {NETWORKS[net][3] if not args.quick else f'{net}, batch {QUICK_BATCH}'} | " + " | ".join(cells) + " |")
    lines += ["", f"Total benchmark time: {time.time() - started:.0f} s", ""]
    return lines, failed


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--quick', action='store_true', help='narrow network only (a smoke run)')
    p.add_argument('--gpu', action='store_true', help="the seed's network at batch 128 on the GPU, XLA on and off")
    p.add_argument('--networks', nargs='+', choices=list(NETWORKS), help='the networks to time (default: all; --quick: narrow, dense)')
    p.add_argument('--rounds', type=int, default=5)
    p.add_argument('--steps', type=int, default=5)
    p.add_argument('--jit', choices=('auto', 'on', 'off'), default='auto', help='XLA for the CPU run')
    p.add_argument('--backend', choices=(*BACKENDS, 'all'),
                   help="time the training step of lipbook against plain Keras on this Keras backend (or on all three), "
                        "each in a fresh process, into bench/RESULTS-backends.md")
    p.add_argument('--worker', help=argparse.SUPPRESS)   # --backend's own subprocesses: the JSON file to write
    p.add_argument('--out', help='where to write the results (default bench/RESULTS.md, RESULTS-gpu.md with --gpu, '
                                 'RESULTS-backends.md with --backend)')
    args = p.parse_args(argv)
    if args.worker: return backend_worker(args)
    failed = {}
    if args.backend: lines, failed = backends_main(args, argv)
    else: lines = gpu_main(args, argv) if args.gpu else cpu_main(args, argv)
    name = 'RESULTS-backends.md' if args.backend else 'RESULTS-gpu.md' if args.gpu else 'RESULTS.md'
    out = args.out or os.path.join(os.path.dirname(__file__), name)
    text = '\n'.join(lines)
    with open(out, 'w') as f: f.write(text)
    print(text)
    if failed: sys.exit(f"--backend: failed on {', '.join(failed)}")


if __name__ == '__main__':
    main()

"""lipbook benchmark: training and inference overhead against plain Keras, peak memory, certificates per second.

Run from the repository root:  python bench/bench.py [--quick] [--rounds N]      (2 CPU cores: about 15 minutes)
                               python bench/bench.py --backend all [--quick]     (TensorFlow, JAX and PyTorch side by side)
                               python bench/bench.py --xla [--quick]             (TensorFlow, XLA on and off, each CPU path)
                               python bench/bench.py --gpu [--tiny]              (on a GPU machine; bench/gpu.sh wraps it)
Writes bench/RESULTS.md (RESULTS-backends.md with --backend, RESULTS-xla.md with --xla, RESULTS-gpu.md with --gpu) and
prints it. Contestants are interleaved round by round on the same machine (the order reversed every other round); each
figure is the median over rounds of the median step time within a round. The plain run and --gpu use the Keras backend
of the environment (KERAS_BACKEND, TensorFlow by default); --backend and --xla run each network (and each backend, or
each CPU path) in a fresh worker process (Keras fixes its backend when it is imported, lipbook its CPU path), and a
contestant or worker that fails is reported in its cell and in the file's list of failures, the others go on.
"""
import argparse, collections, contextlib, datetime, functools, json, math, os, platform, re, resource, statistics, subprocess, sys, tempfile, time
import unittest.mock

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
import lipbook.normalizers
from lipbook.core import walk_layers
from lipbook.layers import (SpectralDense, SpectralConv2D, FrobeniusDense, ScaledAveragePooling2D, ScaledGlobalAveragePooling2D,
                            LipschitzKernelLayer)
from lipbook.activations import GroupSort2
from lipbook.losses import MulticlassHKR
from lipbook.model import LossVariableModel, vanilla_export
from lipbook.normalizers import active_orthogonalizer, batch_order_pays, WARM_FROM, matmul_precision, cpu_has_bf16, CPU_BF16_VARIABLE, reshaped_kernel
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
               # (Adam's first steps move every weight by the full learning rate, so the warm factor recovers its state
               # for about five steps; after that a step costs what the tables say)


def step_times(model, x, y, steps):
    "Per-step wall times of `steps` training steps."
    times = []
    for _ in range(steps):
        t = time.perf_counter(); model.train_on_batch(x, y); times.append(time.perf_counter() - t)
    return times


def ab_rounds(models:dict, x, y, rounds:int) -> dict:
    """An A/B in one process: each model's median training step over `rounds` rounds of 3 steps, the models interleaved
    (every other round in reverse order); prints a line per model with its rounds, returns name -> median seconds."""
    times = {name: [] for name in models}
    for r in range(rounds):
        for name in (models if r % 2 == 0 else list(models)[::-1]): times[name].append(median(step_times(models[name], x, y, 3)))
    for name, t in times.items(): print(f"{name}: median {1000 * median(t):.0f} ms ({', '.join(f'{1000 * v:.0f}' for v in t)})")
    return {name: median(t) for name, t in times.items()}


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
              f"Total benchmark time: {time.time() - started:.0f} s", "",
              "The same comparison on JAX and PyTorch: RESULTS-backends.md (`--backend all`); XLA on and off and the CPU's "
              "bfloat16 and float32 paths: RESULTS-xla.md (`--xla`); on a GPU: RESULTS-gpu.md (`bench/gpu.sh`).", ""]
    return lines


QUICK_BATCH, QUICK_WARM_UP = 8, 2   # --quick / --tiny: a smoke run, not a measurement
CELL_TIMEOUT = 600                  # seconds one worker process (one backend or CPU path, one network) may take
RUN_BUDGET = 660                    # --backend / --xla: seconds after which no more worker processes start


def failure(e:BaseException) -> str:
    "A contestant's exception in one line: its type and the first line of its message (Keras's wrapped ones: the useful one)."
    lines = [l.strip() for l in re.sub(r'\x1b\[[0-9;]*m', '', str(e)).splitlines() if l.strip()]
    useful = [l for l in lines if not l.startswith(('Exception encountered', 'Traceback', 'File '))]
    return f"{type(e).__name__}: {(useful or lines or [''])[0][:300]}"


@contextlib.contextmanager
def dtype_policy(policy:str|None):
    "A context in which new layers get the dtype policy `policy` (None: leave the global one), restoring it after."
    if policy is None:
        yield
        return
    saved = keras.config.dtype_policy()
    keras.config.set_dtype_policy(policy)
    try: yield
    finally: keras.config.set_dtype_policy(saved)


def code_path(model, batch=None) -> str:
    """What a compiled model runs here: XLA or not, and per orthonormaliser how many kernels, with bfloat16 products or float32
    (and, given the `batch`, the warm dense kernels that train in the batch's order)."""
    routes = collections.Counter()
    jit = getattr(model, 'jit_compile', None)
    xla = jit is True and keras.backend.backend() == 'tensorflow'
    with unittest.mock.patch.object(lipbook.normalizers, 'xla_tracing', lambda: xla):      # what the step's trace decides
        for l in walk_layers(model):
            route = getattr(l, 'active_orthogonalizer', None)
            if route is None or not isinstance(l, LipschitzKernelLayer): continue
            shape = tuple(reshaped_kernel(l.kernel).shape)
            batch_order = route == 'warm' and isinstance(l, SpectralDense) and batch and batch_order_pays(batch, shape)
            routes[f"{route} {matmul_precision(shape) if route == 'warm' else 'f32'}{' batch order' if batch_order else ''}"] += 1
    kernels = ', '.join(f'{k}×{n}' for k, n in sorted(routes.items())) or 'plain Keras'
    return f"XLA {'on' if jit is True else 'off' if jit is False else jit}; {kernels}; {model.dtype_policy.name}"


def race(net, # a key of NETWORKS
         contestants:dict, # name -> (orthogonalizer, or None for plain Keras; jit_compile; dtype policy or None)
         rounds:int, steps:int, batch:int|None=None, warm_up:int=WARM_UP,
         warm_without_xla:bool=False # warm up the XLA contestants without XLA, then compile them with it (off the clock)
        ):
    """Median step time of each contestant per round, interleaved round by round (the order reversed every other round),
    each contestant's code path, and why those that failed did: a failing contestant drops out, the others go on.
    `warm_without_xla`: on a CPU, XLA compiles TensorFlow's eigendecomposition to a slow loop (a 1024 × 1024 one takes
    tens of seconds), which the 'polar' route runs every step (the warm route recovers with Newton–Schulz products under
    XLA, `normalizers.inverse_sqrt_newton_schulz`); warming up off XLA keeps the protocol of the earlier tables, and the
    clock measures XLA's steady state either way."""
    x, y = batch_data(net, batch)
    models, errors, paths = {}, {}, {}
    for name, (orthogonalizer, jit, policy) in contestants.items():
        try:
            later = warm_without_xla and jit is True
            with dtype_policy(policy): model = compiled(net, orthogonalizer, False if later else jit)
            warm = later and any(getattr(l, 'active_orthogonalizer', None) == 'warm' for l in walk_layers(model))
            step_times(model, x, y, max(warm_up, WARM_UP) if warm else warm_up)   # past the warm route's first recoveries
            if later:
                model.jit_compile, model.train_function = True, None     # Keras builds the train function anew, with XLA
                step_times(model, x, y, 2)
            models[name], paths[name] = model, code_path(model, len(x))
        except Exception as e: errors[name] = failure(e)
    for name in list(models):   # one more step each once all are built: building a model resets Keras's seed, and the
        try: step_times(models[name], x, y, 1)   # models built before it then retrace their step (~0.4 s, once)
        except Exception as e: errors[name], _ = failure(e), models.pop(name)
    results = {name: [] for name in models}
    for r in range(rounds):
        for name in (list(models) if r % 2 == 0 else list(models)[::-1]):
            if name in errors: continue
            try: results[name].append(median(step_times(models[name], x, y, steps)))
            except Exception as e: errors[name], _ = failure(e), results.pop(name)
    return results, errors, paths


def worker(args):
    "A worker process: one network's race (`args.spec`, a JSON file) on this process's backend, into the JSON file `args.worker`."
    with open(args.spec) as f: spec = json.load(f)
    kinds, gpus = devices()
    out = dict(backend=keras.backend.backend(), version=backend_version(), devices=kinds, gpus=gpus, cpu_bf16=cpu_has_bf16())
    res, errors, paths = race(spec['net'], {k: tuple(v) for k, v in spec['contestants'].items()}, spec['rounds'], spec['steps'],
                              spec['batch'], spec['warm_up'], spec.get('warm_without_xla', False))
    out.update(results=res, errors=errors, paths=paths)
    with open(args.worker, 'w') as f: json.dump(out, f)
    for name, v in res.items(): print(f"{out['backend']} {spec['net']} {name}: {1000 * median(v) if v else float('nan'):.1f} ms", flush=True)
    for name, e in errors.items(): print(f"{out['backend']} {spec['net']} {name}: FAILED {e}", flush=True)


def what_failed(stderr:str) -> str:
    "The line of a failed process's standard error that names its exception (and, for Keras's wrapped ones, its message)."
    lines = [l.strip() for l in re.sub(r'\x1b\[[0-9;]*m', '', stderr or '').splitlines() if l.strip()]
    named = [i for i, l in enumerate(lines) if re.match(r'^[\w.]+(Error|Exception|Exit)\b', l)]
    if not named: return lines[-1][:300] if lines else 'no output'
    i = named[-1]
    return (lines[i] + (f' {lines[i + 1]}' if 'Exception encountered' in lines[i] and i + 1 < len(lines) else ''))[:300]


def in_fresh_process(net, contestants, args, backend='tensorflow', env=None, batch=None, warm_up=WARM_UP, started=None,
                     warm_without_xla=False) -> dict:
    """`race` of `net` in a fresh process on `backend` (with `env` added to the environment): the worker's JSON, or
    {'failed': why} if the process failed, crashed or ran past `args.cell_timeout` or a minute past the run's budget
    (`args.budget` seconds after `started`), or if the budget was spent before it started."""
    left = args.budget - (time.time() - started) if started is not None else math.inf
    if left <= 0: return dict(failed=f'skipped: the time budget of {args.budget:.0f} s (--budget) was spent')
    timeout = min(args.cell_timeout, left + 60)
    folder = tempfile.mkdtemp(prefix='lipbook-bench-')
    spec, path = os.path.join(folder, 'spec.json'), os.path.join(folder, 'out.json')
    with open(spec, 'w') as f:
        json.dump(dict(net=net, contestants=contestants, rounds=args.rounds, steps=args.steps, batch=batch,
                       warm_up=warm_up if args.warm_up is None else args.warm_up, warm_without_xla=warm_without_xla), f)
    command = [sys.executable, os.path.abspath(__file__), '--backend', backend, '--worker', path, '--spec', spec]
    try:
        done = subprocess.run(command, env={**os.environ, **(env or {}), 'KERAS_BACKEND': backend}, stderr=subprocess.PIPE,
                              text=True, timeout=timeout)
    except subprocess.TimeoutExpired: return dict(failed=f'stopped after {timeout:.0f} s (--cell-timeout, --budget)')
    if done.returncode or not os.path.exists(path):
        return dict(failed=f'exit status {done.returncode}: {what_failed(done.stderr)}')
    with open(path) as f: return json.load(f)


def cell(res:dict, name:str) -> str:
    "A table cell: `name`'s median step in ms (min–max over rounds), or why it has none."
    if 'failed' in res: return 'skipped' if res['failed'].startswith('skipped') else 'process failed'
    if name in res.get('errors', {}): return 'failed'
    v = res['results'].get(name)
    return f"{1000 * median(v):.4g} ({1000 * min(v):.4g}–{1000 * max(v):.4g})" if v else 'no rounds'


def ratio(res:dict, name:str, base:str) -> str:
    "`name`'s median step over `base`'s, or '—'."
    r = res.get('results', {})
    return f"{median(r[name]) / median(r[base]):.2f}×" if r.get(name) and r.get(base) else '—'


def failures(title:str, res:dict) -> list:
    "Markdown lines naming every failure of one worker's race."
    if 'failed' in res: return [f"- {title}: the process failed: {res['failed']}"]
    return [f"- {title}, {name}: {e}" for name, e in res.get('errors', {}).items()]


def cpu_model() -> str:
    "The CPU's model name and its bfloat16 / AVX-512 / AVX2 flags (Linux), or the platform's processor string."
    try:
        with open('/proc/cpuinfo') as f: info = f.read()
    except OSError: return platform.processor() or platform.machine()
    name = re.search(r'^model name\s*:\s*(.*)$', info, re.M)
    flags = set((re.search(r'^flags\s*:\s*(.*)$', info, re.M) or re.search('()', '')).group(1).split())
    shown = [f for f in ('amx_bf16', 'avx512_bf16', 'avx512f', 'avx2') if f in flags]
    return f"{name.group(1).strip() if name else platform.machine()} ({', '.join(shown) or 'no AVX2'})"


def backends_main(args, argv):
    "--backend: lipbook ('auto') against plain Keras, training step, each backend and network in a fresh process, side by side."
    names = BACKENDS if args.backend == 'all' else (args.backend,)
    nets = args.networks or (('narrow', 'dense') if args.quick else ('narrow', 'dense', '4c3f', 'seed'))   # the slowest last
    batch, warm_up = (QUICK_BATCH, QUICK_WARM_UP) if args.quick else (None, WARM_UP)
    started, found = time.time(), {}
    for net in nets:             # network by network, the backends in turn: the machine's drift hits every backend alike
        for backend in names:
            found[backend, net] = in_fresh_process(net, {'lipbook': ('auto', 'auto', None), 'plain': (None, 'auto', None)},
                                                   args, backend, batch=batch, warm_up=warm_up, started=started)
            print(f"{backend} {net}: done at {time.time() - started:.0f} s", flush=True)
    size = (f"--quick: batch {QUICK_BATCH}, {QUICK_WARM_UP} warm-up steps (a smoke run, not a measurement)" if args.quick
            else f"each network's batch, {WARM_UP if args.warm_up is None else args.warm_up} warm-up steps")
    lines = header(argv, f"rounds={args.rounds} (lipbook and plain Keras interleaved) × {args.steps} steps; {size}; "
                         "orthogonalizer 'auto', jit_compile 'auto' (Keras's choice per backend); each backend and network "
                         "in a fresh process")
    versions = {b: r['version'] for (b, _), r in found.items() if 'version' in r}
    lines += [f"CPU: {cpu_model()}  ", "Backends: " + '; '.join(versions.get(b, f'{BACKEND_TITLES[b]} (no run finished)') for b in names), "",
              "Training step, median ms (min–max over rounds), and lipbook's ratio to plain Keras on the same backend "
              "(targets: ≤ 1.10× for narrow, seed and 4C3F, ≤ 3× for dense 1024²):", "",
              "| network | " + " | ".join(f"{BACKEND_TITLES[b]} lipbook | {BACKEND_TITLES[b]} plain | ratio" for b in names) + " |",
              "|---|" + "---|---|---|" * len(names)]
    title = lambda net: f'{net}, batch {QUICK_BATCH}' if args.quick else NETWORKS[net][3]
    for net in nets:
        cells = []
        for b in names: cells += [cell(found[b, net], 'lipbook'), cell(found[b, net], 'plain'), ratio(found[b, net], 'lipbook', 'plain')]
        lines.append(f"| {title(net)} | " + " | ".join(cells) + " |")
    lines += ["", "Code path of each cell (XLA or not; per orthonormaliser, the kernels with bfloat16 products or float32; the dtype policy):", "",
              "| network | backend | lipbook | plain Keras |", "|---|---|---|---|"]
    lines += [f"| {title(net)} | {BACKEND_TITLES[b]} | {found[b, net].get('paths', {}).get('lipbook', '—')} | "
              f"{found[b, net].get('paths', {}).get('plain', '—')} |" for net in nets for b in names]
    problems = [l for net in nets for b in names for l in failures(f'{BACKEND_TITLES[b]}, {title(net)}', found[b, net])]
    lines += ["", "Failures:" if problems else "No failures.", *([""] + problems if problems else [])]
    lines += ["", f"Total benchmark time: {time.time() - started:.0f} s", ""]
    return lines, problems


REPARAM_SHAPES = ((784, 1024), (1024, 1024), (3136, 512), (4608, 512))   # MNIST dense's spectral kernels, 4C3F's first dense one,
                                                                           # the seed's widest 3×3 convolution
REPARAM_QUICK = ((64, 96), (300, 256))                                     # --quick: a smoke run
REPARAM_XLA_EIGH = 256   # the largest kernel side whose 'polar' route is timed under XLA (on a CPU XLA's eigendecomposition
                         # of a 300 × 300 Gram matrix takes ~0.3 s, of a 1024 × 1024 one ~50 s)


def reparam_race(shapes, rounds:int, reps:int) -> dict:
    """Forward and backward of one kernel matrix's reparametrisation alone, every route × CPU path × XLA setting
    interleaved in this process (TensorFlow): (shape, route, jit) -> median seconds per round. The warm route starts from
    its exact state, so that it runs its steady-state step (no recovery)."""
    import tensorflow as tf
    from lipbook.normalizers import warm_polar, inverse_sqrt_gram, spectral_normalize
    tf.get_logger().setLevel('ERROR')   # twelve tf.functions of one Python function: TensorFlow warns of retracing
    precisions = ('bf16', 'f32') if cpu_has_bf16() else ('f32',)
    fns = {}
    for shape in shapes:
        rng = np.random.default_rng(0)
        q = np.linalg.qr(rng.standard_normal((max(shape), min(shape))))[0]    # a kernel as training holds it: well conditioned
        w = tf.Variable(((q if shape[0] >= shape[1] else q.T) + 0.3 * rng.standard_normal(shape) / np.sqrt(max(shape))).astype('float32'))
        tall = w if shape[0] >= shape[1] else tf.transpose(w)
        z, u = inverse_sqrt_gram(tall), tf.constant(rng.standard_normal(shape[1]).astype('float32'))
        probe = tf.constant(rng.standard_normal(shape).astype('float32'))
        routes = {f'warm {p}': (lambda p=p: warm_polar(w, z, p)[0]) for p in precisions}
        routes |= {o: (lambda o=o: spectral_normalize(w, u, orthogonalizer=o)[0]) for o in ('polar', 'bjorck')}
        for route, f in routes.items():
            def forward_backward(f=f):
                with tf.GradientTape() as tape: total = tf.reduce_sum(f() * probe)
                return tf.reduce_sum(tape.gradient(total, w))
            for jit in (False, True):
                if jit and route == 'polar' and min(shape) > REPARAM_XLA_EIGH: continue   # minutes under XLA on a CPU
                fns[shape, route, jit] = tf.function(forward_backward, jit_compile=jit)
    results = {k: [] for k in fns}
    for r in range(rounds):
        for k in (list(fns) if r % 2 == 0 else list(fns)[::-1]):
            results[k].append(median(predict_times(lambda _: fns[k](), None, reps)))
    return results


def reparam_table(results) -> list:
    "Markdown rows of `reparam_race`'s medians, with each route's time relative to the bfloat16 warm route without XLA (or float32's)."
    lines = ["| kernel | route | XLA off ms | XLA on ms | XLA on / off | vs warm, XLA off |", "|---|---|---|---|---|---|"]
    for shape in dict.fromkeys(s for s, _, _ in results):
        routes = list(dict.fromkeys(r for s, r, _ in results if s == shape))
        ref = median(results[shape, routes[0], False])
        for route in routes:
            off, on = median(results[shape, route, False]), results.get((shape, route, True))
            on_ms, on_ratio = (f"{1000 * median(on):.1f}", f"{median(on) / off:.2f}×") if on else (f"not timed (> {REPARAM_XLA_EIGH} columns)", "—")
            lines.append(f"| {shape[0]} × {shape[1]} | {route} | {1000 * off:.1f} | {on_ms} | {on_ratio} | {off / ref:.2f}× |")
    return lines


CPU_PATHS = {'bf16': {CPU_BF16_VARIABLE: '1'}, 'f32': {CPU_BF16_VARIABLE: '0'}}   # --xla: the CPU's matmul paths, forced


@functools.lru_cache(maxsize=None)
def xla_contestants(net) -> dict:
    """--xla's contestants on `net`: lipbook 'auto' with XLA off and on, 'warm' with XLA on where 'auto' does not pick it
    for every kernel ('polar', which 'auto' picks for small kernels, compiles to a slow loop under XLA), plain Keras off and on."""
    picks = {l.active_orthogonalizer for l in walk_layers(NETWORKS[net][0]('auto')) if hasattr(l, 'active_orthogonalizer')}
    return {'lipbook auto, XLA off': ('auto', False, None), 'lipbook auto, XLA on': ('auto', True, None),
            **({'lipbook warm, XLA on': ('warm', True, None)} if picks != {'warm'} else {}),
            'plain, XLA off': (None, False, None), 'plain, XLA on': (None, True, None)}


def xla_main(args, argv):
    "--xla: TensorFlow's training step with and without XLA, lipbook and plain Keras, on each CPU path (bfloat16 products or float32)."
    nets = args.networks or (('narrow', 'dense') if args.quick else ('narrow', 'dense', '4c3f', 'seed'))   # the slowest last
    paths = args.cpu_paths or (('bf16', 'f32') if cpu_has_bf16() else ('f32',))
    batch, warm_up = (QUICK_BATCH, QUICK_WARM_UP) if args.quick else (None, WARM_UP)
    started, found = time.time(), {}
    shapes, reps = (REPARAM_QUICK, 2) if args.quick else (REPARAM_SHAPES, 10)   # first: the cheapest evidence, sure to be there
    reparam = [] if args.no_reparam else ["", f"Forward and backward of one kernel's reparametrisation alone (the warm route in its steady state), every "
                   f"route, CPU path and XLA setting interleaved in one process ({args.rounds} rounds × {reps} calls, medians):", ""]
    if not args.no_reparam:
        reparam += reparam_table(reparam_race(shapes, args.rounds, reps))
        print(*reparam, f"reparametrisation: done at {time.time() - started:.0f} s", sep='\n', flush=True)
    for net in nets:
        for p in paths:
            found[p, net] = in_fresh_process(net, xla_contestants(net), args, env=CPU_PATHS[p], batch=batch, warm_up=warm_up,
                                             started=started, warm_without_xla=True)
            print(f"{p} {net}: done at {time.time() - started:.0f} s", flush=True)
    size = (f"--quick: batch {QUICK_BATCH}, {QUICK_WARM_UP} warm-up steps (a smoke run, not a measurement)" if args.quick
            else f"each network's batch, {WARM_UP if args.warm_up is None else args.warm_up} warm-up steps")
    lines = header(argv, f"rounds={args.rounds} (every contestant interleaved) × {args.steps} steps; {size}; each CPU path "
                         f"and network in a fresh process (the path forced by ${CPU_BF16_VARIABLE}); the XLA contestants warm up "
                         "without XLA, then run 2 untimed steps with it (XLA's eigendecomposition on a CPU is slow, see "
                         "`bench.race`; under XLA the warm route recovers with Newton–Schulz products)")
    lines += [f"CPU: {cpu_model()}  ", "",
              "Training step on TensorFlow, median ms (min–max over rounds); 'vs best plain' is the ratio to plain Keras at "
              "its faster setting in the same process (targets: ≤ 1.10× for narrow, seed and 4C3F, ≤ 3× for dense 1024²):", "",
              "| network | CPU path | contestant | code path | median ms | vs best plain |", "|---|---|---|---|---|---|"]
    title = lambda net: f'{net}, batch {QUICK_BATCH}' if args.quick else NETWORKS[net][3]
    best = {}
    for net in nets:
        for p in paths:
            res = found[p, net]
            plain = [n for n in ('plain, XLA off', 'plain, XLA on') if res.get('results', {}).get(n)]
            base = min(plain, key=lambda n: median(res['results'][n])) if plain else None
            for name in xla_contestants(net):
                lines.append(f"| {title(net)} | {p} | {name} | {res.get('paths', {}).get(name, '—')} | {cell(res, name)} | "
                             f"{ratio(res, name, base) if base else '—'} |")
            lipbook = [n for n in res.get('results', {}) if n.startswith('lipbook') and res['results'][n]]
            if lipbook and base: best[p, net] = (min(lipbook, key=lambda n: median(res['results'][n])), base)
    lines += ["", "Fastest lipbook setting per network and CPU path (what recipes and the CLI should use there):", "",
              "| network | CPU path | fastest lipbook | its ratio to the best plain Keras | best plain Keras |", "|---|---|---|---|---|"]
    lines += [f"| {title(net)} | {p} | {best[p, net][0]} | {ratio(found[p, net], *best[p, net])} | {best[p, net][1]} |"
              for net in nets for p in paths if (p, net) in best]
    lines += reparam
    problems = [l for net in nets for p in paths for l in failures(f'{p}, {title(net)}', found[p, net])]
    lines += ["", "Failures:" if problems else "No failures.", *([""] + problems if problems else [])]
    lines += ["", f"Total benchmark time: {time.time() - started:.0f} s", ""]
    return lines, problems


GPU_BUDGET = 420   # --gpu: seconds after which the remaining sections are skipped (bench/gpu.sh stops the run at 470 s)


class EpochTimes(keras.callbacks.Callback):
    "Each epoch's wall time."
    def on_train_begin(self, logs=None): self.times = []
    def on_epoch_begin(self, epoch, logs=None): self.started = time.perf_counter()
    def on_epoch_end(self, epoch, logs=None): self.times.append(time.perf_counter() - self.started)


def demo(net, n_train, n_test, batch, epochs=2):
    """`epochs` epochs of `net` (lipbook, 'auto') on random data of its input shape, then its Lipschitz report and
    certificates of `n_test` images: markdown lines."""
    x, y = batch_data(net, n_train)
    xt, _ = batch_data(net, n_test)
    model = compiled(net, 'auto', 'auto')
    timer = EpochTimes()
    model.fit(x, y, batch_size=batch, epochs=epochs, verbose=0, callbacks=[timer])
    t = time.perf_counter(); report = lipschitz_report(model, progress=False); t_bound = time.perf_counter() - t
    t = time.perf_counter(); radii = certificates(model, xt, report=report, progress=False); t_cert = time.perf_counter() - t
    return [f"{epochs} epochs of the {NETWORKS[net][3].split(',')[0]} ('auto': {code_path(model)}) on {n_train} random "
            f"images at batch {batch}: epochs {', '.join(f'{s:.1f}' for s in timer.times)} s (the first includes tracing)  ",
            f"Lipschitz report: {t_bound:.1f} s; certificates of {n_test} images: {t_cert:.2f} s ({n_test / t_cert:.0f} per s), "
            f"median radius {float(np.median(radii)):.3g}", ""]


def gpu_main(args, argv, write):
    """--gpu: the seed's network at batch 128 (each orthonormaliser, XLA on and off, float32 and mixed_bfloat16), MNIST dense
    1024², and 2 epochs of the seed's network with certification; TensorFlow. `write(lines)` saves the results after each
    section, so that a run stopped early keeps what it measured. --tiny: the narrow network at batch 8 on any device (a smoke run)."""
    if keras.backend.backend() != 'tensorflow': sys.exit('--gpu: runs on TensorFlow (KERAS_BACKEND=tensorflow).')
    import tensorflow as tf
    gpus = tf.config.list_physical_devices('GPU')
    if not gpus and not args.tiny: sys.exit('--gpu: no GPU is visible to TensorFlow on this machine (--tiny runs anyway, as a smoke test).')
    started = time.time()
    net, batch, warm_up = ('narrow', QUICK_BATCH, QUICK_WARM_UP) if args.tiny else ('seed', 128, WARM_UP)
    warm_up = warm_up if args.warm_up is None else args.warm_up
    lines = header(argv, f"rounds={args.rounds} (interleaved) × {args.steps} steps, {warm_up} warm-up steps; budget {args.budget} s"
                         + ("; --tiny: a smoke run, not a measurement" if args.tiny else ""))
    lines += [f"CPU: {cpu_model()}  ", ""]
    def section(title, net, batch, contestants):
        res, errors, paths = race(net, contestants, args.rounds, args.steps, batch, warm_up)
        base = {policy: min((n for n, c in contestants.items() if c[0] is None and c[2] == policy and res.get(n)),
                            key=lambda n: median(res[n]), default=None) for policy in {c[2] for c in contestants.values()}}
        out = [f"## {title}", "", "| contestant | code path | median ms | min–max over rounds | images/s | vs best plain, same policy |",
               "|---|---|---|---|---|---|"]
        for name, c in contestants.items():
            v = res.get(name)
            if not v: out.append(f"| {name} | {paths.get(name, '—')} | {errors.get(name, 'no rounds')} | | | |"); continue
            b = base[c[2]]
            out.append(f"| {name} | {paths[name]} | {1000 * median(v):.4g} | {1000 * min(v):.4g}–{1000 * max(v):.4g} | "
                       f"{batch / median(v):.0f} | {f'{median(v) / median(res[b]):.2f}×' if b else '—'} |")
        return out + [""]
    sections = [
        (f"{NETWORKS[net][3].split(',')[0]}, batch {batch}, float32", net, batch,
         {f"{who}, XLA {'on' if jit else 'off'}": (o, jit, 'float32') for jit in (True, False)
          for who, o in (('lipbook bjorck', 'bjorck'), ('lipbook warm', 'warm'), ('lipbook polar', 'polar'), ('plain', None))}),
        (f"{NETWORKS[net][3].split(',')[0]}, batch {batch}, mixed_bfloat16", net, batch,
         {f"{who}, XLA {'on' if jit else 'off'}": (o, jit, 'mixed_bfloat16') for jit in (True, False)
          for who, o in (('lipbook auto', 'auto'), ('plain', None))}),
        (f"MNIST dense 1024-1024, batch {QUICK_BATCH if args.tiny else 256}, float32", 'dense', QUICK_BATCH if args.tiny else 256,
         {f"{who}, XLA {'on' if jit else 'off'}": (o, jit, 'float32') for jit in (True, False)
          for who, o in (('lipbook auto', 'auto'), ('plain', None))}),
    ]
    for title, *what in sections:
        if time.time() - started > args.budget: lines += [f"## {title}", "", f"Skipped: the budget of {args.budget} s was spent.", ""]
        else: lines += section(title, *what)
        print(f"{title}: done at {time.time() - started:.0f} s", flush=True)
        write(lines)
    if time.time() - started > args.budget: lines += ["## Demo", "", f"Skipped: the budget of {args.budget} s was spent.", ""]
    else:
        lines += ["## Demo: training and certification", ""]
        try: lines += demo(net, 64 if args.tiny else 5000, 32 if args.tiny else 1000, batch)
        except Exception as e: lines += [f"Failed: {failure(e)}", ""]
    if gpus: lines += [f"Peak GPU memory of the benchmark process: {tf.config.experimental.get_memory_info('GPU:0')['peak'] / 2 ** 20:.0f} MiB  "]
    lines += [f"Total benchmark time: {time.time() - started:.0f} s", ""]
    write(lines)
    return lines


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--quick', action='store_true', help='narrow network only (a smoke run); with --backend / --xla: narrow and dense at batch 8')
    p.add_argument('--gpu', action='store_true', help="the seed's network at batch 128 on the GPU (each orthonormaliser, XLA on and off, "
                                                      "float32 and mixed_bfloat16), MNIST dense 1024², a 2-epoch demo with certification")
    p.add_argument('--tiny', action='store_true', help='with --gpu: the narrow network at batch 8, on any device (a smoke run)')
    p.add_argument('--budget', type=float, help=f'seconds after which the remaining sections (--gpu, default {GPU_BUDGET}) or worker '
                                                 f'processes (--backend, --xla, default {RUN_BUDGET}) are skipped')
    p.add_argument('--warm-up', type=int, help=f'training steps before timing with --backend, --xla, --gpu (default {WARM_UP}; --quick, --tiny: {QUICK_WARM_UP})')
    p.add_argument('--xla', action='store_true', help='TensorFlow with and without XLA, lipbook and plain Keras, on each CPU path, '
                                                      'into bench/RESULTS-xla.md')
    p.add_argument('--no-reparam', action='store_true', help="with --xla: skip the reparametrisation routes' own timings")
    p.add_argument('--cpu-paths', nargs='+', choices=tuple(CPU_PATHS),
                   help=f"with --xla: the CPU paths to time, forced by ${CPU_BF16_VARIABLE} (default: bf16 and f32 where the CPU has bfloat16 products, else f32)")
    p.add_argument('--networks', nargs='+', choices=list(NETWORKS), help='the networks to time (default: all; --quick: narrow, dense)')
    p.add_argument('--rounds', type=int, default=5)
    p.add_argument('--steps', type=int, default=5)
    p.add_argument('--jit', choices=('auto', 'on', 'off'), default='auto', help='XLA for the CPU run')
    p.add_argument('--backend', choices=(*BACKENDS, 'all'),
                   help="time the training step of lipbook against plain Keras on this Keras backend (or on all three), "
                        "each backend and network in a fresh process, into bench/RESULTS-backends.md")
    p.add_argument('--cell-timeout', type=float, default=CELL_TIMEOUT,
                   help='with --backend / --xla: seconds one worker process (one backend or CPU path, one network) may take')
    p.add_argument('--worker', help=argparse.SUPPRESS)   # the worker processes of --backend / --xla: the JSON file to write
    p.add_argument('--spec', help=argparse.SUPPRESS)     # ... and the JSON file of their race
    p.add_argument('--out', help='where to write the results (default bench/RESULTS.md; RESULTS-gpu.md with --gpu, '
                                 'RESULTS-backends.md with --backend, RESULTS-xla.md with --xla)')
    args = p.parse_args(argv)
    if args.budget is None: args.budget = GPU_BUDGET if args.gpu else RUN_BUDGET
    if args.worker: return worker(args)
    name = ('RESULTS-backends.md' if args.backend else 'RESULTS-xla.md' if args.xla else 'RESULTS-gpu.md' if args.gpu else 'RESULTS.md')
    out = args.out or os.path.join(os.path.dirname(os.path.abspath(__file__)), name)
    kept = ''
    if name == 'RESULTS.md' and os.path.exists(out):     # the sections other benchmarks append (## headings) stay
        with open(out) as f: kept = ''.join(re.split(r'(?m)^(?=## )', f.read(), maxsplit=1)[1:])
    def write(lines):
        with open(out, 'w') as f: f.write('\n'.join(lines) + ('\n' + kept if kept else ''))
    problems = []
    if args.backend: lines, problems = backends_main(args, argv)
    elif args.xla: lines, problems = xla_main(args, argv)
    elif args.gpu: lines = gpu_main(args, argv, write)
    else: lines = cpu_main(args, argv)
    write(lines)
    print('\n'.join(lines))
    if problems: sys.exit(f"{len(problems)} failure(s): see {out}")


if __name__ == '__main__':
    main()

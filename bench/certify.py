"""lipbook certification benchmark: how long `lipschitz_report` takes to bound real networks, against their training step.

Run from the repository root:  python bench/certify.py [--before PATH] [--models NAMES] [--steps S]
For each model (untrained, seeded, on 32×32×3 inputs: RECIPES['cifar10_vgg'], RECIPES['cifar10_residual'] and the
half-width VGG) it measures, in one run and each in a fresh process: the training-step time at batch 32 (median of
`--steps` steps after one warm-up step), the time and peak resident memory of `lipschitz_report` with this checkout's
lipbook (with the BLAS's default threads, and with one BLAS thread), and, with `--before`, the same with the lipbook of
another checkout (e.g. `git worktree add --detach /tmp/certify-before main`), whose bound it compares with this one's.
Prints a Markdown table. A plain script, not a timed test: on a shared machine the figures are noisy.
"""
import argparse, datetime, json, os, platform, statistics, subprocess, sys, time

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODELS = ('cifar10_vgg', 'cifar10_residual', 'half_vgg')


def build(name):
    "The untrained, compiled model `name` (seeded), on 32×32×3 CIFAR-10 images."
    import keras
    from lipbook.recipes import RECIPES, vgg_network
    from lipbook.losses import MulticlassHKRauto
    keras.utils.set_random_seed(0)
    if name != 'half_vgg': return RECIPES[name].build((32, 32, 3), 10)
    model = vgg_network((32, 32, 3), 10, conv_sizes=((64,) * 4, (128,) * 4, (256,) * 3))
    model.compile(optimizer=keras.optimizers.Adam(1e-3), metrics=['accuracy'],   # the cifar10_vgg recipe's loss
                  loss=MulticlassHKRauto(alpha=500, min_margin=0.01, max_margin=10.0, soft_hinge_tau=20.0, alpha_margin=0.1))
    return model


def peak_mib():
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_bound(name):
    "Time and memory of `lipschitz_report(model)` in this process; prints one JSON line."
    from lipbook.certification import lipschitz_report
    model = build(name)
    before = peak_mib()
    start = time.perf_counter()
    report = lipschitz_report(model, progress=False)
    seconds = time.perf_counter() - start
    print(json.dumps(dict(seconds=seconds, peak_mib=peak_mib(), report_mib=max(0.0, peak_mib() - before),
                          vector=float(report.vector), each=float(report.each))))


def child_step(name, steps):
    "Median training-step time at batch 32 (after one warm-up step); prints one JSON line."
    import numpy as np
    model = build(name)
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 1, (32, 32, 32, 3)).astype('float32')
    y = np.eye(10, dtype='float32')[rng.integers(0, 10, 32)]
    model.train_on_batch(x, y)
    times = []
    for _ in range(steps):
        start = time.perf_counter(); model.train_on_batch(x, y); times.append(time.perf_counter() - start)
    print(json.dumps(dict(seconds=statistics.median(times), all=times)))


def run(args, tree, env=None):
    "Run this script as a child with lipbook from `tree`; its JSON line (or the error)."
    env = {**os.environ, 'TF_CPP_MIN_LOG_LEVEL': '2', 'PYTHONPATH': tree, **(env or {})}
    out = subprocess.run([sys.executable, os.path.abspath(__file__), *args], env=env, capture_output=True, text=True)
    lines = [l for l in out.stdout.splitlines() if l.startswith('{')]
    if out.returncode or not lines: return dict(error=(out.stderr.strip().splitlines() or ['no output'])[-1])
    return json.loads(lines[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--before', help='a checkout whose lipbook is the reference (e.g. main)')
    parser.add_argument('--models', default=','.join(MODELS), help='comma-separated, from ' + ', '.join(MODELS))
    parser.add_argument('--steps', type=int, default=3, help='timed training steps per model')
    parser.add_argument('--child', nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, name = args.child
        return child_bound(name) if kind == 'bound' else child_step(name, args.steps)
    rows = []
    for name in args.models.split(','):
        step = run(['--child', 'step', name, '--steps', str(args.steps)], HERE)
        print(name, 'step', step, flush=True)
        runs = [('this checkout', run(['--child', 'bound', name], HERE)),
                ('this checkout, 1 BLAS thread', run(['--child', 'bound', name], HERE, {'OPENBLAS_NUM_THREADS': '1'}))]
        if args.before: runs.append(('before (' + os.path.basename(os.path.normpath(args.before)) + ')', run(['--child', 'bound', name], args.before)))
        for who, r in runs:
            print(name, who, r, flush=True)
            rows.append((name, who, r, step))
    reference = {name: r for name, who, r, _ in rows if who.startswith('before') and 'vector' in r}
    print(f"\nCommand: `python bench/certify.py {' '.join(sys.argv[1:])}`  \nDate: {datetime.date.today()}; machine: "
          f"{platform.machine()}, {os.cpu_count()} CPU cores, load average {os.getloadavg()[0]:.1f} at the end (shared: noisy)\n")
    print("| model | lipbook | bound s | peak MiB (the report's increase) | training step s (batch 32) | bound / step | bound (vector) | vs before |")
    print('|---|---|---|---|---|---|---|---|')
    for name, who, r, step in rows:
        if 'error' in r: print(f'| {name} | {who} | failed: {r["error"]} | | | | | |'); continue
        ratio = f"{r['seconds'] / step['seconds']:.1f}" if 'seconds' in step else 'n/a'
        ref = reference.get(name)
        versus = f"{r['vector'] / ref['vector'] - 1:+.1e}" if ref and not who.startswith('before') else ''
        print(f"| {name} | {who} | {r['seconds']:.1f} | {r['peak_mib']:.0f} ({r['report_mib']:.0f}) | "
              f"{step.get('seconds', float('nan')):.2f} | {ratio} | {r['vector']:.6g} | {versus} |")


if __name__ == '__main__':
    main()

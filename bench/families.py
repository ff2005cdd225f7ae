"""lipbook families benchmark: the training-step time of each layer of `lipbook.families` against the same network of plain
Keras layers (Dense / Conv2D with ReLU).

Run from the repository root:  python bench/families.py [--rounds N] [--steps S] [--batch B] [--jit auto|off]   (2 CPU cores: about 3 minutes)
Prints a Markdown table and writes it to bench/RESULTS-families.md. A plain script, not a timed test: on a shared machine
the figures are noisy. Contestants are interleaved round by round in one process (the order rotating each round); each
figure is the median over rounds of the median step time within a round, and each ratio is taken against the plain
network of the same shape (convolutional or dense) measured in the same rounds.
"""
import argparse, datetime, os, platform, statistics, sys, time

os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')
import numpy as np
import tensorflow as tf
import keras
import lipbook
from lipbook.families import (AOLDense, AOLConv2D, SLLDense, SLLConv2D, OrthoConv2D, LipResidual, BatchCentering,
                              LayerCentering)
from lipbook.normalizers import active_orthogonalizer
from bench import step_times   # bench/bench.py's timing loop (this folder is on the path when run as a script)

L = keras.layers


def conv_net(kind):
    """A small VGG-like network on 32×32×3: stem 3→32, block 32→32, pooling, 32→64, block 64→64, global pooling, head.

    'plain' uses Conv2D+ReLU and Dense everywhere; 'aol' and 'ortho' replace every convolution (and 'aol' the head);
    the shape-preserving families ('sll', 'residual', 'batch_centering', 'layer_centering') replace or follow the two
    blocks only, the rest staying plain."""
    keras.utils.set_random_seed(0)
    def conv(filters, block):
        if kind == 'aol': return [AOLConv2D(filters, 3, activation='relu')]
        if kind == 'ortho': return [OrthoConv2D(filters, 3, activation='relu')]
        plain = L.Conv2D(filters, 3, padding='same', activation='relu', kernel_initializer='orthogonal')
        if not block: return [plain]
        if kind == 'sll': return [SLLConv2D(filters)]
        if kind == 'residual': return [LipResidual(plain)]
        if kind == 'batch_centering': return [plain, BatchCentering()]
        if kind == 'layer_centering': return [plain, LayerCentering()]
        return [plain]
    layers = [keras.Input((32, 32, 3)), *conv(32, False), *conv(32, True), L.AveragePooling2D(2), *conv(64, False),
              *conv(64, True), L.GlobalAveragePooling2D(), AOLDense(10) if kind == 'aol' else L.Dense(10)]
    return keras.Sequential(layers, name=f'conv_{kind}')


def dense_net(kind, width=256):
    "An MLP on 256 features: three hidden layers of `width` with ReLU and a 10-way head, plain, AOL or SLL (hidden layers)."
    keras.utils.set_random_seed(0)
    def hidden():
        if kind == 'aol': return AOLDense(width, activation='relu')
        if kind == 'sll': return SLLDense(width)
        return L.Dense(width, activation='relu', kernel_initializer='orthogonal')
    head = AOLDense(10) if kind == 'aol' else L.Dense(10)
    return keras.Sequential([keras.Input((width,)), hidden(), hidden(), hidden(), head], name=f'dense_{kind}')


def contestants(batch):
    "name -> (builder, kind, the plain network it is compared with, batch size); the dense networks also at 8× the batch."
    big = 8 * batch
    return {
        'conv plain': (conv_net, 'plain', 'conv plain', batch),
        'AOLConv2D (+AOLDense head)': (conv_net, 'aol', 'conv plain', batch),
        'OrthoConv2D': (conv_net, 'ortho', 'conv plain', batch),
        'SLLConv2D (blocks)': (conv_net, 'sll', 'conv plain', batch),
        'LipResidual(Conv2D) (blocks)': (conv_net, 'residual', 'conv plain', batch),
        'BatchCentering (after blocks)': (conv_net, 'batch_centering', 'conv plain', batch),
        'LayerCentering (after blocks)': (conv_net, 'layer_centering', 'conv plain', batch),
        'dense plain': (dense_net, 'plain', 'dense plain', batch),
        'AOLDense': (dense_net, 'aol', 'dense plain', batch),
        'SLLDense (hidden)': (dense_net, 'sll', 'dense plain', batch),
        f'dense plain, batch {big}': (dense_net, 'plain', f'dense plain, batch {big}', big),
        f'AOLDense, batch {big}': (dense_net, 'aol', f'dense plain, batch {big}', big),
        f'SLLDense (hidden), batch {big}': (dense_net, 'sll', f'dense plain, batch {big}', big),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--rounds', type=int, default=9, help='interleaved rounds (default 9)')
    parser.add_argument('--steps', type=int, default=10, help='timed training steps per contestant and round (default 10)')
    parser.add_argument('--batch', type=int, default=64, help='batch size (default 64)')
    parser.add_argument('--jit', choices=('auto', 'off'), default='auto', help="jit_compile: Keras's 'auto' (XLA) or off")
    parser.add_argument('--out', default=os.path.join(os.path.dirname(os.path.abspath(__file__)), 'RESULTS-families.md'))
    args = parser.parse_args(argv)
    start = time.time()
    rng = np.random.default_rng(0)
    table = contestants(args.batch)
    def data(build, batch):
        x = rng.random((batch, 32, 32, 3), dtype=np.float32) if build is conv_net else rng.normal(size=(batch, 256)).astype(np.float32)
        return x, keras.utils.to_categorical(rng.integers(0, 10, batch), 10)
    models = {}
    for name, (build, kind, _, batch) in table.items():
        model = build(kind)
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=keras.losses.CategoricalCrossentropy(from_logits=True),
                      jit_compile=True if args.jit == 'auto' else False)
        x, y = data(build, batch)
        model.train_on_batch(x, y); model.train_on_batch(x, y)     # compile, build the optimizer, warm up
        models[name] = (model, x, y)
    medians = {name: [] for name in table}
    names = list(table)
    for r in range(args.rounds):
        for name in names[r % len(names):] + names[:r % len(names)]:
            model, x, y = models[name]
            medians[name].append(statistics.median(step_times(model, x, y, args.steps)))
        print(f'round {r + 1}/{args.rounds} done ({time.time() - start:.0f} s)', file=sys.stderr, flush=True)
    med = {name: statistics.median(v) for name, v in medians.items()}
    lines = ['# lipbook families benchmark', '',
             f"Command: `python bench/families.py{' ' + ' '.join(argv if argv is not None else sys.argv[1:]) if (argv or sys.argv[1:]) else ''}`  ",
             f"Date: {datetime.date.today()}; machine: {platform.machine()}, {os.cpu_count()} CPU cores, devices: "
             f"{[d.device_type for d in tf.config.list_logical_devices()]} (shared: other jobs were running, figures are noisy)  ",
             f"Versions: lipbook {lipbook.__version__}, TensorFlow {tf.__version__}, Keras {keras.__version__}, numpy {np.__version__}; "
             f"batch {args.batch} (dense also {8 * args.batch}); jit_compile={'True (Keras auto)' if args.jit == 'auto' else 'False'}; rounds={args.rounds} "
             f"(interleaved), {args.steps} steps each; orthogonalizer 'auto' = {active_orthogonalizer()!r} here", '',
             '| network | training step, median s | min–max of the round medians | ratio to the plain network |',
             '|---|---|---|---|']
    for name, (_, _, base, _) in table.items():
        lines.append(f'| {name} | {med[name]:.4g} | {min(medians[name]):.4g}–{max(medians[name]):.4g} | '
                     f'{med[name] / med[base]:.2f}× |')
    lines += ['', 'Convolutional networks: 32×32×3 inputs, stem 3→32, block 32→32, average pooling, 32→64, block 64→64, '
              'global average pooling, 10-way head. Dense networks: 256 features, three hidden layers of 256, 10-way head.',
              'AOL and SLL pay one Gram matrix (or autocorrelation) of each kernel per step, whatever the batch: for a dense '
              'layer of width w that is O(w³) against O(batch·w²) for the layer itself, so their overhead falls as the batch '
              'grows; for a convolution it is O(k⁴·c³) against O(batch·h·w·k²·c²), small on images. SLL also computes two '
              'products (the convolution and its transpose) where a plain layer computes one.',
              f'Total benchmark time: {time.time() - start:.0f} s']
    text = '\n'.join(lines) + '\n'
    print(text)
    with open(args.out, 'w') as f: f.write(text)


if __name__ == '__main__':
    main()

"""Distributed inference (issue 24): lipbook against plain Keras under a 2-replica MirroredStrategy, interleaved.

Run from the repository root:  python bench/distributed.py [--rounds N] [--images N] [--width narrow|half] [--before]     (2 CPU cores: about 2 minutes)
Two logical CPU devices are configured before TensorFlow starts, so this is its own process. Each round trains every
contestant one step (so its caches are stale, as after `fit`), then times one `evaluate` and one `predict` of the same
images, contestants interleaved within the round; each figure is the median over rounds. Contestants: a narrow VGG of
lipbook layers (SpectralConv2D, GroupSort2, ScaledAveragePooling2D, SpectralDense) and the same shapes in plain Keras
(Conv2D, ReLU, AveragePooling2D, Dense), the same with lipbook's GroupSort2 and scaled poolings ('plain + GroupSort2':
the difference to lipbook is then the constrained kernels alone), each on one device and under the strategy, and lipbook as it was before
(every replica step recomputing the certified kernels: `--before` adds it). Prints a Markdown table.
"""
import argparse, os, statistics, sys, time
os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')
os.environ.setdefault('CUDA_VISIBLE_DEVICES', '')
os.environ['KERAS_BACKEND'] = 'tensorflow'
import tensorflow as tf
tf.config.set_logical_device_configuration(tf.config.list_physical_devices('CPU')[0], [tf.config.LogicalDeviceConfiguration()] * 2)
import numpy as np
import keras
from lipbook.layers import SpectralConv2D, SpectralDense, ScaledAveragePooling2D, ScaledGlobalAveragePooling2D, LipschitzKernelLayer
from lipbook.activations import GroupSort2

WIDTHS = {'narrow': ((32, 32), (64, 64), (128,)), 'half': ((64, 64), (128, 128), (256, 256))}


def network(lipschitz: bool, blocks, lipbook_activations: bool = False) -> keras.Model:
    "A VGG of `blocks` on 32×32×3 images: lipbook layers, or plain Keras layers of the same shapes (with lipbook's activations and poolings if asked)."
    keras.utils.set_random_seed(0)
    x = inp = keras.Input((32, 32, 3))
    for i, block in enumerate(blocks):
        for filters in block:
            x = SpectralConv2D(filters, 3)(x) if lipschitz else keras.layers.Conv2D(filters, 3, padding='same')(x)
            x = GroupSort2()(x) if lipschitz or lipbook_activations else keras.layers.ReLU()(x)
        if i < len(blocks) - 1: x = ScaledAveragePooling2D()(x) if lipschitz or lipbook_activations else keras.layers.AveragePooling2D(2)(x)
    x = ScaledGlobalAveragePooling2D()(x) if lipschitz or lipbook_activations else keras.layers.GlobalAveragePooling2D()(x)
    out = SpectralDense(10)(x) if lipschitz else keras.layers.Dense(10)(x)
    return keras.Model(inp, out)


def recompute_in_replica():
    "Make every replica step recompute the certified kernel without the cache (how lipbook ran before issue 24's fix)."
    original = LipschitzKernelLayer.inference_kernel
    def before(self):
        if tf.distribute.has_strategy() and not tf.distribute.in_cross_replica_context(): return self.certified_kernel()
        return original(self)
    return before


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--rounds', type=int, default=5)
    parser.add_argument('--images', type=int, default=64)
    parser.add_argument('--width', choices=sorted(WIDTHS), default='narrow', help='the VGG: narrow (32-128 channels) or half (64-256)')
    parser.add_argument('--before', action='store_true', help='also time lipbook recomputing its kernels in every replica step')
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    x = rng.uniform(size=(args.images, 32, 32, 3)).astype('float32')
    y = keras.utils.to_categorical(rng.integers(0, 10, args.images), 10).astype('float32')
    strategies = {'1 device': tf.distribute.OneDeviceStrategy('/cpu:0'),
                  '2 replicas': tf.distribute.MirroredStrategy(['/cpu:0', '/cpu:1'])}
    kinds = ['lipbook', 'plain Keras', 'plain + GroupSort2'] + (['lipbook before'] if args.before else [])
    models = {}
    for kind in kinds:
        for where, strategy in strategies.items():
            with strategy.scope():
                model = network(kind.startswith('lipbook'), WIDTHS[args.width], kind == 'plain + GroupSort2')
                model.compile(keras.optimizers.SGD(0.01), keras.losses.CategoricalCrossentropy(from_logits=True))
            models[kind, where] = model
    cached = LipschitzKernelLayer.inference_kernel
    before = recompute_in_replica()
    times = {(k, w, what): [] for (k, w) in models for what in ('evaluate', 'predict')}
    for r in range(args.rounds + 1):              # round 0 compiles every function and is not counted
        for (kind, where), model in models.items():
            LipschitzKernelLayer.inference_kernel = before if kind == 'lipbook before' else cached
            model.fit(x[:16], y[:16], batch_size=16, epochs=1, verbose=0)     # the weights move: every cache is stale
            t = time.perf_counter(); model.evaluate(x, y, batch_size=16, verbose=0); t_eval = time.perf_counter() - t
            t = time.perf_counter(); model.predict(x, batch_size=16, verbose=0); t_pred = time.perf_counter() - t
            if r:
                times[kind, where, 'evaluate'].append(t_eval)
                times[kind, where, 'predict'].append(t_pred)
    LipschitzKernelLayer.inference_kernel = cached
    med = {key: statistics.median(v) for key, v in times.items()}
    load = os.getloadavg()[0]
    print(f'{args.width} VGG {WIDTHS[args.width]}, {args.images} images, batch 16 (8 per replica), {args.rounds} rounds after a compiling one, load average {load:.1f} '
          f'on {os.cpu_count()} cores; seconds, medians over rounds\n')
    print('| model | where | evaluate s | predict s | evaluate / plain Keras | predict / plain Keras |')
    print('|---|---|---|---|---|---|')
    for kind in kinds:
        for where in strategies:
            e, p = med[kind, where, 'evaluate'], med[kind, where, 'predict']
            pe, pp = med['plain Keras', where, 'evaluate'], med['plain Keras', where, 'predict']
            print(f'| {kind} | {where} | {e:.3f} | {p:.3f} | {e / pe:.2f} | {p / pp:.2f} |')
    two = [k for k in kinds if k == 'lipbook']
    for kind in two:
        for what in ('evaluate', 'predict'):
            ratios = [a / b for a, b in zip(times[kind, '2 replicas', what], times['plain Keras', '2 replicas', what])]
            print(f'\n{kind} / plain Keras, 2 replicas, {what}: per round {", ".join(f"{q:.2f}" for q in ratios)}', end='')
    print()


if __name__ == '__main__': main()

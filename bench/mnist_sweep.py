"""Choose the MNIST recipe on the validation split: train candidate losses briefly, report validation figures only.

    python bench/mnist_sweep.py --data-dir ../shared/data/mnist [--configs hkr certce lipce] [--epochs 3]
                                [--net dense|4c3f|aol_dense|sll_dense|aol_4c3f|ortho_4c3f|residual] [--orthogonalizer auto|warm|polar|bjorck]

Each candidate trains on the seeded 90% of the MNIST training set and is scored on the held-out 10% (the test set is
not read): clean accuracy and provable certified accuracy (pairwise) at ε = 0.3, 1.0, 1.58. Rows are appended to
`bench/RESULTS-mnist-sweep.md`, so the table keeps every configuration tried."""
import argparse, os, sys, time

os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '3')
import keras
from lipbook.callbacks import LossParamScheduler
from lipbook.certification import certified_accuracy
from lipbook.data import local_arrays, validation_split
from lipbook.losses import (MulticlassHKR, CertifiedCrossentropy, CertifiedTradesCrossentropy, LipschitzCrossentropy,
                            SoftHKRMulticlass)
from lipbook.activations import GroupSort2
from lipbook.families import AOLDense, SLLDense, AOLConv2D, OrthoConv2D
from lipbook.layers import SpectralDense
from lipbook.model import LossVariableSequential
from lipbook.recipes import dense_network, conv_dense_network, residual_network

EPS_TARGET = 1.58


def ramp(epochs, start=0.3, end=1.1 * EPS_TARGET):
    "GloRo's ε schedule, per epoch: from `start` up to `end` over the first half of training, then held."
    return LossParamScheduler('epsilon', [(0, start), (max(epochs // 2, 1), end)])


CONFIGS = {   # name -> (loss, callbacks(epochs) for its schedules, description)
    'hkr': (lambda: MulticlassHKR(alpha=100.0, min_margin=2.5), lambda e: [], 'MulticlassHKR(alpha=100, min_margin=2.5)'),
    'softhkr': (lambda: SoftHKRMulticlass(hkr_alpha=0.99, min_margin=2.5), lambda e: [], 'SoftHKRMulticlass(0.99, 2.5)'),
    'lipce': (lambda: LipschitzCrossentropy(offset=2.5, temperature=0.25), lambda e: [],
              'LipschitzCrossentropy(offset=2.5, temperature=0.25)'),
    'lipce3': (lambda: LipschitzCrossentropy(offset=3.0, temperature=0.5), lambda e: [],
               'LipschitzCrossentropy(offset=3.0, temperature=0.5)'),
    'certce': (lambda: CertifiedCrossentropy(epsilon=0.3, temperature=1.0), ramp,
               'CertifiedCrossentropy(temperature=1), ε 0.3 → 1.74 over the first half'),
    'certce4': (lambda: CertifiedCrossentropy(epsilon=0.3, temperature=4.0), ramp,
                'CertifiedCrossentropy(temperature=4), ε 0.3 → 1.74 over the first half'),
    'trades': (lambda: CertifiedTradesCrossentropy(epsilon=0.3, temperature=4.0, trades_beta=2.0), ramp,
               'CertifiedTradesCrossentropy(temperature=4, beta=2), ε 0.3 → 1.74 over the first half'),
}
def aol_dense(shape, orthogonalizer):
    "The dense network with AOL layers in place of the spectral ones (its head too)."
    layers = [keras.Input(shape), keras.layers.Flatten()]
    for units in (1024, 1024): layers += [AOLDense(units), GroupSort2()]
    return LossVariableSequential(layers + [AOLDense(10)], optim_margin=False)


def sll_dense(shape, orthogonalizer):
    "A spectral layer up to 1024 features, two SLL residual layers (1024 hidden), a spectral head."
    layers = [keras.Input(shape), keras.layers.Flatten(), SpectralDense(1024, orthogonalizer=orthogonalizer), GroupSort2(),
              SLLDense(), SLLDense()]
    return LossVariableSequential(layers + [SpectralDense(10, orthogonalizer=orthogonalizer)], optim_margin=False)


NETS = {'dense': lambda shape, o: dense_network(shape, 10, widths=(1024, 1024), orthogonalizer=o),
        '4c3f': lambda shape, o: conv_dense_network(shape, 10, orthogonalizer=o),
        'aol_dense': aol_dense, 'sll_dense': sll_dense,
        'aol_4c3f': lambda shape, o: conv_dense_network(shape, 10, orthogonalizer=o, conv=AOLConv2D),
        'ortho_4c3f': lambda shape, o: conv_dense_network(shape, 10, orthogonalizer=o, conv=OrthoConv2D),
        'residual': lambda shape, o: residual_network(shape, 10, orthogonalizer=o)}


def run(name, net, orthogonalizer, epochs, lr, batch_size, data, seed):
    (x, y), (x_val, y_val) = data
    keras.utils.set_random_seed(seed)
    make_loss, schedules, description = CONFIGS[name]
    model = NETS[net](x.shape[1:], orthogonalizer)
    model.compile(optimizer=keras.optimizers.Adam(lr), loss=make_loss(), metrics=['accuracy'])
    started = time.time()
    model.fit(x, y, epochs=epochs, batch_size=batch_size, callbacks=schedules(epochs), verbose=2)
    seconds = time.time() - started
    clean = float(model.evaluate(x_val, y_val, verbose=0, return_dict=True)['accuracy'])
    cert = certified_accuracy(model, x_val, y_val, eps=(0.3, 1.0, EPS_TARGET))
    cells = [name, f'{net} ({orthogonalizer})', description, epochs, f'{lr:g}', batch_size, f'{seconds / epochs:.0f}',
             f'{100 * clean:.1f}', *(f'{100 * v:.1f}' for v in cert.values())]
    return '| ' + ' | '.join(map(str, cells)) + ' |'


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--configs', nargs='+', default=list(CONFIGS), choices=list(CONFIGS))
    p.add_argument('--net', default='dense', choices=list(NETS))
    p.add_argument('--orthogonalizer', default='auto', choices=('auto', 'warm', 'polar', 'bjorck'))
    p.add_argument('--epochs', type=int, default=3)
    p.add_argument('--lr', type=float, default=1e-3)
    p.add_argument('--batch-size', type=int, default=256)
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--data-dir', default=os.environ.get('LIPBOOK_DATA_DIR'))
    p.add_argument('--results', default=os.path.join(os.path.dirname(__file__), 'RESULTS-mnist-sweep.md'))
    args = p.parse_args()
    x, y, _, _, _ = local_arrays('mnist', args.data_dir)
    x, y, x_val, y_val = validation_split(x, y, 0.1, args.seed)
    if not os.path.exists(args.results):
        with open(args.results, 'w') as f:
            f.write('# MNIST recipe sweep (validation split only)\n\nEach row: `python bench/mnist_sweep.py` on the seeded 90% of '
                    'the training set, scored on the held-out 10% (6,000 images): clean accuracy and provable certified '
                    'accuracy (pairwise) in %. The test set is not used here.\n\n'
                    '| config | net | loss | epochs | lr | batch | s/epoch | clean | cert @0.3 | cert @1.0 | cert @1.58 |\n'
                    '|---|---|---|---|---|---|---|---|---|---|---|\n')
    for name in args.configs:
        row = run(name, args.net, args.orthogonalizer, args.epochs, args.lr, args.batch_size, ((x, y), (x_val, y_val)), args.seed)
        print(row, flush=True)
        with open(args.results, 'a') as f: f.write(row + '\n')


if __name__ == '__main__':
    sys.exit(main())

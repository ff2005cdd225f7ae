"""A/B of the warm route's products under XLA in one process (TensorFlow, a CPU with bfloat16 products): a network of
warm layers (`orthogonalizer='warm'`, the fastest under XLA) multiplying in float32 inside an XLA trace (lipbook's
default), the same network held to bfloat16 products where they pay off outside XLA, and plain Keras, all compiled
with `jit_compile=True`, interleaved round by round. `python bench/xla_precision.py [network] [rounds]` (default: 4c3f, 5)."""
import sys, os
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
net = sys.argv[1] if len(sys.argv) > 1 else '4c3f'
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
sys.argv = sys.argv[:1]
from bench import NETWORKS, batch_data, compiled, step_times, ab_rounds, cpu_model
from unittest import mock
import lipbook.normalizers as normalizers

if not normalizers.cpu_has_bf16(): sys.exit(f'{cpu_model()}: no bfloat16 products on this CPU, nothing to compare')
x, y = batch_data(net)
models = {'float32 (default)': compiled(net, 'warm', True), 'bfloat16': compiled(net, 'warm', True), 'plain': compiled(net, None, True)}
for name in ('float32 (default)', 'plain'): step_times(models[name], x, y, 12)      # past the warm route's first recoveries
default = normalizers.matmul_precision
def outside_xla(shape):
    "matmul_precision's answer without XLA (only for the products: the rest of the trace still knows it is XLA's)."
    with mock.patch.object(normalizers, 'xla_tracing', lambda: False): return default(shape)
with mock.patch.object(normalizers, 'matmul_precision', outside_xla):
    step_times(models['bfloat16'], x, y, 12)                                         # traced with bfloat16 products
print(f"{NETWORKS[net][3]}, XLA on; {cpu_model()}; {rounds} rounds × 3 steps after 12 warm-up steps")
times = ab_rounds(models, x, y, rounds)
plain = times['plain']
print(f"ratio to plain Keras: float32 {times['float32 (default)'] / plain:.3f}×, bfloat16 {times['bfloat16'] / plain:.3f}×")

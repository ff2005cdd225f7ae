"""A/B of the warm dense layers' two orders in one process: a network whose warm SpectralDense layers train in the batch's
order where `batch_order_pays` says so (lipbook's default), the same network held to the kernel order, and plain Keras,
interleaved round by round. `python bench/batch_order.py [network] [rounds]` (default: 4c3f, 7)."""
import sys, os
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
net = sys.argv[1] if len(sys.argv) > 1 else '4c3f'
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 7
sys.argv = sys.argv[:1]
from bench import NETWORKS, batch_data, compiled, step_times, ab_rounds, code_path, cpu_model
from unittest import mock
import lipbook.layers

x, y = batch_data(net)
models = {'batch order': compiled(net, 'auto', 'auto'), 'kernel order': compiled(net, 'auto', 'auto'), 'plain': compiled(net, None, 'auto')}
for name in ('batch order', 'plain'): step_times(models[name], x, y, 12)      # past the warm route's first recoveries
with mock.patch.object(lipbook.layers, 'batch_order_pays', lambda rows, shape: False):
    step_times(models['kernel order'], x, y, 12)                               # traced while held to the kernel order
print(f"{NETWORKS[net][3]}; {cpu_model()}; {rounds} rounds × 3 steps after 12 warm-up steps; {code_path(models['batch order'], len(x))}")
times = ab_rounds(models, x, y, rounds)
plain = times['plain']
print(f"ratio to plain Keras: batch order {times['batch order'] / plain:.3f}×, kernel order {times['kernel order'] / plain:.3f}×")

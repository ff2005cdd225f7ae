"""A/B of the warm dense layers' two orders in one process: a network whose warm SpectralDense layers train in the batch's
order where `batch_order_pays` says so (lipbook's default), the same network held to the kernel order, and plain Keras,
interleaved round by round. `python bench/batch_order.py [network] [rounds]` (default: 4c3f, 7)."""
import sys, os
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
net = sys.argv[1] if len(sys.argv) > 1 else '4c3f'
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 7
sys.argv = sys.argv[:1]
from bench import NETWORKS, batch_data, compiled, step_times, median, code_path, cpu_model
import lipbook.layers

x, y = batch_data(net)
models = {'batch order': compiled(net, 'auto', 'auto'), 'kernel order': compiled(net, 'auto', 'auto'), 'plain': compiled(net, None, 'auto')}
for name in ('batch order', 'plain'): step_times(models[name], x, y, 12)      # past the warm route's first recoveries
default, lipbook.layers.batch_order_pays = lipbook.layers.batch_order_pays, lambda rows, shape: False
step_times(models['kernel order'], x, y, 12)                                   # traced while held to the kernel order
lipbook.layers.batch_order_pays = default
times = {name: [] for name in models}
for r in range(rounds):
    for name in (models if r % 2 == 0 else list(models)[::-1]): times[name].append(median(step_times(models[name], x, y, 3)))
print(f"{NETWORKS[net][3]}; {cpu_model()}; {rounds} rounds × 3 steps after 12 warm-up steps; {code_path(models['batch order'], len(x))}")
for name, t in times.items(): print(f"{name}: median {1000 * median(t):.0f} ms ({', '.join(f'{1000 * v:.0f}' for v in t)})")
plain = median(times['plain'])
print(f"ratio to plain Keras: batch order {median(times['batch order']) / plain:.3f}×, kernel order {median(times['kernel order']) / plain:.3f}×")

"""Run every notebook of lipbook as a test, each in a fresh process (two at a time), then say how many passed and how long it took.

Each notebook runs through its own `nbdev_test --path` so that no state leaks from one notebook into the next (as in a
reader's fresh kernel). Extra arguments go to nbdev_test, e.g. `--flags "slow"`. Exits non-zero if any notebook fails.

What the log says, so that it tells what was tested on which machine:
- first, the CPU and the code paths lipbook takes on it (bfloat16 products, TensorFlow's oneDNN kernels), and the
  Keras backends installed (the backends notebook runs its checks on TensorFlow, JAX and PyTorch, each in a subprocess;
  it starts first, being the longest);
- a line per notebook as it finishes (pass/fail, seconds);
- then the notebooks whose code picks a path by CPU feature run again with the path this machine does *not* take by
  default (`$LIPBOOK_CPU_BF16` and `$TF_ENABLE_ONEDNN_OPTS` flipped), so an Intel AMX machine and an AMD AVX2 one
  both check both paths;
- last, the reasons of the checks that were skipped (`lipbook.testing.skip`), and the count line."""
import os, pathlib, subprocess, sys, tempfile, time
from concurrent.futures import ThreadPoolExecutor, as_completed

root = pathlib.Path(__file__).resolve().parent.parent
FIRST = ('23_backends.ipynb',)   # the longest (three backends in subprocesses): started first, so it is not the last to end
notebooks = [p.name for p in sorted((root / 'nbs').glob('*.ipynb')) if not p.name.startswith(('_', '.'))]
notebooks.sort(key=lambda name: name not in FIRST)
PATH_SENSITIVE = ('01_normalizers.ipynb', '06_layers.ipynb', '11_certification.ipynb', '12_soundness.ipynb')
nbdev_test = str(pathlib.Path(sys.executable).with_name('nbdev_test'))
skip_dir = tempfile.mkdtemp(prefix='lipbook-skips-')

PROBE = """
import os
from lipbook.normalizers import cpu_has_bf16
from tensorflow.python.util import _pywrap_util_port
model = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), 'unknown')
flags = next((l.split(':', 1)[1].split() for l in open('/proc/cpuinfo') if l.startswith('flags')), [])
print(model); print(' '.join(f for f in ('avx2', 'avx512f', 'avx512_bf16', 'amx_bf16') if f in flags))
print(int(cpu_has_bf16())); print(int(_pywrap_util_port.IsMklEnabled()))
"""


def backends() -> str:
    "The Keras backends installed here, with their versions (read from the packages' metadata, nothing imported)."
    from importlib.metadata import version, PackageNotFoundError
    found = []
    for name, package in (('TensorFlow', 'tensorflow'), ('JAX', 'jax'), ('PyTorch', 'torch')):
        try: found.append(f'{name} {version(package)}')
        except PackageNotFoundError: found.append(f'{name} not installed')
    return ', '.join(found)


def cpu_paths() -> dict:
    "The CPU's model and features, and whether lipbook multiplies in bfloat16 and TensorFlow runs oneDNN kernels here."
    env = {**os.environ, 'TF_CPP_MIN_LOG_LEVEL': '3'}
    out = subprocess.run([sys.executable, '-c', PROBE], cwd=root, env=env, capture_output=True, text=True)
    if out.returncode: return dict(model='unknown (probe failed)', flags='', bf16=False, onednn=False, error=out.stderr[-2000:])
    model, flags, bf16, onednn = out.stdout.strip().splitlines()[-4:]
    return dict(model=model, flags=flags, bf16=bf16 == '1', onednn=onednn == '1')


def run(name, env_extra=None, label=''):
    "Run one notebook with nbdev_test, in a fresh process; returns (name, label, completed process, seconds, skip reasons)."
    log = os.path.join(skip_dir, f'{name}{label}.txt')
    env = {**os.environ, 'LIPBOOK_SKIP_LOG': log, **(env_extra or {})}
    start = time.time()
    done = subprocess.run([nbdev_test, '--path', f'nbs/{name}', *sys.argv[1:]], cwd=root, env=env, stderr=subprocess.PIPE,
                          stdout=subprocess.DEVNULL, text=True)
    reasons = open(log, encoding='utf-8').read().splitlines() if os.path.exists(log) else []
    return name, label, done, time.time() - start, reasons


def run_all(jobs) -> list:
    "Run `jobs` (name, env, label) two at a time, printing a line for each as it finishes."
    results = []
    with ThreadPoolExecutor(2) as pool:
        for future in as_completed([pool.submit(run, *job) for job in jobs]):
            name, label, done, seconds, reasons = result = future.result()
            results.append(result)
            print(f"[{len(results):2d}/{len(jobs)}] {name}{label}: {'failed' if done.returncode else 'passed'} in {seconds:.0f} s"
                  + (f' ({len(reasons)} skipped)' if reasons else ''), flush=True)
    return results


start = time.time()
cpu = cpu_paths()
other = {'LIPBOOK_CPU_BF16': '0' if cpu['bf16'] else '1', 'TF_ENABLE_ONEDNN_OPTS': '0' if cpu['onednn'] else '1'}
print(f"CPU: {cpu['model']} ({cpu['flags'] or 'no AVX2'}); lipbook's paths here: bfloat16 products "
      f"{'on' if cpu['bf16'] else 'off'}, TensorFlow oneDNN kernels {'on' if cpu['onednn'] else 'off'}", flush=True)
if 'error' in cpu: print(cpu['error'], file=sys.stderr)
print(f'Keras backends: {backends()}', flush=True)
other_label = f" (other path: bfloat16 {'off' if cpu['bf16'] else 'on'}, oneDNN {'off' if cpu['onednn'] else 'on'})"
jobs = [(name, None, '') for name in notebooks] + [(name, other, other_label) for name in PATH_SENSITIVE if name in notebooks]
results = run_all(jobs)
failed = [f'{name}{label}' for name, label, done, _, _ in results if done.returncode]
for name, label, done, _, _ in results:
    if done.returncode: sys.stderr.write(f'\n===== {name}{label} =====\n{done.stderr}')
docs = subprocess.run([sys.executable, str(root / '.ci' / 'docs.py')], cwd=root, capture_output=True, text=True)
print(docs.stdout.strip() or 'docs: no output', flush=True)
if docs.returncode: failed.append('docs pages'); sys.stderr.write(f'\n===== docs pages =====\n{docs.stderr[-5000:]}')
skipped = [(name, reason) for name, label, _, _, reasons in results if not label for reason in reasons]
if skipped:
    print('\nSkipped checks:')
    for name, reason in skipped: print(f'  {name}: {reason}')
minutes, seconds = divmod(round(time.time() - start), 60)
print(f"{len(jobs)} notebook runs and the docs pages in {minutes} min {seconds:02d} s"
      + (f"; failed: {', '.join(failed)}" if failed else '') + '.')
print(f"tests: {len(jobs) + 1 - len(failed)} passed, {len(failed)} failed")
sys.exit(1 if failed else 0)

"""Run every notebook of lipbook as a test, each in a fresh process (two at a time), then say how many passed and how long it took.

Each notebook runs through its own `nbdev_test --path` so that no state leaks from one notebook into the next (as in a
reader's fresh kernel). Extra arguments go to nbdev_test, e.g. `--flags "slow"`. Exits non-zero if any notebook fails."""
import pathlib, subprocess, sys, time
from concurrent.futures import ThreadPoolExecutor

root = pathlib.Path(__file__).resolve().parent.parent
notebooks = [p.name for p in sorted((root / 'nbs').glob('*.ipynb')) if not p.name.startswith(('_', '.'))]
nbdev_test = str(pathlib.Path(sys.executable).with_name('nbdev_test'))


def run(name):
    return name, subprocess.run([nbdev_test, '--path', f'nbs/{name}', *sys.argv[1:]], cwd=root, stderr=subprocess.PIPE,
                                stdout=subprocess.DEVNULL, text=True)


start = time.time()
with ThreadPoolExecutor(2) as pool:
    results = list(pool.map(run, notebooks))
failed = [name for name, done in results if done.returncode]
for name, done in results:
    if done.returncode: sys.stderr.write(f'\n===== {name} =====\n{done.stderr}')
minutes, seconds = divmod(round(time.time() - start), 60)
print(f"{len(notebooks)} notebooks: {len(notebooks) - len(failed)} passed, {len(failed)} failed"
      + (f" ({', '.join(failed)})" if failed else '') + f", in {minutes} min {seconds:02d} s.")
sys.exit(1 if failed else 0)

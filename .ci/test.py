"""Run every notebook of lipbook as a test (nbdev_test, 2 workers), then say how many passed and how long it took.

Extra arguments go to nbdev_test, e.g. `--flags "slow"`. Exits with nbdev_test's status."""
import pathlib, subprocess, sys, time

root = pathlib.Path(__file__).resolve().parent.parent
notebooks = [p.name for p in sorted((root / 'nbs').glob('*.ipynb')) if not p.name.startswith(('_', '.'))]
start = time.time()
run = subprocess.run([str(pathlib.Path(sys.executable).with_name('nbdev_test')), '--n_workers', '2', *sys.argv[1:]],
                     cwd=root, stderr=subprocess.PIPE, text=True)
sys.stderr.write(run.stderr)
failed = [n for n in notebooks if f'\t{n}' in run.stderr.split('Failed On The Following Notebooks')[-1]] if run.returncode else []
minutes, seconds = divmod(round(time.time() - start), 60)
print(f"{len(notebooks)} notebooks: {len(notebooks) - len(failed)} passed, {len(failed)} failed"
      + (f" ({', '.join(failed)})" if failed else '') + f", in {minutes} min {seconds:02d} s.")
sys.exit(run.returncode)

"""Build the pages of the docs site as far as it can be built without Quarto, and check what readers need on them.

`nbdev_docs` (the deploy workflow) is `nbdev_proc_nbs` followed by Quarto's render. Quarto cannot be installed here,
and `nbdev_proc_nbs` itself first tries to install it (with sudo, then `pip install -e .[dev]` into whatever Python is
on the PATH), so this script runs the same steps as `nbdev_proc_nbs` minus that check: refresh `_quarto.yml`, the
module index and the sidebar, then process every notebook into `_proc/` (which executes the cells the pages need:
imports, exports and `show_doc`). Then it checks the processed pages: every `show_doc` rendered its signature with the
arguments' documentation, the math is kept, and the plots are there. It leaves no file that git does not ignore.
Exits non-zero, saying what is wrong, if any of it fails."""
import json, pathlib, subprocess, sys

root = pathlib.Path(__file__).resolve().parent.parent


def process():
    "What `nbdev_proc_nbs` does, without its Quarto install."
    from nbdev.config import get_config
    from nbdev.quarto import refresh_quarto_yml, nbdev_sidebar
    from nbdev.serve import proc_nbs
    import nbdev.doclinks
    cfg = get_config()
    refresh_quarto_yml()
    nbdev.doclinks._build_modidx()
    nbdev_sidebar.__wrapped__(path=cfg.nbs_path)
    proc_nbs(cfg.nbs_path, n_workers=2)


def outputs(cell, kind):
    return [''.join(o['data'][kind]) for o in cell.get('outputs', []) if kind in o.get('data', {})]


def check_page(path) -> list:
    "What is missing on the processed page `path`: show_doc output, argument docs, math, plots."
    nb, problems = json.loads(path.read_text(encoding='utf-8')), []
    source = lambda c: ''.join(c['source'])
    for cell in nb['cells']:
        if cell['cell_type'] == 'code' and source(cell).startswith('show_doc('):
            rendered = outputs(cell, 'text/markdown')
            name = source(cell)[len('show_doc('):].split(')')[0].split('.')[-1]
            if not rendered or f'### {name}' not in rendered[0]:
                problems.append(f'{source(cell)} rendered nothing')
            elif '(\n' in rendered[0] and ' # ' not in rendered[0]:
                problems.append(f'{source(cell)} shows arguments without their documentation')
    original = json.loads((root / 'nbs' / path.name).read_text(encoding='utf-8'))
    if any('$' in source(c) for c in original['cells'] if c['cell_type'] == 'markdown') and \
            not any('$' in source(c) for c in nb['cells'] if c['cell_type'] == 'markdown'):
        problems.append('the math of the markdown cells is gone')
    plots = sum(len(outputs(c, 'image/png')) for c in original['cells'])
    if plots and sum(len(outputs(c, 'image/png')) for c in nb['cells']) < plots: problems.append('plots are missing')
    return problems


if __name__ == '__main__':
    try: process()
    except Exception as e:
        print(f'docs: processing the notebooks failed: {e}', file=sys.stderr)
        sys.exit(1)
    pages = sorted((root / '_proc').glob('*.ipynb'))
    expected = sorted(p.name for p in (root / 'nbs').glob('*.ipynb') if not p.name.startswith(('_', '.')))
    problems = [] if [p.name for p in pages] == expected else [f'_proc/ holds {len(pages)} pages, not the {len(expected)} notebooks']
    problems += [f'{page.name}: {problem}' for page in pages for problem in check_page(page)]
    untracked = subprocess.run(['git', 'status', '--porcelain', '--untracked-files=all'], cwd=root, capture_output=True,
                               text=True).stdout.splitlines()
    problems += [f'left a file git does not ignore: {line[3:]}' for line in untracked if line.startswith('??')]
    for problem in problems: print(f'docs: {problem}', file=sys.stderr)
    print(f"docs: {len(pages)} pages processed for the site, {'no problems' if not problems else f'{len(problems)} problems'}.")
    sys.exit(1 if problems else 0)

"""Write README.md from nbs/index.ipynb (nbdev_readme needs Quarto, which these machines lack); `make sync` runs it.

The README is the index's markdown cells, in order, plus the output of its code cells that carry a `# README: <expression>`
comment: the expression (for instance `demo_markdown('images/demo_summary.json', 'table')`) is evaluated with the index's
folder as the working directory, its Markdown goes into the README, and the same Markdown is stored as that cell's output
in the notebook, so the docs page shows it too. The demo's numbers thus come from nbs/images/demo_summary.json, never typed.
The Performance page's `# README:` cells are refreshed the same way from benchmarks/results/ (they are not part of the README).

`--check [README]`: exit 1, with a diff, when README (default README.md) or the index's outputs differ from what would be written."""
import json, os, re, sys, difflib, argparse
from pathlib import Path

root = Path(__file__).resolve().parent.parent
nb_path = root/'nbs'/'index.ipynb'
other_nbs = [root/'nbs'/'10_performance.ipynb']  # pages whose `# README:` cells show result files (benchmarks/results/), not in the README
_re_readme = re.compile(r'^# README: (.+)$', re.M)

def _eval(expr:str) -> str:
    "The Markdown of a `# README:` expression, evaluated in nbs/."
    from cxr_nbdev.report import demo_markdown
    import cxr_nbdev.performance as perf
    old = os.getcwd(); os.chdir(root/'nbs')
    try: return eval(expr, dict(demo_markdown=demo_markdown, **{k: getattr(perf, k) for k in perf.__all__}))   # every function of the Performance page
    finally: os.chdir(old)

def _refresh(nb) -> list:
    "Set the outputs of `nb`'s `# README:` cells to their Markdown, in place; returns the markdown cells' text and those outputs, in order."
    parts = []
    for c in nb['cells']:
        src = ''.join(c['source'])
        if c['cell_type'] == 'markdown': parts.append(src)
        elif m := _re_readme.search(src):
            md = _eval(m.group(1)); parts.append(md)
            c['outputs'] = [dict(output_type='display_data', metadata={}, data={'text/markdown': md.splitlines(keepends=True), 'text/plain': ['<IPython.core.display.Markdown object>']})]
    return parts

def build() -> tuple[str, dict]:
    "The README text and the notebook with its `# README:` outputs refreshed."
    nb = json.loads(nb_path.read_text())
    parts = _refresh(nb)
    text = "<!-- Written from nbs/index.ipynb by tools/make_readme.py: edit that notebook, not this file. -->\n\n" + '\n\n'.join(parts) + '\n'
    text = text.replace('](images/', '](nbs/images/')  # figures live beside the notebook; the README is one folder up
    text = re.sub(r'\]\((\d\w*)\.ipynb\)', r'](nbs/\1.ipynb)', text)  # links to notebooks, from the top folder
    return text, nb

def _nb_text(nb) -> str: return json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n"  # as nbdev writes notebooks

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--check', nargs='?', const=str(root/'README.md'), default=None, help='compare with this README instead of writing')
    a = p.parse_args()
    text, nb = build()
    others = {p: json.loads(p.read_text()) for p in other_nbs}
    for o in others.values(): _refresh(o)
    if a.check is None:
        (root/'README.md').write_text(text)
        for p, o in [(nb_path, nb), *others.items()]:
            if _nb_text(o) != p.read_text(): p.write_text(_nb_text(o))
        sys.exit(0)
    old = Path(a.check).read_text()
    diff = list(difflib.unified_diff(old.splitlines(), text.splitlines(), a.check, 'from nbs/index.ipynb and nbs/images/demo_summary.json', lineterm='', n=0))
    for p, o in [(nb_path, nb), *others.items()]:
        if _nb_text(o) != p.read_text(): diff.append(f'{p.relative_to(root)}: the outputs of its `# README:` cells are stale')
    if diff: print('README check failed: run `make sync`.\n' + '\n'.join(diff[:20])); sys.exit(1)
    print('README and index agree with nbs/index.ipynb and the recorded demo.')

"""The package's layering, checked from its imports; `make test` runs it.

Each module of cxr_nbdev is exported from one notebook (the `# %% ../nbs/NN_name.ipynb` lines nbdev writes), and may import
only modules of lower-numbered notebooks: `00_config` < `00b_distributed` < `01_data` < ... < `08_pipeline`. Every import counts,
those inside functions too (a lazy import is still a dependency), so there is no cycle and a reader can take the notebooks
in order. No module is longer than MAX_LINES: a longer one holds more than one idea. The README's map of notebooks
(from `nbs/index.ipynb`) links every numbered notebook. Prints the map; exits 1 on a breach."""
import ast, re, sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
pkg = root/'cxr_nbdev'
MAX_LINES = 450
SKIP = {'__init__', '_modidx'}   # the version, and nbdev's index of names

def notebook(mod:Path) -> str:
    "The one notebook `mod` is exported from."
    nbs = set(re.findall(r'^# %% \.\./nbs/(\S+)\.ipynb', mod.read_text(), re.M))
    if len(nbs) != 1: sys.exit(f"check_layers: {mod.name} is exported from {len(nbs)} notebooks ({', '.join(sorted(nbs)) or 'none'}). "
                               "Fix: export each module from exactly one notebook (its `#| default_exp`), with nbdev_export.")
    return nbs.pop()

def rank(nb:str) -> str:
    "The sortable number of a notebook: '00', '00b', '03a', ..."
    return re.match(r'\d+[a-z]?', nb).group(0)

def imports(mod:Path) -> set[str]:
    "The cxr_nbdev modules `mod` imports, anywhere in it."
    out = set()
    for n in ast.walk(ast.parse(mod.read_text())):
        if isinstance(n, ast.ImportFrom):
            name = n.module or ''
            if n.level: out |= {name.split('.')[0]} if name else {a.name for a in n.names}
            elif name.startswith('cxr_nbdev.'): out.add(name.split('.')[1])
            elif name == 'cxr_nbdev': out |= {a.name for a in n.names if (pkg/f'{a.name}.py').exists()}
        elif isinstance(n, ast.Import):
            out |= {a.name.split('.')[1] for a in n.names if a.name.startswith('cxr_nbdev.')}
    return out

if __name__ == '__main__':
    mods = {p.stem: p for p in sorted(pkg.glob('*.py')) if p.stem not in SKIP}
    nbs = {m: notebook(p) for m, p in mods.items()}
    bad = []
    print('| notebook | module | lines | imports |\n|---|---|---|---|')
    for m in sorted(mods, key=lambda m: nbs[m]):
        deps, lines = sorted(imports(mods[m]) - {m}, key=lambda d: nbs.get(d, d)), len(mods[m].read_text().splitlines())
        print(f"| {nbs[m]} | {m} | {lines} | {', '.join(deps) or '–'} |")
        bad += [f"{m} ({nbs[m]}) imports {d}, which is not a module of the package" for d in deps if d not in nbs]
        bad += [f"{m} ({nbs[m]}) imports {d} ({nbs[d]}), a notebook that comes after it" for d in deps if d in nbs and rank(nbs[d]) >= rank(nbs[m])]
        if lines > MAX_LINES: bad.append(f"{m} has {lines} lines, more than {MAX_LINES}")
    readme = (root/'README.md').read_text()   # the map of notebooks (from the index) names every numbered notebook
    bad += [f"README.md's map of notebooks does not link {nb.name}" for nb in sorted((root/'nbs').glob('[0-9]*.ipynb')) if f'(nbs/{nb.name})' not in readme]
    if bad: sys.exit('check_layers:\n' + '\n'.join(f'- {b}' for b in bad) + '\nFix: move the shared code to a lower notebook, or split the module.')
    print(f"layers: {len(mods)} modules, each imports only earlier notebooks' modules (0 cycles), none over {MAX_LINES} lines")

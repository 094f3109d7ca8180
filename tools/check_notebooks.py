"""Checks on the notebooks as users run them in Jupyter; `make test` runs it.

Every cell that needs a GPU (flagged `#| cuda`) must skip cleanly on a machine without one: it starts with
`if not torch.cuda.is_available(): print(...)`, and run here with CUDA hidden it prints that one line and nothing fails.
(`make notebooks` runs every notebook top to bottom in a Jupyter kernel on this machine, the full check.)"""
import json, re, sys, io, contextlib
from pathlib import Path
from unittest import mock
import torch

root = Path(__file__).resolve().parent.parent
_guard = re.compile(r'^if not torch\.cuda\.is_available\(\): print\(')

def gpu_cells():
    "(notebook, cell source) for every `#| cuda` cell."
    for nb in sorted((root/'nbs').glob('[!_]*.ipynb')):
        for c in json.loads(nb.read_text())['cells']:
            src = ''.join(c['source'])
            if c['cell_type'] == 'code' and re.search(r'^#\|\s*cuda', src, re.M): yield nb.name, src

def check() -> list[str]:
    errs, n = [], 0
    for name, src in gpu_cells():
        n += 1
        code = '\n'.join(l for l in src.splitlines() if not l.startswith('#|'))
        if not _guard.match(code): errs.append(f"{name}: a `#| cuda` cell does not start with `if not torch.cuda.is_available(): print(...)`"); continue
        out = io.StringIO()
        try:
            with mock.patch('torch.cuda.is_available', return_value=False), contextlib.redirect_stdout(out): exec(code, {'torch': torch})
        except Exception as e: errs.append(f"{name}: the `#| cuda` cell fails without a GPU: {type(e).__name__}: {e}")
        if len(out.getvalue().strip().splitlines()) != 1: errs.append(f"{name}: without a GPU the `#| cuda` cell should print one line, printed {out.getvalue()!r}")
    if n == 0: errs.append("no `#| cuda` cell found: the check checks nothing")
    return errs

if __name__ == '__main__':
    errs = check()
    if errs: print('notebooks: ' + '\n  '.join(errs)); sys.exit(1)
    print(f"notebooks: every GPU cell skips cleanly without CUDA")

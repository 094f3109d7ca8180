"""Checks on the notebooks as users run them in Jupyter; `make test` runs it.

Every cell that needs a GPU (flagged `#| cuda`) must skip cleanly on a machine without one: it starts with
`if not torch.cuda.is_available(): print(...)`, and run here with CUDA hidden it prints that one line and nothing fails.
(`make notebooks` runs every notebook top to bottom in a Jupyter kernel on this machine, the full check.)

The docs build (nbdev's processors) runs every cell that imports something, out of context: a cell that imports and
also does other work fails there on names its notebook defined earlier. So such a cell is refused here, where the
message is clear, not in `make docs`.

Prose says one thing a paragraph: a paragraph or list item of a markdown cell over MAX_WORDS words is refused.
"""
import ast, json, re, sys, io, contextlib
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

def mixed_import_cells() -> list[str]:
    "Every cell, not exported, that both imports and does other work: the docs build would run it without its context."
    errs = []
    for nb in sorted((root/'nbs').glob('[!_]*.ipynb')):
        for c in json.loads(nb.read_text())['cells']:
            src = ''.join(c['source'])
            if c['cell_type'] != 'code' or re.search(r'^#\|\s*(export|exporti|exports|exec_doc)\b', src, re.M) or 'nbdev_export()' in src: continue
            try: body = ast.parse('\n'.join(l for l in src.splitlines() if not l.lstrip().startswith(('#|', '!', '%')))).body
            except SyntaxError: continue
            imp = [isinstance(n, (ast.Import, ast.ImportFrom)) for n in body]
            if any(imp) and not all(imp): errs.append(f"{nb.name} cell {c.get('id')}: imports and runs code; the docs build runs it out of context. Fix: move its imports to the notebook's imports cell")
    return errs

MAX_WORDS = 90

def long_paragraphs() -> list[str]:
    "Every paragraph or list item of a markdown cell with more than `MAX_WORDS` words (tables and code blocks left out)."
    errs = []
    for nb in sorted((root/'nbs').glob('[!_]*.ipynb')):
        for c in json.loads(nb.read_text())['cells']:
            if c['cell_type'] != 'markdown': continue
            text = re.sub(r'```.*?```', '', ''.join(c['source']), flags=re.S)
            for p in re.split(r'\n\s*\n', text):
                for item in re.split(r'\n(?=\s*(?:[-*]|\d+\.) )', p):
                    if not item.lstrip().startswith('|') and len(item.split()) > MAX_WORDS:
                        errs.append(f"{nb.name} cell {c.get('id')}: a paragraph of {len(item.split())} words (at most {MAX_WORDS}): {item.strip()[:60]}... Fix: one point a paragraph")
    return errs

if __name__ == '__main__':
    errs = check() + mixed_import_cells() + long_paragraphs()
    if errs: print('notebooks: ' + '\n  '.join(errs)); sys.exit(1)
    print(f"notebooks: every GPU cell skips cleanly without CUDA, no cell imports and runs code, no paragraph over {MAX_WORDS} words")

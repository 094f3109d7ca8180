"Write README.md from the markdown cells of nbs/index.ipynb (nbdev_readme needs Quarto, which these machines lack)."
import json
from pathlib import Path

root = Path(__file__).resolve().parent.parent
cells = json.loads((root/'nbs'/'index.ipynb').read_text())['cells']
md = [''.join(c['source']) for c in cells if c['cell_type'] == 'markdown']
head = "<!-- Written from nbs/index.ipynb by tools/make_readme.py: edit that notebook, not this file. -->\n\n"
(root/'README.md').write_text(head + '\n\n'.join(md) + '\n')

"Write README.md from the markdown cells of nbs/index.ipynb (nbdev_readme needs Quarto, which these machines lack)."
import json, re
from pathlib import Path

root = Path(__file__).resolve().parent.parent
cells = json.loads((root/'nbs'/'index.ipynb').read_text())['cells']
md = [''.join(c['source']) for c in cells if c['cell_type'] == 'markdown']
head = "<!-- Written from nbs/index.ipynb by tools/make_readme.py: edit that notebook, not this file. -->\n\n"
text = head + '\n\n'.join(md) + '\n'
text = text.replace('](images/', '](nbs/images/')  # figures live beside the notebook; the README is one folder up
text = re.sub(r'\]\((\d\w*)\.ipynb\)', r'](nbs/\1.ipynb)', text)  # links to notebooks, from the top folder
(root/'README.md').write_text(text)

"""Keep the front page short and sound: `make test` runs it on README.md (written from nbs/index.ipynb).

Fails when the page has more than 1,200 words of prose (code blocks and tables left out), a paragraph or list item of more
than 90 words, a link to a file of the repository that does not exist, or a citation missing from its Citing section."""
import re, sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
MAX_WORDS, MAX_PARA = 1200, 90
CITATIONS = {'NIH ChestX-ray14 (Wang et al. 2017)': r'Wang X.*ChestX-ray8.*CVPR 2017', 'the Kermany data (Kermany et al. 2018)': r'Kermany DS.*Cell.*2018',
             'DDPM (Ho et al. 2020)': r'Ho J, Jain A, Abbeel P.*2020', 'DDIM (Song et al. 2021)': r'Song J, Meng C, Ermon S.*2021',
             'classifier-free guidance (Ho and Salimans)': r'Ho J, Salimans T'}

def prose(text:str) -> list[str]:
    "The page's paragraphs and list items, without code blocks, tables, images, headings and HTML comments."
    text = re.sub(r'```.*?```', '', re.sub(r'<!--.*?-->', '', text, flags=re.S), flags=re.S)
    parts = []
    for block in re.split(r'\n\s*\n', text):
        lines = [l for l in block.strip().splitlines() if not l.lstrip().startswith(('|', '#', '!['))]
        parts += [p for p in re.split(r'\n(?=\s*(?:[-*]|\d+\.) )', '\n'.join(lines)) if p.strip()]
    return parts

def words(s:str) -> int: return len(re.sub(r'\]\([^)]*\)', ']', s).split())   # a link's target is not read as words

def problems(readme:Path) -> list[str]:
    text, out = readme.read_text(), []
    paras = prose(text)
    if (n := sum(map(words, paras))) > MAX_WORDS: out.append(f"{n} words of prose, more than {MAX_WORDS}: move reference material into the notebook that owns it")
    out += [f"a paragraph of {words(p)} words (at most {MAX_PARA}): {p[:70]}..." for p in paras if words(p) > MAX_PARA]
    for target in re.findall(r'\]\(([^)\s]+)\)', text):
        if not re.match(r'[a-z]+:', target) and not (readme.parent/target.split('#')[0]).exists(): out.append(f"a link to {target}, which does not exist")
    cites = text.split('## Citing', 1)[-1] if '## Citing' in text else ''
    out += [f"no citation of {k} under '## Citing'" for k, pat in CITATIONS.items() if not re.search(pat, cites)]
    return out

if __name__ == '__main__':
    fn = Path(sys.argv[1] if len(sys.argv) > 1 else root/'README.md')
    if p := problems(fn): sys.exit(f"check_front: {fn.name}:\n" + '\n'.join('  ' + x for x in p) + "\nFix: edit nbs/index.ipynb, then `make sync`.")
    print(f"check_front: {fn.name} has {sum(map(words, prose(fn.read_text())))} words of prose, no paragraph over {MAX_PARA}, its links and citations in place.")

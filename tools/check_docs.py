"""Check the docs site that `make docs` rendered into _docs/: run by `make test`.

Checks: every notebook in nbs/ has a page; every exported function and class in `__all__` of a module has its API entry
(a heading made by `show_doc`) on its notebook's page; every page whose notebook has image outputs embeds
them; no internal link is broken (relative links to files and anchors here, and links to the published
site, which nbdev writes for backticked names, to the pages Quarto would name by `output-file`); and the
headless-Chromium screenshots given with --shots are not blank. Pages may be named by the notebook (smalldocs, `06_classifier.html`)
or by nbdev's `output-file` (Quarto, `classifier.html`): the site is checked as rendered and again as a copy renamed the way
Quarto names pages, so the check holds for either renderer. Exit 1 with the list of failures."""
import argparse, json, re, sys, importlib, shutil
from html.parser import HTMLParser
from pathlib import Path
from configparser import ConfigParser
from PIL import Image, ImageStat

root = Path(__file__).resolve().parent.parent

class Page(HTMLParser):
    "The links, image sources, element ids and h3 headings of one HTML page."
    def __init__(self, text):
        super().__init__(); self.links, self.imgs, self.ids, self.h3, self._in_h3 = [], [], set(), [], False
        self.feed(text)
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if 'id' in a: self.ids.add(a['id'])
        if tag == 'a' and a.get('href'): self.links.append(a['href'])
        if tag == 'img': self.imgs.append(a.get('src') or '')
        if tag == 'h3': self._in_h3 = True; self.h3.append('')
    def handle_endtag(self, tag):
        if tag == 'h3': self._in_h3 = False
    def handle_data(self, data):
        if self._in_h3: self.h3[-1] += data

def notebooks():
    "The notebooks that have pages: nbs/*.ipynb not starting with '_' or '.'."
    return sorted(p for p in (root/'nbs').glob('*.ipynb') if not p.name.startswith(('_', '.')))

def output_file(nb:Path) -> str:
    "The page name Quarto gives the notebook: nbdev's `output-file` in the processed copy, else the notebook's stem."
    proc = root/'_proc'/nb.name
    if proc.exists():
        src = ''.join(json.loads(proc.read_text())['cells'][0]['source'])
        if m := re.search(r'^output-file:\s*(\S+)', src, re.M): return m.group(1)
    return nb.stem + '.html'

def module_of(nb:Path):
    "The module a notebook exports (`#| default_exp`), or None."
    for c in json.loads(nb.read_text())['cells']:
        if m := re.search(r'^#\|\s*default_exp\s+(\S+)', ''.join(c['source']), re.M): return m.group(1)

def has_images(nb:Path) -> bool:
    return any('image/png' in o.get('data', {}) for c in json.loads(nb.read_text())['cells'] if c['cell_type'] == 'code' for o in c.get('outputs', []))

def page_names(site:Path) -> dict:
    "Notebook -> its page in `site`: Quarto names pages by nbdev's `output-file` (`classifier.html`), smalldocs by the notebook (`06_classifier.html`)."
    return {nb: next((n for n in (output_file(nb), nb.stem + '.html') if (site/n).is_file()), None) for nb in notebooks()}

def check_site(site:Path) -> list[str]:
    cfg = ConfigParser(); cfg.read(root/'settings.ini'); d = cfg['DEFAULT']
    host = d['doc_host'].rstrip('/') + d['doc_baseurl'].rstrip('/') + '/'
    errs, pages, found = [], {}, page_names(site)
    alias = {n: found[nb] for nb in found if found[nb] for n in (output_file(nb), nb.stem + '.html', nb.name)}  # any name of a page -> its file
    for nb, fn in found.items():
        if fn is None: errs.append(f"{nb.name}: no page {output_file(nb)} or {nb.stem}.html in {site}"); continue
        pages[fn] = Page((site/fn).read_text())
    for nb, fn in found.items():
        if fn is None: continue
        page = pages[fn]
        if (mod := module_of(nb)):
            m = importlib.import_module(f"{d['lib_name']}.{mod}")
            names = [n for n in m.__all__ if callable(getattr(m, n))]  # nbdev documents functions and classes, not constants
            heads = {h.strip().split('(')[0].strip() for h in page.h3}
            if missing := [n for n in names if n not in heads]: errs.append(f"{fn}: no API entry (show_doc) for {missing}")
        if has_images(nb) and not any(s.startswith('data:image') or (site/s).is_file() for s in page.imgs):
            errs.append(f"{fn}: the notebook has figures but the page embeds none")
        for s in page.imgs:
            if not s.startswith(('data:', 'http')) and not (site/s).is_file(): errs.append(f"{fn}: image {s} not found")
        for href in page.links:
            if href.startswith(host): target, _, anchor = href[len(host):].partition('#'); target = alias.get(target, '?' + target)
            elif href.startswith(('http:', 'https:', 'mailto:')): continue
            else: target, _, anchor = href.partition('#'); target = alias.get(target, target)
            target = target or fn
            if target.startswith('?'): errs.append(f"{fn}: link {href} goes to no page"); continue
            if not (site/target).exists(): errs.append(f"{fn}: broken link {href}"); continue
            if anchor and target in pages and anchor not in pages[target].ids: errs.append(f"{fn}: link {href}: no #{anchor} there")
    return errs

def quarto_named_copy(site:Path, dest:Path) -> Path:
    "A copy of the smalldocs `site` with pages and internal links renamed as Quarto names them, to check that naming too."
    shutil.rmtree(dest, ignore_errors=True); shutil.copytree(site, dest)
    ren = {nb.stem + '.html': output_file(nb) for nb in notebooks() if output_file(nb) != nb.stem + '.html'}
    for old, new in ren.items(): (dest/old).rename(dest/new)
    for f in dest.glob('*.html'):
        t = f.read_text()
        for old, new in ren.items(): t = re.sub(rf'(href=")({re.escape(old)})([#"])', rf'\g<1>{new}\3', t)
        f.write_text(t)
    return dest

def check_shot(fn:Path) -> list[str]:
    "A screenshot is blank when it is (nearly) one colour: too little contrast or too few dark pixels."
    if not fn.is_file() or fn.stat().st_size == 0: return [f"screenshot {fn} missing"]
    im = Image.open(fn).convert('L')
    dark = sum(im.histogram()[:128])/(im.width*im.height)
    if ImageStat.Stat(im).stddev[0] < 10 or dark < 0.005: return [f"screenshot {fn} looks blank (std {ImageStat.Stat(im).stddev[0]:.1f}, dark {dark:.2%})"]
    return []

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('site', nargs='?', default=str(root/'_docs'))
    p.add_argument('--shots', nargs='*', default=[])
    a = p.parse_args()
    site = Path(a.site)
    errs = check_site(site) + [e for s in a.shots for e in check_shot(Path(s))]
    qsite = quarto_named_copy(site, site.parent/(site.name + '_quarto_names'))  # Quarto's page names must pass the same checks
    errs += [f"(Quarto page names) {e}" for e in check_site(qsite)]
    if not any((qsite/output_file(nb)).is_file() for nb in notebooks() if output_file(nb) != nb.stem + '.html'): errs.append("the Quarto-named copy has no renamed page")
    shutil.rmtree(qsite)
    n = len(notebooks())
    if errs: print(f"docs: {len(errs)} problem(s):\n  " + '\n  '.join(errs)); sys.exit(1)
    print(f"docs: {n} pages, API entries, figures and internal links checked, under smalldocs' and Quarto's page names" + (f"; {len(a.shots)} screenshots not blank" if a.shots else ''))

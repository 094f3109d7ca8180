"""Record the demo for the README and the index: `make record-demo`, after `make demo`.

Copies reports/summary.json to nbs/images/demo_summary.json with what made it (the commit, the duration that `make demo`
measured, the machine's CPU count, the stage times) and the demo's figures to nbs/images/demo_*.png. Commit them: the
README and the index quote only this file (through `demo_markdown`), so their numbers are the demo's, never typed."""
import json, os, shutil, subprocess, sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
rep, img = root/'reports', root/'nbs'/'images'
FIGURES = {'ddpm_samples.png': 'demo_samples.png', 'differences.png': 'demo_differences.png',
           'runs/seed_0/baseline/history.png': 'demo_history.png', 'runs/seed_0/baseline/confusion_matrix.png': 'demo_confusion.png',
           'runs/seed_0/baseline/roc.png': 'demo_roc.png', 'quality/closest_pairs.png': 'demo_closest_pairs.png'}
CARDS = {'models_trained/runs/seed_0/synthetic/MODEL_CARD.md': 'demo_model_card.md', 'generated_images/pipeline/DATASHEET.md': 'demo_datasheet.md'}

def enlarge(src, dst, tile:int=256, small:int=48):
    "The sample grid `src` (tiles of `small` px with 2 px gaps) scaled so that each tile is `tile` px wide, for the front page: the README shows images at their own size."
    from PIL import Image
    im = Image.open(src); k = tile/small
    im.resize((round(im.width*k), round(im.height*k)), Image.LANCZOS).save(dst)

if __name__ == '__main__':
    for f in [*(rep/f for f in ['summary.json', 'timings.json', 'make_demo.json', *FIGURES]), *(root/f for f in CARDS)]:
        if not f.is_file(): sys.exit(f"record_demo: {f} is missing. Fix: run `make demo` first (from a fresh clone, to time the install too).")
    dirty = subprocess.run(['git', 'status', '--porcelain', '--', 'cxr_nbdev', 'nbs/*.ipynb'], cwd=root, capture_output=True, text=True).stdout.strip()
    if dirty: sys.exit(f"record_demo: the package or notebooks have uncommitted changes, so no commit made these numbers:\n{dirty}\nFix: commit, run `make demo`, then record.")
    made = json.loads((rep/'make_demo.json').read_text())
    commit = subprocess.run(['git', 'rev-parse', 'HEAD'], cwd=root, capture_output=True, text=True).stdout.strip()
    if made.get('commit') != commit: sys.exit(f"record_demo: reports/ were made at {made.get('commit')}, HEAD is {commit}. Fix: run `make demo` again.")
    sys.path.insert(0, str(root))
    from cxr_nbdev.pipeline import code_version
    for f in sorted((rep/'stages').glob('*.json')):  # every result of this demo, by this code, in this timed run
        r = json.loads(f.read_text())
        if r.get('status') != 'ok' or r.get('code') != code_version() or r.get('finished', 0) < made['started']:
            sys.exit(f"record_demo: {f} was not made by the timed `make demo` with this code (skipped from an earlier run?). "
                     "Fix: `make clean-outputs && make demo`, then record.")
    s = json.loads((rep/'summary.json').read_text())
    if (s.get('numerics') or {}).get('cpu_capability') != 'AVX2' or s['numerics'].get('threads') != 2:
        sys.exit(f"record_demo: reports/summary.json was made with {s.get('numerics')}, not with `make demo`'s pinned arithmetic (2 threads, AVX2 kernels). "
                 "Fix: `make clean-outputs && make demo`, then record.")
    s['made_with'] = dict(commit=commit, make_demo_seconds=made['seconds'], cpus=made['cpus'], stage_seconds=json.loads((rep/'timings.json').read_text()))
    (img/'demo_summary.json').write_text(json.dumps(s, indent=1) + '\n')
    for src, dst in FIGURES.items(): shutil.copy(rep/src, img/dst)
    enlarge(img/'demo_samples.png', img/'demo_samples_large.png')
    for src, dst in CARDS.items(): shutil.copy(root/src, img/dst)
    print(f"Recorded the demo of {commit[:7]} in {img/'demo_summary.json'} and {len(FIGURES)} figures and {len(CARDS)} cards; now `make sync` and commit.")

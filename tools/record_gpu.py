"""Keep a GPU session's results: `python tools/record_gpu.py gpu_out [--suffix _2]`, after `benchmarks/gpu_session.sh` wrote gpu_out/.

Copies its result files to benchmarks/results/<card>/ (the card from gpu.txt: 'NVIDIA H200' -> h200) and its sample grid to
nbs/images/perf_samples_256.png; `make sync` then puts the figures into the Performance page, the README and the index. A
first call (without --suffix) also names its card in benchmarks/results/gpu_card.txt: the pages quote that card's folder, so
all their GPU figures come from one card. A
second, shorter call's files (a row the first call's time limit cut) go beside them with `--suffix`, e.g. sampling_2.json; the
compiled rows side by side (`PARTS=compare`) are gpu_train_2.json already, and torch.compile's modes (`PARTS=modes`) gpu_train_modes.json
and sampling_modes.json."""
import argparse, re, shutil, sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
NAMED = ('gpu_train_2.json', 'gpu_train_modes.json', 'sampling_modes.json')   # named by the session for its parts `compare` and `modes`: kept as named
FIRST = ('gpu_train.json', 'sampling.json', 'mode_c.json')   # a first call's files, from which the pages' sentences are made
RESULTS = ('gpu.txt', 'gpu_train.json', 'sampling.json', 'mode_c.json', 'mode_c.log', 'settings.json') + NAMED

def card(gpu_txt:Path) -> str:
    "The folder name of the card named on the first line of `gpu.txt`: its model, lower case ('NVIDIA H200, 143771 MiB, ...' -> 'h200')."
    first = gpu_txt.read_text().splitlines()[0]
    m = re.search(r'(?:NVIDIA|AMD)?\s*([A-Za-z]+\d+\w*)', first.split(',')[0])
    if not m: sys.exit(f"record_gpu: cannot read a card from {gpu_txt}: {first!r}")
    return m.group(1).lower()

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('out'); p.add_argument('--suffix', default=''); p.add_argument('--card', default=None)
    a = p.parse_args(); out = Path(a.out)
    results = root/'benchmarks'/'results'; name = a.card or card(out/'gpu.txt'); dest = results/name
    quoted = (results/'gpu_card.txt').read_text().strip() if (results/'gpu_card.txt').is_file() else None
    if a.suffix and name != quoted:
        sys.exit(f"record_gpu: this call ran on {name}, but the pages quote {quoted} (benchmarks/results/gpu_card.txt), and figures set side by side must come from one card. "
                 f"Fix: keep a first call on {name} (the default parts of gpu_session.sh) without --suffix, then this one.")
    dest.mkdir(parents=True, exist_ok=True)
    if not a.suffix and not (out/'gpu_train.json').is_file() and any((out/f).is_file() for f in NAMED):
        sys.exit(f"record_gpu: {out} holds no part `train`, only `compare` or `modes`: kept without --suffix, its gpu.txt and settings.json would replace the first call's. Fix: add --suffix _2.")
    if not a.suffix and (lacking := [f for f in FIRST if not (out/f).is_file()]):
        sys.exit(f"record_gpu: {out} lacks {', '.join(lacking)}, which the pages' sentences need from a first call. Fix: run the default parts of gpu_session.sh (train sampling mode_c) and keep that call.")
    pairs = [(out/f, dest/(f if not a.suffix or f in NAMED else f"{Path(f).stem}{a.suffix}{Path(f).suffix}")) for f in RESULTS if (out/f).is_file()]
    if len({t for _, t in pairs}) < len(pairs): sys.exit(f"record_gpu: two result files of {out} would be kept under one name. Fix: record a run of every part without --suffix.")
    if a.suffix and (taken := [t.name for f, t in pairs if t.name != f.name and t.is_file() and t.read_bytes() != f.read_bytes()]):
        sys.exit(f"record_gpu: {', '.join(taken)} in {dest.relative_to(root)} came from another call. Fix: choose another --suffix (e.g. _3).")
    for f, target in pairs: shutil.copyfile(f, target)
    kept = [t.name for _, t in pairs]
    if not a.suffix: (results/'gpu_card.txt').write_text(name + '\n'); kept.append(f'gpu_card.txt ({name}: the card the pages quote)')
    if (out/'samples_256.png').is_file() and not a.suffix: shutil.copyfile(out/'samples_256.png', root/'nbs'/'images'/'perf_samples_256.png'); kept.append('perf_samples_256.png')
    print(f"record_gpu: kept {', '.join(kept)} in {dest.relative_to(root)}; now `make sync` and commit.")

"""Keep a GPU session's results: `python tools/record_gpu.py gpu_out [--suffix _2]`, after `benchmarks/gpu_session.sh` wrote gpu_out/.

Copies its result files to benchmarks/results/<card>/ (the card from gpu.txt: 'NVIDIA H200' -> h200) and its sample grid to
nbs/images/perf_samples_256.png; `make sync` then puts the figures into the Performance page, the README and the index. A
second, shorter call's files (a row the first call's time limit cut) go beside them with `--suffix`, e.g. gpu_train_2.json."""
import argparse, re, shutil, sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
RESULTS = ('gpu.txt', 'gpu_train.json', 'sampling.json', 'mode_c.json', 'mode_c.log', 'settings.json')

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
    dest = root/'benchmarks'/'results'/(a.card or card(out/'gpu.txt')); dest.mkdir(parents=True, exist_ok=True)
    kept = []
    for f in RESULTS:
        if (out/f).is_file():
            target = dest/(f if not a.suffix else f"{Path(f).stem}{a.suffix}{Path(f).suffix}")
            shutil.copyfile(out/f, target); kept.append(target.name)
    if (out/'samples_256.png').is_file() and not a.suffix: shutil.copyfile(out/'samples_256.png', root/'nbs'/'images'/'perf_samples_256.png'); kept.append('perf_samples_256.png')
    print(f"record_gpu: kept {', '.join(kept)} in {dest.relative_to(root)}; now `make sync` and commit.")

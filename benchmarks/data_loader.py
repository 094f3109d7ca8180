"""Images per second of the DDPM's fastai DataLoader (PNG decode, square crop, resize, collation) per number of worker processes, on
a phantom NIH-layout tree at `--size`. Prints a Markdown table.

    .venv/bin/python benchmarks/data_loader.py --size 256 --n 400 --workers 0 1 2
"""
import argparse, json, sys, time, tempfile
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from _common import machine
from cxr_nbdev.phantoms import make_phantoms
from cxr_nbdev.train_ddpm import ddpm_dls

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--size', type=int, default=256); p.add_argument('--n', type=int, default=400); p.add_argument('--bs', type=int, default=32)
    p.add_argument('--workers', type=int, nargs='+', default=[0, 1, 2]); p.add_argument('--json', default=None)
    a = p.parse_args()
    data = make_phantoms(Path(tempfile.mkdtemp())/'nih', n=a.n, size=a.size, layout='nih', n_workers=max(a.workers))
    rows = []
    for nw in a.workers:
        dl = ddpm_dls(data, size=a.size, bs=a.bs, cond=True, num_workers=nw, device='cpu').train
        for _ in dl: break   # worker start-up out of the timing
        t, n = time.perf_counter(), 0
        for xb, yb in dl: n += len(xb)
        s = time.perf_counter() - t
        rows.append(dict(workers=nw, images=n, seconds=s, images_per_s=n/s))
    print(f"machine: {machine('cpu')}; DDPM DataLoader, {a.size} px PNG phantoms, batch {a.bs}\n")
    print('| worker processes | images | seconds | images/s | images/s per process |\n|---|---|---|---|---|')
    for r in rows: print(f"| {r['workers']} | {r['images']} | {r['seconds']:.2f} | {r['images_per_s']:.0f} | {r['images_per_s']/max(1, r['workers']):.0f} |")
    if a.json: Path(a.json).write_text(json.dumps(dict(machine=machine('cpu'), size=a.size, bs=a.bs, rows=rows), indent=1))

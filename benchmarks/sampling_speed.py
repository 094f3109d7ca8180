"""Images per second of `cxr_generate` itself (`generate_images`: loading, sampling in bf16 on CUDA, PNG writing, manifest) for the base
U-Net at `--size` (untrained: speed does not depend on the weights), DDIM-50 with guidance 2 (two network passes a step, as one batch):
as `cxr_generate` runs by default (on CUDA: compiled, the batch `sample_bs` picks for the GPU's memory) and eager (`--no-compile`) at the
same batch; optionally DDPM-1000 (`--n_ddpm`) and torch.compile's other modes (`--runs autotune graphs`: `--compile_mode`
max-autotune-no-cudagraphs and reduce-overhead, compiled on a CPU too). Each row first makes one untimed batch of two steps (compiling, cuDNN's choices). Prints a Markdown table.

    python benchmarks/sampling_speed.py --size 256 --json sampling.json                       # on a GPU
    .venv/bin/python benchmarks/sampling_speed.py --size 64 --bs 4 --n_ddpm 2 --T 100 --device cpu   # on a CPU
"""
import argparse, json, sys, time, tempfile, traceback
from pathlib import Path
import torch
from safetensors.torch import save_file
sys.path.insert(0, str(Path(__file__).parent))
from _common import unet_config, machine, sync, one_line, cudagraph_skips, graph_skips, CUT
from cxr_nbdev.config import get_device
from cxr_nbdev.model import UNet, want_compile
from cxr_nbdev.diffusion import Diffusion
from cxr_nbdev.train_ddpm import CKPT_FORMAT
from cxr_nbdev.sampling import generate_images, sample_bs

def untrained_checkpoint(fn, size:int, T:int) -> Path:
    "An `ema.safetensors` of a freshly initialised base U-Net (conditional), as `cxr_train_ddpm` writes it."
    torch.manual_seed(0)
    net, d = UNet(unet_config(size)), Diffusion(T, 'cosine', 'v')
    for p in net.parameters():   # zero-initialised output layers would make every step the same
        if not p.any(): torch.nn.init.normal_(p, std=0.02)
    meta = dict(format=CKPT_FORMAT, epoch='0', unet_config=json.dumps(net.config.to_dict()), diffusion_config=json.dumps(d.config))
    save_file({k: v.contiguous() for k, v in net.state_dict().items()}, str(fn), metadata=meta)
    return Path(fn)

def timed(ckpt, n:int, out:Path, dev, bs:int, **kw) -> dict:
    "Seconds and images/s of `generate_images` making `n` images (half per class) after one batch of `bs` images with the same settings (two DDIM steps), timed apart (`warm_s`: compiling)."
    t, skips = time.perf_counter(), cudagraph_skips()
    generate_images(ckpt, bs//2 or 1, out/'warm', bs=bs, device=dev, progress=False, seed=1, **(kw | dict(steps=2) if kw['sampler'] == 'ddim' else kw))
    sync(dev); warm = time.perf_counter() - t; t = time.perf_counter()
    generate_images(ckpt, n//2, out/'timed', bs=bs, device=dev, progress=False, **kw)
    sync(dev); s = time.perf_counter() - t
    return dict(images=2*(n//2), seconds=s, images_per_s=2*(n//2)/s, warm_s=warm, **graph_skips(kw.get('compile_mode'), skips))

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--size', type=int, default=256); p.add_argument('--n', type=int, default=None, help='images a row (default: one batch)')
    p.add_argument('--n_ddpm', type=int, default=0); p.add_argument('--bs', type=int, default=None, help="default: cxr_generate's")
    p.add_argument('--T', type=int, default=1000); p.add_argument('--steps', type=int, default=50)
    p.add_argument('--device', default=None); p.add_argument('--json', default=None)
    p.add_argument('--runs', nargs='+', default=['default', 'eager', 'ddpm'], choices=['default', 'eager', 'ddpm', 'autotune', 'graphs'], help='rows to measure')
    a = p.parse_args()
    dev, tmp = get_device(a.device), Path(tempfile.mkdtemp())
    ckpt = untrained_checkpoint(tmp/'ema.safetensors', a.size, a.T)
    bs = a.bs or sample_bs(unet_config(a.size), dev)
    n = a.n or bs
    runs = dict(default=(f'DDIM-{a.steps}, default (cxr_generate{", compiled" if want_compile(None, dev) else ""})', dict(sampler='ddim', steps=a.steps), n),
                eager=(f'DDIM-{a.steps}, eager (--no-compile)', dict(sampler='ddim', steps=a.steps, compile=False), n),
                ddpm=(f'DDPM-{a.T}, default', dict(sampler='ddpm'), a.n_ddpm),
                **{k: (f'DDIM-{a.steps}, compiled, --compile_mode {m}', dict(sampler='ddim', steps=a.steps, compile=True, compile_mode=m), n)
                   for k, m in (('autotune', 'max-autotune-no-cudagraphs'), ('graphs', 'reduce-overhead'))})
    if not want_compile(None, dev): runs.pop('default')   # on a CPU the default is the eager row
    runs = [runs[k] for k in a.runs if k in runs and (k != 'ddpm' or a.n_ddpm)]
    rows, fails = [], []
    def dump(cut=()):   # `cut`: the row under way, recorded as cut short until it ends (a time limit may kill the script)
        if a.json: Path(a.json).write_text(json.dumps(dict(machine=machine(dev), size=a.size, bs=bs, default_bs=a.bs is None, rows=rows, failures=fails + list(cut)), indent=1))
    for i, (name, kw, n_) in enumerate(runs):   # a row that fails is recorded, and the next still runs
        dump([dict(sampler=name, bs=bs, error=CUT)])
        try: rows.append(dict(sampler=name, bs=bs, **timed(ckpt, n_, tmp/str(i), dev, bs, **kw))); print(rows[-1], flush=True)
        except Exception as e: fails.append(dict(sampler=name, bs=bs, error=one_line(e))); traceback.print_exc(); print(fails[-1], flush=True)
        dump()
    print(f"\nmachine: {machine(dev)}; cxr_generate (generate_images), base U-Net at {a.size} px, batch {bs}{' (the default)' if a.bs is None else ''}, guidance 2\n")
    print('| sampler | images | seconds | images/s | first batch of two steps (s) |\n|---|---|---|---|---|')
    for r in rows: print(f"| {r['sampler']} | {r['images']} | {r['seconds']:.1f} | {r['images_per_s']:.3g} | {r['warm_s']:.1f} |")
    for f in fails: print(f"| {f['sampler']} | failed: {f['error'][:120].replace('|', '/')} | | | |")

"""Images per second of `cxr_generate` itself (`generate_images`: loading, sampling in bf16 on CUDA, PNG writing, manifest),
DDIM-50 against DDPM-1000, for the base U-Net at `--size` (untrained: speed does not depend on the weights). Prints a Markdown table.

    python benchmarks/sampling_speed.py --size 256 --n 16 --n_ddpm 16 --bs 16            # on a GPU

For a fair ratio give both samplers full batches (`--n` = `--n_ddpm` = `--bs`); with fewer DDPM images its batch is under-filled.
    .venv/bin/python benchmarks/sampling_speed.py --size 64 --n 4 --n_ddpm 2 --T 100     # on a CPU
"""
import argparse, json, sys, time, tempfile
from pathlib import Path
import torch
from safetensors.torch import save_file
sys.path.insert(0, str(Path(__file__).parent))
from _common import unet_config, machine, sync
from cxr_nbdev.config import get_device
from cxr_nbdev.model import UNet
from cxr_nbdev.diffusion import Diffusion
from cxr_nbdev.train_ddpm import CKPT_FORMAT
from cxr_nbdev.sampling import generate_images

def untrained_checkpoint(fn, size:int, T:int) -> Path:
    "An `ema.safetensors` of a freshly initialised base U-Net (conditional), as `cxr_train_ddpm` writes it."
    torch.manual_seed(0)
    net, d = UNet(unet_config(size)), Diffusion(T, 'cosine', 'v')
    for p in net.parameters():   # zero-initialised output layers would make every step the same
        if not p.any(): torch.nn.init.normal_(p, std=0.02)
    meta = dict(format=CKPT_FORMAT, epoch='0', unet_config=json.dumps(net.config.to_dict()), diffusion_config=json.dumps(d.config))
    save_file({k: v.contiguous() for k, v in net.state_dict().items()}, str(fn), metadata=meta)
    return Path(fn)

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--size', type=int, default=256); p.add_argument('--n', type=int, default=64); p.add_argument('--n_ddpm', type=int, default=16)
    p.add_argument('--bs', type=int, default=64); p.add_argument('--T', type=int, default=1000); p.add_argument('--steps', type=int, default=50)
    p.add_argument('--device', default=None); p.add_argument('--json', default=None)
    a = p.parse_args()
    dev, tmp = get_device(a.device), Path(tempfile.mkdtemp())
    ckpt = untrained_checkpoint(tmp/'ema.safetensors', a.size, a.T)
    generate_images(ckpt, 1, tmp/'warm', label='NORMAL', steps=2, bs=a.bs, device=dev, progress=False)   # warm-up: kernels, cuDNN plans
    rows = []
    for name, kw, n in ((f'DDIM-{a.steps}', dict(sampler='ddim', steps=a.steps), a.n), (f'DDPM-{a.T}', dict(sampler='ddpm'), a.n_ddpm)):
        sync(dev); t = time.perf_counter()
        generate_images(ckpt, n//2, tmp/name, bs=a.bs, device=dev, progress=False, **kw)   # n//2 per class
        sync(dev); s = time.perf_counter() - t
        rows.append(dict(sampler=name, images=2*(n//2), seconds=s, images_per_s=2*(n//2)/s))
    print(f"machine: {machine(dev)}; cxr_generate (generate_images), base U-Net at {a.size} px, batch {a.bs}, guidance 2 (two network passes a step)\n")
    print('| sampler | images | seconds | images/s |\n|---|---|---|---|')
    for r in rows: print(f"| {r['sampler']} | {r['images']} | {r['seconds']:.1f} | {r['images_per_s']:.3g} |")
    print(f"\nDDIM-{a.steps} is {rows[0]['images_per_s']/rows[1]['images_per_s']:.1f}x faster per image than DDPM-{a.T}.")
    if a.json: Path(a.json).write_text(json.dumps(dict(machine=machine(dev), size=a.size, bs=a.bs, rows=rows), indent=1))

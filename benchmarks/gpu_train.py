"""DDPM training throughput on a GPU: the real `ddpm_learner` (fastai loop, fused AdamW, foreach EMA, bf16) over a
batch sweep, eager and `torch.compile`d, with model FLOPs utilisation (FLOPs from `torch.utils.flop_counter` over the card's dense
bf16 peak), beside a diffusers-style loop (`UNet2DModel` at the matched configuration, `AdamW(foreach=True)`, diffusers' `EMAModel`,
bf16) at the same batch, both in PyTorch's default memory layout. Data are random tensors already on the GPU, so the figures are the
step's, not the loader's. MFU uses our U-Net's FLOPs for both (the twin's differ by a few hundred parameters of 29.7 million).

    python benchmarks/gpu_train.py --size 256 --bs 16 32 64 --compile_bs 64 --json gpu_train.json
"""
import argparse, json, sys, time, traceback
from copy import deepcopy
from pathlib import Path
import torch, torch.nn.functional as F
sys.path.insert(0, str(Path(__file__).parent))
from _common import unet_config, diffusers_twin, n_params, call, flops_per_image, make_batch, sync, machine
from fastai.data.core import DataLoaders
from fastai.data.load import DataLoader
from cxr_nbdev.config import get_config, DDPMConfig
from cxr_nbdev.diffusion import Diffusion
from cxr_nbdev.train_ddpm import ddpm_learner, SampleGrid, Checkpoint

PEAK = {'H100': 989e12, 'H200': 989e12, 'A100': 312e12, 'L4': 121e12, 'A10': 125e12}  # dense bf16, vendors' datasheets

def peak_flops(dev) -> tuple[float, str]:
    if dev != 'cuda': return float('nan'), 'not a GPU'
    name = torch.cuda.get_device_name()
    for k, v in PEAK.items():
        if k in name: return v, f"{k} datasheet dense bf16"
    return float('nan'), 'unknown card'

def matmul_tflops(dev, n:int=8192, reps:int=10) -> float:
    "Measured bf16 matrix-product rate, the practical ceiling."
    if dev != 'cuda': return float('nan')
    a, b = torch.randn(n, n, device='cuda', dtype=torch.bfloat16), torch.randn(n, n, device='cuda', dtype=torch.bfloat16)
    for _ in range(3): a @ b
    torch.cuda.synchronize(); t = time.perf_counter()
    for _ in range(reps): a @ b
    torch.cuda.synchronize()
    return 2*n**3*reps/(time.perf_counter() - t)/1e12

class _Items:
    "Random images in [0, 1] and labels, on the GPU; item `i` is one image."
    def __init__(self, n, size, dev):
        self.x, self.y = torch.rand(n, 1, size, size, device=dev), torch.randint(0, 2, (n,), device=dev)
    def __len__(self): return len(self.x)
    def __getitem__(self, i): return self.x[i], self.y[i]

def gpu_dls(bs, size, steps, dev):
    "fastai DataLoaders of `steps` training batches and one validation batch, all on the GPU."
    items = _Items(bs*steps, size, dev)
    train = DataLoader(items, bs=bs, shuffle=False, drop_last=True)
    valid = DataLoader(_Items(bs, size, dev), bs=bs)
    dls = DataLoaders(train, valid, device=dev); dls.vocab = ['NORMAL', 'PNEUMONIA']
    return dls

def ours(bs, size, steps, dev, compile=False):
    "Images/s of `ddpm_learner`'s training (validation and epoch-end callbacks excluded), and the time of the first (warm-up) epoch."
    cfg = get_config(DDPMConfig, tiny=False, size=size, bs=bs, cond=True, out='/tmp/gpu_bench')
    if dev == 'cuda': torch.cuda.empty_cache(); torch.cuda.reset_peak_memory_stats()
    learn = ddpm_learner(gpu_dls(bs, size, steps, dev), cfg)
    learn.remove_cbs([cb for cb in learn.cbs if isinstance(cb, (SampleGrid, Checkpoint))])
    from fastai.callback.progress import ProgressCallback
    learn.remove_cb(ProgressCallback); learn.recorder.silent = True
    learn.model.to(dev)
    if compile:
        learn.ema.ema_model = deepcopy(learn.model)  # the EMA copy before compiling, so it is a plain module
        learn.model.compile()
    t0 = time.perf_counter(); learn.fit(1, 1e-4); sync(dev); warm = time.perf_counter() - t0
    t = {}
    from fastai.callback.core import Callback
    class TrainClock(Callback):
        order = 100
        def before_train(self): sync(dev); t['s'] = time.perf_counter()
        def after_train(self): sync(dev); t['e'] = time.perf_counter()
    learn.fit(1, 1e-4, cbs=TrainClock())
    mem = torch.cuda.max_memory_allocated()/2**30 if dev == 'cuda' else float('nan')
    return bs*steps/(t['e'] - t['s']), warm, mem

def diffusers_loop(bs, size, steps, dev):
    "Images/s of a diffusers-style training loop at the same configuration and batch."
    from diffusers.training_utils import EMAModel
    c = unet_config(size)
    if dev == 'cuda': torch.cuda.empty_cache()
    net = diffusers_twin(c).to(dev).train()
    opt = torch.optim.AdamW(net.parameters(), lr=1e-4, foreach=True)
    ema = EMAModel(net.parameters(), decay=0.9999, foreach=True)
    d = Diffusion(1000, 'cosine', 'v').to(dev)
    batches = [make_batch(bs, size, dev, d) for _ in range(4)]
    def step(b):
        xt, t, y, target = b
        with torch.autocast(dev, dtype=torch.bfloat16, enabled=dev == 'cuda'): out = net(xt, t, class_labels=y).sample
        F.mse_loss(out.float(), target).backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.)
        opt.step(); opt.zero_grad(set_to_none=True); ema.step(net.parameters())
    for i in range(5): step(batches[i % 4])
    sync(dev); t0 = time.perf_counter()
    for i in range(steps): step(batches[i % 4])
    sync(dev)
    return bs*steps/(time.perf_counter() - t0)

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--size', type=int, default=256); p.add_argument('--bs', type=int, nargs='*', default=[16, 32, 64])
    p.add_argument('--steps', type=int, default=30); p.add_argument('--compile_bs', type=int, default=None)
    p.add_argument('--json', default=None); p.add_argument('--device', default='cuda')
    a = p.parse_args(); dev = a.device
    torch.backends.cudnn.benchmark = True
    peak, peak_src = peak_flops(dev)
    mm = matmul_tflops(dev)
    from cxr_nbdev.model import UNet
    fl = flops_per_image(UNet(unet_config(a.size)).to(dev), a.size, dev)
    rows, fails = [], []
    def dump():
        if a.json: Path(a.json).write_text(json.dumps(dict(machine=machine(dev), size=a.size, gflop_per_image=fl/1e9, peak_tflops=peak/1e12, peak_source=peak_src,
                                                           matmul_tflops=mm, steps=a.steps, rows=rows, failures=fails), indent=1))
    def add(kind, bs, fn):
        try:
            r = fn()
            ips, extra = (r[0], dict(first_epoch_s=r[1], max_mem_gib=r[2])) if isinstance(r, tuple) else (r, {})
            rows.append(dict(kind=kind, bs=bs, images_per_s=ips, tflops=ips*fl/1e12, mfu=ips*fl/peak, **extra))
            print(rows[-1], flush=True); dump()
        except Exception as e:
            fails.append(dict(kind=kind, bs=bs, error=f"{type(e).__name__}: {str(e)[:300]}")); traceback.print_exc(); print(fails[-1], flush=True); dump()
    for bs in a.bs: add('ours, eager', bs, lambda: ours(bs, a.size, a.steps, dev))
    for bs in a.bs: add('diffusers-style loop, eager', bs, lambda: diffusers_loop(bs, a.size, a.steps, dev))
    if a.compile_bs: add('ours, torch.compile', a.compile_bs, lambda: ours(a.compile_bs, a.size, a.steps, dev, compile=True))
    print(f"\nmachine: {machine(dev)}; {a.size} px, {fl/1e9:.0f} GFLOP per training image (fwd+bwd, flop_counter); "
          f"peak {peak/1e12:.0f} TFLOP/s ({peak_src}); measured 8192^3 bf16 matmul {mm:.0f} TFLOP/s\n")
    print('| loop | batch | images/s | TFLOP/s | MFU | first epoch (s) | max memory (GiB) |\n|---|---|---|---|---|---|---|')
    for r in rows: print(f"| {r['kind']} | {r['bs']} | {r['images_per_s']:.0f} | {r['tflops']:.0f} | {r['mfu']:.1%} | {r.get('first_epoch_s', float('nan')):.1f} | {r.get('max_mem_gib', float('nan')):.1f} |")
    for f in fails: print(f"| {f['kind']} | {f['bs']} | failed: {f['error'][:120]} | | | | |")
    dump()

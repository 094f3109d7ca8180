"""DDPM training throughput on a GPU, side by side in one process: what `cxr_train_ddpm` runs by default (`ddpm_learner`: fastai loop,
fused AdamW, foreach EMA, bf16, the U-Net compiled on CUDA), the same learner eager (`--no-compile`), and a diffusers-style loop
(`UNet2DModel` at the matched configuration, `AdamW(foreach=True)`, diffusers' `EMAModel`, bf16) eager and `torch.compile`d, at the same
batch; ours compiled with channels-last convolutions forced (`CHANNELS_LAST`; Inductor's own rule keeps this U-Net's training graph NCHW);
and ours in torch.compile's other modes (`--compile_mode`: max-autotune-no-cudagraphs, reduce-overhead). Model FLOPs utilisation from `torch.utils.flop_counter` over the card's dense bf16 peak. Data are random tensors already on the GPU,
so the figures are the step's, not the loader's (the loader's are in the notebooks' full-size run, `gpu_session.sh`). MFU uses our
U-Net's FLOPs for both (the twin's differ by a few hundred parameters of 29.7 million).

    python benchmarks/gpu_train.py --size 256 --bs 64 --json gpu_train.json
    .venv/bin/python benchmarks/gpu_train.py --device cpu --size 32 --bs 4 --steps 3     # a dry run of the script on a CPU
"""
import argparse, json, re, sys, time, traceback
from pathlib import Path
import torch, torch.nn.functional as F
sys.path.insert(0, str(Path(__file__).parent))
from _common import unet_config, diffusers_twin, flops_per_image, make_batch, sync, machine, one_line, cudagraph_skips, graph_skips, CUT
from fastai.data.core import DataLoaders
from fastai.data.load import DataLoader
from fastai.callback.progress import ProgressCallback
from cxr_nbdev.config import get_config, DDPMConfig
from cxr_nbdev.diffusion import Diffusion
from cxr_nbdev.model import compile_unet, CHANNELS_LAST
from cxr_nbdev.train_ddpm import ddpm_learner, SampleGrid, Checkpoint, CompileModel, ClassCounts

PEAK = {'H100 PCIe': 756e12, 'H100 NVL': 835e12, 'H200 NVL': 835e12, 'H100': 989e12, 'H200': 989e12, 'A100': 312e12, 'L40S': 362e12, 'L40': 181e12, 'L4': 121e12, 'A10': 125e12}
# dense bf16, vendors' datasheets; the first whose name is a whole word of the card's (PCIe and NVL before SXM; 'L4' is not 'L40', 'A10' not 'A10G')
KINDS = {'ours': 'ours, default (cxr_train_ddpm)', 'ours_eager': 'ours, eager (--no-compile)',
         'diffusers': 'diffusers-style loop, eager', 'diffusers_compiled': 'diffusers-style loop, torch.compile',
         'ours_cl': 'ours, compiled, channels-last forced',
         'ours_autotune': 'ours, compiled, --compile_mode max-autotune-no-cudagraphs', 'ours_graphs': 'ours, compiled, --compile_mode reduce-overhead'}
OPTIONAL = ('ours_cl', 'ours_autotune', 'ours_graphs')   # measured only when named in --runs

def peak_flops(dev) -> tuple[float, str]:
    if dev != 'cuda': return float('nan'), 'not a GPU'
    name = torch.cuda.get_device_name()
    for k, v in PEAK.items():
        if re.search(rf'\b{re.escape(k)}\b', name): return v, f"{k} datasheet dense bf16"
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
    "Random images in [0, 1] and labels, on the device; item `i` is one image."
    def __init__(self, n, size, dev):
        self.x, self.y = torch.rand(n, 1, size, size, device=dev), torch.randint(0, 2, (n,), device=dev)
    def __len__(self): return len(self.x)
    def __getitem__(self, i): return self.x[i], self.y[i]

def gpu_dls(bs, size, steps, dev):
    "fastai DataLoaders of `steps` training batches and one validation batch, all on the device."
    train = DataLoader(_Items(bs*steps, size, dev), bs=bs, shuffle=False, drop_last=True)
    dls = DataLoaders(train, DataLoader(_Items(bs, size, dev), bs=bs), device=dev); dls.vocab = ['NORMAL', 'PNEUMONIA']
    return dls

def peak_mem(dev) -> float: return torch.cuda.max_memory_allocated()/2**30 if dev == 'cuda' else float('nan')
def reset_mem(dev):
    if dev == 'cuda': torch.cuda.empty_cache(); torch.cuda.reset_peak_memory_stats()

def ours(bs, size, steps, dev, compile=None, inductor_options=None, mode='default'):
    "Images/s of `ddpm_learner` with the class counts, as `cxr_train_ddpm` makes it (`compile=None`: its default; `inductor_options`: instead of `INDUCTOR_OPTIONS`; `mode`: `--compile_mode`), over the second of two epochs after its first batch (`Throughput`), and the first step's seconds (compiling)."
    cfg = get_config(DDPMConfig, tiny=False, size=size, bs=bs, cond=True, out='/tmp/gpu_bench', compile=compile, compile_mode=mode)
    reset_mem(dev); torch._dynamo.reset()   # each row compiles afresh (Inductor's on-disk cache may still serve it)
    learn = ddpm_learner(gpu_dls(bs, size, steps, dev), cfg)
    learn.remove_cbs([cb for cb in learn.cbs if isinstance(cb, (SampleGrid, Checkpoint, ProgressCallback))]); learn.recorder.silent = True
    learn.add_cb(ClassCounts(cfg.out))
    if inductor_options is not None: learn.compile_model.options = inductor_options
    skips = cudagraph_skips()
    t0 = time.perf_counter(); learn.fit(2, 1e-4); sync(dev)
    comp = [cb for cb in learn.cbs if isinstance(cb, CompileModel)]
    return learn.throughput[-1]['images_per_s'], dict(first_step_s=comp[0].warmup if comp else None, fit_s=time.perf_counter() - t0, max_mem_gib=peak_mem(dev), **graph_skips(mode, skips))

def diffusers_loop(bs, size, steps, dev, compile=False):
    "Images/s of a diffusers-style training loop at the same configuration and batch (its first steps, compiling included, untimed)."
    from diffusers.training_utils import EMAModel
    reset_mem(dev); torch._dynamo.reset()
    net = diffusers_twin(unet_config(size)).to(dev).train()
    if compile: compile_unet(net, options={})   # torch.compile's defaults, as a diffusers user runs it
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
    t0 = time.perf_counter()
    for i in range(5): step(batches[i % 4])
    sync(dev); first = time.perf_counter() - t0; t0 = time.perf_counter()
    for i in range(steps): step(batches[i % 4])
    sync(dev)
    return bs*steps/(time.perf_counter() - t0), dict(first_step_s=first, max_mem_gib=peak_mem(dev))

RUNS = {'ours': lambda bs, a: ours(bs, a.size, a.steps, a.device), 'diffusers': lambda bs, a: diffusers_loop(bs, a.size, a.steps, a.device),
        'ours_cl': lambda bs, a: ours(bs, a.size, a.steps, a.device, inductor_options=CHANNELS_LAST),
        'diffusers_compiled': lambda bs, a: diffusers_loop(bs, a.size, a.steps, a.device, compile=True),
        'ours_eager': lambda bs, a: ours(bs, a.size, a.steps, a.device, compile=False),
        'ours_autotune': lambda bs, a: ours(bs, a.size, a.steps, a.device, compile=True, mode='max-autotune-no-cudagraphs'),
        'ours_graphs': lambda bs, a: ours(bs, a.size, a.steps, a.device, compile=True, mode='reduce-overhead')}

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--size', type=int, default=256); p.add_argument('--bs', type=int, nargs='+', default=[64])
    p.add_argument('--steps', type=int, default=20); p.add_argument('--runs', nargs='+', default=None, choices=list(RUNS))
    p.add_argument('--json', default=None); p.add_argument('--device', default='cuda')
    a = p.parse_args(); dev = a.device
    if a.runs is None: a.runs = [r for r in RUNS if r not in OPTIONAL]
    peak, peak_src = peak_flops(dev)
    mm = matmul_tflops(dev)
    from cxr_nbdev.model import UNet
    fl = flops_per_image(UNet(unet_config(a.size)).to(dev), a.size, dev)
    rows, fails = [], []
    def dump(running=None):   # `running`: the row under way, recorded as cut short until it ends (a time limit may kill the script)
        cut = [dict(kind=KINDS[running[0]], bs=running[1], error=CUT)] if running else []
        if a.json: Path(a.json).write_text(json.dumps(dict(machine=machine(dev), size=a.size, gflop_per_image=fl/1e9, peak_tflops=peak/1e12, peak_source=peak_src,
                                                           matmul_tflops=mm, steps=a.steps, rows=rows, failures=fails + cut), indent=1))
    for bs in a.bs:
        for run in a.runs:   # in order of importance: a time limit that cuts the script short cuts the last
            dump(running=(run, bs))
            try:
                ips, extra = RUNS[run](bs, a)
                rows.append(dict(kind=KINDS[run], bs=bs, images_per_s=ips, tflops=ips*fl/1e12, mfu=ips*fl/peak, **extra))
                print(rows[-1], flush=True)
            except Exception as e:
                fails.append(dict(kind=KINDS[run], bs=bs, error=one_line(e))); traceback.print_exc(); print(fails[-1], flush=True)
            dump()
    print(f"\nmachine: {machine(dev)}; {a.size} px, {fl/1e9:.0f} GFLOP per training image (fwd+bwd, flop_counter); "
          f"peak {peak/1e12:.0f} TFLOP/s ({peak_src}); measured 8192^3 bf16 matmul {mm:.0f} TFLOP/s\n")
    base = {r['bs']: r['images_per_s'] for r in rows if r['kind'] == KINDS['diffusers']}
    print('| loop | batch | images/s | vs diffusers eager | TFLOP/s | MFU | first step (s) | peak memory (GiB) |\n|---|---|---|---|---|---|---|---|')
    for r in rows: print(f"| {r['kind']} | {r['bs']} | {r['images_per_s']:.0f} | {r['images_per_s']/base.get(r['bs'], float('nan')):.2f}x | {r['tflops']:.0f} | {r['mfu']:.1%} | "
                         f"{r['first_step_s'] or float('nan'):.1f} | {r['max_mem_gib']:.1f} |")
    for f in fails: print(f"| {f['kind']} | {f['bs']} | failed: {f['error'][:120].replace('|', '/')} | | | | | |")
    dump()

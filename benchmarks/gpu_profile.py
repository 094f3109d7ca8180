"""Where the base U-Net spends its GPU time: PyTorch's profiler over a few steps at `--size` and `--bs` (bf16), the kernels grouped by
kind. A training step (the weighted loss, backward, clipping, fused AdamW) by default; `--sample`, one guided sampling pass instead (the
forward alone, as `cxr_generate` runs it: eval mode, no gradients, `--bs` images holding both halves of the guidance). `--layout`:
contiguous (PyTorch's default, what the learner uses) or channels_last. `--compile`: compiled as the commands compile it (`compile_unet`:
Inductor's own layout rule; with `--layout channels_last`, `CHANNELS_LAST` forces it), so the table shows what the fused kernels leave.
Prints a Markdown table; `--json` keeps it.

    python benchmarks/gpu_profile.py --size 256 --bs 32                       # the eager training step
    python benchmarks/gpu_profile.py --size 256 --bs 64 --compile             # what cxr_train_ddpm runs
    .venv/bin/python benchmarks/gpu_profile.py --size 32 --bs 2 --compile --sample --device cpu   # a dry run (CPU operators)
"""
import argparse, json, sys, collections
from pathlib import Path
import torch
sys.path.insert(0, str(Path(__file__).parent))
from _common import unet_config, make_batch, machine, sync
from cxr_nbdev.model import UNet, compile_unet, CHANNELS_LAST
from cxr_nbdev.diffusion import Diffusion
from cxr_nbdev.train_ddpm import adamw, diffusion_loss

# The optimizer first (its fused kernel's name is long, and on a CPU `_fused_adamw_` is no Inductor kernel); then Inductor's fused kernels,
# whose names list the operators fused (`triton_poi_fused_add_convolution_silu_3` is element-wise work around a convolution, not a
# convolution); then cuDNN's layout conversions apart from its convolutions, since they are what channels-last saves. Names are
# classified whole, before the tables cut them.
OPTIMIZER = ('optimizer (fused AdamW)', ('adam',))
KINDS = [('attention', ('flash', 'attention', 'fmha')), ('layout conversion (cuDNN)', ('nchwToNhwc', 'nhwcToNchw')),
         ('convolution and matrix products (cuDNN, CUTLASS, cuBLAS)', ('conv', 'implicit', 'sm90_xmma', 'cudnn', 'cutlass', 'gemm', 'nvjet', 'aten::mm', 'aten::addmm')),
         ('GroupNorm', ('group_norm', 'GroupNorm', 'RowwiseMoments', 'ComputeFused', 'ComputeInternalGradients', 'GammaBetaBackward')),
         ('elementwise (SiLU, add, mul, copy, cast)', ('elementwise', 'vectorized', 'silu', 'copy', 'fill', 'CatArray', 'reduce', 'upsample'))]
FUSED = [('fused by Inductor: autotuned templates (convolutions, matrix products)', ('triton_tem',)),
         ('fused by Inductor: GroupNorm (statistics, normalisation, and what follows it)', ('group_norm',)), ('fused by Inductor: reductions', ('triton_red', 'triton_per')),
         ('fused by Inductor: element-wise', ('triton_poi', 'cpp_fused'))]

def kind(name:str) -> str:
    "The kind of the kernel (or, on a CPU, operator) `name`, its whole name."
    low = name.lower()
    if any(s in low for s in OPTIMIZER[1]): return OPTIMIZER[0]
    fused = name.startswith(('triton_', 'cpp_fused'))
    for k, keys in (FUSED if fused else KINDS):
        if any(s.lower() in low for s in keys): return k
    return 'other'

def step_fn(a, dev):
    "One profiled step: a training step, or with `a.sample` one guided sampling pass."
    net = UNet(unet_config(a.size)).to(dev).to(memory_format=torch.channels_last if a.layout == 'channels_last' else torch.contiguous_format)
    if a.compile: compile_unet(net, options=CHANNELS_LAST if a.layout == 'channels_last' else None)
    d = Diffusion(1000, 'cosine', 'v').to(dev)
    xt, t, y, target = make_batch(a.bs, a.size, dev, d)
    amp = dict(device_type=torch.device(dev).type, dtype=torch.bfloat16)
    if a.sample:
        net.eval()
        def step():
            with torch.no_grad(), torch.autocast(**amp): net(xt, t, y)
        return step
    opt = adamw(net.parameters(), lr=1e-4)
    def step():
        with torch.autocast(**amp): out = net(xt, t, y)
        diffusion_loss(out, target, torch.ones(a.bs, device=dev)).backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1., foreach=True); opt.step(); opt.zero_grad()
    return step

def times(prof, cuda:bool) -> tuple[collections.Counter, collections.Counter]:
    "Microseconds by kind and by kernel name (cut to 90 characters): GPU kernels on a GPU; on a CPU, each operator's own time (a dry run's stand-in)."
    by_kind, by_kernel = collections.Counter(), collections.Counter()
    skip = ('ProfilerStep', 'aten::', 'cudaDevice', 'Memcpy', 'Memset') if cuda else ('ProfilerStep',)
    for e in prof.key_averages():
        us = (getattr(e, 'device_time_total', None) or getattr(e, 'cuda_time_total', 0)) if cuda else e.self_cpu_time_total
        if us and e.key and not e.key.startswith(skip): by_kind[kind(e.key)] += us; by_kernel[e.key[:90]] += us
    return by_kind, by_kernel

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--size', type=int, default=256); p.add_argument('--bs', type=int, default=32); p.add_argument('--steps', type=int, default=3)
    p.add_argument('--json', default=None); p.add_argument('--layout', choices=['channels_last', 'contiguous'], default='contiguous')
    p.add_argument('--compile', action='store_true'); p.add_argument('--sample', action='store_true'); p.add_argument('--device', default='cuda')
    a = p.parse_args(); cuda = a.device == 'cuda'
    torch.backends.cudnn.benchmark = True
    step = step_fn(a, a.device)
    for _ in range(3): step()   # compiles, and lets cuDNN choose
    sync(a.device)
    from torch.profiler import profile, ProfilerActivity
    with profile(activities=[ProfilerActivity.CUDA if cuda else ProfilerActivity.CPU]) as prof:
        for _ in range(a.steps): step()
        sync(a.device)
    by_kind, by_kernel = times(prof, cuda)
    tot = sum(by_kind.values())
    what, unit = 'one guided sampling pass' if a.sample else 'a training step', 'GPU' if cuda else 'CPU operator'
    print(f"machine: {machine(a.device)}; base U-Net {a.size} px, batch {a.bs}, bf16, {a.layout}, {'compiled' if a.compile else 'eager'}; "
          f"{unit} time of {what} {tot/a.steps/1e3:.1f} ms\n")
    print(f"| kernels | share of {unit} time |\n|---|---|")
    for k, v in by_kind.most_common(): print(f"| {k} | {v/tot:.1%} |")
    print('\n| top kernels | ms per step |\n|---|---|')
    for k, v in by_kernel.most_common(12): print(f"| `{k}` | {v/a.steps/1e3:.2f} |")
    if a.json: Path(a.json).write_text(json.dumps(dict(machine=machine(a.device), size=a.size, bs=a.bs, ms_per_step=tot/a.steps/1e3, layout=a.layout,
                                                       compiled=a.compile, sample=a.sample, by_kind={k: v/tot for k, v in by_kind.items()},
                                                       top={k: v/a.steps/1e3 for k, v in by_kernel.most_common(20)}), indent=1))

"""Where a training step of the base U-Net spends its GPU time: PyTorch's profiler over a few steps at `--size` and `--bs` (bf16,
fused AdamW; `--layout` channels_last or contiguous, the default and what the learner uses), the kernels grouped by kind. Prints a Markdown table.

    python benchmarks/gpu_profile.py --size 256 --bs 32
"""
import argparse, json, sys, collections
from pathlib import Path
import torch
sys.path.insert(0, str(Path(__file__).parent))
from _common import unet_config, make_batch, machine
from cxr_nbdev.model import UNet
from cxr_nbdev.diffusion import Diffusion
from cxr_nbdev.train_ddpm import adamw, diffusion_loss

KINDS = [('attention', ('flash', 'attention', 'fmha')), ('convolution (cuDNN/CUTLASS)', ('conv', 'implicit', 'sm90_xmma', 'cudnn', 'cutlass', 'gemm', 'nchwToNhwc', 'nhwcToNchw')),
         ('GroupNorm', ('group_norm', 'GroupNorm', 'RowwiseMoments', 'ComputeFused')), ('optimizer (fused AdamW)', ('adam',)), ('elementwise (SiLU, add, mul, copy, cast)', ('elementwise', 'vectorized', 'silu', 'copy', 'fill', 'CatArray', 'reduce', 'upsample'))]

def kind(name):
    for k, keys in KINDS:
        if any(s.lower() in name.lower() for s in keys): return k
    return 'other'

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--size', type=int, default=256); p.add_argument('--bs', type=int, default=32); p.add_argument('--steps', type=int, default=3)
    p.add_argument('--json', default=None); p.add_argument('--layout', choices=['channels_last', 'contiguous'], default='contiguous')
    a = p.parse_args()
    torch.backends.cudnn.benchmark = True
    net = UNet(unet_config(a.size)).cuda().to(memory_format=getattr(torch, a.layout + '_format' if a.layout == 'contiguous' else a.layout)).train()
    opt, d = adamw(net.parameters(), lr=1e-4), Diffusion(1000, 'cosine', 'v').cuda()
    xt, t, y, target = make_batch(a.bs, a.size, 'cuda', d)
    def step():
        with torch.autocast('cuda', dtype=torch.bfloat16): out = net(xt, t, y)
        diffusion_loss(out, target, torch.ones(a.bs, device='cuda')).backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1., foreach=True); opt.step(); opt.zero_grad()
    for _ in range(3): step()
    torch.cuda.synchronize()
    from torch.profiler import profile, ProfilerActivity
    with profile(activities=[ProfilerActivity.CUDA]) as prof:
        for _ in range(a.steps): step()
        torch.cuda.synchronize()
    by_kind, by_kernel = collections.Counter(), collections.Counter()
    for e in prof.key_averages():
        us = getattr(e, 'device_time_total', None) or getattr(e, 'cuda_time_total', 0)
        if us and e.key and not e.key.startswith(('ProfilerStep', 'aten::', 'cudaDevice', 'Memcpy', 'Memset')) :
            by_kind[kind(e.key)] += us; by_kernel[e.key[:90]] += us
    tot = sum(by_kind.values())
    print(f"machine: {machine('cuda')}; base U-Net {a.size} px, batch {a.bs}, bf16, {a.layout}; GPU time per step {tot/a.steps/1e3:.1f} ms "
          f"({a.bs*a.steps/(tot/1e6):.0f} images/s if nothing else ran)\n")
    print('| kernels | share of GPU time |\n|---|---|')
    for k, v in by_kind.most_common(): print(f"| {k} | {v/tot:.1%} |")
    print('\n| top kernels | ms per step |\n|---|---|')
    for k, v in by_kernel.most_common(12): print(f"| `{k}` | {v/a.steps/1e3:.2f} |")
    if a.json: Path(a.json).write_text(json.dumps(dict(machine=machine('cuda'), size=a.size, bs=a.bs, ms_per_step=tot/a.steps/1e3,
                                                       by_kind={k: v/tot for k, v in by_kind.items()}, top={k: v/a.steps/1e3 for k, v in by_kernel.most_common(20)}), indent=1))

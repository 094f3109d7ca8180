"""Training-step speed of our U-Net against diffusers' `UNet2DModel` at a matched configuration (the same training step for both,
timed in turn), and the ATen operations of one optimizer + EMA step before and after the lean step (fastai's `Adam`, a loop EMA and
fastai's `GradientClip`, against the fused `adamw`, `_foreach_lerp_` and `ClipGrad`). Prints Markdown tables; `--json` writes them too.

    .venv/bin/python benchmarks/train_step.py --sizes 64 128 --bs 4            # on a CPU (issue figures: 2 cores)
    python benchmarks/train_step.py --device cuda --sizes 256 --bs 32         # on a GPU (bf16 autocast)
"""
import argparse, json, sys
from copy import deepcopy
from pathlib import Path
import torch, torch.nn.functional as F
sys.path.insert(0, str(Path(__file__).parent))
from _common import unet_config, diffusers_twin, n_params, call, flops_per_image, make_batch, sync, interleaved, machine
from fastai.optimizer import Adam
from cxr_nbdev.config import AtenOps
from cxr_nbdev.model import UNet
from cxr_nbdev.diffusion import Diffusion
from cxr_nbdev.train_ddpm import adamw, EMA, diffusion_loss

def step_fn(net, opt, batch, device):
    "One training step (forward in bf16 on CUDA, weighted MSE, backward, clipping, optimizer) as a function."
    xt, t, y, target = batch
    amp = torch.autocast('cuda', dtype=torch.bfloat16, enabled=torch.device(device).type == 'cuda')
    params = [p for p in net.parameters()]
    def f():
        with amp: out = call(net, xt, t, y)
        diffusion_loss(out, target, torch.ones(len(t), device=device)).backward()
        torch.nn.utils.clip_grad_norm_(params, 1., foreach=True)
        opt.step(); opt.zero_grad()
        sync(device)
    return f

def speed_table(sizes, bs, device, rounds):
    rows, d = [], Diffusion(1000, 'cosine', 'v').to(device)
    for size in sizes:
        c = unet_config(size)
        torch.manual_seed(0)
        nets = {'ours (cxr_nbdev UNet)': UNet(c), 'diffusers UNet2DModel': diffusers_twin(c)}
        batch = make_batch(bs, size, device, d, torch.Generator(device).manual_seed(0))
        fns = {}
        for k, net in nets.items():
            net.to(device).train()
            fns[k] = step_fn(net, adamw(net.parameters(), lr=1e-4), batch, device)
        med = interleaved(fns, rounds)
        fl = {k: flops_per_image(n, size, device) for k, n in nets.items()}
        base = med['diffusers UNet2DModel']
        for k, net in nets.items():
            rows.append(dict(size=size, bs=bs, model=k, params=n_params(net), gflop_per_image=fl[k]/1e9, s_per_step=med[k], images_per_s=bs/med[k],
                             speed_vs_diffusers=base/med[k]))
    return rows

def op_table(size, device):
    "ATen operations of one optimizer + EMA (+ clipping) step, old and new, for the base U-Net at `size`."
    torch.manual_seed(0)
    m = UNet(unet_config(size)).to(device); old_m, ema_old, ema_new = deepcopy(m), deepcopy(m), EMA(0.9999, deepcopy(m))
    ema_new.pairs, ema_new.bufs = (list(ema_new.ema_model.parameters()), list(m.parameters())), ([], [])
    o_old, o_new = Adam(list(old_m.parameters()), lr=1e-4), adamw(m.parameters(), lr=1e-4)
    for p in list(m.parameters()) + list(old_m.parameters()): p.grad = torch.randn_like(p)
    o_old.step(); o_new.step()  # state made
    def old():
        torch.nn.utils.clip_grad_norm_(list(old_m.parameters()), 1., foreach=False)   # what fastai's GradientClip does on a CPU
        o_old.step()
        with torch.no_grad():
            for e, p in zip(ema_old.parameters(), old_m.parameters()): e.lerp_(p.detach(), 1e-4)
    def new():
        torch.nn.utils.clip_grad_norm_(list(m.parameters()), 1., foreach=True)
        o_new.step(); ema_new.after_step()
    res = {}
    for k, f in (('before: fastai Adam, loop EMA, GradientClip', old), ('now: fused adamw, foreach EMA, ClipGrad', new)):
        with AtenOps() as ops: f()
        res[k] = dict(total=ops.total, syncs=ops.syncs, tensors=len(list(m.parameters())))
    return res

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--sizes', type=int, nargs='+', default=[64, 128]); p.add_argument('--bs', type=int, default=4)
    p.add_argument('--rounds', type=int, default=5); p.add_argument('--device', default='cpu'); p.add_argument('--json', default=None)
    a = p.parse_args()
    rows, ops = speed_table(a.sizes, a.bs, a.device, a.rounds), op_table(a.sizes[0], a.device)
    print(f"machine: {machine(a.device)}; medians of {a.rounds} interleaved rounds\n")
    print('| size | batch | model | parameters | GFLOP/image (fwd+bwd) | s/step | images/s | speed vs diffusers |\n|---|---|---|---|---|---|---|---|')
    for r in rows: print(f"| {r['size']} | {r['bs']} | {r['model']} | {r['params']:,} | {r['gflop_per_image']:.1f} | {r['s_per_step']:.3f} | {r['images_per_s']:.1f} | {r['speed_vs_diffusers']:.2f}x |")
    print('\n| optimizer + EMA + clipping step (base U-Net) | ATen operations | host syncs |\n|---|---|---|')
    for k, r in ops.items(): print(f"| {k} | {r['total']:,} | {r['syncs']} |")
    if a.json: Path(a.json).write_text(json.dumps(dict(machine=machine(a.device), rounds=a.rounds, speed=rows, ops=ops), indent=1))

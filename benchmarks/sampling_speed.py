"""Images per second of the samplers, side by side in one run: DDPM (all T steps) vs DDIM (50 steps), and a
training step, for the default U-Net. Prints a Markdown table. On a GPU:

    .venv/bin/python benchmarks/sampling_speed.py --size 256 --bs 16

On a CPU use a small setting, e.g. `--size 64 --unet tiny --T 100 --bs 4`. The model is untrained: speed does
not depend on the weights."""
import argparse, time, torch
from cxr_nbdev.config import get_device
from cxr_nbdev.model import UNet, UNetConfig, tiny_unet_config
from cxr_nbdev.diffusion import Diffusion, sample

def timed(f, sync):
    "Seconds `f()` takes, after one warm-up call."
    f(); sync(); t = time.perf_counter(); f(); sync()
    return time.perf_counter() - t

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--size', type=int, default=256); p.add_argument('--bs', type=int, default=16)
    p.add_argument('--T', type=int, default=1000); p.add_argument('--ddim_steps', type=int, default=50)
    p.add_argument('--unet', choices=['base', 'tiny'], default='base'); p.add_argument('--device', default=None)
    a = p.parse_args()
    dev = get_device(a.device)
    cfg = tiny_unet_config(a.size, 2) if a.unet == 'tiny' else UNetConfig(size=a.size, n_classes=2)
    net, d = UNet(cfg).to(dev).eval(), Diffusion(a.T).to(dev)
    sync = torch.cuda.synchronize if dev.type == 'cuda' else (lambda: None)
    y = torch.zeros(a.bs, dtype=torch.long, device=dev)
    amp = torch.autocast(dev.type, dtype=torch.bfloat16, enabled=dev.type == 'cuda')
    rows = []
    with amp:
        for name, kw in (('DDIM', dict(sampler='ddim', steps=a.ddim_steps)), ('DDPM', dict(sampler='ddpm'))):
            s = timed(lambda: sample(net, d, a.bs, a.size, y, **kw), sync)
            rows.append((f'{name}-{a.ddim_steps if name == "DDIM" else a.T}', a.bs/s, s))
    print(f"device: {dev} ({torch.cuda.get_device_name() if dev.type == 'cuda' else 'cpu'}), size {a.size}, batch {a.bs}, "
          f"{sum(p.numel() for p in net.parameters())/1e6:.1f}M parameters\n")
    print('| sampler | images/s | s per batch | ratio to DDIM |\n|---|---|---|---|')
    for n, ips, s in rows: print(f'| {n} | {ips:.3g} | {s:.3g} | {rows[0][1]/ips:.3g}x slower |' if n.startswith('DDPM') else f'| {n} | {ips:.3g} | {s:.3g} | 1x |')

if __name__ == '__main__': main()

"""What the benchmarks share: our U-Net and its diffusers twin at a matched configuration, a training step written the same way for
both, and timing helpers. Benchmarks print tables; they are never tests."""
import time, statistics, torch, torch.nn.functional as F
from cxr_nbdev.model import UNet, UNetConfig
from cxr_nbdev.diffusion import Diffusion

def unet_config(size:int=256, n_classes:int=2) -> UNetConfig:
    "The base U-Net (`cxr_train_ddpm --unet base`) at `size`."
    return UNetConfig(size=size, n_classes=n_classes, attn_res=(16,) if size >= 16*2**5 else (size//2**3,))

def diffusers_twin(c:UNetConfig):
    "diffusers' `UNet2DModel` with the same levels, widths, blocks, attention resolutions, heads, groups, dropout and class embedding as `UNet(c)`."
    from diffusers import UNet2DModel
    res = c.resolutions
    return UNet2DModel(sample_size=c.size, in_channels=c.in_ch, out_channels=c.in_ch, block_out_channels=tuple(c.ch*m for m in c.ch_mult),
                       layers_per_block=c.n_blocks, down_block_types=tuple('AttnDownBlock2D' if r in c.attn_res else 'DownBlock2D' for r in res),
                       up_block_types=tuple('AttnUpBlock2D' if r in c.attn_res else 'UpBlock2D' for r in reversed(res)),
                       attention_head_dim=c.ch*max(c.ch_mult)//c.heads, norm_num_groups=c.groups, num_class_embeds=c.n_classes + 1 if c.n_classes else None,
                       resnet_time_scale_shift='scale_shift', dropout=c.dropout, flip_sin_to_cos=False, freq_shift=0)

def n_params(m) -> int: return sum(p.numel() for p in m.parameters())

def call(net, x, t, y):
    "The network's output, for ours and for diffusers' model alike."
    out = net(x, t, y) if isinstance(net, UNet) else net(x, t, class_labels=y)
    return out if isinstance(out, torch.Tensor) else out.sample

def flops_per_image(net, size:int, device, train:bool=True) -> float:
    "Forward (and, with `train`, backward) FLOPs of one image, from `torch.utils.flop_counter`."
    from torch.utils.flop_counter import FlopCounterMode
    x, t, y = torch.randn(2, 1, size, size, device=device), torch.randint(0, 1000, (2,), device=device), torch.zeros(2, dtype=torch.long, device=device)
    with FlopCounterMode(display=False) as fc:
        out = call(net, x, t, y)
        if train: out.float().pow(2).mean().backward()
    net.zero_grad(set_to_none=True)
    return fc.get_total_flops() / 2

def make_batch(bs:int, size:int, device, diffusion:Diffusion, g=None):
    "A noised batch `(x_t, t, y, target)` from random images, as `DDPMCallback` makes it."
    x0 = torch.rand(bs, 1, size, size, device=device, generator=g)*2 - 1
    t = torch.randint(0, diffusion.T, (bs,), device=device, generator=g)
    noise = torch.randn(x0.shape, device=device, generator=g)
    return diffusion.q_sample(x0, t, noise), t, torch.randint(0, 2, (bs,), device=device, generator=g), diffusion.target(x0, t, noise)

def sync(device):
    if torch.device(device).type == 'cuda': torch.cuda.synchronize()

def interleaved(fns:dict, rounds:int=5) -> dict:
    "Median seconds of each function in `fns`, called in turn `rounds` times (A B A B ...), after one warm-up call of each."
    for f in fns.values(): f()
    times = {k: [] for k in fns}
    for _ in range(rounds):
        for k, f in fns.items():
            t = time.perf_counter(); f(); times[k].append(time.perf_counter() - t)
    return {k: statistics.median(v) for k, v in times.items()}

CUT = 'cut short: the time limit of its part ended the script while this row ran'   # a result file's `failures`, for the row under way

def cudagraph_skips() -> int:
    "How often Inductor has run a compiled graph without CUDA graphs in this process."
    from torch._dynamo.utils import counters
    return counters['inductor']['cudagraph_skips']

def graph_skips(mode:str|None, before:int) -> dict:
    "For a row in a `mode` that records CUDA graphs: `{'cudagraph_skips': n}`, the runs without them since the count was `before` (more than 0: the row measured no CUDA graphs); `{}` in another mode."
    from cxr_nbdev.model import uses_cuda_graphs
    return dict(cudagraph_skips=cudagraph_skips() - before) if uses_cuda_graphs(mode) else {}

def one_line(e:Exception) -> str:
    "An exception as one line of at most 300 characters (its type and message, whitespace collapsed), for a result file's `failures`."
    return ' '.join(f"{type(e).__name__}: {e}".split())[:300]

def machine(device) -> str:
    "The machine, in words, for the tables."
    import platform, os
    if torch.device(device).type == 'cuda': return f"{torch.cuda.get_device_name()} (torch {torch.__version__})"
    return f"CPU: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, {torch.get_num_threads()} threads (torch {torch.__version__})"

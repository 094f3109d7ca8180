"""Keep a GPU session's results: `python tools/record_gpu.py gpu_out [--suffix _2] [--fresh] [--replace]`, after `benchmarks/gpu_session.sh` wrote gpu_out/.

Copies its result files to benchmarks/results/<card>/ (the card from gpu.txt: 'NVIDIA H200' -> h200, 'NVIDIA H100 PCIe' -> h100_pcie)
and its sample grid to nbs/images/perf_samples_256.png; `make sync` then puts the figures into the Performance page, the README
and the index. A first call (without --suffix: the default parts) names its card in benchmarks/results/gpu_card.txt, whose
folder the pages quote, so all their GPU figures come from one card; with --fresh it also removes the files that earlier calls
of gpu_session.sh left there (their names, or those with a suffix), so that nothing from an older session stands beside it.
A later call (`PARTS=compare`, `modes` or `profile`, or a row a time limit cut) needs --suffix and the card of the first call:
its files go beside the first call's, e.g. sampling_2.json, except those its part names itself (gpu_train_2.json,
gpu_train_modes.json, sampling_modes.json, profile_train*.json, profile_sampling.json); --replace lets it overwrite another
call's file of the same name. Nothing else in the folder (say, eager profiles from gpu_profile.py by hand) is touched."""
import argparse, re, shutil, sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
NAMED = ('gpu_train_2.json', 'gpu_train_modes.json', 'sampling_modes.json', 'profile_train.json', 'profile_train_cl.json', 'profile_sampling.json')   # named by the session for its parts `compare`, `modes` and `profile`: kept as named
FIRST = ('gpu_train.json', 'sampling.json', 'mode_c.json')   # a first call's files, from which the pages' sentences are made
RESULTS = ('gpu.txt', 'gpu_train.json', 'sampling.json', 'mode_c.json', 'mode_c.log', 'settings.json') + NAMED

def card(gpu_txt:Path) -> str:
    "The folder name of the card named on the first line of `gpu.txt`: its whole name without the vendor, lower case ('NVIDIA H200, 143771 MiB, ...' -> 'h200'; 'NVIDIA H100 PCIe, ...' -> 'h100_pcie'), so two variants of a model never share a folder."
    first = gpu_txt.read_text().splitlines()[0]
    slug = re.sub(r'[^a-z0-9]+', '_', re.sub(r'^\s*(NVIDIA|AMD)\s+', '', first.split(',')[0]).lower()).strip('_')
    if not re.search(r'\d', slug) or len(slug) > 40 or slug.startswith(('no_gpu', 'nvidia_smi')):   # nvidia-smi's error, or no GPU at all
        sys.exit(f"record_gpu: cannot read a card from {gpu_txt}: {first[:120]!r}. Fix: check that the session saw its GPU; --card names one by hand.")
    return slug

def session_file(name:str) -> bool:
    "Whether `name` is a file that gpu_session.sh writes, under its own name or with a call's suffix (sampling_2.json)."
    return any(name == f or re.fullmatch(rf'{re.escape(Path(f).stem)}_\d+{re.escape(Path(f).suffix)}', name) for f in RESULTS)

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('out'); p.add_argument('--suffix', default=''); p.add_argument('--card', default=None)
    p.add_argument('--fresh', action='store_true'); p.add_argument('--replace', action='store_true')
    a = p.parse_args(); out = Path(a.out)
    results = root/'benchmarks'/'results'; name = a.card or card(out/'gpu.txt'); dest = results/name
    if a.suffix and not re.fullmatch(r'_\d+', a.suffix): sys.exit(f"record_gpu: --suffix {a.suffix!r}: give an underscore and a number, e.g. _2.")
    if a.suffix and a.fresh: sys.exit("record_gpu: --fresh starts a card's figures afresh, with a session's first call: leave out --suffix, or --fresh.")
    if not re.fullmatch(r'[a-z0-9_]+', name) or name == 'cpu': sys.exit(f"record_gpu: {name!r} is not a GPU's folder name. Fix: leave --card out (gpu.txt names the card), or give one like h100_pcie.")
    quoted = (results/'gpu_card.txt').read_text().strip() if (results/'gpu_card.txt').is_file() else None
    if a.suffix and name != quoted:
        sys.exit(f"record_gpu: this call ran on {name}, but the pages quote {quoted or 'no card yet'} (benchmarks/results/gpu_card.txt), and figures set side by side must come from one card. "
                 f"Fix: keep a first call on {name} (the default parts of gpu_session.sh) without --suffix, then this one.")
    if not a.suffix and not (out/'gpu_train.json').is_file() and any((out/f).is_file() for f in NAMED):
        sys.exit(f"record_gpu: {out} holds no part `train`, only `compare`, `modes` or `profile`: kept without --suffix, its gpu.txt and settings.json would replace the first call's. Fix: add --suffix _2.")
    if not a.suffix and (lacking := [f for f in FIRST if not (out/f).is_file()]):
        sys.exit(f"record_gpu: {out} lacks {', '.join(lacking)}, which the pages' sentences need from a first call. Fix: run the default parts of gpu_session.sh (train sampling mode_c) and keep that call.")
    pairs = [(out/f, dest/(f if not a.suffix or f in NAMED else f"{Path(f).stem}{a.suffix}{Path(f).suffix}")) for f in RESULTS if (out/f).is_file()]
    if len({t for _, t in pairs}) < len(pairs): sys.exit(f"record_gpu: two result files of {out} would be kept under one name. Fix: record a run of every part without --suffix.")
    if a.suffix and not a.replace and (taken := [t.name for f, t in pairs if t.is_file() and t.read_bytes() != f.read_bytes()]):
        sys.exit(f"record_gpu: {', '.join(taken)} in {dest.relative_to(root)} came from another call. Fix: choose another --suffix (e.g. _3), or --replace to overwrite them.")
    dest.mkdir(parents=True, exist_ok=True)
    ours = {t.name for _, t in pairs}
    earlier = sorted(f.name for f in dest.iterdir() if f.is_file() and f.name not in ours and session_file(f.name)) if not a.suffix else []
    if a.fresh:
        for f in earlier: (dest/f).unlink()   # `git restore` brings them back
    for f, target in pairs: shutil.copyfile(f, target)
    kept = [t.name for _, t in pairs]
    if not a.suffix: (results/'gpu_card.txt').write_text(name + '\n'); kept.append(f'gpu_card.txt ({name}: the card the pages quote)')
    if (out/'samples_256.png').is_file() and not a.suffix: shutil.copyfile(out/'samples_256.png', root/'nbs'/'images'/'perf_samples_256.png'); kept.append('perf_samples_256.png')
    print(f"record_gpu: kept {', '.join(kept)} in {dest.relative_to(root)}"
          + (f"; removed what earlier calls left: {', '.join(earlier)}" if a.fresh and earlier else f"; earlier calls' {', '.join(earlier)} stay beside them (--fresh removes them)" if earlier else '')
          + "; now `make sync` and commit.")

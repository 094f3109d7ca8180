#!/usr/bin/env bash
# Every GPU figure of the Performance page, the README and the index comes from one run of this script on a GPU machine: at most about
# 8 minutes on an H100/H200, compile warm-ups included; each part has its own time limit (seconds, below), so a part that fails or runs
# long still leaves the others. Results go to $OUT (default gpu_out/):
#   gpu.txt            the card, the driver and the package versions
#   gpu_train.json     training images/s and MFU: cxr_train_ddpm's default (compiled), a diffusers-style loop eager, and ours eager     (gpu_train.py)
#   gpu_train_2.json   the compiled rows side by side: ours (Inductor's own layout rule: NCHW convolutions in training), ours with
#                      channels-last forced (`CHANNELS_LAST`), and the diffusers-style loop compiled, beside its eager loop        (part `compare`)
#   sampling.json      cxr_generate images/s, DDIM-50 with guidance at the default batch, compiled and eager                 (sampling_speed.py)
#   sampling_modes.json, gpu_train_modes.json   torch.compile's modes side by side (`--compile_mode`): cxr_generate in the default mode,
#                      reduce-overhead (CUDA graphs) and max-autotune-no-cudagraphs; then training in the same three    (part `modes`)
#   profile_train.json, profile_train_cl.json, profile_sampling.json   where the compiled step's GPU time goes, by kind of kernel: training in
#                      Inductor's own layout, then channels-last forced, then one guided sampling pass (gpu_profile.py)     (part `profile`)
#   settings.json      what this run was asked to do (sizes, epochs, time limits)
#   mode_c.json, mode_c.log, samples_256.png   mode (c): the notebooks' full-size run (`full_run`, as notebooks 04-08 run it with CXR_NIH and
#                      CXR_KERMANY set) on phantom trees at 256 px, epochs capped to fit; its DDPM stage logs the images/s with data loading
# Then `python tools/record_gpu.py gpu_out --fresh` (a new session's first call) copies them to benchmarks/results/<card>/ and nbs/images/,
# removes what older sessions left for that card, and names the card in benchmarks/results/gpu_card.txt; `make sync` then puts that
# card's figures into the Performance page (nbs/10_performance.ipynb), the README and the index.
#
# The GPU machine has PyTorch but not fastai or diffusers: with a folder .whl/ of wheels (benchmarks/gpu_wheels.sh downloads them; fastprogress
# 1.0.3, since 1.1 imports fasthtml), they are installed into /tmp/site without touching the machine's packages. git ignores .whl/ (and
# gpu_out/): a copy of the working tree made from git's view of it must bring .whl/ along explicitly.
#   bash benchmarks/gpu_session.sh                  # on the GPU machine, from the repository root
#   bash benchmarks/gpu_session.sh --device cpu     # a dry run of every part on a CPU at tiny sizes (minutes), before spending GPU time
# PARTS chooses the parts, in this order: train sampling mode_c (the default: about 8 minutes), compare (about 5 more minutes: three
# compiled fits, ours again from Inductor's cache of the first part when the machine is the same), modes (at most 9 minutes, a GPU
# session of its own: each mode compiles afresh, and max-autotune-no-cudagraphs times its candidate kernels first, so its rows come
# last and the time limits cut them first; a row cut short is recorded as such), profile (at most 4 minutes: three compiles, the
# first two from the cache of `train` and `compare` on the same machine). With 15 minutes of GPU time, a machine start included,
# the default parts and `compare` just fit in one session (their limits add up to 13 minutes); `modes` needs another, and `profile`
# fits beside it only if its limits are cut. Record a call without `train` with `tools/record_gpu.py OUT --suffix _2` (another
# suffix for a third call) on the card of the session's first call.
set -u
PARTS=${PARTS:-train sampling mode_c}; has() { [[ " $PARTS " == *" $1 "* ]]; }
for p in $PARTS; do case $p in train|sampling|mode_c|compare|modes|profile) ;; *) echo "PARTS: unknown part '$p'; the parts are: train sampling mode_c compare modes profile (separated by spaces)"; exit 2;; esac; done
PY=${PY:-python3}; OUT=${OUT:-gpu_out}; mkdir -p "$OUT"; export PYTHONUNBUFFERED=1
DEV=cuda; [ "${1:-}" = --device ] && DEV=$2
if ! $PY -c "import fastai, diffusers" 2>/dev/null && ls .whl/*.whl >/dev/null 2>&1; then
  $PY -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl || exit 1
  export PYTHONPATH=/tmp/site${PYTHONPATH:+:$PYTHONPATH}
fi
export PYTHONPATH=$PWD${PYTHONPATH:+:$PYTHONPATH}
if [ "$DEV" = cpu ]; then   # tiny: every code path, no figure worth keeping
  SIZE=32; BS=4; STEPS=3; NIH_N=${NIH_N:-60}; KERMANY_N=${KERMANY_N:-90}; SAMPLE_ARGS="--bs 4 --n 4 --T 20 --steps 5"
  MODE_C_ENV="CXR_DEVICE=cpu CXR_DDPM_SIZE=32 CXR_DDPM_UNET=tiny CXR_DDPM_BS=8 CXR_DDPM_T=20 CXR_CLS_SIZE=32 CXR_CLS_BS=16 CXR_SAMPLE_STEPS=5 CXR_SAMPLE_N=8"
  TRAIN_S=${TRAIN_S:-600}; SAMPLE_S=${SAMPLE_S:-600}; MODE_C_S=${MODE_C_S:-900}; COMPARE_S=${COMPARE_S:-900}; MODES_S=${MODES_S:-900}; MODES_TRAIN_S=${MODES_TRAIN_S:-1200}; PROFILE_S=${PROFILE_S:-1200}; PROFILE_SAMPLE_BS=8; PH_SIZE=64
else
  SIZE=256; BS=64; STEPS=20; NIH_N=${NIH_N:-2500}; KERMANY_N=${KERMANY_N:-800}; SAMPLE_ARGS=""; MODE_C_ENV="CXR_DDPM_BS=64 CXR_CLS_BS=64"
  TRAIN_S=${TRAIN_S:-200}; SAMPLE_S=${SAMPLE_S:-90}; MODE_C_S=${MODE_C_S:-160}; COMPARE_S=${COMPARE_S:-330}; MODES_S=${MODES_S:-190}; MODES_TRAIN_S=${MODES_TRAIN_S:-330}; PROFILE_S=${PROFILE_S:-240}; PROFILE_SAMPLE_BS=256; PH_SIZE=256
fi
WORK=$(mktemp -d); echo "work folder $WORK; device $DEV"
{ nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>/dev/null || echo "no GPU"
  $PY -c "import torch, fastai, torchvision; print('torch', torch.__version__, 'torchvision', torchvision.__version__, 'fastai', fastai.__version__, 'cpus', __import__('os').cpu_count())"; } | tee "$OUT/gpu.txt"
# phantom trees first, on all the CPU cores (seconds); compiling needs the cores afterwards
has mode_c && $PY -c "
from cxr_nbdev.phantoms import make_phantoms
make_phantoms('$WORK/nih', n=$NIH_N, size=$PH_SIZE, layout='nih', n_workers=12)
make_phantoms('$WORK/kermany', n=$KERMANY_N, size=$PH_SIZE, layout='kermany', n_workers=12)
print('phantoms done')" 2>&1 | tail -1 | tee -a "$OUT/gpu.txt"
cat > "$OUT/settings.json" <<JSON
{"device": "$DEV", "parts": "$PARTS", "compare_limit_s": $COMPARE_S, "modes_limit_s": [$MODES_S, $MODES_TRAIN_S], "profile_limit_s": $PROFILE_S, "gpu_train": {"size": $SIZE, "bs": $BS, "steps": $STEPS, "limit_s": $TRAIN_S}, "sampling": {"size": $SIZE, "limit_s": $SAMPLE_S},
 "mode_c": {"phantoms": {"nih": $NIH_N, "kermany": $KERMANY_N, "size": $PH_SIZE}, "limit_s": $MODE_C_S,
  "environment": {"CXR_DDPM_EPOCHS": ${DDPM_EPOCHS:-3}, "CXR_CLS_EPOCHS": 2, "CXR_PIPELINE_SEEDS": "0", "CXR_PIPELINE_SYNTHETIC_FRACS": "0 1", "more": "$MODE_C_ENV"}}}
JSON
if has train; then
echo "== training throughput (limit $TRAIN_S s)"
timeout $TRAIN_S $PY benchmarks/gpu_train.py --device $DEV --size $SIZE --bs $BS --steps $STEPS --runs ours diffusers ours_eager --json "$OUT/gpu_train.json" 2>&1 | grep -v "^Epoch\|Warning\|warn("
fi
if has sampling; then
echo "== sampling (limit $SAMPLE_S s)"
timeout $SAMPLE_S $PY benchmarks/sampling_speed.py --device $DEV --size $SIZE $SAMPLE_ARGS --json "$OUT/sampling.json" 2>&1 | grep -v "Warning\|warn("
fi
if has mode_c; then
echo "== mode (c): the notebooks' full-size run on phantoms (limit $MODE_C_S s)"
start=$(date +%s)
env CXR_NIH=$WORK/nih CXR_KERMANY=$WORK/kermany CXR_OUT=$WORK/run CXR_DDPM_EPOCHS=${DDPM_EPOCHS:-3} CXR_CLS_EPOCHS=2 CXR_PIPELINE_SEEDS=0 \
  CXR_PIPELINE_SYNTHETIC_FRACS='0 1' $MODE_C_ENV timeout $MODE_C_S $PY -c "
import time
from cxr_nbdev.pipeline import full_run
t0 = time.time(); full_run(); print('mode (c) pipeline finished in', round(time.time() - t0), 's')" > "$OUT/mode_c.log" 2>&1; rc=$?
echo "mode (c) exit $rc after $(( $(date +%s) - start )) s"; grep -v "Warning\|warn(" "$OUT/mode_c.log" | tail -30
$PY - "$WORK" "$OUT" "$rc" "$(( $(date +%s) - start ))" <<'PY'
import json, re, sys, shutil
from pathlib import Path
work, out, rc, secs = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
run, log = work/'run', (out/'mode_c.log').read_text(errors='replace')
rec = dict(exit=rc, seconds=secs, stages={})
for f in sorted((run/'reports'/'stages').glob('*.json')):
    r = json.loads(f.read_text()); rec['stages'][f.stem] = dict(status=r['status'], seconds=r.get('seconds'), error=r.get('error'))
# the DDPM stage's own log: the first (compiling) step, and each epoch's training images/s and time waiting for data (Throughput)
rec['ddpm_compile_s'] = [float(m) for m in re.findall(r'the first training step, which compiles the U-Net, took ([\d.]+) s', log)]
rec['ddpm_epochs'] = [dict(epoch=int(e), images_per_s=float(r), data_wait=float(w)/100) for e, r, w in
                      re.findall(r'epoch (\d+): (\d+) training images/s per process, (\d+)% of the time waiting for data', log)]
dd = run/'models_trained'/'ddpm'/'ddpm_data.json'
if dd.is_file(): rec['ddpm_data'] = json.loads(dd.read_text())
grids = sorted((run/'models_trained'/'ddpm'/'samples').glob('*.png'))
if grids: shutil.copy(grids[-1], out/'samples_256.png')
rec['grid_epoch'] = int(re.search(r'\d+', grids[-1].stem).group()) if grids else None   # the epoch the copied grid was drawn after (SampleGrid: epoch_NNNN.png)
if (man := run/'generated_images'/'pipeline'/'manifest.csv').is_file(): rec['generated'] = sum(1 for _ in open(man)) - 1
summ = run/'reports'/'summary.json'
if summ.is_file(): rec['summary'] = json.loads(summ.read_text())
(out/'mode_c.json').write_text(json.dumps(rec, indent=1, default=str))
print('stages recorded:', {k: v['status'] for k, v in rec['stages'].items()}, 'DDPM epochs:', rec['ddpm_epochs'])
PY
fi
if has compare; then   # on a CPU, ours is not compiled by default: the layout row needs a GPU
echo "== compiled side by side (limit $COMPARE_S s)"
RUNS="ours ours_cl diffusers diffusers_compiled"; [ "$DEV" = cpu ] && RUNS="ours diffusers diffusers_compiled"
timeout $COMPARE_S $PY benchmarks/gpu_train.py --device $DEV --size $SIZE --bs $BS --steps $STEPS --runs $RUNS --json "$OUT/gpu_train_2.json" 2>&1 | grep -v "^Epoch\|Warning\|warn("
fi
if has modes; then   # compiled on a CPU too (--runs names them): a dry run goes through each mode's code
echo "== torch.compile modes: sampling (limit $MODES_S s), then training (limit $MODES_TRAIN_S s)"
timeout $MODES_S $PY benchmarks/sampling_speed.py --device $DEV --size $SIZE $SAMPLE_ARGS --runs default graphs autotune --json "$OUT/sampling_modes.json" 2>&1 | grep -v "Warning\|warn("
timeout $MODES_TRAIN_S $PY benchmarks/gpu_train.py --device $DEV --size $SIZE --bs $BS --steps $STEPS --runs ours ours_graphs ours_autotune --json "$OUT/gpu_train_modes.json" 2>&1 | grep -v "^Epoch\|Warning\|warn("
fi
if has profile; then   # one deadline for the three: a profile the limit cuts leaves no file
echo "== where the compiled step's time goes (limit $PROFILE_S s)"
end=$(( $(date +%s) + PROFILE_S ))
for p in train train_cl sampling; do
  case $p in train) args=(--bs $BS);; train_cl) args=(--bs $BS --layout channels_last);; sampling) args=(--sample --bs $PROFILE_SAMPLE_BS);; esac
  left=$(( end - $(date +%s) )); [ $left -gt 0 ] || { echo "profile cut: no time left for profile_$p"; break; }
  timeout $left $PY benchmarks/gpu_profile.py --device $DEV --size $SIZE --compile "${args[@]}" --json "$OUT/profile_$p.json" 2>&1 | grep -v "Warning\|warn("
done
fi
ls -la "$OUT"

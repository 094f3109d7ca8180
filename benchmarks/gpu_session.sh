#!/usr/bin/env bash
# Every GPU figure of the Performance page and the index comes from one run of this script on a GPU machine (about 12 minutes on
# an H100/H200; each part has its own time limit, so a failure in one still leaves the others). Results go to $OUT (default gpu_out/):
#   gpu_train.json     training throughput, MFU, eager vs torch.compile, diffusers-style loop   (benchmarks/gpu_train.py)
#   sampling.json      cxr_generate images/s, DDIM-50 vs DDPM-1000 at 256 px                       (benchmarks/sampling_speed.py)
#   settings.json       what this run was asked to do (sizes, epochs, time limits)
#   mode_c.json, mode_c.log, samples_256.png   mode (c): the pipeline with CXR_NIH / CXR_KERMANY set to full-size phantom trees,
#                                              as notebooks 04-08 run it (`full_run`), epochs capped to fit the lease
# Then copy the JSON files to benchmarks/results/<card>/ and samples_256.png to nbs/images/perf_samples_256.png; `make sync` puts the
# tables into the Performance page (nbs/10_performance.ipynb) and the index.
set -u
PY=${PY:-python3}
OUT=${OUT:-gpu_out}; mkdir -p "$OUT"; export PYTHONUNBUFFERED=1
WORK=$(mktemp -d); echo "work folder $WORK"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | tee "$OUT/gpu.txt"
"$PY" -c "import torch, fastai, torchvision; print('torch', torch.__version__, 'torchvision', torchvision.__version__, 'fastai', fastai.__version__, 'bf16', torch.cuda.is_bf16_supported())" | tee -a "$OUT/gpu.txt"
# full-size phantom trees, drawn on the CPU cores while the GPU benchmarks run
( "$PY" -c "
from cxr_nbdev.phantoms import make_phantoms
make_phantoms('$WORK/nih', n=${NIH_N:-2500}, size=256, layout='nih', n_workers=12)
make_phantoms('$WORK/kermany', n=${KERMANY_N:-800}, size=256, layout='kermany', n_workers=12)
print('phantoms done')" > "$WORK/phantoms.log" 2>&1 ) & phantoms=$!
timeout ${TRAIN_S:-300} "$PY" benchmarks/gpu_train.py --size 256 --bs 32 64 --steps 20 --compile_bs 32 --json "$OUT/gpu_train.json" 2>&1 | grep -v "Epoch"
timeout ${SAMPLE_S:-150} "$PY" benchmarks/sampling_speed.py --size 256 --n 16 --n_ddpm 16 --bs 16 --json "$OUT/sampling.json" 2>&1
wait $phantoms; cat "$WORK/phantoms.log" | tee -a "$OUT/gpu.txt"
cat > "$OUT/settings.json" <<JSON
{"mode_c": {"phantoms": {"nih": ${NIH_N:-2500}, "kermany": ${KERMANY_N:-800}, "size": 256}, "limit_s": ${MODE_C_S:-240},
 "environment": {"CXR_DDPM_EPOCHS": ${DDPM_EPOCHS:-3}, "CXR_DDPM_BS": 64, "CXR_CLS_EPOCHS": 2, "CXR_CLS_BS": 64, "CXR_PIPELINE_SEEDS": "0", "CXR_PIPELINE_SYNTHETIC_FRACS": "0 1"}},
 "limits_s": {"gpu_train": ${TRAIN_S:-300}, "sampling": ${SAMPLE_S:-150}}}
JSON
start=$(date +%s)
CXR_NIH=$WORK/nih CXR_KERMANY=$WORK/kermany CXR_OUT=$WORK/run CXR_DDPM_EPOCHS=${DDPM_EPOCHS:-3} CXR_DDPM_BS=64 CXR_CLS_EPOCHS=2 CXR_CLS_BS=64 \
CXR_PIPELINE_SEEDS=0 CXR_PIPELINE_SYNTHETIC_FRACS='0 1' timeout ${MODE_C_S:-240} "$PY" -c "
import time, json
from cxr_nbdev.pipeline import full_run
t0 = time.time(); full_run(); print('mode (c) pipeline finished in', round(time.time() - t0), 's')" > "$OUT/mode_c.log" 2>&1; rc=$?
echo "mode (c) exit $rc after $(( $(date +%s) - start )) s"; tail -25 "$OUT/mode_c.log"
"$PY" - "$WORK" "$OUT" "$rc" "$(( $(date +%s) - start ))" <<'PY'
import json, sys, shutil
from pathlib import Path
work, out, rc, secs = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
run = work/'run'
rec = dict(exit=rc, seconds=secs, stages={})
for f in sorted((run/'reports'/'stages').glob('*.json')):
    r = json.loads(f.read_text()); rec['stages'][f.stem] = dict(status=r['status'], seconds=r.get('seconds'), error=r.get('error'))
dd = run/'models_trained'/'ddpm'/'ddpm_data.json'
if dd.is_file(): rec['ddpm_data'] = json.loads(dd.read_text())
log = run/'models_trained'/'ddpm'
grids = sorted((log/'samples').glob('*.png')) if log.is_dir() else []
if grids: shutil.copy(grids[-1], out/'samples_256.png')
summ = run/'reports'/'summary.json'
if summ.is_file(): rec['summary'] = json.loads(summ.read_text())
(out/'mode_c.json').write_text(json.dumps(rec, indent=1, default=str))
print('stages recorded:', list(rec['stages'])[:20])
PY
ls -la "$OUT"

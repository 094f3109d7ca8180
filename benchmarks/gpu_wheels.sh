#!/usr/bin/env bash
# The wheels benchmarks/gpu_session.sh installs on a GPU machine that has PyTorch (and torchvision, accelerate, torchmetrics, safetensors,
# scipy, scikit-learn, pandas) but not fastai or diffusers, for its Python (3.12, x86-64); into .whl/ (ignored by git). fastprogress 1.0.3:
# 1.1 imports fasthtml. The versions are those of constraints.txt and the ones fastai 2.8.7 was tested with.
set -eu
PYV=${PYV:-3.12}; mkdir -p .whl
for w in fastai==2.8.7 fastcore==1.14.5 fasttransform==0.0.2 plum-dispatch==2.10.1 beartype==0.23.1 fastdownload==0.0.8 fastprogress==1.0.3 \
         diffusers==0.42.1 importlib_metadata==8.7.0; do
  python3 -m pip download -q --no-deps --only-binary=:all: --python-version $PYV --implementation cp --platform manylinux_2_28_x86_64 \
    --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 --platform any -d .whl "$w"
done
ls .whl

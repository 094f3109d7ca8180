# The README's two commands: `make demo` (the main job on the embedded phantom dataset) and `make test`.
# Both need only python3 and make: they create .venv and install the project with the pins in constraints.txt.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA ?= data/phantoms
# Notebooks, the package they export and the README written from index.ipynb: any change by `make sync` shows here.
SYNC_HASH = { find nbs cxr_nbdev -type f \( -name '*.ipynb' -o -name '*.py' \) -not -path '*/.ipynb_checkpoints/*'; echo README.md; } | sort | xargs md5sum | md5sum

.PHONY: install demo test sync sync-check clean-outputs

install: $(STAMP)

$(STAMP): settings.ini setup.py constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -q -c constraints.txt -e ".[dev]"
	touch $@

demo: $(STAMP)
	$(BIN)/cxr_phantoms $(DATA)/kermany --layout kermany --n 200 --size 256
	$(BIN)/cxr_phantoms $(DATA)/nih --layout nih --n 200 --size 256
	mkdir -p reports
	$(BIN)/cxr_check_data $(DATA)/kermany --size 256 > reports/check_kermany.json
	$(BIN)/cxr_check_data $(DATA)/nih --size 256 > reports/check_nih.json
	$(BIN)/cxr_train_ddpm --data $(DATA)/nih --cond --size 64 --unet tiny --epochs 30 --bs 16 --lr 2e-3 \
	  --sample_every 10 --save_every 10 --out models_trained/ddpm --resume
	$(BIN)/cxr_generate --ckpt models_trained/ddpm/ema.safetensors --out generated_images/demo_$$(date +%Y%m%d_%H%M%S) \
	  --n 16 --label both --steps 50
	@echo "Datasets in $(DATA)/ (checked: reports/check_*.json); DDPM in models_trained/ddpm/; synthetic set in generated_images/"

sync-check: $(STAMP)
	@before="$$($(SYNC_HASH))"; $(BIN)/nbdev_clean && $(BIN)/nbdev_export && $(BIN)/python tools/make_readme.py; \
	if [ "$$before" != "$$($(SYNC_HASH))" ]; then \
	  echo "nbdev_clean, nbdev_export or tools/make_readme.py changed files: run 'make sync' and commit the result."; \
	  git status --porcelain; exit 1; fi

sync: $(STAMP)
	$(BIN)/nbdev_clean && $(BIN)/nbdev_export && $(BIN)/python tools/make_readme.py

test: sync-check
	$(BIN)/nbdev_test --n_workers 1 --timing  # one at a time: two torch processes on 2 cores thrash (8 min vs 2)
	@echo "notebooks: $$(ls nbs/[!_]*.ipynb | wc -l) passed, 0 failed"

clean-outputs:
	rm -rf data models_trained generated_images reports

# The README's two commands: `make demo` (the main job on the embedded phantom dataset) and `make test`.
# Both need only python3 and make: they create .venv and install the project with the pins in constraints.txt.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA ?= data/phantoms
# Notebooks and the package they export: any change by nbdev_clean/nbdev_export shows in this hash.
SYNC_HASH = find nbs cxr_nbdev -type f \( -name '*.ipynb' -o -name '*.py' \) -not -path '*/.ipynb_checkpoints/*' | sort | xargs md5sum | md5sum

.PHONY: install demo test sync-check clean-outputs

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
	@echo "Datasets in $(DATA)/, checked: reports/check_kermany.json reports/check_nih.json"

sync-check: $(STAMP)
	@before="$$($(SYNC_HASH))"; $(BIN)/nbdev_clean && $(BIN)/nbdev_export; \
	if [ "$$before" != "$$($(SYNC_HASH))" ]; then \
	  echo "nbdev_clean or nbdev_export changed files: run both and commit the result."; git status --porcelain; exit 1; fi

test: sync-check
	$(BIN)/nbdev_test --n_workers 2 --timing
	@echo "notebooks: $$(ls nbs/[!_]*.ipynb | wc -l) passed, 0 failed"

clean-outputs:
	rm -rf data models_trained generated_images reports

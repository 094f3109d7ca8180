# The README's two commands: `make demo` (the main job on the embedded phantom dataset) and `make test`.
# Both need only python3 and make: they create .venv and install the project with the pins in constraints.txt. pip does not
# compile every installed module to bytecode (--no-compile): Python compiles what is imported, once, which is a small part
# of torch's and fastai's thousands of modules, so the install is shorter.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Notebooks, the package they export and the README written from index.ipynb: any change by `make sync` shows here.
SYNC_HASH = { find nbs cxr_nbdev -type f \( -name '*.ipynb' -o -name '*.py' \) -not -path '*/.ipynb_checkpoints/*'; echo README.md; } | sort | xargs md5sum | md5sum

.PHONY: install demo record-demo check-demo test test-steps record-test docs-check checks notebooks dist docs chromium sync sync-check clean-outputs

install: $(STAMP)

$(STAMP): settings.ini setup.py constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check --no-compile -q -c constraints.txt -e ".[dev]"
	touch $@

# The demo times itself, install included, into reports/make_demo.json; `make record-demo` copies its results (and that
# time) to nbs/images/ for the README and the index, which quote nothing else; `make check-demo` fails when a demo's
# figures differ from those recorded (CI runs demo and check-demo after the tests).
# Its arithmetic is pinned: two threads, and the AVX2 kernels of PyTorch (ATen), oneDNN and MKL whatever the CPU has.
# Another thread count or another vector unit (AVX-512, say) rounds differently, and a classifier trained from scratch on
# two hundred images turns those roundings into other predictions (seen on one machine: AVX-512 and AVX2 kernels gave the
# seed-0 baseline other test predictions); pinned, the figures are the same on the same CPU model. Not on another: oneDNN
# sizes its convolution blocks by the CPU's caches (one commit gave other figures on two CI machines), so check-demo compares
# figures bit for bit on the CPU that recorded them and elsewhere their shape, with the data, settings and counts (07c_report).
PIN_KERNELS := ATEN_CPU_CAPABILITY=avx2 DNNL_MAX_CPU_ISA=AVX2 MKL_CBWR=AVX2
DEMO_ENV := OMP_NUM_THREADS=2 MKL_NUM_THREADS=2 $(PIN_KERNELS)
demo:
	@start=$$(date +%s); commit=$$(git rev-parse HEAD 2>/dev/null || echo unknown); \
	$(MAKE) --no-print-directory install && $(DEMO_ENV) $(BIN)/cxr_pipeline --out . && \
	printf '{"seconds": %d, "started": %d, "cpus": %d, "commit": "%s"}\n' $$(( $$(date +%s) - start )) $$start $$(nproc) "$$commit" > reports/make_demo.json
	@echo "Phantom datasets in data/phantoms/, DDPM in models_trained/ddpm/, synthetic set in generated_images/pipeline/, report in reports/summary.md"

record-demo: $(STAMP)
	$(BIN)/python tools/record_demo.py && $(MAKE) --no-print-directory sync

check-demo: $(STAMP)
	$(BIN)/python tools/check_demo.py

sync-check: $(STAMP)
	@before="$$($(SYNC_HASH))"; $(BIN)/nbdev_clean && $(BIN)/nbdev_export && $(BIN)/python tools/make_readme.py; \
	if [ "$$before" != "$$($(SYNC_HASH))" ]; then \
	  echo "nbdev_clean, nbdev_export or tools/make_readme.py changed files: run 'make sync' and commit the result."; \
	  git status --porcelain; exit 1; fi

sync: $(STAMP)
	$(BIN)/nbdev_clean && $(BIN)/nbdev_export && $(BIN)/python tools/make_readme.py

# Every notebook runs top to bottom in a fresh shell as nbdev_test runs it (nbdev's test_nb), except the pipeline and explorer
# notebooks, which run in a real Jupyter kernel (nbconvert), as a user runs them: they display widgets and Markdown. Running all
# of them both ways would double the test time and test nothing more. tools/run_tests.py runs these notebooks, `make dist`,
# `make docs-check` and `make checks` as jobs on one pool of as many processes as there are cores, longest first by the times
# the last recorded run kept (benchmarks/results/cpu/test_times.json): in name order the longest notebooks would start last
# and leave a core idle at the end. Every process uses one thread: on two cores two one-thread torch processes do nearly
# twice the work of one two-thread process (measured: a notebook takes 9% longer on one thread), where more processes than
# cores thrash. The first failure stops new jobs.
# The notebooks' temporary folders (phantoms, checkpoints; each job's in a folder of its own, removed when the job ends) and the
# remembered file checks (CXR_DATA_CHECK_CACHE, not the user's ~/.cache) go to one folder that is removed at the end.
# The tests run with the machine's own kernels and one thread per process, not the demo's pinned AVX2 ones: a notebook's
# assertion must hold whatever the vector unit (AVX2, AVX-512, ARM NEON), since users run the notebooks unpinned. Where a tiny
# classifier trained from scratch is asserted to learn, the notebook says the range measured over seeds and both kernels.
KERNEL_NBS := 08_pipeline.ipynb 09_explorer.ipynb
NPROC := $(shell nproc 2>/dev/null || echo 2)
# `make test` times itself, install included, into reports/make_test.json (with the CPU model and the kernels PyTorch chose, written
# by MAKE_TEST_RECORD: the same suite's time differs from one CPU model to another), and each notebook into reports/test_times.json;
# `make record-test` keeps both in benchmarks/results/cpu/, which the README and the index quote (run it from a fresh clone).
define MAKE_TEST_RECORD
import json, os, sys
from cxr_nbdev.pipeline import numerics
start, end, commit = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
n = numerics()   # the CPU as the demo's record names it, and PyTorch's kernels
print(json.dumps(dict(seconds=end - start, started=start, cpus=len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else os.cpu_count(), commit=commit,
                      cpu=n['cpu'], kernels=n['cpu_capability'])))
endef
export MAKE_TEST_RECORD
test:
	@start=$$(date +%s); commit=$$(git rev-parse HEAD 2>/dev/null || echo unknown); \
	$(MAKE) --no-print-directory test-steps && mkdir -p reports && \
	$(BIN)/python -c "$$MAKE_TEST_RECORD" "$$start" "$$(date +%s)" "$$commit" > reports/make_test.json

record-test:
	cp reports/make_test.json reports/test_times.json benchmarks/results/cpu/ && $(MAKE) --no-print-directory sync

test-steps: sync-check
	@export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 TMPDIR=$$(mktemp -d); export CXR_DATA_CHECK_CACHE=$$TMPDIR/file_checks; trap 'rm -rf "$$TMPDIR"' EXIT; \
	$(BIN)/python tools/run_tests.py --workers $(NPROC) --kernel $(KERNEL_NBS) --make dist docs-check checks

# The checks that read the sources: notebooks (GPU cells, imports, paragraphs), layers, workflows, the front page's limits.
checks: $(STAMP)
	$(BIN)/python tools/check_notebooks.py
	$(BIN)/python tools/check_layers.py
	$(BIN)/python tools/check_workflows.py
	$(BIN)/python tools/check_front.py README.md

# The docs site built and checked (below), then the command reference checked against the commands themselves.
docs-check: docs
	$(BIN)/python tools/check_commands.py _docs

# A release: the version lives in settings.ini only (`nbdev_bump_version` raises it; nbdev_export writes it into
# cxr_nbdev/__init__.py); CHANGELOG.md says what changed. `make dist` builds the wheel and the sdist into dist/, installs the
# wheel into a fresh virtual environment outside the repository and runs the tiny main job there (tools/check_dist.py).
dist: $(STAMP)
	rm -rf dist build
	$(BIN)/python -m build --no-isolation --sdist --wheel --outdir dist . > /dev/null
	$(BIN)/python tools/check_dist.py dist

# Every notebook top to bottom in a Jupyter kernel, as a user runs it with no data paths set (mode (b) at the top of each
# notebook: the demo scale on phantoms; GPU cells say they are skipped): prints each notebook's time, stops at the first error.
# Too long for `make test`; the times go to reports/notebook_times.json, with the kernels PyTorch used (`ATEN_CPU_CAPABILITY=avx2 make
# notebooks` runs with the AVX2 ones on an AVX-512 machine).
ALL_NBS := $(sort $(wildcard nbs/[0-9]*.ipynb)) nbs/index.ipynb
notebooks: $(STAMP)
	@export TMPDIR=$$(mktemp -d); export CXR_DATA_CHECK_CACHE=$$TMPDIR/file_checks; out=$$TMPDIR; trap 'rm -rf "$$TMPDIR"' EXIT; mkdir -p reports; echo "{" > reports/notebook_times.json; sep=""; for nb in $(ALL_NBS); do start=$$(date +%s); \
	  env -u IN_TEST -u CXR_NIH -u CXR_KERMANY -u CXR_OUT -u CXR_DDPM_CKPT $(BIN)/jupyter nbconvert --to notebook --execute \
	    --ExecutePreprocessor.timeout=-1 --output-dir $$out $$nb --log-level ERROR || { echo "FAILED: $$nb"; exit 1; }; \
	  t=$$(( $$(date +%s) - start )); echo "$$nb: $$t s"; printf '%s "%s": %d\n' "$$sep" "$$(basename $$nb)" $$t >> reports/notebook_times.json; sep=","; done; \
	printf ', "_cpus": %d, "_commit": "%s", "_kernels": "%s"\n}\n' $$(nproc) "$$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
	  "$$($(BIN)/python -c 'import torch; print(torch.backends.cpu.get_cpu_capability())')" >> reports/notebook_times.json; \
	echo "notebooks: all ran top to bottom in Jupyter (times in reports/notebook_times.json; copy it to benchmarks/results/cpu/ for the Performance page)"

# The docs site: nbdev processes the notebooks (show_doc, directives) into _proc/, and smalldocs renders them with
# nbs/_quarto.yml into _docs/, as `nbdev_docs` does with Quarto where Quarto is installed. With SHOTS=1 headless
# Chromium (Debian's `chromium`, installed here if missing) screenshots the home page and an API page.
SHOT_PAGES := index 06_classifier
docs: $(STAMP)
	rm -rf _proc _docs
	$(BIN)/python tools/proc_nbs.py
	$(BIN)/smalldocs render _proc 2>&1 | grep -v '^warning: ' || true
	test -f _proc/_docs/index.html && mv _proc/_docs _docs
	@if [ "$(SHOTS)" = 1 ]; then $(MAKE) --no-print-directory chromium && mkdir -p _docs/shots && for p in $(SHOT_PAGES); do \
	  $(CHROMIUM) --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,1400 \
	    --screenshot=_docs/shots/$$p.png file://$(CURDIR)/_docs/$$p.html 2>/dev/null || exit 1; done; fi
	$(BIN)/python tools/check_docs.py _docs $(if $(filter 1,$(SHOTS)),--shots $(SHOT_PAGES:%=_docs/shots/%.png))

CHROMIUM = $$(command -v chromium || command -v chromium-browser)
chromium:
	@command -v chromium >/dev/null || command -v chromium-browser >/dev/null || { \
	  echo "Installing Debian's chromium for the docs screenshots"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null; }

clean-outputs:
	rm -rf data models_trained generated_images reports _proc _docs

# The single entry point. `make lab` and `make test` are the two commands a newcomer needs;
# both create the isolated environment in .venv first (again whenever the pins change).
# Another Python (3.11 to 3.15) in its own folder: `make test PYTHON=python3.13 VENV=.venv313`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
FIRST  := notebooks/00-start-here.ipynb
# JupyterLab refuses to start as root (containers, course VMs) unless told it may.
ROOT_OK := $(if $(filter 0,$(shell id -u)),--allow-root)
LAB    := $(BIN)/jupyter lab $(ROOT_OK)
DEMO   := notebooks/instructor-demo.ipynb
# uv installs the same exact pins as pip, several times faster; pip is the fallback where
# no uv wheel exists for the machine.
UV_VERSION := 0.13.9
# uv reads its own settings, not pip's: hand it an index configured for pip (a mirror).
UV     := $(if $(PIP_INDEX_URL),UV_DEFAULT_INDEX=$(PIP_INDEX_URL) )$(BIN)/uv
SITE   := build/site

.PHONY: FORCE help setup lab notebook test check lint unit nbval browser-deps site site-instructor \
        site-deps site-python execute student demo bench wheels clean grading-deps portability

help:
	@echo "make lab      set up .venv and open JupyterLab on $(FIRST)"
	@echo "make test     set up .venv and run every test (lint, unit, notebooks, browser)"
	@echo "make check    lint and the unit tests only: no kernel, notebook or browser (quick)"
	@echo "make notebook the same as make lab, in Jupyter Notebook 7"
	@echo "make site     build the students' website (no solutions, live widgets, offline) in $(SITE)/"
	@echo "make site-instructor  the instructor's website (solutions folded, the demo) in $(SITE)-instructor/"
	@echo "make execute  re-run every notebook in a fresh kernel and save it with outputs"
	@echo "make student  write the student copies (solutions removed) to build/student/"
	@echo "make demo     open the instructor's projector notebook in JupyterLab"
	@echo "make bench    measure and write docs/benchmarks.md and docs/benchmarks.png"
	@echo "make portability  nbval of every notebook under every OpenBLAS kernel and Python"
	@echo "make wheels   check that every pin has a wheel for every supported Python"

# A change of the pins (pyproject.toml) re-installs. Exact pins: uv and pip install the same
# versions. Asking for another Python than the one $(VENV) was made with makes it anew.
MADE_WITH := $(if $(wildcard $(VENV)/.python),$(shell cat $(VENV)/.python))
ANEW      := $(if $(MADE_WITH),$(if $(filter-out $(MADE_WITH),$(PYTHON)),--clear))

# Every installed module byte-compiled once, at install (uv does not by default). Where
# PYTHONDONTWRITEBYTECODE is set (containers, CI machines) Python would otherwise compile each
# module it imports anew in every process: about 2 s of CPU per kernel start, test worker or
# JupyterLab. Files already compiled are only checked (a few seconds).
COMPILE := $(BIN)/python -m compileall -q -j 0 \
	"$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))')"

$(STAMP): pyproject.toml $(if $(ANEW),FORCE)
	@$(PYTHON) tools/check_python.py
	$(PYTHON) -m venv $(ANEW) $(VENV)
	@echo '$(PYTHON)' > $(VENV)/.python
	@if $(BIN)/python -m pip install --quiet uv==$(UV_VERSION); then \
	    echo "$(BIN)/uv pip install -e '.[lab,dev]'"; \
	    $(UV) pip install --quiet --python $(BIN)/python -e '.[lab,dev]'; \
	else \
	    echo "uv is not available here: installing with pip"; \
	    $(BIN)/python -m pip install --quiet -e '.[lab,dev]'; \
	fi
	$(COMPILE)
	@touch $@

setup: $(STAMP)

# nbgrader, for the grader's bridge and its test (the `grading` extra): `make test` installs it,
# `make lab` does not. Its JupyterLab and server extensions are switched off in $(VENV), so the
# students' JupyterLab never shows nbgrader's menus; the bridge uses nbgrader's command line.
GRADING := $(VENV)/.grading
$(GRADING): $(STAMP)
	@if [ -x $(BIN)/uv ]; then \
	    $(UV) pip install --quiet --python $(BIN)/python -e '.[lab,dev,grading]'; \
	else \
	    $(BIN)/python -m pip install --quiet -e '.[lab,dev,grading]'; \
	fi
	$(COMPILE)
	@$(BIN)/python tools/nbgrader_quiet.py
	@touch $@

# bubblewrap (`bwrap`), the sandbox every graded submission's kernel runs in: installed with
# apt-get as root where it is missing (else the way to install it is printed; `check` then
# refuses unless --no-sandbox, and the sandbox's tests skip, or fail under CI=true).
grading-deps: $(GRADING)
	@bash tools/ensure-bubblewrap

FORCE:

lab: setup
	$(LAB) $(FIRST)

notebook: setup
	$(BIN)/jupyter notebook $(ROOT_OK) $(FIRST)

lint: setup
	$(BIN)/ruff check nbhelpers tests notebooks tools conftest.py

# Work is shared out by pytest-xdist's workers. `--dist loadgroup` sends all tests of
# one xdist_group to the same worker, in their order; conftest.py (at the top) gives each test
# its group: a notebook's cells (nbval runs them in order in one kernel), all browser tests
# (one JupyterLab, one Chromium), and each other test file (its fixtures built once). It lists
# the longest groups first (by the seconds of the last runs), and `--no-loadscope-reorder` keeps
# that order.
GROUPS := --dist loadgroup --no-loadscope-reorder
# `make test` runs one worker more than there are cores: about half of its time a test waits
# (a kernel or JupyterLab starting, a page loading, a grader's time limit), and the extra
# worker's tests fill those gaps. The unit tests never wait: one worker per core.
CORES   := $(shell nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
WORKERS := $(shell echo $$(( $(CORES) + 1 )))
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with notebooks/sanitize.cfg
# The test commands let Python and pytest keep their bytecode caches (__pycache__/, git-ignored)
# also where PYTHONDONTWRITEBYTECODE is set: else every process compiles the project's modules,
# and pytest rewrites the asserts of every test module, anew (seconds per test worker).
test unit nbval: export PYTHONDONTWRITEBYTECODE :=

# The unit tests: every test that starts no kernel, notebook, JupyterLab or browser and builds
# no website (marker `unit`, set by conftest.py; the Sphinx builds, a minute of CPU, are marker
# `site` and run in `make test`), the import contracts and docstring examples among them. Without
# --nbval the nbval plugin has nothing to do: not loading it saves each process seconds.
unit: setup grading-deps
	$(BIN)/python -m pytest -n auto $(GROUPS) -p no:nbval -m unit tests

# The quick loop: lint and the unit tests; `make test` runs everything.
check: lint unit

nbval: setup
	$(BIN)/python -m pytest -n auto $(GROUPS) $(NBVAL) notebooks

browser-deps:
	@bash tools/ensure-chromium

# MathJax for the website's equations and @jupyter-widgets/html-manager for its widgets, from the
# npm registry (package-lock.json pins them); the pages load them from the site itself, never
# from a CDN.
NPM_STAMP := node_modules/.installed
$(NPM_STAMP): package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	@touch $@

# Without npm, say so and go on: the website's tests then skip (fail under CI=true).
site-deps:
	@if command -v npm >/dev/null 2>&1; then \
	    $(MAKE) --no-print-directory $(NPM_STAMP); \
	else \
	    echo "npm not found: install Node.js (Debian: apt-get install npm) for the website's MathJax and widgets."; \
	fi

# Sphinx, MyST-NB and sphinx-book-theme (the `site` extra): `make site` and `make test` install them.
SITE_PY := $(VENV)/.site
$(SITE_PY): $(STAMP)
	@if [ -x $(BIN)/uv ]; then \
	    $(UV) pip install --quiet --python $(BIN)/python -e '.[lab,dev,site]'; \
	else \
	    $(BIN)/python -m pip install --quiet -e '.[lab,dev,site]'; \
	fi
	@touch $@

site-python: $(SITE_PY)

# The launch link of each page: SITE_REPOSITORY=https://github.com/OWNER/REPOSITORY (default:
# git's origin on GitHub or GitLab), opened on SITE_BINDERHUB (BinderHub builds the repository's
# environment.yml); SITE_BINDERHUB= for none.
SITE_REPOSITORY ?=
SITE_BRANCH     ?= main
SITE_BINDERHUB  ?= https://mybinder.org
SITE_LINKS := $(if $(SITE_REPOSITORY),--repository $(SITE_REPOSITORY)) --branch $(SITE_BRANCH) \
              --binderhub '$(SITE_BINDERHUB)'

site: setup site-python site-deps
	$(BIN)/python tools/build_site.py --out $(SITE) $(SITE_LINKS)
	@echo "Open $(SITE)/index.html"

site-instructor: setup site-python site-deps
	$(BIN)/python tools/build_site.py --instructor --out $(SITE)-instructor $(SITE_LINKS)
	@echo "Open $(SITE)-instructor/index.html"

# Everything: lint, then every test and every notebook under nbval, on every core. It runs under
# an OpenBLAS kernel that is not this CPU's own (tools/portability.py picks it), so that a saved
# output whose digits depend on the CPU fails here, on any machine.
test: setup grading-deps site-python browser-deps site-deps lint
	OPENBLAS_CORETYPE=$$($(BIN)/python tools/portability.py --other-kernel) \
	    $(BIN)/python -m pytest -n $(WORKERS) $(GROUPS) tests notebooks $(NBVAL)

# Strict nbval of every notebook under each OpenBLAS kernel family, with 1 and 2 threads, and
# under each other supported Python found here (each with its own pinned numpy): a table.
portability: setup
	$(BIN)/python tools/portability.py

execute: setup
	$(BIN)/python tools/execute_notebooks.py notebooks/*.ipynb

student: setup
	$(BIN)/python tools/student_copies.py build --out build/student

demo: setup
	$(LAB) $(DEMO)

wheels:
	$(PYTHON) tools/check_wheels.py

# The benchmark is the package tools/bench/ (one module per section), run as a module with
# tools/ on the path. PyTorch is only compared in the benchmark (never needed by `make test`). Where a local CPU
# wheel sits in /opt/wheels it is installed from that file alone, never from an index (whose
# build pulls in gigabytes of CUDA); its other requirements serve its compiler, not autograd.
TORCH_WHEEL := $(wildcard /opt/wheels/torch-2.13.0*.whl)

bench: setup
ifneq ($(TORCH_WHEEL),)
	@$(BIN)/python -c "import torch" 2>/dev/null || \
	    $(BIN)/python -m pip install --quiet --no-index --find-links /opt/wheels --no-deps torch==2.13.0
endif
	PYTHONPATH=tools$${PYTHONPATH:+:$$PYTHONPATH} $(BIN)/python -m bench

clean:
	rm -rf build .pytest_cache

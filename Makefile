# The single entry point. `make lab` and `make test` are the two commands a newcomer needs;
# both create the isolated environment in .venv first (only when pyproject.toml changed).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
FIRST  := notebooks/00-start-here.ipynb
# JupyterLab refuses to start as root (containers, course VMs) unless told it may.
LAB    := $(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root)
DEMO   := notebooks/instructor-demo.ipynb

.PHONY: help setup lab test lint unit nbval browser-deps execute student demo bench clean

help:
	@echo "make lab      set up .venv and open JupyterLab on $(FIRST)"
	@echo "make test     set up .venv and run every test (lint, unit, notebooks, browser)"
	@echo "make execute  re-run every notebook in a fresh kernel and save it with outputs"
	@echo "make student  write the student copies (solutions removed) to build/student/"
	@echo "make demo     open the instructor's projector notebook in JupyterLab"
	@echo "make bench    measure and write docs/benchmarks.md and docs/benchmarks.png"

$(STAMP): pyproject.toml
	@$(PYTHON) tools/check_python.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[lab,dev]'
	@touch $@

setup: $(STAMP)

lab: setup
	$(LAB) $(FIRST)

lint: setup
	$(BIN)/ruff check nbhelpers tests notebooks tools

unit: setup
	$(BIN)/python -m pytest tests

nbval: setup
	$(BIN)/python -m pytest --nbval --nbval-current-env --nbval-sanitize-with notebooks/sanitize.cfg notebooks

browser-deps:
	@bash tools/ensure-chromium

test: setup browser-deps lint
	$(BIN)/python -m pytest tests notebooks --nbval --nbval-current-env \
	    --nbval-sanitize-with notebooks/sanitize.cfg

execute: setup
	$(BIN)/python tools/execute_notebooks.py notebooks/*.ipynb

student: setup
	$(BIN)/python tools/student_copies.py build --out build/student

demo: setup
	$(LAB) $(DEMO)

# PyTorch is only compared in the benchmark (never needed by `make test`). Where a local CPU
# wheel sits in /opt/wheels it is installed from that file alone, never from an index (whose
# build pulls in gigabytes of CUDA); its other requirements serve its compiler, not autograd.
TORCH_WHEEL := $(wildcard /opt/wheels/torch-2.13.0*.whl)

bench: setup
ifneq ($(TORCH_WHEEL),)
	@$(BIN)/python -c "import torch" 2>/dev/null || \
	    $(BIN)/python -m pip install --quiet --no-index --find-links /opt/wheels --no-deps torch==2.13.0
endif
	$(BIN)/python tools/bench.py

clean:
	rm -rf build .pytest_cache

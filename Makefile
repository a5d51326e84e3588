# d2c — two commands set everything up: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install run test bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: install
	$(BIN)/d2c run scenarios/amatrice-2016.yaml --json out/amatrice-2016.json

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python -m d2c.bench

clean:
	rm -rf $(VENV) out

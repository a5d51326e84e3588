# d2c — two commands set everything up: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# Topologies generated from GeoNames by `d2c topology build` (too large to commit).
TOPOLOGIES := topologies/italy.yaml topologies/lazio.yaml topologies/emilia-romagna.yaml \
              topologies/campania.yaml topologies/stretto-di-messina.yaml topologies/appennino-centrale.yaml

.PHONY: install run test test-all fuzz bench mutation clean topologies tools validation browser

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -e '.[test]'
	mkdir -p out  # the examples write here; d2c itself never creates folders
	touch $(STAMP)

topologies: $(TOPOLOGIES)

topologies/italy.yaml: $(STAMP) $(wildcard d2c/topology/*.py)
	$(BIN)/d2c topology build --country IT --name italy --seed 1 --out $@
# The five regional ones in one process (tools/build_topologies.py: the same bytes as five
# `d2c topology build` commands, for a third of the CPU), beside the national one with -j2.
# The last box is the Central Apennines (Rieti, L'Aquila, Teramo, Ascoli, Norcia): the hindcast's
# mountain analogues.
REGIONAL := $(filter-out topologies/italy.yaml,$(TOPOLOGIES))
$(REGIONAL) &: $(STAMP) $(wildcard d2c/topology/*.py) tools/build_topologies.py
	$(BIN)/python tools/build_topologies.py \
	  "--region Lazio --name lazio --seed 1 --out topologies/lazio.yaml" \
	  "--region Emilia-Romagna --name emilia-romagna --seed 1 --out topologies/emilia-romagna.yaml" \
	  "--region Campania --name campania --seed 1 --out topologies/campania.yaml" \
	  "--bbox 37.75,15.05,38.60,16.20 --name stretto-di-messina --seed 1 --out topologies/stretto-di-messina.yaml" \
	  "--bbox 42.0,12.7,43.1,14.1 --name appennino-centrale --seed 1 --out topologies/appennino-centrale.yaml"

# Every shipped scenario runs after `make run`: the generated topologies are built here too.
run: install topologies
	mkdir -p out
	$(BIN)/d2c run scenarios/amatrice-2016.yaml --json out/amatrice-2016.json

# tshark dissects the captures in the traffic tests; tmux is the real terminal of the drill tests
# (Debian packages, installed as root).
tools:
	@command -v tshark >/dev/null 2>&1 || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tshark >/dev/null; }
	@command -v tmux >/dev/null 2>&1 || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tmux >/dev/null; }

# Debian's chromium renders the HTML reports in the document tests (headless, offline).
browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Tests run on two worker processes (pytest-xdist; TEST_WORKERS=1 for one). Each worker takes a
# group at a time, the costliest first: a test file, so that a module's shared fixtures run once,
# or the groups tests/conftest.py names. The six topologies build two at a time. d2c is compiled
# to bytecode first: the suite starts d2c in dozens of processes, and an environment with
# PYTHONDONTWRITEBYTECODE would otherwise compile it in each.
TEST_WORKERS ?= 2
PYTEST := $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

test: install tools browser
	$(MAKE) -j2 topologies
	$(BIN)/python -m compileall -q d2c
	$(PYTEST)

# Everything, including the slow exhaustive cases (`@pytest.mark.slow`).
test-all: install tools browser
	$(MAKE) -j2 topologies
	$(BIN)/python -m compileall -q d2c
	$(PYTEST) -m 'slow or not slow'

# The hindcast's scores, pasted into docs/VALIDATION.md by the command (never by hand).
validation: install topologies
	mkdir -p out
	$(BIN)/d2c hindcast -q --into docs/VALIDATION.md --json out/hindcast.json --svg docs/hindcast.svg

# Mutation score of each model module against its tests (slow; not part of `make test`): docs/TESTING.md.
mutation: install
	$(BIN)/pip install --quiet -e '.[test,mutation]'
	$(BIN)/python tools/mutation.py

# Hostile input: 10,500 mutated files of every kind (make test runs a fixed-seed 105).
fuzz: install
	D2C_FUZZ_EXAMPLES=1500 $(BIN)/python -m pytest tests/robust/test_fuzz.py -q

bench: install topologies
	$(BIN)/python -m d2c.bench

clean:
	rm -rf $(VENV) out $(TOPOLOGIES)

# Two commands do all the set-up on a fresh clone (Python 3.11+, no conda needed):
#   make pipeline   install into .venv and run the whole pipeline on the synthetic default
#   make test       install into .venv and run the test suite
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: pipeline release montecarlo test test-all test-slurm install benchmark lint clean chromium check-extract

# the libraries' bytecode compiled once at install: Python reads it even where PYTHONDONTWRITEBYTECODE is set,
# so each Snakemake job and Monte Carlo replication does not compile them again (benchmarks/README.md)
$(STAMP): requirements.lock pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip uv
	$(VENV)/bin/uv pip install --quiet --compile-bytecode --python $(PY) -r requirements.lock
	$(VENV)/bin/uv pip install --quiet --python $(PY) --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# check a real delivery against its mapping (the run config's `extract`): make check-extract MAPPING=FILE
check-extract: $(STAMP)
	$(VENV)/bin/evaluation check-extract $(MAPPING)

chromium:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	  (echo "installing Debian's chromium (renders the report to PDF; used by the report test)" && \
	   apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

# CONFIG=FILE: one config for the run instead of config/config.yaml (e.g. a run on real registers)
CONFIG ?=
CONFIGFILE := $(if $(CONFIG),--configfile $(CONFIG),)

pipeline: $(STAMP) chromium
	$(VENV)/bin/snakemake --profile workflow/profiles/default $(CONFIGFILE)
	$(VENV)/bin/snakemake --report results/snakemake_report.html $(CONFIGFILE)

# copy the outputs labelled releasable, each checked, to results/release/ with OUTPUT_CHECKING.md
release: $(STAMP)
	$(VENV)/bin/snakemake release --profile workflow/profiles/default $(CONFIGFILE)

# the Monte Carlo stage at full size (config monte_carlo.replications_full per arm), reusing the replications
# done, then the report with it; PROFILE=workflow/profiles/slurm fans the replications out on a SLURM cluster
PROFILE ?= workflow/profiles/default
montecarlo: $(STAMP) chromium
	$(VENV)/bin/snakemake --profile $(PROFILE) montecarlo_full
	$(VENV)/bin/snakemake --profile workflow/profiles/default

test: $(STAMP) chromium
	$(PY) -m pytest -m "not slow" -q

test-all: $(STAMP)
	$(PY) -m pytest -q

# the Monte Carlo stage through a single-node SLURM cluster on this machine (root: installs slurm-wlm and munge)
test-slurm: $(STAMP)
	$(PY) -m pytest -m slurm -q

benchmark: $(STAMP)
	$(PY) benchmarks/run.py --national

lint: $(STAMP)
	$(VENV)/bin/snakemake --lint

clean:
	rm -rf data/synthetic/*.parquet data/synthetic/*.csv data/synthetic/*.json data/synthetic/counterfactual \
	       data/panel logs .snakemake
	rm -rf results

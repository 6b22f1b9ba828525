# Two commands do all the set-up on a fresh clone (Python 3.11+, no conda needed):
#   make pipeline   install into .venv and run the whole pipeline on the synthetic default
#   make test       install into .venv and run the test suite
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: pipeline release montecarlo test test-all test-slurm install benchmark lint clean chromium

$(STAMP): requirements.lock pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip uv
	$(VENV)/bin/uv pip install --quiet --python $(PY) -r requirements.lock
	$(VENV)/bin/uv pip install --quiet --python $(PY) --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

chromium:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	  (echo "installing Debian's chromium (renders the report to PDF; used by the report test)" && \
	   apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

pipeline: $(STAMP) chromium
	$(VENV)/bin/snakemake --profile workflow/profiles/default
	$(VENV)/bin/snakemake --report results/snakemake_report.html

# copy the outputs labelled releasable, each checked, to results/release/ with OUTPUT_CHECKING.md
release: $(STAMP)
	$(VENV)/bin/snakemake --profile workflow/profiles/default release

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

SPECS = sorted(config.get("specifications", {}))


rule estimate_first:
    """Two-way fixed-effects DiD of yearly hours, cohort design, treated municipality vs all others."""
    input:
        person_year="data/panel/person_year.parquet",
        truth=truth_file,
    output:
        report(
            "results/tables/first_estimate.csv",
            caption="../report/first_estimate.rst",
            category="Estimates",
        ),
    params:
        code=CODE_VERSION,
    log:
        "logs/estimate_first.log",
    conda:
        ENV
    threads: 1
    script:
        "../scripts/estimate_first.py"


rule estimate:
    """One specification (design x comparison x covariates x estimator), every outcome."""
    input:
        person_year="data/panel/person_year.parquet",
        municipality_year=REGISTERS["municipality_year"],
        municipalities=config["municipalities"],
        truth=truth_file,
    output:
        "results/estimates/{spec}.csv",
    params:
        code=CODE_VERSION,
        # a changed specification or estimate setting reruns its rule
        spec=lambda w: config["specifications"][w.spec],
        estimate=config["estimate"],
    wildcard_constraints:
        spec="[A-Za-z][A-Za-z0-9_]*",
    log:
        "logs/estimate/{spec}.log",
    conda:
        ENV
    threads: 1
    script:
        "../scripts/estimate.py"


rule specifications:
    """All specifications in one table: the source of the headline range."""
    input:
        estimates=expand("results/estimates/{spec}.csv", spec=SPECS),
        monte_carlo=monte_carlo_summary,
    output:
        report(
            "results/tables/specifications.csv",
            caption="../report/specifications.rst",
            category="Estimates",
        ),
    params:
        code=CODE_VERSION,
        # what each specification is in words (column what_it_is)
        specifications=config.get("specifications", {}),
        baseline_year=config["panel"]["baseline_year"],
    log:
        "logs/specifications.log",
    conda:
        ENV
    threads: 1
    script:
        "../scripts/specifications.py"


label("results/tables/first_estimate.csv", "estimate_first", "releasable", "evaluation.stages.first_estimate",
      persons=["n_persons"])
for _spec in SPECS:
    label(f"results/estimates/{_spec}.csv", "estimate", "releasable",
          "evaluation.specifications.run_specification", persons=["n_treated_persons"])
label("results/tables/specifications.csv", "specifications", "releasable", "evaluation.stages.collect_specifications",
      persons=["n_treated_persons"])

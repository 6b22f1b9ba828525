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
    log:
        "logs/estimate_first.log",
    conda:
        ENV
    threads: 1
    script:
        "../scripts/estimate_first.py"

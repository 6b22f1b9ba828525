rule report:
    """The self-contained HTML report."""
    input:
        estimate="results/tables/first_estimate.csv",
        calibration="results/tables/calibration.csv",
        sample_flow="results/tables/sample_flow.csv",
        municipality_year="results/panels/municipality_year.csv",
        truth=truth_file,
        specifications="results/tables/specifications.csv",
    output:
        report("results/report.html", caption="../report/report.rst", category="Report"),
        headline=report("results/headline.json", caption="../report/headline.rst", category="Report"),
    log:
        "logs/report.log",
    conda:
        ENV
    threads: 1
    script:
        "../scripts/report.py"

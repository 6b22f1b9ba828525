rule report:
    """The self-contained HTML report."""
    input:
        estimate="results/tables/first_estimate.csv",
        calibration="results/tables/calibration.csv",
        sample_flow="results/tables/sample_flow.csv",
        municipality_year="results/panels/municipality_year.csv",
        group_year="results/panels/group_year.csv",
        truth=truth_file,
        investment=investment_files,
        specifications="results/tables/specifications.csv",
        details="results/details/sc_summary.json",
        balance="results/tables/balance.csv",
    output:
        report("results/report.html", caption="../report/report.rst", category="Report"),
        headline=report("results/headline.json", caption="../report/headline.rst", category="Report"),
    params:
        code=CODE_VERSION,
        headline=config.get("headline", {}),
    log:
        "logs/report.log",
    conda:
        ENV
    threads: 1
    script:
        "../scripts/report.py"


rule details:
    """Aggregate tables behind the synthetic-control and event-study figures."""
    input:
        person_year="data/panel/person_year.parquet",
        municipality_year=REGISTERS["municipality_year"],
    output:
        summary=report("results/details/sc_summary.json", caption="../report/details.rst", category="Estimates"),
        tables=multiext("results/details/", "sc_path.csv", "sc_weights.csv", "sc_placebo_gaps.csv",
                        "sc_placebos.csv", "sc_leave_one_out.csv", "event_study.csv", "cycle_paths.csv",
                        "matched_balance.csv"),
    params:
        code=CODE_VERSION,
        specifications=config.get("specifications", {}),
    log:
        "logs/details.log",
    conda:
        ENV
    threads: 1
    script:
        "../scripts/details.py"


rule report_pdf:
    """The report as PDF (headless Chromium prints the self-contained HTML)."""
    input:
        "results/report.html",
    output:
        report("results/report.pdf", caption="../report/report_pdf.rst", category="Report"),
    params:
        code=CODE_VERSION,
    log:
        "logs/report_pdf.log",
    conda:
        ENV
    threads: 1
    script:
        "../scripts/report_pdf.py"


rule balance:
    """Pre-reform balance of the cohort: treated against comparison municipalities."""
    input:
        person_year="data/panel/person_year.parquet",
    output:
        report("results/tables/balance.csv", caption="../report/balance.rst", category="Panels"),
    params:
        code=CODE_VERSION,
    log:
        "logs/balance.log",
    conda:
        ENV
    threads: 1
    script:
        "../scripts/balance.py"


rule investment:
    """The investment case: effects on weeks per benefit, payments saved against the investment."""
    input:
        person_year="data/panel/person_year.parquet",
        municipality_year=REGISTERS["municipality_year"],
        truth=truth_file,
    output:
        summary=report("results/investment/investment.json", caption="../report/investment.rst", category="Report"),
        tables=expand("results/investment/{t}", t=INVESTMENT_TABLES),
    params:
        code=CODE_VERSION,
    log:
        "logs/investment.log",
    conda:
        ENV
    threads: 1
    script:
        "../scripts/investment.py"

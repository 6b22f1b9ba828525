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
        monte_carlo=monte_carlo_summary,
    output:
        report("results/report.html", caption="../report/report.rst", category="Report"),
        headline=report("results/headline.json", caption="../report/headline.rst", category="Report"),
    params:
        code=CODE_VERSION,
        headline=config.get("headline", {}),
        presentation=config.get("report", {}),
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
                        "matched_balance.csv", "event_study_sensitivity.csv", "event_study_stock.csv",
                        "event_study_stock_sensitivity.csv", "excess_cycle.csv"),
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


_DETAILS = "evaluation.stages.details"
label("results/details/sc_path.csv", "details", "releasable", _DETAILS, persons=["n_persons"])
label("results/details/sc_weights.csv", "details", "releasable", _DETAILS, persons=["n_persons_min"])
label("results/details/sc_placebos.csv", "details", "releasable", _DETAILS, persons=["n_persons_min"])
label("results/details/sc_leave_one_out.csv", "details", "releasable", _DETAILS, persons=["n_persons_min"])
label("results/details/sc_placebo_gaps.csv", "details", "releasable", _DETAILS,
      persons_of_columns={"file": "results/details/sc_placebos.csv", "key": "unit", "count": "n_persons_min"})
label("results/details/event_study.csv", "details", "releasable", _DETAILS, persons=["n_treated_persons"])
label("results/details/event_study_sensitivity.csv", "details", "releasable", _DETAILS,
      persons=["n_treated_persons"])
label("results/details/event_study_stock.csv", "details", "releasable", _DETAILS, persons=["n_treated_persons"])
label("results/details/event_study_stock_sensitivity.csv", "details", "releasable", _DETAILS,
      persons=["n_treated_persons"])
label("results/details/cycle_paths.csv", "details", "releasable", _DETAILS, persons=["n_treated_persons"])
label("results/details/excess_cycle.csv", "details", "releasable", _DETAILS, persons=["n_treated_persons"])
label("results/details/matched_balance.csv", "details", "releasable", _DETAILS, persons=["treated_persons"])
label("results/details/sc_summary.json", "details", "releasable", _DETAILS, kind="json",
      derived_from=["results/details/sc_placebos.csv", "results/details/sc_path.csv"])
label("results/tables/balance.csv", "balance", "releasable", "evaluation.stages.balance", persons=["n_persons"],
      keys=["variable"])
if "investment" in config:
    label("results/investment/investment_by_year.csv", "investment", "releasable", "evaluation.stages.investment",
          persons=["n_persons"], keys=["year"])
    label("results/investment/investment_categories.csv", "investment", "releasable", "evaluation.stages.investment",
          persons=["n_persons"], keys=["category"])
    label("results/investment/investment_weeks.csv", "investment", "releasable", "evaluation.stages.investment",
          persons=["n_persons"], keys=["category", "year"])
    label("results/investment/benefit_rates.csv", "investment", "releasable", "evaluation.stages.investment",
          no_persons="benefit rates from config (published rates with their sources)")
    label("results/investment/investment.json", "investment", "releasable", "evaluation.stages.investment",
          kind="json", derived_from=[f"results/investment/{t}" for t in INVESTMENT_TABLES])
label("results/headline.json", "report", "releasable", "evaluation.report.headline.write_headline", kind="json",
      derived_from=["results/tables/specifications.csv"])
_REPORT_SOURCES = ["results/tables/first_estimate.csv", "results/tables/calibration.csv",
                   "results/tables/sample_flow.csv", "results/panels/municipality_year.csv",
                   "results/panels/group_year.csv", "results/tables/specifications.csv",
                   "results/tables/balance.csv"] + [p for p in OUTPUT_LABELS if p.startswith("results/details/")] \
                  + [p for p in OUTPUT_LABELS if p.startswith("results/investment/")] + truth_file() \
                  + monte_carlo_summary()
label("results/report.html", "report", "releasable", "evaluation.report.document.Report", kind="document",
      derived_from=_REPORT_SOURCES)
label("results/report.pdf", "report_pdf", "releasable", "evaluation.report.render.html_to_pdf", kind="document",
      derived_from=["results/report.html"])

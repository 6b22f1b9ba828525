rule panel:
    """Person-year panel (microdata, kept in data/), sample flow and municipality-year panel (aggregates)."""
    input:
        "results/validation.json",
        **{k: v for k, v in REGISTERS.items()},
    output:
        person_year="data/panel/person_year.parquet",
        sample_flow=report(
            "results/tables/sample_flow.csv", caption="../report/sample_flow.rst", category="Panels"
        ),
        municipality_year=report(
            "results/panels/municipality_year.csv",
            caption="../report/municipality_year.rst",
            category="Panels",
        ),
        group_year=report(
            "results/panels/group_year.csv", caption="../report/group_year.rst", category="Panels"
        ),
    params:
        code=CODE_VERSION,
        panel=config["panel"],
        disclosure=config["disclosure"],
    log:
        "logs/panel.log",
    conda:
        ENV
    threads: 1
    script:
        "../scripts/panel.py"


rule calibration:
    """Group sizes, baseline hours and the business cycle, to compare with the published figures."""
    input:
        person_year="data/panel/person_year.parquet",
        municipality_year=REGISTERS["municipality_year"],
        manifest=manifest_file,
    output:
        report("results/tables/calibration.csv", caption="../report/calibration.rst", category="Panels"),
    params:
        code=CODE_VERSION,
    log:
        "logs/calibration.log",
    conda:
        ENV
    threads: 1
    script:
        "../scripts/calibration.py"


label("data/panel/person_year.parquet", "panel", "microdata", "evaluation.panel.build_person_year")
label("results/tables/sample_flow.csv", "panel", "releasable", "evaluation.panel.build_person_year",
      persons=["persons", "rows", "persons_dropped", "rows_dropped"], keys=["step", "description"])
label("results/panels/municipality_year.csv", "panel", "releasable", "evaluation.panel.municipality_year_panel",
      persons=["n_persons"], keys=["design", "kom", "year"])
label("results/panels/group_year.csv", "panel", "releasable", "evaluation.panel.group_year_panel",
      persons=["n_persons"], keys=["design", "group", "year"])
label("results/tables/calibration.csv", "calibration", "releasable", "evaluation.report.calibration.calibration_table",
      persons=["n_persons", "treated_fp_grants_from_target", "treated_fp_grants_all", "national_stock"], keys=["year"],
      covers={"n_persons": ["treated_stock", "treated_baseline_hours", "treated_share_zero_hours"],
              "treated_fp_grants_from_target": ["treated_fp_grants_from_target"],
              "treated_fp_grants_all": ["treated_fp_grants_all"],
              "national_stock": ["national_stock", "all_baseline_hours"]},
      public=["national_unemployment", "treated_unemployment"])

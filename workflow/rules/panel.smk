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

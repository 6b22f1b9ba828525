NOTEBOOKS = ["01_data_overview", "02_did_event_study", "03_synthetic_control", "04_robustness", "05_reestimate"]


rule notebook:
    """Execute one reviewer notebook with papermill on the results folder and export HTML."""
    input:
        notebook="notebooks/{nb}.py",
        tables=[
            "results/tables/calibration.csv",
            "results/tables/sample_flow.csv",
            "results/tables/specifications.csv",
            "results/headline.json",
            "results/details/sc_summary.json",
            "results/details/cycle_paths.csv",
            "results/details/excess_cycle.csv",
            "results/panels/municipality_year.csv",
        ],
        municipalities=config["municipalities"],
        investment=investment_files,
    output:
        ipynb="results/notebooks/{nb}.ipynb",
        html=report("results/notebooks/{nb}.html", caption="../report/notebook.rst", category="Notebooks"),
    wildcard_constraints:
        nb="[0-9]{2}_[a-z_]+",
    params:
        code=CODE_VERSION,
    log:
        "logs/notebook/{nb}.log",
    conda:
        ENV
    threads: 1
    script:
        "../scripts/run_notebook.py"


for _nb in NOTEBOOKS:
    for _ext in ("ipynb", "html"):
        label(f"results/notebooks/{_nb}.{_ext}", "notebook", "releasable",
              "evaluation.report.notebooks.execute_notebook", kind="document",
              derived_from=[p for p, l in OUTPUT_LABELS.items() if p.startswith("results/")
                            and l["sensitivity"] == "releasable" and l.get("kind", "table") == "table"]
              + ["results/headline.json", "results/details/sc_summary.json"])

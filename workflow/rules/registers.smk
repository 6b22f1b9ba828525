if SYNTHETIC:

    rule simulate:
        """Generate synthetic registers in the real layouts, the counterfactual world and the planted truth."""
        input:
            codes=config["benefit_codes"],
            municipalities=config["municipalities"],
        output:
            **{k: v for k, v in REGISTERS.items()},
            truth=f"{SYN_DIR}/truth.csv",
            manifest=f"{SYN_DIR}/manifest.json",
        params:
            code=CODE_VERSION,
            # a change of the generator's settings (or of the panel definitions the truth uses) reruns it
            synthetic=config.get("synthetic"),
            panel=config["panel"],
        log:
            "logs/simulate.log",
        conda:
            ENV
        threads: 1
        script:
            "../scripts/simulate.py"


if EXTRACT:

    rule ingest:
        """Check a real delivery against its mapping and convert it once to the project's layout (Parquet)."""
        input:
            mapping=EXTRACT,
            delivery=extract_files(EXTRACT),
        output:
            **{k: v for k, v in REGISTERS.items()},
            flow=f"{EXTRACT_DIR}/ingest_flow.csv",
            summary=f"{EXTRACT_DIR}/ingest.json",
        params:
            code=CODE_VERSION,
        log:
            "logs/ingest.log",
        conda:
            ENV
        threads: 1
        script:
            "../scripts/ingest.py"


rule validate_registers:
    """Validate every register file (layout, types, keys, ranges, codes) before anything is built."""
    input:
        **{k: v for k, v in REGISTERS.items()},
        codes=config["benefit_codes"],
        municipalities=config["municipalities"],
    output:
        report(
            "results/validation.json",
            caption="../report/validation.rst",
            category="Registers",
        ),
    params:
        code=CODE_VERSION,
    log:
        "logs/validate_registers.log",
    conda:
        ENV
    threads: 1
    script:
        "../scripts/validate_registers.py"


if SYNTHETIC:
    for _name, _path in REGISTERS.items():
        label(_path, "simulate", "synthetic", "evaluation.synthetic.generate.generate")
    label(f"{SYN_DIR}/truth.csv", "simulate", "synthetic", "evaluation.synthetic.truth.planted_truth")
    label(f"{SYN_DIR}/manifest.json", "simulate", "synthetic", "evaluation.stages.simulate")
elif EXTRACT:
    for _name, _path in REGISTERS.items():
        label(_path, "ingest", "microdata", "evaluation.registers.extract.ingest")
    # rows removed under the checks' policies, per register and check (counts of delivered rows): internal
    label(f"{EXTRACT_DIR}/ingest_flow.csv", "ingest", "internal", "evaluation.registers.extract.ingest")
    label(f"{EXTRACT_DIR}/ingest.json", "ingest", "internal", "evaluation.registers.extract.ingest")
else:
    for _name, _path in REGISTERS.items():
        label(_path, "(delivered register)", "microdata")
# register-level counts of rows and problems, possibly small: for the analyst, not for export
label("results/validation.json", "validate_registers", "internal", "evaluation.registers.validate_registers")

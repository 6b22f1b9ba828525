rule release:
    """Copy the outputs labelled releasable, each checked, to results/release/ with the output-checking log;
    refuses (and releases nothing) if any output fails a check."""
    input:
        [p for p, lab in OUTPUT_LABELS.items() if lab["sensitivity"] == "releasable"],
    output:
        directory("results/release"),
    params:
        code=CODE_VERSION,
        labels=OUTPUT_LABELS,
        disclosure=config["disclosure"],
    log:
        "logs/release.log",
    conda:
        ENV
    threads: 1
    script:
        "../scripts/release.py"

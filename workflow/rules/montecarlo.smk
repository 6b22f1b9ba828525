# The Monte Carlo stage (evaluation.montecarlo): replications of the whole design in small synthetic worlds,
# one job per arm and replication, so that a cluster can fan them out (workflow/profiles/slurm).
# make pipeline runs monte_carlo.replications per arm; make montecarlo runs monte_carlo.replications_full,
# reusing the replications done.  Replications live under the code version that made them (the package
# without evaluation.report, which they do not run): the summary uses the largest run completed with the
# current code.
rule mc_replication:
    """One replication: a small synthetic world, its panels, every replicated specification."""
    input:
        municipalities=config["municipalities"],
        benefit_codes=config["benefit_codes"],
    output:
        rows=f"{MC_DIR}/{{arm}}/{{rep}}.csv",
        paths=f"{MC_DIR}/{{arm}}/{{rep}}.paths.csv",
    params:
        code=MC_CODE_VERSION,
        synthetic=config.get("synthetic", {}),
        specifications=config.get("specifications", {}),
        # the counts of replications do not enter: raising them reuses the replications done; the exposed
        # arms' overrides enter only their own replications
        world=lambda w: {k: MC[k] for k in ("seed", "persons_national", "scale", "specifications")}
        | ({"exposed": MC["exposed"]} if w.arm.startswith("exposed") else {}),
    wildcard_constraints:
        arm=MC_ARM_PATTERN,
        rep=r"\d+",
    log:
        f"logs/montecarlo/{MC_CODE_VERSION}/{{arm}}/{{rep}}.log",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=3000,
        runtime=30,
    script:
        "../scripts/mc_replication.py"


rule monte_carlo:
    """Bias, spread, coverage and rejection per specification and arm, with Monte Carlo standard errors."""
    input:
        rows=mc_replications(MC_REPS),
        paths=mc_replications(MC_REPS, "paths.csv"),
    output:
        summary=report("results/tables/monte_carlo.csv", caption="../report/monte_carlo.rst", category="Estimates"),
        paths=report("results/tables/monte_carlo_paths.csv", caption="../report/monte_carlo_paths.rst",
                     category="Estimates"),
        replications="results/montecarlo/replications.csv",
    params:
        code=MC_CODE_VERSION,
        bands=MC["bands"],
    log:
        "logs/monte_carlo.log",
    conda:
        ENV
    threads: 1
    script:
        "../scripts/mc_summary.py"


rule montecarlo_full:
    """make montecarlo: monte_carlo.replications_full per arm (locally, or through the SLURM profile)."""
    input:
        mc_replications(int(MC["replications_full"])),
        mc_replications(int(MC["replications_full"]), "paths.csv"),
    output:
        touch(f"{MC_DIR}/full_{int(MC['replications_full'])}.done"),
    log:
        "logs/montecarlo_full.log",


label("results/tables/monte_carlo.csv", "monte_carlo", "synthetic", "evaluation.montecarlo.summarise")
label("results/tables/monte_carlo_paths.csv", "monte_carlo", "synthetic", "evaluation.montecarlo.summarise_paths")
label("results/montecarlo/replications.csv", "monte_carlo", "synthetic", "evaluation.montecarlo.run_replication")

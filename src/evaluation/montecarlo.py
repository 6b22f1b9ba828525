"""The design validates itself: Monte Carlo replications of the whole pipeline in small synthetic worlds.

One replication (``run_replication``) generates a small world with a seed of its own, builds its panels and
runs the chosen specifications; arms change the world:

``null``
    the reform has no effect (caseloads, job and small-job multipliers and førtidspension unchanged): the
    planted effect is zero, every threat of the default world stays on; rejections are the test's size;
``effect``
    the default world as configured: rejections are power, coverage of the planted effect;
``contamination``
    the effect, and the comparison municipalities reached by a later national programme
    (``synthetic.contamination``, switched on).
``anticipation``
    the effect, with the job centre hiring ahead of the start from the middle (week 27) of the year before the
    reform year, at its configured ``caseload_anticipation``: the year before the reform is partly treated.
``exposed`` and ``exposed_null``
    the effect, and no effect, in a world where nothing offsets the treated municipality's harder ride on the
    cycle: each reform municipality gets the overrides of ``monte_carlo.exposed`` (by default the comparison
    median's deprivation, 0).  In the default world Hjørring's deprivation (1.8) lowers its target group's gain
    in hours from the boom by about as much as its 1.5-fold cycle elasticity raises it, so a DiD that leaves the
    excess response in can look centred there (benchmarks/README.md, "How hard is the cycle?").

``summarise`` turns the replications into bias, spread, RMSE, coverage of the 95 % interval and rejection
at 5 %, each with its Monte Carlo standard error, and flags a specification whose Monte Carlo shows, beyond
two of its own standard errors, a bias above a quarter of its spread, coverage outside 93-97 % or a size
outside 3-7 % (the bands of config ``monte_carlo.bands``).  A run of at least ``bands.judge_from`` replications
per arm (200, the full run of ``make montecarlo``) is judged on its results as they stand: a rate or bias outside
its band is flagged, as issue 8 asks of the run that decides the headline.  The results are aggregates of synthetic worlds:
no person of any register is in them.
"""

from __future__ import annotations

import copy
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ARMS = ("null", "effect", "contamination", "anticipation", "exposed", "exposed_null")
NULL_ARMS = ("null", "exposed_null")  # no effect planted: rejections are the test's size
# no timings in the files: same config and seed give byte-identical outputs (the log has the seconds)
REPLICATION_COLUMNS = ["arm", "rep", "seed", "specification", "design", "estimate", "conf_low", "conf_high",
                       "p_value", "truth", "n_factors"]
# each replication's effects by year after the reform: the factor model the report shows year by year (with its
# placebo interval) beside the DiD with the local unemployment rate as its only cycle adjustment (point estimate),
# and the planted effect of the year (``paths``)
PATH_COLUMNS = ["arm", "rep", "seed", "design", "specification", "year", "factor_effect", "factor_low",
                "factor_high", "covariate_effect", "truth"]


DEFAULTS = dict(replications=10, replications_full=200, arms=["null", "effect", "exposed_null", "exposed"], seed=100000,
                persons_national=400000, scale=0.1, specifications=[], exposed=dict(deprivation=0.0),
                bands=dict(size=[0.03, 0.07], coverage=[0.93, 0.97], bias_sd=0.25, judge_from=200))


def settings(cfg: dict) -> dict:
    """config ``monte_carlo`` with the schema's defaults filled in."""
    mc = dict(DEFAULTS, **(cfg.get("monte_carlo") or {}))
    mc["bands"] = dict(DEFAULTS["bands"], **((cfg.get("monte_carlo") or {}).get("bands") or {}))
    return mc


def replication_config(cfg: dict, rep: int, arm: str) -> dict:
    """The configuration of one replication: the small world of ``monte_carlo``, its own seed, the arm's
    reform and contamination, yearly hours only."""
    mc = settings(cfg)
    c = with_arm(cfg, arm)
    c["synthetic"]["seed"] = int(mc["seed"]) + int(rep)
    c["synthetic"]["persons_national"] = int(mc["persons_national"])
    c["synthetic"]["scale"] = float(mc["scale"])
    c["estimate"]["outcomes"] = [cfg["headline"].get("outcome", "hours")]
    return c


def with_arm(cfg: dict, arm: str) -> dict:
    """The configuration's synthetic world changed as the arm says, nothing else (seed and size kept): the
    ``null`` arm with the same seed is the factual world's own counterfactual (common random numbers)."""
    if arm not in ARMS:
        raise ValueError(f"monte_carlo: unknown arm {arm!r}; expected one of {list(ARMS)}")
    c = copy.deepcopy(cfg)
    if arm in NULL_ARMS:
        for r in c["synthetic"]["reforms"]:
            r["caseload_after"] = r["caseload_before"]
            r["job_multiplier"] = {k: 1.0 for k in r["job_multiplier"]}
            if r.get("small_job_multiplier"):
                r["small_job_multiplier"] = {k: 1.0 for k in r["small_job_multiplier"]}
            r["fp_multiplier"] = 1.0
            r["anticipation_week"] = None  # no hiring ahead either
    if arm == "anticipation":
        for r in c["synthetic"]["reforms"]:
            r["anticipation_week"] = f"{int(r['start_week'][:4]) - 1}-W27"
    if arm == "contamination":
        c["synthetic"]["contamination"] = dict(c["synthetic"].get("contamination") or {}, enabled=True)
    if arm in ("exposed", "exposed_null"):
        exposed = {k: v for k, v in settings(cfg)["exposed"].items() if v is not None}  # None: keep its own
        ov = c["synthetic"].setdefault("municipality_overrides", {}) or {}
        c["synthetic"]["municipality_overrides"] = ov
        for r in c["synthetic"]["reforms"]:
            key = next((k for k in ov if int(k) == int(r["kom"])), int(r["kom"]))
            ov[key] = dict(ov.get(key) or {}, **exposed)
    return c


def specifications_to_run(cfg: dict) -> dict:
    """The specifications replicated: ``monte_carlo.specifications``, or, when it is empty, the
    headline's preferred specifications and every cycle-adjusted one (what the headline can rest on)."""
    specs = cfg.get("specifications", {})
    names = list(settings(cfg)["specifications"])
    if not names:
        preferred = set((cfg.get("headline") or {}).get("preferred", {}).values())
        names = [n for n, s in specs.items() if s.get("cycle_adjusted") or n in preferred]
    unknown = [n for n in names if n not in specs]
    if unknown:
        raise ValueError(f"monte_carlo.specifications: {unknown} are not specifications in config")
    # the small world's municipalities are smaller than the configured world's by the ratio of persons
    # drawn: a donor minimum in persons shrinks with them (never below the disclosure minimum), so that
    # the replications keep the configured run's donor pool rather than losing most of it
    return {n: small_world_spec(cfg, specs[n]) for n in sorted(names)}


def small_world_spec(cfg: dict, spec: dict) -> dict:
    """``spec`` as the Monte Carlo's small world runs it: a donor minimum in persons shrinks with the ratio of
    persons drawn (never below the disclosure minimum)."""
    ratio = min(1.0, settings(cfg)["persons_national"] / float(cfg["synthetic"]["persons_national"]))
    k = int(cfg["disclosure"]["min_persons"])
    s = dict(spec)
    if "min_donor_persons" in s:
        s["min_donor_persons"] = max(k, int(round(int(s["min_donor_persons"]) * ratio)))
    return s


def run_replication(cfg: dict, rep: int, arm: str, log=None, timings: dict | None = None,
                    paths: list | None = None) -> pd.DataFrame:
    """Generate one small world, build its panel, run the specifications; one row per specification.

    ``timings``, a dict, receives the seconds of each stage (world, panel, truth, then each specification by
    name) for benchmarks/replication.py; the rows never hold a time (same seed, byte-identical output).
    ``paths``, a list, receives the replication's effects by year (``replication_paths``, columns
    ``PATH_COLUMNS``)."""
    from evaluation import stages
    from evaluation.config import read_municipalities
    from evaluation.specifications import run_specification

    c = replication_config(cfg, rep, arm)
    specs = specifications_to_run(cfg)
    rows = []
    with tempfile.TemporaryDirectory(prefix="mc-") as tmp:
        out = Path(tmp)
        c["registers"] = {k: str(out / Path(v).name) for k, v in c["registers"].items()}
        timings = {} if timings is None else timings
        t0 = tick = time.perf_counter()

        def lap(stage: str) -> None:
            nonlocal tick
            now = time.perf_counter()
            timings[stage] = now - tick
            tick = now

        manifest = stages.simulate(c, out, truth=False)
        lap("world")
        stages.panel(c, out / "person_year.parquet", out / "sample_flow.csv", out / "municipality_year.csv")
        lap("panel")
        # the truth from the panel just built: the factual world's panel is not built twice
        stages.planted_truth_stage(c, out, manifest, factual_panel=out / "person_year.parquet")
        lap("truth")
        if log:
            log.info("replication %s/%d: world, panel and truth in %.1f s", arm, rep, time.perf_counter() - t0)
        truth = pd.read_csv(out / "truth.csv")
        mun = read_municipalities(c["municipalities"])
        from evaluation.progress import Progress

        progress = Progress(len(specs), f"replication {arm}/{rep}", log, "specifications")
        for i, (name, spec) in enumerate(specs.items()):
            t1 = time.perf_counter()
            try:
                r = run_specification(name, spec, c, out / "person_year.parquet", c["registers"]["municipality_year"],
                                      mun, truth).iloc[0]
                # n_factors: those cross-validation chose (interactive_fe; empty for the other estimators)
                row = {k: r[k] for k in ["design", "estimate", "conf_low", "conf_high", "p_value", "truth", "n_factors"]}
            except ValueError as e:  # a small world can leave a specification without donors: counted, not hidden
                row = dict(design=spec.get("design"), estimate=np.nan, conf_low=np.nan, conf_high=np.nan,
                           p_value=np.nan, truth=np.nan, n_factors=np.nan)
                if log:
                    log.warning("replication %s/%d, %s: %s", arm, rep, name, e)
            row.update(arm=arm, rep=int(rep), seed=c["synthetic"]["seed"], specification=name)
            lap(name)
            if log:
                progress(i + 1, f"{name} in {time.perf_counter() - t1:.1f} s")
            rows.append(row)
        if paths is not None:
            paths.append(replication_paths(cfg, c, out, mun, truth, arm, rep, log))
            lap("paths")
    return pd.DataFrame(rows, columns=REPLICATION_COLUMNS)


def replication_paths(cfg: dict, c: dict, out: Path, mun: pd.DataFrame, truth: pd.DataFrame, arm: str, rep: int,
                      log=None) -> pd.DataFrame:
    """One replication's effects by year after the reform in each design: the factor model the report shows
    year by year (``stages.cycle_model_name``) with its placebo interval, beside the covariate-only DiD, and the
    year's planted effect; ``specifications.yearly_effects`` as the report's ``cycle_paths.csv`` has them."""
    from evaluation.specifications import yearly_effects
    from evaluation.stages import cycle_model_name

    T = int(c["estimate"]["treated_municipality"])
    outcome = c["estimate"]["outcomes"][0]
    frames = []
    for design in ("stock", "cohort"):
        name = cycle_model_name(cfg, design)
        if name is None:
            continue
        spec = dict(small_world_spec(cfg, cfg["specifications"][name]), name=name)
        try:
            e = yearly_effects(c, out / "person_year.parquet", c["registers"]["municipality_year"], mun, design, spec,
                               outcome)
        except ValueError as err:  # too few donors in a small world: the replication has no path, counted
            if log:
                log.warning("replication %s/%d, path of %s: %s", arm, rep, name, err)
            continue
        t = truth[(truth.kom == T) & (truth.design == design) & (truth.outcome == outcome)]
        e = e.assign(specification=name, truth=e.year.map(t.set_index("year").att))
        frames.append(e)
    if not frames:
        return pd.DataFrame(columns=PATH_COLUMNS)
    p = pd.concat(frames, ignore_index=True).assign(arm=arm, rep=int(rep), seed=c["synthetic"]["seed"])
    return p[PATH_COLUMNS]


def summarise(reps: pd.DataFrame, bands: dict | None = None) -> pd.DataFrame:
    """Per arm and specification: bias, spread, RMSE, coverage and rejection at 5 % with Monte Carlo standard
    errors, and the flag.  An interval that could not be computed counts as not covering (and is counted in
    ``no_interval``); an estimate that could not be computed is counted in ``failed``."""
    bands = dict(DEFAULTS["bands"], **(bands or {}))
    out = []
    for (arm, spec), g in reps.groupby(["arm", "specification"], sort=True):
        ok = g[np.isfinite(g.estimate)]
        R = len(ok)
        err = ok.estimate - ok.truth
        sd = float(ok.estimate.std(ddof=1)) if R > 1 else np.nan
        has_ci = np.isfinite(ok.conf_low) & np.isfinite(ok.conf_high)
        cover = has_ci & (ok.conf_low <= ok.truth) & (ok.truth <= ok.conf_high)
        reject = ok.p_value < 0.05
        cov, rej = (float(cover.mean()), float(reject.mean())) if R else (np.nan, np.nan)
        row = dict(arm=arm, specification=spec, design=g.design.iloc[0], replications=R,
                   failed=int(len(g) - R), no_interval=int((~has_ci).sum()),
                   mean_truth=float(ok.truth.mean()) if R else np.nan,
                   mean_estimate=float(ok.estimate.mean()) if R else np.nan,
                   bias=float(err.mean()) if R else np.nan, bias_se=sd / np.sqrt(R) if R > 1 else np.nan,
                   sd=sd, rmse=float(np.sqrt(np.mean(err**2))) if R else np.nan,
                   coverage=cov, coverage_se=float(np.sqrt(cov * (1 - cov) / R)) if R else np.nan,
                   rejection=rej, rejection_se=float(np.sqrt(rej * (1 - rej) / R)) if R else np.nan)
        row["bias_sd"] = row["bias"] / sd if sd and np.isfinite(sd) and sd > 0 else np.nan
        # the factors cross-validation chose, on average (interactive_fe; replications from before the column: none)
        nf = pd.to_numeric(ok["n_factors"], errors="coerce") if "n_factors" in ok else pd.Series(dtype=float)
        row["mean_factors"] = float(nf.mean()) if nf.notna().any() else np.nan
        row["flag"] = ", ".join(_flags(row, arm, bands))
        out.append(row)
    return pd.DataFrame(out)


def _flags(r: dict, arm: str, bands: dict) -> list[str]:
    """What the Monte Carlo shows outside its bands: beyond two of its own standard errors in a small run (with
    few replications, little), as it stands in a run of at least ``bands["judge_from"]`` replications."""
    if not r["replications"] or r["replications"] < 2:
        return []  # one replication shows nothing beyond its own noise
    f = []
    R = r["replications"]
    # the full run is judged on its results; a small run's noise is allowed two of its standard errors
    k = 0.0 if R >= bands.get("judge_from", DEFAULTS["bands"]["judge_from"]) else 2.0
    eps = 1e-9  # a rate exactly at a band's edge (194 of 200 = 97 %) is inside it
    if np.isfinite(r["bias"]) and abs(r["bias"]) - k * r["bias_se"] > bands["bias_sd"] * r["sd"] + eps:
        f.append(f"bias {r['bias']:.1f} beyond {bands['bias_sd']:g} of its spread")
    lo, hi = bands["coverage"]
    # a binomial standard error that is zero at 0 % or 100 % says nothing: use the band's own at least
    se_c = max(r["coverage_se"], np.sqrt(lo * (1 - lo) / R))
    if r["no_interval"]:  # an interval that cannot be computed is not a coverage failure: say what it is
        f.append(f"no 95 % interval in {r['no_interval']} of {R} replications")
    elif r["coverage"] + k * se_c < lo - eps or r["coverage"] - k * se_c > hi + eps:
        f.append(f"coverage {100 * r['coverage']:.1f} % outside {100 * lo:.0f}-{100 * hi:.0f} %")
    if arm in NULL_ARMS:
        lo, hi = bands["size"]
        se_r = max(r["rejection_se"], np.sqrt(lo * (1 - lo) / R))
        if r["rejection"] - k * se_r > hi + eps or r["rejection"] + k * se_r < lo - eps:
            f.append(f"size {100 * r['rejection']:.1f} % outside {100 * lo:.0f}-{100 * hi:.0f} %")
    return f


def flags_by_specification(summary: pd.DataFrame) -> dict[str, str]:
    """The flags of every arm, per specification (for the specification table and the headline)."""
    out: dict[str, str] = {}
    for spec, g in summary.groupby("specification"):
        parts = [f"{a}: {fl}" for a, fl in zip(g.arm, g.flag) if isinstance(fl, str) and fl]
        # one flag per specification (the table's flags are separated by "; ")
        out[spec] = "Monte Carlo " + " | ".join(parts) if parts else ""
    return out


PATH_MODELS = {"factor": "factor_effect", "covariate": "covariate_effect"}


def _slope(years: np.ndarray, values: np.ndarray) -> float:
    """The least-squares slope of ``values`` on ``years`` (nan with fewer than two finite points)."""
    ok = np.isfinite(values)
    if ok.sum() < 2:
        return np.nan
    x = years[ok] - years[ok].mean()
    return float((x * values[ok]).sum() / (x**2).sum())


def summarise_paths(paths: pd.DataFrame) -> pd.DataFrame:
    """The effects by year over the replications, per arm, design and model (``factor``: the factor-model
    specification with its placebo interval; ``covariate``: DiD with the local unemployment rate only): each
    year's bias with its Monte Carlo standard error, spread and coverage (the factor model's interval), and a
    ``trend`` row, the mean over replications of the least-squares slope of the error on the year (hours per
    year; bias_se its Monte Carlo standard error; mean_truth and mean_estimate the slopes of the planted and the
    estimated path). ``flag`` names a trend in the error beyond two of its standard errors: a path that does not
    track the planted one as the cycle moves."""
    out = []
    cols = ["arm", "design", "specification", "model", "what", "year", "replications", "mean_truth", "mean_estimate",
            "bias", "bias_se", "sd", "coverage", "no_interval", "flag"]
    if paths.empty:
        return pd.DataFrame(columns=cols)
    for (arm, design, spec), g in paths.groupby(["arm", "design", "specification"], sort=True):
        for model, col in PATH_MODELS.items():
            for year, gy in g.groupby("year", sort=True):
                ok = gy[np.isfinite(gy[col]) & np.isfinite(gy.truth)]
                R = len(ok)
                err = ok[col] - ok.truth
                row = dict(arm=arm, design=design, specification=spec, model=model, what="year", year=int(year),
                           replications=R, mean_truth=float(ok.truth.mean()) if R else np.nan,
                           mean_estimate=float(ok[col].mean()) if R else np.nan,
                           bias=float(err.mean()) if R else np.nan,
                           sd=float(ok[col].std(ddof=1)) if R > 1 else np.nan, coverage=np.nan, no_interval=np.nan,
                           flag="")
                row["bias_se"] = row["sd"] / np.sqrt(R) if R > 1 else np.nan
                if model == "factor" and R:
                    has = np.isfinite(ok.factor_low) & np.isfinite(ok.factor_high)
                    row["coverage"] = float((has & (ok.factor_low <= ok.truth) & (ok.truth <= ok.factor_high)).mean())
                    row["no_interval"] = int((~has).sum())
                out.append(row)
            slopes = []
            for _, gr in g.groupby(["rep"], sort=True):
                yrs = gr.year.to_numpy(dtype=float)
                est, tru = gr[col].to_numpy(dtype=float), gr.truth.to_numpy(dtype=float)
                slopes.append((_slope(yrs, est - tru), _slope(yrs, tru), _slope(yrs, est)))
            sl = np.array(slopes, dtype=float).reshape(-1, 3)
            sl = sl[np.isfinite(sl).all(axis=1)]
            R = len(sl)
            sd = float(sl[:, 0].std(ddof=1)) if R > 1 else np.nan
            row = dict(arm=arm, design=design, specification=spec, model=model, what="trend", year=np.nan,
                       replications=R, mean_truth=float(sl[:, 1].mean()) if R else np.nan,
                       mean_estimate=float(sl[:, 2].mean()) if R else np.nan,
                       bias=float(sl[:, 0].mean()) if R else np.nan, bias_se=sd / np.sqrt(R) if R > 1 else np.nan,
                       sd=sd, coverage=np.nan, no_interval=np.nan, flag="")
            if R > 1 and np.isfinite(row["bias_se"]) and abs(row["bias"]) > 2 * row["bias_se"]:
                row["flag"] = (f"the error trends by {row['bias']:+.1f} hours a year "
                               f"(Monte Carlo se {row['bias_se']:.1f})")
            out.append(row)
    res = pd.DataFrame(out, columns=cols)
    res["year"] = res.year.astype("Int64")
    res["no_interval"] = res.no_interval.astype("Int64")
    return res


def collect(paths: list, bands: dict | None, summary_csv, replications_csv, log=None, path_files: list | None = None,
            paths_csv=None) -> pd.DataFrame:
    """Read the replication files, write all replications and their summary (rules ``monte_carlo``); with
    ``path_files`` and ``paths_csv``, the summary of the effects by year too (``summarise_paths``)."""
    reps = pd.concat([pd.read_csv(p, keep_default_na=False, na_values=[""]) for p in paths], ignore_index=True)
    reps = reps.sort_values(["arm", "rep", "specification"], ignore_index=True)
    summary = summarise(reps, bands)
    reps.to_csv(replications_csv, index=False, float_format="%.6f")
    summary.to_csv(summary_csv, index=False, float_format="%.6f")
    if path_files is not None and paths_csv is not None:
        frames = [pd.read_csv(p, keep_default_na=False, na_values=[""]) for p in path_files]
        frames = [f for f in frames if not f.empty]
        pth = (pd.concat(frames, ignore_index=True).sort_values(["arm", "rep", "design", "year"], ignore_index=True)
               if frames else pd.DataFrame(columns=PATH_COLUMNS))
        summarise_paths(pth).to_csv(paths_csv, index=False, float_format="%.6f")
    if log:
        n = reps.groupby("arm").rep.nunique().to_dict()
        log.info("Monte Carlo: replications per arm %s; %d specification(s) flagged", n,
                 int((summary.flag.fillna("") != "").sum()))
    return summary

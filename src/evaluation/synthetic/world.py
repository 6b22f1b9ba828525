"""Municipalities, the business cycle and caseloads of the synthetic registers."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from evaluation.calendar import IsoWeek, parse_iso_week


@dataclass(frozen=True)
class Reform:
    kom: int
    start: IsoWeek
    caseload_before: float
    caseload_after: float
    job_multiplier: dict[int, float]
    small_job_multiplier: dict[int, float]
    fp_multiplier: float
    fp_theta_below: float
    states: tuple[str, ...]
    anticipation: IsoWeek | None = None  # hiring ahead of the formal start: caseloads fall from this week
    caseload_anticipation: float = 55.0

    @property
    def first_exposed_year(self) -> int:
        return self.anticipation.year if self.anticipation is not None else self.start.year

    @classmethod
    def from_config(cls, d: dict) -> "Reform":
        a = parse_iso_week(d["anticipation_week"]) if d.get("anticipation_week") else None
        s = parse_iso_week(d["start_week"])
        if a is not None and (a.year, a.week) >= (s.year, s.week):
            raise ValueError(f"synthetic.reforms: municipality {d['kom']}'s anticipation_week {d['anticipation_week']} "
                             f"is not before its start_week {d['start_week']}")
        return cls(
            kom=int(d["kom"]),
            start=s,
            caseload_before=float(d["caseload_before"]),
            caseload_after=float(d["caseload_after"]),
            job_multiplier={int(k): float(v) for k, v in d["job_multiplier"].items()},
            small_job_multiplier={int(k): float(v) for k, v in d.get("small_job_multiplier", {}).items()},
            fp_multiplier=float(d["fp_multiplier"]),
            fp_theta_below=float(d.get("fp_theta_below", 99.0)),
            states=tuple(d["states"]),
            anticipation=a,
            caseload_anticipation=float(d.get("caseload_anticipation", 55.0)),
        )

    def multiplier(self, table: dict[int, float], year: int) -> float:
        """The multiplier of ``year``; years after the last listed keep the last value."""
        if year < self.start.year:
            return 1.0
        listed = [y for y in table if y <= year]
        return table[max(listed)] if listed else 1.0


@dataclass
class World:
    """Everything about municipalities the person simulation needs."""

    munis: pd.DataFrame  # kom, name, region, population, deprivation, industry, sensitivity, level, theta_mean, propensity
    years: list[int]
    unemployment: np.ndarray  # (n_munis, n_years) measured gross unemployment rate, % (the register's ledighed_pct)
    caseload: np.ndarray  # (n_munis, n_years) caseload per caseworker without any reform
    framework: pd.DataFrame  # kom, AAR, framework-condition variables
    reforms: list[Reform]
    contamination: dict | None
    # (n_munis, n_years) what drives job finding, separations and small jobs, in percentage points of
    # unemployment.  Without the cycle threat it is the measured unemployment itself; with it, each
    # municipality's own elasticity to an accumulated national cycle, its drift and its shocks.
    job_driver: np.ndarray | None = None
    elasticity: np.ndarray | None = None  # (n_munis,) own cycle elasticity of job finding (threat on)
    # (n_munis,) how readily the job centre classifies cash-benefit recipients as activity-ready (selection
    # threat; 1 everywhere when it is off): a factor on the flows into kh_aktivitetsparat, its inverse on the
    # flow back to kh_jobparat
    classification: np.ndarray | None = None
    # an Ashenfelter-style dip: separations are preceded by `weeks` of hours cut by `hours_factor` (dip threat)
    dip: dict | None = None

    def driver(self) -> np.ndarray:
        return self.unemployment if self.job_driver is None else self.job_driver

    def index_of(self, kom: int) -> int:
        return int(np.flatnonzero(self.munis["kom"].to_numpy() == kom)[0])


def build_world(cfg: dict, municipalities: pd.DataFrame, rng: np.random.Generator) -> World:
    syn = cfg["synthetic"]
    years = list(range(syn["first_year"], syn["last_year"] + 1))
    cyc = syn["cycle"]
    national = np.array([float(cyc["national_unemployment"][str(y)]) for y in years])
    m = municipalities.rename(
        columns={"municipality_code": "kom", "municipality_name": "name", "population_2020": "population"}
    )[["kom", "name", "region"]].copy()
    m["population"] = municipalities["population_2020"].to_numpy()
    n = len(m)
    region_codes = pd.factorize(m["region"], sort=True)[0]
    region_effect = np.array([0.0, 0.3, 0.1, -0.1, 0.4])[region_codes % 5]
    deprivation = rng.normal(0, 1, n) + region_effect
    pop = m["population"].to_numpy(dtype=float)
    industry = np.clip(0.15 + 0.06 * rng.normal(0, 1, n) - 0.02 * np.log(pop / 50_000), 0.03, 0.45)
    z_ind = (industry - industry.mean()) / industry.std()
    sensitivity = np.exp(0.22 * z_ind + 0.10 * rng.normal(0, 1, n))
    sensitivity = sensitivity / np.median(sensitivity)
    # a characteristic not given or null is drawn (the schema's defaults fill in null)
    overrides = {int(k): (v or {}) for k, v in (syn.get("municipality_overrides") or {}).items()}
    kom = m["kom"].to_numpy()
    for code, ov in overrides.items():
        i = np.flatnonzero(kom == code)
        if len(i) == 0:
            raise ValueError(f"synthetic.municipality_overrides: municipality {code} is not in the municipality table")
        if ov.get("deprivation") is not None:
            deprivation[i] = ov["deprivation"]
        if ov.get("industry_share") is not None:
            industry[i] = ov["industry_share"]
        if ov.get("cycle_sensitivity") is not None:
            sensitivity[i] = ov["cycle_sensitivity"]
    level = national.mean() + 0.45 * deprivation
    theta_mean = -0.06 * deprivation
    propensity = np.exp(0.15 * deprivation)
    m["deprivation"], m["industry"], m["sensitivity"] = deprivation, industry, sensitivity
    m["level"], m["theta_mean"], m["propensity"] = level, theta_mean, propensity

    # u_mt = level_m + beta_m (U_t - mean U) + AR(1) shock
    shocks = np.zeros((n, len(years)))
    rho, sd = float(cyc["shock_rho"]), float(cyc["shock_sd"])
    shocks[:, 0] = rng.normal(0, sd, n)
    for t in range(1, len(years)):
        shocks[:, t] = rho * shocks[:, t - 1] + rng.normal(0, sd * np.sqrt(1 - rho**2), n)
    unemployment = level[:, None] + sensitivity[:, None] * (national - national.mean())[None, :] + shocks
    unemployment = np.clip(unemployment, 1.0, None)

    threat = syn.get("cycle_threat") or {}
    job_driver = elasticity = None
    if threat.get("enabled"):
        job_driver, elasticity, unemployment = _cycle_threat(threat, national, level, sensitivity, overrides, kom,
                                                             years, syn.get("reforms", []), unemployment,
                                                             np.random.default_rng(rng.integers(2**63)))
        m["elasticity"] = elasticity

    classification = None
    sel = syn.get("selection_threat") or {}
    if sel.get("enabled"):
        classification = _classification(sel, overrides, kom, np.random.default_rng(rng.integers(2**63)))
        m["classification"] = classification

    base_caseload = rng.uniform(62, 74, n)
    caseload = base_caseload[:, None] + rng.normal(0, 2.0, (n, len(years)))
    reforms = [Reform.from_config(r) for r in syn.get("reforms", [])]
    for r in reforms:
        i = np.flatnonzero(kom == r.kom)
        if len(i) == 0:
            raise ValueError(f"synthetic.reforms: municipality {r.kom} is not in the municipality table")
        caseload[i, :] = r.caseload_before + rng.normal(0, 1.0, len(years))

    fw = []
    for t, y in enumerate(years):
        fw.append(
            pd.DataFrame(
                {
                    "KOM": kom,
                    "AAR": y,
                    "andel_ufaglaerte": np.round(0.24 + 0.03 * deprivation - 0.002 * t, 4),
                    "andel_ikke_vestlige": np.round(np.clip(0.05 + 0.015 * deprivation + 0.002 * t, 0.005, None), 4),
                    "andel_industri": np.round(industry, 4),
                    "befolkning": m["population"].to_numpy(),
                }
            )
        )
    contamination = syn.get("contamination") if (syn.get("contamination") or {}).get("enabled") else None
    dip = syn.get("dip_threat") if (syn.get("dip_threat") or {}).get("enabled") else None
    if dip:
        dip = dict(weeks=int(dip.get("weeks", 13)), hours_factor=float(dip.get("hours_factor", 0.6)))
    return World(m, years, unemployment, caseload, pd.concat(fw, ignore_index=True), reforms, contamination,
                 job_driver, elasticity, classification, dip)


def _classification(threat: dict, overrides: dict, kom: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Selection into the target group that differs between municipalities.

    Job centres differ in how readily they classify a cash-benefit recipient as activity-ready: the factor
    c_m (log-normal, spread ``classification_sd``, median 1; overridable) multiplies the flows into
    kh_aktivitetsparat from employment and from kh_jobparat, and divides the flow back to kh_jobparat.  The
    flows into the target group fall with employability, so where c_m is high the group holds more of the
    employable: its composition, and so its path after any baseline year, differs between municipalities in a
    way no municipal covariate records (person histories carry part of it: matching has work to do)."""
    n = len(kom)
    c = np.exp(float(threat.get("classification_sd", 0.3)) * rng.normal(0, 1, n))
    c = c / np.median(c)
    for code, ov in overrides.items():
        if ov.get("classification") is not None:
            c[kom == code] = float(ov["classification"])
    return c


def _cycle_threat(threat: dict, national: np.ndarray, level: np.ndarray, sensitivity: np.ndarray, overrides: dict,
                  kom: np.ndarray, years: list[int], reforms: list[dict], unemployment: np.ndarray,
                  rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The business cycle as no covariate carries it.

    Job finding in municipality m and year t is driven by
        level_m + e_m A_t + drift_m (t - mid) + shock_mt
    with A_t = p A_(t-1) + (1 - p) C_t a distributed lag of the national cycle C_t (so its effect on a
    stock builds up over years), e_m the municipality's own elasticity (around its measured cycle
    sensitivity, with a spread of its own; overridable), drift_m a trend no covariate carries and shock_mt
    independent municipality-year shocks.  The measured ledighed_pct is the contemporaneous series of the
    easy world plus measurement noise, lowered in reform municipalities from the reform on (their target
    group counts in gross unemployment: adjusting for it is partly a bad control)."""
    n, T = len(level), len(years)
    p = float(threat.get("persistence", 0.5))
    C = national - national.mean()
    A = np.empty(T)
    A[0] = C[0]
    for t in range(1, T):
        A[t] = p * A[t - 1] + (1 - p) * C[t]
    elasticity = sensitivity * np.exp(float(threat.get("elasticity_sd", 0.25)) * rng.normal(0, 1, n))
    elasticity = elasticity / np.median(elasticity)
    for code, ov in overrides.items():
        if ov.get("cycle_elasticity") is not None:
            elasticity[kom == code] = float(ov["cycle_elasticity"])
    drift = float(threat.get("drift_sd", 0.05)) * rng.normal(0, 1, n)
    shocks = float(threat.get("shock_sd", 0.1)) * rng.normal(0, 1, (n, T))
    mid = (T - 1) / 2.0
    driver = (level[:, None] + elasticity[:, None] * A[None, :] + drift[:, None] * (np.arange(T)[None, :] - mid)
              + shocks)
    measured = unemployment + float(threat.get("measurement_sd", 0.15)) * rng.normal(0, 1, (n, T))
    lower = float(threat.get("reform_lowers_unemployment", 0.25))
    for r in reforms:
        start = parse_iso_week(r["start_week"])
        i = kom == int(r["kom"])
        for t, y in enumerate(years):
            if y > start.year:
                measured[i, t] -= lower
            elif y == start.year:
                measured[i, t] -= lower * (53 - start.week) / 52.0
    return driver, elasticity, np.clip(measured, 1.0, None)

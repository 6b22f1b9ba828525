"""Persons and their weekly labour-market paths (one chunk at a time).

Every person in a reform municipality is simulated twice with the same random
draws (common random numbers): once with the reform (the factual world, written to
the registers) and once without (the counterfactual world, used for the truth).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from evaluation.calendar import IsoWeek
from evaluation.synthetic import params as P
from evaluation.synthetic.world import World


@dataclass
class Persons:
    birth: np.ndarray
    sex: np.ndarray  # 1 man, 2 woman
    edu: np.ndarray  # 1 basic, 2 vocational, 3 higher
    origin: np.ndarray  # 1 Danish, 2 Western, 3 non-Western
    theta: np.ndarray  # latent employability
    muni: np.ndarray  # (n, n_years) municipality index on 1 January
    arrival: np.ndarray  # year of immigration (0: resident from the start)
    emigration: np.ndarray  # year of emigration (9999: never)

    def __len__(self) -> int:
        return len(self.theta)


def _move_paths(rng, start, n_years, world: World, allowed: np.ndarray) -> np.ndarray:
    """Residence paths: with probability MOVE_RATE a year, a move on 1 January, to the
    same region with probability MOVE_SAME_REGION, weighted by population."""
    n = len(start)
    path = np.empty((n, n_years), dtype=np.int16)
    path[:, 0] = start
    pop = world.munis["population"].to_numpy(dtype=float) * allowed
    region = world.munis["region"].to_numpy()
    regions = np.unique(region)
    region_idx = np.searchsorted(regions, region)
    cdf_all = np.cumsum(pop / pop.sum())
    cdf_region = {}
    for r in range(len(regions)):
        w = np.where(region_idx == r, pop, 0.0)
        cdf_region[r] = np.cumsum(w / w.sum()) if w.sum() > 0 else cdf_all
    for t in range(1, n_years):
        cur = path[:, t - 1].copy()
        moves = rng.random(n) < P.MOVE_RATE
        same = rng.random(n) < P.MOVE_SAME_REGION
        u = rng.random(n)
        dest = np.searchsorted(cdf_all, u, side="right").clip(max=len(pop) - 1)
        for r in range(len(regions)):
            sel = moves & same & (region_idx[cur] == r)
            dest[sel] = np.searchsorted(cdf_region[r], u[sel], side="right").clip(max=len(pop) - 1)
        stay = dest == cur
        path[:, t] = np.where(moves & ~stay, dest, cur)
    return path


def draw_persons(rng, n: int, world: World, stratum: str, full_scale: np.ndarray) -> Persons:
    """Draw ``n`` persons of one sampling stratum.

    stratum 'donor': persons who never live in a full-scale municipality (sampled at
    ``scale``); 'full': persons who live in a full-scale municipality in at least one
    year (sampled completely): mostly residents from the start, plus in-movers."""
    n_years = len(world.years)
    pop_w = world.munis["population"].to_numpy(dtype=float) * world.munis["propensity"].to_numpy()
    if stratum == "donor":
        allowed = (~full_scale).astype(float)
        w = pop_w * allowed
        start = rng.choice(len(w), size=n, p=w / w.sum())
        muni = _move_paths(rng, start, n_years, world, allowed)
    else:
        allowed = np.ones(len(pop_w))
        w_full = pop_w * full_scale
        # in-movers balance out-movers: each year about MOVE_RATE of residents move out
        n_in = int(round(n * P.MOVE_RATE * (n_years - 1) / (1 + P.MOVE_RATE * (n_years - 1))))
        n_res = n - n_in
        start = np.empty(n, dtype=np.int64)
        start[:n_res] = rng.choice(len(w_full), size=n_res, p=w_full / w_full.sum())
        w_out = pop_w * (~full_scale)
        start[n_res:] = rng.choice(len(w_out), size=n_in, p=w_out / w_out.sum())
        muni = _move_paths(rng, start, n_years, world, allowed)
        # in-movers: arrive in a full-scale municipality in a year after the first
        arrive = rng.integers(1, n_years, size=n_in)
        dest = rng.choice(len(w_full), size=n_in, p=w_full / w_full.sum())
        later = _move_paths(rng, dest, n_years, world, allowed)
        for k in range(n_in):
            a = arrive[k]
            muni[n_res + k, :a] = start[n_res + k]
            muni[n_res + k, a:] = later[k, : n_years - a]
    theta_mean = world.munis["theta_mean"].to_numpy()[muni[:, 0]]
    edu = rng.choice([1, 2, 3], size=n, p=[0.35, 0.40, 0.25])
    origin = rng.choice([1, 2, 3], size=n, p=[0.82, 0.05, 0.13])
    theta = theta_mean + 0.35 * (edu - 2) - 0.25 * (origin == 3) + rng.normal(0, 1, n)
    birth = rng.integers(P.BIRTH_YEARS[0], P.BIRTH_YEARS[1] + 1, size=n)
    sex = rng.integers(1, 3, size=n)
    first, last = world.years[0], world.years[-1]
    arrival = np.zeros(n, dtype=np.int64)
    imm = (origin == 3) & (rng.random(n) < P.IMMIGRANT_SHARE / 0.13 * 0.5)
    arrival[imm] = rng.integers(first + 1, last + 1, size=imm.sum())
    emig = np.full(n, 9999, dtype=np.int64)
    years_rel = rng.geometric(P.EMIGRATION_RATE, size=n)
    emig = np.where(first + years_rel <= last, first + years_rel, 9999)
    emig = np.where(emig <= arrival, 9999, emig)
    return Persons(birth, sex, edu, origin, theta, muni.astype(np.int16), arrival, emig)


@dataclass
class ChunkPaths:
    rows_person: np.ndarray  # (R,) index into the chunk's persons
    factual: np.ndarray  # (R,) True for factual rows
    state: np.ndarray  # (R, W) weekly state, int8
    hours: np.ndarray  # (R, W) weekly paid hours, float32


SEP_AKT = int(np.flatnonzero(P.SEP_DEST == P.S["kh_aktivitetsparat"])[0])


def _logistic(x):
    return 1.0 / (1.0 + np.exp(-x))


def simulate_paths(rng, persons: Persons, world: World, weeks: list[IsoWeek]) -> ChunkPaths:
    """Simulate weekly states and hours over ``weeks`` (after a burn-in)."""
    n = len(persons)
    years = world.years
    first, last = years[0], years[-1]
    kom = world.munis["kom"].to_numpy()
    reform_of = {world.index_of(r.kom): r for r in world.reforms}
    reform_idx = np.array(sorted(reform_of), dtype=np.int64)

    # exposure: persons who live in a reform municipality in or after its start year (or its anticipation)
    exposed = np.zeros(n, dtype=bool)
    for i, r in reform_of.items():
        cols = [t for t, y in enumerate(years) if y >= r.first_exposed_year]
        exposed |= (persons.muni[:, cols] == i).any(axis=1)
    src = np.concatenate([np.arange(n), np.flatnonzero(exposed)])
    factual = np.concatenate([np.ones(n, bool), np.zeros(exposed.sum(), bool)])
    R = len(src)
    theta = persons.theta[src]
    birth = persons.birth[src]
    arrival = persons.arrival[src]
    emig = persons.emigration[src]
    muni_path = persons.muni[src]

    # state at the start of the burn-in
    age0 = first - birth
    state = np.full(R, P.S["out"], dtype=np.int8)
    u = rng.random(n)[src]
    p_emp = _logistic(0.6 + 1.2 * theta)
    state[u < p_emp] = P.S["emp"]
    low = (u >= p_emp) & (u < p_emp + (1 - p_emp) * 0.4)
    state[low & (theta < -0.8)] = P.S["kh_aktivitetsparat"]
    state[low & (theta >= -0.8)] = P.S["kh_jobparat"]
    state[age0 < P.AGE_MIN] = P.S["young"]
    state[age0 > P.AGE_MAX] = P.S["retired"]
    state[arrival > 0] = P.S["abroad"]
    job_hours = np.where(rng.random(n)[src] < _logistic(P.FT_A + P.FT_B * theta), P.FULL_TIME_HOURS,
                         rng.uniform(*P.PART_TIME_HOURS, n)[src]).astype(np.float32)
    fleks_hours = rng.uniform(*P.FLEKSJOB_HOURS, n)[src].astype(np.float32)

    driver = world.driver()
    classify = world.classification
    # the dip threat: weeks of notice (reduced hours) left before a separation takes effect
    notice = np.zeros(R, dtype=np.int16) if world.dip else None
    cdf_other = np.cumsum(P.OTHER_DEST, axis=1)
    cas_mask = np.zeros(P.N_ACTIVE, bool)
    cas_mask[P.CASELOAD_STATES] = True
    n_burn = P.BURN_IN_WEEKS
    W = len(weeks)
    # week-major while simulating (each week's write is contiguous); returned transposed, persons x weeks
    out_state = np.empty((W, R), dtype=np.int8)
    out_hours = np.zeros((W, R), dtype=np.float32)
    # the week's six uniforms per person: the same stream as rng.random((6, n)) (drawn row by row into a
    # buffer), the rows of the persons simulated twice (factual and counterfactual) copied after them
    U = np.empty((6, R))
    twice = src[n:]
    contam = world.contamination
    contam_start = None
    if contam:
        from evaluation.calendar import parse_iso_week

        contam_start = parse_iso_week(contam["start_week"])

    for k in range(-n_burn, W):
        wk = weeks[max(k, 0)]
        y = min(max(wk.year, first), last)
        t = y - first
        mi = muni_path[:, t]
        age = y - birth
        # demography on the first week of a year (and throughout the burn-in)
        if k < 0 or wk.week == 1:
            state[(state == P.S["abroad"]) & (arrival > 0) & (arrival <= y) & (emig > y)] = P.S["integrationsydelse"]
            grow = (state == P.S["young"]) & (age >= P.AGE_MIN)
            if grow.any():
                g = rng.random(n)[src][grow]
                state[grow] = np.select([g < 0.5, g < 0.7, g < 0.9], [P.S["su"], P.S["emp"], P.S["out"]], P.S["uddannelseshjaelp"])
            state[(state < P.N_ACTIVE) & (age > P.AGE_MAX)] = P.S["retired"]
            state[emig <= y] = P.S["abroad"]
        for j in range(6):
            rng.random(out=U[j, :n])
        U[:, n:] = U[:, twice]
        active = state < P.N_ACTIVE
        s = np.where(active, state, 0).astype(np.int64)
        u_loc = driver[mi, t]
        cyc_job = np.exp(-P.CYCLE_JOB * (u_loc - 5.0))

        # reform and caseload
        caseload = world.caseload[mi, t].copy()
        job_mult = np.ones(R)
        small_mult = np.ones(R)
        fp_mult = np.ones(R)
        if len(reform_idx):
            for i, r in reform_of.items():
                started = (wk.year, wk.week) >= (r.start.year, r.start.week)
                # hiring ahead of the start: lower caseloads and the start year's job multipliers (the new
                # caseworkers do the reform's work), no change to førtidspension grants yet
                ahead = (not started and r.anticipation is not None
                         and (wk.year, wk.week) >= (r.anticipation.year, r.anticipation.week))
                on = factual & (mi == i) & (started or ahead) & (k >= 0)
                if on.any():
                    # a shift of the municipality's own caseload path: with caseload_after equal to
                    # caseload_before (the Monte Carlo's null arm) the factual world is the counterfactual one
                    caseload[on] += (r.caseload_after if started else r.caseload_anticipation) - r.caseload_before
                    year = wk.year if started else r.start.year
                    targeted = on & np.isin(s, [P.S[x] for x in r.states])
                    job_mult[targeted] = r.multiplier(r.job_multiplier, year)
                    small_mult[targeted] = r.multiplier(r.small_job_multiplier, year) if r.small_job_multiplier else 1.0
                    if started:
                        fp_mult[on & (s == P.S["kh_aktivitetsparat"]) & (theta < r.fp_theta_below)] = r.fp_multiplier
        if contam_start is not None and k >= 0 and (wk.year, wk.week) >= (contam_start.year, contam_start.week):
            donor = ~np.isin(mi, reform_idx)
            targeted = donor & np.isin(s, [P.S[x] for x in contam.get("states", ["kh_aktivitetsparat"])])
            job_mult[targeted] *= float(contam["job_multiplier"])

        # hours this week, from the state at its start
        small_p = P.SMALL_P[s] * np.exp(P.SMALL_THETA * theta - P.CYCLE_SMALL * (u_loc - 5.0)) * small_mult
        small = active & (U[2] < small_p)
        hours = np.where(small, P.SMALL_HOURS[0] + U[3] * (P.SMALL_HOURS[1] - P.SMALL_HOURS[0]), 0.0)
        hours = np.where(state == P.S["emp"], job_hours, hours)
        if notice is not None:
            notice[state != P.S["emp"]] = 0  # left employment otherwise (retired, emigrated): no notice pending
            hours = np.where(notice > 0, hours * world.dip["hours_factor"], hours)
        hours = np.where(state == P.S["fleksjob"], fleks_hours, hours)

        # transitions
        h_job = P.JOB_BASE[s] * np.exp(P.JOB_THETA[s] * theta) * cyc_job * job_mult
        h_job = h_job * np.where(cas_mask[s], np.exp(-P.CASELOAD_JOB * (caseload - 60.0) / 10.0), 1.0)
        h_fp = P.FP_BASE[s] * np.exp(-P.FP_THETA * theta + P.FP_AGE * (age - 45)) * fp_mult
        h_oth = P.OTHER_BASE[s]
        h_tot = np.minimum(h_job + h_fp + h_oth, 0.9)
        new = state.copy()
        nonemp = active & (s != P.S["emp"])
        to_job = nonemp & (U[0] < h_job)
        to_fp = nonemp & ~to_job & (U[0] < h_job + h_fp)
        to_oth = nonemp & ~to_job & ~to_fp & (U[0] < h_tot)
        if to_oth.any():
            if classify is None:
                dest = (U[1][to_oth, None] > cdf_other[s[to_oth]]).sum(axis=1)
            else:  # the municipality's classification moves flows into and out of the target group
                rows = P.OTHER_DEST[s[to_oth]].copy()
                c = classify[mi[to_oth]]
                jp, ak = s[to_oth] == P.S["kh_jobparat"], s[to_oth] == P.S["kh_aktivitetsparat"]
                rows[jp, P.S["kh_aktivitetsparat"]] *= c[jp]
                rows[ak, P.S["kh_jobparat"]] /= c[ak]
                rows /= rows.sum(axis=1, keepdims=True)
                dest = (U[1][to_oth, None] > np.cumsum(rows, axis=1)).sum(axis=1)
            new[to_oth] = np.minimum(dest, P.N_ACTIVE - 1)
        new[to_fp] = P.S["foertidspension"]
        new[to_job] = P.S["emp"]
        if to_job.any():
            ft = U[4][to_job] < _logistic(P.FT_A + P.FT_B * theta[to_job])
            job_hours[to_job] = np.where(ft, P.FULL_TIME_HOURS,
                                         P.PART_TIME_HOURS[0] + U[5][to_job] * (P.PART_TIME_HOURS[1] - P.PART_TIME_HOURS[0]))
        emp = active & (s == P.S["emp"])
        h_sep = P.SEP_BASE * np.exp(-P.SEP_THETA * theta + P.CYCLE_SEP * (u_loc - 5.0))
        sep = emp & (U[0] < h_sep)
        if notice is not None:  # a separation drawn now takes effect after its weeks of notice
            due = emp & (notice == 1)
            notice[notice > 1] -= 1
            notice[due] = 0
            notice[sep & (notice == 0) & ~due] = world.dip["weeks"]
            sep = due
        if sep.any():
            th = theta[sep][:, None]
            w = np.exp(P.SEP_A[None, :] + P.SEP_B[None, :] * th)
            if classify is not None:
                w[:, SEP_AKT] *= classify[mi[sep]]
            w[:, -1] *= (age[sep] < 30)
            cdf = np.cumsum(w / w.sum(axis=1, keepdims=True), axis=1)
            pick = (U[1][sep, None] > cdf).sum(axis=1).clip(max=len(P.SEP_DEST) - 1)
            new[sep] = P.SEP_DEST[pick]
        # uddannelseshjælp is for those under 30
        new[(new == P.S["uddannelseshjaelp"]) & (age >= 30)] = P.S["kh_jobparat"]
        new[(new == P.S["su"]) & (age >= 35)] = P.S["out"]
        if k >= 0:
            out_state[k] = state
            out_hours[k] = hours
        state = new
    return ChunkPaths(src, factual, out_state.T, out_hours.T)

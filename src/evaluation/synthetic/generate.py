"""Write the synthetic registers in the real registers' layouts, chunk by chunk.

Files written to ``out_dir`` (layouts in evaluation.registers.layouts):

- dream.<fmt>               DREAM wide: PNR, y_YYWW ... (benefit code, empty = none)
- eindkomst.<fmt>           PNR, MAANED (YYYYMM), CVRNR, AJO_INDBERETTEDE_LOENTIMER
- residence.<fmt>           PNR, AAR, KOM (municipality on 1 January)
- persons.<fmt>             PNR, FOED_AAR, KOEN, UDD, HERKOMST
- municipality_year.<fmt>   KOM, AAR, ledighed_pct, sager_pr_sagsbehandler, framework conditions
- counterfactual/           DREAM and eIndkomst of the reform municipalities' persons without the reform
- truth.csv                 the planted effects (year x design x outcome), see evaluation.synthetic.truth
- manifest.json             counts and the seed
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from scipy import sparse

from evaluation.calendar import IsoWeek, iso_weeks, month_keys, week_to_month_matrix
from evaluation.progress import Progress
from evaluation.registers.codes import read_code_table
from evaluation.synthetic import params as P
from evaluation.synthetic.simulate import draw_persons, simulate_paths
from evaluation.synthetic.world import build_world

log = logging.getLogger(__name__)
PNR_BASE = 1_000_000_000


class TableSink:
    """Appends pyarrow tables to one Parquet or CSV file (deterministic bytes)."""

    def __init__(self, path: Path, fmt: str):
        self.path, self.fmt, self.writer = path, fmt, None

    def write(self, table: pa.Table) -> None:
        if self.fmt == "parquet":
            if self.writer is None:
                self.writer = pq.ParquetWriter(self.path, table.schema, compression="zstd")
            self.writer.write_table(table)
        else:
            if self.writer is None:
                self.writer = pacsv.CSVWriter(str(self.path), table.schema)
            self.writer.write_table(table)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


def simulation_weeks(first: int, last: int) -> list[IsoWeek]:
    """ISO weeks covering every day from 1 January ``first`` to 31 December ``last``."""
    start = dt.date(first, 1, 1) - dt.timedelta(days=dt.date(first, 1, 1).weekday())
    end = dt.date(last, 12, 31)
    out, d = [], start
    while d <= end:
        c = d.isocalendar()
        out.append(IsoWeek(c.year, c.week))
        d += dt.timedelta(days=7)
    return out


def _code_lookup(codes: pd.DataFrame) -> list[list[int]]:
    """state index -> the codes of its category (empty for states without a benefit)."""
    out = []
    for name in P.STATES:
        cs = codes.loc[codes["category"] == name, "code"].astype(int).tolist()
        out.append(cs)
    missing = [P.STATES[s] for s in P.BENEFIT_STATES if not out[s]]
    if missing:
        raise ValueError(f"benefit code table has no code for categories {missing}")
    return out


def _monthly_hours(hours: np.ndarray, M: sparse.coo_array) -> np.ndarray:
    """Weekly hours (persons x weeks) spread over months by the week-to-month day fractions ``M`` (weeks x
    months, one or two months per week): persons x months, the same sums as ``hours @ M`` in float64 without
    the dense product over the zeros."""
    weekly = hours.T  # weeks x persons, each week's row contiguous as the simulation writes it
    out = np.zeros((M.shape[1], hours.shape[0]))
    for w, m, f in zip(M.row, M.col, M.data):
        out[m] += f * weekly[w].astype(np.float64)
    return out.T


def _dream_table(pnr, weekly_states, code_choice, lookup, week_cols) -> pa.Table:
    """DREAM's wide layout from the weekly states (weeks x persons): one code column per week, null without
    a benefit."""
    code_of = np.zeros((len(P.STATES), 2), dtype=np.int16)
    for s, cs in enumerate(lookup):
        if cs:
            code_of[s, 0] = cs[0]
            code_of[s, 1] = cs[1] if len(cs) > 1 else cs[0]
    codes = code_of[weekly_states.astype(np.int64), code_choice[None, :]]  # each week's codes contiguous
    cols = {"PNR": pa.array(pnr, pa.int64())}
    for j, name in enumerate(week_cols):
        c = codes[j]
        cols[name] = pa.array(c, pa.int16(), mask=(c == 0))
    return pa.table(cols)


def _eindkomst_table(pnr, monthly, months, split_u) -> pa.Table:
    r, j = np.nonzero(monthly > 0)
    h = monthly[r, j]
    split = split_u[r, j] < 0.05  # five per cent of person-months have two employers
    h1 = np.where(split, np.round(h * 0.6, 2), h)
    h2 = np.round(h - h1, 2)
    pn = np.concatenate([pnr[r], pnr[r][split]])
    mo = np.concatenate([np.asarray(months)[j], np.asarray(months)[j][split]])
    cvr = np.concatenate([10_000_000 + (pnr[r] % 89_999_989), 10_000_001 + (pnr[r][split] % 89_999_989)])
    hh = np.concatenate([h1, h2[split]])
    if (np.diff(pnr) > 0).all():
        # persons (rows) in ascending PNR, months in order (np.nonzero's row-major order): each second
        # employer's row goes right after its first, which is the lexicographic order by PNR, month, CVR
        before = np.cumsum(split) - split
        order = np.empty(len(pn), dtype=np.int64)
        first_pos = np.arange(len(r)) + before
        order[first_pos] = np.arange(len(r))
        order[first_pos[split] + 1] = len(r) + np.arange(int(split.sum()))
    else:
        order = np.lexsort((cvr, mo, pn))
    return pa.table(
        {
            "PNR": pa.array(pn[order], pa.int64()),
            "MAANED": pa.array(mo[order], pa.int32()),
            "CVRNR": pa.array(cvr[order], pa.int64()),
            "AJO_INDBERETTEDE_LOENTIMER": pa.array(np.round(hh[order], 2), pa.float64()),
        }
    )


def generate(cfg: dict, municipalities: pd.DataFrame, codes: pd.DataFrame, out_dir: Path) -> dict:
    """Generate all synthetic registers for ``cfg`` into ``out_dir``; returns the manifest."""
    syn = cfg["synthetic"]
    fmt = syn.get("format", "parquet")
    out_dir = Path(out_dir)
    (out_dir / "counterfactual").mkdir(parents=True, exist_ok=True)
    seed = int(syn["seed"])
    world = build_world(cfg, municipalities, np.random.default_rng(np.random.SeedSequence([seed, 0])))
    first, last = world.years[0], world.years[-1]
    weeks_sim = simulation_weeks(first, last)
    out_weeks = iso_weeks(first, last)
    pos = {(w.year, w.week): i for i, w in enumerate(weeks_sim)}
    out_idx = np.array([pos[(w.year, w.week)] for w in out_weeks])
    week_cols = [w.column for w in out_weeks]
    months = month_keys(first, last)
    M = sparse.coo_array(week_to_month_matrix(weeks_sim, months))
    lookup = _code_lookup(codes)

    kom = world.munis["kom"].to_numpy()
    full_scale = np.isin(kom, [int(k) for k in syn.get("full_scale_municipalities", [])])
    weight = world.munis["population"].to_numpy(float) * world.munis["propensity"].to_numpy()
    share_full = weight[full_scale].sum() / weight.sum()
    n_full = int(round(syn["persons_national"] * share_full))
    n_donor = int(round(syn["persons_national"] * (1 - share_full) * float(syn["scale"])))
    chunk = int(syn["chunk_size"])

    sinks = {
        name: TableSink(out_dir / f"{name}.{fmt}", fmt)
        for name in ["dream", "eindkomst", "residence", "persons"]
    }
    cf_sinks = {name: TableSink(out_dir / "counterfactual" / f"{name}.{fmt}", fmt) for name in ["dream", "eindkomst"]}
    counts = {"persons_drawn": 0, "persons_written": 0, "persons_never_on_benefit": 0, "counterfactual_persons": 0}
    next_pnr = PNR_BASE
    plan = []
    for stratum_id, (stratum, n_total) in enumerate([("full", n_full), ("donor", n_donor)]):
        for c, start in enumerate(range(0, n_total, chunk)):
            plan.append((stratum_id, stratum, c, min(chunk, n_total - start)))
    progress = Progress(sum(p[3] for p in plan), "generation", log, "persons")
    drawn = 0
    for stratum_id, stratum, c, n in plan:
        rng = np.random.default_rng(np.random.SeedSequence([seed, 1 + stratum_id, c]))
        persons = draw_persons(rng, n, world, stratum, full_scale)
        paths = simulate_paths(rng, persons, world, weeks_sim)
        pnr_all = next_pnr + np.arange(n, dtype=np.int64)
        next_pnr += n
        fact = paths.factual
        weekly_states = paths.state.T[out_idx]  # weeks x rows: each week's states contiguous
        on_benefit = ((weekly_states >= 2) & (weekly_states < P.N_ACTIVE)).any(axis=0)
        keep_person = on_benefit[fact]
        counts["persons_drawn"] += n
        counts["persons_never_on_benefit"] += int((~keep_person).sum())
        code_choice = (rng.random(n) < 0.3).astype(np.int64)
        split_u = rng.random((n, len(months)))
        monthly = np.round(_monthly_hours(paths.hours, M), 2)
        kept = np.flatnonzero(keep_person)
        counts["persons_written"] += len(kept)
        pnr = pnr_all[kept]
        sinks["dream"].write(_dream_table(pnr, weekly_states[:, kept], code_choice[kept], lookup, week_cols))
        sinks["eindkomst"].write(_eindkomst_table(pnr, monthly[:n][kept], months, split_u[kept]))
        # residence on 1 January, for the years a person lives in Denmark
        yrs = np.array(world.years)
        present = ((persons.arrival[kept, None] <= yrs[None, :]) | (persons.arrival[kept, None] == 0)) & (
            persons.emigration[kept, None] > yrs[None, :]
        )
        rr, tt = np.nonzero(present)
        sinks["residence"].write(
            pa.table(
                {
                    "PNR": pa.array(pnr[rr], pa.int64()),
                    "AAR": pa.array(yrs[tt], pa.int16()),
                    "KOM": pa.array(kom[persons.muni[kept][rr, tt]], pa.int16()),
                }
            )
        )
        sinks["persons"].write(
            pa.table(
                {
                    "PNR": pa.array(pnr, pa.int64()),
                    "FOED_AAR": pa.array(persons.birth[kept], pa.int16()),
                    "KOEN": pa.array(persons.sex[kept], pa.int8()),
                    "UDD": pa.array(persons.edu[kept], pa.int8()),
                    "HERKOMST": pa.array(persons.origin[kept], pa.int8()),
                }
            )
        )
        # counterfactual rows of kept persons
        cf_rows = np.flatnonzero(~fact)
        cf_person = paths.rows_person[cf_rows]
        sel = keep_person[cf_person]
        cf_rows, cf_person = cf_rows[sel], cf_person[sel]
        counts["counterfactual_persons"] += len(cf_rows)
        if len(cf_rows):
            cf_dream = _dream_table(pnr_all[cf_person], weekly_states[:, cf_rows], code_choice[cf_person], lookup,
                                    week_cols)
            cf_sinks["dream"].write(cf_dream)
            cf_sinks["eindkomst"].write(_eindkomst_table(pnr_all[cf_person], monthly[cf_rows], months, split_u[cf_person]))
        drawn += n
        progress(drawn, f"chunk {stratum}/{c}: {n} persons drawn, {len(kept)} written")
    for s in list(sinks.values()) + list(cf_sinks.values()):
        s.close()
    if counts["counterfactual_persons"] == 0:
        # keep the file layout the same when no reform is planted
        for name in ["dream", "eindkomst"]:
            (out_dir / "counterfactual" / f"{name}.{fmt}").unlink(missing_ok=True)

    muni_year = _municipality_year(world)
    _write_table(muni_year, out_dir / f"municipality_year.{fmt}", fmt)
    manifest = {
        "seed": seed,
        "years": [first, last],
        "format": fmt,
        "scale": float(syn["scale"]),
        "full_scale_municipalities": [int(k) for k in syn.get("full_scale_municipalities", [])],
        "sampling_fraction": {
            str(int(k)): (1.0 if f else float(syn["scale"])) for k, f in zip(kom, full_scale)
        },
        "dream_weeks": len(week_cols),
        "months": len(months),
        "reforms": [{"kom": r.kom, "start_week": f"{r.start.year}-W{r.start.week:02d}"} for r in world.reforms],
        **counts,
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def _municipality_year(world) -> pd.DataFrame:
    kom = world.munis["kom"].to_numpy()
    rows = []
    for t, y in enumerate(world.years):
        caseload = world.caseload[:, t].copy()
        for r in world.reforms:
            i = world.index_of(r.kom)
            # the year's average over its weeks: before, during anticipation (hiring ahead), after the start
            weeks = [(y, w) for w in range(1, 53)]
            after = sum(wk >= (r.start.year, r.start.week) for wk in weeks)
            ahead = 0 if r.anticipation is None else sum(
                (r.anticipation.year, r.anticipation.week) <= wk < (r.start.year, r.start.week) for wk in weeks)
            if after or ahead:  # shifts of the municipality's own path, as in the simulation
                caseload[i] += (after * (r.caseload_after - r.caseload_before)
                                + ahead * (r.caseload_anticipation - r.caseload_before)) / 52.0
        rows.append(
            pd.DataFrame(
                {
                    "KOM": kom.astype(np.int16),
                    "AAR": np.int16(y),
                    "ledighed_pct": np.round(world.unemployment[:, t], 3),
                    "sager_pr_sagsbehandler": np.round(caseload, 1),
                }
            )
        )
    out = pd.concat(rows, ignore_index=True)
    fw = world.framework.astype({"KOM": np.int16, "AAR": np.int16})
    return out.merge(fw, on=["KOM", "AAR"], how="left").sort_values(["KOM", "AAR"], ignore_index=True)


def _write_table(df: pd.DataFrame, path: Path, fmt: str) -> None:
    table = pa.Table.from_pandas(df, preserve_index=False)
    if fmt == "parquet":
        pq.write_table(table, path, compression="zstd")
    else:
        pacsv.write_csv(table, str(path))

"""A register delivery in Statistics Denmark's shapes, written from the synthetic registers by a script of its
own (not the ingestion code): DREAM as SAS transport (every number a float, Danish week column names, monthly
branche columns that are not needed), paid hours as one Danish CSV per year (';', decimal comma, latin-1, jobs
split so that a person-month has several rows), the population register as one Stata file per quarter, the
municipality-year table as a Danish CSV, every column named otherwise than in the project's layout."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
import yaml

from tests.conftest import ROOT


def write_delivery(registers, out: Path, first_year: int, last_year: int, persons: np.ndarray | None = None,
                   municipality_years_from: int | None = None) -> Path:
    """Write the delivery and its mapping (``out/mapping.yaml``); returns the mapping's path.
    ``municipality_years_from``: the first year of the municipality table (default ``first_year``; a public
    table often starts earlier)."""
    out = Path(out)
    (out / "raw").mkdir(parents=True, exist_ok=True)
    week_cols = [c for c in pd.read_parquet(registers.dream).columns if c.startswith("y_")
                 and first_year % 100 <= int(c[2:4]) <= last_year % 100]
    dream = pd.read_parquet(registers.dream, columns=["PNR"] + week_cols)
    if persons is not None:
        dream = dream[dream.PNR.isin(persons)]
    keep = dream.PNR.to_numpy()
    cols = {"pnr": dream.PNR.astype(float)}
    for c in week_cols:  # y_1401 -> uge_2014_01, codes as SAS floats, empty weeks missing
        cols[f"uge_20{c[2:4]}_{c[4:6]}"] = dream[c].astype(float)
    cols["branche_2014_01"] = pd.Series(47.0, index=dream.index)  # a monthly column the pipeline does not need
    d = pd.DataFrame(cols)
    pyreadstat.write_xport(d, str(out / "raw" / "dream.xpt"), file_format_version=8)

    hours = pd.read_parquet(registers.eindkomst)
    hours = hours[hours.PNR.isin(keep) & (hours.MAANED // 100).between(first_year, last_year)]
    for y, g in hours.groupby(hours.MAANED // 100):
        # a second job in every third person-month: the hours split 70/30 (they add up to the same)
        two = (np.arange(len(g)) % 3) == 0
        a = g.assign(TIMER=np.where(two, g.AJO_INDBERETTEDE_LOENTIMER * 0.7, g.AJO_INDBERETTEDE_LOENTIMER))
        b = g[two].assign(TIMER=g.AJO_INDBERETTEDE_LOENTIMER[two] * 0.3)
        rows = pd.concat([a, b]).sort_values(["PNR", "MAANED"], kind="stable")
        txt = pd.DataFrame({"PERSON_ID": rows.PNR.astype(str), "LOENMD": rows.MAANED.astype(str),
                            "TIMER": [repr(float(v)).replace(".", ",") for v in rows.TIMER]})
        txt.to_csv(out / "raw" / f"bfl{y}.csv", sep=";", index=False, encoding="latin-1")

    res = pd.read_parquet(registers.residence)
    res = res[res.PNR.isin(keep)]
    per = pd.read_parquet(registers.persons).set_index("PNR")
    for y in range(first_year, last_year + 1):  # residence on 1 January Y is in the fourth quarter of Y-1
        r = res[res.AAR == y]
        p = per.loc[r.PNR]
        q = pd.DataFrame({"PNR_ID": r.PNR.astype(str).to_numpy(), "KOMKODE": r.KOM.astype(float).to_numpy(),
                          "KOEN_KODE": p.KOEN.astype(float).to_numpy(),
                          "FOED_DAG": pd.to_datetime(p.FOED_AAR.astype(str) + "-07-01").to_numpy(),
                          "UDD_NIV": p.UDD.astype(float).to_numpy(), "IE_GRP": p.HERKOMST.astype(float).to_numpy()})
        pyreadstat.write_dta(q, str(out / "raw" / f"bef{y - 1}12.dta"))

    m = pd.read_parquet(registers.municipality_year)
    m = m[m.AAR.between(first_year if municipality_years_from is None else municipality_years_from, last_year)]
    dk = pd.DataFrame({"Kommunekode": m.KOM.astype(str), "År": m.AAR.astype(str),
                       "Bruttoledighed (pct.)": [repr(float(v)).replace(".", ",") for v in m.ledighed_pct],
                       "Sager pr. sagsbehandler": [repr(float(v)).replace(".", ",") for v in m.sager_pr_sagsbehandler],
                       "Andel ufaglærte": [repr(float(v)).replace(".", ",") for v in m.andel_ufaglaerte],
                       "Andel ikke-vestlige": [repr(float(v)).replace(".", ",") for v in m.andel_ikke_vestlige],
                       "Andel industri": [repr(float(v)).replace(".", ",") for v in m.andel_industri],
                       "Folketal": m.befolkning.astype(str)})
    dk.to_csv(out / "raw" / "kommuner.csv", sep=";", index=False, encoding="latin-1")
    shutil.copy(ROOT / "config" / "benefit_codes.csv", out / "koder.csv")
    shutil.copy(ROOT / "config" / "municipalities.csv", out / "kommuner_ref.csv")
    danish = dict(separator=";", decimal=",", encoding="latin-1")
    mapping = {
        "output_dir": "converted",
        "first_year": first_year, "last_year": last_year,
        "benefit_codes": "koder.csv", "municipalities": "kommuner_ref.csv",
        "person_id": {"pattern": "^[0-9]{10}$"},
        "registers": {
            "dream": {"file": "raw/dream.xpt", "format": "xpt", "person": "pnr", "week_columns": "uge_{yyyy}_{ww}"},
            "hours": {"file": "raw/bfl{year}.csv", "format": "csv", "csv": danish, "person": "PERSON_ID",
                      "month": "LOENMD", "hours": "TIMER"},
            "population": {"file": "raw/bef{year}{quarter}.dta", "format": "dta", "quarter_as": "month",
                           "person": "PNR_ID", "municipality": "KOMKODE", "sex": "KOEN_KODE", "birth_date": "FOED_DAG",
                           "education": "UDD_NIV", "origin": "IE_GRP"},
            "municipality_year": {"file": "raw/kommuner.csv", "format": "csv", "csv": danish,
                                  "municipality": "Kommunekode", "year": "År", "unemployment": "Bruttoledighed (pct.)",
                                  "caseload": "Sager pr. sagsbehandler",
                                  "other": {"andel_ufaglaerte": "Andel ufaglærte",
                                            "andel_ikke_vestlige": "Andel ikke-vestlige",
                                            "andel_industri": "Andel industri", "befolkning": "Folketal"}},
        },
        "reform": {"municipality": 860, "start_week": "2015-W14"},
    }
    (out / "mapping.yaml").write_text(yaml.safe_dump(mapping, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return out / "mapping.yaml"

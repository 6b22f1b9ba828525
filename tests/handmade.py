"""Small hand-made registers whose panel can be worked out by hand."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from evaluation.calendar import iso_weeks
from evaluation.registers import RegisterSet

YEARS = (2014, 2016)


def dream_frame() -> pd.DataFrame:
    cols = [w.column for w in iso_weeks(*YEARS)]
    d = pd.DataFrame({"PNR": [1, 2, 3, 4, 5]})
    for c in cols:
        d[c] = pd.array([pd.NA] * 5, dtype="Int16")

    def put(pnr, year, weeks, code):
        for w in weeks:
            d.loc[d.PNR == pnr, f"y_{year % 100:02d}{w:02d}"] = code

    put(1, 2014, range(1, 11), 132)  # 10 weeks kontanthjælp aktivitetsparat
    put(1, 2015, [53], 132)  # ISO week 53 of 2015
    put(1, 2015, [50, 51, 52], 133)  # another aktivitetsparat code
    put(1, 2016, range(1, 6), 651)  # SU: not public support
    put(2, 2015, range(1, 54), 111)  # a-dagpenge all 53 weeks of 2015
    put(3, 2015, [1, 2], 132)
    put(4, 2014, [20], 890)
    put(5, 2014, [30], 130)
    return d


def eindkomst_frame() -> pd.DataFrame:
    rows = [
        (1, 201403, 11111111, 100.5),
        (1, 201403, 22222222, 20.25),  # second employer in the same month
        (1, 201612, 11111111, 160.33),
        (1, 201312, 11111111, 50.0),  # before the window
        *[(2, 201500 + m, 33333333, 160.33) for m in range(1, 13)],
        (6, 201501, 44444444, 10.0),  # not in DREAM
        (5, 201601, 55555555, 30.0),  # person-year without residence
    ]
    return pd.DataFrame(rows, columns=["PNR", "MAANED", "CVRNR", "AJO_INDBERETTEDE_LOENTIMER"])


def residence_frame() -> pd.DataFrame:
    rows = []
    for pnr, koms in {1: [851, 851, 851], 2: [101, 101, 101], 3: [101, 860, 860], 4: [860, 860, 860],
                      5: [860, 860, None]}.items():
        for y, k in zip(range(YEARS[0], YEARS[1] + 1), koms):
            if k is not None:
                rows.append((pnr, y, k))
    return pd.DataFrame(rows, columns=["PNR", "AAR", "KOM"])


def persons_frame() -> pd.DataFrame:
    return pd.DataFrame({"PNR": [1, 2, 3, 4, 5], "FOED_AAR": [1980, 1975, 1990, 1950, 1985],
                         "KOEN": [1, 2, 1, 2, 1], "UDD": [1, 2, 3, 1, 2], "HERKOMST": [1, 1, 3, 1, 2]})


def municipality_year_frame(municipalities: pd.DataFrame) -> pd.DataFrame:
    koms = municipalities["municipality_code"].to_numpy()
    years = np.arange(YEARS[0], YEARS[1] + 1)
    k, y = np.meshgrid(koms, years, indexing="ij")
    return pd.DataFrame({"KOM": k.ravel(), "AAR": y.ravel(), "ledighed_pct": 5.0, "sager_pr_sagsbehandler": 60.0})


def write(directory: Path, municipalities: pd.DataFrame, fmt: str = "parquet", **replace) -> RegisterSet:
    frames = {
        "dream": dream_frame(),
        "eindkomst": eindkomst_frame(),
        "residence": residence_frame(),
        "persons": persons_frame(),
        "municipality_year": municipality_year_frame(municipalities),
    }
    frames.update(replace)
    directory.mkdir(parents=True, exist_ok=True)
    for name, df in frames.items():
        path = directory / f"{name}.{fmt}"
        if fmt == "parquet":
            df.to_parquet(path, index=False)
        else:
            df.to_csv(path, index=False)
    return RegisterSet.in_directory(directory, fmt)

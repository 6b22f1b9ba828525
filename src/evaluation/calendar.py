"""ISO-week and month calendars shared by the generator and the panel builder.

DREAM stores one column per ISO week, named ``y_YYWW`` (``y_1514`` = ISO year 2015,
week 14).  eIndkomst stores hours per calendar month.  Weeks belong to ISO years
(2015 has 53 weeks), months to calendar years.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np

WEEK_COLUMN = re.compile(r"^y_(\d{2})(\d{2})$")


@dataclass(frozen=True)
class IsoWeek:
    year: int
    week: int

    @property
    def monday(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.week, 1)

    @property
    def column(self) -> str:
        return week_column(self.year, self.week)


def weeks_in_iso_year(year: int) -> int:
    """52 or 53: the ISO week of 28 December is always the last week."""
    return dt.date(year, 12, 28).isocalendar().week


def iso_weeks(first_year: int, last_year: int) -> list[IsoWeek]:
    """All ISO weeks of ISO years ``first_year`` to ``last_year`` inclusive."""
    return [
        IsoWeek(y, w)
        for y in range(first_year, last_year + 1)
        for w in range(1, weeks_in_iso_year(y) + 1)
    ]


def week_column(year: int, week: int) -> str:
    return f"y_{year % 100:02d}{week:02d}"


def parse_week_column(name: str, century: int = 2000) -> IsoWeek:
    """``y_1514`` -> IsoWeek(2015, 14); raises ValueError naming the column."""
    m = WEEK_COLUMN.match(name)
    if not m:
        raise ValueError(f"column {name!r} is not a DREAM week column (expected y_YYWW, e.g. y_1514)")
    year, week = century + int(m.group(1)), int(m.group(2))
    if not 1 <= week <= weeks_in_iso_year(year):
        raise ValueError(
            f"column {name!r} names week {week} of ISO year {year}, which has "
            f"{weeks_in_iso_year(year)} weeks"
        )
    return IsoWeek(year, week)


def parse_iso_week(text: str) -> IsoWeek:
    """'2015-W14' -> IsoWeek(2015, 14)."""
    m = re.fullmatch(r"(\d{4})-W(\d{2})", str(text))
    if not m:
        raise ValueError(f"{text!r} is not an ISO week (expected e.g. '2015-W14')")
    wk = IsoWeek(int(m.group(1)), int(m.group(2)))
    if not 1 <= wk.week <= weeks_in_iso_year(wk.year):
        raise ValueError(f"{text!r}: ISO year {wk.year} has {weeks_in_iso_year(wk.year)} weeks")
    return wk


def month_keys(first_year: int, last_year: int) -> list[int]:
    """Months as YYYYMM integers, the eIndkomst key used here."""
    return [y * 100 + m for y in range(first_year, last_year + 1) for m in range(1, 13)]


def week_to_month_matrix(weeks: list[IsoWeek], months: list[int]) -> np.ndarray:
    """Fraction of each week's seven days that falls in each month (rows sum to 1
    when all of a week's days fall inside ``months``).  Used to spread weekly work
    hours over calendar months."""
    index = {m: j for j, m in enumerate(months)}
    out = np.zeros((len(weeks), len(months)), dtype=np.float64)
    for i, wk in enumerate(weeks):
        monday = wk.monday
        for d in range(7):
            day = monday + dt.timedelta(days=d)
            j = index.get(day.year * 100 + day.month)
            if j is not None:
                out[i, j] += 1.0 / 7.0
    return out

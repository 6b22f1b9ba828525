import datetime as dt

import numpy as np
import pytest

from evaluation.calendar import (
    iso_weeks,
    month_keys,
    parse_iso_week,
    parse_week_column,
    week_column,
    week_to_month_matrix,
    weeks_in_iso_year,
)


def test_iso_years_with_53_weeks():
    # 2015 and 2020 have an ISO week 53; 2010-2019 has exactly one such year
    assert weeks_in_iso_year(2015) == 53 and weeks_in_iso_year(2020) == 53
    assert [y for y in range(2010, 2020) if weeks_in_iso_year(y) == 53] == [2015]
    assert len(iso_weeks(2010, 2019)) == 521


def test_week_columns_round_trip():
    assert week_column(2015, 14) == "y_1514"
    wk = parse_week_column("y_1553")
    assert (wk.year, wk.week) == (2015, 53)
    assert wk.monday == dt.date(2015, 12, 28)
    assert parse_iso_week("2015-W14").monday == dt.date(2015, 3, 30)


@pytest.mark.parametrize("bad", ["y_1453", "x_1514", "y_151", "y_1500"])
def test_bad_week_columns_are_named(bad):
    with pytest.raises(ValueError, match=bad):
        parse_week_column(bad)


def test_week_to_month_spreads_days():
    weeks = iso_weeks(2015, 2015)
    M = week_to_month_matrix(weeks, month_keys(2015, 2015))
    # week 1 of 2015 starts Monday 29 Dec 2014: 3 of its 7 days are in December 2014
    assert M[0].sum() == pytest.approx(4 / 7)
    assert M[0, 0] == pytest.approx(4 / 7)
    # a week spanning two months: week 5 (26 Jan - 1 Feb) has 6 days in January, 1 in February
    assert M[4, 0] == pytest.approx(6 / 7) and M[4, 1] == pytest.approx(1 / 7)
    # interior weeks are wholly inside the year
    assert np.allclose(M[1:-1].sum(axis=1), 1.0)

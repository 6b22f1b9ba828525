"""Every broken register gets a clear error naming the file, column, row or value."""

import pandas as pd
import pytest

from evaluation.registers import RegisterError, validate_registers
from tests.handmade import YEARS, dream_frame, eindkomst_frame, persons_frame, residence_frame, write


def check(tmp_path, codes, municipalities, fmt="parquet", **replace):
    reg = write(tmp_path / "reg", municipalities, fmt=fmt, **replace)
    return validate_registers(reg, codes, municipalities, *YEARS)


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_valid_registers_pass(tmp_path, codes, municipalities, fmt):
    summary = check(tmp_path, codes, municipalities, fmt=fmt)
    assert summary["dream"]["rows"] == 5 and summary["dream"]["weeks_used"] == 157
    assert summary["municipality_year"]["municipalities"] == 98


def test_missing_file(tmp_path, codes, municipalities):
    reg = write(tmp_path / "reg", municipalities)
    reg.eindkomst.unlink()
    with pytest.raises(RegisterError, match=r"eindkomst.*does not exist"):
        validate_registers(reg, codes, municipalities, *YEARS)


def test_missing_column_is_named(tmp_path, codes, municipalities):
    ek = eindkomst_frame().drop(columns="AJO_INDBERETTEDE_LOENTIMER")
    with pytest.raises(RegisterError, match=r"eindkomst.parquet.*lacks column.*AJO_INDBERETTEDE_LOENTIMER"):
        check(tmp_path, codes, municipalities, eindkomst=ek)


def test_unknown_benefit_code_names_column_row_and_value(tmp_path, codes, municipalities):
    d = dream_frame()
    d.loc[2, "y_1520"] = 999
    with pytest.raises(RegisterError, match=r"column y_1520, row 3: benefit code '?999'? is not in the benefit code"):
        check(tmp_path, codes, municipalities, dream=d)


def test_missing_week_column(tmp_path, codes, municipalities):
    d = dream_frame().drop(columns=["y_1553"])
    with pytest.raises(RegisterError, match=r"lacks 1 week column.*y_1553"):
        check(tmp_path, codes, municipalities, dream=d)


def test_bad_week_column_name(tmp_path, codes, municipalities):
    d = dream_frame().rename(columns={"y_1410": "y_1453"})
    with pytest.raises(RegisterError, match=r"y_1453.*ISO year 2014, which has 52 weeks"):
        check(tmp_path, codes, municipalities, dream=d)


def test_duplicate_person(tmp_path, codes, municipalities):
    d = pd.concat([dream_frame(), dream_frame().iloc[[1]]], ignore_index=True)
    with pytest.raises(RegisterError, match=r"2 rows share the key PNR=2"):
        check(tmp_path, codes, municipalities, dream=d)


def test_negative_hours(tmp_path, codes, municipalities):
    ek = eindkomst_frame()
    ek.loc[4, "AJO_INDBERETTEDE_LOENTIMER"] = -3.0
    with pytest.raises(RegisterError, match=r"AJO_INDBERETTEDE_LOENTIMER, row 5: value -3.0 is outside"):
        check(tmp_path, codes, municipalities, eindkomst=ek)


def test_bad_month(tmp_path, codes, municipalities):
    ek = eindkomst_frame()
    ek.loc[0, "MAANED"] = 201413
    with pytest.raises(RegisterError, match=r"MAANED, row 1: value 201413; expected a month as YYYYMM"):
        check(tmp_path, codes, municipalities, eindkomst=ek)


def test_unknown_municipality(tmp_path, codes, municipalities):
    r = residence_frame()
    r.loc[3, "KOM"] = 999
    with pytest.raises(RegisterError, match=r"KOM, row 4: municipality code 999"):
        check(tmp_path, codes, municipalities, residence=r)


def test_text_in_numeric_column(tmp_path, codes, municipalities):
    p = persons_frame().astype({"FOED_AAR": str})
    p.loc[0, "FOED_AAR"] = "nineteen-eighty"
    with pytest.raises(RegisterError, match=r"column FOED_AAR has type VARCHAR.*expected integer"):
        check(tmp_path, codes, municipalities, fmt="csv", persons=p)


def test_empty_key(tmp_path, codes, municipalities):
    r = residence_frame().astype({"KOM": "Int64"})
    r.loc[2, "KOM"] = pd.NA
    with pytest.raises(RegisterError, match=r"column KOM, row 3: value is empty"):
        check(tmp_path, codes, municipalities, residence=r)


def test_missing_municipality_year(tmp_path, codes, municipalities):
    from tests.handmade import municipality_year_frame

    m = municipality_year_frame(municipalities)
    m = m[~((m.KOM == 860) & (m.AAR == 2015))]
    with pytest.raises(RegisterError, match=r"municipality 860 has no row for year 2015"):
        check(tmp_path, codes, municipalities, municipality_year=m)


def test_bad_code_table(tmp_path):
    from evaluation.registers import read_code_table

    p = tmp_path / "codes.csv"
    p.write_text("code,category,label,public_support\n111,a_dagpenge,A,yes\n")
    with pytest.raises(ValueError, match=r"public_support, row 2: value 'yes'; expected true or false"):
        read_code_table(p)
    p.write_text("code,category,label,public_support\n111,a_dagpenge,A,true\n111,su,SU,false\n")
    with pytest.raises(ValueError, match=r"code"):
        read_code_table(p)

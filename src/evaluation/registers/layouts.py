"""Expected layouts of the registers (column names as in the real registers)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Layout:
    name: str
    description: str
    columns: dict[str, str]  # column -> kind: "integer" or "number"
    key: tuple[str, ...] = ()
    week_columns: bool = False  # DREAM wide: y_YYWW columns besides the listed ones
    ranges: dict[str, tuple[float, float]] = field(default_factory=dict)


LAYOUTS = {
    "dream": Layout(
        "dream",
        "DREAM wide: one row per person (PNR), one column per ISO week named y_YYWW holding a benefit code, empty when none",
        {"PNR": "integer"},
        key=("PNR",),
        week_columns=True,
    ),
    "eindkomst": Layout(
        "eindkomst",
        "eIndkomst: paid hours per person, month (MAANED as YYYYMM) and employer (CVRNR)",
        {"PNR": "integer", "MAANED": "integer", "AJO_INDBERETTEDE_LOENTIMER": "number"},
        ranges={"AJO_INDBERETTEDE_LOENTIMER": (0.0, 744.0)},  # at most 24 h x 31 days in a month
    ),
    "residence": Layout(
        "residence",
        "residence on 1 January: person (PNR), year (AAR), municipality code (KOM)",
        {"PNR": "integer", "AAR": "integer", "KOM": "integer"},
        key=("PNR", "AAR"),
    ),
    "persons": Layout(
        "persons",
        "persons: PNR, birth year (FOED_AAR), sex (KOEN 1/2), education (UDD 1-3), origin (HERKOMST 1-3)",
        {"PNR": "integer", "FOED_AAR": "integer", "KOEN": "integer", "UDD": "integer", "HERKOMST": "integer"},
        key=("PNR",),
        ranges={"FOED_AAR": (1900, 2030), "KOEN": (1, 2), "UDD": (1, 3), "HERKOMST": (1, 3)},
    ),
    "municipality_year": Layout(
        "municipality_year",
        "municipality-year conditions: KOM, AAR, gross unemployment (ledighed_pct), caseload, framework conditions",
        {"KOM": "integer", "AAR": "integer", "ledighed_pct": "number", "sager_pr_sagsbehandler": "number"},
        key=("KOM", "AAR"),
        ranges={"ledighed_pct": (0.0, 100.0), "sager_pr_sagsbehandler": (0.0, 1000.0)},
    ),
}

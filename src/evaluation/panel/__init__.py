"""Person-year and municipality-year panels, built out of core with duckdb."""

from evaluation.panel.build import PanelSpec, build_person_year, group_year_panel, municipality_year_panel

__all__ = ["PanelSpec", "build_person_year", "group_year_panel", "municipality_year_panel"]

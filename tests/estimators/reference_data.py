"""Public reference data shipped inside PyPI packages (test dependencies only)."""

from importlib import resources

import pandas as pd


def prop99() -> pd.DataFrame:
    """California's Proposition 99: cigarette packs per capita, 39 states, 1970-2000
    (Abadie, Diamond & Hainmueller 2010), as shipped by synthdid-py."""
    path = resources.files("synthdid").joinpath("data/california_prop99.csv")
    return pd.read_csv(path, sep=";")


def mpdta() -> pd.DataFrame:
    """County teen employment and minimum wages 2003-2007 (R did's mpdta), as shipped by moderndid."""
    path = resources.files("moderndid").joinpath("core/datasets/mpdta_long.pkl.gz")
    return pd.read_pickle(path)

"""Estimators with one results protocol (see results.EstimateResult)."""

from evaluation.estimators.did import did
from evaluation.estimators.results import EstimateResult

__all__ = ["EstimateResult", "did"]

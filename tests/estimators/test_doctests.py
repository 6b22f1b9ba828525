"""Every estimator's docstring example runs and prints what it says (numpydoc Examples sections)."""

import doctest
import importlib

import pytest

MODULES = ["evaluation.datasets", "evaluation.estimators.did", "evaluation.estimators.event_study",
           "evaluation.estimators.matched", "evaluation.estimators.att_gt", "evaluation.estimators.synthetic_control",
           "evaluation.estimators.synthetic_did", "evaluation.estimators.factor",
           "evaluation.estimators.matrix_completion", "evaluation.estimators.triple"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    mod = importlib.import_module(name)
    res = doctest.testmod(mod, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert res.attempted > 0, f"{name} has no example"
    assert res.failed == 0

"""Shared set-up of the Snakemake script adapters: logging to the rule's log file."""

import logging


def setup(snakemake):
    logging.basicConfig(
        filename=snakemake.log[0],
        level=logging.INFO,
        format="%(levelname)s %(name)s: %(message)s",
        force=True,
    )
    from evaluation.config import validate_config

    return validate_config(dict(snakemake.config))

"""Behavioural parameters of the synthetic registers.

These are the weekly hazards of the state model.  They are calibrated (see
tests/unit/test_calibration.py and the calibration table of the report) so that
the default run reproduces the published magnitudes of the Hjørring case; the
figures a user is expected to change (sizes, cycle, reform, seeds) live in
config/config.yaml instead.
"""

from __future__ import annotations

import numpy as np

# Weekly labour-market states.  Benefit states carry the category names of
# config/benefit_codes.csv; the last three are outside the register window.
STATES = [
    "emp",  # 0 employed, no benefit
    "out",  # 1 no benefit, not employed (supported by others)
    "a_dagpenge",  # 2
    "kh_jobparat",  # 3
    "kh_aktivitetsparat",  # 4  the target group
    "uddannelseshjaelp",  # 5
    "integrationsydelse",  # 6
    "sygedagpenge",  # 7
    "ressourceforloeb",  # 8
    "fleksjob",  # 9
    "foertidspension",  # 10 absorbing
    "su",  # 11
    "young",  # 12 below working age
    "retired",  # 13 above working age
    "abroad",  # 14 not yet immigrated, or emigrated
]
S = {name: i for i, name in enumerate(STATES)}
N_ACTIVE = 12  # states 0..11 take part in the weekly transitions
BENEFIT_STATES = [s for s in range(2, 12)]

# Weekly hazard of moving into employment at theta = 0, local unemployment 5 %,
# caseload 60 (index = state).
JOB_BASE = np.array([0, 0.004, 0.045, 0.016, 0.0011, 0.010, 0.0035, 0.030, 0.0015, 0.002, 0, 0.012])
# Elasticity of the job hazard with respect to employability theta.
JOB_THETA = np.array([0, 0.6, 0.6, 0.7, 0.9, 0.6, 0.6, 0.5, 0.7, 0.4, 0, 0.3])
# Weekly hazard of a førtidspension grant at theta = 0, age 45.
FP_BASE = np.array([0, 0.00001, 0.00001, 0.00002, 0.00022, 0.00001, 0.00002, 0.0001, 0.0005, 0.0002, 0, 0])
FP_THETA = 0.8
FP_AGE = 0.06
# Weekly hazard of other exits, and where they go (rows sum to one).
OTHER_BASE = np.array([0.0, 0.010, 0.006, 0.012, 0.0060, 0.012, 0.004, 0.012, 0.008, 0.002, 0, 0.004])
OTHER_DEST = np.zeros((N_ACTIVE, N_ACTIVE))
OTHER_DEST[S["out"], [S["kh_jobparat"], S["kh_aktivitetsparat"], S["sygedagpenge"], S["su"], S["a_dagpenge"]]] = [0.42, 0.05, 0.16, 0.17, 0.20]
OTHER_DEST[S["a_dagpenge"], [S["kh_jobparat"], S["sygedagpenge"], S["out"]]] = [0.5, 0.3, 0.2]
OTHER_DEST[S["kh_jobparat"], [S["kh_aktivitetsparat"], S["sygedagpenge"], S["out"], S["su"]]] = [0.15, 0.2, 0.50, 0.15]
OTHER_DEST[S["kh_aktivitetsparat"], [S["kh_jobparat"], S["ressourceforloeb"], S["sygedagpenge"], S["out"]]] = [0.22, 0.18, 0.15, 0.45]
OTHER_DEST[S["uddannelseshjaelp"], [S["su"], S["kh_aktivitetsparat"], S["out"]]] = [0.5, 0.1, 0.4]
OTHER_DEST[S["integrationsydelse"], [S["kh_aktivitetsparat"], S["kh_jobparat"], S["out"]]] = [0.2, 0.45, 0.35]
OTHER_DEST[S["sygedagpenge"], [S["ressourceforloeb"], S["kh_aktivitetsparat"], S["fleksjob"], S["out"]]] = [0.3, 0.08, 0.24, 0.38]
OTHER_DEST[S["ressourceforloeb"], [S["fleksjob"], S["kh_aktivitetsparat"], S["out"]]] = [0.60, 0.25, 0.15]
OTHER_DEST[S["fleksjob"], [S["out"], S["sygedagpenge"]]] = [0.5, 0.5]
OTHER_DEST[S["su"], [S["uddannelseshjaelp"], S["out"]]] = [0.5, 0.5]

# Separation from employment: weekly hazard at theta = 0, unemployment 5 %.
SEP_BASE = 0.0045
SEP_THETA = 0.6
# Where separations go: weights exp(a + b * theta) over these states.
SEP_DEST = np.array([S["a_dagpenge"], S["kh_jobparat"], S["kh_aktivitetsparat"], S["sygedagpenge"], S["out"], S["su"]])
SEP_A = np.array([0.6, -0.3, -3.5, 0.0, -0.4, -1.0])
SEP_B = np.array([1.0, 0.0, -1.2, -0.2, 0.0, 0.5])

# Business cycle: job hazards fall and separations rise with local unemployment
# (per percentage point, around 5 %).
CYCLE_JOB = 0.20
CYCLE_SEP = 0.10
CYCLE_SMALL = 0.10
# Caseload per caseworker: job hazard of the cash-benefit states per 10 cases above 60.
CASELOAD_JOB = 0.05
CASELOAD_STATES = [S["kh_jobparat"], S["kh_aktivitetsparat"], S["uddannelseshjaelp"]]

# Small jobs held while on a benefit: weekly probability at theta = 0 and hours.
SMALL_P = np.array([0, 0.01, 0.04, 0.03, 0.0035, 0.03, 0.02, 0.0, 0.01, 0.0, 0, 0.10])
SMALL_THETA = 0.8
SMALL_HOURS = (3.0, 14.0)
FLEKSJOB_HOURS = (10.0, 22.0)

# Hours in a regular job: full time (37 h/week = 160.33 h/month) with
# probability logistic(FT_A + FT_B * theta), otherwise part time.
FULL_TIME_HOURS = 37.0
FT_A, FT_B = 0.7, 1.0
PART_TIME_HOURS = (8.0, 30.0)

# Demography.
BIRTH_YEARS = (1950, 1999)
AGE_MIN, AGE_MAX = 16, 64
EMIGRATION_RATE = 0.004  # per year
IMMIGRANT_SHARE = 0.07  # of persons of non-Western origin, arriving during the window
MOVE_RATE = 0.03  # per year, between municipalities
MOVE_SAME_REGION = 0.6
BURN_IN_WEEKS = 156

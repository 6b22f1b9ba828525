"""Reading and validating register files: the one code path that synthetic
registers and real extracts both take."""

from evaluation.registers.codes import read_code_table
from evaluation.registers.read import RegisterError, RegisterSet, relation_sql
from evaluation.registers.validate import validate_registers

__all__ = ["RegisterError", "RegisterSet", "read_code_table", "relation_sql", "validate_registers"]

"""Validation of study layers against the data contract: map columns, parse values, check rows and geometry.

Every decision becomes a :class:`Finding` (read, mapped, repaired, rejected, note). Rows that cannot be used are
rejected — kept, with the reason, in the result's ``rejected`` frame, never silently dropped; problems with a whole
layer (a required column missing) raise :class:`~geo.errors.LayerError` naming the accepted aliases.

Modules: :mod:`~planning.validation.findings` (findings and the validated layer), :mod:`~planning.validation.numbers`
(numbers written as text), :mod:`~planning.validation.columns` (column mapping and cell conversion),
:mod:`~planning.validation.rows` (geometry, row and duplicate checks), :mod:`~planning.validation.validator`
(:func:`validate_layer`) and :mod:`~planning.validation.rejected` (the rejected-rows line beside every figure).
"""

from planning.validation.columns import map_columns, match_columns, normalise_label
from planning.validation.findings import ACTIONS, Finding, ValidatedLayer
from planning.validation.numbers import parse_number, parse_number_zh
from planning.validation.rejected import rejected_lines
from planning.validation.validator import validate_layer

__all__ = [
    "ACTIONS",
    "Finding",
    "ValidatedLayer",
    "map_columns",
    "match_columns",
    "normalise_label",
    "parse_number",
    "parse_number_zh",
    "rejected_lines",
    "validate_layer",
]

"""Wording shared by the check's explanations and its tables: values with their units, lists of names, verdicts,
aligned columns.

Numbers are written by :mod:`planning.display` (thousands grouped by a space in English, ``2 300``, and not in
Chinese, ``2300``); values carry their unit (:data:`planning.standards.rules.UNITS`), shares as percentages. Tables
are padded to display width: a Chinese character takes two columns.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from planning.display import MISSING, finite, format_number, format_share, pad, text_width
from planning.i18n import verdict_label
from planning.standards.rules import UNITS, VERDICTS

#: How many names a list shows before "and N more" (等N处).
NAMES_SHOWN = 5

#: Verdict -> (Chinese, English) for the text table: the catalogue's words, lower case in English but FAIL, which
#: a reader must not miss among the rows.
VERDICT_TEXT = {
    v: (
        verdict_label(v, "zh"),
        verdict_label(v, "en").upper() if v == "fail" else verdict_label(v, "en").lower(),
    )
    for v in VERDICTS
}
#: Level of a row -> (Chinese, English) for tables.
LEVEL_TEXT = {
    "district": ("区县", "district"),
    "street": ("街道", "street"),
    "community": ("社区", "community"),
    "village": ("行政村", "village"),
    "facility": ("设施", "facility"),
    "candidate": ("候选地块", "candidate"),
}


def format_value(value: float | None, unit: str, lang: str = "zh") -> str:
    """A value with its unit for display (shares as percentages).

    Parameters
    ----------
    value : in ``unit`` (shares as fractions); None or NaN is shown as ``—``.
    unit : a key of :data:`planning.standards.rules.UNITS`.
    lang : ``zh`` (default) or ``en``.

    Returns
    -------
    str
        E.g. ``0.085㎡/人`` or ``0.085 m²/resident``; ``85.0%``.
    """
    if finite(value) is None:
        return MISSING
    if unit == "share":
        return format_share(value, 1, lang, space=False)
    zh, en = UNITS.get(unit, (unit, unit))
    digits = (
        3 if unit == "m2_per_resident" else (1 if unit.startswith("beds_per") or unit == "m2_per_bed" else 0)
    )
    sep = "" if lang == "zh" else " "
    return f"{format_number(value, digits, lang)}{sep}{zh if lang == 'zh' else en}"


def list_names(names: list[Any] | np.ndarray, lang: str = "zh") -> str:
    """The first :data:`NAMES_SHOWN` names joined, and how many more (``甲、乙等7处`` / ``a, b and 2 more``).

    Parameters
    ----------
    names : the names (any values; shown as text).
    lang : ``zh`` (default) or ``en``.

    Returns
    -------
    str
    """
    names = [str(n) for n in names]
    shown = ("、" if lang == "zh" else ", ").join(names[:NAMES_SHOWN])
    if len(names) > NAMES_SHOWN:
        shown += f"等{len(names)}处" if lang == "zh" else f" and {len(names) - NAMES_SHOWN} more"
    return shown


def align_columns(table: list[list[str]]) -> list[str]:
    """Table rows as lines with columns padded to display width (:func:`text_width`); the last column is left free.

    Parameters
    ----------
    table : rows of cells, the header first; every row has the same number of cells.

    Returns
    -------
    list of str
        One line per row, indented by two spaces, trailing spaces removed.
    """
    n = len(table[0])
    widths = [max(text_width(row[j]) for row in table) for j in range(n - 1)]
    out = []
    for row in table:
        cells = [pad(row[j], widths[j]) for j in range(n - 1)] + [row[-1]]
        out.append("  " + "  ".join(cells).rstrip())
    return out

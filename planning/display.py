"""How a number or a cell of text is shown to a person, in one place: counts and measures (:func:`format_number`),
shares as percentages (:func:`format_share`; as numbers for tables and charts: :func:`percent`), changes of a
share in percentage points (:func:`format_points`), and the width of text in a terminal, where a Chinese character
takes two columns (:func:`text_width`, :func:`pad`).

Two ways of grouping thousands are in use, each kept where readers already see it:

- sentences (the standards check's explanations, the land basis): a space in English (``2 300``), none in Chinese
  (``2300``), as national standards write numbers: the default, ``groups=None``;
- tables, figures, maps and the command line's lines: a comma in both languages (``2,300``): ``groups=","``.

Percentages are written ``85.3%`` in Chinese and ``85.3 %`` in English (the command line, the app, the siting
tables); the standards check, the scenario page and its figure write ``85.3%`` in both languages (``space=False``).
An unknown value (None, NaN, infinity, a missing value, text that is no number) is shown as :data:`MISSING`.
"""

from __future__ import annotations

import math
import unicodedata
from typing import Any, TypeVar

import numpy as np

#: What an unknown number is shown as.
MISSING = "—"

_Shares = TypeVar("_Shares")


def finite(x: Any) -> float | None:
    """``x`` as a finite float; None for None, a missing value, text that is no number, NaN or an infinity.

    Examples
    --------
    >>> finite(3), finite("2.5"), finite(float("nan")), finite(None)
    (3.0, 2.5, None, None)
    """
    if x is None:
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def format_number(
    x: Any,
    digits: int = 0,
    lang: str = "en",
    *,
    groups: str | None = None,
    missing: str = MISSING,
    wan: bool = False,
) -> str:
    """A number for a person: ``digits`` decimals, thousands grouped.

    Parameters
    ----------
    x : the number (anything :func:`finite` reads; unknown values are shown as ``missing``).
    digits : decimals shown.
    lang : ``en`` or ``zh``: how thousands are grouped when ``groups`` is None (``2 300`` / ``2300``).
    groups : the thousands separator whatever the language (``","`` for tables, figures and the command line);
        None for the language's own.
    missing : what an unknown value is shown as.
    wan : in Chinese, counts of 100 000 and more in 万 with one decimal (``54.5万``), as Chinese readers count
        residents; below that, and in English, as usual.

    Returns
    -------
    str

    Examples
    --------
    >>> format_number(2300.4), format_number(2300.4, lang="zh"), format_number(2300.4, groups=",")
    ('2 300', '2300', '2,300')
    >>> format_number(545100, lang="zh", wan=True), format_number(54510, lang="zh", groups=",", wan=True)
    ('54.5万', '54,510')
    """
    v = finite(x)
    if v is None:
        return missing
    if wan and lang == "zh" and abs(v) >= 100_000:
        return f"{v / 10_000:.1f}万"
    text = f"{v:,.{digits}f}"
    if groups is None:
        groups = " " if lang == "en" else ""
    return text if groups == "," else text.replace(",", groups)


def format_share(
    share: Any, digits: int = 1, lang: str = "zh", *, space: bool | None = None, missing: str = MISSING
) -> str:
    """A share (a fraction: 0.853) as a percentage with ``digits`` decimals: ``85.3%`` in Chinese, ``85.3 %`` in
    English (``lang``), or with ``space`` a space before ``%`` (True) or none (False) whatever the language; an
    unknown share (see :func:`finite`) is shown as ``missing``.

    Examples
    --------
    >>> format_share(0.853), format_share(0.853, lang="en"), format_share(0.853, 0, "en", space=False)
    ('85.3%', '85.3 %', '85%')
    """
    v = finite(share)
    if v is None:
        return missing
    gap = (lang == "en") if space is None else space
    return f"{v * 100:.{digits}f}{' ' if gap else ''}%"


def format_points(change: Any, digits: int = 1, *, missing: str = MISSING) -> str:
    """A change of a share in percentage points, with its sign and without ``%`` (0.052 -> ``+5.2``).

    Examples
    --------
    >>> format_points(0.052), format_points(-0.1)
    ('+5.2', '-10.0')
    """
    v = finite(change)
    return missing if v is None else f"{v * 100:+.{digits}f}"


def percent(shares: _Shares, digits: int = 1) -> _Shares:
    """Shares (fractions) as per cent rounded to ``digits`` decimals, still numbers: for table columns whose header
    says ``(%)`` and charts. A Series stays a Series (its index kept), an array an array.

    Examples
    --------
    >>> float(percent(0.8534))
    85.3
    """
    return np.round(shares * 100, digits)  # type: ignore[operator]


def text_width(text: str) -> int:
    """The display width of ``text`` in a fixed-width terminal: wide and full-width characters (Chinese) count 2.

    Parameters
    ----------
    text : any text.

    Returns
    -------
    int
    """
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad(text: Any, width: int, *, right: bool = False) -> str:
    """``text`` cut and padded with spaces to ``width`` terminal columns (:func:`text_width`), aligned left or, with
    ``right``, right."""
    t = str(text)
    while text_width(t) > width:
        t = t[:-1]
    fill = " " * (width - text_width(t))
    return fill + t if right else t + fill

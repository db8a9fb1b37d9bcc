"""Sequential classes for choropleths and grids: breaks from the data's quantiles, deduplicated so that no class is
empty, and labels that never read "19–19".

A class is lower-closed: class ``i`` holds the values ``breaks[i] <= v < breaks[i + 1]`` (the last one everything
from its break up). Data with few distinct values get fewer classes.
"""

from __future__ import annotations

import numpy as np

from planning.display import format_number

#: Sequential ramps, lightest first (ColorBrewer Oranges, Reds, Greens; 5 classes).
ORANGES: tuple[str, ...] = ("#feedde", "#fdbe85", "#fd8d3c", "#e6550d", "#a63603")
REDS: tuple[str, ...] = ("#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15")
GREENS: tuple[str, ...] = ("#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c")


def class_breaks(
    values: np.ndarray, n: int = 5, *, digits: int = 0, lower: float | None = None
) -> np.ndarray:
    """Lower bounds of at most ``n`` classes of ``values``, every class holding at least one value.

    Parameters
    ----------
    values : the data (NaN and infinities ignored).
    n : the most classes wanted (at least 1).
    digits : decimals the breaks are rounded to (0 for counts).
    lower : the first break (e.g. k when smaller counts are not shown); default the smallest value, rounded down.

    Examples
    --------
    >>> class_breaks(np.array([19, 19, 19, 19, 20, 40]), 4).tolist()
    [19.0, 20.0, 40.0]
    """
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    scale = 10.0**digits
    if v.size == 0:
        return np.array([0.0 if lower is None else float(lower)])
    first = float(np.floor(v.min() * scale) / scale) if lower is None else float(lower)
    # rounded down, so the value a break came from stays in its class
    qs = np.floor(np.quantile(v, np.linspace(0.0, 1.0, max(int(n), 1) + 1)[1:-1]) * scale + 1e-9) / scale
    breaks = np.unique(np.concatenate([[first], qs[qs > first]]))
    breaks = _split_top(breaks, v, max(int(n), 1), scale)
    # drop the breaks of empty classes (their range joins the class below, which keeps its values)
    counts = np.bincount(
        np.clip(np.searchsorted(breaks, v, side="right") - 1, 0, None), minlength=len(breaks)
    )
    keep = counts > 0
    keep[0] = True
    return breaks[keep]


def _split_top(breaks: np.ndarray, v: np.ndarray, n: int, scale: float) -> np.ndarray:
    """When repeated values collapsed the quantiles, the top class split by the distinct values above its break."""
    want = n - len(breaks)
    rest = np.unique(np.floor(v[v > breaks[-1]] * scale + 1e-9) / scale)
    rest = rest[rest > breaks[-1]]
    if want <= 0 or rest.size == 0:
        return breaks
    if rest.size > want:
        rest = np.floor(np.quantile(rest, np.linspace(0.0, 1.0, want + 1)[:-1]) * scale + 1e-9) / scale
    return np.unique(np.concatenate([breaks, rest]))


def class_index(breaks: np.ndarray, values: np.ndarray) -> np.ndarray:
    """The class of each value (values below the first break fall in the first class)."""
    return np.clip(
        np.searchsorted(breaks, np.asarray(values, dtype=float), side="right") - 1, 0, len(breaks) - 1
    )


def class_labels(breaks: np.ndarray, top: float, *, digits: int = 0) -> list[str]:
    """A label per class: ``a–b`` (for counts ``digits=0``, the last value of the class, and a single ``19`` when
    the class holds one value); the last class runs to ``top`` (the largest value)."""
    step = 10.0**-digits if digits == 0 else 0.0
    out = []
    for i, lo in enumerate(breaks):
        hi = float(breaks[i + 1]) - step if i + 1 < len(breaks) else float(max(top, lo))
        a, b = format_number(lo, digits, groups=","), format_number(hi, digits, groups=",")
        out.append(a if a == b else f"{a}–{b}")
    return out


def class_colours(ramp: tuple[str, ...], n: int) -> list[str]:
    """``n`` colours spread over ``ramp`` (lightest to darkest), so two classes are not two near-whites."""
    if n <= 1:
        return [ramp[len(ramp) // 2]]
    return [ramp[round(i * (len(ramp) - 1) / (n - 1))] for i in range(n)]

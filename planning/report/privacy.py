"""Privacy of what the reports publish: small counts suppressed (k-anonymity, with secondary suppression so that
no hidden count follows by subtraction), shares suppressed where they would reveal a small group, and the personal
columns of the study's layers that every export leaves out (:mod:`planning.export` removes them)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from planning.export import PersonalNote, find_personal
from planning.schema import LAYER_COLUMNS
from planning.siting import SitingResult
from planning.study import Study


def suppress_small(counts: np.ndarray, groups: np.ndarray, *, k_anon: int) -> np.ndarray:
    """Which counts to hide so that no count below ``k_anon`` is shown or can be worked out by subtraction.

    Primary suppression hides every count below k. Secondary suppression then looks at each group (a street, whose
    total is also published): when the hidden counts of a group sum to more than 0 but less than k, the group total
    minus the shown counts would reveal them, so the smallest shown count of the group is hidden as well (repeated
    until the hidden sum is 0 or at least k, or nothing is left to hide).

    Parameters
    ----------
    counts : (n,) counts (elderly per community).
    groups : (n,) group label of each count (its street).
    k_anon : the threshold k.

    Returns
    -------
    (n,) bool, True where the count must not be shown.
    """
    c = np.asarray(counts, dtype=float)
    hide = ~(c >= k_anon)  # NaN hides too
    g = pd.Series(np.asarray(groups, dtype=object)).fillna("").to_numpy(object)
    codes, _ = pd.factorize(g)
    for code in np.unique(codes):  # one pass per street; a handful of groups
        members = np.flatnonzero(codes == code)
        while True:
            hidden_sum = float(np.nansum(c[members][hide[members]]))
            if hidden_sum == 0 or hidden_sum >= k_anon:
                break
            shown = members[~hide[members]]
            if shown.size == 0:
                break
            hide[shown[np.argmin(c[shown])]] = True
    return hide


def public_count(value: float, hidden: bool, k_anon: int) -> int | str:
    """A count as published: ``"<k"`` when it is hidden (or unknown), else the whole number."""
    return f"<{k_anon}" if hidden or not np.isfinite(value) else round(value)


def _small(x: np.ndarray | float, k_anon: int) -> np.ndarray:
    """True where a count is a small group (more than 0, fewer than k) or unknown."""
    v = np.asarray(x, dtype=float)
    return ~np.isfinite(v) | ((v > 0.5) & (v < k_anon - 0.5))


def suppress_shares(
    elderly: np.ndarray, covered: np.ndarray, groups: np.ndarray, hidden: np.ndarray, *, k_anon: int
) -> tuple[np.ndarray, dict[Any, bool]]:
    """Which coverage shares to hide so that no group of fewer than ``k_anon`` follows from a count beside a share.

    A community's count of elderly shown beside its share covered gives the covered and the uncovered count
    (``elderly x share`` and the rest); a street's count and share give the street's, and minus the shown
    communities, the sum of the hidden ones. A share is shown only when every count it lets a reader work out is 0
    or at least k:

    1. a community's share is hidden when its count is hidden (``hidden``, from :func:`suppress_small`) or its
       covered or uncovered count is between 1 and k - 1;
    2. a street's share is hidden when its count is below k or its covered or uncovered count is between 1 and
       k - 1;
    3. for a street whose share is shown, the covered and the uncovered counts of its communities whose share is
       hidden must sum to 0 or at least k (the street's count minus the shown ones would reveal them): otherwise
       one more share is hidden, that of the smallest community that brings both sums to 0 or k and more (or,
       when none does, of the one that adds most to the small sum), repeated; when none is left, the street's
       share is hidden.

    Parameters
    ----------
    elderly : (n,) elderly per community (as published: rounded).
    covered : (n,) elderly covered per community (rounded).
    groups : (n,) the street of each community.
    hidden : (n,) True where the community's count (and so its share) is not shown, or its share is hidden
        already (streets, when the rule is applied one level up with the district as the group).
    k_anon : the threshold k.

    Returns
    -------
    (hide, street_hide)
        (n,) bool, True where the community's share must not be shown; and per street, True where the street's
        share must not be shown.
    """
    e = np.asarray(elderly, dtype=float)
    c = np.asarray(covered, dtype=float)
    u = e - c
    hide = np.asarray(hidden, dtype=bool) | _small(c, k_anon) | _small(u, k_anon) | ~np.isfinite(e)
    g = pd.Series(np.asarray(groups, dtype=object)).fillna("").to_numpy(object)
    codes, labels = pd.factorize(g)
    street_hide: dict[Any, bool] = {}
    for code, label in enumerate(labels):
        members = np.flatnonzero(codes == code)
        total_e, total_c = float(np.nansum(e[members])), float(np.nansum(c[members]))
        off = (
            not (total_e >= k_anon)
            or bool(_small(total_c, k_anon))
            or bool(_small(total_e - total_c, k_anon))
        )
        while not off:
            hid = members[hide[members]]
            sum_c, sum_u = float(np.nansum(c[hid])), float(np.nansum(u[hid]))
            small_c, small_u = bool(_small(sum_c, k_anon)), bool(_small(sum_u, k_anon))
            if not (small_c or small_u):
                break
            shown = members[~hide[members]]
            if shown.size == 0:
                off = True
                break
            # hide the smallest community whose share closes the gap; else the one that adds most to it
            closes = [
                j for j in shown if not _small(sum_c + c[j], k_anon) and not _small(sum_u + u[j], k_anon)
            ]
            if closes:
                hide[min(closes, key=lambda j: (e[j], j))] = True
            else:
                gain = (c[shown] if small_c else 0.0) + (u[shown] if small_u else 0.0)
                hide[shown[np.argmax(gain)]] = True
        street_hide[label] = off
    return hide, street_hide


#: Columns of the study's layers that exports need and keep (ID and phone numbers inside them are replaced):
#: the canonical columns of each layer and what siting adds to the candidates. Any other column recognised as
#: personal is left out (:func:`planning.export.strip_personal`).
EXPORT_KEEP: dict[str, frozenset[str]] = {
    role: frozenset(c.name for c in cols) | frozenset({"geometry"}) for role, cols in LAYER_COLUMNS.items()
}
EXPORT_KEEP["candidates"] = EXPORT_KEEP.get("candidates", frozenset()) | frozenset(
    {"candidate", "generated", "reach_elderly", "capacity_elderly", "chosen", "order"}
)


def personal_notes(study: Study, siting: SitingResult | None = None) -> list[PersonalNote]:
    """The personal columns of the study's layers (:func:`planning.export.find_personal`), which every export
    leaves out (or, for a column the exports need such as a name, cleans): one note per column, never a value."""
    notes: list[PersonalNote] = []
    for role in ("communities", "facilities", "candidates", "population"):
        frame = getattr(study, role, None)
        if role == "candidates" and frame is None and siting is not None and len(siting.candidates):
            frame = siting.candidates  # sites generated from street nodes
        if frame is None or not len(frame):
            continue
        cols = [c for c in frame.columns if not str(c).startswith("_")]
        notes.extend(find_personal(frame[cols], layer=role, keep=EXPORT_KEEP.get(role, ())))
    return notes

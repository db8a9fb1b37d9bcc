"""Streets and towns for the rules the texts set per 街道: which streets a street-level rule judges
(:func:`street_scope`), and the advisory rows of the towns (镇, 乡) it leaves out (:func:`town_rows`).

A street whose name ends in 镇, 乡 or 苏木 is a town (:func:`planning.land.street_type`); a rule whose
:attr:`~planning.standards.rules.Rule.units` do not cover ``town`` skips towns and says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from planning.land import street_type
from planning.standards.rows import Context, UnitRows, rows_frame
from planning.standards.rules import Rule
from planning.standards.text import list_names


@dataclass(frozen=True)
class StreetScope:
    """Which streets of the study a street-level rule judges (:func:`street_scope`).

    Attributes
    ----------
    judged : per street given, whether the rule judges it.
    towns : the towns (镇, 乡) the rule does not cover, in the order given.
    assumed : the names that say neither 街道 nor 镇 and are judged as streets (街道).
    seat : the rule's text also names the towns of the county seat (县城镇, 宜春 二(四)10), which the layers cannot
        tell from other towns: the towns are listed, not judged.
    """

    judged: np.ndarray
    towns: list[str]
    assumed: list[str]
    seat: bool = False

    def note(self) -> tuple[str, str]:
        """What the district row says about the towns outside the rule and the names taken as streets (Chinese,
        English; each starts with its separator, empty when there is nothing to say)."""
        zh = en = ""
        if self.towns and self.seat:
            zh += f"；{list_names(self.towns, 'zh')}为镇，原文所含县城镇无法从数据中区分，列出未评判"
            en += (
                f"; {list_names(self.towns, 'en')}: towns (镇), listed, not judged (the county-seat towns the text "
                "also names cannot be told apart)"
            )
        elif self.towns:
            zh += f"；{list_names(self.towns, 'zh')}为镇（乡），不在本条范围内，未计入"
            en += f"; {list_names(self.towns, 'en')}: towns (镇), outside the rule, not counted"
        if self.assumed:
            zh += f"；{list_names(self.assumed, 'zh')}的名称未标明街道或镇，按街道计"
            en += (
                f"; {list_names(self.assumed, 'en')}: the name says neither street (街道) nor town (镇), "
                "counted as a street"
            )
        return zh, en


def street_scope(rule: Rule, streets: Any) -> StreetScope:
    """The streets a street-level rule judges: all of them, or only the streets (街道) when the rule's
    :attr:`~planning.standards.rules.Rule.units` leave out towns (``town``).

    A name ending in 镇, 乡 or 苏木 is a town, one ending in 街道 or 办事处 a street
    (:func:`planning.land.street_type`); any other name is judged as a street, and :meth:`StreetScope.note` says so.

    Parameters
    ----------
    rule : the street-level rule.
    streets : the street names, one per unit.

    Returns
    -------
    StreetScope
    """
    names = [str(s) for s in streets]
    types = [street_type(s) for s in names]
    if rule.covers("town"):
        return StreetScope(judged=np.ones(len(names), bool), towns=[], assumed=[])
    judged = np.array([t != "town" for t in types], dtype=bool)
    towns = [s for s, t in zip(names, types, strict=True) if t == "town"]
    assumed = [s for s, t in zip(names, types, strict=True) if t is None]
    # 宜春 二(四)10 also names the towns of the county seat (县城镇), which the layers cannot tell from other towns
    return StreetScope(judged=judged, towns=towns, assumed=assumed, seat="县城镇" in rule.quote_zh)


def town_rows(
    ctx: Context, rule: Rule, scope: StreetScope, *, unit: str | None = None, threshold: float | None = None
) -> pd.DataFrame | None:
    """One advisory row per town a rule for streets (街道) does not cover, saying why it is not judged.

    Parameters
    ----------
    ctx : the check's context.
    rule : the rule for streets.
    scope : from :func:`street_scope` (its towns, and whether the text also names county-seat towns).
    unit, threshold : as the street rows of the rule show them, when they are not the rule's.

    Returns
    -------
    pandas.DataFrame or None
        One row per town (verdict ``advisory``: it informs and never fails), or None without towns.
    """
    towns = scope.towns
    if not towns:
        return None
    zh, en = [], []
    for town in towns:
        if scope.seat:
            zh.append(
                f"未评判：{town}为镇；原文另含县城镇（县城所在的镇），研究区数据无法区分哪个镇是县城镇，只列出不评判"
            )
            en.append(
                f"not judged: {town} is a town (镇); the text also covers the towns of the county seat (县城镇), "
                "which the study's data cannot tell from other towns: listed, not judged"
            )
        else:
            zh.append(f"不适用：{town}为镇（乡），本条只适用于街道")
            en.append(f"outside the rule: {town} is a town (镇), and the rule is set for streets (街道) only")
    return rows_frame(
        ctx,
        rule,
        UnitRows(
            level="street",
            unit_name=np.asarray(towns, dtype=object),
            street=np.asarray(towns, dtype=object),
            value=np.nan,
            verdict="advisory",
            shortfall=np.nan,
            need=np.nan,
            need_unit="",
            zh=np.asarray(zh, dtype=object),
            en=np.asarray(en, dtype=object),
            unit=unit,
            threshold=threshold,
        ),
    )

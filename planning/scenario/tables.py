"""A scenario comparison's tables as the app shows them: labelled in Chinese or English, every figure formatted as
text (:mod:`planning.display`), built in one place for the 方案 page's editor and its side-by-side view.

:func:`comparison_tables` gives the district's figures, the communities whose figure changes and the rules whose
verdict changes; :func:`edits_table` lists a scenario's edits; :func:`main_figure` picks the community figure the
map shades and the table lists. The command line's console and the workbook keep their own layout (plain-text
columns and numbers with Excel formats), which these text tables would change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from planning.display import finite, format_number, format_points, format_share
from planning.i18n import kind_label, tr, verdict_label
from planning.scenario.compare import ScenarioComparison
from planning.scenario.model import Scenario


@dataclass(frozen=True)
class ComparisonTables:
    """The tables of one comparison in one language.

    Attributes
    ----------
    district : the district's figures: figure, before, after, change.
    communities : the communities whose ``figure`` changes: community, street, before, after, change (empty when
        none changes).
    verdicts : the rules whose verdict changes: rule, before, after (verdict and value), citation.
    figure : the community figure listed (``within_<kind>_<m>min``), ``kind`` and ``band`` (minutes) its parts.
    """

    district: pd.DataFrame
    communities: pd.DataFrame
    verdicts: pd.DataFrame
    figure: str
    kind: str
    band: int


def number(value: Any, digits: int = 0) -> str:
    """A figure as the tables show it (thousands grouped)."""
    return format_number(value, digits, groups=",")


def signed(value: Any, digits: int = 0) -> str:
    """A change with its sign."""
    text = number(value, digits)
    return f"+{text}" if finite(value) and float(value) > 0 else text


def points(value: Any) -> str:
    """A change of a share in percentage points (no sign when nothing changes)."""
    return format_points(value).lstrip("+") if finite(value) == 0 else format_points(value)


def district_column(frame: pd.DataFrame, column: str, lang: str) -> list[str]:
    """The district figures of ``column`` (``before``, ``after`` or ``change``) of a comparison's ``district``
    frame, formatted by their unit (shares as per cent, small figures with decimals)."""
    out = []
    for unit, value in zip(frame["unit"], frame[column], strict=True):
        if unit == "share":
            out.append(format_share(value, lang=lang) if column != "change" else points(value))
        else:
            digits = 2 if unit == "m2" else 1 if unit != "elderly" else 0
            out.append(signed(value, digits) if column == "change" else number(value, digits))
    return out


def figure_names(frame: pd.DataFrame, lang: str) -> np.ndarray:
    """The names of a ``district`` frame's figures in ``lang``."""
    return frame["figure_zh" if lang == "zh" else "figure_en"].astype(str).to_numpy()


def main_figure(
    comparison: ScenarioComparison, kind: str, minutes: Sequence[int] | None = None
) -> tuple[str, int]:
    """The community figure to show: elderly within the longest band (of ``minutes``, default the comparison's) of
    ``kind`` whose figure changes anywhere (else the longest band), and that band."""
    frame = comparison.communities
    bands = tuple(minutes) if minutes else tuple(comparison.before.minutes)
    for m in sorted(bands, reverse=True):
        figure = f"within_{kind}_{m}min"
        if f"{figure}_after" in frame and (frame[f"{figure}_after"] != frame[f"{figure}_before"]).any():
            return figure, int(m)
    m = int(max(bands))
    return f"within_{kind}_{m}min", m


def community_change(comparison: ScenarioComparison, figure: str) -> np.ndarray | None:
    """Per community (in the study's order) the change of ``figure`` (None when the comparison has no such
    figure)."""
    frame = comparison.communities
    if f"{figure}_after" not in frame:
        return None
    return frame[f"{figure}_after"].to_numpy(float) - frame[f"{figure}_before"].to_numpy(float)


def district_table(comparison: ScenarioComparison, lang: str) -> pd.DataFrame:
    """The district's figures, before and after, in ``lang``."""
    frame = comparison.district
    return pd.DataFrame(
        {
            tr("scp_figure", lang): figure_names(frame, lang),
            tr("scn_col_before", lang): district_column(frame, "before", lang),
            tr("scn_col_after", lang): district_column(frame, "after", lang),
            tr("scn_col_change", lang): district_column(frame, "change", lang),
        }
    )


def communities_table(comparison: ScenarioComparison, figure: str, lang: str) -> pd.DataFrame:
    """The communities whose ``figure`` changes: name, street, before, after, change."""
    change = community_change(comparison, figure)
    if change is None:
        return pd.DataFrame()
    rows = comparison.communities[change != 0]
    return pd.DataFrame(
        {
            tr("community", lang): rows["name"].astype(str).to_numpy(),
            tr("street", lang): rows["street"].astype(str).to_numpy(),
            tr("scn_col_before", lang): [number(v) for v in rows[f"{figure}_before"]],
            tr("scn_col_after", lang): [number(v) for v in rows[f"{figure}_after"]],
            tr("scn_col_change", lang): [signed(v) for v in change[change != 0]],
        }
    )


def _verdict(verdict: Any, value: Any, lang: str) -> str:
    label = verdict_label(verdict, lang)
    return f"{label}（{number(value, 2)}）" if lang == "zh" else f"{label} ({number(value, 2)})"


def verdicts_table(comparison: ScenarioComparison, lang: str) -> pd.DataFrame:
    """The rules whose verdict changes, with their citation."""
    frame = comparison.verdicts
    names = frame["name"] if lang == "zh" or "name_en" not in frame else frame["name_en"]
    return pd.DataFrame(
        {
            tr("scn_col_rule", lang): names.astype(str).to_numpy(),
            tr("scn_col_before", lang): [
                _verdict(v, x, lang)
                for v, x in zip(frame["verdict_before"], frame["value_before"], strict=True)
            ],
            tr("scn_col_after", lang): [
                _verdict(v, x, lang)
                for v, x in zip(frame["verdict_after"], frame["value_after"], strict=True)
            ],
            tr("scn_col_citation", lang): frame["citation"].astype(str).to_numpy(),
        }
    )


def _change_text(label: str, value: Any, lang: str) -> str:
    shown = kind_label(str(value), lang) if label == "kind" else number(value)
    return f"{tr(label, lang)} {shown}"


def edits_table(scenario: Scenario, lang: str) -> pd.DataFrame:
    """The scenario's edits, one row each: what was done, to which facility, what."""
    rows = [
        (
            tr("scp_edit_added", lang),
            a.name or tr("scp_new_site", lang).format(n=i + 1),
            kind_label(a.kind, lang),
        )
        for i, a in enumerate(scenario.added)
    ]
    rows += [(tr("scp_edit_closed", lang), name, "") for name in scenario.closed]
    rows += [
        (
            tr("scp_edit_changed", lang),
            c.name,
            "; ".join(
                _change_text(label, v, lang)
                for label, v in (("beds", c.beds), ("floor_area_m2", c.floor_area_m2), ("kind", c.kind))
                if v is not None
            ),
        )
        for c in scenario.changed
    ]
    return pd.DataFrame(
        rows, columns=[tr("scp_edit_type", lang), tr("name", lang), tr("scp_edit_what", lang)]
    )


def comparison_tables(
    comparison: ScenarioComparison, lang: str, *, kind: str = "day_care", minutes: Sequence[int] | None = None
) -> ComparisonTables:
    """The tables of ``comparison`` in ``lang``; the communities table lists the elderly within reach of ``kind``
    (the kind the scenario's last edit touches) in the band :func:`main_figure` picks."""
    figure, band = main_figure(comparison, kind, minutes)
    return ComparisonTables(
        district=district_table(comparison, lang),
        communities=communities_table(comparison, figure, lang),
        verdicts=verdicts_table(comparison, lang),
        figure=figure,
        kind=kind,
        band=band,
    )

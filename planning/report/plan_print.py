"""A scenario's print sheet: the study as it is and as the scenario makes it, side by side on one A3 sheet.

Both maps shade the communities by the share of their elderly within the largest band of the kind the scenario
touches most (hidden below k as on the public map); added facilities are stars, closed ones crosses. Below: the
scenario's summary and the rules whose verdict changes, with their citations. The sheet furniture is
:mod:`planning.report.sheet`'s, as on the coverage and siting prints.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from planning.coverage import WalkNetwork
from planning.display import format_share
from planning.i18n import kind_label, say, tr, verdict_label
from planning.maps import Basemap, kind_colour
from planning.report.options import DEFAULT_K_ANON
from planning.report.print_map import Panel, draw_panels, kind_handle, underlaid_sheets, urban_villages
from planning.report.public_map import shown_community_shares
from planning.report.scenario_figure import plain_text
from planning.report.sheet import (
    SheetFormat,
    date_line,
    legend_block,
    notes_block,
    share_handles,
    source_lines,
    standard_lines,
    street_frame,
    title_block,
)
from planning.scenario import ScenarioComparison, apply_scenario
from planning.study import Study

#: The two maps' boxes (figure fractions), as on the siting scenario's sheet.
_BEFORE_BOX = (0.03, 0.30, 0.33, 0.58)
_AFTER_BOX = (0.37, 0.30, 0.33, 0.58)
#: At most this many verdict changes listed under the maps (the workbook lists them all).
_VERDICTS_LISTED = 8


def plan_kind(study: Study, comparison: ScenarioComparison) -> str:
    """The facility kind the scenario touches most (added, closed or changed), the first one on a tie."""
    sc = comparison.scenario
    fac = study.facilities
    kinds = [a.kind for a in sc.added]
    kinds += [str(k) for k in fac.loc[fac["name"].isin(sc.closed), "kind"]]
    kinds += [c.kind or str(next(iter(fac.loc[fac["name"] == c.name, "kind"]), "")) for c in sc.changed]
    kinds = [k for k in kinds if k]
    if not kinds:
        return "day_care"
    counts = Counter(kinds)
    return max(kinds, key=lambda k: (counts[k], -kinds.index(k)))


def _verdict_lines(comparison: ScenarioComparison, lang: str) -> list[str]:
    rows = comparison.verdicts
    if not len(rows):
        return [say("plan_no_verdict_change", lang)]
    lines = [say("plan_verdicts_head", lang)]
    for r in rows.head(_VERDICTS_LISTED).itertuples():
        lines.append(
            say(
                "plan_verdict_line",
                lang,
                name=str(r.name),
                unit=str(r.unit),
                before=verdict_label(str(r.verdict_before), lang),
                after=verdict_label(str(r.verdict_after), lang),
                citation=str(r.citation),
            )
        )
    if len(rows) > _VERDICTS_LISTED:
        lines.append(say("plan_verdicts_more", lang, n=len(rows) - _VERDICTS_LISTED))
    return lines


def _plan_sheet(
    fig: Any,
    study: Study,
    comparison: ScenarioComparison,
    lang: str,
    k_anon: int,
    font: Any,
    underlay: Basemap | None,
) -> None:
    from matplotlib.lines import Line2D  # optional heavy dependency: loaded when a figure is drawn

    after_study = apply_scenario(study, comparison.scenario)
    kind = plan_kind(study, comparison)
    name = study.name_en if lang == "en" else study.name
    title = say("plan_title", lang, name=name, plan=comparison.scenario.name)
    head, m, before = shown_community_shares(study, comparison.before, k_anon=k_anon, kind=kind)
    _head, _m, after = shown_community_shares(after_study, comparison.after, k_anon=k_anon, kind=kind)
    what = say("print_scenario_what", lang, kind=kind_label(head, lang), m=m)
    title_block(fig, title, f"{what}    {date_line(study, lang)}")
    villages = urban_villages(study, head)
    comm = street_frame(study, lang)
    sep = "：" if lang == "zh" else ": "
    panels = [
        Panel(
            box,
            shares,
            f"{say(f'plan_{when}', lang, plan=comparison.scenario.name)}{sep}"
            f"{format_share(_district_share(cov, head, m), 1, lang)}",
            st.facilities[st.facilities["kind"] == head],
            (lambda ax: _draw_edits(ax, study, after_study, comparison)) if when == "after" else None,
        )
        for box, shares, when, st, cov in (
            (_BEFORE_BOX, before, "before", study, comparison.before),
            (_AFTER_BOX, after, "after", after_study, comparison.after),
        )
    ]
    credit = draw_panels(fig, panels, comm=comm, kind=head, villages=villages, lang=lang, font=font,
                         underlay=underlay)  # fmt: skip
    added = Line2D([], [], marker="*", linestyle="", markersize=15, markerfacecolor=kind_colour(head),
                   markeredgecolor="black", label=say("plan_added", lang))  # fmt: skip
    closed = Line2D([], [], marker="X", linestyle="", markersize=11, markerfacecolor="black",
                    markeredgecolor="white", label=say("plan_closed", lang))  # fmt: skip
    existing = kind_handle(head, lang, label=say("existing", lang, kind=kind_label(head, lang)))
    legend_block(fig, [*share_handles(lang, k_anon, villages), existing, added, closed], what, lang)
    summary = comparison.summary if lang == "en" else comparison.summary_zh
    body = [summary, "", *_verdict_lines(comparison, lang)]
    fig.text(0.03, 0.04, "\n".join(plain_text(x) for x in body), fontsize=11, va="bottom", linespacing=1.6)
    lines = [*source_lines(study, lang, basemap_credit=credit), *standard_lines(study, lang)]
    lines.append(say("print_privacy", lang, k=k_anon))
    if comparison.scenario.notes:
        lines.append(say("plan_notes", lang, notes=comparison.scenario.notes))
    if study.synthetic:
        lines.append(tr("synthetic_notice", lang))
    notes_block(fig, lines)


def _district_share(coverage: Any, kind: str, m: int) -> float:
    """The district's share of elderly within ``m`` minutes of ``kind``."""
    t = coverage.totals
    row = t[(t["kind"] == kind) & (t["band_min"] == m)]
    return float(row["share"].iloc[0]) if len(row) else float("nan")


def _draw_edits(ax: Any, study: Study, after_study: Study, comparison: ScenarioComparison) -> None:
    """Added facilities as stars in their kind's colour, closed ones as black crosses where they stood."""
    fac = after_study.facilities
    new = fac[fac["name"].isin([a.name for a in comparison.scenario.added]) | (fac.get("built") == "new")]
    new = new[~new["name"].isin(study.facilities["name"])]
    for kind in new["kind"].unique():
        pts = new[new["kind"] == kind].geometry.representative_point()
        ax.scatter(
            pts.x, pts.y, s=320, marker="*", c=kind_colour(kind), edgecolors="black", linewidths=0.9, zorder=7
        )
    gone = study.facilities[
        study.facilities["name"].isin(comparison.scenario.closed)
    ].geometry.representative_point()
    if len(gone):
        ax.scatter(gone.x, gone.y, s=120, marker="X", c="black", edgecolors="white", linewidths=0.8, zorder=7)


def plan_print_bytes(
    study: Study,
    comparison: ScenarioComparison,
    *,
    formats: Sequence[SheetFormat] = ("pdf",),
    lang: str = "zh",
    k_anon: int = DEFAULT_K_ANON,
    network: WalkNetwork | None = None,
) -> list[bytes]:
    """A scenario's print sheet (A3 landscape; the PNG at 300 dpi) drawn once and saved in each of ``formats``.

    Parameters
    ----------
    study : the study as it is.
    comparison : the scenario compared with it (:func:`planning.scenario.compare_scenario`).
    formats : ``pdf`` and/or ``png``.
    lang : ``zh`` or ``en``.
    k_anon : the privacy threshold: a community's share that would reveal a group below it is not shown.
    network : the study's walking network (its streets are the basemap when the study has no OSM file).
    """
    return underlaid_sheets(
        study,
        lambda fig, flang, font, under: _plan_sheet(fig, study, comparison, flang, k_anon, font, under),
        network=network,
        formats=formats,
        lang=lang,
    )

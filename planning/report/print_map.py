"""The print sheets: the public coverage map and the siting scenario, each as an A3 landscape sheet (PDF, and PNG at
300 dpi) for a bureau's wall, a printed report or a 公示 board.

- :func:`coverage_print_bytes`: communities shaded by the headline kind's share (hidden where the public map hides it:
  the print map is public too), street boundaries and names, facilities by kind.
- :func:`scenario_print_bytes`: the siting scenario's before and after maps on one colour scale (shares hidden by the
  same rule), the existing facilities of the kind and the new sites in their order, the new sites listed with what
  each adds (counts below the privacy threshold shown as ``<k``) and the solver's claim.

Both carry the same furniture (:mod:`planning.report.sheet`): frame, title block, legend, metric scale bar, north
arrow, data date and sources (with the OpenStreetMap attribution when the network is OSM) and the standards cited.
Chinese needs a CJK font (:func:`planning.report.scenario_figure.cjk_font`); without one the sheets are in English."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np

from planning.coverage import CoverageResult, WalkNetwork
from planning.display import format_number, format_share
from planning.i18n import kind_label, say, tr
from planning.maps import URBAN_KINDS, Basemap, Villages, basemap_for_study, kind_colour, villages_of
from planning.report.map_legend import share_colour
from planning.report.options import DEFAULT_K_ANON, check_k_anon
from planning.report.privacy import public_count, suppress_shares, suppress_small
from planning.report.public_map import shown_community_shares
from planning.report.scenario_figure import check_same_study, plain_text
from planning.report.sheet import (
    SheetFormat,
    date_line,
    draw_ground,
    draw_north_arrow,
    draw_scale_bar,
    draw_villages,
    legend_block,
    notes_block,
    share_handles,
    sheet_bytes,
    source_lines,
    standard_lines,
    street_frame,
    title_block,
    village_print_style,
)
from planning.schema import FACILITY_KINDS
from planning.siting import SitingResult, proof_text, site_name
from planning.study import Study

#: The map's frame on the coverage sheet (figure fractions: left, bottom, width, height); the legend is to its right.
_MAP_BOX = (0.03, 0.05, 0.66, 0.84)
#: The scenario sheet's before and after maps, side by side (their titles above them).
_BEFORE_BOX = (0.03, 0.2, 0.32, 0.67)
_AFTER_BOX = (0.36, 0.2, 0.32, 0.67)
#: New sites listed on the scenario sheet (the rest are counted).
_SITES_LISTED = 8


def urban_villages(study: Study, kind: str) -> Villages | None:
    """The villages judged by their own target on a map of an urban kind (day care, embedded homes): they are no
    gap of it, as on the public map; None for other kinds or a study without villages."""
    return villages_of(study) if kind in URBAN_KINDS else None


def community_colours(share: np.ndarray, villages: Villages | None) -> list[str]:
    """The communities' colours: their share's class, grey where hidden, a village's own fill (with or without a
    mutual-aid facility) on a map of an urban kind."""
    out = [share_colour(None if not np.isfinite(v) else float(v)) for v in share]
    if villages is not None:
        for i in np.flatnonzero(villages.village):
            out[i] = village_print_style(bool(villages.has_aid[i]))["facecolor"]
    return out


def kind_handle(kind: str, lang: str, *, label: str | None = None) -> Any:
    from matplotlib.lines import Line2D  # optional heavy dependency: loaded when a figure is drawn

    return Line2D(
        [],
        [],
        marker="o",
        linestyle="",
        markersize=7,
        markerfacecolor=kind_colour(kind),
        markeredgecolor="white",
        label=label or kind_label(kind, lang),
    )


def draw_facilities(ax: Any, fac: gpd.GeoDataFrame, kinds: list[str]) -> None:
    """The facilities of ``kinds``, each kind in its colour."""
    for kind in kinds:
        pts = fac[fac["kind"] == kind].geometry.representative_point()
        ax.scatter(pts.x, pts.y, s=28, c=kind_colour(kind), edgecolors="white", linewidths=0.7, zorder=5)


# --- the coverage sheet -------------------------------------------------------------------------------------------


def _coverage_sheet(
    fig: Any,
    study: Study,
    coverage: CoverageResult,
    lang: str,
    k_anon: int,
    font: Any,
    underlay: Basemap | None,
) -> None:
    head, m, share = shown_community_shares(study, coverage, k_anon=k_anon)
    name = study.name_en if lang == "en" else study.name
    what = (
        f"{say('share_legend', lang)}（{kind_label(head, lang)}，{m} 分钟）"
        if lang == "zh"
        else f"{say('share_legend', lang)} ({kind_label(head, lang)}, {m} min)"
    )
    title_block(fig, say("map_title", lang, name=name), f"{what}    {date_line(study, lang)}")
    ax = fig.add_axes(_MAP_BOX)
    villages = urban_villages(study, head)
    comm = street_frame(study, lang)
    credit = draw_ground(
        ax, comm, community_colours(share, villages), names=font is not None, lang=lang, underlay=underlay
    )
    if villages is not None:
        draw_villages(ax, comm, villages)
    fac = study.facilities
    present = [kd for kd in FACILITY_KINDS if (fac["kind"] == kd).any()]
    draw_facilities(ax, fac, present)
    draw_scale_bar(ax, lang)
    draw_north_arrow(ax, lang)
    handles = share_handles(lang, k_anon, villages)
    legend_block(fig, handles + [kind_handle(kind, lang) for kind in present], what, lang)
    lines = [
        *source_lines(study, lang, basemap_credit=credit),
        *standard_lines(study, lang),
        say("print_privacy", lang, k=k_anon),
    ]
    if study.synthetic:
        lines.append(tr("synthetic_notice", lang))
    notes_block(fig, lines)


def coverage_print_bytes(
    study: Study,
    coverage: CoverageResult,
    *,
    formats: Sequence[SheetFormat] = ("pdf",),
    lang: str = "zh",
    k_anon: int = DEFAULT_K_ANON,
    network: WalkNetwork | None = None,
) -> list[bytes]:
    """The print map: one A3 landscape sheet (420 x 297 mm), drawn once and saved in each of ``formats`` (``pdf``;
    ``png`` at 300 dpi, 4961 x 3508 px): the report writes both, the app's download buttons one when pressed.

    Parameters
    ----------
    study, coverage : the study and its coverage (:func:`planning.coverage.coverage_of_study`).
    formats : ``pdf`` and/or ``png``, in the order returned.
    lang : ``zh`` or ``en`` (Chinese without a CJK font on the system is drawn in English).
    k_anon : the public map's privacy threshold: shares that would reveal a group below it are not shown.
    network : the study's walking network: its streets are the basemap when the study has no OSM file.
    """
    return underlaid_sheets(
        study,
        lambda fig, flang, font, under: _coverage_sheet(fig, study, coverage, flang, k_anon, font, under),
        network=network,
        formats=formats,
        lang=lang,
    )


@dataclass(frozen=True)
class Panel:
    """One of a sheet's side-by-side maps: its frame (figure fractions), the shares it shades per community, its
    title, the facilities it shows, and what else it draws over them (new sites, a plan's edits)."""

    box: tuple[float, float, float, float]
    share: np.ndarray
    title: str
    facilities: gpd.GeoDataFrame
    extra: Callable[[Any], None] | None = None


def draw_panels(
    fig: Any,
    panels: Sequence[Panel],
    *,
    comm: gpd.GeoDataFrame,
    kind: str,
    villages: Villages | None,
    lang: str,
    font: Any,
    underlay: Basemap | None,
) -> str | None:
    """Maps side by side on one colour scale (the siting scenario's, a plan's before and after): each hangs from its
    title over the basemap with villages, the kind's facilities, a scale bar; a north arrow beside the last. Returns
    the basemap's credit line."""
    credit, ax = None, None
    for panel in panels:
        ax = fig.add_axes(panel.box)
        ax.set_anchor("N")  # the maps hang from their titles; what is listed goes below
        colours = community_colours(panel.share, villages)
        credit = draw_ground(ax, comm, colours, names=font is not None, lang=lang, underlay=underlay)
        if villages is not None:
            draw_villages(ax, comm, villages)
        draw_facilities(ax, panel.facilities, [kind])
        if panel.extra is not None:
            panel.extra(ax)
        ax.set_title(panel.title, fontsize=15, fontweight="bold")
        draw_scale_bar(ax, lang)
    if ax is not None:
        draw_north_arrow(ax, lang)
    return credit


# --- the scenario sheet -------------------------------------------------------------------------------------------


def shown_scenario_shares(siting: SitingResult, *, k_anon: int) -> tuple[np.ndarray, np.ndarray]:
    """Each community's share before and after as the scenario sheet shows it: NaN where the share, with the
    community's count beside it, would give a covered or uncovered group of fewer than ``k_anon`` (the public map's
    rule, :func:`planning.report.privacy.suppress_shares`, applied to the before and to the after counts)."""
    k = check_k_anon(k_anon)
    cc = siting.communities
    streets = cc["street"].astype(object).where(cc["street"].notna(), "").to_numpy(object)
    elderly = np.round(cc["elderly"].to_numpy(float))
    hidden = suppress_small(elderly, streets, k_anon=k)
    shown = []
    for when in ("before", "after"):
        covered = np.round(cc[f"covered_{when}"].to_numpy(float))
        hide, _ = suppress_shares(elderly, covered, streets, hidden, k_anon=k)
        share = cc[f"share_{when}"].to_numpy(float).copy()
        share[hide] = np.nan
        shown.append(share)
    return shown[0], shown[1]


def site_lines(siting: SitingResult, lang: str, k_anon: int) -> list[str]:
    """The new sites in their order, each with the elderly it adds (``<k`` below the threshold) and the share
    covered once it is in: at most :data:`_SITES_LISTED`, the rest counted."""
    lines = []
    sites = siting.sites
    for r in sites.head(_SITES_LISTED).itertuples():
        value = float(r.gain_elderly)
        gain = public_count(value, 0.5 < value < k_anon - 0.5, k_anon)
        lines.append(
            say(
                "print_site_line",
                lang,
                order=int(r.order),
                name=site_name(r.name, lang),
                gain=gain if isinstance(gain, str) else format_number(gain, groups=","),
                share=format_share(r.share_after, 1, lang),
            )
        )
    if len(sites) > _SITES_LISTED:
        lines.append(say("print_sites_more", lang, n=len(sites) - _SITES_LISTED))
    return lines


def _draw_new_sites(ax: Any, siting: SitingResult) -> None:
    """The new sites as stars in the kind's colour, each with its order."""
    sx, sy = siting.sites.geometry.x.to_numpy(), siting.sites.geometry.y.to_numpy()
    ax.scatter(
        sx, sy, s=320, marker="*", c=kind_colour(siting.kind), edgecolors="black", linewidths=0.9, zorder=7
    )
    for x, y, order in zip(sx, sy, siting.sites["order"].to_numpy(), strict=True):
        ax.annotate(
            str(int(order)),
            (x, y),
            xytext=(7, 7),
            textcoords="offset points",
            fontsize=11,
            fontweight="bold",
            zorder=8,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "black", "lw": 0.5},
        )


def _scenario_sheet(
    fig: Any, study: Study, siting: SitingResult, lang: str, k_anon: int, font: Any, underlay: Basemap | None
) -> None:
    from matplotlib.lines import Line2D  # optional heavy dependency: loaded when a figure is drawn

    name = study.name_en if lang == "en" else study.name
    kind = kind_label(siting.kind, lang)
    title = say("scenario_title", lang, name=name, n=len(siting.sites), kind=kind, m=siting.minutes)
    what = say("print_scenario_what", lang, kind=kind, m=siting.minutes)
    title_block(fig, title, f"{what}    {date_line(study, lang)}")
    check_same_study(study, siting)
    villages = urban_villages(study, siting.kind)
    comm = street_frame(study, lang)
    fac = study.facilities[study.facilities["kind"] == siting.kind]
    sep = "：" if lang == "zh" else ": "
    shares = shown_scenario_shares(siting, k_anon=k_anon)
    panels = [
        Panel(
            box,
            share,
            f"{say(when, lang)}{sep}{format_share(total, 1, lang)}",
            fac,
            (lambda ax: _draw_new_sites(ax, siting)) if when == "after" and len(siting.sites) else None,
        )
        for box, share, when, total in (
            (_BEFORE_BOX, shares[0], "before", siting.share_before),
            (_AFTER_BOX, shares[1], "after", siting.share_after),
        )
    ]
    credit = draw_panels(fig, panels, comm=comm, kind=siting.kind, villages=villages, lang=lang, font=font,
                         underlay=underlay)  # fmt: skip
    new = Line2D(
        [],
        [],
        marker="*",
        linestyle="",
        markersize=15,
        markerfacecolor=kind_colour(siting.kind),
        markeredgecolor="black",
        label=say("new_sites", lang),
    )
    handles = share_handles(lang, k_anon, villages)
    existing = kind_handle(siting.kind, lang, label=say("existing", lang, kind=kind))
    legend_block(fig, [*handles, existing, new], what, lang)
    sites = [say("sites_table", lang), *site_lines(siting, lang, k_anon)] if len(siting.sites) else []
    solver = say("solver_line", lang, proof=proof_text(siting, lang), solver=siting.solver)
    fig.text(
        0.03,
        0.04,
        "\n".join(plain_text(x) for x in [*sites, solver]),
        fontsize=11,
        va="bottom",
        linespacing=1.6,
    )
    lines = [
        *source_lines(study, lang, basemap_credit=credit),
        *standard_lines(study, lang),
        say("print_privacy", lang, k=k_anon),
    ]
    if study.synthetic:
        lines.append(tr("synthetic_notice", lang))
    if siting.generated:
        lines.append(say("generated_note", lang))
    notes_block(fig, lines)


def scenario_print_bytes(
    study: Study,
    siting: SitingResult,
    *,
    formats: Sequence[SheetFormat] = ("pdf",),
    lang: str = "zh",
    k_anon: int = DEFAULT_K_ANON,
    network: WalkNetwork | None = None,
) -> list[bytes]:
    """The siting scenario as a print sheet (A3 landscape) drawn once and saved in each of ``formats`` (``pdf``;
    ``png`` at 300 dpi).

    Parameters
    ----------
    study, siting : the study and a siting result on it (:func:`planning.siting.siting_of_study`).
    formats : ``pdf`` and/or ``png``, in the order returned.
    lang : ``zh`` or ``en`` (Chinese without a CJK font on the system is drawn in English).
    k_anon : the privacy threshold: a community's share that would reveal a group below it is not shown, and a
        site's gain below it is shown as ``<k``.
    network : the study's walking network: its streets are the basemap when the study has no OSM file.
    """
    return underlaid_sheets(
        study,
        lambda fig, flang, font, under: _scenario_sheet(fig, study, siting, flang, k_anon, font, under),
        network=network,
        formats=formats,
        lang=lang,
    )


def underlaid_sheets(
    study: Study,
    draw: Callable[[Any, str, Any, Basemap | None], None],
    *,
    network: WalkNetwork | None,
    formats: Sequence[SheetFormat],
    lang: str,
) -> list[bytes]:
    """A sheet drawn once over the study's offline basemap (:func:`planning.maps.basemap_for_study`; the network's
    streets when it has no OSM file) and saved in each of ``formats``: ``draw(fig, lang, font, basemap)``."""
    underlay = basemap_for_study(study, network=network)
    return sheet_bytes(lambda fig, flang, font: draw(fig, flang, font, underlay), lang, formats=formats)

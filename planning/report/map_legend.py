"""The public map's colours, title box and legend: the choropleth's classes, the grid's classes, and the boxes
that carry the study's name, date, sources, walking speed and privacy rule (every text escaped)."""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np

from planning.coverage import CoverageResult
from planning.display import format_number, format_share
from planning.i18n import kind_label, say, tr
from planning.maps import (
    Villages,
    band_fill_opacity,
    class_breaks,
    class_colours,
    class_labels,
    kind_colour,
    village_swatch,
    village_target_text,
)
from planning.report.text import uses_osm
from planning.study import Study

#: Classes of the coverage choropleth: upper bounds of the share and colours (red = low, green = full).
SHARE_CLASSES = (
    (0.2, "#d73027"),
    (0.4, "#fc8d59"),
    (0.6, "#fee08b"),
    (0.8, "#d9ef8b"),
    (1.0 + 1e-9, "#1a9850"),
)
SUPPRESSED_COLOUR = "#bdbdbd"
#: The legend's width (the map frames the study to its right).
LEGEND_WIDTH_PX = 300
#: The service circles' fills on the public map, relative to the app's (they lie over the coverage choropleth).
CIRCLE_STRENGTH = 0.6
#: The title box and the legend: white boxes in the left column (:func:`side_panel`) that shrink and scroll.
BOX_STYLE = (
    "background:rgba(255,255,255,0.94);padding:8px 10px;border:1px solid #999;border-radius:4px;font-size:12px;"
    f"max-width:{LEGEND_WIDTH_PX - 32}px;min-height:0;flex:0 1 auto;overflow:auto;pointer-events:auto"
)
GRID_COLOURS = ("#fee5d9", "#fcae91", "#fb6a4a", "#cb181d")


def share_colour(share: float | None) -> str:
    """The choropleth colour of a share covered (grey when hidden or unknown)."""
    if share is None or not np.isfinite(share):
        return SUPPRESSED_COLOUR
    for upper, colour in SHARE_CLASSES:
        if share < upper:
            return colour
    return SHARE_CLASSES[-1][1]


def grid_classes(values: np.ndarray, k: int) -> np.ndarray:
    """Lower bounds of the grid's colour classes (the first is k; none empty, :func:`planning.maps.class_breaks`)."""
    return class_breaks(values, len(GRID_COLOURS), lower=float(k))


def grid_colours(breaks: np.ndarray) -> list[str]:
    """The colour of each grid class (spread over the ramp when there are fewer classes than colours)."""
    return class_colours(GRID_COLOURS, len(breaks))


def map_title(study: Study, lang: str) -> str:
    """The public map's title: the study's name in ``lang``."""
    return say("map_title", lang, name=study.name_en if lang == "en" else study.name)


def title_box(
    study: Study,
    cov: CoverageResult,
    *,
    lang: str,
    k: int,
    grid: float,
    head: str,
    hidden_kinds: set[str] | frozenset[str] = frozenset(),
) -> str:
    """The fixed title box: title, synthetic-data warning, headline shares (suppressed for ``hidden_kinds``), walking
    speed, data date, sources, OpenStreetMap attribution and the privacy rule."""
    m = cov.minutes[-1]
    esc = html.escape
    tot = cov.totals[cov.totals["band_min"] == m]
    shares = "；".join if lang == "zh" else "; ".join
    share_text = shares(
        [
            f"{kind_label(r.kind, lang)} {format_share(r.share, space=False)}"
            if r.kind not in hidden_kinds
            else f"{kind_label(r.kind, lang)} {say('suppressed', lang, k=k)}"
            for r in tot.itertuples()
            if np.isfinite(r.share)
        ]
    )
    lines = [
        f"<summary style='font-size:15px;font-weight:bold;cursor:pointer'>{esc(map_title(study, lang))}</summary>"
    ]
    if study.synthetic:
        lines.append(f"<div style='color:#b00;font-weight:bold'>{esc(tr('synthetic_notice', lang))}</div>")
    lines.append(
        f"<div>{esc(say('headline', lang, m=m))}："
        if lang == "zh"
        else f"<div>{esc(say('headline', lang, m=m))}: "
    )
    lines[-1] += esc(share_text) + "</div>"
    lines.append(
        "<div>" + esc(say("speed", lang, speed=cov.walk_speed_m_s, m=m, dist=cov.walk_m(m))) + "</div>"
    )
    sep = "：" if lang == "zh" else ": "
    lines.append(f"<div>{esc(say('data_date', lang))}{sep}{esc(study.data_date or '—')}</div>")
    lines.append(f"<div>{esc(say('sources', lang))}{sep}{esc(study.sources_in(lang))}</div>")
    if uses_osm(study):
        lines.append(f"<div>{esc(say('osm', lang))}</div>")
    lines.append(f"<div style='color:#555'>{esc(say('privacy', lang, k=k, grid=grid))}</div>")
    return (
        f"<details id='eldercircle-title' open style='{BOX_STYLE};line-height:1.45'>"
        + "".join(lines)
        + "</details>"
    )


def legend_box(
    cov: CoverageResult,
    present: Sequence[str],
    *,
    lang: str,
    k: int,
    head: str,
    grid_breaks: np.ndarray,
    has_grid: bool,
    grid_top: float = 0.0,
    villages: Villages | None = None,
) -> str:
    """The fixed legend: share classes of the headline kind, the suppressed colour, service-circle bands, the grid's
    classes (when any cell is shown), the villages drawn by their own target (``villages``, when the headline kind is
    an urban target: with a rural mutual-aid facility or not, the target and its citation) and the facility kinds
    ``present``."""

    esc = html.escape
    m = cov.minutes[-1]

    def swatch(
        colour: str, *, round_: bool = False, opacity: float = 1.0, border: str = "1px solid #777"
    ) -> str:
        radius = "6px" if round_ else "2px"
        return (
            f"<span style='display:inline-block;width:12px;height:12px;border-radius:{radius};"
            f"background:{colour};opacity:{opacity};margin-right:6px;vertical-align:middle;"
            f"border:{border}'></span>"
        )

    rows = [f"<summary style='cursor:pointer;font-weight:bold'>{esc(tr('legend', lang))}</summary>"]
    what = (
        f"{say('share_legend', lang)}（{kind_label(head, lang)}，{m} 分钟）"
        if lang == "zh"
        else f"{say('share_legend', lang)} ({kind_label(head, lang)}, {m} min)"
    )
    rows.append(f"<div style='margin-top:4px'>{esc(what)}</div>")
    lower = 0.0
    for upper, colour in SHARE_CLASSES:
        hi = min(upper, 1.0)
        rows.append(
            f"<div>{swatch(colour)}{format_number(lower * 100)}–{format_share(hi, 0, space=False)}</div>"
        )
        lower = upper
    rows.append(f"<div>{swatch(SUPPRESSED_COLOUR)}{esc(say('suppressed', lang, k=k))}</div>")
    if villages is not None:
        rows.append(
            f"<div style='margin-top:4px;color:#555'>{esc(village_target_text(villages, lang))}</div>"
        )
        for has, key in ((True, "village_has_aid"), (False, "village_lacks_aid")):
            fill, _, border = village_swatch(has).partition(";border:")
            rows.append(f"<div>{swatch(fill, border=border)}{esc(tr(key, lang))}</div>")
    rows.append(f"<div style='margin-top:4px'>{esc(say('circles', lang, kind='')).rstrip('：: ')}</div>")
    for i, band in enumerate(cov.minutes):
        fill = f"{kind_colour(head)}{round(255 * band_fill_opacity(i, CIRCLE_STRENGTH)):02x}"
        dash = ("solid", "dashed", "dotted")[min(i, 2)]
        rows.append(
            f"<div>{swatch(fill, border=f'1.5px {dash} {kind_colour(head)}')}"
            f"{esc(say('circle_band', lang, m=band))}</div>"
        )
    if has_grid:
        rows.append(f"<div style='margin-top:4px'>{esc(say('uncovered_col', lang))}</div>")
        labels = class_labels(grid_breaks, grid_top)
        for colour, label in zip(grid_colours(grid_breaks), labels, strict=True):
            rows.append(f"<div>{swatch(colour)}{esc(label)}</div>")
        rows.append(f"<div style='color:#555'>{esc(say('grid_note', lang, k=k))}</div>")
    rows.append(f"<div style='margin-top:4px'>{esc(tr('facilities', lang))}</div>")
    for kind in present:
        rows.append(f"<div>{swatch(kind_colour(kind), round_=True)}{esc(kind_label(kind, lang))}</div>")
    return (
        f"<details id='eldercircle-legend' open style='{BOX_STYLE};line-height:1.4'>"
        + "".join(rows)
        + "</details>"
    )


def side_panel(title: str, legend: str) -> str:
    """The title box and the legend (:func:`title_box`, :func:`legend_box`) in one column on the left, under the
    zoom buttons and as wide as the room the study is framed beside: they never lie over each other, each folds
    away, and when both are open and the window is short they share its height (each scrolls)."""
    return (
        "<div id='eldercircle-side' style='position:fixed;top:84px;left:10px;bottom:40px;z-index:9999;"
        f"display:flex;flex-direction:column;align-items:flex-start;gap:8px;width:{LEGEND_WIDTH_PX - 10}px;"
        "pointer-events:none'>" + title + legend + "</div>"
    )

"""The print map: the public coverage map as an A3 landscape sheet (PDF, and PNG at 300 dpi) for a bureau's wall or
a printed report. Communities shaded by the headline kind's share (hidden where the public map hides it: the print
map is public too), street boundaries and names, facilities by kind, a legend, a metric scale bar, a north arrow,
the data date and sources (with the OpenStreetMap attribution when the network is OSM) and the standards cited.
Chinese needs a CJK font (:func:`planning.report.scenario_figure.cjk_font`); without one the sheet is in English."""

from __future__ import annotations

import io
import textwrap
import unicodedata
from typing import Any

import geopandas as gpd
import numpy as np

from planning.coverage import CoverageResult
from planning.display import format_number, format_share
from planning.i18n import kind_label, say, tr
from planning.maps import kind_colour
from planning.report.map_legend import (
    SHARE_CLASSES,
    SUPPRESSED_COLOUR,
    URBAN_KINDS,
    VILLAGE_COLOUR,
    share_colour,
)
from planning.report.options import DEFAULT_K_ANON, check_lang
from planning.report.public_map import shown_community_shares
from planning.report.scenario_figure import figure_lang, plain_text, rc_params
from planning.report.text import uses_osm
from planning.schema import FACILITY_KINDS
from planning.standards import CIRCLE_CITATION, rules_for
from planning.study import Study

#: A3 landscape, inches (420 x 297 mm).
A3_INCHES = (420.0 / 25.4, 297.0 / 25.4)
#: The PNG's resolution and its size in pixels (A3 at 300 dpi).
PRINT_DPI = 300
A3_PIXELS = (4961, 3508)
#: Lengths a scale bar may have, metres.
SCALE_LENGTHS_M = (200.0, 500.0, 1000.0, 2000.0, 5000.0)
#: The map's frame on the sheet (figure fractions: left, bottom, width, height); the legend is to its right.
_MAP_BOX = (0.03, 0.05, 0.66, 0.84)
#: Widths of the legend's labels and the notes' lines, in columns (a Chinese character is two).
_LEGEND_COLUMNS = 44
_NOTE_COLUMNS = 66


def wrap_columns(text: str, columns: int) -> list[str]:
    """``text`` in lines of at most ``columns`` columns, a Chinese character counting two (English is wrapped at
    spaces, Chinese anywhere)."""
    if not any(unicodedata.east_asian_width(ch) in "WF" for ch in text):
        return textwrap.wrap(text, columns) or [""]
    lines, line, used = [], "", 0
    for ch in text:
        width = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if used + width > columns:
            lines.append(line)
            line, used = "", 0
        line += ch
        used += width
    return [*lines, line]


def scale_length(width_m: float) -> float:
    """The scale bar's length for a map ``width_m`` wide: the round length nearest a fifth of it (on a log scale)."""
    target = max(width_m, 1.0) / 5.0
    return min(SCALE_LENGTHS_M, key=lambda s: abs(np.log(s / target)))


def scale_label(length_m: float, lang: str) -> str:
    """``500 米`` / ``2 公里`` (``500 m`` / ``2 km``)."""
    if length_m < 1000.0:
        return say("print_scale_m", lang, n=length_m)
    return say("print_scale_km", lang, n=length_m / 1000.0)


def standard_lines(study: Study, lang: str) -> list[str]:
    """The standards the sheet measures against, with their citations: the 15-minute service circle, and the day-care
    rule of the study's preset (when it has one)."""
    lines = [say("print_circle_standard", lang, citation=CIRCLE_CITATION)]
    rules = rules_for(study.standards.preset, overrides=study.standards.overrides)
    rule = rules.get("daycare_urban_communities_share")
    if rule is not None:
        lines.append(
            say(
                "print_daycare_standard",
                lang,
                title=rule.title_zh if lang == "zh" else rule.title_en,
                value=format_share(rule.value, 0, space=False),
                citation=rule.citation,
            )
        )
    return lines


def _frames(
    study: Study, head: str, share: np.ndarray, lang: str
) -> tuple[gpd.GeoDataFrame, list[str], bool]:
    """The communities with their colours, and whether any is a village shaded neutral."""
    comm = gpd.GeoDataFrame(
        {"street": study.communities["street"].astype(object).to_numpy(object)},
        geometry=study.communities.geometry.to_numpy(),
        crs=study.crs,
    )
    comm["street"] = comm["street"].where(comm["street"].notna(), say("no_street", lang))
    neutral = np.zeros(len(comm), dtype=bool)
    if head in URBAN_KINDS and "kind" in study.communities:
        neutral = (study.communities["kind"] == "rural").to_numpy(bool)
    colours = [
        VILLAGE_COLOUR if n else share_colour(None if not np.isfinite(v) else float(v))
        for v, n in zip(share, neutral, strict=True)
    ]
    return comm, colours, bool(neutral.any())


def _draw_map(ax: Any, study: Study, comm: gpd.GeoDataFrame, colours: list[str], *, names: bool) -> list[str]:
    """Communities, street boundaries (and names), facilities by kind; returns the kinds drawn."""
    comm.plot(ax=ax, color=colours, edgecolor="#888888", linewidth=0.3)
    streets = comm[["street", "geometry"]].dissolve(by="street").reset_index()
    streets.boundary.plot(ax=ax, color="#222222", linewidth=1.2)
    if names:
        for p, name in zip(streets.geometry.representative_point(), streets["street"], strict=True):
            ax.text(
                p.x,
                p.y,
                plain_text(name),
                fontsize=9,
                ha="center",
                va="center",
                color="#222222",
                zorder=6,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.6},
            )
    fac = study.facilities
    present = [kd for kd in FACILITY_KINDS if (fac["kind"] == kd).any()]
    for kind in present:
        pts = fac[fac["kind"] == kind].geometry.representative_point()
        ax.scatter(pts.x, pts.y, s=28, c=kind_colour(kind), edgecolors="white", linewidths=0.7, zorder=5)
    x0, y0, x1, y1 = comm.total_bounds
    pad = 0.04 * max(x1 - x0, y1 - y0)
    ax.set_xlim(x0 - pad, x1 + pad)
    ax.set_ylim(y0 - 2.5 * pad, y1 + pad)  # room for the scale bar below the study
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    return present


def _draw_scale_and_north(ax: Any, lang: str) -> None:
    """A metric scale bar (a round length about a fifth of the map's width) and a north arrow (the study's CRS is
    projected with north up)."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    length = scale_length(x1 - x0)
    bx, by = x0 + 0.04 * (x1 - x0), y0 + 0.03 * (y1 - y0)
    half = length / 2.0
    ax.plot([bx, bx + half], [by, by], color="black", linewidth=5, solid_capstyle="butt", zorder=7)
    ax.plot([bx + half, bx + length], [by, by], color="white", linewidth=5, solid_capstyle="butt", zorder=7)
    ax.plot([bx, bx + length], [by, by], color="black", linewidth=0.8, zorder=8)
    for x in (bx, bx + half, bx + length):
        ax.plot([x, x], [by - 0.006 * (y1 - y0), by + 0.006 * (y1 - y0)], color="black", lw=0.8, zorder=8)
    ax.text(bx, by + 0.015 * (y1 - y0), "0", ha="center", va="bottom", fontsize=9, zorder=8)
    ax.text(
        bx + length, by + 0.015 * (y1 - y0), scale_label(length, lang), ha="center", va="bottom", fontsize=9
    )
    ax.annotate(
        say("north", lang),
        xy=(1.05, 1.0),
        xytext=(1.05, 0.91),
        xycoords="axes fraction",
        annotation_clip=False,
        ha="center",
        va="center",
        fontsize=14,
        fontweight="bold",
        arrowprops={"facecolor": "black", "width": 5, "headwidth": 14, "headlength": 14},
        zorder=8,
    )


def _legend_handles(lang: str, head: str, m: int, k: int, present: list[str], villages: bool) -> list[Any]:
    from matplotlib.lines import Line2D  # optional heavy dependency: loaded when a figure is drawn
    from matplotlib.patches import Patch

    handles: list[Any] = []
    lower = 0.0
    for upper, colour in SHARE_CLASSES:
        label = f"{format_number(lower * 100)}–{format_share(min(upper, 1.0), 0, space=False)}"
        handles.append(Patch(facecolor=colour, edgecolor="#777777", label=label))
        lower = upper
    handles.append(
        Patch(facecolor=SUPPRESSED_COLOUR, edgecolor="#777777", label=say("suppressed", lang, k=k))
    )
    if villages:
        village = say("village_neutral", lang, kind=kind_label(head, lang))
        label = "\n".join(wrap_columns(village, _LEGEND_COLUMNS))
        handles.append(Patch(facecolor=VILLAGE_COLOUR, edgecolor="#777777", label=label))
    handles.append(Line2D([], [], color="#222222", linewidth=1.2, label=tr("street", lang)))
    for kind in present:
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markersize=7,
                markerfacecolor=kind_colour(kind),
                markeredgecolor="white",
                label=kind_label(kind, lang),
            )
        )
    return handles


def _notes(study: Study, lang: str, k: int) -> list[str]:
    """The sheet's foot: data date and sources, OSM attribution, standards cited, privacy rule, synthetic data."""
    sep = "：" if lang == "zh" else ": "
    lines = [
        f"{say('data_date', lang)}{sep}{study.data_date or '—'}",
        f"{say('sources', lang)}{sep}{'; '.join(study.sources) or '—'}",
    ]
    if uses_osm(study):
        lines.append(say("osm", lang))
    lines.extend(standard_lines(study, lang))
    lines.append(say("print_privacy", lang, k=k))
    if study.synthetic:
        lines.append(tr("synthetic_notice", lang))
    return [plain_text(part) for x in lines for part in wrap_columns(x, _NOTE_COLUMNS)]


def _sheet(study: Study, coverage: CoverageResult, lang: str, k_anon: int) -> tuple[Any, str | None]:
    """The A3 sheet as a matplotlib Figure."""
    from matplotlib.figure import Figure  # optional heavy dependency: loaded when a figure is drawn

    head, m, share = shown_community_shares(study, coverage, k_anon=k_anon)
    flang, font = figure_lang(lang)
    fig = Figure(figsize=A3_INCHES)
    name = study.name_en if flang == "en" else study.name
    fig.text(0.03, 0.955, plain_text(say("map_title", flang, name=name)), fontsize=24, fontweight="bold")
    what = (
        f"{say('share_legend', flang)}（{kind_label(head, flang)}，{m} 分钟）"
        if flang == "zh"
        else f"{say('share_legend', flang)} ({kind_label(head, flang)}, {m} min)"
    )
    sep = "：" if flang == "zh" else ": "
    fig.text(
        0.03,
        0.925,
        plain_text(f"{what}    {say('data_date', flang)}{sep}{study.data_date or '—'}"),
        fontsize=13,
    )
    ax = fig.add_axes(_MAP_BOX)
    comm, colours, villages = _frames(study, head, share, flang)
    present = _draw_map(ax, study, comm, colours, names=font is not None)
    _draw_scale_and_north(ax, flang)
    handles = _legend_handles(flang, head, m, k_anon, present, villages)
    fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.72, 0.89),
        title=f"{tr('legend', flang)}\n{what}",
        fontsize=11,
        title_fontsize=12,
        frameon=True,
        alignment="left",
    )
    fig.text(0.72, 0.05, "\n".join(_notes(study, flang, k_anon)), fontsize=8.5, va="bottom", linespacing=1.5)
    return fig, font


def coverage_print(
    study: Study, coverage: CoverageResult, *, lang: str = "zh", k_anon: int = DEFAULT_K_ANON
) -> tuple[bytes, bytes]:
    """The print map as (PDF, PNG): one A3 landscape sheet (420 x 297 mm), the PNG at 300 dpi (4961 x 3508 px).

    Parameters
    ----------
    study, coverage : the study and its coverage (:func:`planning.coverage.coverage_of_study`).
    lang : ``zh`` or ``en`` (Chinese without a CJK font on the system is drawn in English).
    k_anon : the public map's privacy threshold: shares that would reveal a group below it are not shown.
    """
    import matplotlib  # optional heavy dependency: loaded when a figure is drawn
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    lang = check_lang(lang)
    _, font = figure_lang(lang)
    with matplotlib.rc_context(rc_params(font)):
        fig, _ = _sheet(study, coverage, lang, k_anon)
        FigureCanvasAgg(fig)
        pdf = io.BytesIO()
        fig.savefig(pdf, format="pdf", metadata={"CreationDate": None, "Creator": "eldercircle"})
        # the PNG's pixels: A3 at 300 dpi rounded to whole pixels (matplotlib floors the figure's size)
        fig.set_size_inches((A3_PIXELS[0] + 0.5) / PRINT_DPI, (A3_PIXELS[1] + 0.5) / PRINT_DPI)
        png = io.BytesIO()
        fig.savefig(png, format="png", dpi=PRINT_DPI)
    return pdf.getvalue(), png.getvalue()

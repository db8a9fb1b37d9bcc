"""The furniture of a print sheet, shared by the coverage print and the scenario print: the A3 landscape page with its
frame and fonts, the title block, a map's ground (communities shaded, street boundaries and names: the one place a
basemap is drawn under), a metric scale bar, a north arrow, the block of notes (data date, sources, OpenStreetMap
attribution, the standards cited) and the sheet saved as PDF and as a 300 dpi PNG.

Chinese needs a CJK font (:func:`planning.report.scenario_figure.cjk_font`); without one the sheet is in English."""

from __future__ import annotations

import io
import textwrap
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any, Literal

import geopandas as gpd
import numpy as np

from planning.display import format_number, format_share
from planning.i18n import say, tr
from planning.maps import (
    VILLAGE_HAS_STYLE,
    VILLAGE_LACKS_STYLE,
    Basemap,
    Villages,
    village_target_text,
)
from planning.report.map_legend import SHARE_CLASSES, SUPPRESSED_COLOUR
from planning.report.options import check_lang
from planning.report.print_basemap import BasemapStyle, draw_basemap
from planning.report.scenario_figure import figure_lang, plain_text, rc_params
from planning.report.text import uses_osm
from planning.standards import CIRCLE_CITATION, rules_for
from planning.study import Study

#: Opacity of the community shading over a basemap (its streets and water show through).
UNDERLAY_FILL_ALPHA = 0.62
#: The basemap's names printed above the translucent shading (zorder 1), below the boundaries and the data.
_PRINT_STYLE = BasemapStyle(label_zorder=1.5)

#: A3 landscape, inches (420 x 297 mm).
A3_INCHES = (420.0 / 25.4, 297.0 / 25.4)
#: The PNG's resolution and its size in pixels (A3 at 300 dpi).
PRINT_DPI = 300
A3_PIXELS = (4961, 3508)
#: Lengths a scale bar may have, metres.
SCALE_LENGTHS_M = (200.0, 500.0, 1000.0, 2000.0, 5000.0)
#: The right-hand column of a sheet (legend and notes), figure fraction from the left.
SIDE_X = 0.72
#: Widths of the legend's labels and the notes' lines, in columns (a Chinese character is two).
LEGEND_COLUMNS = 44
NOTE_COLUMNS = 66

#: The files a sheet is saved as.
SheetFormat = Literal["pdf", "png"]
#: What draws a sheet's content on the figure, given the language it can be drawn in and the CJK font (or None).
DrawSheet = Callable[[Any, str, "str | None"], None]


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


def date_line(study: Study, lang: str) -> str:
    """``数据日期：2026-11`` (``Data date: 2026-11``; a dash when the study gives none)."""
    sep = "：" if lang == "zh" else ": "
    return f"{say('data_date', lang)}{sep}{study.data_date or '—'}"


def source_lines(study: Study, lang: str, *, basemap_credit: str | None = None) -> list[str]:
    """The data date, the sources and (when the network is OpenStreetMap's) the OSM attribution, with the
    basemap's credit (:func:`draw_ground`) for a real study (a synthetic study's OSM-format streets are invented)."""
    sep = "：" if lang == "zh" else ": "
    lines = [date_line(study, lang), f"{say('sources', lang)}{sep}{study.sources_in(lang)}"]
    if uses_osm(study):
        lines.append(say("osm", lang))
        if basemap_credit:
            lines.append(basemap_credit)
    return lines


def title_block(fig: Any, title: str, subtitle: str) -> None:
    """The sheet's title (large, bold) and the line below it, top left."""
    fig.text(0.03, 0.955, plain_text(title), fontsize=24, fontweight="bold")
    fig.text(0.03, 0.925, plain_text(subtitle), fontsize=13)


def notes_block(fig: Any, lines: Sequence[str], *, x: float = SIDE_X, y: float = 0.05) -> None:
    """The sheet's foot notes, wrapped to the side column, their last line at ``y`` (figure fraction)."""
    wrapped = [plain_text(part) for line in lines for part in wrap_columns(line, NOTE_COLUMNS)]
    fig.text(x, y, "\n".join(wrapped), fontsize=8.5, va="bottom", linespacing=1.5)


def street_frame(study: Study, lang: str) -> gpd.GeoDataFrame:
    """The communities (study CRS) with their street (``no_street`` said in ``lang`` where a community has none)."""
    comm = gpd.GeoDataFrame(
        {"street": study.communities["street"].astype(object).to_numpy(object)},
        geometry=study.communities.geometry.to_numpy(),
        crs=study.crs,
    )
    comm["street"] = comm["street"].where(comm["street"].notna(), say("no_street", lang))
    return comm


def draw_ground(
    ax: Any,
    comm: gpd.GeoDataFrame,
    colours: Sequence[str],
    *,
    names: bool,
    lang: str = "zh",
    underlay: Basemap | None = None,
) -> str | None:
    """A map's ground, the same on every sheet: the offline basemap (``underlay``: streets, water, railways and
    names, :func:`planning.report.draw_basemap`), the communities shaded with ``colours`` (translucent over a
    basemap, so its streets show through), the street boundaries and (when a font can draw them) the street names;
    the extent fits the study with room for the scale bar below. Returns the basemap's credit line, or None."""
    x0, y0, x1, y1 = comm.total_bounds
    pad = 0.04 * max(x1 - x0, y1 - y0)
    extent = (x0 - pad, y0 - 2.5 * pad, x1 + pad, y1 + pad)  # room for the scale bar below the study
    credit = None
    if underlay is not None:
        credit = draw_basemap(ax, underlay, extent=extent, lang=lang, style=_PRINT_STYLE)
    comm.plot(
        ax=ax,
        color=list(colours),
        edgecolor="#888888",
        linewidth=0.3,
        alpha=1.0 if underlay is None else UNDERLAY_FILL_ALPHA,
    )
    streets = comm[["street", "geometry"]].dissolve(by="street").reset_index()
    streets.boundary.plot(ax=ax, color="#222222", linewidth=1.2)
    if names:
        for p, name in zip(streets.geometry.representative_point(), streets["street"], strict=True):
            ax.text(
                p.x,
                p.y,
                plain_text(name),
                fontsize=12,
                fontweight="bold",
                ha="center",
                va="center",
                color="#222222",
                zorder=6,
                bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "#222222", "lw": 0.6, "alpha": 0.85},
            )
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    return credit


def draw_scale_bar(ax: Any, lang: str) -> None:
    """A metric scale bar at the map's lower left: a round length about a fifth of the map's width, in two halves."""
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


def draw_north_arrow(ax: Any, lang: str) -> None:
    """A north arrow inside the map's top right corner, on a white disc so it reads over the basemap (the study's
    CRS is projected with north up); inside the frame it never meets the legend, whatever the study's shape."""
    ax.annotate(
        say("north", lang),
        xy=(0.95, 0.975),
        xytext=(0.95, 0.895),
        xycoords="axes fraction",
        ha="center",
        va="center",
        fontsize=14,
        fontweight="bold",
        bbox={"boxstyle": "circle,pad=0.25", "fc": "white", "ec": "#444444", "lw": 0.6, "alpha": 0.9},
        arrowprops={"facecolor": "black", "width": 5, "headwidth": 14, "headlength": 14},
        zorder=8,
    )


def share_handles(lang: str, k: int, villages: Villages | None) -> list[Any]:
    """The legend's entries of the share classes, the suppressed grey, the villages by their own target (when the
    map shows an urban kind: with and without a rural mutual-aid facility, and the target with its citation) and
    the street boundary."""
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
    if villages is not None:
        for has, key in ((True, "village_has_aid"), (False, "village_lacks_aid")):
            style = village_print_style(has)
            handles.append(Patch(**style, label="\n".join(wrap_columns(say(key, lang), LEGEND_COLUMNS))))
        target = "\n".join(wrap_columns(village_target_text(villages, lang), LEGEND_COLUMNS))
        handles.append(Patch(facecolor="none", edgecolor="none", label=target))
    handles.append(Line2D([], [], color="#222222", linewidth=1.2, label=tr("street", lang)))
    return handles


def village_print_style(has_aid: bool) -> dict[str, Any]:
    """A village's fill and outline on paper, by its own target (the web maps' colours and dashes)."""
    style = VILLAGE_HAS_STYLE if has_aid else VILLAGE_LACKS_STYLE
    return {
        "facecolor": style["fillColor"],
        "edgecolor": style["color"],
        "linewidth": 1.6 if has_aid else 1.3,
        "linestyle": "--" if style.get("dashArray") else "-",
    }


def draw_villages(ax: Any, comm: gpd.GeoDataFrame, villages: Villages) -> None:
    """The villages' outlines by their own target, over the shading (green solid: has a mutual-aid facility; brown
    dashed: has none)."""
    for has in (True, False):
        pick = villages.village & (villages.has_aid == has)
        if pick.any():
            style = village_print_style(has)
            comm.loc[pick].boundary.plot(
                ax=ax,
                color=style["edgecolor"],
                linewidth=style["linewidth"],
                linestyle=style["linestyle"],
                zorder=2.5,
            )
    ax.set_xlabel("")  # geopandas labels the axes with the CRS's axis names (Easting, Northing)
    ax.set_ylabel("")


def legend_block(fig: Any, handles: list[Any], what: str, lang: str) -> None:
    """The legend, top of the side column, titled with what the colours show."""
    fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(SIDE_X, 0.89),
        title="\n".join([tr("legend", lang), *(plain_text(x) for x in wrap_columns(what, LEGEND_COLUMNS))]),
        fontsize=11,
        title_fontsize=12,
        frameon=True,
        alignment="left",
    )


def draw_frame(fig: Any) -> None:
    """A thin frame round the sheet, inside the printer's margin."""
    from matplotlib.patches import Rectangle  # optional heavy dependency: loaded when a figure is drawn

    fig.add_artist(
        Rectangle(
            (0.012, 0.015),
            0.976,
            0.97,
            transform=fig.transFigure,
            fill=False,
            edgecolor="#444444",
            linewidth=1.0,
        )
    )


def sheet_bytes(
    draw: DrawSheet, lang: str, *, formats: Sequence[SheetFormat] = ("pdf", "png")
) -> list[bytes]:
    """An A3 landscape sheet drawn by ``draw(fig, lang, font)`` and framed, in each of ``formats``: ``pdf`` (one
    420 x 297 mm page) and ``png`` (300 dpi, 4961 x 3508 px). ``lang`` is checked; Chinese without a CJK font on the
    system is drawn in English."""
    import matplotlib  # optional heavy dependency: loaded when a figure is drawn
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    flang, font = figure_lang(check_lang(lang))
    out: list[bytes] = []
    with matplotlib.rc_context(rc_params(font)):
        fig = Figure(figsize=A3_INCHES)
        FigureCanvasAgg(fig)
        draw(fig, flang, font)
        draw_frame(fig)
        for fmt in formats:
            buf = io.BytesIO()
            if fmt == "pdf":
                fig.set_size_inches(A3_INCHES)
                fig.savefig(buf, format="pdf", metadata={"CreationDate": None, "Creator": "eldercircle"})
            else:
                # the PNG's pixels: A3 at 300 dpi rounded to whole pixels (matplotlib floors the figure's size)
                fig.set_size_inches((A3_PIXELS[0] + 0.5) / PRINT_DPI, (A3_PIXELS[1] + 0.5) / PRINT_DPI)
                fig.savefig(buf, format="png", dpi=PRINT_DPI)
            out.append(buf.getvalue())
    return out

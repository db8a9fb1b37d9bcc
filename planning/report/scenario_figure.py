"""The scenario figures: before/after maps of a siting run on one colour scale (PNG for print, SVG for the page),
the share per street and the new sites with their gains. Text drawn as written (``$`` is not mathematics), ID and
phone numbers replaced; Chinese needs a CJK font found on the system, else the figure is drawn in English."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np

from geo.errors import StudyError
from planning.display import format_number, format_points, format_share
from planning.export import redact_text
from planning.i18n import kind_label, message, say, tr
from planning.maps import URBAN_KINDS, VILLAGE_COLOUR
from planning.report.map_legend import SHARE_CLASSES, SUPPRESSED_COLOUR
from planning.report.options import check_lang
from planning.report.text import uses_osm
from planning.siting import SitingResult, proof_text, site_name
from planning.study import Study

_CJK_FONT_NAMES = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "Droid Sans Fallback",
    "AR PL UMing CN",
)
_CJK_FONT_GLOBS = (
    "*NotoSansCJK*",
    "*NotoSansSC*",
    "*SourceHanSans*",
    "*wqy*",
    "simhei*",
    "msyh*",
    "PingFang*",
    "*DroidSansFallback*",
)
_FONT_DIRS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.fonts",
    "~/.local/share/fonts",
    "/Library/Fonts",
    "/System/Library/Fonts",
    "C:/Windows/Fonts",
)


def cjk_font() -> str | None:
    """The name of a font with Chinese glyphs that matplotlib can use, registering one found on the system (Noto
    Sans CJK from ``fonts-noto-cjk``, Source Han, WenQuanYi, SimHei, YaHei, PingFang), or None."""
    from matplotlib import font_manager  # optional heavy dependency: loaded when a figure is drawn

    names = {f.name for f in font_manager.fontManager.ttflist}
    for name in _CJK_FONT_NAMES:
        if name in names:
            return name
    for folder in _FONT_DIRS:
        base = Path(folder).expanduser()
        if not base.is_dir():
            continue
        for pattern in _CJK_FONT_GLOBS:
            # register every weight of the family (regular and bold) before asking for it by name
            for path in sorted(base.rglob(pattern)):
                if path.suffix.lower() not in (".ttc", ".ttf", ".otf"):
                    continue
                try:
                    font_manager.fontManager.addfont(str(path))
                except (OSError, RuntimeError, ValueError):
                    continue
            names = {f.name for f in font_manager.fontManager.ttflist}
            for name in _CJK_FONT_NAMES:
                if name in names:
                    return name
    return None


def figure_lang(lang: str) -> tuple[str, str | None]:
    """The language the figure can be drawn in, and the CJK font (Chinese falls back to English without one)."""
    font = cjk_font()
    return (lang if (font is not None or lang == "en") else "en"), font


def check_same_study(study: Study, siting: SitingResult) -> None:
    """Refuse a siting result made on another study (its communities are not the study's).

    Raises
    ------
    StudyError
        When the numbers of communities differ.
    """
    if len(siting.communities) != len(study.communities):
        raise StudyError(
            message(
                "err_siting_other_study",
                n_result=len(siting.communities),
                folder=study.folder,
                n_study=len(study.communities),
            )
        )


def _scenario_frames(study: Study, siting: SitingResult) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    check_same_study(study, siting)
    comm = gpd.GeoDataFrame(
        siting.communities.reset_index(drop=True),
        geometry=study.communities.geometry.to_numpy(),
        crs=study.crs,
    )
    comm["street_key"] = comm["street"].fillna("(no street)")
    streets = comm[["street_key", "geometry"]].dissolve(by="street_key").reset_index()
    return comm, streets


def _villages_apart(study: Study, kind: str) -> np.ndarray:
    """Per community whether it is a village drawn neutral: villages are no gap of an urban target (day care,
    embedded homes), as on the public map."""
    if kind in URBAN_KINDS and "kind" in study.communities:
        return (study.communities["kind"] == "rural").to_numpy(bool)
    return np.zeros(len(study.communities), dtype=bool)


def _share_hex(value: float, cmap: Any, norm: Any) -> str:
    """The colour class of a share (fraction) as hex; the suppressed colour when it is not shown."""
    from matplotlib import colors  # optional heavy dependency: loaded when a figure is drawn

    return colors.to_hex(cmap(norm(min(value, 1.0)))) if np.isfinite(value) else SUPPRESSED_COLOUR


def _draw_maps(axes: Sequence[Any], study: Study, siting: SitingResult, lang: str, *, names: bool) -> Any:
    """Before and after maps on two axes; returns the ScalarMappable of the shared colour scale."""
    from matplotlib import cm, colors  # optional heavy dependency: loaded when a figure is drawn

    comm, streets = _scenario_frames(study, siting)
    cmap = colors.ListedColormap([c for _, c in SHARE_CLASSES])
    norm = colors.BoundaryNorm([0.0, 0.2, 0.4, 0.6, 0.8, 1.0], cmap.N)
    fac = study.facilities[study.facilities["kind"] == siting.kind]
    x0, y0, x1, y1 = comm.total_bounds
    pad = 0.03 * max(x1 - x0, y1 - y0)
    label = kind_label(siting.kind, lang)
    village = _villages_apart(study, siting.kind)
    for ax, col, title in (
        (axes[0], "share_before", say("before", lang)),
        (axes[1], "share_after", say("after", lang)),
    ):
        share = comm[col].to_numpy(float)
        colours = [
            VILLAGE_COLOUR if rural else _share_hex(v, cmap, norm)
            for v, rural in zip(share, village, strict=True)
        ]
        comm.plot(ax=ax, color=colours, edgecolor="#777777", linewidth=0.3)
        if village.any():
            ax.fill([], [], color=VILLAGE_COLOUR, label=say("village_neutral", lang, kind=label))
        streets.boundary.plot(ax=ax, color="#222222", linewidth=1.0)
        if len(fac):
            ax.scatter(
                fac.geometry.x,
                fac.geometry.y,
                s=14,
                c="#1f3b73",
                edgecolors="white",
                linewidths=0.5,
                zorder=4,
                label=say("existing", lang, kind=label),
            )
        if col == "share_after" and len(siting.sites):
            sx, sy = siting.sites.geometry.x.to_numpy(), siting.sites.geometry.y.to_numpy()
            ax.scatter(
                sx,
                sy,
                s=120,
                marker="*",
                c="#d7191c",
                edgecolors="black",
                linewidths=0.6,
                zorder=5,
                label=say("new_sites", lang),
            )
            for x, y, order in zip(sx, sy, siting.sites["order"].to_numpy(), strict=False):
                ax.annotate(
                    str(int(order)),
                    (x, y),
                    xytext=(4, 4),
                    textcoords="offset points",
                    fontsize=8,
                    fontweight="bold",
                    zorder=6,
                )
        if names:
            pts = comm.geometry.representative_point()
            for p, name in zip(pts, comm["name"].astype(str), strict=False):
                ax.text(
                    p.x, p.y, _plain(name), fontsize=4.5, ha="center", va="center", color="#333333", zorder=3
                )
        share = siting.share_before if col == "share_before" else siting.share_after
        ax.set_title(f"{title}{'：' if lang == 'zh' else ': '}{format_share(share, 1, lang)}", fontsize=11)
        ax.set_xlim(x0 - pad, x1 + pad)
        ax.set_ylim(y0 - pad, y1 + pad)
        ax.set_aspect("equal")
        ax.set_axis_off()
        # 1 km scale bar
        bx, by = x0, y0 - 0.5 * pad
        ax.plot([bx, bx + 1000.0], [by, by], color="black", linewidth=2, solid_capstyle="butt")
        ax.text(bx + 500.0, by + 0.15 * pad, say("scale_km", lang), ha="center", va="bottom", fontsize=7)
        ax.legend(loc="upper right", fontsize=7, framealpha=0.85)
    return cm.ScalarMappable(norm=norm, cmap=cmap)


def scenario_header(study: Study, siting: SitingResult, lang: str) -> tuple[str, str]:
    """The scenario's title and its line of elderly covered (or served) before and after."""
    name = study.name_en if lang == "en" else study.name
    title = say(
        "scenario_title",
        lang,
        name=name,
        n=len(siting.sites),
        kind=kind_label(siting.kind, lang),
        m=siting.minutes,
    )
    total = siting.elderly_total or 1.0
    line = say(
        "served_line" if siting.objective == "capacitated" else "covered_line",
        lang,
        b=siting.covered_before,
        a=siting.covered_after,
        t=siting.elderly_total,
        bp=100.0 * siting.covered_before / total,
        ap=100.0 * siting.covered_after / total,
    )
    return title, line


def scenario_footer(study: Study, siting: SitingResult, lang: str) -> list[str]:
    """The scenario's footnotes: solver, data date and sources, synthetic data, generated or excluded candidates,
    OpenStreetMap attribution."""
    sep = "：" if lang == "zh" else ": "
    lines = [
        say("solver_line", lang, proof=proof_text(siting, lang), solver=siting.solver),
        (
            f"{say('data_date', lang)}{sep}{study.data_date or '—'}{'；' if lang == 'zh' else '; '}{say('sources', lang)}{sep}"
            f"{study.sources_in(lang)}"
        ),
    ]
    if study.synthetic:
        lines.append(tr("synthetic_notice", lang))
    if siting.generated:
        lines.append(say("generated_note", lang))
    layer_ex = (
        siting.excluded[~siting.excluded["generated"].astype(bool)]
        if len(siting.excluded)
        else siting.excluded
    )
    if len(layer_ex):
        names = [str(n) for n in layer_ex["name"]]
        shown = ("、" if lang == "zh" else ", ").join(names[:5]) + (" …" if len(names) > 5 else "")
        lines.append(say("excluded_note", lang, n=len(names), names=shown))
    if uses_osm(study):
        lines.append(say("osm", lang))
    return lines


def _plain(text: Any) -> str:
    """Text for a matplotlib figure as written: ID and phone numbers replaced, ``$`` not read as mathematics (a
    name with ``$`` would otherwise be parsed as mathtext, and a malformed one stops the figure), control
    characters as spaces."""
    return re.sub(r"[\x00-\x1f\x7f]", " ", redact_text(str(text))).replace("$", r"\$")


def plain_text(text: Any) -> str:
    """Text for a matplotlib figure as written (:func:`_plain`: ``$`` not mathematics, ID and phone numbers
    replaced)."""
    return _plain(text)


def rc_params(font: str | None) -> Any:
    """matplotlib settings of the report's figures: the CJK font (when any) before DejaVu Sans."""
    return _rc(font)


def _rc(font: str | None) -> Any:
    return {
        "font.family": "sans-serif",
        "font.sans-serif": ([font] if font else []) + ["DejaVu Sans"],
        "axes.unicode_minus": False,
        "svg.fonttype": "path",
        "svg.hashsalt": "eldercircle",
    }


def scenario_png(study: Study, siting: SitingResult, *, lang: str = "zh", dpi: int = 150) -> bytes:
    """A printable before/after comparison (A4 landscape PNG): the two maps side by side with one colour scale,
    the share covered per street before and after, and the new sites with their marginal gains.

    Chinese needs a CJK font (Noto Sans CJK from ``fonts-noto-cjk`` or another found on the system); without one the
    figure is drawn in English and community names are left off the maps.
    """
    return _scenario_bytes(study, siting, lang=lang, fmt="png", dpi=dpi)


def scenario_pdf(study: Study, siting: SitingResult, *, lang: str = "zh") -> bytes:
    """The same comparison as :func:`scenario_png`, as a one-page landscape PDF (vector, for print)."""
    return _scenario_bytes(study, siting, lang=lang, fmt="pdf", dpi=150)


def _scenario_bytes(study: Study, siting: SitingResult, *, lang: str, fmt: str, dpi: int) -> bytes:
    """The before/after comparison drawn once, saved as ``fmt`` (``png`` at ``dpi``, or ``pdf``)."""
    import matplotlib  # optional heavy dependency: loaded when a figure is drawn
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    lang = check_lang(lang)
    flang, font = figure_lang(lang)
    with matplotlib.rc_context(_rc(font)):
        fig = Figure(figsize=(16.54, 11.69))
        FigureCanvasAgg(fig)
        grid = fig.add_gridspec(
            2,
            2,
            height_ratios=[2.2, 1.0],
            hspace=0.18,
            wspace=0.05,
            left=0.03,
            right=0.93,
            top=0.9,
            bottom=0.1,
        )
        ax_b, ax_a = fig.add_subplot(grid[0, 0]), fig.add_subplot(grid[0, 1])
        mappable = _draw_maps((ax_b, ax_a), study, siting, flang, names=font is not None)
        cbar = fig.colorbar(mappable, ax=[ax_b, ax_a], orientation="vertical", fraction=0.015, pad=0.01)
        cbar.set_label(f"{say('share_legend', flang)} (%)")
        cbar.set_ticks([0.0, 0.2, 0.4, 0.6, 0.8, 1.0])
        cbar.set_ticklabels(["0", "20", "40", "60", "80", "100"])
        title, line = scenario_header(study, siting, flang)
        fig.suptitle(f"{_plain(title)}\n{_plain(line)}", fontsize=14)
        _draw_streets(fig.add_subplot(grid[1, 0]), siting, flang, names=font is not None)
        _draw_sites(fig.add_subplot(grid[1, 1]), siting, flang, names=font is not None)
        fig.text(
            0.03,
            0.02,
            "\n".join(_plain(x) for x in scenario_footer(study, siting, flang)),
            fontsize=7.5,
            va="bottom",
            color="#444444",
        )
        buf = io.BytesIO()
        if fmt == "pdf":
            fig.savefig(buf, format="pdf", metadata={"CreationDate": None, "Creator": "eldercircle"})
        else:
            fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def _draw_streets(ax_s: Any, siting: SitingResult, flang: str, *, names: bool) -> None:
    """The share covered per street before and after, as bars (streets numbered when names cannot be drawn)."""
    pos = ax_s.get_position()
    ax_s.set_position((pos.x0 + 0.06, pos.y0, pos.width - 0.06, pos.height))
    st = siting.streets
    y = np.arange(len(st))
    ax_s.barh(
        y + 0.2,
        st["share_before"].to_numpy(float) * 100,
        height=0.4,
        color="#bdbdbd",
        label=say("before", flang),
    )
    ax_s.barh(
        y - 0.2,
        st["share_after"].to_numpy(float) * 100,
        height=0.4,
        color="#1a9850",
        label=say("after", flang),
    )
    ax_s.set_yticks(y)
    ax_s.set_yticklabels(
        [_plain(s) for s in st["street"]] if names else [f"#{i + 1}" for i in range(len(st))],
        fontsize=8,
    )
    ax_s.invert_yaxis()
    ax_s.set_xlim(0, 100)
    ax_s.set_xlabel(f"{say('share_legend', flang)} (%)")
    ax_s.set_title(say("report_per_street", flang), fontsize=11)
    ax_s.legend(loc="lower right", fontsize=8)
    for yi, (b, a, g) in enumerate(zip(st["share_before"], st["share_after"], st["gain"], strict=False)):
        if g > 0:
            ax_s.text(min(a * 100 + 1, 92), yi - 0.2, format_points(a - b), va="center", fontsize=7)


def _draw_sites(ax_t: Any, siting: SitingResult, flang: str, *, names: bool) -> None:
    """The new sites with their gains as a table, and the communities that gain most below it."""
    ax_t.set_axis_off()
    ax_t.set_title(say("sites_table", flang), fontsize=11)
    rows = [
        [
            str(int(r.order)),
            (_plain(site_name(r.name, flang)[:24]) if names else f"site {int(r.order)}"),
            format_number(r.gain_elderly, groups=","),
            format_share(r.share_after, space=False),
        ]
        for r in siting.sites.head(12).itertuples()
    ]
    if rows:
        head = (
            ["顺序", "站点", "新增覆盖（人）", "累计覆盖率"]
            if flang == "zh"
            else ["order", "site", "gain (elderly)", "cumulative share"]
        )
        table = ax_t.table(
            cellText=rows,
            colLabels=head,
            loc="upper center",
            cellLoc="left",
            colWidths=[0.08, 0.5, 0.2, 0.2],
        )
        table.auto_set_font_size(False)
        table.set_fontsize(8)
    else:
        ax_t.text(0.5, 0.8, say("report_no_sites", flang), ha="center", transform=ax_t.transAxes)
    top = siting.communities[siting.communities["gain"] > 0].sort_values("gain", ascending=False).head(8)
    if len(top):
        txt = "；".join if flang == "zh" else "; ".join
        items = [
            f"{(_plain(r.name) if names else '#' + str(i + 1))} +{format_number(r.gain, groups=',')} "
            f"({format_share(r.share_before, 0, space=False)}→{format_share(r.share_after, 0, space=False)})"
            for i, r in enumerate(top.itertuples())
        ]
        ax_t.text(
            0.0,
            0.02,
            say("report_per_community", flang) + ("：" if flang == "zh" else ": ") + txt(items),
            transform=ax_t.transAxes,
            fontsize=7.5,
            wrap=True,
            va="bottom",
        )


def maps_svg(study: Study, siting: SitingResult, lang: str) -> str:
    """The before and after maps side by side with their colour scale, as inline SVG (for the scenario page)."""
    import matplotlib  # optional heavy dependency: loaded when a figure is drawn
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    flang, font = figure_lang(lang)
    with matplotlib.rc_context(_rc(font)):
        fig = Figure(figsize=(13.0, 6.2))
        FigureCanvasSVG(fig)
        ax_b = fig.add_axes((0.01, 0.03, 0.45, 0.9))
        ax_a = fig.add_axes((0.48, 0.03, 0.45, 0.9))
        mappable = _draw_maps((ax_b, ax_a), study, siting, flang, names=font is not None)
        cax = fig.add_axes((0.945, 0.15, 0.012, 0.65))
        cbar = fig.colorbar(mappable, cax=cax)
        cbar.set_ticks([0.0, 0.2, 0.4, 0.6, 0.8, 1.0])
        cbar.set_ticklabels(["0", "20", "40", "60", "80", "100"])
        cbar.set_label(f"{say('share_legend', flang)} (%)")
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None})
    text = buf.getvalue()
    return text[text.find("<svg") :]

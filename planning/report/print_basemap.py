"""The offline basemap on the print sheets: water, green space, rivers, streets by rank, railways and names drawn
under the data on a matplotlib Axes in the study's CRS.

Widths are in points and follow the map's scale (metres per point of paper): a street is a white line with a grey
casing, arterials and expressways wider; footpaths and service ways are drawn thin and light at large scales and
left out where they would turn into a grey mush. Names are placed greedily by priority (places by rank, then
arterials, then local streets), street names along the middle of each street's longest piece, with a white halo;
no two labels overlap and none runs off the map's frame (both checked with the figure's renderer). Text is drawn
as written (``$`` is not mathematics). Everything is drawn below :data:`ZORDER_TOP`, so data drawn with matplotlib's
default zorders lies above it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
import shapely.affinity
from shapely.geometry import LineString, Polygon
from shapely.ops import substring

from geo.basemap import Basemap
from planning.i18n import say
from planning.report.scenario_figure import cjk_font, rc_params

#: Zorders of the basemap's layers: areas, rivers, street casings, street fills (expressways on top), railways,
#: labels. All lie below :data:`ZORDER_TOP`; matplotlib draws patches at 1, lines at 2 and text at 3 by default.
ZORDER_AREAS = 0.10
ZORDER_WATERWAYS = 0.15
ZORDER_CASINGS = 0.20
ZORDER_ROADS = 0.25
ZORDER_RAIL = 0.30
ZORDER_LABELS = 0.40
ZORDER_TOP = 0.50


@dataclass(frozen=True)
class BasemapStyle:
    """How the basemap is drawn.

    Attributes
    ----------
    road_widths_m : the width each road rank (0 expressway .. 3 path) is drawn at, metres on the ground, ...
    road_widths_pt : ... within these bounds (min, max) in points per rank, so streets stay visible on a city
        sheet and do not swamp a neighbourhood one.
    casing_pt : how much wider than the street its grey casing is, points.
    paths_max_m_per_pt : paths (rank 3) are drawn only at scales of at most this many metres per point
        (about 1:22 700); smaller scales leave them out.
    label_zorder : the labels' zorder (raise it above the data to print names over translucent fills).
    place_sizes_pt, street_sizes_pt : font sizes of place names by rank and street names by road rank.
    """

    road_widths_m: tuple[float, float, float, float] = (30.0, 22.0, 12.0, 4.0)
    road_widths_pt: tuple[tuple[float, float], ...] = ((1.8, 3.4), (1.4, 2.8), (0.7, 1.7), (0.3, 0.6))
    casing_pt: float = 0.7
    paths_max_m_per_pt: float = 8.0
    label_zorder: float = ZORDER_LABELS
    place_sizes_pt: tuple[float, float, float, float] = (13.0, 11.0, 9.5, 8.0)
    street_sizes_pt: tuple[float, float, float, float] = (8.5, 8.0, 7.0, 6.5)
    water: str = "#c4dcee"
    green: str = "#dcebd0"
    river: str = "#8fb8da"
    casing: str = "#9a9a9a"
    street: str = "#ffffff"
    expressway: str = "#fbe2b4"
    path: str = "#b8b8b8"
    rail: str = "#5a5a5a"
    place_colour: str = "#2b2b2b"
    street_colour: str = "#4a4a4a"
    halo_pt: float = 2.6


DEFAULT_STYLE = BasemapStyle()
#: Space kept free between two labels, points.
_LABEL_GAP_PT = 1.5
#: Chinese street names running steeper than this (degrees) are written upright, one character under the other.
STACK_ABOVE_DEG = 60.0
#: Line spacing of a name written upright.
_STACK_SPACING = 1.0
#: Where along a street's longest piece its name may sit, tried in this order (fractions of its length).
_ALONG = (0.5, 0.35, 0.65, 0.2, 0.8)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class _Frame:
    """The map's frame: its extent in metres, its box on the figure in pixels and the scale."""

    renderer: Any
    box: Polygon  # the axes in display pixels
    m_per_px: float
    px_per_pt: float

    @property
    def m_per_pt(self) -> float:
        return self.m_per_px * self.px_per_pt


def draw_basemap(
    ax: Any,
    basemap: Basemap,
    *,
    extent: tuple[float, float, float, float],
    lang: str = "zh",
    style: BasemapStyle = DEFAULT_STYLE,
) -> str | None:
    """Draw ``basemap`` under the data on ``ax``.

    Parameters
    ----------
    ax : a matplotlib Axes whose data coordinates are the basemap's CRS (the study's, metres).
    basemap : the basemap (:func:`planning.maps.basemap_for_study`).
    extent : the map's frame (minx, miny, maxx, maxy); the axes' limits are set to it with an equal aspect, so
        that labels are placed at their final size.
    lang : ``zh`` or ``en``: the language of the returned credit.
    style : widths, colours, font sizes and thresholds.

    Returns
    -------
    str or None
        The line the sheet's sources must carry (the OpenStreetMap attribution with the file's name), or None for a
        basemap not from OpenStreetMap.
    """
    import matplotlib  # optional heavy dependency: loaded when a figure is drawn

    font = cjk_font()
    with matplotlib.rc_context(rc_params(font)):
        frame = _prepare(ax, extent)
        x0, y0, x1, y1 = extent
        pad = 20.0 * frame.m_per_pt
        bm = basemap.clipped((x0 - pad, y0 - pad, x1 + pad, y1 + pad))
        _draw_areas(ax, bm, style)
        paths = frame.m_per_pt <= style.paths_max_m_per_pt
        _draw_roads(ax, bm.roads, style, frame.m_per_pt, paths=paths)
        _draw_rail(ax, bm.rail, style)
        _draw_labels(ax, bm, style, frame, font=font, paths=paths)
    if not basemap.from_osm:
        return None
    return say("print_basemap_credit", lang, source=basemap.source or "OpenStreetMap")


def _prepare(ax: Any, extent: tuple[float, float, float, float]) -> _Frame:
    """Set the axes to ``extent`` and measure it: the figure gets an Agg canvas when it has no renderer yet."""
    x0, y0, x1, y1 = extent
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal", adjustable="box")
    fig = ax.figure
    renderer = _renderer(fig)
    ax.apply_aspect()
    bbox = ax.get_window_extent(renderer)
    box = shapely.box(bbox.x0, bbox.y0, bbox.x1, bbox.y1)
    m_per_px = max((x1 - x0) / max(bbox.width, 1e-9), (y1 - y0) / max(bbox.height, 1e-9))
    return _Frame(renderer=renderer, box=box, m_per_px=m_per_px, px_per_pt=fig.dpi / 72.0)


def _renderer(fig: Any) -> Any:
    get = getattr(fig.canvas, "get_renderer", None)
    if get is None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        FigureCanvasAgg(fig)
        get = fig.canvas.get_renderer
    return get()


# ---- geometry to matplotlib -------------------------------------------------------------------------------------


def line_pieces(geoms: Any) -> list[np.ndarray]:
    """The coordinate arrays (n x 2) of every line in ``geoms`` (LineStrings and MultiLineStrings; polygons give
    their rings), for a LineCollection."""
    parts = shapely.get_parts(np.asarray(geoms, dtype=object))
    if not len(parts):
        return []
    polys = shapely.get_type_id(parts) == 3
    if polys.any():
        parts = np.concatenate([parts[~polys], shapely.get_parts(shapely.boundary(parts[polys]))])
    coords, idx = shapely.get_coordinates(parts, return_index=True)
    if not len(coords):
        return []
    return np.split(coords, np.flatnonzero(np.diff(idx)) + 1)


def joined_pieces(pieces: list[np.ndarray], *, max_vertices: int = 4096) -> list[np.ndarray]:
    """``pieces`` joined into few long arrays, consecutive pieces separated by a row of NaN (matplotlib starts a new
    sub-path there, with its own caps): drawn the same, but a PDF or PNG renderer handles a few hundred paths instead
    of one per street piece (the slowest part of a print sheet of a large district). An array holds at most about
    ``max_vertices`` points, short enough for Agg's path buffer."""
    out: list[np.ndarray] = []
    batch: list[np.ndarray] = []
    size = 0
    gap = np.full((1, 2), np.nan)
    for piece in pieces:
        if batch and size + len(piece) > max_vertices:
            out.append(np.concatenate(batch[:-1]))
            batch, size = [], 0
        batch += [piece, gap]
        size += len(piece) + 1
    if batch:
        out.append(np.concatenate(batch[:-1]))
    return out


def _area_path(geoms: Any) -> Any:
    """One compound matplotlib Path of every polygon in ``geoms`` (holes wound the other way, so they stay open)."""
    from matplotlib.path import Path

    verts: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    parts = shapely.get_parts(np.asarray(geoms, dtype=object))
    parts = shapely.normalize(parts[shapely.get_type_id(parts) == 3])
    for poly in parts:
        for ring in (poly.exterior, *poly.interiors):
            xy = np.asarray(ring.coords)
            if len(xy) < 4:
                continue
            code = np.full(len(xy), Path.LINETO, dtype=Path.code_type)
            code[0], code[-1] = Path.MOVETO, Path.CLOSEPOLY
            verts.append(xy)
            codes.append(code)
    if not verts:
        return None
    return Path(np.concatenate(verts), np.concatenate(codes))


def _draw_areas(ax: Any, bm: Basemap, style: BasemapStyle) -> None:
    from matplotlib.collections import LineCollection
    from matplotlib.patches import PathPatch

    for frame, colour in ((bm.green, style.green), (bm.water, style.water)):
        path = _area_path(frame.geometry.to_numpy())
        if path is not None:
            patch = PathPatch(
                path, facecolor=colour, edgecolor="none", zorder=ZORDER_AREAS, gid="basemap-area"
            )
            ax.add_patch(patch)
    for rank, width in ((1, 0.8), (0, 1.6)):
        pieces = line_pieces(bm.waterways.loc[bm.waterways["rank"] == rank].geometry.to_numpy())
        if pieces:
            ax.add_collection(
                LineCollection(
                    pieces,
                    colors=style.river,
                    linewidths=width,
                    zorder=ZORDER_WATERWAYS,
                    capstyle="round",
                    gid=f"basemap-waterways-{rank}",
                ),
                autolim=False,
            )


def road_width_pt(rank: int, m_per_pt: float, style: BasemapStyle = DEFAULT_STYLE) -> float:
    """The width a road of ``rank`` is drawn at, points: its width on the ground at this scale, within the rank's
    bounds."""
    low, high = style.road_widths_pt[rank]
    return float(min(max(style.road_widths_m[rank] / m_per_pt, low), high))


def _draw_roads(
    ax: Any, roads: gpd.GeoDataFrame, style: BasemapStyle, m_per_pt: float, *, paths: bool
) -> None:
    """Casings of every street first, then the fills from local streets up to expressways (so crossings merge);
    paths are a thin light line without casing."""
    from matplotlib.collections import LineCollection

    ranks = (0, 1, 2, 3) if paths else (0, 1, 2)
    pieces = {r: joined_pieces(line_pieces(roads.loc[roads["rank"] == r].geometry.to_numpy())) for r in ranks}
    for rank in sorted(ranks, reverse=True):
        if not pieces[rank]:
            continue
        width = road_width_pt(rank, m_per_pt, style)
        if rank < 3:
            casing = LineCollection(
                pieces[rank],
                colors=style.casing,
                linewidths=width + style.casing_pt,
                zorder=ZORDER_CASINGS + 0.01 * (2 - rank),
                capstyle="round",
                joinstyle="round",
                gid=f"basemap-casing-{rank}",
            )
            ax.add_collection(casing, autolim=False)
        colour = style.path if rank == 3 else (style.expressway if rank == 0 else style.street)
        fill = LineCollection(
            pieces[rank],
            colors=colour,
            linewidths=width,
            zorder=ZORDER_ROADS + 0.01 * (3 - rank),
            capstyle="round",
            joinstyle="round",
            gid=f"basemap-roads-{rank}",
        )
        ax.add_collection(fill, autolim=False)


def _draw_rail(ax: Any, rail: gpd.GeoDataFrame, style: BasemapStyle) -> None:
    """A dark line with white dashes."""
    from matplotlib.collections import LineCollection

    pieces = line_pieces(rail.geometry.to_numpy())
    if not pieces:
        return
    ax.add_collection(
        LineCollection(pieces, colors=style.rail, linewidths=2.0, zorder=ZORDER_RAIL, gid="basemap-rail"),
        autolim=False,
    )
    ax.add_collection(
        LineCollection(
            pieces,
            colors="white",
            linewidths=1.0,
            linestyles=(0, (3.0, 3.0)),
            zorder=ZORDER_RAIL + 0.01,
            gid="basemap-rail-dashes",
        ),
        autolim=False,
    )


# ---- labels -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Label:
    """A name to place: its text, font size, weight and colour, and where it may go."""

    text: str
    size: float
    bold: bool
    colour: str
    point: tuple[float, float] | None = None  # a place's point
    line: LineString | None = None  # a street's longest piece

    @property
    def cjk(self) -> bool:
        """Whether the name is all Chinese (it may then be written upright along a steep street)."""
        return all(_is_cjk(ch) for ch in self.text)


def clean_name(name: Any) -> str:
    """A name as it is printed: control characters as spaces, surrounding space trimmed."""
    return _CONTROL.sub(" ", str(name)).strip()


def _is_cjk(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def _labels(bm: Basemap, style: BasemapStyle, *, paths: bool, font: str | None) -> Iterator[_Label]:
    """The names to place, most important first: places by rank, then streets by rank and length."""
    places = bm.places.assign(name=bm.places["name"].map(clean_name))
    places = places.loc[places["name"] != ""].sort_values("rank", kind="stable")
    for rank, name, geom in zip(places["rank"], places["name"], places.geometry, strict=True):
        size = style.place_sizes_pt[min(int(rank), 3)]
        if font is not None or not any(map(_is_cjk, name)):
            yield _Label(name, size, int(rank) <= 1, style.place_colour, point=(geom.x, geom.y))
    roads = bm.roads.assign(name=bm.roads["name"].map(clean_name))
    roads = roads.loc[(roads["name"] != "") & (roads["rank"] <= (3 if paths else 2))]
    streets = []
    for name, group in roads.groupby("name", sort=True):
        merged = shapely.line_merge(shapely.union_all(group.geometry.to_numpy()))
        pieces = [p for p in shapely.get_parts(merged) if isinstance(p, LineString)]
        if pieces:
            longest = max(pieces, key=lambda p: p.length)
            streets.append((int(group["rank"].min()), -longest.length, str(name), longest))
    for rank, _neg, name, line in sorted(streets, key=lambda s: (s[0], s[1], s[2])):
        if font is not None or not any(map(_is_cjk, name)):
            yield _Label(name, style.street_sizes_pt[rank], False, style.street_colour, line=line)


def _text(
    ax: Any, label: _Label, spot: tuple[tuple[float, float], float, bool], style: BasemapStyle, font: Any
) -> Any:
    from matplotlib import patheffects

    xy, angle, stacked = spot
    return ax.text(
        xy[0],
        xy[1],
        "\n".join(label.text) if stacked else label.text,
        linespacing=_STACK_SPACING if stacked else 1.2,
        fontsize=label.size,
        fontweight="bold" if label.bold else "normal",
        family=font,
        color=label.colour,
        ha="center",
        va="center",
        rotation=angle,
        rotation_mode="anchor",
        parse_math=False,
        usetex=False,
        clip_on=False,
        zorder=style.label_zorder,
        gid="basemap-label",
        path_effects=[patheffects.withStroke(linewidth=style.halo_pt, foreground="white")],
    )


def label_outline(text: Any, renderer: Any) -> Polygon:
    """The rectangle ``text`` (centred, rotated about its anchor) covers on the figure, in display pixels."""
    angle = text.get_rotation()
    text.set_rotation(0.0)
    try:
        bbox = text.get_window_extent(renderer)
    finally:
        text.set_rotation(angle)
    anchor = text.get_transform().transform(text.get_position())
    rect = shapely.box(bbox.x0, bbox.y0, bbox.x1, bbox.y1)
    return shapely.affinity.rotate(rect, angle, origin=(float(anchor[0]), float(anchor[1])))


def _street_spots(
    line: LineString, length_m: float, height_m: float
) -> Iterator[tuple[tuple[float, float], float]]:
    """Where along ``line`` a name ``length_m`` long fits: the middle of the piece first, then either side; each
    spot with its angle (degrees, read left to right); spots where the street bends away from the name are
    skipped."""
    total = line.length
    if total < length_m * 1.1:
        return
    for f in _ALONG:
        mid = f * total
        a, b = mid - length_m / 2.0, mid + length_m / 2.0
        if a < 0.0 or b > total:
            continue
        part = substring(line, a, b)
        p, q = part.coords[0], part.coords[-1]
        chord = LineString([p, q])
        if chord.length < 0.9 * length_m or part.hausdorff_distance(chord) > 0.45 * height_m:
            continue
        angle = math.degrees(math.atan2(q[1] - p[1], q[0] - p[0]))
        if angle > 90.0:
            angle -= 180.0
        elif angle <= -90.0:
            angle += 180.0
        centre = line.interpolate(mid)
        yield (centre.x, centre.y), angle


def _candidates(
    label: _Label, flat: tuple[float, float], upright: tuple[float, float] | None, frame: _Frame
) -> Iterator[tuple[tuple[tuple[float, float], float, bool], tuple[float, float]]]:
    """Each spot a label may take, ``((xy, angle, upright), size in pixels)``, best first. A Chinese street name on
    a steep stretch is written upright; any other is rotated along the street."""
    if label.point is not None:
        yield (label.point, 0.0, False), flat
        return
    assert label.line is not None
    length, across = flat
    if upright is not None:
        length, across = max(length, upright[1]), max(across, upright[0])
    for xy, angle in _street_spots(label.line, length * frame.m_per_px, across * frame.m_per_px):
        if upright is not None and abs(angle) > STACK_ABOVE_DEG:
            yield (xy, 0.0, True), upright
        else:
            yield (xy, angle, False), flat


def _outline(
    xy: tuple[float, float], angle: float, size_px: tuple[float, float], ax: Any, pad: float
) -> Polygon:
    cx, cy = ax.transData.transform(xy)
    w, h = size_px[0] / 2.0 + pad, size_px[1] / 2.0 + pad
    rect = shapely.box(cx - w, cy - h, cx + w, cy + h)
    return shapely.affinity.rotate(rect, angle, origin=(float(cx), float(cy)))


def _draw_labels(
    ax: Any, bm: Basemap, style: BasemapStyle, frame: _Frame, *, font: str | None, paths: bool
) -> None:
    """Place the names greedily: each at its first spot that stays inside the frame and clear of those placed."""
    from matplotlib.font_manager import FontProperties

    family = rc_params(font)["font.sans-serif"]
    pad = (style.halo_pt / 2.0 + _LABEL_GAP_PT / 2.0) * frame.px_per_pt
    placed: list[Polygon] = []
    tree_boxes: list[tuple[float, float, float, float]] = []
    props: dict[tuple[float, bool], Any] = {}
    uprights: dict[tuple[int, float, bool], tuple[float, float]] = {}
    for label in _labels(bm, style, paths=paths, font=font):
        key = (label.size, label.bold)
        if key not in props:
            props[key] = FontProperties(
                family=family, size=label.size, weight="bold" if label.bold else "normal"
            )
        prop = props[key]
        w, h, _d = frame.renderer.get_text_width_height_descent(label.text, prop, ismath=False)
        upright = None
        if label.line is not None and label.cjk:
            # Chinese characters are all one em square: the upright size depends on their number only
            ukey = (len(label.text), *key)
            if ukey not in uprights:
                uprights[ukey] = _upright_size(ax, len(label.text), prop, frame)
            upright = uprights[ukey]
        for spot, size in _candidates(label, (float(w), float(h)), upright, frame):
            shape = _outline(spot[0], spot[1], size, ax, pad)
            if not frame.box.contains(shape) or _hits(shape, placed, tree_boxes):
                continue
            placed.append(shape)
            tree_boxes.append(shape.bounds)
            _text(ax, label, spot, style, family)
            break


def _upright_size(ax: Any, n: int, prop: Any, frame: _Frame) -> tuple[float, float]:
    """Width and height (pixels) of a Chinese name of ``n`` characters written upright, one character a line."""
    probe = ax.text(0.0, 0.0, "\n".join("国" * n), fontproperties=prop, linespacing=_STACK_SPACING)
    try:
        bbox = probe.get_window_extent(frame.renderer)
    finally:
        probe.remove()
    return float(bbox.width), float(bbox.height)


def _hits(shape: Polygon, placed: list[Polygon], boxes: list[tuple[float, float, float, float]]) -> bool:
    x0, y0, x1, y1 = shape.bounds
    for (a0, b0, a1, b1), other in zip(boxes, placed, strict=True):
        if a0 < x1 and x0 < a1 and b0 < y1 and y0 < b1 and shape.intersects(other):
            return True
    return False

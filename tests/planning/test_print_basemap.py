"""The offline basemap on the print sheets: a hand-made basemap whose drawing is known (layers at their zorders,
streets wider by rank, paths left out at small scales, names placed along their streets without overlapping and
inside the frame, text drawn as written, the credit), and the demo's and real extracts' basemaps drawn at 300 dpi
with no two labels colliding."""

from __future__ import annotations

import io
import itertools
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyproj
import pytest
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from geo.basemap import BASEMAP_COLUMNS, Basemap, basemap_from_osm, empty_layer
from planning.i18n import say
from planning.report.print_basemap import (
    ZORDER_LABELS,
    ZORDER_TOP,
    draw_basemap,
    joined_pieces,
    label_outline,
    road_width_pt,
)
from planning.report.scenario_figure import cjk_font
from tests.conftest import osm_extract

CRS = pyproj.CRS.from_epsg(32650)
A3 = (420 / 25.4, 297 / 25.4)
# a 2 km square map: drawn about 700 pt tall on the A3 sheet's map frame, under 3 m a point
EXTENT = (0.0, 0.0, 2000.0, 2000.0)

needs_cjk = pytest.mark.skipif(cjk_font() is None, reason="no CJK font on this machine")


def _layer(name: str, rows: list[dict]) -> gpd.GeoDataFrame:
    if not rows:
        return empty_layer(name, CRS)
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=CRS)
    return frame[[*BASEMAP_COLUMNS[name], "geometry"]]


def _line(*xy: tuple[float, float]) -> shapely.LineString:
    return shapely.LineString(xy)


def hand_basemap(
    *, roads: list[dict] | None = None, places: list[dict] | None = None, osm: bool = True
) -> Basemap:
    """An expressway and an arterial across the map, a local street up it (in two pieces), an unnamed path, a lake,
    a park, a river, a railway and a neighbourhood's name."""
    if roads is None:
        roads = [
            {"rank": 0, "name": "青白高速", "geometry": _line((0, 300), (2000, 300))},
            {"rank": 1, "name": "建设路", "geometry": _line((0, 1000), (2000, 1000))},
            {"rank": 2, "name": "民主路", "geometry": _line((1500, 0), (1500, 900))},
            {"rank": 2, "name": "民主路", "geometry": _line((1500, 900), (1500, 1900))},
            {"rank": 3, "name": "", "geometry": _line((200, 1200), (900, 1800))},
        ]
    if places is None:
        places = [{"rank": 2, "name": "翠苑", "geometry": shapely.Point(700, 1500)}]
    lake = shapely.box(200, 500, 600, 800).difference(shapely.box(350, 600, 450, 700))  # an island in it
    return Basemap(
        water=_layer("water", [{"name": "东湖", "geometry": lake}]),
        green=_layer("green", [{"name": "人民公园", "geometry": shapely.box(1600, 1200, 1900, 1500)}]),
        waterways=_layer(
            "waterways", [{"rank": 0, "name": "青溪河", "geometry": _line((0, 100), (2000, 150))}]
        ),
        rail=_layer("rail", [{"name": "", "geometry": _line((1000, 0), (1900, 2000))}]),
        roads=_layer("roads", roads),
        places=_layer("places", places),
        crs=CRS,
        source="town.osm",
        from_osm=osm,
    )


def _axes(dpi: float = 100.0, *, agg: bool = True):
    """A map frame on an A3 figure, as on the print sheet."""
    fig = Figure(figsize=A3, dpi=dpi)
    if agg:
        FigureCanvasAgg(fig)
    return fig.add_axes((0.03, 0.05, 0.66, 0.84))


def _by_gid(ax) -> dict[str, object]:
    return {a.get_gid(): a for a in (*ax.collections, *ax.patches) if a.get_gid()}


def _labels(ax) -> list:
    return [t for t in ax.texts if t.get_gid() == "basemap-label"]


def _assert_clear(ax) -> None:
    """No two labels overlap and none leaves the map's frame (their rectangles measured by the renderer)."""
    renderer = ax.figure.canvas.get_renderer()
    b = ax.get_window_extent(renderer)
    frame = shapely.box(b.x0, b.y0, b.x1, b.y1)
    shapes = [label_outline(t, renderer) for t in _labels(ax)]
    for shape, text in zip(shapes, _labels(ax), strict=True):
        assert frame.contains(shape), text.get_text()
    for (i, a), (j, c) in itertools.combinations(enumerate(shapes), 2):
        assert not a.intersects(c), (_labels(ax)[i].get_text(), _labels(ax)[j].get_text())


def test_layers_are_drawn_below_the_data_streets_wider_by_rank():
    ax = _axes()
    draw_basemap(ax, hand_basemap(), extent=EXTENT, lang="zh")
    drawn = _by_gid(ax)
    for gid in ("basemap-area", "basemap-waterways-0", "basemap-rail", "basemap-rail-dashes"):
        assert gid in drawn, gid
    for rank in (0, 1, 2):
        assert f"basemap-casing-{rank}" in drawn and f"basemap-roads-{rank}" in drawn
    assert "basemap-roads-3" in drawn and "basemap-casing-3" not in drawn  # paths: thin, no casing
    # everything under the data: matplotlib draws patches at 1, lines at 2, text at 3
    assert ZORDER_TOP < 1.0
    assert all(a.get_zorder() < ZORDER_TOP for a in drawn.values())
    assert all(t.get_zorder() == ZORDER_LABELS for t in _labels(ax))
    width = {r: float(drawn[f"basemap-roads-{r}"].get_linewidths()[0]) for r in range(4)}
    assert width[0] > width[1] > width[2] > width[3]
    for rank in (0, 1, 2):  # a grey casing wider than the street, and the street above its casing
        casing = drawn[f"basemap-casing-{rank}"]
        assert float(casing.get_linewidths()[0]) > width[rank]
        assert casing.get_zorder() < drawn[f"basemap-roads-{rank}"].get_zorder()
    # expressways on top of arterials on top of local streets, so crossings merge
    assert drawn["basemap-roads-0"].get_zorder() > drawn["basemap-roads-1"].get_zorder()
    assert drawn["basemap-roads-1"].get_zorder() > drawn["basemap-roads-2"].get_zorder()
    assert ax.get_xlim() == (0.0, 2000.0) and ax.get_ylim() == (0.0, 2000.0)


def test_widths_follow_the_scale_within_bounds():
    # 22 m arterials: 2.2 pt at 10 m a point; capped on a neighbourhood sheet, kept visible on a city one
    assert road_width_pt(1, 10.0) == pytest.approx(2.2)
    assert road_width_pt(1, 1.0) == pytest.approx(2.8)
    assert road_width_pt(1, 100.0) == pytest.approx(1.4)


def test_paths_are_left_out_at_a_small_scale():
    ax = _axes()
    # 40 km across: over 50 m a point, paths would be a grey mush
    draw_basemap(ax, hand_basemap(), extent=(-19000.0, -19000.0, 21000.0, 21000.0), lang="zh")
    drawn = _by_gid(ax)
    assert "basemap-roads-2" in drawn and "basemap-roads-3" not in drawn


@needs_cjk
def test_names_are_placed_along_their_streets_without_overlapping():
    ax = _axes()
    draw_basemap(ax, hand_basemap(), extent=EXTENT, lang="zh")
    texts = {t.get_text(): t for t in _labels(ax)}
    assert set(texts) == {"翠苑", "青白高速", "建设路", "民\n主\n路"}  # the lake and park are not labelled
    assert texts["建设路"].get_rotation() == pytest.approx(0.0)
    # the local street runs up the map: its Chinese name is written upright on the middle of the merged street
    upright = texts["民\n主\n路"]
    assert upright.get_rotation() == 0.0 and upright.get_position() == pytest.approx((1500.0, 950.0))
    assert texts["翠苑"].get_position() == pytest.approx((700.0, 1500.0))
    assert texts["翠苑"].get_fontsize() > texts["建设路"].get_fontsize()
    for t in texts.values():
        assert t.get_path_effects(), t.get_text()  # the white halo
    _assert_clear(ax)


@needs_cjk
def test_crowded_names_are_thinned_by_priority_and_none_collide():
    # twenty short named streets 12 m apart (about 4 pt on paper), each with room for one name only: not all fit
    roads = [
        {"rank": 2, "name": f"巷{i}", "geometry": _line((260, 400 + 12 * i), (340, 400 + 12 * i))}
        for i in range(20)
    ]
    roads.append({"rank": 1, "name": "中山路", "geometry": _line((100, 520), (1900, 520))})
    # a place at the frame's right edge: its name would run off the map
    places = [
        {"rank": 0, "name": "贵溪市", "geometry": shapely.Point(1000, 520)},
        {"rank": 2, "name": "边缘村", "geometry": shapely.Point(1995, 1500)},
    ]
    ax = _axes()
    draw_basemap(ax, hand_basemap(roads=roads, places=places), extent=EXTENT, lang="zh")
    names = [t.get_text() for t in _labels(ax)]
    assert "贵溪市" in names and "中山路" in names and "边缘村" not in names
    assert 1 < sum(n.startswith("巷") for n in names) < 20
    _assert_clear(ax)


def test_a_diagonal_street_is_labelled_along_it_reading_left_to_right():
    roads = [
        {"rank": 1, "name": "Jianshe Rd", "geometry": _line((1800, 1800), (200, 200))}
    ]  # drawn right to left
    ax = _axes()
    draw_basemap(ax, hand_basemap(roads=roads, places=[]), extent=EXTENT, lang="en")
    (label,) = _labels(ax)
    assert label.get_text() == "Jianshe Rd" and label.get_rotation() == pytest.approx(45.0)
    assert label.get_position() == pytest.approx((1000.0, 1000.0))


def test_a_hostile_name_is_drawn_as_written():
    roads = [
        {"rank": 1, "name": "$x^2$ Rd", "geometry": _line((0, 1000), (2000, 1000))},
        {"rank": 1, "name": r"a $\frac{ b", "geometry": _line((0, 1400), (2000, 1400))},  # malformed mathtext
        {"rank": 1, "name": "tab\there\x00", "geometry": _line((0, 1700), (2000, 1700))},
    ]
    ax = _axes(agg=False)  # a bare Figure: draw_basemap gives it a renderer
    draw_basemap(ax, hand_basemap(roads=roads, places=[]), extent=EXTENT, lang="en")
    texts = {t.get_text(): t for t in _labels(ax)}
    assert set(texts) == {"$x^2$ Rd", r"a $\frac{ b", "tab here"}
    for t in texts.values():
        assert t.get_parse_math() is False and t.get_usetex() is False
    png = io.BytesIO()
    ax.figure.savefig(png, format="png")  # mathtext would refuse the malformed name
    assert png.getvalue()[:4] == b"\x89PNG"


def test_the_credit_names_openstreetmap_and_the_file():
    ax = _axes()
    zh = draw_basemap(ax, hand_basemap(roads=[], places=[]), extent=EXTENT, lang="zh")
    assert zh == "底图：© OpenStreetMap 贡献者（ODbL 许可；town.osm）"
    ax = _axes()
    en = draw_basemap(ax, hand_basemap(roads=[], places=[]), extent=EXTENT, lang="en")
    assert en == "Basemap: © OpenStreetMap contributors (ODbL; town.osm)"
    assert say("print_basemap_credit", "zh", source="a.osm").startswith("底图")
    ax = _axes()
    assert draw_basemap(ax, hand_basemap(osm=False), extent=EXTENT, lang="zh") is None  # a network's streets


def _draw_at_300(basemap: Basemap, extent: tuple[float, float, float, float]):
    ax = _axes(300.0)
    credit = draw_basemap(ax, basemap, extent=extent, lang="zh")
    png = io.BytesIO()
    ax.figure.savefig(png, format="png", dpi=300)
    return ax, credit


@needs_cjk
def test_the_demo_basemap_draws_with_names_clear_of_each_other():
    from planning.demo import DEMO_DIR
    from planning.maps import basemap_for_study
    from planning.study import load_study

    demo = load_study(DEMO_DIR)
    bm = basemap_for_study(demo)
    assert bm is not None
    x0, y0, x1, y1 = (float(v) for v in demo.communities.total_bounds)
    ax, credit = _draw_at_300(bm, (x0 - 400, y0 - 400, x1 + 400, y1 + 400))
    assert credit is not None and "streets.osm" in credit
    drawn = _by_gid(ax)
    assert "basemap-roads-3" not in drawn  # about 14 m a point: the demo's 1 500 paths are left out
    names = {t.get_text().replace("\n", "") for t in _labels(ax)}
    assert len(names) > 80 and {"青白高速", "滨江北路"} <= names
    _assert_clear(ax)


@needs_cjk
@pytest.mark.parametrize("name", ["guixi", "nanjing"])
def test_real_extracts_draw_with_names_clear_of_each_other(name: str):
    path: Path = osm_extract(name)
    bm = basemap_from_osm(path, crs=CRS)
    x0, y0, x1, y1 = (float(v) for v in bm.roads.total_bounds)
    ax, credit = _draw_at_300(bm, (x0, y0, x1, y1))
    assert credit is not None and path.name in credit
    assert len(_labels(ax)) > 20
    _assert_clear(ax)


def test_street_pieces_are_joined_into_few_paths_that_split_back_into_the_same_pieces():
    # five pieces of 3, 2, 4, 1 and 6 points; at most 8 points a path (NaN rows between pieces count)
    pieces = [np.arange(2 * n, dtype=float).reshape(n, 2) + 100 * i for i, n in enumerate((3, 2, 4, 1, 6))]
    joined = joined_pieces(pieces, max_vertices=8)
    assert [len(a) for a in joined] == [
        6,
        6,
        6,
    ]  # 3+gap+2, 4+gap+1, 6 (a piece never shares beyond the limit)
    back = []
    for array in joined:
        gaps = np.flatnonzero(np.isnan(array[:, 0]))
        assert not np.isnan(array[0]).any() and not np.isnan(array[-1]).any()  # no gap at either end
        back += [part for part in np.split(array, gaps) if len(part)]
    back = [part[~np.isnan(part[:, 0])] for part in back]
    assert len(back) == len(pieces)
    for got, want in zip(back, pieces, strict=True):
        np.testing.assert_array_equal(got, want)
    assert joined_pieces([]) == []

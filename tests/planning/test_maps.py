"""planning/maps/: display geometry (simplified, GCJ-02 for Amap), basemaps, self-contained HTML, clustering,
failing units, and the page maps on a tiny hand-built study."""

from __future__ import annotations

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geo.crs import wgs84_to_gcj02
from geo.errors import OptionError
from planning.maps import (
    add_facilities,
    base_map,
    check_basemap,
    clean_tianditu_key,
    coverage_map,
    display_frame,
    failing_units,
    map_html,
    overview_map,
    resolve_basemap,
    standards_map,
)
from planning.study import load_study
from tests.app.tiny import write_tiny_study


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return load_study(write_tiny_study(tmp_path_factory.mktemp("tiny")))


def test_display_frame_shifts_to_gcj02_only_for_amap():
    pts = gpd.GeoDataFrame({"a": [1]}, geometry=[shapely.Point(118.0, 28.44)], crs=4326).to_crs(32650)
    osm = display_frame(pts, basemap="osm")
    amap = display_frame(pts, basemap="amap")
    assert osm.geometry.x[0] == pytest.approx(118.0, abs=1e-9)
    lon, lat = wgs84_to_gcj02(118.0, 28.44)
    assert amap.geometry.x[0] == pytest.approx(lon, abs=1e-9) and amap.geometry.y[0] == pytest.approx(
        lat, abs=1e-9
    )
    # the shift is hundreds of metres: what a GCJ-02 basemap under WGS84 data would be off by
    assert 100 < abs(lon - 118.0) * 97_900 + abs(lat - 28.44) * 110_900 < 1500
    assert display_frame(pts, basemap="tianditu").geometry.x[0] == pytest.approx(118.0, abs=1e-9)


def test_display_frame_simplifies_polygons_by_metres():
    # a 1000 m square whose south edge zigzags by 1 m every 10 m: simplified at 5 m back to about 4 corners
    xs = np.arange(0, 1001, 10.0)
    south = [(x, (i % 2) * 1.0) for i, x in enumerate(xs)]
    poly = shapely.Polygon([*south, (1000, 1000), (0, 1000)])
    frame = gpd.GeoDataFrame({"a": [1]}, geometry=[poly], crs=32650)
    shown = display_frame(frame, basemap="none")
    assert shapely.get_num_coordinates(poly) == 104
    assert shapely.get_num_coordinates(shown.geometry[0]) <= 6
    assert shown.crs.to_epsg() == 4326


def test_basemap_choices(tiny):
    assert resolve_basemap(tiny, None) == "none"  # synthetic study
    assert resolve_basemap(tiny, "auto") == "none"
    assert resolve_basemap(tiny, "amap") == "amap"
    with pytest.raises(
        OptionError, match="basemap 'google' is not one of offline, none, osm, amap, tianditu"
    ):
        check_basemap("google")
    none = base_map(tiny, basemap="none").get_root().render()
    assert "tile.openstreetmap.org" not in none and "autonavi" not in none
    osm = base_map(tiny, basemap="osm").get_root().render()
    assert "tile.openstreetmap.org" in osm and "openstreetmap.org/copyright" in osm and "contributors" in osm
    amap = base_map(tiny, basemap="amap").get_root().render()
    assert "webrd0{s}.is.autonavi.com/appmaptile" in amap and "AutoNavi" in amap
    assert clean_tianditu_key("ab12<script>x") == "ab12scriptx"
    tdt = base_map(tiny, basemap="tianditu", tianditu_key="ab12cd").get_root().render()
    assert "tianditu.gov.cn/vec_w/wmts" in tdt and "tk=ab12cd" in tdt
    assert "tianditu.gov.cn" not in base_map(tiny, basemap="tianditu", tianditu_key="").get_root().render()


def test_map_html_inlines_leaflet(tiny):
    fmap = overview_map(tiny, lang="zh")
    page = map_html(fmap)
    assert "cdn.jsdelivr.net" not in page and "code.jquery.com" not in page
    assert "Leaflet" in page and "<script src=" not in page
    assert "日间照料中心" in page and "图例" in page
    assert "cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js" in map_html(
        overview_map(tiny), inline_assets=False
    )


def test_facilities_are_clustered_when_there_are_many(tiny):
    rng = np.random.default_rng(7)
    n = 400
    fac = gpd.GeoDataFrame(
        {"name": [f"点{i}" for i in range(n)], "kind": "meal_point", "floor_area_m2": np.nan, "beds": np.nan},
        geometry=gpd.points_from_xy(118.0 + rng.random(n) * 0.004, 28.44 + rng.random(n) * 0.004),
        crs=4326,
    ).to_crs(tiny.crs)
    many = base_map(tiny)
    add_facilities(many, fac, lang="zh")
    few = base_map(tiny)
    add_facilities(few, fac.head(3), lang="zh")
    many_html, few_html = map_html(many), map_html(few)
    assert "L.markerClusterGroup" in many_html and "MarkerClusterGroup" in many_html
    assert "L.markerClusterGroup" not in few_html
    assert "<script src=" not in many_html  # the cluster plugin is inlined too


def test_failing_units_match_streets_and_communities(tiny):
    rows = pd.DataFrame(
        {
            "rule_id": ["a", "b", "b", "c"],
            "title_zh": ["甲", "乙", "乙", "丙"],
            "title_en": ["A", "B", "B", "C"],
            "level": ["street", "community", "community", "community"],
            "unit_name": ["小城街道", "东园社区", "西园社区", "东园社区"],
            "street": ["小城街道", "小城街道", "小城街道", "小城街道"],
            "verdict": ["fail", "fail", "pass", "fail"],
        }
    )
    units = failing_units(tiny, rows, lang="en")
    assert units["level"].tolist() == ["street", "community"]
    assert units["name"].tolist() == ["小城街道", "东园社区"]
    assert units["fails"].tolist() == [1, 2]
    assert units["rules"].tolist() == ["A", "B; C"]
    street_area = float(units.geometry.area.iloc[0])
    assert street_area == pytest.approx(float(tiny.communities.geometry.area.sum()), rel=1e-6)
    html = map_html(standards_map(tiny, rows, lang="zh"))
    assert "不达标街道" in html and "不达标社区/村" in html


def test_coverage_map_draws_bands_and_legend(tiny):
    circles = gpd.GeoDataFrame(
        {"kind": ["day_care", "day_care"], "band_min": [5, 10]},
        geometry=[tiny.communities.geometry.iloc[0], tiny.communities.union_all()],
        crs=tiny.crs,
    )
    fmap = coverage_map(tiny, circles, kind="day_care", lang="en")
    bands = [
        c.layer_name
        for c in fmap._children.values()
        if isinstance(c, folium.GeoJson) and str(c.layer_name).startswith("Day-care")
    ]
    assert bands == [
        "Day-care centre · 10 min",
        "Day-care centre · 5 min",
    ]  # the larger band under the smaller
    html = map_html(fmap)
    assert "Legend" in html and "Day-care centre" in html


def test_maps_frame_the_study_with_fractional_zoom(tiny):
    """Whole zoom steps drew a study just too tall for its frame at half the scale (a quarter of the map): the
    maps snap to quarter steps and fit the study's bounds, with a small margin, again once the frame has its size."""
    fmap = base_map(tiny)
    page = map_html(fmap)
    assert '"zoomSnap": 0.25' in page and '"zoomDelta": 0.5' in page
    name = fmap.get_name()
    bounds = display_frame(tiny.communities[["geometry"]], tolerance_m=0).total_bounds
    box = f"[[{bounds[1]}, {bounds[0]}], [{bounds[3]}, {bounds[2]}]]"
    assert f"{name}.fitBounds({box}, {{padding: [12, 12]}})" in page
    assert "ResizeObserver" in page


def test_every_tooltip_shows_text_and_nothing_is_a_template(tiny):
    """Names reach the page as written: GeoJSON tooltips are built with textContent (folium's own set innerHTML),
    and folium's output is never compiled as a Jinja template again (``{{7*7}}`` stayed ``{{7*7}}``, not 49)."""
    from dataclasses import replace

    comm = tiny.communities.copy()
    comm["name"] = ["{{7*7}}<b>x</b>", *comm["name"].tolist()[1:]]
    fac = tiny.facilities.copy()
    fac["name"] = ["{% raw %}", *fac["name"].tolist()[1:]]
    study = replace(tiny, communities=comm, facilities=fac, name="{{ 6*7 }}")
    no_rows = pd.DataFrame(
        {"rule_id": [], "level": [], "unit_name": [], "street": [], "verdict": [], "title_zh": []}
    )
    for fmap, with_facilities in ((overview_map(study), True), (standards_map(study, no_rows), False)):
        page = map_html(fmap)
        assert "{{7*7}}\\u003cb\\u003ex\\u003c/b\\u003e" in page  # JSON-escaped, not evaluated
        assert ('"name": "{% raw %}"' in page) == with_facilities
        assert "div.innerHTML=table" not in page and "textContent" in page


# --- sequential classes (hand-made cases) ---


def test_class_breaks_deduplicate_repeated_quantiles():
    from planning.maps.classes import class_breaks, class_index, class_labels

    # naive quartiles of this are 19, 19, 19, 25.5: four classes, three of them "19–19"
    values = np.array([19] * 10 + [20, 40])
    breaks = class_breaks(values, 5)
    assert breaks.tolist() == [19.0, 20.0, 40.0]
    assert np.bincount(class_index(breaks, values)).tolist() == [10, 1, 1]
    assert class_labels(breaks, values.max()) == ["19", "20–39", "40"]


def test_class_breaks_one_value_gives_one_class():
    from planning.maps.classes import class_breaks, class_labels

    breaks = class_breaks(np.array([7.0, 7.0, 7.0]), 5)
    assert breaks.tolist() == [7.0]
    assert class_labels(breaks, 7.0) == ["7"]
    assert class_breaks(np.array([]), 5, lower=10).tolist() == [10.0]


def test_class_breaks_no_empty_class_and_lower_bound():
    from planning.maps.classes import class_breaks, class_index, class_labels

    values = np.array([10, 11, 12, 13, 30, 31, 32, 33, 90, 200], dtype=float)
    breaks = class_breaks(values, 4, lower=10)
    assert breaks[0] == 10
    assert (np.bincount(class_index(breaks, values), minlength=len(breaks)) > 0).all()
    labels = class_labels(breaks, values.max())
    assert all(a != b for a, _, b in (lab.partition("–") for lab in labels) if b)
    assert labels[-1].endswith("200")
    # decimals: densities to one decimal, upper bound of a class is the next break
    dens = np.array([0.4, 0.4, 0.4, 1.25, 3.0, 3.0])
    b = class_breaks(dens, 5, digits=1)
    assert b.tolist() == [0.4, 1.2, 3.0]
    assert class_labels(b, 3.0, digits=1) == ["0.4–1.2", "1.2–3.0", "3.0"]


def test_class_colours_spread_over_the_ramp():
    from planning.maps.classes import ORANGES, class_colours

    assert class_colours(ORANGES, 2) == [ORANGES[0], ORANGES[-1]]
    assert len(set(class_colours(ORANGES, 5))) == 5


def test_maps_have_a_metric_scale_and_collapsible_legends(tiny):
    html = map_html(overview_map(tiny, basemap="none"))
    assert "L.control.scale({imperial: false" in html
    assert "L.control.scale()" not in html
    assert '<details class="eldercircle-legend" open' in html
    assert '<details class="eldercircle-scale" open' in html
    assert '"collapsed": true' in html


def test_one_colour_blind_safe_colour_per_kind(tiny):
    from planning.maps import KIND_COLOURS, OKABE_ITO, kind_colour
    from planning.schema import FACILITY_KINDS

    assert set(KIND_COLOURS) == set(FACILITY_KINDS)
    assert len(set(KIND_COLOURS.values())) == len(KIND_COLOURS)
    assert set(KIND_COLOURS.values()) <= set(OKABE_ITO)
    assert kind_colour("unknown") == "#777777"
    html = map_html(overview_map(tiny, basemap="none"))
    for kind in set(tiny.facilities["kind"]):
        assert html.count(KIND_COLOURS[kind]) >= 2  # the markers and the legend


def test_coverage_map_uncovered_density_in_classes(tiny):
    circles = gpd.GeoDataFrame({"kind": [], "band_min": []}, geometry=[], crs=tiny.crs)
    cells = [tiny.communities.geometry.iloc[0].centroid.buffer(50, cap_style="square")] * 4
    uncovered = gpd.GeoDataFrame(
        {"elderly_uncovered": [3, 3, 3, 9], "per_ha": [3.0, 3.0, 3.0, 9.0]}, geometry=cells, crs=tiny.crs
    )
    html = map_html(coverage_map(tiny, circles, kind="day_care", lang="en", uncovered=uncovered))
    scale = html[html.index('<details class="eldercircle-scale"') :]
    scale = scale[: scale.index("</details>")]
    # two classes (3.0 and 9.0), not five with repeated 3.0 breaks
    assert "3.0–9.0" in scale and "9.0</div>" in scale and scale.count("<div>") == 2

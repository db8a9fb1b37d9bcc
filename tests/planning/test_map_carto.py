"""Web-map cartography on hand-made cases: the north arrow, service bands as rings (areas checked on paper),
labels that show where they fit (names escaped), and villages drawn by their own target (rural mutual aid)."""

from __future__ import annotations

import itertools
import json
import re

import geopandas as gpd
import numpy as np
import pytest
import shapely

from planning.maps import coverage_map, map_html, overview_map, standards_map
from planning.maps.carto import (
    VILLAGE_HAS_STYLE,
    VILLAGE_LACKS_STYLE,
    band_rings,
    band_style,
    label_data,
    script_json,
    villages_of,
)
from planning.study import StandardsSettings
from tests.planning.test_report import geojson_payloads
from tests.studies import frames_study

X0, Y0 = 500_000.0, 3_150_000.0  # UTM 50N metres
CRS = "EPSG:32650"


def unescaped(page: str) -> str:
    """The page with JSON's ``\\uXXXX`` escapes read back (folium writes names and layer names so)."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), page)


def square(x0: float, y0: float, x1: float, y1: float) -> shapely.Polygon:
    return shapely.box(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)


def study_with_villages(names: tuple[str, str, str] = ("城东社区", "有村", "无村"), preset: str = "xinzhou"):
    """An urban community (0-1000 m) in 城东街道 and two villages in 山乡: 有村 (1000-2000 m) with a rural
    mutual-aid facility inside, 无村 (2000-3000 m) without; a day-care centre in the community."""
    comm = gpd.GeoDataFrame(
        {
            "name": list(names),
            "street": ["城东街道", "山乡", "山乡"],
            "population": [1000.0, 300.0, 200.0],
            "elderly": [200.0, 80.0, 60.0],
            "kind": ["urban", "rural", "rural"],
            "built": ["existing"] * 3,
        },
        geometry=[square(0, 0, 1000, 800), square(1000, 0, 2000, 800), square(2000, 0, 3000, 800)],
        crs=CRS,
    )
    fac = gpd.GeoDataFrame(
        {
            "name": ["城东日照中心", "有村互助点"],
            "kind": ["day_care", "rural_mutual_aid"],
            "floor_area_m2": [400.0, 120.0],
            "beds": [np.nan, np.nan],
        },
        geometry=[shapely.Point(X0 + 500, Y0 + 400), shapely.Point(X0 + 1500, Y0 + 400)],
        crs=CRS,
    )
    return frames_study(comm, fac, standards=StandardsSettings(preset=preset))


@pytest.fixture(scope="module")
def villages_study():
    return study_with_villages()


# --- north arrow ------------------------------------------------------------------------------------------------


def test_every_web_map_has_a_north_arrow(villages_study):
    no_rows = {"rule_id": [], "level": [], "unit_name": [], "street": [], "verdict": [], "title_zh": []}
    import pandas as pd

    circles = gpd.GeoDataFrame({"kind": [], "band_min": []}, geometry=[], crs=CRS)
    for fmap in (
        overview_map(villages_study),
        coverage_map(villages_study, circles, kind="day_care"),
        standards_map(villages_study, pd.DataFrame(no_rows)),
    ):
        page = unescaped(map_html(fmap))
        assert page.count("L.Control.extend({options: {position: 'topright'}") == 1
        assert "eldercircle-north" in page and "<svg" in page and "指北针" in page and ">北</text>" in page
        assert "http" not in page.split("eldercircle-north")[1][:900].replace(
            "http://www.w3.org/2000/svg", ""
        )
        # the layer control stays collapsed; legends fold on a phone-width screen
        assert '"collapsed": true' in page and "w > 0 && w < 480" in page
    page = unescaped(map_html(overview_map(villages_study, lang="en")))
    assert "North arrow" in page and ">N</text>" in page


# --- service bands as rings -------------------------------------------------------------------------------------


def test_band_rings_add_up_to_the_outer_band():
    """5 min: 100 m x 100 m (10 000 m²); 10 min: 200 m x 200 m around it (40 000); 15 min: 300 m x 300 m (90 000).
    The rings are 10 000, 30 000 and 50 000 m²: together the 15-minute band, and no two overlap."""
    circles = gpd.GeoDataFrame(
        {"kind": ["day_care"] * 3 + ["meal_point"], "band_min": [15, 5, 10, 5]},
        geometry=[
            square(-100, -100, 200, 200),
            square(0, 0, 100, 100),
            square(-50, -50, 150, 150),
            square(0, 0, 10, 10),
        ],
        crs=CRS,
    )
    rings = band_rings(circles)
    day = rings[rings["kind"] == "day_care"]
    assert day["band_min"].tolist() == [5, 10, 15]
    assert np.allclose(day.geometry.area.to_numpy(), [10_000, 30_000, 50_000])
    assert day.geometry.area.sum() == pytest.approx(90_000)
    for a, b in itertools.combinations(day.geometry, 2):
        assert a.intersection(b).area == pytest.approx(0, abs=1e-6)
    # the 5-minute ring is the 5-minute band itself; another kind is its own set
    assert day.geometry.iloc[0].equals(square(0, 0, 100, 100))
    assert rings[rings["kind"] == "meal_point"].geometry.area.tolist() == [pytest.approx(100)]


def test_band_rings_of_bands_that_are_not_nested():
    """A 10-minute band that does not hold all of the 5-minute one: the rings still cover the union once."""
    circles = gpd.GeoDataFrame(
        {"kind": ["day_care"] * 2, "band_min": [5, 10]},
        geometry=[square(0, 0, 100, 100), square(50, 0, 250, 100)],
        crs=CRS,
    )
    rings = band_rings(circles)
    assert np.allclose(rings.geometry.area.to_numpy(), [10_000, 15_000])  # 20 000 minus the 5 000 overlap


def test_band_styles_are_graded_with_distinct_outlines():
    styles = [band_style(i, "#0072B2") for i in range(3)]
    opacities = [s["fillOpacity"] for s in styles]
    assert opacities == sorted(opacities, reverse=True) and len(set(opacities)) == 3
    assert [s.get("dashArray", "") for s in styles] == ["", "6 4", "2 4"]


def test_coverage_map_draws_rings_with_the_band_legend(villages_study):
    circles = gpd.GeoDataFrame(
        {"kind": ["day_care"] * 3, "band_min": [5, 10, 15]},
        geometry=[square(300, 200, 700, 600), square(200, 100, 800, 700), square(100, 0, 900, 800)],
        crs=CRS,
    )
    page = unescaped(map_html(coverage_map(villages_study, circles, kind="day_care")))
    for m in (5, 10, 15):
        assert f"日间照料中心 · {m} 分钟" in page and f"{m} 分钟</div>" in page
    # the 10-minute ring has a hole where the 5-minute band is (two rings of coordinates)
    polygons = [f["geometry"] for fc in geojson_payloads(page) for f in fc["features"]]
    holes = [g for g in polygons if g["type"] == "Polygon" and len(g["coordinates"]) == 2]
    assert len(holes) == 2  # the 15- and 10-minute rings (communities and the 5-minute band have none)


# --- labels -----------------------------------------------------------------------------------------------------


def test_label_data_names_communities_and_streets(villages_study):
    labels = label_data(villages_study.communities)
    communities = [lab for lab in labels if lab["k"] == 0]
    streets = [lab for lab in labels if lab["k"] == 1]
    assert [lab["t"] for lab in communities] == ["城东社区", "有村", "无村"]
    assert [lab["t"] for lab in streets] == ["城东街道", "山乡"]
    # each community points to its street; the anchor is inside its box
    assert [lab["s"] for lab in communities] == [0, 1, 1] and [lab["s"] for lab in streets] == [0, 1]
    for lab in labels:
        (south, west), (north, east) = lab["b"]
        assert south < lab["p"][0] < north and west < lab["p"][1] < east
    # 山乡 is the two villages together: its box spans 2 km east-west
    (south, west), (north, east) = streets[1]["b"]
    assert (east - west) * 97_900 * np.cos(np.radians(28.4)) / np.cos(np.radians(28.4)) > 1_900


def test_labels_show_where_they_fit_and_names_stay_text():
    hostile = "</script><img src=x onerror=alert(1)>{{7*7}}"
    study = study_with_villages(names=(hostile, "有村", "无村"))
    page = map_html(overview_map(study))
    assert hostile not in page and "{{7*7}}" in page  # escaped, not evaluated as a template
    assert "\\u003c/script\\u003e\\u003cimg src=x onerror=alert(1)\\u003e" in page
    # the labels' script: text set as text, shown where the label fits the polygon's box at the current zoom
    assert "span.textContent = d.t;" in page and "innerHTML" not in page.split("eldercircleLabels")[1]
    assert "map.on('zoomend resize', update)" in page and "latLngToContainerPoint" in page
    assert "text-shadow:0 0 2px #fff" in page
    data = re.search(r"data = (\[.*?\]), fit = ", page)
    assert data is not None and json.loads(data.group(1))[0]["t"] == hostile


def test_script_json_cannot_close_the_script():
    text = script_json({"t": "a</script>&\u2028b"})
    assert "</" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"t": "a</script>&\u2028b"}


# --- villages by their own target -------------------------------------------------------------------------------


def test_villages_of_counts_mutual_aid_inside(villages_study):
    villages = villages_of(villages_study)
    assert villages is not None
    assert villages.village.tolist() == [False, True, True]
    assert villages.has_aid.tolist() == [False, True, False]
    assert (villages.n, villages.ok) == (2, 1)
    assert villages.rule.value == 0.85 and "信州区" in villages.rule.citation  # the xinzhou preset's target
    national = villages_of(study_with_villages(preset="national"))
    assert (
        national is not None and national.rule.value == 0.6 and national.rule.citation == "建标〔2014〕23号"
    )


def test_coverage_map_styles_villages_by_mutual_aid_for_day_care(villages_study):
    circles = gpd.GeoDataFrame({"kind": [], "band_min": []}, geometry=[], crs=CRS)
    # one uncovered cell in the urban community, one in each village: only the urban one is a gap of day care
    cells = gpd.GeoDataFrame(
        {"elderly_uncovered": [5.0, 7.0, 9.0], "per_ha": [5.0, 7.0, 9.0]},
        geometry=[square(0, 0, 100, 100), square(1000, 0, 1100, 100), square(2000, 0, 2100, 100)],
        crs=CRS,
    )
    page = unescaped(map_html(coverage_map(villages_study, circles, kind="day_care", uncovered=cells)))
    assert "行政村（农村互助养老）" in page
    assert VILLAGE_HAS_STYLE["color"] in page and VILLAGE_LACKS_STYLE["fillColor"] in page
    assert "已有农村互助养老服务设施的行政村" in page and "尚无农村互助养老服务设施的行政村" in page
    assert (
        "85%以上的行政村建有农村互助养老服务设施（信州区 三年行动方案 2023–2025 一(一)），现有 1/2 个" in page
    )
    assert '"elderly_uncovered": 5.0' in page and '"elderly_uncovered": 7.0' not in page
    assert '"elderly_uncovered": 9.0' not in page
    # a kind villages are measured by too (meal points): no village layer, every cell drawn
    meal = unescaped(map_html(coverage_map(villages_study, circles, kind="meal_point", uncovered=cells)))
    assert "行政村（农村互助养老）" not in meal and '"elderly_uncovered": 9.0' in meal
    en = unescaped(map_html(coverage_map(villages_study, circles, kind="day_care", lang="en")))
    assert "Villages by their own target: 85% or more with a rural mutual-aid facility" in en


# --- the public map ---------------------------------------------------------------------------------------------


def test_public_map_rings_labels_arrow_and_villages(villages_study):
    from geo.network import network_from_lines
    from planning.coverage import coverage_of_study, service_circle_layer
    from planning.report import public_map_html

    net = network_from_lines(
        [shapely.LineString([(X0 + a, Y0 + 400), (X0 + a + 1000, Y0 + 400)]) for a in (0, 1000, 2000)],
        crs=CRS,
    )
    cov = coverage_of_study(villages_study, net)
    circles = service_circle_layer(villages_study, net, cov)
    page = public_map_html(villages_study, cov, circles, k_anon=1)
    rings = [
        f
        for fc in geojson_payloads(page)
        for f in fc["features"]
        if f["properties"].get("minutes") and f["properties"]["kind"] == "日间照料中心"
    ]
    assert sorted(f["properties"]["minutes"] for f in rings) == [5, 10, 15]
    shapes = gpd.GeoSeries([shapely.from_geojson(json.dumps(f["geometry"])) for f in rings], crs=4326).to_crs(
        CRS
    )
    outer = circles[(circles["kind"] == "day_care") & (circles["band_min"] == 15)].geometry.iloc[0]
    assert shapes.area.sum() == pytest.approx(outer.area, rel=0.01)  # the rings add up to the 15-minute band
    for a, b in itertools.combinations(shapes, 2):
        assert a.intersection(b).area < 1.0  # m²: no band lies over another
    text = unescaped(page)
    assert "eldercircle-north" in text and "span.textContent = d.t;" in text
    # 有村 has mutual aid, 无村 not: each by its own target, not by day care
    assert VILLAGE_HAS_STYLE["color"] in text and VILLAGE_LACKS_STYLE["fillColor"] in text
    assert (
        "85%以上的行政村建有农村互助养老服务设施（信州区 三年行动方案 2023–2025 一(一)），现有 1/2 个" in text
    )

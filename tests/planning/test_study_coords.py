"""Where study.toml's coords (wgs84 | gcj02 | bd09) applies: lon/lat layers in WGS 84 only; refused where it cannot.

GCJ-02 and BD-09 are offsets of WGS 84 longitude/latitude. A layer in a projected CRS has no lon/lat to shift, so a
study-wide coords never moves it; a layer whose own CRS is another datum's lon/lat (CGCS2000, Beijing 1954) cannot
be GCJ-02 either. "Disagree" means exactly this: a layer whose CRS is not WGS 84 lon/lat under a coords of gcj02 or
bd09 stated for that very layer, or a non-WGS 84 lon/lat layer under a study-wide one. It is refused with one
sentence naming the layer and the fix. A WGS 84 lon/lat layer under gcj02 cannot be told from a GCJ-02 one (the
shift is smooth and plausible), so it is converted, as stated; the fix for a layer really in WGS 84 is its own
coords = "wgs84".
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point, box

from geo.errors import LayerError
from planning.i18n import say
from planning.study import load_study

LON0, LAT0, D = 118.00, 28.45, 0.01
FACILITIES_CSV = f"name,kind,lon,lat\n城关中心,street_centre,{LON0 + 0.005},{LAT0 + 0.005}\n"


def communities(crs: str) -> gpd.GeoDataFrame:
    """Two 0.01-degree squares near 118.0E 28.45N, drawn in WGS 84 and written in ``crs``."""
    frame = gpd.GeoDataFrame(
        {
            "name": ["东风社区", "西湖社区"],
            "street": ["城关街道"] * 2,
            "population": [8000, 6000],
            "elderly": [1600, 900],
        },
        geometry=[box(LON0 + i * D, LAT0, LON0 + (i + 1) * D, LAT0 + D) for i in range(2)],
        crs="EPSG:4326",
    )
    return frame.to_crs(crs)


def make_study(folder: Path, *, crs: str, coords: str = "gcj02", entry: str = "") -> Path:
    folder.mkdir(parents=True)
    communities(crs).to_file(folder / "c.gpkg", layer="communities", driver="GPKG")
    (folder / "f.csv").write_text(FACILITIES_CSV, encoding="utf-8")
    entry = entry or '"c.gpkg#communities"'
    (folder / "study.toml").write_text(
        f'[study]\nname = "测试"\ncrs = "EPSG:4547"\ncoords = "{coords}"\n'
        f'[layers]\ncommunities = {entry}\nfacilities = "f.csv"\n',
        encoding="utf-8",
    )
    return folder


def corner(study) -> Point:
    """The first community's south-west corner, in the working CRS (EPSG:4547)."""
    x0, y0, _, _ = study.communities.geometry.iloc[0].bounds
    return Point(x0, y0)


def test_study_wide_gcj02_never_shifts_a_projected_layer(tmp_path):
    plain = load_study(make_study(tmp_path / "w", crs="EPSG:4547", coords="wgs84"))
    study = load_study(make_study(tmp_path / "g", crs="EPSG:4547"))
    assert corner(study).distance(corner(plain)) < 0.01  # the projected polygons stay where they are
    # the lon/lat CSV is converted: its facility moves by the GCJ-02 offset (a few hundred metres)
    shift = study.facilities.geometry.iloc[0].distance(plain.facilities.geometry.iloc[0])
    assert 100 < shift < 1000
    notes = [f.message for f in study.findings if f.layer == "communities" and f.action == "note"]
    assert any("coords = gcj02 ignored: the layer is in the projected CRS" in n for n in notes)


def test_study_wide_gcj02_converts_a_wgs84_lonlat_layer_unless_it_says_wgs84(tmp_path):
    plain = load_study(make_study(tmp_path / "w", crs="EPSG:4326", coords="wgs84"))
    shifted = load_study(make_study(tmp_path / "g", crs="EPSG:4326"))
    assert 100 < corner(shifted).distance(corner(plain)) < 1000
    assert any(
        f.layer == "communities" and "converted from GCJ02 to WGS84" in f.message for f in shifted.findings
    )
    kept = load_study(
        make_study(tmp_path / "k", crs="EPSG:4326", entry='{ path = "c.gpkg#communities", coords = "wgs84" }')
    )
    assert corner(kept).distance(corner(plain)) < 0.01
    assert 100 < kept.facilities.geometry.iloc[0].distance(plain.facilities.geometry.iloc[0]) < 1000


def test_study_wide_gcj02_refuses_a_cgcs2000_lonlat_layer(tmp_path):
    with pytest.raises(LayerError) as caught:
        load_study(make_study(tmp_path / "s", crs="EPSG:4490", coords="bd09"))
    en = str(caught.value)
    assert "communities layer 'c.gpkg#communities'" in en and "EPSG:4490" in en and 'coords = "bd09"' in en
    assert 'coords = "wgs84"' in en  # the fix: say the layer's own system
    zh = say(caught.value, "zh")
    assert "communities" in zh and "c.gpkg#communities" in zh and 'coords = "wgs84"' in zh
    assert "EPSG:4490" in zh and not re.search(r"[A-Za-z]+ [A-Za-z]+", zh)


def test_layer_coords_gcj02_on_a_projected_layer_is_refused(tmp_path):
    entry = '{ path = "c.gpkg#communities", coords = "gcj02" }'
    with pytest.raises(LayerError) as caught:
        load_study(make_study(tmp_path / "s", crs="EPSG:4547", coords="wgs84", entry=entry))
    en = str(caught.value)
    assert (
        "communities layer 'c.gpkg#communities'" in en
        and "projected CRS EPSG:4547" in en
        and 'coords = "gcj02"' in en
    )
    assert "remove coords" in en
    zh = say(caught.value, "zh")
    assert "c.gpkg#communities" in zh and "投影坐标系" in zh and "coords" in zh
    assert "EPSG:4547" in zh and not re.search(r"[A-Za-z]+ [A-Za-z]+", zh)

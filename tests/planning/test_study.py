"""Loading and validating studies: the data contract and every bad input the foundation issue names."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely

from geo.errors import LayerError, OptionError, StudyError
from planning.i18n import say
from planning.study import key_figures, load_study
from planning.validation import parse_number

# Three communities side by side near 118.0E 28.45N (about 1 km squares), and two facilities.
LON0, LAT0, D = 118.00, 28.45, 0.01


def square(i: int, j: int = 0) -> list:
    x, y = LON0 + i * D, LAT0 + j * D
    return [[[x, y], [x + D, y], [x + D, y + D], [x, y + D], [x, y]]]


def feature(geometry: dict | None, **props) -> dict:
    return {"type": "Feature", "properties": props, "geometry": geometry}


def communities_geojson(rows: list[dict] | None = None) -> dict:
    rows = (
        rows
        if rows is not None
        else [
            feature(
                {"type": "Polygon", "coordinates": square(0)},
                名称="东风社区",
                街道="城关街道",
                常住人口=8000,
                老年人口=1600,
            ),
            feature(
                {"type": "Polygon", "coordinates": square(1)},
                名称="西湖社区",
                街道="城关街道",
                常住人口=6000,
                老年人口=900,
            ),
            feature(
                {"type": "Polygon", "coordinates": square(2)},
                名称="李家村",
                街道="青山镇",
                常住人口=2000,
                老年人口=500,
                类型="行政村",
            ),
        ]
    )
    return {"type": "FeatureCollection", "features": rows}


FACILITIES_CSV = (
    "名称,类型,经度,纬度,建筑面积,床位数\n"
    f"城关中心,街道综合养老服务中心,{LON0 + 0.005},{LAT0 + 0.005},1200,\n"
    f"西湖日照,日间照料中心,{LON0 + 0.015},{LAT0 + 0.005},400,10\n"
)


def make_study(
    folder: Path,
    *,
    communities: dict | None = None,
    facilities: str = FACILITIES_CSV,
    extra_toml: str = "",
    layers: str | None = None,
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "communities.geojson").write_text(
        json.dumps(communities or communities_geojson(), ensure_ascii=False), encoding="utf-8"
    )
    (folder / "facilities.csv").write_text(facilities, encoding="utf-8")
    layers = layers or 'communities = "communities.geojson"\nfacilities = "facilities.csv"\n'
    (folder / "study.toml").write_text(
        f'[study]\nname = "测试"\n{extra_toml}\n[layers]\n{layers}', encoding="utf-8"
    )
    return folder


def messages(study, action: str) -> list[str]:
    return [f"row {f.row}: {f.message}" for f in study.findings if f.action == action]


# --- the happy path --------------------------------------------------------------------------------------------


def test_minimal_study_maps_chinese_columns_and_projects_to_utm(tmp_path):
    study = load_study(make_study(tmp_path / "s"))
    assert study.crs.to_epsg() == 32650  # 118.0E -> UTM zone 50N
    assert list(study.communities["name"]) == ["东风社区", "西湖社区", "李家村"]
    assert list(study.communities["kind"]) == ["urban", "urban", "rural"]
    assert study.communities["population"].tolist() == [8000, 6000, 2000]
    assert set(study.facilities["kind"]) == {"street_centre", "day_care"}
    mapped = messages(study, "mapped")
    assert any("'常住人口' → population" in m for m in mapped)
    assert any("'类型' → kind" in m for m in mapped)
    # a 0.01 degree square at 28.45N is about 1113 m x 979 m
    area = study.communities.geometry.area.iloc[0]
    assert 1.05e6 < area < 1.12e6
    kf = key_figures(study)
    assert kf["residents"] == 16000 and kf["elderly"] == 3000
    assert kf["facilities"]["day_care"] == 1
    assert study.n_rejected == 0


def test_declared_projected_crs_is_used(tmp_path):
    study = load_study(make_study(tmp_path / "s", extra_toml='crs = "EPSG:4547"'))
    assert study.crs.to_epsg() == 4547
    x = study.facilities.geometry.x.iloc[0]
    assert 880_000 < x < 900_000  # 4.005 degrees east of the 114E central meridian, no zone prefix
    assert any("is meant for 112.5–115.5E" in f.message for f in study.findings)  # and the user is told


def test_geographic_working_crs_is_refused(tmp_path):
    with pytest.raises(OptionError, match="crs"):
        load_study(make_study(tmp_path / "s", extra_toml='crs = "EPSG:4326"'))


# --- missing things --------------------------------------------------------------------------------------------


def test_missing_study_toml(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(StudyError, match=r"has no study\.toml.*eldercircle demo"):
        load_study(tmp_path / "empty")


def test_missing_study_folder(tmp_path):
    with pytest.raises(StudyError, match="does not exist"):
        load_study(tmp_path / "nowhere")


def test_missing_layer_file(tmp_path):
    folder = make_study(
        tmp_path / "s", layers='communities = "communities.geojson"\nfacilities = "facs.csv"\n'
    )
    with pytest.raises(LayerError, match=r"facilities layer 'facs.csv': file .*facs.csv does not exist"):
        load_study(folder)


def test_unknown_layer_in_geopackage(tmp_path):
    folder = make_study(tmp_path / "s")
    gdf = gpd.read_file(folder / "communities.geojson")
    gdf.to_file(folder / "data.gpkg", layer="shequ", driver="GPKG")
    (folder / "study.toml").write_text(
        '[layers]\ncommunities = "data.gpkg#communities"\nfacilities = "facilities.csv"\n', encoding="utf-8"
    )
    with pytest.raises(LayerError, match=r"has no layer 'communities'; its layers are shequ"):
        load_study(folder)
    (folder / "study.toml").write_text(
        '[layers]\ncommunities = "data.gpkg#shequ"\nfacilities = "facilities.csv"\n', encoding="utf-8"
    )
    assert len(load_study(folder).communities) == 3


def test_missing_required_column_names_aliases(tmp_path):
    data = communities_geojson()
    for f in data["features"]:
        del f["properties"]["老年人口"]
    with pytest.raises(
        LayerError, match=r"lacks the required column elderly \(accepted: elderly, 老年人口, 60岁以上人口"
    ):
        load_study(make_study(tmp_path / "s", communities=data))


def test_missing_network_source_file(tmp_path):
    folder = make_study(
        tmp_path / "s",
        layers='communities = "communities.geojson"\nfacilities = "facilities.csv"\n'
        '[network]\nsource = "roads.osm"\n',
    )
    with pytest.raises(StudyError, match=r"\[network\] source 'roads.osm' does not exist"):
        load_study(folder)


def test_walk_speed_out_of_range(tmp_path):
    folder = make_study(
        tmp_path / "s",
        layers='communities = "communities.geojson"\nfacilities = "facilities.csv"\n'
        "[network]\nwalk_speed_m_s = 0.3\n",
    )
    with pytest.raises(OptionError, match=r"walk_speed_m_s.*0.3 m/s is outside the allowed 0.5–2.0"):
        load_study(folder)


def test_bad_toml(tmp_path):
    folder = make_study(tmp_path / "s")
    (folder / "study.toml").write_text("[layers\ncommunities = 1", encoding="utf-8")
    with pytest.raises(StudyError, match="not valid TOML"):
        load_study(folder)


# --- numbers written as text -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value, note",
    [
        ("1,200", 1200.0, "thousands separators"),
        ("1200㎡", 1200.0, "unit 'm2' removed"),
        ("1200平方米", 1200.0, "unit '平方米' removed"),
        ("约800", 800.0, "approximate"),
        ("800左右", 800.0, "approximate"),
        ("1.2万", 12000.0, "万"),
        ("１２００", 1200.0, "full-width"),
        ("60张", 60.0, "unit '张'"),
        ("1200", 1200.0, None),
    ],
)
def test_parse_number_accepts(text, value, note):
    got, got_note, error = parse_number(text)
    assert error is None and got == value
    if note is None:
        assert got_note is None
    else:
        assert note in got_note


@pytest.mark.parametrize(
    "text, reason", [("800-1000", "is a range"), ("不详", "is not a number"), ("12a", "is not a number")]
)
def test_parse_number_refuses(text, reason):
    got, _, error = parse_number(text)
    assert got is None and reason in error


def test_text_numbers_parsed_or_rejected_per_row(tmp_path):
    csv = (
        "名称,类型,经度,纬度,建筑面积,床位数\n"
        f'a,日间照料中心,{LON0 + 0.001},{LAT0 + 0.001},"1,200",\n'
        f"b,日间照料中心,{LON0 + 0.002},{LAT0 + 0.001},1200㎡,\n"
        f"c,日间照料中心,{LON0 + 0.003},{LAT0 + 0.001},约800,\n"
        f"d,日间照料中心,{LON0 + 0.004},{LAT0 + 0.001},800-1000,\n"
    )
    study = load_study(make_study(tmp_path / "s", facilities=csv))
    assert study.facilities["floor_area_m2"].tolist() == [1200.0, 1200.0, 800.0]
    repaired = messages(study, "repaired")
    assert any(m.startswith("row 1:") and "'1,200' read as 1200" in m for m in repaired)
    assert any(m.startswith("row 2:") and "'1200㎡' read as 1200" in m for m in repaired)
    assert any(m.startswith("row 3:") and "approximate" in m for m in repaired)
    rejected = messages(study, "rejected")
    assert rejected == ["row 4: floor_area_m2 (建筑面积): '800-1000' is a range; give one number"]
    assert study.rejected["facilities"]["row"].tolist() == [4]
    assert study.rejected["facilities"]["名称"].tolist() == ["d"]  # nothing the user gave is lost


# --- row rules ---------------------------------------------------------------------------------------------------


def test_zero_negative_population_and_elderly_above_population(tmp_path):
    rows = [
        feature({"type": "Polygon", "coordinates": square(0)}, name="A", street="S", population=0, elderly=0),
        feature(
            {"type": "Polygon", "coordinates": square(1)}, name="B", street="S", population=-5, elderly=1
        ),
        feature(
            {"type": "Polygon", "coordinates": square(2)}, name="C", street="S", population=100, elderly=120
        ),
        feature(
            {"type": "Polygon", "coordinates": square(3)}, name="D", street="S", population=100, elderly=20
        ),
    ]
    study = load_study(make_study(tmp_path / "s", communities=communities_geojson(rows)))
    assert study.communities["name"].tolist() == ["D"]
    rejected = messages(study, "rejected")
    assert "row 1: population is 0; it must be greater than 0" in rejected
    assert "row 2: population is -5; it must be greater than 0" in rejected
    assert any(m.startswith("row 3: elderly 120 is greater than population 100") for m in rejected)


def test_duplicate_community_names_within_a_street(tmp_path):
    rows = [
        feature(
            {"type": "Polygon", "coordinates": square(0)},
            name="东风社区",
            street="城关街道",
            population=10,
            elderly=1,
        ),
        feature(
            {"type": "Polygon", "coordinates": square(1)},
            name="东风社区",
            street="城关街道",
            population=10,
            elderly=1,
        ),
        feature(
            {"type": "Polygon", "coordinates": square(2)},
            name="东风社区",
            street="新城街道",
            population=10,
            elderly=1,
        ),
    ]
    study = load_study(make_study(tmp_path / "s", communities=communities_geojson(rows)))
    assert len(study.communities) == 2  # the same name in another street is fine
    assert messages(study, "rejected") == [
        "row 2: community '东风社区' in street '城关街道' duplicates row 1; rename one (e.g. add 一/二) or merge the two rows"
    ]


def test_unknown_facility_kind_lists_allowed_and_accepts_chinese(tmp_path):
    csv = (
        "name,kind,lon,lat\n"
        f"a,敬老院,{LON0 + 0.001},{LAT0 + 0.001}\n"
        f"b,day_care,{LON0 + 0.002},{LAT0 + 0.001}\n"
        f"c,老年大学,{LON0 + 0.003},{LAT0 + 0.001}\n"
        f"d,embedded_home,{LON0 + 0.004},{LAT0 + 0.001}\n"
        f"e,Rural Mutual Aid,{LON0 + 0.005},{LAT0 + 0.001}\n"
    )
    study = load_study(make_study(tmp_path / "s", facilities=csv))
    assert study.facilities["kind"].tolist() == [
        "nursing_home",
        "day_care",
        "embedded_home",
        "rural_mutual_aid",
    ]
    (msg,) = messages(study, "rejected")
    assert msg.startswith(
        "row 3: kind '老年大学' is not a facility kind; use one of: street_centre (街道综合养老服务中心)"
    )
    assert "health_centre (社区卫生服务中心)" in msg


# --- geometry ----------------------------------------------------------------------------------------------------


def test_empty_invalid_and_wrong_type_geometries(tmp_path):
    x, y = LON0 + 3 * D, LAT0
    bowtie = {"type": "Polygon", "coordinates": [[[x, y], [x + D, y + D], [x + D, y], [x, y + D], [x, y]]]}
    rows = [
        feature(
            {"type": "Polygon", "coordinates": square(0)}, name="ok", street="S", population=10, elderly=1
        ),
        feature(None, name="empty", street="S", population=10, elderly=1),
        feature(bowtie, name="bowtie", street="S", population=10, elderly=1),
        feature(
            {"type": "LineString", "coordinates": [[LON0, LAT0], [LON0 + D, LAT0]]},
            name="line",
            street="S",
            population=10,
            elderly=1,
        ),
    ]
    study = load_study(make_study(tmp_path / "s", communities=communities_geojson(rows)))
    assert study.communities["name"].tolist() == ["ok", "bowtie"]
    assert study.communities.geometry.is_valid.all()
    repaired = messages(study, "repaired")
    assert any(
        m.startswith("row 3: invalid polygon (Self-intersection") and "repaired with make_valid" in m
        for m in repaired
    )
    rejected = messages(study, "rejected")
    assert "row 2: geometry is empty; draw it or give coordinates" in rejected
    assert "row 4: geometry is a LineString; communities must be polygons" in rejected


def test_communities_given_as_points_is_a_layer_error(tmp_path):
    rows = [
        feature(
            {"type": "Point", "coordinates": [LON0, LAT0]}, name="A", street="S", population=10, elderly=1
        )
    ]
    with pytest.raises(LayerError, match="holds Point geometries; communities must be polygons"):
        load_study(make_study(tmp_path / "s", communities=communities_geojson(rows)))


def test_facility_polygons_become_points_with_a_report(tmp_path):
    folder = make_study(tmp_path / "s")
    poly = gpd.GeoDataFrame(
        {"name": ["楼"], "kind": ["day_care"]},
        geometry=[shapely.box(LON0 + 0.001, LAT0 + 0.001, LON0 + 0.002, LAT0 + 0.002)],
        crs=4326,
    )
    poly.to_file(folder / "fac.geojson", driver="GeoJSON")
    (folder / "study.toml").write_text(
        '[layers]\ncommunities = "communities.geojson"\nfacilities = "fac.geojson"\n', encoding="utf-8"
    )
    study = load_study(folder)
    assert study.facilities.geometry.geom_type.tolist() == ["Point"]
    assert any("replaced by a point inside each" in m for m in messages(study, "repaired"))


# --- coordinates -------------------------------------------------------------------------------------------------


def test_layer_without_crs(tmp_path):
    folder = make_study(tmp_path / "s")
    gdf = gpd.read_file(folder / "communities.geojson")
    gdf.to_file(folder / "comm.shp", encoding="GBK")  # Chinese field names fit the 10-byte limit in GBK
    (folder / "comm.prj").unlink()
    (folder / "study.toml").write_text(
        '[layers]\ncommunities = "comm.shp"\nfacilities = "facilities.csv"\n', encoding="utf-8"
    )
    with pytest.raises(LayerError, match=r"has no coordinate reference system .*crs = \"EPSG:4547\""):
        load_study(folder)
    (folder / "study.toml").write_text(
        '[layers]\ncommunities = { path = "comm.shp", crs = "EPSG:4326" }\nfacilities = "facilities.csv"\n',
        encoding="utf-8",
    )
    assert len(load_study(folder).communities) == 3


def test_swapped_lon_lat_is_detected_not_guessed(tmp_path):
    csv = (
        "name,kind,lon,lat\n"
        f"a,day_care,{LAT0 + 0.001},{LON0 + 0.001}\n"
        f"b,day_care,{LAT0 + 0.002},{LON0 + 0.002}\n"
    )
    with pytest.raises(LayerError, match=r"longitude and latitude look swapped.*swap the two columns"):
        load_study(make_study(tmp_path / "s", facilities=csv))


def test_gcj02_declared_is_converted(tmp_path):
    from geo.crs import wgs84_to_gcj02

    plain = load_study(make_study(tmp_path / "a"))
    study = load_study(make_study(tmp_path / "b", extra_toml='coords = "gcj02"'))
    assert any("converted from GCJ02 to WGS84" in m for m in messages(study, "repaired"))
    # the facility moved by the GCJ-02 offset (a few hundred metres), and converting it back gives the input
    shift = plain.facilities.geometry.iloc[0].distance(study.facilities.geometry.iloc[0])
    assert 100 < shift < 1000
    back = study.facilities.to_crs(4326).geometry.iloc[0]
    lon, lat = wgs84_to_gcj02(np.array([back.x]), np.array([back.y]))
    assert abs(lon[0] - (LON0 + 0.005)) < 1e-6 and abs(lat[0] - (LAT0 + 0.005)) < 1e-6


def test_unknown_coords_value(tmp_path):
    with pytest.raises(OptionError, match="coords = 'amap' is not one of wgs84, gcj02, bd09"):
        load_study(make_study(tmp_path / "s", extra_toml='coords = "amap"'))


def test_layers_in_different_places_are_refused(tmp_path):
    csv = "name,kind,lon,lat\na,day_care,116.40,39.90\n"  # Beijing, while the communities are in Jiangxi
    with pytest.raises(LayerError, match="lies nowhere near the communities"):
        load_study(make_study(tmp_path / "s", facilities=csv))


# --- encodings and zips --------------------------------------------------------------------------------------------


def test_gbk_csv_is_read(tmp_path):
    folder = make_study(tmp_path / "s")
    (folder / "facilities.csv").write_bytes(FACILITIES_CSV.encode("gbk"))
    study = load_study(folder)
    assert study.facilities["name"].tolist() == ["城关中心", "西湖日照"]
    assert any("GB18030" in f.message for f in study.findings if f.layer == "facilities")


def _gbk_shapefile_zip(folder: Path, *, with_cpg: bool) -> Path:
    gdf = gpd.read_file(folder / "communities.geojson")
    shp_dir = folder / "shp"
    shp_dir.mkdir()
    pyogrio.write_dataframe(gdf, shp_dir / "社区.shp", encoding="GBK")
    dbf = bytearray((shp_dir / "社区.dbf").read_bytes())
    dbf[29] = 0  # no language driver id, as many Chinese exports have
    (shp_dir / "社区.dbf").write_bytes(bytes(dbf))
    zpath = folder / "communities.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        for f in sorted(shp_dir.iterdir()):
            if f.suffix == ".cpg" and not with_cpg:
                continue
            zf.write(f, arcname=f.name)
    return zpath


def test_zipped_gbk_shapefile_without_cpg_is_read(tmp_path):
    folder = make_study(tmp_path / "s")
    _gbk_shapefile_zip(folder, with_cpg=False)
    (folder / "study.toml").write_text(
        '[layers]\ncommunities = "communities.zip"\nfacilities = "facilities.csv"\n', encoding="utf-8"
    )
    study = load_study(folder)
    assert study.communities["name"].tolist() == ["东风社区", "西湖社区", "李家村"]
    assert any("GB18030" in f.message for f in study.findings if f.layer == "communities")


def test_zip_escaping_its_folder_is_refused(tmp_path):
    folder = make_study(tmp_path / "s")
    with zipfile.ZipFile(folder / "evil.zip", "w") as zf:
        zf.writestr("../../etc/communities.shp", b"x")
    (folder / "study.toml").write_text(
        '[layers]\ncommunities = "evil.zip"\nfacilities = "facilities.csv"\n', encoding="utf-8"
    )
    with pytest.raises(LayerError, match=r"contains '../../etc/communities.shp', a path that escapes"):
        load_study(folder)


def test_unknown_file_type(tmp_path):
    folder = make_study(tmp_path / "s", layers='communities = "communities.geojson"\nfacilities = "f.xlsx"\n')
    (folder / "f.xlsx").write_bytes(b"PK")
    with pytest.raises(LayerError, match=r"files of type '\.xlsx' are not read"):
        load_study(folder)


def test_findings_have_chinese_messages():
    import geopandas as gpd
    import shapely

    from planning.validation import validate_layer

    frame = gpd.GeoDataFrame(
        {
            "名称": ["甲", "乙", "丙", "丁"],
            "类型": ["日间照料中心", "养老院", "食堂", "养老院"],
            "床位数": ["60张", "约1,200", "10", "-5"],
        },
        geometry=shapely.points([[0, 0], [1, 1], [2, 2], [3, 3]]),
        crs="EPSG:32650",
    )
    v = validate_layer(frame, "facilities", source="fac.csv")
    by = {(f.action, f.row): f for f in v.findings}
    repaired = by[("repaired", 1)]
    assert repaired.message_zh == "「床位数」列（beds）：「60张」读作 60（去掉单位「张」）"
    assert "'60张' read as 60" in repaired.message  # the English stays
    assert "读作 1200" in by[("repaired", 2)].message_zh
    assert "「食堂」不是可识别的设施类型" in by[("rejected", 3)].message_zh
    assert "为 -5，应不小于 0" in by[("rejected", 4)].message_zh
    mapped = [f for f in v.findings if f.action == "mapped"]
    assert mapped and all(f.message_zh.startswith("列「") for f in mapped)
    assert all(f.message_zh for f in v.findings), [f.message for f in v.findings if not f.message_zh]
    assert repaired.message_in("en") == repaired.message and repaired.message_in("zh") == repaired.message_zh
    assert repaired.text_zh().startswith("已修复 fac.csv（养老服务设施图层，第 1 行）：")


def test_layer_notes_and_csv_rejects_in_chinese():
    from geo.messages import Message
    from planning.i18n import say
    from planning.validation import Finding

    reject = Message.of("row_without_coords", lon="lon", lat="lat")
    assert str(reject) == "missing or non-numeric coordinates in 'lon'/'lat'"
    assert say(reject, "zh").startswith("「lon」/「lat」列的坐标缺失")
    columns = Message.of("coords_from_columns", lon="x", lat="y")
    assert str(columns) == "coordinates from columns 'x' (longitude) and 'y' (latitude)"
    assert say(columns, "zh") == "坐标取自「x」列（经度）和「y」列（纬度）"
    f = Finding("facilities", "fac.csv", 3, "note", "something not yet translated")
    assert f.message_in("zh") == "something not yet translated"  # English stands in


def test_reader_notes_of_a_csv_all_have_chinese(tmp_path):
    """The reader's notes are codes with parameters, rendered in Chinese by planning.i18n's catalogue: a note
    code of geo/layers without Chinese must fail here, not fall back to English in the app unnoticed."""
    from geo.layers import read_layer
    from planning.i18n import say

    path = tmp_path / "fac.csv"
    path.write_bytes("名称,lon,lat\n甲,115.9,28.7\n乙,,\n".encode("gb18030"))
    layer = read_layer(str(path), name="facilities")
    messages = [*layer.notes, *layer.rejected_reasons]
    assert len(layer.rejected) == 1 and len(messages) >= 3
    assert list(layer.rejected["reason"]) == [str(n) for n in layer.rejected_reasons]
    assert all(say(m, "zh") for m in messages), [m for m in messages if not say(m, "zh")]


# --- [standards] bed_basis and circle_kinds (issue 13) ------------------------------------------------------------


def test_standards_bed_basis_and_circle_kinds_are_read(tmp_path):
    toml = '[standards]\npreset = "xinzhou"\nbed_basis = "ALL"\ncircle_kinds = "day_care"\n'
    study = load_study(make_study(tmp_path / "s", extra_toml=toml))
    assert study.standards.bed_basis == "all" and study.standards.circle_kinds == ("day_care",)
    default = load_study(make_study(tmp_path / "d"))
    assert default.standards.bed_basis == "institutions"
    assert default.standards.circle_kinds == ("street_centre", "embedded_home", "day_care")


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ('bed_basis = "beds"', "bed_basis = 'beds' is not known; write one of institutions, all"),
        ('circle_kinds = ["day_care", "park"]', "circle_kinds has 'park', which is no facility kind"),
        ('circle_kinds = ["health_centre"]', "circle_kinds has 'health_centre', which is no facility kind"),
    ],
)
def test_standards_bed_basis_and_circle_kinds_refuse_unknown_values(tmp_path, line, said):
    folder = make_study(tmp_path / "s", extra_toml=f"[standards]\n{line}\n")
    with pytest.raises(StudyError) as info:
        load_study(folder)
    assert said in str(info.value) and "study.toml" in str(info.value)
    zh = say(info.value, "zh")
    assert "[standards]" in zh and ("无法识别" in zh or "不是设施类型" in zh)

"""Only the formats the study contract names are opened, and only when the file's first bytes match its name.

A GDAL VRT dressed as ``.geojson``/``.gpkg``/``.shp`` would read any file on the server or fetch a URL; XML with
entity declarations could read files or expand without end. Refused everywhere (folder studies too), in one
sentence that never quotes the file.
"""

from __future__ import annotations

import bz2
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from geo.errors import LayerError, NetworkError, StudyError
from geo.layers import check_file_format, read_layer
from geo.network import network_from_graphml, network_from_osm, network_from_source
from planning.intake import read_uploaded_layer, save_upload
from tests.security.evil import SECRET, assert_refused, demo_copy, plant_secret, run, study_toml, zip_study

UTM50 = "EPSG:32650"


pytestmark = pytest.mark.usefixtures("own_cache")


def vrt(secret: Path) -> str:
    """A GDAL VRT that reads ``secret`` as a point layer (what GDAL would do if it were opened by content)."""
    return (
        f'<OGRVRTDataSource><OGRVRTLayer name="secret"><SrcDataSource>{secret}</SrcDataSource>'
        "<SrcLayer>secret</SrcLayer><GeometryType>wkbPoint</GeometryType><LayerSRS>EPSG:4326</LayerSRS>"
        '<GeometryField encoding="PointFromColumns" x="lon" y="lat"/></OGRVRTLayer></OGRVRTDataSource>'
    )


def vrt_url() -> str:
    return (
        '<OGRVRTDataSource><OGRVRTLayer name="x"><SrcDataSource>/vsicurl/http://127.0.0.1:9/x.geojson'
        "</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>"
    )


def xxe_osm(secret: Path) -> str:
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE osm [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
        '<osm version="0.6"><node id="1" lat="28.44" lon="118.0"><tag k="name" v="&xxe;"/></node></osm>\n'
    )


def laughs(root: str) -> str:
    entities = '<!ENTITY a0 "ha">' + "".join(
        f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    )
    return f'<?xml version="1.0"?>\n<!DOCTYPE {root} [{entities}]>\n<{root}>&a9;</{root}>\n'


# --- layers dressed as another format --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "layer_name", ["facilities.geojson", "facilities.json", "facilities.gpkg", "facilities.shp"]
)
def test_vrt_dressed_as_a_layer_is_refused_in_a_folder_study(tmp_path, capsys, layer_name):
    secret = plant_secret(tmp_path / "outside")
    study = demo_copy(tmp_path / "study")
    (study / layer_name).write_text(vrt(secret), encoding="utf-8")
    (study / "study.toml").write_text(study_toml(facilities=layer_name), encoding="utf-8")
    assert_refused(*run(["validate", str(study)], capsys), names=(layer_name,), says="not a .* file")


def test_vrt_dressed_as_geojson_is_refused_in_a_zip(tmp_path, capsys):
    secret = plant_secret(tmp_path / "outside")
    evil = zip_study(
        tmp_path / "evil.zip", toml=study_toml(facilities="f.geojson"), extra={"demo/f.geojson": vrt(secret)}
    )
    assert_refused(
        *run(["validate", str(evil)], capsys), names=("evil.zip", "f.geojson"), says="not a GeoJSON file"
    )


def test_vrt_fetching_a_url_is_refused(tmp_path):
    path = tmp_path / "x.geojson"
    path.write_text(vrt_url(), encoding="utf-8")
    with pytest.raises(LayerError, match="not a GeoJSON file"):
        read_layer(str(path), name="facilities")


def test_vrt_with_a_vrt_suffix_is_refused(tmp_path):
    path = tmp_path / "x.vrt"
    path.write_text(vrt(plant_secret(tmp_path)), encoding="utf-8")
    with pytest.raises(LayerError, match=r"'\.vrt' are not read"):
        read_layer(str(path), name="facilities")


def test_sqlite_database_that_is_not_a_geopackage_is_refused(tmp_path):
    path = tmp_path / "x.gpkg"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE t (secret TEXT)")
        con.execute("INSERT INTO t VALUES (?)", (SECRET,))
    with pytest.raises(LayerError, match="not a GeoPackage file") as refused:
        read_layer(str(path), name="facilities")
    assert SECRET not in str(refused.value)


def test_zipped_shapefile_whose_shp_is_a_vrt_is_refused(tmp_path):
    secret = plant_secret(tmp_path / "outside")
    path = tmp_path / "layer.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("layer.shp", vrt(secret))
        zf.writestr("layer.dbf", b"")
    with pytest.raises(LayerError, match=r"layer.shp is not a Shapefile file") as refused:
        read_layer(str(path), name="facilities")
    assert SECRET not in str(refused.value)


def test_csv_with_nul_bytes_is_refused(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    with pytest.raises(LayerError, match="not a CSV text file"):
        read_layer(str(path), name="facilities")


def test_genuine_formats_pass_the_check(tmp_path):
    from tests.security.evil import DEMO

    assert check_file_format(DEMO / "population.gpkg", where="x") == "gpkg"
    assert check_file_format(DEMO / "communities.geojson", where="x") == "geojson"
    assert check_file_format(DEMO / "facilities.csv", where="x") == "csv"
    assert check_file_format(DEMO / "streets.osm", where="x") == "osm"
    packed = tmp_path / "streets.osm.bz2"
    packed.write_bytes(bz2.compress((DEMO / "streets.osm").read_bytes()[:200_000]))
    assert check_file_format(packed, where="x") == "osm.bz2"
    bom = tmp_path / "bom.geojson"
    bom.write_bytes(b"\xef\xbb\xbf \n" + (DEMO / "communities.geojson").read_bytes())
    assert check_file_format(bom, where="x") == "geojson"


# --- messages never quote the file ------------------------------------------------------------------------------


def test_broken_geojson_message_does_not_quote_the_file(tmp_path):
    path = tmp_path / "x.geojson"
    path.write_text(
        '{"type": "FeatureCollection", "features": [' + json.dumps(SECRET) + ", ", encoding="utf-8"
    )
    with pytest.raises(LayerError, match="cannot be opened as a GeoJSON") as refused:
        read_layer(str(path), name="facilities")
    assert SECRET not in str(refused.value)


def test_csv_without_coordinates_does_not_echo_its_header(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(f"{SECRET},b\n1,2\n", encoding="utf-8")
    with pytest.raises(LayerError, match="no coordinate columns") as refused:
        read_layer(str(path), name="facilities")
    assert SECRET not in str(refused.value)


def test_csv_in_a_wrong_encoding_does_not_echo_its_bytes(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(f"name,lon,lat\n{SECRET},1,2\n".encode("utf-16"))
    with pytest.raises(LayerError) as refused:
        read_layer(str(path), name="facilities")
    assert SECRET not in str(refused.value)


# --- networks -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("streets.osm", "xxe", "DOCTYPE"),
        ("streets.osm", "laughs", "DOCTYPE"),
        ("streets.graphml", "laughs", "DOCTYPE"),
        ("streets.osm", "vrt", "not a OpenStreetMap XML file|root element"),
        ("streets.graphml", "vrt", "root element"),
        ("streets.osm.pbf", "vrt", "not a OpenStreetMap PBF file"),
        ("streets.osm.bz2", "vrt", "not a bzip2-compressed OpenStreetMap XML file"),
        ("streets.geojson", "vrt", "not a GeoJSON file"),
    ],
)
def test_hostile_network_files_are_refused_at_validate(tmp_path, capsys, name, content, says):
    secret = plant_secret(tmp_path / "outside")
    text = {
        "xxe": xxe_osm(secret),
        "laughs": laughs("graphml" if name.endswith("graphml") else "osm"),
        "vrt": vrt(secret),
    }[content]
    study = demo_copy(tmp_path / "study")
    (study / name).write_text(text, encoding="utf-8")
    (study / "study.toml").write_text(study_toml(network=name), encoding="utf-8")
    assert_refused(*run(["validate", str(study)], capsys), names=(name, "[network] source"), says=says)
    evil = zip_study(tmp_path / "evil.zip", toml=study_toml(network=name), extra={f"demo/{name}": text})
    assert_refused(*run(["validate", str(evil)], capsys), names=("evil.zip", name), says=says)


def test_bzip2_osm_with_entities_is_refused(tmp_path):
    path = tmp_path / "x.osm.bz2"
    path.write_bytes(bz2.compress(xxe_osm(plant_secret(tmp_path)).encode()))
    with pytest.raises(NetworkError, match="DOCTYPE"):
        network_from_osm(path, crs=UTM50)


def test_network_readers_check_the_bytes_themselves(tmp_path):
    secret = plant_secret(tmp_path / "outside")
    for name, reader in (("x.osm", network_from_osm), ("x.graphml", network_from_graphml)):
        path = tmp_path / name
        path.write_text(xxe_osm(secret) if name.endswith(".osm") else laughs("graphml"), encoding="utf-8")
        with pytest.raises(NetworkError, match="DOCTYPE") as refused:
            reader(path, crs=UTM50)
        assert SECRET not in str(refused.value)
    path = tmp_path / "c.geojson"
    path.write_text(vrt(secret), encoding="utf-8")
    with pytest.raises(NetworkError, match="not a GeoJSON file"):
        network_from_source(str(path), crs=UTM50)
    with pytest.raises(NetworkError, match="GDAL virtual path"):
        network_from_source("/vsicurl/http://127.0.0.1:9/x.geojson", crs=UTM50)
    with pytest.raises(NetworkError, match="URL"):
        network_from_source("https://example.invalid/x.osm", crs=UTM50)


def test_broken_osm_message_gives_the_place_not_the_content(tmp_path):
    path = tmp_path / "broken.osm"
    path.write_text(
        f'<osm version="0.6"><node id="1" lat="0" lon="3"><tag k="{SECRET}" v=<', encoding="utf-8"
    )
    with pytest.raises(NetworkError, match="cannot be read as OSM XML") as refused:
        network_from_osm(path, crs="EPSG:32631")
    assert SECRET not in str(refused.value)


# --- single-layer uploads go through the same checks ----------------------------------------------------------


def test_uploaded_vrt_layer_is_refused_and_removed(tmp_path):
    secret = plant_secret(tmp_path / "outside")
    with pytest.raises(StudyError, match="not a GeoJSON file") as refused:
        save_upload(vrt(secret).encode(), "社区.geojson", tmp_path / "up")
    assert SECRET not in str(refused.value)
    assert not any((tmp_path / "up").iterdir())


def test_uploaded_network_with_entities_is_refused(tmp_path):
    with pytest.raises(StudyError, match="DOCTYPE"):
        save_upload(xxe_osm(plant_secret(tmp_path / "o")).encode(), "streets.osm", tmp_path / "up")


def test_uploaded_file_of_another_type_is_refused(tmp_path):
    with pytest.raises(StudyError, match="type the app does not read"):
        save_upload(b"<OGRVRTDataSource/>", "x.vrt", tmp_path / "up")


def test_reading_an_uploaded_vrt_is_refused_even_if_saved_by_other_means(tmp_path):
    path = tmp_path / "x.geojson"
    path.write_text(vrt(plant_secret(tmp_path / "o")), encoding="utf-8")
    with pytest.raises(LayerError, match="not a GeoJSON file"):
        read_uploaded_layer(path, "communities")

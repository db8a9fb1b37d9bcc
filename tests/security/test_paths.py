"""Path confinement: a zipped study (and any study under ELDERCIRCLE_PUBLIC=1) reads only its own files.

Each attack is a tiny evil study built from the demo: ``eldercircle validate evil.zip`` must exit 2 with one
sentence naming the file and the fix, no traceback, and never the planted secret.
"""

from __future__ import annotations

import pytest

from planning.study import load_study
from tests.security.evil import (
    DEMO,
    FACILITIES_LINE,
    NETWORK_LINE,
    SECRET,
    assert_refused,
    demo_copy,
    plant_secret,
    run,
    study_toml,
    zip_study,
)

pytestmark = pytest.mark.usefixtures("own_cache")


@pytest.mark.parametrize(
    ("layer_path", "says"),
    [
        ("/etc/passwd", "absolute path"),
        ("/etc/passwd#x", "absolute path"),
        ("~/.ssh/id_rsa", "home folder"),
        ("~root/.ssh/id_rsa", "home folder"),
        ("../../secret.csv", r"climbs out of the study folder"),
        ("demo/../../../secret.csv", r"climbs out of the study folder"),
        ("C:\\x.csv", "absolute path"),
        ("c:/Users/x.csv", "absolute path"),
        ("\\\\server\\share\\x.csv", "absolute path"),
        ("//server/share/x.csv", "absolute path"),
        ("/vsicurl/http://127.0.0.1:9/x.geojson", r"GDAL virtual path"),
        ("/vsizip//etc/x.zip/x.shp", r"GDAL virtual path"),
        ("vsicurl/http://127.0.0.1:9/x.geojson", r"GDAL virtual path"),
        ("https://example.invalid/x.geojson", "URL"),
        ("file:///etc/passwd", "URL"),
        ("place:北京", "internet"),
    ],
)
def test_zipped_study_layer_paths_stay_inside(tmp_path, capsys, layer_path, says):
    evil = zip_study(tmp_path / "evil.zip", toml=study_toml(facilities=layer_path))
    line = assert_refused(*run(["validate", str(evil)], capsys), names=("evil.zip", "facilities"), says=says)
    assert "relative to study.toml" in line or "study.toml" in line


def test_zipped_study_cannot_read_a_planted_file_by_its_absolute_path(tmp_path, capsys):
    secret = plant_secret(tmp_path / "outside")
    evil = zip_study(tmp_path / "evil.zip", toml=study_toml(facilities=str(secret)))
    assert_refused(*run(["validate", str(evil)], capsys), names=("evil.zip", "absolute path"))


@pytest.mark.parametrize(
    ("source", "says"),
    [
        ("place:北京", "download"),
        ("PLACE:Beijing", "download"),
        ("https://example.invalid/streets.osm", "URL"),
        ("http://127.0.0.1:9/streets.osm", "URL"),
        ("ftp://example.invalid/streets.osm", "URL"),
        ("file:///etc/passwd", "URL"),
        ("s3://bucket/streets.osm", "URL"),
        ("/etc/passwd", "absolute path"),
        ("~/streets.osm", "home folder"),
        ("../streets.osm", "climbs out"),
        ("/vsicurl/http://127.0.0.1:9/x.osm", "GDAL virtual path"),
    ],
)
def test_zipped_study_network_source_stays_inside(tmp_path, capsys, source, says):
    evil = zip_study(tmp_path / "evil.zip", toml=study_toml(network=source))
    assert_refused(*run(["validate", str(evil)], capsys), names=("evil.zip", "[network] source"), says=says)


def test_zipped_study_network_source_by_absolute_path_to_a_real_file(tmp_path, capsys):
    outside = tmp_path / "outside" / "streets.osm"
    outside.parent.mkdir()
    outside.write_bytes((DEMO / "streets.osm").read_bytes())
    evil = zip_study(tmp_path / "evil.zip", toml=study_toml(network=str(outside)))
    assert_refused(*run(["validate", str(evil)], capsys), names=("evil.zip",), says="absolute path")


def test_zipped_study_with_a_proj_string_crs_is_refused(tmp_path, capsys):
    toml = study_toml().replace('coords = "wgs84"', 'coords = "wgs84"\ncrs = "+init=/etc/passwd:root"')
    evil = zip_study(tmp_path / "evil.zip", toml=toml)
    assert_refused(*run(["validate", str(evil)], capsys), names=("evil.zip", "[study] crs"), says="EPSG")


# --- ELDERCIRCLE_PUBLIC=1 confines folder studies; without it they stay free -----------------------------------


def test_public_mode_confines_a_folder_study(tmp_path, capsys, monkeypatch):
    secret = plant_secret(tmp_path / "outside")
    study = demo_copy(tmp_path / "study")
    (study / "study.toml").write_text(study_toml(facilities=str(secret)), encoding="utf-8")
    monkeypatch.setenv("ELDERCIRCLE_PUBLIC", "1")
    assert_refused(*run(["validate", str(study)], capsys), names=("facilities", "absolute path"))
    (study / "study.toml").write_text(study_toml(facilities="../outside/secret.csv"), encoding="utf-8")
    assert_refused(*run(["validate", str(study)], capsys), names=("facilities",), says="climbs out")
    (study / "study.toml").write_text(study_toml(network="place:北京"), encoding="utf-8")
    assert_refused(*run(["validate", str(study)], capsys), names=("[network] source",), says="download")


def test_public_mode_refuses_a_symlink_inside_the_folder(tmp_path, capsys, monkeypatch):
    secret = plant_secret(tmp_path / "outside")
    study = demo_copy(tmp_path / "study")
    (study / "linked.csv").symlink_to(secret)
    (study / "study.toml").write_text(study_toml(facilities="linked.csv"), encoding="utf-8")
    monkeypatch.setenv("ELDERCIRCLE_PUBLIC", "1")
    assert_refused(*run(["validate", str(study)], capsys), names=("linked.csv",), says="symbolic link")
    (study / "sub").symlink_to(tmp_path / "outside", target_is_directory=True)
    (study / "study.toml").write_text(study_toml(facilities="sub/secret.csv"), encoding="utf-8")
    assert_refused(*run(["validate", str(study)], capsys), names=("sub/secret.csv",), says="symbolic link")


def test_folder_study_on_the_analysts_machine_may_name_absolute_paths(tmp_path, capsys):
    """Without ELDERCIRCLE_PUBLIC, a folder study may name files anywhere (the analyst's own data)."""
    data = demo_copy(tmp_path / "data")
    study = tmp_path / "study"
    study.mkdir()
    text = (DEMO / "study.toml").read_text(encoding="utf-8")
    for name in (
        "communities.geojson",
        "facilities.csv",
        "candidates.geojson",
        "population.gpkg",
        "streets.osm",
    ):
        text = text.replace(f'"{name}', f'"{data / name}')
    assert FACILITIES_LINE not in text and NETWORK_LINE not in text
    (study / "study.toml").write_text(text, encoding="utf-8")
    code, out, err = run(["validate", str(study)], capsys)
    assert code == 0, err
    assert "55 communities" in out
    loaded = load_study(study)
    assert not loaded.confined and loaded.origin is None
    assert loaded.network_source_path() == str(data / "streets.osm")


def test_folder_study_outside_public_mode_reads_a_relative_path_above_it(tmp_path):
    secret_free = tmp_path / "shared" / "facilities.csv"
    secret_free.parent.mkdir()
    secret_free.write_bytes((DEMO / "facilities.csv").read_bytes())
    study = demo_copy(tmp_path / "study")
    (study / "study.toml").write_text(study_toml(facilities="../shared/facilities.csv"), encoding="utf-8")
    assert len(load_study(study).facilities) > 0


def test_confined_keyword_overrides_the_default(tmp_path):
    secret = plant_secret(tmp_path / "outside")
    study = demo_copy(tmp_path / "study")
    (study / "study.toml").write_text(study_toml(facilities=str(secret)), encoding="utf-8")
    from geo.errors import LayerError

    with pytest.raises(LayerError, match="absolute path") as refused:
        load_study(study, confined=True)
    assert SECRET not in str(refused.value)


def test_gdal_virtual_paths_are_refused_in_folder_studies_too(tmp_path, capsys):
    study = demo_copy(tmp_path / "study")
    (study / "study.toml").write_text(
        study_toml(facilities="/vsicurl/http://127.0.0.1:9/x.geojson"), encoding="utf-8"
    )
    assert_refused(*run(["validate", str(study)], capsys), names=("facilities",), says="GDAL virtual path")
    (study / "study.toml").write_text(
        study_toml(network="/vsicurl/http://127.0.0.1:9/x.osm"), encoding="utf-8"
    )
    assert_refused(
        *run(["validate", str(study)], capsys), names=("[network] source",), says="GDAL virtual path"
    )
    (study / "study.toml").write_text(study_toml(network="https://example.invalid/x.osm"), encoding="utf-8")
    assert_refused(*run(["validate", str(study)], capsys), names=("[network] source",), says="URL")

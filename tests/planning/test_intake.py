"""planning.intake: path confinement, the network source check, and zipped studies unpacked once per zip."""

from __future__ import annotations

import os
import time
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from geo.errors import NetworkError, OptionError, StudyError
from planning.intake import (
    UNPACKED_MARKER,
    check_crs_text,
    check_network_source,
    confine_path,
    public_mode,
    study_folder_from_zip,
)
from planning.study import NetworkSettings, load_study
from tests.security.evil import DEMO, study_toml, zip_study

pytestmark = pytest.mark.usefixtures("own_cache")


@pytest.mark.parametrize("spec", ["a.csv", "sub/a.csv", "./sub/./a.csv", "data.gpkg#layer", "sub\\a.csv"])
def test_confine_path_keeps_relative_paths_inside(tmp_path, spec):
    (tmp_path / "sub").mkdir()
    got = confine_path(spec, tmp_path, where="x")
    assert got.resolve().is_relative_to(tmp_path.resolve())


@pytest.mark.parametrize(
    ("spec", "says"),
    [
        ("/etc/passwd", "absolute path"),
        ("~/x.csv", "home folder"),
        ("~", "home folder"),
        ("../x.csv", "climbs out"),
        ("a/../../x.csv", "climbs out"),
        ("..\\x.csv", "climbs out"),
        ("C:\\x.csv", "absolute path"),
        ("D:x.csv", "absolute path"),
        ("\\\\host\\share\\x.csv", "absolute path"),
        ("place:北京", "internet"),
        ("https://example.invalid/x.csv", "URL"),
        ("HTTP://example.invalid/x.csv", "URL"),
        ("file:///x.csv", "URL"),
        ("/vsicurl/http://x/y.csv", "GDAL virtual path"),
        ("sub/vsizip/x.shp", "GDAL virtual path"),
        ("a\x00.csv", "control characters"),
        ("", "names no file"),
        ("#layer", "names no file"),
    ],
)
def test_confine_path_refuses(tmp_path, spec, says):
    with pytest.raises(StudyError, match=says):
        confine_path(spec, tmp_path, where="study.toml: [layers] facilities")


def test_confine_path_refuses_symlinks_even_pointing_inside(tmp_path):
    (tmp_path / "real.csv").write_text("x", encoding="utf-8")
    (tmp_path / "link.csv").symlink_to(tmp_path / "real.csv")
    with pytest.raises(StudyError, match="symbolic link"):
        confine_path("link.csv", tmp_path, where="x")


def test_public_mode_reads_the_environment(monkeypatch):
    assert not public_mode()
    for value, expected in (("1", True), ("yes", True), ("0", False), ("false", False), ("", False)):
        monkeypatch.setenv("ELDERCIRCLE_PUBLIC", value)
        assert public_mode() is expected


def test_check_crs_text():
    check_crs_text("EPSG:4547", where="crs")
    check_crs_text(4547, where="crs")
    check_crs_text(None, where="crs")
    for bad in ("+init=/etc/passwd:root", "+proj=utm +zone=50", "file:///etc/x"):
        with pytest.raises(OptionError, match="EPSG"):
            check_crs_text(bad, where="crs")


def test_check_network_source(tmp_path):
    streets = tmp_path / "streets.osm"
    streets.write_bytes((DEMO / "streets.osm").read_bytes()[:4096])
    assert check_network_source("streets.osm", tmp_path, where="s", confined=True) == streets
    assert check_network_source("place:信州区", tmp_path, where="s", confined=False) is None
    assert check_network_source(str(streets), tmp_path / "elsewhere", where="s", confined=False) == streets
    with pytest.raises(NetworkError, match="download"):
        check_network_source("place:信州区", tmp_path, where="s", confined=True)
    with pytest.raises(NetworkError, match="absolute path"):
        check_network_source(str(streets), tmp_path, where="s", confined=True)
    with pytest.raises(NetworkError, match="does not exist"):
        check_network_source("missing.osm", tmp_path, where="s", confined=False)
    with pytest.raises(NetworkError, match="type networks do not use"):
        (tmp_path / "x.csv").write_text("a", encoding="utf-8")
        check_network_source("x.csv", tmp_path, where="s", confined=False)
    with pytest.raises(NetworkError, match="in quotes"):
        check_network_source(3, tmp_path, where="s", confined=False)


def test_zip_unpacks_once_into_a_folder_named_by_its_digest_with_the_zip_times(tmp_path):
    demo_zip = zip_study(tmp_path / "demo.zip", skip=())
    first = study_folder_from_zip(demo_zip)
    assert first.parent.parent == tmp_path / "cache" / "studies"
    assert (first.parent / UNPACKED_MARKER).is_file()
    with zipfile.ZipFile(demo_zip) as zf:
        stamp = time.mktime((*zf.getinfo("demo/streets.osm").date_time, 0, 0, -1))
    assert os.stat(first / "streets.osm").st_mtime == stamp
    before = (first / "streets.osm").stat().st_mtime_ns
    assert study_folder_from_zip(demo_zip) == first
    assert (first / "streets.osm").stat().st_mtime_ns == before
    copy = tmp_path / "copy.zip"
    copy.write_bytes(demo_zip.read_bytes())
    assert study_folder_from_zip(copy) == first  # same content, same folder


def test_half_unpacked_folder_is_never_used(tmp_path):
    demo_zip = zip_study(tmp_path / "demo.zip")
    folder = study_folder_from_zip(demo_zip)
    root = folder.parent
    (root / UNPACKED_MARKER).unlink()
    (folder / "communities.geojson").write_text("half", encoding="utf-8")
    again = study_folder_from_zip(demo_zip)
    assert again == folder and (root / UNPACKED_MARKER).is_file()
    assert (again / "communities.geojson").read_bytes() == (DEMO / "communities.geojson").read_bytes()


def test_zip_unpacks_into_a_temporary_folder_when_the_cache_is_off(tmp_path, monkeypatch):
    monkeypatch.setenv("ELDERCIRCLE_CACHE_DIR", "off")
    folder = study_folder_from_zip(zip_study(tmp_path / "demo.zip"))
    assert (folder / "study.toml").is_file()
    assert not (tmp_path / "cache").exists()


def test_load_study_of_a_zip_is_confined_and_names_the_zip(tmp_path):
    demo_zip = zip_study(tmp_path / "demo.zip", skip=())
    study = load_study(demo_zip)
    assert study.confined and study.origin == demo_zip
    assert study.network_source_path() == str(study.folder / "streets.osm")
    free = load_study(demo_zip, confined=False)
    assert not free.confined
    bad = zip_study(tmp_path / "bad.zip", toml=study_toml(facilities="missing.csv"))
    with pytest.raises(StudyError, match=r"bad\.zip") as refused:
        load_study(bad)
    assert str(tmp_path / "cache") not in str(refused.value)  # the unpack folder is not shown


def test_network_source_path_is_not_expanded_in_a_confined_study(tmp_path):
    study = load_study(zip_study(tmp_path / "demo.zip", skip=()))
    sneaky = replace(study, network=NetworkSettings(source="~/streets.osm"))
    with pytest.raises(NetworkError, match="home folder"):
        sneaky.network_source_path()
    assert replace(sneaky, confined=False).network_source_path() == str(Path("~/streets.osm").expanduser())


def test_a_study_uploaded_in_the_app_is_loaded_confined(tmp_path):
    """The app unpacks an upload with study_from_zip and loads the folder: it is confined all the same."""
    from planning.intake import made_by_intake, study_from_zip

    good = zip_study(tmp_path / "good.zip", skip=())
    folder = study_from_zip(good.read_bytes(), tmp_path / "session" / "zip", name="good.zip")
    assert made_by_intake(folder)
    assert load_study(folder).confined
    evil = zip_study(tmp_path / "evil.zip", toml=study_toml(facilities="/etc/passwd"))
    folder = study_from_zip(evil.read_bytes(), tmp_path / "session" / "zip2", name="evil.zip")
    with pytest.raises(StudyError, match="absolute path"):
        load_study(folder)
    assert not made_by_intake(DEMO)
    assert not load_study(DEMO).confined

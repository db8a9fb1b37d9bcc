"""Zipped studies and zipped layers: damaged zips, zip bombs, zip-slip and links are refused in one sentence; a
genuine zipped study works with every command and unpacks once, so the network cache hits on the next command."""

from __future__ import annotations

import stat
import struct
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest

from geo.errors import LayerError, StudyError
from geo.layers import read_layer
from planning.i18n import say
from planning.intake import study_folder_from_zip, study_from_zip
from tests.security.evil import (
    DEMO,
    assert_refused,
    demo_copy,
    plant_secret,
    run,
    study_toml,
    zip_bytes,
    zip_study,
)

pytestmark = pytest.mark.usefixtures("own_cache")


def stored_demo_zip(path: Path) -> bytes:
    """The demo zipped without compression (its text appears verbatim in the bytes)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for file in sorted(DEMO.iterdir()):
            if file.name != "streets.osm":
                zf.write(file, f"demo/{file.name}")
    return path.read_bytes()


# --- a genuine zipped study -------------------------------------------------------------------------------------


def test_zipped_demo_validates_and_the_second_command_hits_the_network_cache(tmp_path, capsys):
    demo_zip = zip_study(tmp_path / "demo.zip", skip=())
    code, out, err = run(["validate", str(demo_zip)], capsys)
    assert code == 0, err
    assert "55 communities" in out
    unpacked = list((tmp_path / "cache" / "studies").iterdir())
    assert len(unpacked) == 1  # one folder, named by the zip's SHA-256
    args = ["coverage", str(demo_zip), "--kinds", "day_care", "--minutes", "15", "--lang", "en"]
    code, out, err = run(args, capsys)
    assert code == 0, err
    assert "(cached)" not in err
    code, out2, err = run(args, capsys)
    assert code == 0, err
    assert "walking network" in err and "(cached)" in err
    assert out2.splitlines()[-1] == out.splitlines()[-1]
    assert list((tmp_path / "cache" / "studies").iterdir()) == unpacked


def test_zipped_demo_works_with_the_cache_off(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ELDERCIRCLE_CACHE_DIR", "off")
    demo_zip = zip_study(tmp_path / "demo.zip", skip=())
    code, out, err = run(["validate", str(demo_zip)], capsys)
    assert code == 0, err
    assert "55 communities" in out


# --- damaged zips -----------------------------------------------------------------------------------------------


def test_forged_crc_is_refused(tmp_path, capsys):
    data = stored_demo_zip(tmp_path / "good.zip")
    assert data.count(b"synthetic = true") == 1
    evil = tmp_path / "evil.zip"
    evil.write_bytes(
        data.replace(b"synthetic = true", b"synthetic = truE")
    )  # content no longer matches its CRC
    assert_refused(*run(["validate", str(evil)], capsys), names=("evil.zip",), says="damaged .*CRC")


def test_forged_crc_field_is_refused(tmp_path, capsys):
    data = bytearray(stored_demo_zip(tmp_path / "good.zip"))
    with zipfile.ZipFile(tmp_path / "good.zip") as zf:
        info = zf.getinfo("demo/study.toml")
    local = info.header_offset  # local header: CRC-32 at +14; central directory entry: at +16
    forged = struct.pack("<I", info.CRC ^ 0xFFFF)
    data[local + 14 : local + 18] = forged
    central = bytes(data).find(b"PK\x01\x02")
    while central >= 0:
        name_len = struct.unpack("<H", data[central + 28 : central + 30])[0]
        if bytes(data[central + 46 : central + 46 + name_len]) == b"demo/study.toml":
            data[central + 16 : central + 20] = forged
        central = bytes(data).find(b"PK\x01\x02", central + 4)
    evil = tmp_path / "evil.zip"
    evil.write_bytes(bytes(data))
    assert_refused(*run(["validate", str(evil)], capsys), names=("evil.zip",), says="damaged")


@pytest.mark.parametrize("cut", ["end", "middle"])
def test_truncated_zip_is_refused(tmp_path, capsys, cut):
    data = stored_demo_zip(tmp_path / "good.zip")
    evil = tmp_path / "evil.zip"
    evil.write_bytes(data[: len(data) // 2] if cut == "end" else data[:1000] + data[5000:])
    assert_refused(
        *run(["validate", str(evil)], capsys), names=("evil.zip",), says="damaged|not a valid zip file"
    )


def test_a_file_that_is_not_a_zip_is_refused(tmp_path, capsys):
    evil = tmp_path / "evil.zip"
    evil.write_bytes(b"Rar!\x1a\x07\x00" + b"\x00" * 100)
    assert_refused(*run(["validate", str(evil)], capsys), names=("evil.zip",), says="not a valid zip file")


def test_member_whose_size_lies_is_refused(tmp_path, capsys):
    """A member declaring 100 bytes that unpacks to 3 MB (a bomb hiding from the size check)."""
    evil = tmp_path / "evil.zip"
    data = bytearray(zip_bytes({"demo/study.toml": study_toml(), "demo/huge.csv": b"0" * 3_000_000}))
    pos = bytes(data).find(b"PK\x03\x04")
    while pos >= 0:  # local headers: uncompressed size at +22
        if struct.unpack("<I", data[pos + 22 : pos + 26])[0] == 3_000_000:
            data[pos + 22 : pos + 26] = struct.pack("<I", 100)
        pos = bytes(data).find(b"PK\x03\x04", pos + 4)
    pos = bytes(data).find(b"PK\x01\x02")
    while pos >= 0:  # central directory: uncompressed size at +24
        if struct.unpack("<I", data[pos + 24 : pos + 28])[0] == 3_000_000:
            data[pos + 24 : pos + 28] = struct.pack("<I", 100)
        pos = bytes(data).find(b"PK\x01\x02", pos + 4)
    evil.write_bytes(bytes(data))
    assert_refused(*run(["validate", str(evil)], capsys), names=("evil.zip",), says="damaged|zip bomb")


# --- bombs, slips, links ---------------------------------------------------------------------------------------


def test_zip_bomb_is_refused_by_its_compression_ratio(tmp_path, capsys):
    evil = zip_study(tmp_path / "evil.zip", extra={"demo/huge.csv": b"0" * 5_000_000})
    assert evil.stat().st_size < 200_000
    assert_refused(*run(["validate", str(evil)], capsys), names=("evil.zip", "huge.csv"), says="zip bomb")
    assert not any(p.name == "huge.csv" for p in (tmp_path / "cache").rglob("*"))


def test_zip_bomb_is_refused_by_its_unpacked_size(tmp_path):
    evil = tmp_path / "evil.zip"
    evil.write_bytes(zip_bytes({"demo/study.toml": study_toml(), "demo/a.csv": b"0" * 6_000_000}))
    with pytest.raises(StudyError, match=r"would unpack to 6\.0 MB, more than .* upload limit") as refused:
        study_folder_from_zip(evil, max_mb=1)
    assert "超过上传上限" in say(refused.value, "zh")  # the upload limit, said in Chinese too


@pytest.mark.parametrize(
    "member",
    [
        "../evil.csv",
        "demo/../../evil.csv",
        "/tmp/evil.csv",
        "C:/evil.csv",
        "demo\\..\\..\\evil.csv",
        "C:\\evil.csv",
    ],
)
def test_zip_slip_is_refused(tmp_path, capsys, member):
    evil = zip_study(tmp_path / "evil.zip", extra={member: "lon,lat\n1,2\n"})
    assert_refused(
        *run(["validate", str(evil)], capsys), names=("evil.zip",), says="escapes the zip's folder"
    )
    assert not (tmp_path / "evil.csv").exists()
    assert not any(p.name.endswith("evil.csv") for p in (tmp_path / "cache").rglob("*"))


def _symlink_member(name: str, target: str) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name)
    info.create_system = 3  # Unix
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, target.encode()


def test_symlink_member_is_refused(tmp_path, capsys):
    secret = plant_secret(tmp_path / "outside")
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as zf:
        for file in sorted(DEMO.iterdir()):
            if file.name not in ("facilities.csv", "streets.osm"):
                zf.write(file, f"demo/{file.name}")
        zf.writestr(*_symlink_member("demo/facilities.csv", str(secret)))
    assert_refused(
        *run(["validate", str(evil)], capsys), names=("evil.zip", "facilities.csv"), says="symbolic link"
    )
    with pytest.raises(LayerError, match="symbolic link"):
        study_from_zip(evil.read_bytes(), tmp_path / "app", name="evil.zip")


def test_member_of_an_unused_type_is_refused(tmp_path, capsys):
    evil = zip_study(tmp_path / "evil.zip", extra={"demo/x.vrt": "<OGRVRTDataSource/>"})
    assert_refused(
        *run(["validate", str(evil)], capsys), names=("evil.zip", "x.vrt"), says="type a study does not use"
    )


def test_zip_without_a_study_is_refused(tmp_path, capsys):
    evil = tmp_path / "evil.zip"
    evil.write_bytes(zip_bytes({"a.csv": "x"}))
    assert_refused(*run(["validate", str(evil)], capsys), names=("evil.zip",), says="holds no study.toml")


def test_uploaded_study_with_forged_crc_is_refused_and_nothing_is_kept(tmp_path):
    data = stored_demo_zip(tmp_path / "good.zip").replace(b"synthetic = true", b"synthetic = truE")
    with pytest.raises(LayerError, match=r"uploaded study: bad.zip is damaged"):
        study_from_zip(data, tmp_path / "s", name="bad.zip")
    assert list((tmp_path / "s").iterdir()) == []


# --- zipped Shapefile layers ------------------------------------------------------------------------------------


def _shapefile_zip(tmp_path: Path, *, stored: bool = True) -> Path:
    import shapely

    frame = gpd.GeoDataFrame(
        {"name": [f"site {i}" for i in range(20)], "kind": ["day_care"] * 20},
        geometry=[shapely.Point(118.0 + i / 1000, 28.44) for i in range(20)],
        crs="EPSG:4326",
    )
    shp_dir = tmp_path / "shp"
    shp_dir.mkdir()
    frame.to_file(shp_dir / "fac.shp", engine="pyogrio")
    path = tmp_path / "fac.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED) as zf:
        for part in sorted(shp_dir.iterdir()):
            zf.write(part, part.name)
    return path


def test_zipped_shapefile_layer_reads(tmp_path):
    assert len(read_layer(str(_shapefile_zip(tmp_path)), name="facilities").frame) > 0


def test_zipped_shapefile_layer_with_damaged_crc_is_refused(tmp_path, capsys):
    path = _shapefile_zip(tmp_path)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("fac.shp")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 150
    data[start] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(LayerError, match=r"fac.zip is damaged"):
        read_layer(str(path), name="facilities")
    study = demo_copy(tmp_path / "study")
    (study / "fac.zip").write_bytes(bytes(data))
    (study / "study.toml").write_text(study_toml(facilities="fac.zip"), encoding="utf-8")
    assert_refused(*run(["validate", str(study)], capsys), names=("fac.zip", "facilities"), says="damaged")


def test_zipped_shapefile_layer_with_a_symlink_is_refused(tmp_path):
    path = _shapefile_zip(tmp_path)
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr(*_symlink_member("notes.txt", "/etc/passwd"))
    with pytest.raises(LayerError, match="symbolic link"):
        read_layer(str(path), name="facilities")


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_zip_with_two_members_of_one_name_is_refused(tmp_path, capsys):
    evil = zip_study(tmp_path / "evil.zip", extra={"demo/facilities.csv": "name,lon,lat\nx,1,2\n"})
    assert_refused(
        *run(["validate", str(evil)], capsys), names=("evil.zip", "facilities.csv"), says="two members named"
    )


def test_bzip2_bomb_as_network_is_refused_in_a_confined_study(tmp_path, capsys, monkeypatch):
    import bz2

    from planning.intake import paths

    monkeypatch.setattr(paths, "MAX_UPLOAD_MB", 1)  # the limit is 5 MB unpacked
    head = b'<?xml version="1.0"?>\n<osm version="0.6">'
    bomb = bz2.compress(head + b" " * 6_000_000 + b"</osm>")
    evil = zip_study(
        tmp_path / "evil.zip",
        toml=study_toml(network="streets.osm.bz2"),
        extra={"demo/streets.osm.bz2": bomb},
    )
    assert_refused(
        *run(["validate", str(evil)], capsys), names=("evil.zip", "streets.osm.bz2"), says="bzip2 bomb"
    )


def test_unpacking_where_nothing_can_be_written_is_one_sentence(tmp_path):
    from geo.layers import read_zip_members

    good = zip_study(tmp_path / "good.zip")
    (tmp_path / "in-the-way").write_text("a file where a folder should be", encoding="utf-8")
    with pytest.raises(
        LayerError, match=r"good\.zip cannot be unpacked into .*in-the-way.*; free some disk space"
    ):
        read_zip_members(good, where="study", extract_to=tmp_path / "in-the-way" / "x")

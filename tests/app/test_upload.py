"""Uploads (planning/intake/): size limit, zip members escaping the folder, unknown file types, column mapping."""

from __future__ import annotations

import json
import tomllib

import pytest

from geo.errors import LayerError, StudyError
from planning.intake import (
    MAX_UPLOAD_MB,
    check_mapping,
    guess_mapping,
    read_uploaded_layer,
    safe_name,
    save_upload,
    study_from_layers,
    study_from_zip,
)
from planning.study import load_study
from tests.app.tiny import communities_geojson, facilities_csv, streets_geojson, tiny_study_zip, zip_bytes
from tests.conftest import REPO


def test_zipped_study_unpacks_and_loads(tmp_path):
    folder = study_from_zip(tiny_study_zip(), tmp_path / "s", name="tiny.zip")
    assert folder == tmp_path / "s" / "study" / "tiny"
    study = load_study(folder)
    assert list(study.communities["name"]) == ["东园社区", "西园社区"]
    assert len(study.facilities) == 3
    assert not (tmp_path / "s" / "tiny.zip").exists()  # the archive is removed once unpacked


@pytest.mark.parametrize("member", ["../evil.csv", "/etc/evil.csv", "tiny/../../evil.csv", "C:/evil.csv"])
def test_zip_member_escaping_the_folder_is_refused(tmp_path, member):
    data = tiny_study_zip(extra={member: "x"})
    with pytest.raises(LayerError, match="escapes the zip's folder") as refused:
        study_from_zip(data, tmp_path / "s", name="bad.zip")
    assert not (tmp_path / "evil.csv").exists()
    # one sentence naming the user's file (not the app's temporary copy), the member, and the fix
    assert str(refused.value).startswith(f"uploaded study: bad.zip contains {member!r}, a path that escapes")
    assert str(refused.value).endswith("zip the layer files without folders above them")


def test_zip_with_unknown_file_type_is_refused(tmp_path):
    data = tiny_study_zip(extra={"tiny/run.exe": b"MZ", "tiny/notes.docx": b"PK"})
    with pytest.raises(StudyError, match=r"type a study does not use: tiny/run\.exe, tiny/notes\.docx"):
        study_from_zip(data, tmp_path / "s", name="bad.zip")


def test_archive_droppings_are_ignored(tmp_path):
    data = tiny_study_zip(extra={"__MACOSX/tiny/._study.toml": b"\0", "tiny/.DS_Store": b"\0"})
    folder = study_from_zip(data, tmp_path / "s", name="mac.zip")
    assert (folder / "study.toml").is_file()
    assert not (folder / ".DS_Store").exists()


def test_upload_above_the_limit_is_refused_with_the_sizes(tmp_path):
    data = b"0" * 1_500_000
    with pytest.raises(StudyError, match=r"is 1\.5 MB, above the 1 MB limit"):
        study_from_zip(data, tmp_path / "s", name="big.zip", max_mb=1)


def test_zip_bomb_is_refused(tmp_path):
    data = zip_bytes({"tiny/study.toml": "", "tiny/huge.csv": b"0" * 6_000_000})
    assert len(data) < 1_000_000  # compresses to almost nothing
    with pytest.raises(StudyError, match=r"would unpack to 6\.0 MB"):
        study_from_zip(data, tmp_path / "s", name="bomb.zip", max_mb=1)


def test_zip_without_or_with_two_study_files_is_refused(tmp_path):
    with pytest.raises(StudyError, match=r"holds no study.toml"):
        study_from_zip(zip_bytes({"a.csv": "x"}), tmp_path / "a", name="a.zip")
    with pytest.raises(StudyError, match=r"holds 2 study.toml files"):
        study_from_zip(zip_bytes({"a/study.toml": "", "b/study.toml": ""}), tmp_path / "b", name="b.zip")
    with pytest.raises(StudyError, match=r"not a .zip file"):
        study_from_zip(b"PK", tmp_path / "c", name="study.rar")


def test_safe_name_keeps_chinese_and_drops_folders():
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("C:\\Users\\x\\社区 数据.csv") == "社区_数据.csv"
    assert safe_name("..") == "upload"


def test_guess_mapping_uses_aliases_and_leaves_unknown_columns_unmapped():
    guess = guess_mapping(("社区名称", "所属街道", "常住人口", "老年人口", "备注"), "communities")
    assert guess["name"] == "社区名称"
    assert guess["street"] == "所属街道"
    assert guess["population"] == "常住人口"
    assert guess["elderly"] == "老年人口"
    assert guess["households"] is None
    guess = guess_mapping(("名称", "机构类别代码"), "facilities")
    assert guess == {
        "name": "名称",
        "kind": None,
        "street": None,
        "floor_area_m2": None,
        "land_area_m2": None,
        "beds": None,
        "nursing_beds": None,
        "dementia_beds": None,
        "built": None,
        "destitute_care": None,
    }


def test_check_mapping_needs_required_columns_once():
    cols = ("a", "b", "c")
    check_mapping("population", {"elderly": "a", "population": None, "id": None}, cols)
    with pytest.raises(StudyError, match="choose the file's column for elderly"):
        check_mapping("population", {"elderly": None}, cols)
    with pytest.raises(StudyError, match="'a' is chosen for more than one field"):
        check_mapping("population", {"elderly": "a", "population": "a"}, cols)
    with pytest.raises(StudyError, match="'z' is not in the file"):
        check_mapping("population", {"elderly": "z"}, cols)


def test_single_layers_with_a_mapping_make_a_loadable_study(tmp_path):
    up = tmp_path / "up"
    comm = save_upload(
        json.dumps(communities_geojson(chinese=True), ensure_ascii=False).encode(), "社区.geojson", up / "c"
    )
    fac = save_upload(facilities_csv(kind_column="机构类别代码").encode(), "设施.csv", up / "f")
    net = save_upload(json.dumps(streets_geojson()).encode(), "streets.geojson", up / "n")
    c_layer = read_uploaded_layer(comm, "communities")
    f_layer = read_uploaded_layer(fac, "facilities")
    assert c_layer.rows == 2 and f_layer.rows == 3
    assert f_layer.guess["kind"] is None  # an unknown column name: the user maps it
    f_map = dict(f_layer.guess, kind="机构类别代码")
    folder = study_from_layers(
        tmp_path / "study",
        {"communities": (comm, c_layer.guess), "facilities": (fac, f_map)},
        network=net,
        name="上传测试",
        coords="wgs84",
        preset="jiangxi",
    )
    study = load_study(folder)
    assert study.name == "上传测试"
    assert study.standards.preset == "jiangxi"
    assert sorted(study.facilities["kind"]) == ["day_care", "health_centre", "meal_point"]
    assert study.communities["elderly"].tolist() == [600.0, 700.0]
    assert study.network.source == "streets.geojson"


def test_single_layers_without_a_required_column_are_refused(tmp_path):
    fac = save_upload(facilities_csv(kind_column="机构类别代码").encode(), "f.csv", tmp_path / "f")
    comm = save_upload(json.dumps(communities_geojson()).encode(), "c.geojson", tmp_path / "c")
    layer = read_uploaded_layer(fac, "facilities")
    with pytest.raises(
        StudyError,
        match="^communities layer: choose the file's column for population, elderly "
        r"\(required\); facilities layer: choose the file's column for kind",
    ):
        study_from_layers(
            tmp_path / "s",
            {
                "communities": (comm, guess_mapping(("name",), "communities")),
                "facilities": (fac, layer.guess),
            },
            network=None,
        )
    assert not (tmp_path / "s").exists()
    with pytest.raises(StudyError, match="the facilities layer is required"):
        study_from_layers(tmp_path / "s", {"communities": (comm, {})}, network=None)


def test_uploaded_layer_zip_with_escaping_member_is_refused_and_removed(tmp_path):
    data = zip_bytes({"../x.shp": b"", "x.dbf": b""})
    with pytest.raises(LayerError, match="escapes the zip's folder"):
        save_upload(data, "layer.zip", tmp_path)
    assert not (tmp_path / "layer.zip").exists()


def test_the_stated_limit_is_the_servers_limit():
    """The limit the sidebar states is the one Streamlit enforces (server.maxUploadSize), and the toolbar shows no
    developer options (no Deploy button) to a planning bureau's users."""
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == MAX_UPLOAD_MB
    assert config["client"]["toolbarMode"] == "minimal"

"""Errors raised while reading a study say their sentence in Chinese (``say(exc, "zh")``), with the same facts as
the English one (the file, the value, the fix); the English stays as it was. Tiny studies are built in tmp_path."""

from __future__ import annotations

import json
import pickle
import re
import zipfile
from pathlib import Path

import pytest

from geo.errors import LayerError, OptionError, StudyError
from planning.cli import main
from planning.i18n import say
from planning.intake import study_folder_from_zip, study_from_layers
from planning.standards import UNITS, rules_for
from planning.study import load_study

CJK = re.compile(r"[\u4e00-\u9fff]")
#: Three English words in a row: an English sentence left in a Chinese one (keys and paths have no spaces).
ENGLISH_RUN = re.compile(r"[A-Za-z]{2,} [A-Za-z]{2,} [A-Za-z]{2,}")

COMMUNITIES = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"名称": "东风社区", "常住人口": 8000, "老年人口": 1600},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [[118.0, 28.45], [118.01, 28.45], [118.01, 28.46], [118.0, 28.46], [118.0, 28.45]]
                ],
            },
        }
    ],
}
FACILITIES = "名称,类型,经度,纬度\n城关中心,日间照料中心,118.005,28.455\n"


def tiny_study(folder: Path, *, facilities_csv: str = FACILITIES, facilities: str = "facilities.csv") -> Path:
    """A study of one community and one facility; ``facilities`` is the path study.toml names."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "communities.geojson").write_text(json.dumps(COMMUNITIES, ensure_ascii=False), encoding="utf-8")
    (folder / "facilities.csv").write_text(facilities_csv, encoding="utf-8")
    (folder / "study.toml").write_text(
        f'[study]\nname = "测试"\n[layers]\ncommunities = "communities.geojson"\nfacilities = \'{facilities}\'\n',
        encoding="utf-8",
    )
    return folder


def chinese(exc: StudyError, *facts: str) -> str:
    """The error in Chinese, checked: it has a code, reads as Chinese, names every fact, keeps no English sentence."""
    assert exc.message is not None, str(exc)
    text = say(exc, "zh")
    assert CJK.search(text), text
    for fact in facts:
        assert fact in text, (fact, text)
    assert not ENGLISH_RUN.search(re.sub(r"「[^」]*」", "", text)), text  # names in 「」 stay as they are
    assert say(exc, "en") == str(exc)
    return text


def test_unknown_preset():
    with pytest.raises(OptionError) as info:
        rules_for("nowhere")
    assert str(info.value).startswith(
        "[standards] preset 'nowhere' is unknown; choose one of national, jiangxi"
    )
    text = chinese(info.value, "nowhere", "national", "jiangxi")
    assert "预设" in text


def test_override_names_its_unit_in_chinese():
    with pytest.raises(OptionError) as info:
        rules_for("national", overrides={"land_per_resident_m2": "0.2 ha"})
    assert "(m²/resident)" in str(info.value)
    chinese(info.value, "land_per_resident_m2", "㎡/人", "'0.2 ha'")


def test_every_unit_of_the_rules_has_its_words():
    for unit, (zh, en) in UNITS.items():
        assert say(f"err_unit_{unit}", "zh") == zh
        assert say(f"err_unit_{unit}", "en") == en


def test_zip_member_escaping_the_folder(tmp_path, own_cache):
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as zf:
        zf.writestr("demo/study.toml", "[layers]\n")
        zf.writestr("../escape.csv", "x")
    with pytest.raises(LayerError) as info:
        study_folder_from_zip(evil)
    assert "'../escape.csv'" in str(info.value) and "evil.zip" in str(info.value)
    if info.value.message is None:
        pytest.skip("geo's zip refusals get their message codes from geo's own conversion")
    chinese(info.value, "evil.zip", "../escape.csv")


def test_zip_with_files_of_an_unknown_type(tmp_path, own_cache):
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as zf:
        zf.writestr("demo/study.toml", "[layers]\n")
        zf.writestr("demo/run.exe", "x")
    with pytest.raises(StudyError) as info:
        study_folder_from_zip(evil)
    text = chinese(info.value, "evil.zip", "demo/run.exe", ".geojson")
    assert text.startswith("研究区：")


def test_layer_path_outside_the_study_in_public_mode(tmp_path, monkeypatch):
    monkeypatch.setenv("ELDERCIRCLE_PUBLIC", "1")
    (tmp_path / "outside.csv").write_text(FACILITIES, encoding="utf-8")
    study = tiny_study(tmp_path / "s", facilities="../outside.csv")
    with pytest.raises(LayerError) as info:
        load_study(study)
    assert "climbs out of the study folder (..)" in str(info.value)
    text = chinese(
        info.value, str(study / "study.toml"), "[layers] facilities", "../outside.csv", "study.toml"
    )
    assert "跳出了研究区文件夹" in text
    (study / "study.toml").write_text(
        (study / "study.toml")
        .read_text(encoding="utf-8")
        .replace("../outside.csv", str(tmp_path / "outside.csv")),
        encoding="utf-8",
    )
    with pytest.raises(LayerError) as info:
        load_study(study)
    assert "绝对路径" in chinese(info.value, str(tmp_path / "outside.csv"))


def test_missing_study_toml(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(StudyError) as info:
        load_study(tmp_path / "empty")
    assert str(info.value).startswith(f"study folder {tmp_path / 'empty'} has no study.toml; create one")
    text = chinese(info.value, str(tmp_path / "empty"), "study.toml", "eldercircle demo --out DIR")
    assert "没有 study.toml" in text


def test_missing_required_column(tmp_path):
    study = tiny_study(tmp_path / "s", facilities_csv="名称,经度,纬度\n城关中心,118.005,28.455\n")
    with pytest.raises(LayerError) as info:
        load_study(study)
    assert str(info.value).startswith(
        "facilities layer 'facilities.csv' lacks the required column kind (accepted:"
    )
    text = chinese(info.value, "facilities.csv", "kind", "设施类型", "名称")
    assert "缺少必填列" in text


def test_an_error_in_a_zipped_study_names_the_zip_in_chinese_too(tmp_path, own_cache):
    study = tiny_study(tmp_path / "s", facilities_csv="名称,经度,纬度\n城关中心,118.005,28.455\n")
    archive = tmp_path / "study.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for file in sorted(study.iterdir()):
            zf.write(file, f"s/{file.name}")
    with pytest.raises(LayerError) as info:
        load_study(archive)
    assert str(info.value).startswith(f"study {archive}: facilities layer 'facilities.csv' lacks")
    text = chinese(info.value, str(archive), "facilities.csv")
    assert text.startswith(f"研究区 {archive}：")
    again = pickle.loads(pickle.dumps(info.value))  # an error from a worker keeps its Chinese
    assert say(again, "zh") == text and str(again) == str(info.value)


def test_every_problem_of_the_uploaded_layers_in_one_chinese_sentence(tmp_path):
    study = tiny_study(tmp_path / "layers")
    layers = {
        "communities": (study / "communities.geojson", {"name": "名称"}),
        "facilities": (study / "facilities.csv", {"name": "名称", "kind": "名称"}),
    }
    with pytest.raises(StudyError) as info:
        study_from_layers(tmp_path / "built", layers, network=None)
    assert str(info.value) == (
        "communities layer: choose the file's column for population, elderly (required); facilities layer: "
        "column '名称' is chosen for more than one field; pick each file column once"
    )
    text = chinese(info.value, "communities", "population, elderly", "facilities", "'名称'")
    assert text.count("；") >= 2


def test_the_command_line_says_a_study_error_in_chinese(tmp_path, capsys):
    study = tiny_study(tmp_path / "s", facilities_csv="名称,经度,纬度\n城关中心,118.005,28.455\n")
    assert main(["check", str(study)]) == 2
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("错误：") and "facilities.csv" in lines[0] and "缺少必填列" in lines[0]
    assert not ENGLISH_RUN.search(lines[0]), lines[0]
    assert main(["validate", str(study), "--lang", "en"]) == 2
    assert capsys.readouterr().err.startswith(
        "error: facilities layer 'facilities.csv' lacks the required column"
    )

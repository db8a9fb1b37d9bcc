"""Census 60+ shares per street: read from the bulletins' table (the real Xining one too), and used to derive the
elderly of communities that give only residents, each derivation said."""

from __future__ import annotations

import json
import shutil

import pytest

from geo.errors import LayerError, StudyError
from planning.census import read_census, street_key
from planning.demo import DEMO_DIR
from planning.i18n import say
from planning.study import load_study


def test_street_names_match_without_their_office_suffix():
    assert street_key("人民街街道办事处") == street_key("人民街街道") == street_key("人民街") == "人民街"
    assert street_key("总寨镇") == "总寨" and street_key(" 白沙 镇 ") == "白沙"


def test_the_real_census_table_reads_its_shares(realdata):
    path = realdata / "census-xining-chengzhong" / "xining_chengzhong_streets_2020.csv"
    census = read_census(path, label=path.name)
    assert census.elderly_share("人民街街道") == pytest.approx(0.1914)
    assert census.elderly_share("总寨镇") == pytest.approx(0.1346)
    assert census.share_65[street_key("南滩街道办事处")] == pytest.approx(0.1195)
    assert census.elderly_share("不存在街道") is None


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("name,pop\n西城,100\n", ["street", "60+"]),
        ("街道,60岁及以上占比\n西城街道,135\n", ["row 2", "西城街道", "'135'"]),
    ],
)
def test_a_bad_census_table_is_refused_with_the_fix(tmp_path, text, words):
    path = tmp_path / "census.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LayerError) as err:
        read_census(path, label="census.csv")
    assert all(w in str(err.value) for w in words) and "census.csv" in say(err.value, "zh")


def _demo_copy(tmp_path, *, census: str | None, blank: tuple[str, ...]):
    folder = tmp_path / "study"
    shutil.copytree(DEMO_DIR, folder)
    path = folder / "communities.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    for feature in data["features"]:
        if feature["properties"]["name"] in blank:
            feature["properties"]["elderly"] = None
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    if census is not None:
        (folder / "census.csv").write_text(census, encoding="utf-8")
        toml = folder / "study.toml"
        toml.write_text(
            toml.read_text(encoding="utf-8") + '\n[demand]\ncensus = "census.csv"\n', encoding="utf-8"
        )
    return folder


def test_communities_with_residents_only_get_elderly_from_their_streets_share(tmp_path):
    census = "street_name,share_60plus_pct\n西城街道办事处,20.00\n东湖街道,10\n"
    folder = _demo_copy(tmp_path, census=census, blank=("西关社区",))
    study = load_study(folder)
    row = study.communities.loc[study.communities["name"] == "西关社区"].iloc[0]
    assert row["elderly"] == 902  # 4 510 residents x 20 %
    said = [f for f in study.findings if f.action == "repaired" and "西关社区" not in f.message]
    assert any("4,510" in f.message and "20.00%" in f.message and "902" in f.message for f in said)
    assert any("推算" in f.message_zh for f in said)


def test_elderly_written_as_text_or_refused_are_not_overwritten(tmp_path):
    census = "street_name,share_60plus_pct\n西城街道,20\n"
    folder = _demo_copy(tmp_path, census=census, blank=())
    path = folder / "communities.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    for feature in data["features"]:
        if feature["properties"]["name"] == "西关社区":
            feature["properties"]["elderly"] = "1,200"  # a number written as text: the community's own figure
        if feature["properties"]["name"] == "西苑社区":
            feature["properties"]["elderly"] = "不详"  # not a number: refused by validation, never replaced
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    study = load_study(folder)
    assert study.communities.loc[study.communities["name"] == "西关社区", "elderly"].iloc[0] == 1200
    assert "西苑社区" not in set(study.communities["name"]) and study.n_rejected == 1


def test_without_a_census_a_blank_elderly_is_still_rejected(tmp_path):
    study = load_study(_demo_copy(tmp_path, census=None, blank=("西关社区",)))
    assert "西关社区" not in set(study.communities["name"])
    assert study.n_rejected == 1


def test_a_missing_census_file_is_named(tmp_path):
    folder = _demo_copy(tmp_path, census="街道,60岁及以上占比\n西城街道,20\n", blank=())
    (folder / "census.csv").unlink()
    with pytest.raises(StudyError, match=r"census\.csv"):
        load_study(folder)

"""The bed rules on a stated, selectable basis, and the county's care institution for the destitute.

The test district (tests/planning/standards/district.py): 2800 elderly; the nursing home 城关养老院 has 100 beds, 50
of them nursing-type. Here the day-care centre 西湖日照 gets 30 beds, all nursing-type, and 城关中心 20 beds, none.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import replace

import pytest

from planning.cli import main
from planning.errors import OptionError
from planning.i18n import say
from planning.standards import check_study
from tests.planning.standards.district import at, facilities, make_study, row
from tests.planning.test_study import make_study as study_folder


def beds_study(preset: str = "xinzhou", **kwargs):
    fac = facilities()
    fac.loc[fac["name"] == "西湖日照", ["beds", "nursing_beds"]] = [30, 30]
    fac.loc[fac["name"] == "城关中心", ["beds", "nursing_beds"]] = [20, 0]
    return make_study(preset, fac=fac, **kwargs)


def test_institution_basis_is_stated_on_every_bed_row():
    """GB 50437 3.2.1 counts 养老院 + 老年养护院; the nursing-share clauses speak of 养老机构 (信州区 二(六) 全区养老机构
    护理型床位占比达60%以上): by default only nursing homes and embedded homes count, and each row says so."""
    fac = facilities()
    fac.loc[fac["name"] == "城关养老院", "dementia_beds"] = 6
    r = check_study(make_study("panan", fac=fac))
    for rule_id in ("beds_per_1000_elderly", "nursing_beds_share", "dementia_beds_per_10000_elderly"):
        bed_row = row(r, rule_id, "测试区")
        assert "口径：养老机构床位（社区嵌入式养老院+养老院）" in bed_row["explanation_zh"]
        assert (
            "basis: care-institution beds (embedded nursing home + nursing home" in bed_row["explanation_en"]
        )
    assert row(r, "beds_per_1000_elderly", "测试区")["value"] == pytest.approx(100 / 2.8)


def test_all_basis_counts_every_facility_and_says_so():
    """bed_basis = all: 100 + 30 + 20 = 150 beds for 2800 elderly (53.6 per 1000, meets 40); nursing-type 80 of 150
    (53.3 %, under 60 %); nothing is left out, so no "not counted" sentence."""
    r = check_study(beds_study(), bed_basis="all")
    beds = row(r, "beds_per_1000_elderly", "测试区")
    assert beds["value"] == pytest.approx(150 / 2.8) and beds["verdict"] == "pass"
    assert "口径：全部设施床位（含街道综合养老服务中心、日间照料中心等）" in beds["explanation_zh"]
    assert "未计入" not in beds["explanation_zh"]
    # blank beds at a street centre or mutual-aid point are none, not unknown (at an institution they are unknown)
    assert "另有2处非养老机构设施未填床位数，按无床位计" in beds["explanation_zh"]
    share = row(r, "nursing_beds_share", "测试区")
    assert share["value"] == pytest.approx(80 / 150) and share["need"] == 10  # ceil(0.6 x 150 - 80)
    assert "bed_basis = all" in share["explanation_en"]
    # the institutions basis on the same study: 100 beds, the others named and left out
    r = check_study(beds_study())
    beds = row(r, "beds_per_1000_elderly", "测试区")
    assert beds["value"] == pytest.approx(100 / 2.8) and beds["verdict"] == "fail"
    assert "另有街道综合养老服务中心、日间照料中心的50张未计入" in beds["explanation_zh"]


def test_the_study_setting_and_the_override():
    """[standards] bed_basis = "all" in study.toml (StandardsSettings.bed_basis), and the check's option over it."""
    study = beds_study()
    study_all = replace(study, standards=replace(study.standards, bed_basis="all"))
    assert row(check_study(study_all), "beds_per_1000_elderly", "测试区")["value"] == pytest.approx(150 / 2.8)
    # the check's option overrides the study's setting, both ways
    r = check_study(study_all, bed_basis="institutions")
    assert row(r, "beds_per_1000_elderly", "测试区")["value"] == pytest.approx(100 / 2.8)


@pytest.mark.parametrize(
    ("preset", "clause"),
    [("xinzhou", "二(六)"), ("yichun", "二(四)12"), ("shihe", "二(五)1"), ("panan", "二(一)3")],
)
def test_nursing_share_rows_cite_their_clause(preset, clause):
    """信州区 二(六), 宜春 二(四)12, 浉河区 二(五)1, 磐安县 二(一)3: each sets the 护理型床位 share."""
    share = row(check_study(beds_study(preset)), "nursing_beds_share", "测试区")
    assert share["citation"].endswith(clause) and "口径" in share["explanation_zh"]


def test_an_unknown_bed_basis_is_refused_in_chinese():
    with pytest.raises(OptionError) as err:
        check_study(make_study("xinzhou"), bed_basis="beds")
    zh = say(err.value, "zh")
    assert "床位口径 'beds' 无法识别" in zh and "institutions, all" in zh


# --- the county's care institution for the destitute -------------------------------------------------------------

RULE = "county_destitute_care_institutions"


def test_destitute_care_without_marks_says_how_to_mark_it():
    """宜春 二(四)10 每个县（市、区）至少建有1所县级特困失能人员专业照护机构: without the column nothing can be said."""
    d = row(check_study(make_study("yichun")), RULE, "测试区")
    assert d["verdict"] == "not_assessable"
    assert "「特困供养」列（destitute_care）" in d["explanation_zh"] and "填「是」" in d["explanation_zh"]
    assert "destitute_care (特困供养)" in d["reason"]


def test_destitute_care_counts_marked_institutions():
    """One nursing home or embedded home marked 是 meets 宜春 二(四)10 and 磐安县 二(三)10 (建有1所…县级特困人员供养服务
    公办机构); a marked street centre is no institution and is named, not counted."""
    fac = facilities()
    fac["destitute_care"] = None
    fac.loc[fac["name"] == "城关养老院", "destitute_care"] = "yes"
    for preset in ("yichun", "panan"):
        d = row(check_study(make_study(preset, fac=fac)), RULE, "测试区")
        assert d["verdict"] == "pass" and d["value"] == 1
        assert d["explanation_zh"] == "达标：标为县级特困供养机构的社区嵌入式养老院或养老院1处（城关养老院）"
    fac.loc[fac["name"] == "城关养老院", "destitute_care"] = "no"
    fac.loc[fac["name"] == "城关中心", "destitute_care"] = "yes"
    d = row(check_study(make_study("yichun", fac=fac)), RULE, "测试区")
    assert d["verdict"] == "fail" and d["need"] == 1 and d["need_unit"] == "facilities"
    assert d["explanation_zh"].startswith("还需1处县级特困失能人员专业照护机构")
    assert "另有城关中心标为特困供养，但不是社区嵌入式养老院或养老院，未计入" in d["explanation_zh"]


def test_destitute_care_with_a_blank_institution_is_not_assessable():
    """An institution left blank could be the one: the row is not assessable and names it."""
    fac = facilities([{"name": "东风嵌入式", "kind": "embedded_home", "geometry": at(0, 100, 900)}])
    fac["destitute_care"] = None
    fac.loc[fac["name"] == "城关养老院", "destitute_care"] = "no"
    d = row(check_study(make_study("yichun", fac=fac)), RULE, "测试区")
    assert d["verdict"] == "not_assessable" and "东风嵌入式" in d["explanation_zh"]
    assert d["reason"] == "destitute_care blank at 1 institutions: 东风嵌入式"


def test_cli_bed_basis_overrides_the_study(tmp_path):
    """``eldercircle check --bed-basis all``: the 10 day-care beds of the small study count; by default they do not."""
    folder = study_folder(tmp_path / "s")
    out = {}
    for basis in ("institutions", "all"):
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(io.StringIO()):
            assert (
                main(["check", str(folder), "--lang", "en", "--preset", "national", "--bed-basis", basis])
                == 0
            )
        out[basis] = buf.getvalue()
    assert "0 beds (10 more at day-care centre not counted" in out["institutions"]
    assert "bed_basis = institutions)" in out["institutions"]
    assert "10 beds for" in out["all"] and "bed_basis = all)" in out["all"]
    buf = io.StringIO()
    with contextlib.redirect_stderr(buf), pytest.raises(SystemExit):
        main(["check", str(folder), "--bed-basis", "beds"])
    assert "invalid choice: 'beds'" in buf.getvalue()

"""Each rule read against its document: the clause exists, the quoted words are the text's, the preset carries the
targets of its own documents only, and drafts and ended plans say so.

The policy texts are read where they lie (../shared/policies); tests needing them skip when it is absent.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from planning.cli import main
from planning.standards import DOCUMENTS, PRESETS, check_table, presets_json, rules_for
from planning.standards.check import check_study
from tests.planning.standards.district import make_study

POLICIES = Path(__file__).resolve().parents[4] / "shared" / "policies"

#: Document key -> its file in ../shared/policies.
POLICY_FILES = {
    "shangrao": "shangrao-2021-raofubanfa-13.txt",
    "xinzhou": "xinzhou-2023-2025-action-plan.txt",
    "yichun": "yichun-2023-basic-elderly-care-plan.txt",
    "shihe": "shihe-2023-draft-basic-elderly-care-opinions.txt",
    "panan": "panan-2023-panzhengban-44.txt",
}
LOCAL = tuple(POLICY_FILES)


def _plain(text: str) -> str:
    """Text without spaces, markup stars and quotation marks (the files carry PDF spacing and **bold**)."""
    return re.sub(r"[\s*“”‘’\"]", "", text)


def _policy(key: str) -> str:
    path = POLICIES / POLICY_FILES[key]
    if not path.is_file():
        pytest.skip("../shared/policies is not beside the checkout")
    return _plain(path.read_text(encoding="utf-8"))


def _local_rules():
    seen = {}
    for preset in PRESETS.values():
        for rule in preset.rules:
            for key in rule.documents:
                if key in POLICY_FILES:
                    seen[(rule.id, key, rule.clause, rule.quote_zh)] = rule
    return list(seen.values())


@pytest.mark.parametrize("rule", _local_rules(), ids=lambda r: f"{r.id}-{'+'.join(r.documents)}")
def test_quoted_words_are_the_documents_own(rule):
    """Every fragment of a rule's quote (split at …) is found in the document the rule cites."""
    assert rule.quote_zh, f"{rule.id} cites {rule.documents} without its words"
    texts = [_policy(k) for k in rule.documents if k in POLICY_FILES]
    for fragment in rule.quote_zh.split("…"):
        assert any(_plain(fragment) in t for t in texts), (
            f"{rule.id}: {fragment!r} is not in {rule.documents}"
        )


@pytest.mark.parametrize("rule", _local_rules(), ids=lambda r: f"{r.id}-{'+'.join(r.documents)}")
def test_clause_numbers_exist_in_the_document(rule):
    """The clause's last part (二(七) -> （七）, 二(四)10 -> 10.) heads a paragraph of the document."""
    for key, clause in zip(rule.source.split(";"), rule.clause.split(";"), strict=False):
        doc = next((k for k, d in DOCUMENTS.items() if d.short == key.strip()), None)
        if doc not in POLICY_FILES or not clause.strip():
            continue
        text = _policy(doc)
        m = re.fullmatch(r"([一二三四五六七八九十]+)\(([一二三四五六七八九十]+)\)(\d*)", clause.strip())
        assert m, f"{rule.id}: clause {clause!r} is not in the form 二(四)10"
        marker = f"{m.group(3)}." if m.group(3) else f"（{m.group(2)}）"
        assert marker in text or marker.replace("（", "(").replace("）", ")") in text, (rule.id, clause)


def test_provincial_presets_borrow_no_county_target():
    for name in ("national", "jiangxi", "henan", "zhejiang", "anhui", "guangdong", "jiangsu"):
        for rule in PRESETS[name].rules:
            levels = {DOCUMENTS[d].level for d in rule.documents}
            assert not levels & {"city", "county"}, (name, rule.id, rule.documents)


def test_each_local_preset_cites_its_own_document():
    cited = {
        "shangrao": "饶府办发〔2021〕13号",
        "xinzhou": "信州区 三年行动方案",
        "yichun": "宜春 实施方案",
        "shihe": "浉河区 实施意见（征求意见稿）",
        "panan": "磐政办〔2023〕44号",
    }
    for name, words in cited.items():
        assert PRESETS[name].local_document() == name
        assert any(words in r.citation for r in PRESETS[name].rules), name
    # 信州区 is a district of 上饶: the city's service circle stays in force after the district's plan ended
    circle = rules_for("xinzhou").get("service_circle_15min_share")
    assert circle.documents == ("shangrao", "xinzhou") and circle.force(dt.date(2026, 12, 3)) == "in_force"


def test_force_of_the_documents_on_a_date():
    assert DOCUMENTS["xinzhou"].force_on(dt.date(2024, 6, 1)) == "in_force"
    assert DOCUMENTS["xinzhou"].force_on(dt.date(2026, 1, 1)) == "expired"
    assert DOCUMENTS["panan"].force_on(dt.date(2023, 12, 31)) == "not_yet"
    assert DOCUMENTS["panan"].force_on(dt.date(2024, 1, 1)) == "in_force"
    assert DOCUMENTS["shihe"].force_on(dt.date(2030, 1, 1)) == "draft"
    assert rules_for("xinzhou").get("nursing_beds_share").force(dt.date(2026, 1, 1)) == "expired"


def test_targets_carry_their_year():
    assert rules_for("xinzhou").get("street_centre_min_floor_m2").target_year == 2025
    assert rules_for("panan").get("dementia_beds_per_10000_elderly").target_year == 2025
    assert (
        rules_for("yichun").get("daycare_urban_communities_share").target_year is None
    )  # 二(四)10 sets none
    assert rules_for("shangrao").get("service_circle_15min_share").target_year is None


def test_check_with_shangrao_cites_its_document(capsys):
    """`check --preset shangrao` cites 饶府办发〔2021〕13号 (the issue's "done when")."""
    r = check_study(make_study("shangrao"))
    table = check_table(r)
    assert (
        "上饶 饶府办发〔2021〕13号 二(七)" in table and "原文：“以社区为平台…打造‘15分钟养老服务圈’”" in table
    )


def test_shihe_rows_say_draft():
    r = check_study(make_study("shihe"))
    local = r.rows[r.rows["citation"].str.contains("浉河区")]
    assert len(local) and set(local["force"]) == {"draft"}
    assert "征求意见稿" in check_table(r)
    assert "draft for comment" in check_table(r, lang="en")


def test_presets_command_lists_status_and_sources(capsys, tmp_path):
    assert main(["presets"]) == 0
    out = capsys.readouterr().out
    shihe = next(line for line in out.splitlines() if line.strip().startswith("shihe"))
    assert "征求意见稿" in shihe and "浉河区 实施意见" in shihe
    xinzhou = next(line for line in out.splitlines() if line.strip().startswith("xinzhou"))
    assert "已到期" in xinzhou
    assert main(["presets", "--preset", "panan", "--lang", "en", "--json", str(tmp_path / "p.json")]) == 0
    out = capsys.readouterr().out
    assert "county_destitute_care_institutions" in out and "二(三)10" in out
    data = json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))
    assert {p["name"] for p in data["presets"]} == set(PRESETS)
    assert data["documents"]["shihe"]["force"] == "draft"
    assert data == json.loads(json.dumps(presets_json(day=dt.date.fromisoformat(data["date"]))))

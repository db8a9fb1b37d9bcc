"""Personal data stays home: columns recognised as personal (by header in Chinese and English, or by values that
are 18-digit PRC resident ID numbers or phone numbers, in any column) are dropped from every export and the drop
is reported, naming layer and column, never a value. And the public map's figures never let a reader work out a
group smaller than k, counts beside shares included.
"""

from __future__ import annotations

import io
import re
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pyogrio
import pytest

from planning.export import (
    REDACTED,
    csv_bytes,
    find_personal,
    is_personal_header,
    redact_json,
    redact_text,
    strip_personal,
)
from planning.report import suppress_shares, suppress_small
from tests.security.test_html import hostile_network, hostile_study

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def resident_id(first17: str) -> str:
    """An 18-digit resident ID number with its check digit (GB 11643)."""
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=False)) % 11]


ID_A = resident_id("36010219500315123")  # Nanchang, born 1950-03-15
ID_B = resident_id("11010519491231002")  # ends in X
PHONE_A, PHONE_B, PHONE_C = "13912345678", "18607910000", "15170001234"
CONTACTS = ("王秀英", "李建国", "赵大妈")
#: Every string that must appear in no output file (the phones also as the digits alone).
SECRETS = (ID_A, ID_B, ID_B.lower(), PHONE_A, PHONE_B, PHONE_C, "0791-86888888", "86888888", *CONTACTS)


def test_check_digits_of_the_fixtures():
    assert ID_B.endswith("X") and len(ID_A) == len(ID_B) == 18


@pytest.mark.parametrize(
    "header, reason",
    [
        ("身份证号", "id_card"),
        ("身份证号码", "id_card"),
        ("证件号码", "id_card"),
        ("ID_Card", "id_card"),
        ("idcard", "id_card"),
        ("id number", "id_card"),
        ("联系电话", "phone"),
        ("电话", "phone"),
        ("手机", "phone"),
        ("手机号", "phone"),
        ("Phone", "phone"),
        ("mobile", "phone"),
        ("tel", "phone"),
        ("Telephone", "phone"),
        ("manager_phone", "phone"),
        ("contactPhone", "phone"),
        ("邮箱", "phone"),
        ("联系人", "contact_person"),
        ("负责人", "contact_person"),
        ("contact", "contact_person"),
        ("contact_person", "contact_person"),
        ("姓名", "person_name"),
        ("老人姓名", "person_name"),
        ("full name", "person_name"),
        ("住址", "home_address"),
        ("家庭住址", "home_address"),
        ("home_address", "home_address"),
        ("联系电话（办公室）", "phone"),
    ],
)
def test_personal_headers(header, reason):
    assert is_personal_header(header) == reason


@pytest.mark.parametrize(
    "header",
    [
        "name",
        "名称",
        "设施名称",
        "street",
        "街道",
        "kind",
        "elderly",
        "老年人口",
        "地址",
        "address",
        "id",
        "编号",
        "beds",
        "床位数",
        "floor_area_m2",
        "notes",
        "备注",
        "hotel",
        "telescope",
        "population",
        "cost",
        "kinds",
    ],
)
def test_public_headers(header):
    assert is_personal_header(header) is None


def test_values_are_found_in_any_column_also_inside_text_and_as_numbers():
    frame = pd.DataFrame(
        {
            "name": ["日照中心 " + PHONE_A, "敬老院"],
            "notes": [f"请联系 {PHONE_B[:3]}-{PHONE_B[3:7]}-{PHONE_B[7:]} 王女士", "无"],
            "code": [f"证件 {ID_B.lower()}", ""],
            "landline": ["办公室 0791-86888888", ""],
            "as_number": [int(PHONE_C), 5],
            "not_an_id": ["360102195003151230", ""],  # wrong check digit: not a resident ID number
            "serial": ["12345678901", "2025-06-01"],  # 12x is no mobile prefix
            "beds": [12.0, np.nan],
        }
    )
    out, notes = strip_personal(frame, layer="facilities")
    assert list(out.columns) == ["name", "not_an_id", "serial", "beds"]
    assert out["name"].tolist() == [f"日照中心 {REDACTED}", "敬老院"]
    assert [(n.column, n.reason, n.action, n.rows) for n in notes] == [
        ("name", "phone_value", "redacted", 1),
        ("notes", "phone_value", "dropped", 1),
        ("code", "id_value", "dropped", 1),
        ("landline", "phone_value", "dropped", 1),
        ("as_number", "phone_value", "dropped", 1),
    ]
    assert "notes" in frame  # the input is not changed
    for note in notes:  # the notes name layer and column, never a value
        for lang in ("zh", "en"):
            text = note.message_in(lang)
            assert "facilities" in text and note.column in text
            assert not re.search(r"\d{7,}", text), text


def test_redact_text_and_json():
    assert redact_text(f"电话{PHONE_A}，身份证{ID_A}。") == f"电话{REDACTED}，身份证{REDACTED}。"
    assert redact_text("+86 139 1234 5678") == REDACTED
    assert redact_text("第12345678901号") == "第12345678901号"
    assert redact_json({"rows": [{"name": PHONE_A, "n": 13912345678}]}) == {
        "rows": [{"name": REDACTED, "n": 13912345678}]
    }


def test_csv_bytes_drops_personal_columns():
    frame = pd.DataFrame(
        {
            "name": ["甲", "乙"],
            "联系人": list(CONTACTS[:2]),
            "手机": [PHONE_A, PHONE_B],
            "id": [ID_A, "7"],
            "elderly": [3.0, 4.0],
        }
    )
    text = csv_bytes(frame, layer="demand_points").decode("utf-8-sig")
    assert text.splitlines()[0] == "name,elderly"
    for secret in SECRETS:
        assert secret not in text
    assert [n.column for n in find_personal(frame, layer="x")] == ["联系人", "手机", "id"]


# --- every output of the report folder ---------------------------------------------------------------------------


def personal_study():
    """The hostile study's layout with ordinary names, and personal data in the facilities (ID-card, phone and
    contact-person columns, a phone inside the notes), a community name and the candidates."""
    return hostile_study(
        community_names=("甲社区", "乙社区", "丙社区", "丁社区", f"戊社区（联系{PHONE_C}）", "己社区"),
        street_names=("一街道", "二街道"),
        facility_names=("日照中心", f"康乐日照中心 {PHONE_B}", "敬老院"),
        study_name="隐私测试区",
        data_date="2025-06",
        sources=("hand-built test data",),
        candidate_name=f"候选地块（负责人 {PHONE_A}）",
        facilities_extra={
            "身份证号": [ID_A, ID_B, ID_A],
            "联系电话": [PHONE_A, PHONE_B, "0791-86888888"],
            "联系人": list(CONTACTS),
            "notes": [f"周末请打 {PHONE_C}", "", f"院长 {ID_B}"],
        },
        communities_extra={"负责人": list(CONTACTS) * 2},
        candidates_extra={"联系电话": [PHONE_A]},
    )


def _bytes_of(path):
    """The file's bytes, and for a zip (XLSX) every member's too."""
    data = path.read_bytes()
    yield path.name, data
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for member in z.namelist():
                yield f"{path.name}:{member}", z.read(member)


@pytest.fixture(scope="module")
def report_folder(tmp_path_factory):
    from planning.coverage import coverage_of_study
    from planning.report import report_inputs, write_report
    from planning.siting import SitingOptions, siting_of_study

    study = personal_study()
    net = hostile_network()
    assert coverage_of_study(study, net) is not None
    siting = siting_of_study(study, net, SitingOptions(kind="day_care", add=1, minutes=5))
    messages: list[str] = []
    out = tmp_path_factory.mktemp("report") / "out"

    def progress(f: float, m: str) -> None:
        messages.append(m)

    inputs = report_inputs(study, net, siting=siting, progress=progress)
    written = write_report(inputs, out, progress=progress)
    return study, written, messages


def test_no_id_card_or_phone_number_in_any_report_file(report_folder):
    _, written, _ = report_folder
    assert {p.name for p in written} == {
        "public_coverage_map.html",
        "coverage_print.pdf",
        "coverage_print.png",
        "report.xlsx",
        "layers.gpkg",
        "scenario.html",
        "scenario.png",
        "scenario.pdf",
        "scenario_print.pdf",
        "scenario_print.png",
    }
    for path in written:
        for name, data in _bytes_of(path):
            for secret in SECRETS:
                for encoded in {
                    secret.encode("utf-8"),
                    secret.encode("utf-16-le"),
                    secret.encode("unicode_escape"),
                }:
                    assert encoded not in data, (name, secret)


def test_the_drop_is_reported_in_the_workbook_and_the_run(report_folder):
    _, written, messages = report_folder
    xlsx = next(p for p in written if p.suffix == ".xlsx")
    about = openpyxl.load_workbook(xlsx)["说明"]
    notes = [r[1] for r in about.iter_rows(min_row=2, values_only=True) if r[0] == "已删除的个人信息"]
    for column in ("身份证号", "联系电话", "联系人", "notes", "负责人"):
        assert any(f"“{column}”" in n for n in notes), column
    assert any("facilities" in n and "“name”" in n and REDACTED in n for n in notes)  # the name cleaned
    assert any("candidates" in n and "“联系电话”" in n for n in notes)
    assert sum("个人信息" in str(m) for m in messages) == len(notes)


def test_geopackage_facilities_keep_their_public_columns(report_folder):
    _, written, _ = report_folder
    gpkg = next(p for p in written if p.suffix == ".gpkg")
    fac = pyogrio.read_dataframe(gpkg, layer="facilities")
    assert not {"身份证号", "联系电话", "联系人", "notes"} & set(fac.columns)
    assert {"name", "kind", "floor_area_m2", "beds"} <= set(fac.columns)
    assert fac["name"].tolist() == ["日照中心", f"康乐日照中心 {REDACTED}", "敬老院"]
    cands = pyogrio.read_dataframe(gpkg, layer="siting_candidates")
    assert "联系电话" not in cands and cands["name"].tolist() == [f"候选地块（负责人 {REDACTED}）"]


# --- k-anonymity: counts beside shares -----------------------------------------------------------------------------


def test_shares_beside_counts_hide_small_groups_on_paper():
    k = 10
    # the tiny study: 甲 30 all covered, 乙 4 and 丙 25 hidden (primary, secondary), 丁 40 none covered; street a:
    # 59 elderly, 30 covered, 29 not; the hidden communities' 0 covered and 29 uncovered are not small groups
    e, c, g = np.array([30, 4, 25, 40]), np.array([30, 0, 0, 0]), np.array(["a", "a", "a", "b"])
    hidden = suppress_small(e, g, k_anon=k)
    hide, street = suppress_shares(e, c, g, hidden, k_anon=k)
    assert hide.tolist() == [False, True, True, False] and street == {"a": False, "b": False}
    # 50 elderly with 47 covered: the share 94% beside 50 tells 3 uncovered -> hidden; then the street (90, 67
    # covered, 23 not) minus the other community (40, 20 covered) would tell 47 and 3 again -> that one hides too
    hide, street = suppress_shares(
        np.array([50, 40]), np.array([47, 20]), np.array(["x", "x"]), np.array([False, False]), k_anon=k
    )
    assert hide.tolist() == [True, True] and street == {"x": False}
    # both communities and the street have a small uncovered group (2, 1, 3): every share hidden
    hide, street = suppress_shares(
        np.array([50, 45]), np.array([48, 44]), np.array(["y", "y"]), np.array([False, False]), k_anon=k
    )
    assert hide.tolist() == [True, True] and street == {"y": True}
    # all covered (0 uncovered) or none covered is no small group: shown
    hide, street = suppress_shares(
        np.array([60, 30]), np.array([60, 0]), np.array(["z", "z"]), np.array([False, False]), k_anon=k
    )
    assert hide.tolist() == [False, False] and street == {"z": False}
    # a community of 12 with 2 uncovered hides; the street (82, 32 uncovered) minus the other two (0 and 30
    # uncovered) would give its 2 back. Hiding the 30 all covered would leave 2 + 0 hidden uncovered: the 40 (30
    # uncovered) hides instead, and the hidden sums are 20 covered and 32 uncovered
    hide, street = suppress_shares(
        np.array([12, 30, 40]),
        np.array([10, 30, 10]),
        np.array(["w"] * 3),
        np.array([False, False, False]),
        k_anon=k,
    )
    assert hide.tolist() == [True, False, True] and street == {"w": False}


def test_public_map_shares_beside_counts_reveal_no_small_group():
    """The hostile layout with ordinary names: 己 (55 elderly) has 34 of them within 15 min of a day-care centre
    and 21 not: shown with k = 10. With k = 25 its 21 is a small group: its share is hidden, and so is its
    street's (二街道: 215 elderly, 194 covered, 21 not, all of them 己's), so 丁 and 戊 (all covered) stay; and
    the district's, in the title."""
    import json

    from planning.coverage import coverage_of_study, service_circle_layer
    from planning.report import public_map_html
    from tests.planning.test_report import geojson_payloads

    study = hostile_study(
        community_names=("甲", "乙", "丙", "丁", "戊", "己"),
        street_names=("一街道", "二街道"),
        facility_names=("日照中心", "日照二", "敬老院"),
        study_name="测试",
        data_date="2025",
        sources=("test",),
    )
    net = hostile_network()
    cov = coverage_of_study(study, net)
    assert np.round(cov.communities["covered_day_care_15min"]).tolist() == [60, 50, 40, 90, 70, 34]
    circles = service_circle_layer(study, net, cov)
    for k, hidden_names in ((10, set()), (25, {"己"})):
        text = public_map_html(study, cov, circles, k_anon=k)
        payloads = geojson_payloads(text)
        # the district (365 elderly, the sum of the street counts shown) has 344.4 covered: 94.3 % in the title
        # would give back 二街道's 21 uncovered (365 - 344, 一街道 being all covered) when its share is hidden
        assert ("日间照料中心 94.3%" in text) == (k == 10)
        assert ("日间照料中心 不足 25 人，不显示" in text) == (k == 25)
        comm = {
            f["properties"]["name"]: f["properties"]
            for fc in payloads
            for f in fc["features"]
            if "street" in f["properties"] and "name" in f["properties"]
        }
        assert {n for n, p in comm.items() if p["share_day_care"] is None} == hidden_names, json.dumps(comm)
        streets = {
            f["properties"]["street"]: f["properties"]
            for fc in payloads
            for f in fc["features"]
            if "street" in f["properties"] and "name" not in f["properties"]
        }
        assert streets["二街道"]["elderly"] == 215
        assert (streets["二街道"]["share_day_care"] is None) == (k == 25)
        for p in comm.values():  # what a reader computes from what is shown
            if isinstance(p["elderly"], int) and p["share_day_care"] is not None:
                covered = p["elderly"] * p["share_day_care"] / 100
                for group in (covered, p["elderly"] - covered):
                    assert group < 0.5 or group > k - 1.5, (p, k)


def test_a_folder_study_with_personal_columns_reports_without_them(tmp_path):
    """End to end from files: the demo study copied with ID-card, phone and contact-person columns and a phone in
    the notes of its facilities.csv, loaded as any study is, reported; no number or contact in any output file, and
    the app's maps of it neither."""
    import shutil

    from planning.coverage import network_for_study
    from planning.maps import map_html, overview_map
    from planning.report import report_inputs, write_report
    from planning.study import load_study
    from tests.conftest import REPO

    demo = REPO / "data" / "demo"
    if not (demo / "study.toml").is_file():
        pytest.skip("data/demo is missing; run python -m planning.demo")
    folder = tmp_path / "study"
    shutil.copytree(demo, folder)
    fac = pd.read_csv(folder / "facilities.csv", dtype=str)
    n = len(fac)
    fac["身份证号"] = [ID_A] * n
    fac["联系电话"] = [PHONE_A] * n
    fac["联系人"] = [CONTACTS[0]] * n
    fac["notes"] = [f"值班电话 {PHONE_B}，备用 {PHONE_C}"] * n
    fac.loc[0, "名称"] = f"{fac.loc[0, '名称']}（{PHONE_C}）"
    fac.to_csv(folder / "facilities.csv", index=False)
    study = load_study(folder)
    assert {"身份证号", "联系电话", "联系人", "notes"} <= set(study.facilities.columns)  # read as they are
    written = write_report(report_inputs(study, network_for_study(study)), tmp_path / "out")
    assert len(written) == 10  # with the print sheets of the coverage and the scenario (PDF and PNG each)
    secrets = (ID_A, PHONE_A, PHONE_B, PHONE_C, CONTACTS[0])
    for path in written:
        for name, data in _bytes_of(path):
            for secret in secrets:
                assert secret.encode("utf-8") not in data, (name, secret)
    app = map_html(overview_map(study)).encode("utf-8")
    for secret in secrets:
        assert secret.encode("utf-8") not in app, secret

"""Spreadsheet formulas are neutralised (OWASP CSV injection): a name such as ``=HYPERLINK(...)`` must reach the
XLSX and every CSV as text with a leading single quote, never as a formula; numbers, and text that is a plain
number such as ``"-5"``, stay as they are.

openpyxl stores any text starting with ``=`` as a formula (data type ``f``); Excel, WPS and LibreOffice run a CSV
field starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return as one.
"""

from __future__ import annotations

import csv
import io

import numpy as np
import openpyxl
import pandas as pd
import pytest

from planning.export import csv_bytes, safe_cell, safe_frame
from tests.security.test_html import hostile_network, hostile_study

FORMULAS = (
    '=HYPERLINK("http://x","y")',
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "=cmd|' /C calc'!A0",
    "＝1+1",
    "-",
    "+",
)
#: Six community names, two streets, three facilities, a candidate: each starts like a formula (or is "-5").
COMMUNITIES = FORMULAS[:6]
STREETS = (FORMULAS[6], "-5")
FACILITIES = (FORMULAS[7], FORMULAS[2], FORMULAS[0])


@pytest.mark.parametrize("value", FORMULAS)
def test_formula_text_gets_a_leading_quote(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize(
    "value", [-5, -5.5, 0, 3, 1e9, "-5", "+5", "-5.25", "-1e3", "12%", "日照中心", "a=1", "", None, True]
)
def test_numbers_and_plain_text_stay(value):
    assert safe_cell(value) == value and type(safe_cell(value)) is type(value)


def test_safe_frame_cleans_text_and_headers_keeps_numbers():
    frame = pd.DataFrame({"name": ["=1+1", "ok", None], "=evil": [1, -5, 3], "x": [-5.0, np.nan, 2.0]})
    out = safe_frame(frame)
    assert out["name"].tolist()[:2] == ["'=1+1", "ok"] and pd.isna(out["name"].iloc[2])
    assert list(out.columns) == ["name", "'=evil", "x"]
    assert out["'=evil"].tolist() == [1, -5, 3] and out["'=evil"].dtype == frame["=evil"].dtype
    assert frame["name"].tolist()[0] == "=1+1"  # the input is not changed


def test_csv_bytes_fields_read_back_as_text():
    frame = pd.DataFrame(
        {"name": list(FORMULAS), "n": range(-5, -5 + len(FORMULAS)), "text_number": ["-5"] * len(FORMULAS)}
    )
    data = csv_bytes(frame)
    assert data.startswith("\ufeff".encode())  # UTF-8 with a byte-order mark: Excel reads the Chinese right
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["name", "n", "text_number"]
    for (name, n, text_number), value, number in zip(rows[1:], FORMULAS, range(-5, 100), strict=False):
        assert name == "'" + value
        assert n == str(number) and text_number == "-5"


@pytest.fixture(scope="module")
def formula_study():
    from planning.coverage import coverage_of_study, service_circle_layer
    from planning.siting import SitingOptions, siting_of_study
    from planning.standards import check_study

    study = hostile_study(
        community_names=COMMUNITIES,
        street_names=STREETS,
        facility_names=FACILITIES,
        study_name='=HYPERLINK("http://evil","研究区")',
        data_date="@SUM(A1)",
        sources=("+1+1", "-1+1"),
        candidate_name="=1+1",
    )
    net = hostile_network()
    cov = coverage_of_study(study, net)
    circles = service_circle_layer(study, net, cov)
    siting = siting_of_study(study, net, SitingOptions(kind="day_care", add=1, minutes=5))
    check = check_study(study, daycare_share=None, facility_health_walk_m=None, expressways=None)
    return study, net, cov, circles, siting, check


def _cells(data: bytes):
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                yield ws.title, cell


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_workbook_has_no_formula_and_quotes_every_payload(formula_study, lang):
    from planning.report import workbook_bytes

    study, _, cov, _, siting, check = formula_study
    data = workbook_bytes(study, cov, check, siting, lang=lang)
    texts = []
    for sheet, cell in _cells(data):
        assert cell.data_type != "f", (sheet, cell.coordinate, cell.value)
        if isinstance(cell.value, str):
            texts.append(cell.value)
            assert not cell.value.startswith(("=", "+", "@", "\t", "\r")), (
                sheet,
                cell.coordinate,
                cell.value,
            )
            assert not (cell.value.startswith("-") and cell.value not in ("-5", "-")), (sheet, cell.value)
    for payload in COMMUNITIES + STREETS[:1]:
        # shown as written, after the quote (XML reads a carriage return back as a line feed)
        assert "'" + payload.replace("\r", "\n") in texts, payload
    assert list(siting.sites["name"]) == ["=1+1"] and "'=1+1" in texts  # the site chosen
    assert "-5" in texts  # a street named "-5" stays "-5" (text that is a number)
    assert '\'=HYPERLINK("http://evil","研究区")' in texts and "'@SUM(A1)" in texts
    # numbers stay numbers
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["社区覆盖率" if lang == "zh" else "Communities"]
    elderly = [ws.cell(r, 4).value for r in range(2, ws.max_row + 1)]
    assert elderly == [60, 50, 40, 90, 70, 55] and all(ws.cell(r, 4).data_type == "n" for r in range(2, 8))


def test_report_folder_workbook_has_no_formula(formula_study, tmp_path):
    from planning.report import report_inputs, write_report

    study, net, *_, siting, _ = formula_study
    written = write_report(report_inputs(study, net, siting=siting), tmp_path / "out")
    xlsx = [p for p in written if p.suffix == ".xlsx"]
    assert xlsx
    for sheet, cell in _cells(xlsx[0].read_bytes()):
        assert cell.data_type != "f", (sheet, cell.coordinate, cell.value)

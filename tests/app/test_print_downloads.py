"""The app offers the print sheets: the coverage print on the coverage page, the scenario print on the siting page
once a scenario is solved, each as A3 PDF and PNG, labelled in the page's language (the bytes are made only when a
button is pressed; what they hold is tested in tests/planning/test_print_map.py)."""

from __future__ import annotations

import pytest

from tests.app.test_app import DEMO, goto, new_app

pytestmark = pytest.mark.skipif(not (DEMO / "study.toml").is_file(), reason="the demo study is not generated")


def labels_of(at) -> list[str]:
    """The labels of the run's download buttons."""
    return [e.proto.label for e in at.get("download_button")]


def test_coverage_page_offers_the_print_map_as_pdf_and_png():
    at = goto(new_app(), "coverage")
    labels = labels_of(at)
    assert "覆盖图打印版（A3 PDF）" in labels and "覆盖图打印版（A3 PNG，300 dpi）" in labels
    helps = {e.proto.label: e.proto.help for e in at.get("download_button")}
    assert "指北针" in helps["覆盖图打印版（A3 PDF）"] and "不足 10 人" in helps["覆盖图打印版（A3 PDF）"]
    at.radio(key="lang_choice").set_value("English").run()
    labels = labels_of(at)
    assert "Coverage print map (A3 PDF)" in labels and "Coverage print map (A3 PNG, 300 dpi)" in labels


def test_siting_page_offers_the_scenario_print_once_solved():
    at = goto(new_app(), "siting")
    assert not any("打印版" in label for label in labels_of(at))  # nothing solved yet
    next(b for b in at.button if b.label == "运行选址").click().run()
    assert not at.exception, [e.value for e in at.exception]
    labels = labels_of(at)
    assert "选址方案打印版（A3 PDF）" in labels and "选址方案打印版（A3 PNG，300 dpi）" in labels
    at.radio(key="lang_choice").set_value("English").run()
    labels = labels_of(at)
    assert "Scenario print sheet (A3 PDF)" in labels and "Scenario print sheet (A3 PNG, 300 dpi)" in labels

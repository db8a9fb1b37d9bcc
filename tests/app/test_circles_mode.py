"""The coverage page's choice of how service circles are split (issue 18): offered in Chinese, drawn without
error in every mode, remembered for the Data page's layers download."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from app_pages.common import CIRCLE_MODES
from geo.service_area import MODES
from tests.app.test_app import DEMO, goto, new_app

pytestmark = pytest.mark.skipif(not (DEMO / "study.toml").is_file(), reason="the demo study is not generated")


def test_the_app_offers_every_mode_of_geo():
    assert CIRCLE_MODES == MODES


def test_coverage_page_offers_the_circle_modes_in_chinese_and_draws_each():
    at: AppTest = goto(new_app(), "coverage")
    box = at.selectbox(key="circles_mode")
    assert box.value == "dissolved"
    assert box.label == "服务圈划分"
    assert list(box.options) == ["合并", "逐设施", "最近设施划分"]
    for mode in ("nearest", "per_facility"):
        box.set_value(mode).run()
        assert not at.exception, [e.value for e in at.exception]
        assert at.selectbox(key="circles_mode").value == mode
    # the choice is kept for the Data page (its layers download uses it)
    goto(at, "data")
    assert at.session_state["_keep_circles_mode"] == "per_facility"

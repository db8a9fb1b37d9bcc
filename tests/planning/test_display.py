"""The one formatter of numbers for people (planning.display) and the one cleaner of values for JSON
(planning.export.json_value): Chinese and English, thousands, unknown values, percentages; numpy scalars, NaN,
infinities, nesting, Chinese text."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from planning.display import (
    MISSING,
    finite,
    format_number,
    format_points,
    format_share,
    pad,
    percent,
    text_width,
)
from planning.export import REDACTED, json_records, json_text, json_value, redact_json

UNKNOWN = [None, float("nan"), math.inf, -math.inf, np.float64("nan"), pd.NA, "not a number"]


# ================================================================================================================
# Numbers
# ================================================================================================================


def test_thousands_are_grouped_by_language_in_sentences():
    assert format_number(2300.4) == "2 300"
    assert format_number(2300.4, lang="en") == "2 300"
    assert format_number(2300.4, lang="zh") == "2300"
    assert format_number(1234567.891, 2, "en") == "1 234 567.89"
    assert format_number(1234567.891, 2, "zh") == "1234567.89"
    assert format_number(999) == "999"
    assert format_number(-12500, lang="en") == "-12 500"


def test_tables_and_the_command_line_group_with_commas_in_both_languages():
    for lang in ("zh", "en"):
        assert format_number(10228.4, lang=lang, groups=",") == "10,228"
        assert format_number(12.25, 1, lang, groups=",") == f"{12.25:,.1f}"
    # the same text as Python's own comma format, for whole numbers and numpy scalars alike
    for x in (0, 7, 999.5, 1000, 65432.1, np.int64(1234567), np.float32(2.5e6)):
        assert format_number(x, groups=",") == f"{float(x):,.0f}"


def test_unknown_numbers_are_a_dash_or_what_the_caller_says():
    for x in UNKNOWN:
        assert finite(x) is None
        assert format_number(x) == MISSING == "—"
        assert format_number(x, lang="zh", groups=",") == "—"
        assert format_number(x, missing="未知") == "未知"
    assert finite("2.5") == 2.5 and finite(np.int64(3)) == 3.0 and isinstance(finite(np.float64(1)), float)


def test_shares_are_percentages_with_a_space_in_english():
    assert format_share(0.853) == "85.3%"  # Chinese by default
    assert format_share(0.853, lang="zh") == "85.3%"
    assert format_share(0.853, lang="en") == "85.3 %"
    assert format_share(0.853, 0, "en") == "85 %"
    assert format_share(0.00123, 2, "en") == "0.12 %"
    # a fixed form whatever the language (the scenario page, the siting tables)
    assert format_share(0.853, lang="en", space=False) == "85.3%"
    assert format_share(0.853, lang="zh", space=True) == "85.3 %"
    assert format_share(1.0) == "100.0%" and format_share(0) == "0.0%"
    for x in UNKNOWN:
        assert format_share(x) == "—"
        assert format_share(x, 2, "en", missing="unknown") == "unknown"


def test_changes_are_signed_percentage_points():
    assert format_points(0.052) == "+5.2"
    assert format_points(-0.1) == "-10.0"
    assert format_points(0.0) == "+0.0"
    assert format_points(0.1234, 2) == "+12.34"
    assert format_points(float("nan")) == "—"


def test_percent_keeps_numbers_for_tables():
    s = pd.Series([0.12345, 0.5, np.nan], index=[3, 5, 7])
    out = percent(s)
    assert isinstance(out, pd.Series) and list(out.index) == [3, 5, 7]
    assert out.iloc[0] == 12.3 and out.iloc[1] == 50.0 and np.isnan(out.iloc[2])
    assert float(percent(0.8534)) == 85.3
    assert percent(np.array([0.1, 0.25]), 0).tolist() == [10.0, 25.0]


def test_text_width_and_pad_count_chinese_as_two_columns():
    assert text_width("abc") == 3
    assert text_width("日间照料") == 8
    assert text_width("（85.3%）") == 9  # full-width brackets
    assert pad("日间", 6) == "日间  "
    assert pad("12", 5, right=True) == "   12"
    assert pad("日间照料中心", 7) == "日间照" + " "  # cut to fit, never wider
    assert text_width(pad("日间照料中心", 7)) == 7


# ================================================================================================================
# JSON
# ================================================================================================================


def test_json_value_turns_numpy_scalars_into_python_ones():
    out = json_value({"i": np.int64(3), "f": np.float32(2.5), "b": np.bool_(True), "j": np.uint8(7)})
    assert out == {"i": 3, "f": 2.5, "b": True, "j": 7}
    assert (
        type(out["i"]) is int and type(out["f"]) is float and type(out["b"]) is bool and type(out["j"]) is int
    )
    assert type(json_value(np.float64(1.5))) is float


def test_json_value_turns_nan_infinity_and_missing_values_into_null():
    for x in (float("nan"), math.inf, -math.inf, np.float64("nan"), np.float32("inf"), None, pd.NA, pd.NaT):
        assert json_value(x) is None
    assert json.dumps(json_value([1.0, float("nan"), math.inf]), allow_nan=False) == "[1.0, null, null]"


def test_json_value_cleans_nested_structures_and_keeps_text():
    data = {
        "名称": "日间照料中心",
        "rows": [{"n": np.int64(2), "share": np.float64("nan")}, ("a", np.float64(0.5))],
        "nested": {"deeper": [[np.bool_(False), None]]},
        "plain": 7,
        "zero": 0.0,
    }
    assert json_value(data) == {
        "名称": "日间照料中心",
        "rows": [{"n": 2, "share": None}, ["a", 0.5]],
        "nested": {"deeper": [[False, None]]},
        "plain": 7,
        "zero": 0.0,
    }
    assert data["rows"][0]["n"] == np.int64(2)  # the input is left as it was


def test_json_records_leave_out_the_geometry_and_clean_every_cell():
    frame = pd.DataFrame(
        {
            "name": ["南湖社区", "北门社区"],
            "elderly": np.array([120, 35], dtype=np.int64),
            "share": [0.5, np.nan],
            "far": np.array([True, False]),
            "geometry": [None, None],
        }
    )
    assert json_records(frame) == [
        {"name": "南湖社区", "elderly": 120, "share": 0.5, "far": True},
        {"name": "北门社区", "elderly": 35, "share": None, "far": False},
    ]


def test_json_text_is_clean_readable_and_redacted():
    phone = "13912345678"
    text = json_text({"名称": f"南湖社区 {phone}", "n": np.int64(5), "x": float("nan"), "t": (1, 2)})
    assert json.loads(text) == {"名称": f"南湖社区 {REDACTED}", "n": 5, "x": None, "t": [1, 2]}
    assert "南湖社区" in text  # Chinese kept readable, not \\u escapes
    assert phone not in text
    assert redact_json({"rows": [{"name": phone, "n": 13912345678}]}) == {
        "rows": [{"name": REDACTED, "n": 13912345678}]
    }


@pytest.mark.parametrize("value", [np.int64(-4), np.float64(3.25), np.bool_(True), "中文", None])
def test_json_value_of_a_scalar_dumps_as_json(value):
    assert json.loads(json.dumps(json_value(value), allow_nan=False)) == json_value(value)


def test_large_counts_read_in_wan_in_chinese_only():
    assert format_number(545_100, lang="zh", wan=True) == "54.5万"
    assert format_number(99_999, lang="zh", groups=",", wan=True) == "99,999"
    assert format_number(545_100, lang="en", groups=",", wan=True) == "545,100"
    assert format_number(None, lang="zh", wan=True) == "—"

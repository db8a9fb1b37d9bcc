"""The scenario sentences: in the one catalogue, no key shared with another table, the same fields in both
languages, no Chinese in the English."""

from __future__ import annotations

import re
import string

from planning.i18n import CATALOGUE
from planning.i18n.errors import ERRORS
from planning.i18n.report import REPORT_TEXT
from planning.i18n.scenario import SCENARIO_ERRORS, SCENARIO_TEXT
from planning.i18n.texts import TEXTS

CJK = re.compile(r"[\u4e00-\u9fff]")


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_scenario_keys_are_in_the_catalogue_and_nowhere_else():
    mine = {**SCENARIO_TEXT, **SCENARIO_ERRORS}
    assert len(mine) == len(SCENARIO_TEXT) + len(SCENARIO_ERRORS)
    for key in mine:
        assert CATALOGUE[key] == mine[key]
        assert key not in TEXTS and key not in REPORT_TEXT and key not in ERRORS, key


def test_same_fields_and_english_without_chinese():
    for key, (zh, en) in {**SCENARIO_TEXT, **SCENARIO_ERRORS}.items():
        assert _fields(zh) == _fields(en), key
        assert not CJK.search(en), key

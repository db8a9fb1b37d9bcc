"""study.toml's settings tables: [demand] read and checked, and unknown sections and keys said, not ignored."""

from __future__ import annotations

import pytest

from geo.errors import StudyError
from planning.i18n import say
from planning.settings import DemandSettings, demand_settings, unknown_entries


def test_demand_defaults_and_values():
    assert demand_settings({}, "s/study.toml") == DemandSettings(method="auto", default_floors=6.0)
    got = demand_settings({"demand": {"method": " Buildings ", "default_floors": 4}}, "s/study.toml")
    assert got == DemandSettings(method="buildings", default_floors=4.0)


@pytest.mark.parametrize(
    ("table", "words"),
    [
        ({"method": "census"}, ["method", "'census'", "buildings", "grid"]),
        ({"default_floors": 0}, ["default_floors", "0", "1 to 100"]),
        ({"default_floors": "six"}, ["default_floors", "'six'"]),
    ],
)
def test_bad_demand_values_get_a_sentence_with_the_fix(table, words):
    with pytest.raises(StudyError) as err:
        demand_settings({"demand": table}, "s/study.toml")
    text = str(err.value)
    assert "s/study.toml" in text and all(w in text for w in words)
    zh = say(err.value, "zh")
    assert "[demand]" in zh and "请" in zh


def test_unknown_sections_and_keys_are_noted_in_both_languages():
    config = {
        "study": {"name": "x", "colour": "red"},
        "network": {"source": "a.osm", "speed": 1.2},
        "demand": {"method": "grid"},
        "extras": {},
        "layers": {"communities": "c.geojson"},
    }
    notes = unknown_entries(config)
    texts = [n.message for n in notes]
    assert any("[extras]" in t for t in texts)
    assert any("[study] colour" in t for t in texts) and any("[network] speed" in t for t in texts)
    assert len(notes) == 3 and all(n.action == "note" and n.message_zh for n in notes)

"""Chinese all the way (issue 14): the command line's Chinese outputs on the demo hold no English word but names
a person needs as they are: identifiers to type (rule ids, presets, column and study.toml keys), file names,
standard codes and brand names.
"""

from __future__ import annotations

import contextlib
import io
import re

import pytest

from planning.cli import main
from planning.demo import DEMO_DIR
from planning.schema import LAYER_COLUMNS
from planning.standards import PRESETS

#: Words allowed as they are: standard codes and clauses, the verification statuses V1/V2, software, coordinate
#: systems, the OSM attribution.
ALLOWED = {
    "GB",
    "HiGHS",
    "highspy",
    "UTM",
    "EPSG",
    "WGS",
    "GCJ",
    "BD",
    "zone",
    "OpenStreetMap",
    "OSM",
    "C.0.2",
    "V1",
    "V2",
}
#: Identifiers a person types: presets, canonical columns, coordinate systems, study.toml tables.
KEYS = (
    set(PRESETS)
    | {c.name for cols in LAYER_COLUMNS.values() for c in cols}
    | {"wgs84", "gcj02", "bd09", "coords", "standards", "preset", "overrides", "standards.overrides"}
    | {"eldercircle", "check", "validate", "coverage", "site", "report", "presets", "demo"}
)
#: snake_case identifiers (rule ids, kinds), file names and paths are names, not words.
NAMES = re.compile(
    r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b|[\w./-]+\.(?:csv|geojson|gpkg|toml|osm|json|zip)(?:#\w+)?"
)

COMMANDS = (
    ["validate", "{demo}", "--lang", "zh"],
    ["coverage", "{demo}"],
    ["check", "{demo}"],
    ["site", "{demo}", "--kind", "day_care", "--add", "3"],
    ["presets"],
    ["presets", "--preset", "shihe"],
)


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: "-".join(x for x in a if x != "{demo}"))
def test_chinese_output_holds_no_english_word(args):
    if not (DEMO_DIR / "study.toml").is_file():
        pytest.skip("data/demo is missing")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        main([str(DEMO_DIR) if a == "{demo}" else a for a in args])
    text = NAMES.sub(" ", out.getvalue().replace(str(DEMO_DIR), " "))
    words = {
        w
        for w in re.findall(r"[A-Za-z][A-Za-z0-9.]*[A-Za-z0-9.]", text)
        if w not in ALLOWED and w not in KEYS
    }
    assert not words, f"English in the Chinese output of {args[0]}: {sorted(words)}"

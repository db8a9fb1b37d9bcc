"""planning/i18n.py: every text the app asks for exists in Chinese and English with the same fields."""

from __future__ import annotations

import re
import string

from planning.i18n import TEXTS, kind_label, known_keys, level_label, status_label, tr, verdict_label
from tests.conftest import REPO

#: Keys the pages build with f-strings, expanded.
FAMILIES = {
    "source_": ("demo", "zip", "layers", "folder"),
    "no_study_": ("demo", "zip", "layers", "folder"),
    "basemap_": ("auto", "none", "osm", "amap", "tianditu"),
    "action_": ("read", "mapped", "repaired", "rejected", "note"),
    "objective_": ("coverage", "min-sites", "capacitated"),
    "coords_": ("wgs84", "gcj02", "bd09"),
    "layer_": ("communities", "facilities", "candidates", "population", "network"),
    "community_kind_": ("urban", "rural"),
    "level_": ("district", "street", "community", "village", "facility", "candidate"),
}


def _sources() -> str:
    maps = [*REPO.glob("planning/maps.py"), *sorted(REPO.glob("planning/maps/*.py"))]  # a module or a package
    files = [REPO / "app.py", *maps, *sorted((REPO / "app_pages").glob("*.py"))]
    return "\n".join(p.read_text(encoding="utf-8") for p in files)


def test_every_key_the_app_uses_is_translated():
    used = set(re.findall(r'\btr\(\s*"([a-z0-9_\-]+)"', _sources()))
    assert len(used) > 150
    missing = sorted(used - known_keys())
    assert not missing
    for prefix, values in FAMILIES.items():
        for v in values:
            assert f"{prefix}{v}" in known_keys(), f"{prefix}{v}"
    for col in ("share_before", "share_after"):
        assert f"{col}_pct" in known_keys()


def test_both_languages_have_the_same_format_fields():
    fmt = string.Formatter()
    for key, (zh, en) in TEXTS.items():
        assert zh.strip() and en.strip(), key
        fields_zh = {f for _, f, _, _ in fmt.parse(zh) if f}
        fields_en = {f for _, f, _, _ in fmt.parse(en) if f}
        assert fields_zh == fields_en, key


def test_words():
    assert tr("overview") == "总览" and tr("overview", "en") == "Overview"
    assert tr("band_label", "zh").format(m=15) == "15 分钟"
    assert tr("no_such_key", "en") == "no_such_key"
    assert kind_label("day_care") == "日间照料中心" and kind_label("day_care", "en") == "Day-care centre"
    assert status_label("R") == "未核实 unverified" and status_label("V1") == "V1"  # bilingual outputs
    assert status_label("R", "zh") == "未核实" and status_label("R", "en") == "unverified"
    assert status_label("V2", "en") == "V2"
    assert verdict_label("fail") == "不达标" and verdict_label("fail", "en", icon=True) == "❌ Fail"


def test_english_texts_hold_no_chinese():
    """The English switch is complete: no Chinese in an English text (names of places come from the data)."""
    cjk = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
    assert not [key for key, (_, en) in TEXTS.items() if cjk.search(en)]
    assert not [
        kind for kind in ("day_care", "street_centre", "embedded_home") if cjk.search(kind_label(kind, "en"))
    ]


def test_level_words():
    assert level_label("village") == "行政村" and level_label("village", "en") == "village"
    assert level_label("township", "zh") == "township"  # a level without words is shown as it is

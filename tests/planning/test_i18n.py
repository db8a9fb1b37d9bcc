"""planning/i18n: one catalogue; every text in Chinese and English with the same fields, every code geo says in
Chinese too, errors rendered from their codes."""

from __future__ import annotations

import ast
import pickle
import re
import string

from geo.errors import LayerError
from geo.messages import EN as GEO_EN
from geo.messages import Message
from planning.i18n import CATALOGUE, kind_label, known_keys, level_label, say, status_label, tr, verdict_label
from planning.i18n.geo_zh import GEO_ZH
from planning.i18n.plan_report import PLAN_REPORT_TEXT
from planning.i18n.report import REPORT_TEXT
from planning.i18n.run_errors import RUN_ERRORS
from planning.i18n.study_errors import STUDY_ERRORS
from planning.i18n.texts import TEXTS
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
    for key, (zh, en) in CATALOGUE.items():
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
    assert not [key for key, (_, en) in CATALOGUE.items() if cjk.search(en)]
    assert not [
        kind for kind in ("day_care", "street_centre", "embedded_home") if cjk.search(kind_label(kind, "en"))
    ]


def test_level_words():
    assert level_label("village") == "行政村" and level_label("village", "en") == "village"
    assert level_label("township", "zh") == "township"  # a level without words is shown as it is


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def test_every_code_geo_says_has_chinese_with_the_same_fields():
    assert set(GEO_ZH) == set(GEO_EN), "add the Chinese of a new geo code to planning/i18n/geo_zh.py"
    for code, en in GEO_EN.items():
        assert _fields(en) == _fields(GEO_ZH[code]), code


def test_the_tables_share_no_key():
    tables = {
        "texts": TEXTS,
        "report": REPORT_TEXT,
        "scenario report": PLAN_REPORT_TEXT,
        "study errors": STUDY_ERRORS,
        "run errors": RUN_ERRORS,
        "geo": GEO_EN,
    }
    seen: dict[str, str] = {}
    for name, table in tables.items():
        for key in table:
            assert key not in seen, f"{key} is in both {seen[key]} and {name}"
            seen[key] = name


def test_say_renders_messages_and_errors_in_either_language():
    note = Message.of("crs_from_study", crs="EPSG:4549")
    assert str(note) == say(note, "en") == "no CRS in the file: used EPSG:4549 as study.toml states"
    assert say(note, "zh") == "文件中没有坐标系：按 study.toml 的设置使用 EPSG:4549"
    err = LayerError(note)
    assert str(err) == say(err, "en") and say(err, "zh") == say(note, "zh")
    assert say(LayerError("a plain sentence"), "zh") == "a plain sentence"  # English stands in
    assert say(ValueError("x"), "zh") == "x"
    assert say("band_label", "zh", m=15) == "15 分钟"


def test_an_error_keeps_its_code_through_pickle():
    """Errors raised in a Dask worker reach the app pickled: their Chinese must survive."""
    err = pickle.loads(pickle.dumps(LayerError.of("crs_from_study", crs="EPSG:4549")))
    assert type(err) is LayerError and err.message is not None
    assert say(err, "zh") == "文件中没有坐标系：按 study.toml 的设置使用 EPSG:4549"


def test_a_message_inside_a_message_is_said_in_the_same_language():
    inner = Message.of("crs_from_study", crs="EPSG:4549")
    outer = Message("wrapper", (("why", inner),), "layer refused: {why}")
    assert str(outer) == "layer refused: no CRS in the file: used EPSG:4549 as study.toml states"
    assert outer.render({"wrapper": "图层被拒绝：{why}", **GEO_ZH}) == (
        "图层被拒绝：文件中没有坐标系：按 study.toml 的设置使用 EPSG:4549"
    )


_ERROR_KINDS = {"StudyError", "LayerError", "NetworkError", "InfeasibleError", "OptionError", "OutputError"}


def _plain_text(node: ast.expr) -> bool:
    """True for an expression that is finished English text: a string, an f-string, a concatenation, ``str(...)``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _plain_text(node.left) or _plain_text(node.right)
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "str"


def test_every_error_geo_and_planning_raise_is_a_message():
    """An error raised with finished English text cannot be said in Chinese: every raise of a StudyError kind in geo
    and planning passes a Message (``XError.of(code, ...)`` or ``XError(message(code, ...))``)."""
    plain = []
    for path in sorted([*(REPO / "geo").rglob("*.py"), *(REPO / "planning").rglob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                continue
            func = node.exc.func
            coded = not (node.exc.args and _plain_text(node.exc.args[0]))
            if isinstance(func, ast.Name) and func.id in _ERROR_KINDS and not coded:
                plain.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert not plain, f"raise these with a message code (planning.i18n.message or XError.of): {plain}"

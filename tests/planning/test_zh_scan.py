"""Chinese all the way (issue 14): the command line's Chinese outputs on the demo hold no English word but names
a person needs as they are: identifiers to type (rule ids, presets, column and study.toml keys), file names,
standard codes and brand names.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from planning.cli import main
from planning.demo import DEMO_DIR
from planning.schema import LAYER_COLUMNS
from planning.standards import PRESETS
from planning.study import load_study

#: Words allowed as they are: standard codes and clauses, the verification statuses V1/V2, software, coordinate
#: systems, file formats (the downloads), the OSM attribution.
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
    "WGS84",
    "CGCS2000",
    "CSV",
    "JSON",
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
    r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b|[\w./-]+\.(?:csv|geojson|gpkg|toml|osm|json|zip|xlsx|html|pdf|png|svg|txt|md)(?:#\w+)?"
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


def english_words(text: str) -> set[str]:
    """The ASCII words of ``text`` a person would read as English: names, keys and allowed words taken out."""
    text = NAMES.sub(" ", text.replace(str(DEMO_DIR), " "))
    return {
        w
        for w in re.findall(r"[A-Za-z][A-Za-z0-9.]*[A-Za-z0-9.]", text)
        if w not in ALLOWED and w not in KEYS
    }


#: What a table cell must never show: a missing value as the program spells it, or a raw float.
NOT_SHOWN = re.compile(r"^(?:None|nan|NaN|<NA>|NaT|null|True|False|-?[\d,]*\.\d{4,})$")


def unshown(cells: list[str]) -> list[str]:
    """The cells of ``cells`` that show a missing value or a raw float (more than 3 decimals)."""
    return sorted({c for c in cells if NOT_SHOWN.search(c)})[:10]


def the_study_own_words_out(text: str) -> str:
    """``text`` without the study's own words, quoted as its study.toml writes them: the demo's sources line is
    English and the embedded demo stays byte-identical (planning/demo/writer.py)."""
    study = load_study(DEMO_DIR)
    for source in study.sources:
        # a PDF breaks a long line wherever it must, even inside a word
        text = re.sub(r"\s*".join(map(re.escape, "".join(source.split()))), " ", text)
    return text


# --- every file `eldercircle report` writes for the demo, in Chinese ---------------------------------------------


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory):
    if not (DEMO_DIR / "study.toml").is_file():
        pytest.skip("data/demo is missing")
    out = tmp_path_factory.mktemp("zh-report") / "report"
    said = io.StringIO()
    with contextlib.redirect_stdout(said), contextlib.redirect_stderr(io.StringIO()):
        assert main(["report", str(DEMO_DIR), "--out", str(out)]) == 0
    (out.parent / "stdout.txt").write_text(said.getvalue(), encoding="utf-8")
    return out


def test_report_writes_the_files_the_scan_reads_and_says_so_in_chinese(report_dir):
    names = {p.name for p in report_dir.iterdir()}
    assert {"report.xlsx", "public_coverage_map.html", "scenario.html"} <= names, names
    said = (report_dir.parent / "stdout.txt").read_text(encoding="utf-8")
    assert f"已写入 {report_dir / 'report.xlsx'}" in said and "不足 10 人的单元已隐去" in said, said
    words = english_words(said.replace(str(report_dir), " "))
    assert not words, f"English in the Chinese output of report: {sorted(words)}"


def shown_number(value: object, number_format: str) -> str:
    """A cell as a spreadsheet shows it: a number by its format's decimals (and %), every digit when General."""
    if not isinstance(value, float) or number_format == "General":
        return repr(value) if isinstance(value, float) else str(value)
    decimals = len(number_format.split(".")[1].rstrip("%")) if "." in number_format else 0
    if number_format.endswith("%"):
        return f"{value * 100:,.{decimals}f}%"
    return f"{value:,.{decimals}f}"


def xlsx_cells(path: Path) -> dict[str, tuple[list[str], list[str]]]:
    """Every cell of every sheet of the workbook as a person sees it (text as it is, numbers by their format), and
    apart the cells left to Excel's General format (a float there shows every digit Excel keeps)."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheets: dict[str, tuple[list[str], list[str]]] = {}
    for ws in book.worksheets:
        cells, general = [ws.title], []
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                cells.append(shown_number(cell.value, cell.number_format))
                if cell.number_format == "General":
                    general.append(cells[-1])
        sheets[ws.title] = (cells, general)
    return sheets


def test_workbook_holds_no_english_word_no_missing_value_and_no_raw_float(report_dir):
    sheets = xlsx_cells(report_dir / "report.xlsx")
    english = {
        t: sorted(w)
        for t, (cells, _) in sheets.items()
        if (w := english_words(the_study_own_words_out("\n".join(cells))))
    }
    assert not english, f"English in the Chinese workbook: {english}"
    shown = {t: bad for t, (_, general) in sheets.items() if (bad := unshown(general))}
    assert not shown, f"missing values or raw floats in the workbook: {shown}"


class _VisibleText(HTMLParser):
    """The text nodes of an HTML page outside <script>, <style> and an SVG's <metadata>, the table cells and the
    scripts' text apart."""

    HIDDEN = ("script", "style", "metadata")

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.cells: list[str] = []
        self.scripts: list[str] = []
        self._in: str | None = None
        self._cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self._in = tag
        self._cell = tag in ("td", "th")
        for name, value in attrs:
            if name in ("title", "alt", "aria-label") and value:
                self.text.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "script":
            self.scripts.append(data)
        elif self._in is None:
            self.text.append(data)
            if self._cell:
                self.cells.append(data.strip())


def _html_text(markup: str) -> str:
    parser = _VisibleText()
    parser.feed(markup)
    return "\n".join(parser.text)


def map_texts(path: Path) -> tuple[list[str], list[str]]:
    """What a person reads on a map page: (the page's text nodes, legend and layer names included; the table cells,
    tooltip and popup texts and the GeoJSON properties the tooltips show)."""
    parser = _VisibleText()
    parser.feed(path.read_text(encoding="utf-8"))
    script = "\n".join(s for s in parser.scripts if "L.map(" in s or "bindTooltip(" in s or "_add(" in s)
    shown: list[str] = list(parser.cells)
    # tooltips and popups given as HTML (folium.Tooltip / Popup): a JS string or template literal
    for literal in re.findall(
        r"\.(?:bindTooltip|bindPopup|setContent)\(\s*(`[^`]*`|\"(?:[^\"\\]|\\.)*\")", script
    ):
        body = literal[1:-1] if literal.startswith("`") else json.loads(literal)
        shown.append(_html_text(body))
    # the names in the layer control
    for block in re.findall(r"\"(?:base_layers|overlays)\"\s*:\s*\{([^}]*)\}", script):
        shown += [json.loads(name) for name in re.findall(r"(\"(?:[^\"\\]|\\.)*\")\s*:", block)]
    # the GeoJSON tooltips: their aliases, and the properties they show of every feature
    data = {
        layer: json.loads(payload)
        for layer, payload in re.findall(r"(\w+)_add\((\{.*?\})\);\n", script, flags=re.DOTALL)
    }
    for layer, fields, aliases in re.findall(
        r"(\w+)\.bindTooltip\(\s*function\(layer\)\{.*?let fields = (\[.*?\]);\s*let aliases = (\[.*?\]);",
        script,
        flags=re.DOTALL,
    ):
        shown += [str(a) for a in json.loads(aliases)]
        for feature in data.get(layer, {}).get("features", []):
            props = feature.get("properties") or {}
            shown += ["" if props.get(f) is None else str(props[f]) for f in json.loads(fields)]
    return parser.text, shown


@pytest.mark.parametrize("page", ["public_coverage_map.html", "scenario.html"])
def test_map_pages_hold_no_english_word_and_no_raw_value(report_dir, page):
    text, shown = map_texts(report_dir / page)
    assert shown, f"no table cell, tooltip or layer name found in {page}: the scan would see nothing"
    words = english_words(the_study_own_words_out("\n".join(text + shown)))
    assert not words, f"English in the Chinese {page}: {sorted(words)}"
    assert not unshown(shown), f"missing values or raw floats in {page}: {unshown(shown)}"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_print_pdfs_hold_no_english_word(report_dir):
    pdfs = sorted(report_dir.glob("*.pdf"))
    assert pdfs
    english = {}
    for pdf in pdfs:
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        if words := english_words(the_study_own_words_out(text)):
            english[pdf.name] = sorted(words)
    assert not english, f"English in the Chinese print maps: {english}"


def test_text_files_and_csv_headers_hold_no_english_word(report_dir):
    english = {}
    for path in sorted(report_dir.rglob("*")):
        if path.suffix in (".txt", ".md"):
            text = path.read_text(encoding="utf-8")
        elif path.suffix == ".csv":
            text = path.read_text(encoding="utf-8-sig").splitlines()[0]
        else:
            continue
        if words := english_words(text):
            english[path.name] = sorted(words)
    assert not english, f"English in the Chinese text files: {english}"


# --- the `*_zh` fields of the JSON outputs ------------------------------------------------------------------------


def _zh_fields(node: object, path: str = "") -> list[tuple[str, object]]:
    if isinstance(node, dict):
        found = [(f"{path}.{k}", v) for k, v in node.items() if k.endswith("_zh")]
        return found + [x for k, v in node.items() for x in _zh_fields(v, f"{path}.{k}")]
    if isinstance(node, list):
        return [x for i, v in enumerate(node) for x in _zh_fields(v, f"{path}[{i}]")]
    return []


JSON_COMMANDS = (
    ["coverage", "{demo}"],
    ["check", "{demo}"],
    ["site", "{demo}", "--kind", "day_care", "--add", "3"],
)


@pytest.mark.parametrize("args", JSON_COMMANDS, ids=lambda a: a[0])
def test_json_zh_fields_hold_no_english_word(args, tmp_path):
    if not (DEMO_DIR / "study.toml").is_file():
        pytest.skip("data/demo is missing")
    out = tmp_path / "out.json"
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        main([str(DEMO_DIR) if a == "{demo}" else a for a in args] + ["--json", str(out)])
    fields = _zh_fields(json.loads(out.read_text(encoding="utf-8")))
    assert fields, f"no *_zh field in the JSON of {args[0]}"
    # a missing quote is JSON null (data for a program, not a word); every text must be Chinese
    english = {
        path: sorted(w)
        for path, value in fields
        if value is not None
        and (w := english_words(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)))
    }
    assert not english, f"English in the *_zh fields of {args[0]}: {dict(list(english.items())[:10])}"

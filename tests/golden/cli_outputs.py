"""The command line's outputs on the demo study, normalised so that two runs of the same code are byte-identical.

Used by ``tests/golden/test_cli_outputs.py`` (which compares them with the files in ``tests/golden/expected/``) and,
run as a script, to write those files again after a change of output that is meant:
``python -m tests.golden.cli_outputs``. A refactoring must leave them unchanged.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import sys
import tempfile
from pathlib import Path

from planning.cli import main
from planning.demo import DEMO_DIR

EXPECTED = Path(__file__).resolve().parent / "expected"

#: name -> arguments after the study; ``{json}`` is replaced by a temporary JSON file whose content is kept too.
COMMANDS: dict[str, list[str]] = {
    "validate_en": ["validate"],
    "validate_zh": ["validate", "--lang", "zh"],
    "coverage_zh": ["coverage", "--json", "{json}"],
    "coverage_en": ["coverage", "--lang", "en", "--minutes", "10,15", "--kinds", "day_care,embedded_home"],
    "check_zh": ["check", "--json", "{json}"],
    "check_en_henan": ["check", "--lang", "en", "--preset", "henan"],
    "site_coverage_zh": ["site", "--kind", "day_care", "--add", "3", "--json", "{json}"],
    "site_min_sites_en": ["site", "--kind", "day_care", "--objective", "min-sites", "--lang", "en"],
    "site_capacitated_zh": ["site", "--kind", "embedded_home", "--objective", "capacitated", "--add", "2"],
}

#: Times measured by the run itself: the only text that may differ between two runs of the same code.
_TIMES = re.compile(r"(用时 |model |; )\d+(\.\d+)? ?(秒|s)(?=[。；;,，)）]|$)", re.MULTILINE)
_JSON_TIMES = ("time_s", "solve_time_s")


def _normal_text(text: str, *, paths: dict[str, str]) -> str:
    for real, alias in paths.items():
        text = text.replace(real, alias)
    return _TIMES.sub(lambda m: f"{m.group(1)}<t> {m.group(3)}", text)


def _normal_json(data: object) -> object:
    """Times masked; floats to 10 significant digits (the last bits of a sum may differ between processors' SIMD
    widths, which is no change of output)."""
    if isinstance(data, float):
        return float(f"{data:.10g}")
    if isinstance(data, dict):
        return {k: ("<t>" if k in _JSON_TIMES else _normal_json(v)) for k, v in data.items()}
    if isinstance(data, list):
        return [_normal_json(v) for v in data]
    return data


def run(name: str) -> dict[str, str]:
    """Run one command on the demo; its normalised output files: ``<name>.txt`` (exit code, stdout) and, for
    commands that write JSON, ``<name>.json``."""
    with tempfile.TemporaryDirectory(prefix="eldercircle-golden-") as tmp:
        json_path = str(Path(tmp) / "out.json")
        args = [a.replace("{json}", json_path) for a in COMMANDS[name]]
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            code = main([args[0], str(DEMO_DIR), *args[1:]])
        paths = {json_path: "<json>", str(DEMO_DIR): "<demo>"}
        files = {f"{name}.txt": f"exit {code}\n" + _normal_text(out.getvalue(), paths=paths)}
        if "{json}" in COMMANDS[name]:
            data = _normal_json(json.loads(Path(json_path).read_text(encoding="utf-8")))
            files[f"{name}.json"] = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    return files


def write_expected() -> None:
    """Write every command's normalised output to :data:`EXPECTED`."""
    EXPECTED.mkdir(exist_ok=True)
    for name in COMMANDS:
        for file, text in run(name).items():
            (EXPECTED / file).write_text(text, encoding="utf-8")
            print(f"wrote {EXPECTED / file}")


if __name__ == "__main__":
    write_expected()
    sys.exit(0)

"""Scenario files: ``scenarios/<name>.toml`` in the study folder, written atomically, read back with checks, and the
command line's ``--add``/``--set`` texts parsed.

A file::

    format = 1
    study = "示范区（合成数据）"
    name = "方案A"
    coords = "gcj02"
    notes = "街道办提供的闲置用房"
    close = ["既有4"]

    [[add]]
    kind = "day_care"
    lon = 117.95
    lat = 28.45
    name = "新增日间照料中心1"
    beds = 20.0

    [[change]]
    name = "老城街道综合养老服务中心"
    beds = 150.0
"""

from __future__ import annotations

import math
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from geo.errors import OptionError
from geo.files import atomic_write
from geo.messages import Message
from planning.i18n import message
from planning.scenario.model import SCENARIO_FORMAT, AddedFacility, FacilityChange, Scenario
from planning.schema import FACILITY_KINDS, KIND_ALIASES
from planning.study import Study

#: Where a study keeps its scenarios (relative to its folder).
SCENARIO_FOLDER = "scenarios"
#: The longest scenario name.
MAX_NAME_CHARS = 64
#: The systems of lon/lat a scenario may use.
COORDS = ("wgs84", "gcj02", "bd09")

_NAME_RE = re.compile(r"^[\w\-]+$")
_TOP_KEYS = ("format", "study", "name", "coords", "notes", "close", "add", "change")
_ADD_KEYS = ("kind", "lon", "lat", "name", "floor_area_m2", "land_area_m2", "beds")
_CHANGE_KEYS = ("name", "beds", "floor_area_m2", "kind")
_NUMBER_KEYS = ("floor_area_m2", "land_area_m2", "beds")


def check_scenario_name(name: str) -> str:
    """The name, stripped, when it can be a file name (letters, digits, CJK, ``-``, ``_``; at most 64 characters);
    else :class:`~geo.errors.OptionError` naming the fix."""
    text = unicodedata.normalize("NFC", str(name)).strip()
    if not text:
        raise OptionError(message("err_scn_name_blank"))
    if len(text) > MAX_NAME_CHARS:
        raise OptionError(message("err_scn_name_long", name=text, n=len(text), limit=MAX_NAME_CHARS))
    if not _NAME_RE.match(text):
        raise OptionError(message("err_scn_name_chars", name=text))
    return text


def scenario_path(study: Study, name: str) -> Path:
    """``<study folder>/scenarios/<name>.toml`` (the name checked)."""
    return Path(study.folder) / SCENARIO_FOLDER / f"{check_scenario_name(name)}.toml"


def list_scenarios(study: Study) -> list[str]:
    """The names of the study's saved scenarios, sorted."""
    folder = Path(study.folder) / SCENARIO_FOLDER
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.toml") if p.is_file() and _NAME_RE.match(p.stem))


def check_kind(kind: object, where: Message | str) -> str:
    """A facility kind (canonical or a Chinese name/alias) as its canonical name; else OptionError."""
    text = unicodedata.normalize("NFKC", str(kind)).strip()
    lookup = {**{k: k for k in FACILITY_KINDS}, **{a.replace(" ", ""): k for a, k in KIND_ALIASES.items()}}
    found = lookup.get(text) or lookup.get(text.lower().replace(" ", ""))
    if found is None:
        raise OptionError(
            message("err_scn_bad_kind", where=where, kind=str(kind), kinds=", ".join(FACILITY_KINDS))
        )
    return found


def check_scenario(scenario: Scenario, where: Message | str = "") -> Scenario:
    """``scenario`` with its kinds made canonical, every value checked (OptionError: one sentence naming the fix)."""
    if scenario.coords not in COORDS:
        raise OptionError(message("err_scn_bad_coords", where=where, coords=scenario.coords))
    added = tuple(_check_added(a, where) for a in scenario.added)
    changed = tuple(_check_change(c, where) for c in scenario.changed)
    for name in scenario.closed:
        if not str(name).strip():
            raise OptionError(message("err_scn_blank_name", where=where))
    return Scenario(
        name=scenario.name,
        study=scenario.study,
        coords=scenario.coords,
        added=added,
        closed=tuple(scenario.closed),
        changed=changed,
        notes=scenario.notes,
        format=scenario.format,
    )


def _check_added(a: AddedFacility, where: Message | str) -> AddedFacility:
    kind = check_kind(a.kind, where)
    if not (math.isfinite(a.lon) and -180 <= a.lon <= 180):
        raise OptionError(message("err_scn_bad_lon", where=where, lon=a.lon))
    if not (math.isfinite(a.lat) and -90 <= a.lat <= 90):
        raise OptionError(message("err_scn_bad_lat", where=where, lat=a.lat))
    _check_numbers(a, where)
    return AddedFacility(kind, a.lon, a.lat, a.name.strip(), a.floor_area_m2, a.land_area_m2, a.beds)


def _check_change(c: FacilityChange, where: Message | str) -> FacilityChange:
    if not c.name.strip():
        raise OptionError(message("err_scn_blank_name", where=where))
    _check_numbers(c, where)
    kind = None if c.kind is None else check_kind(c.kind, where)
    return FacilityChange(c.name, c.beds, c.floor_area_m2, kind)


def _check_numbers(edit: AddedFacility | FacilityChange, where: Message | str) -> None:
    for key in _NUMBER_KEYS:
        value = getattr(edit, key, None)
        if value is None:
            continue
        if not math.isfinite(value):
            raise OptionError(
                message("err_scn_bad_type", where=where, field=key, expected=_NUMBER, value=value)
            )
        if value < 0:
            raise OptionError(message("err_scn_negative", where=where, field=key, value=f"{value:g}"))


_NUMBER = message("scn_expect_number")
_TEXT = message("scn_expect_text")
_INTEGER = message("scn_expect_integer")
_LIST = message("scn_expect_list")
_TABLES = message("scn_expect_tables")


def read_scenario(path: str | Path, *, study: Study) -> Scenario:
    """A scenario file, checked: TOML, of this study, of a format this version reads, every field valid."""
    p = Path(path).expanduser()
    if not p.is_file():
        raise OptionError(message("err_scn_missing", path=str(p)))
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as exc:
        raise OptionError(message("err_scn_not_toml", path=str(p), error=str(exc))) from None
    except UnicodeDecodeError:
        raise OptionError(message("err_scn_not_utf8", path=str(p))) from None
    return scenario_from_dict(data, study=study, path=str(p))


def scenario_from_dict(data: Mapping[str, Any], *, study: Study, path: str) -> Scenario:
    """The scenario a parsed file holds (checked as :func:`read_scenario` says)."""
    where = message("err_scn_where_file", path=path)
    fmt = data.get("format")
    if fmt is None:
        raise OptionError(message("err_scn_missing_key", where=where, field="format"))
    if not isinstance(fmt, int) or isinstance(fmt, bool) or fmt < 1:
        raise OptionError(
            message("err_scn_bad_type", where=where, field="format", expected=_INTEGER, value=fmt)
        )
    if fmt > SCENARIO_FORMAT:
        raise OptionError(message("err_scn_newer_format", path=path, found=fmt, supported=SCENARIO_FORMAT))
    _known(data, _TOP_KEYS, where)
    theirs = _text(data, "study", where, required=True)
    if theirs != study.name:
        raise OptionError(message("err_scn_other_study", path=path, theirs=theirs, ours=study.name))
    closed = data.get("close", [])
    if not isinstance(closed, list) or not all(isinstance(n, str) for n in closed):
        raise OptionError(
            message("err_scn_bad_type", where=where, field="close", expected=_LIST, value=closed)
        )
    added = tuple(
        _added_of(e, message("err_scn_where_entry", path=path, n=i, table="add"))
        for i, e in _entries(data, "add", where)
    )
    changed = tuple(
        _change_of(e, message("err_scn_where_entry", path=path, n=i, table="change"))
        for i, e in _entries(data, "change", where)
    )
    try:
        name = check_scenario_name(_text(data, "name", where, required=True))
    except OptionError as exc:
        raise OptionError(message("err_scn_in_file", where=where, error=exc.message or str(exc))) from None
    scenario = Scenario(
        name=name,
        study=theirs,
        coords=_text(data, "coords", where) or "wgs84",
        added=added,
        closed=tuple(closed),
        changed=changed,
        notes=_text(data, "notes", where),
        format=fmt,
    )
    return check_scenario(scenario, where)


def _known(data: Mapping[str, Any], keys: tuple[str, ...], where: Message) -> None:
    for key in data:
        if key not in keys:
            raise OptionError(message("err_scn_unknown_key", where=where, field=key, known=", ".join(keys)))


def _text(data: Mapping[str, Any], key: str, where: Message, *, required: bool = False) -> str:
    value = data.get(key)
    if value is None:
        if required:
            raise OptionError(message("err_scn_missing_key", where=where, field=key))
        return ""
    if not isinstance(value, str):
        raise OptionError(message("err_scn_bad_type", where=where, field=key, expected=_TEXT, value=value))
    return value


def _number(data: Mapping[str, Any], key: str, where: Message, *, required: bool = False) -> float | None:
    value = data.get(key)
    if value is None:
        if required:
            raise OptionError(message("err_scn_missing_key", where=where, field=key))
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise OptionError(message("err_scn_bad_type", where=where, field=key, expected=_NUMBER, value=value))
    return float(value)


def _entries(data: Mapping[str, Any], key: str, where: Message) -> list[tuple[int, Mapping[str, Any]]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(e, dict) for e in value):
        raise OptionError(message("err_scn_bad_type", where=where, field=key, expected=_TABLES, value=value))
    return list(enumerate(value, start=1))


def _added_of(entry: Mapping[str, Any], where: Message) -> AddedFacility:
    _known(entry, _ADD_KEYS, where)
    lon = _number(entry, "lon", where, required=True)
    lat = _number(entry, "lat", where, required=True)
    assert lon is not None and lat is not None
    return AddedFacility(
        kind=_text(entry, "kind", where, required=True),
        lon=lon,
        lat=lat,
        name=_text(entry, "name", where),
        floor_area_m2=_number(entry, "floor_area_m2", where),
        land_area_m2=_number(entry, "land_area_m2", where),
        beds=_number(entry, "beds", where),
    )


def _change_of(entry: Mapping[str, Any], where: Message) -> FacilityChange:
    _known(entry, _CHANGE_KEYS, where)
    kind = _text(entry, "kind", where)
    return FacilityChange(
        name=_text(entry, "name", where, required=True),
        beds=_number(entry, "beds", where),
        floor_area_m2=_number(entry, "floor_area_m2", where),
        kind=kind or None,
    )


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string (quotes, backslashes and control characters escaped)."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch in "\b\t\n\f\r":
            out.append({"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}[ch])
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _toml_number(value: float) -> str:
    return repr(float(value))


def scenario_toml(scenario: Scenario) -> str:
    """The TOML text of ``scenario`` (what :func:`write_scenario` writes)."""
    lines = [
        f"format = {int(scenario.format)}",
        f"study = {toml_string(scenario.study)}",
        f"name = {toml_string(scenario.name)}",
        f"coords = {toml_string(scenario.coords)}",
    ]
    if scenario.notes:
        lines.append(f"notes = {toml_string(scenario.notes)}")
    lines.append("close = [" + ", ".join(toml_string(n) for n in scenario.closed) + "]")
    for a in scenario.added:
        lines += ["", "[[add]]", f"kind = {toml_string(a.kind)}"]
        lines += [f"lon = {_toml_number(a.lon)}", f"lat = {_toml_number(a.lat)}"]
        if a.name:
            lines.append(f"name = {toml_string(a.name)}")
        lines += [f"{k} = {_toml_number(v)}" for k in _NUMBER_KEYS if (v := getattr(a, k)) is not None]
    for c in scenario.changed:
        lines += ["", "[[change]]", f"name = {toml_string(c.name)}"]
        lines += [
            f"{k} = {_toml_number(v)}" for k in ("beds", "floor_area_m2") if (v := getattr(c, k)) is not None
        ]
        if c.kind is not None:
            lines.append(f"kind = {toml_string(c.kind)}")
    return "\n".join(lines) + "\n"


def write_scenario(scenario: Scenario, path: str | Path) -> Path:
    """Write ``scenario`` as TOML at ``path`` atomically (never half-written); returns the path."""
    check_scenario(scenario, str(path))
    target = Path(path).expanduser()
    target.parent.mkdir(parents=True, exist_ok=True)
    return atomic_write(target, scenario_toml(scenario))


def save_scenario(study: Study, scenario: Scenario) -> Path:
    """Write ``scenario`` to ``scenarios/<name>.toml`` of the study (the folder created)."""
    return write_scenario(scenario, scenario_path(study, scenario.name))


def delete_scenario(study: Study, name: str) -> None:
    """Remove the study's scenario ``name``."""
    path = scenario_path(study, name)
    if not path.is_file():
        raise OptionError(_not_saved(study, name))
    path.unlink()


def rename_scenario(study: Study, old: str, new: str) -> Path:
    """Rename a saved scenario (refused when ``new`` exists)."""
    src = scenario_path(study, old)
    dst = scenario_path(study, new)
    if not src.is_file():
        raise OptionError(_not_saved(study, old))
    if dst.exists():
        raise OptionError(message("err_scn_exists", name=check_scenario_name(new)))
    scenario = read_scenario(src, study=study)
    new_name = check_scenario_name(new)
    written = write_scenario(replace(scenario, name=new_name), dst)
    src.unlink()
    return written


def _not_saved(study: Study, name: str) -> Message:
    names = list_scenarios(study)
    return message(
        "err_scn_not_saved",
        name=str(name).strip(),
        names=", ".join(names) if names else message("err_scn_none"),
    )


def parse_add(text: str) -> AddedFacility:
    """``KIND@LON,LAT[:NAME]`` (the command line's ``--add``) as an :class:`AddedFacility`."""
    raw = unicodedata.normalize("NFKC", text)
    kind, at, rest = raw.partition("@")
    point, _, name = rest.partition(":")
    parts = point.split(",")
    if not at or not kind.strip() or len(parts) != 2:
        raise OptionError(message("err_scn_add_syntax", text=text))
    try:
        lon, lat = float(parts[0]), float(parts[1])
    except ValueError:
        raise OptionError(message("err_scn_add_syntax", text=text)) from None
    return _check_added(AddedFacility(kind.strip(), lon, lat, name.strip()), "--add")


def parse_set(text: str) -> FacilityChange:
    """``NAME:beds=N`` (also ``floor_area_m2=``, ``kind=``; several joined by ``,``) as a :class:`FacilityChange`."""
    name, colon, assignments = text.rpartition(":")
    values: dict[str, Any] = {}
    if not colon or not name.strip() or not assignments.strip():
        raise OptionError(message("err_scn_set_syntax", text=text))
    for item in assignments.split(","):
        key, eq, value = item.partition("=")
        key = key.strip()
        if not eq or key not in ("beds", "floor_area_m2", "kind") or key in values:
            raise OptionError(message("err_scn_set_syntax", text=text))
        if key == "kind":
            values[key] = value.strip()
            continue
        try:
            values[key] = float(value)
        except ValueError:
            raise OptionError(message("err_scn_set_syntax", text=text)) from None
    return _check_change(FacilityChange(name.strip(), **values), "--set")

"""Columns of a layer: find each canonical column among the file's (canonical name, then aliases) and convert its
cells to the contract's types, rejecting what cannot be used.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from geo.errors import LayerError
from geo.messages import Message
from planning.i18n import message
from planning.schema import (
    BUILT_ALIASES,
    COMMUNITY_KIND_ALIASES,
    FACILITY_KINDS,
    FLAG_ALIASES,
    KIND_ALIASES,
    LAYER_COLUMNS,
    Column,
)
from planning.validation.findings import Collector, Finding
from planning.validation.numbers import NOT_FINITE_FIX, NOT_FINITE_FIX_ZH, parse_number_zh


def normalise_label(text: str) -> str:
    """A column name as compared with the accepted names: NFKC, no spaces or underscores, lower case."""
    return unicodedata.normalize("NFKC", str(text)).strip().lower().replace(" ", "").replace("_", "")


def match_columns(columns: list[str] | tuple[str, ...], layer: str) -> dict[str, str]:
    """Canonical column -> the first of ``columns`` named like it: its canonical name first, then its aliases,
    compared by :func:`normalise_label`; each column is used once. Canonical columns without a match are absent.

    Parameters
    ----------
    columns : the file's attribute columns.
    layer : the layer's role (``communities``, ``facilities``, ...).

    Returns
    -------
    dict
        In the order of the layer's columns in the data contract.
    """
    available = {normalise_label(c): c for c in columns}
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for col in LAYER_COLUMNS[layer]:
        for candidate in (col.name, *col.aliases):
            hit = available.get(normalise_label(candidate))
            if hit is not None and hit not in used:
                mapping[col.name] = hit
                used.add(hit)
                break
    return mapping


def map_columns(frame: pd.DataFrame, layer: str, *, source: str) -> tuple[dict[str, str], list[Finding]]:
    """Find each canonical column among the frame's columns (canonical name first, then aliases).

    Returns
    -------
    mapping : canonical name -> column in the frame.
    findings : the mappings made.

    Raises
    ------
    LayerError
        When a required column is missing: names it and lists the accepted names.
    """
    columns = [c for c in frame.columns if c not in ("geometry", "_row")]
    mapping = match_columns(columns, layer)
    findings = [
        Finding(
            layer,
            source,
            None,
            "mapped",
            f"column {found!r} → {canon}",
            f"列「{found}」识别为标准字段 {canon}",
        )
        for canon, found in mapping.items()
        if found != canon
    ]
    missing = [c for c in LAYER_COLUMNS[layer] if c.required and c.name not in mapping]
    if missing:
        found_names = {normalise_label(c): c for c in columns}.values()
        parts = [
            message("err_column_accepted", column=c.name, names=", ".join((c.name, *c.aliases)))
            for c in missing
        ]
        said = parts[-1]
        for part in reversed(parts[:-1]):
            said = message("err_parts", first=part, rest=said)
        found: Message | str = ", ".join(map(str, found_names)) or message("err_columns_none")
        code = "err_missing_columns" if len(missing) > 1 else "err_missing_column"
        raise LayerError(message(code, layer=layer, source=source, columns=said, found=found))
    return mapping, findings


def convert_column(series: pd.Series, col: Column, log: Collector, rows: np.ndarray) -> np.ndarray:
    """The cells of one mapped column converted to the column's type (number, text, facility kinds, community kind,
    built state); what cannot be used is rejected in ``log``, what was interpreted is noted there."""
    label = f"{col.name} ({series.name})" if series.name != col.name else col.name
    label_zh = f"「{series.name}」列（{col.name}）" if series.name != col.name else f"{col.name} 列"
    if col.dtype == "number":
        return _convert_numbers(series, col, log, rows, label, label_zh)
    values = series.to_numpy(dtype=object)
    if col.dtype == "text":
        return np.array([None if blank(v) else str(v).strip() for v in values], dtype=object)
    if col.dtype in ("kind", "kinds"):
        return _convert_kinds(values, col, log, rows, label, label_zh)
    if col.dtype == "flag":
        return _convert_flags(values, log, rows, label, label_zh)
    table = COMMUNITY_KIND_ALIASES if col.dtype == "community_kind" else BUILT_ALIASES
    allowed = ("urban", "rural") if col.dtype == "community_kind" else ("new", "existing")
    default = allowed[0] if col.dtype == "community_kind" else "existing"
    out = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        if blank(v):
            out[i] = default
            log.add(
                "repaired",
                f"{label} is blank: taken as {default!r}",
                int(rows[i]),
                zh=f"{label_zh}为空：按「{_DEFAULT_ZH.get(default, default)}」处理",
            )
            continue
        key = str(v).strip()
        if key.lower() in allowed:
            out[i] = key.lower()
        elif key in table:
            out[i] = table[key]
        else:
            out[i] = None
            log.reject(
                i,
                int(rows[i]),
                f"{label} {key!r} is not one of {', '.join(allowed)} "
                f"(or {', '.join(k for k in table)}); correct the value",
                zh=f"{label_zh}的值「{key}」无法识别，应为 {'、'.join(k for k in table)} 之一；请更正该值",
            )
    return out


def _flag_key(v: object) -> str:
    """A yes/no cell as the key of :data:`~planning.schema.FLAG_ALIASES` (1.0 read from a spreadsheet is ``1``)."""
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    if isinstance(v, (int, float, np.integer, np.floating)) and float(v).is_integer():
        return str(int(v))
    return str(v).strip().lower()


def _convert_flags(
    values: np.ndarray, log: Collector, rows: np.ndarray, label: str, label_zh: str
) -> np.ndarray:
    """Yes/no cells as ``yes``/``no``; blank stays None (unknown). A value that is neither is left blank, with a
    note: the facility is still used for everything else."""
    out = np.full(len(values), None, dtype=object)
    for i, v in enumerate(values):
        if blank(v):
            continue
        key = _flag_key(v)
        if key in FLAG_ALIASES:
            out[i] = FLAG_ALIASES[key]
            continue
        log.add(
            "repaired",
            f"{label} {str(v).strip()!r} is not 是/否 (yes/no, 1/0): left blank; correct the value",
            int(rows[i]),
            zh=f"{label_zh}的值「{str(v).strip()}」不是 是/否（yes/no、1/0）：按空白处理；请更正该值",
        )
    return out


_DEFAULT_ZH = {"urban": "城市社区", "rural": "行政村", "existing": "已建成", "new": "新建"}
#: What one row of a layer is, for the plausibility messages.
_ONE = {
    "communities": ("one community", "单个社区/村"),
    "facilities": ("one facility", "单个设施"),
    "candidates": ("one candidate site", "单个候选地块"),
    "population": ("one population cell", "单个人口单元"),
}


def _convert_numbers(
    series: pd.Series, col: Column, log: Collector, rows: np.ndarray, label: str, label_zh: str = ""
) -> np.ndarray:
    label_zh = label_zh or f"{col.name} 列"
    values = _parse_numbers(series, log, rows, label, label_zh)
    _check_numbers(values, col, log, rows, label, label_zh)
    return values


def _parse_numbers(
    series: pd.Series, log: Collector, rows: np.ndarray, label: str, label_zh: str
) -> np.ndarray:
    """The column's numbers (NaN where blank or refused); cells written as text are read by
    :func:`parse_number_zh`, refusals rejected and readings noted."""
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        values = series.to_numpy(dtype=float, copy=True)
        for i in np.flatnonzero(
            np.isinf(values)
        ):  # float infinity in a GeoPackage/GeoJSON: refused, not a number
            _, _, error, _, error_zh = parse_number_zh(values[i])
            log.reject(int(i), int(rows[i]), f"{label}: {error}", zh=f"{label_zh}：{error_zh}")
            values[i] = np.nan
    else:
        text = series.astype("string").str.strip()
        values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
        todo = np.flatnonzero(
            np.isnan(values) & ~series.isna().to_numpy() & (text.fillna("") != "").to_numpy()
        )
        raw = series.to_numpy(dtype=object)
        for i in np.flatnonzero(np.isinf(values)):  # "inf", "Infinity", "1e999" that pandas reads as infinite
            log.reject(
                int(i),
                int(rows[i]),
                f"{label}: {str(raw[i])!r} is not a finite number; {NOT_FINITE_FIX}",
                zh=f"{label_zh}：「{raw[i]}」不是有效数值（无穷大或非数）；{NOT_FINITE_FIX_ZH}",
            )
            values[i] = np.nan
        for i in todo:  # only the cells that plain parsing could not read
            number, note, error, note_zh, error_zh = parse_number_zh(raw[i])
            if error:
                log.reject(int(i), int(rows[i]), f"{label}: {error}", zh=f"{label_zh}：{error_zh}")
            elif number is not None:
                values[i] = number
                if note:
                    log.add("repaired", f"{label}: {note}", int(rows[i]), zh=f"{label_zh}：{note_zh}")
    return values


def _check_numbers(
    values: np.ndarray, col: Column, log: Collector, rows: np.ndarray, label: str, label_zh: str
) -> None:
    """Reject numbers of the wrong sign, above the column's plausibility limit, or blank where required."""
    bad_sign = (
        (values <= 0) if col.positive else (values < 0) if col.nonnegative else np.zeros(len(values), bool)
    )
    for i in np.flatnonzero(bad_sign & ~np.isnan(values)):
        need = "greater than 0" if col.positive else "0 or more"
        need_zh = "大于 0" if col.positive else "不小于 0"
        log.reject(
            int(i),
            int(rows[i]),
            f"{label} is {values[i]:g}; it must be {need}",
            zh=f"{label_zh}为 {values[i]:g}，应{need_zh}；请更正该值",
        )
    if col.maximum is not None:
        what, what_zh = _ONE.get(log.layer, ("one row", "单行"))
        for i in np.flatnonzero(values > col.maximum):
            log.reject(
                int(i),
                int(rows[i]),
                f"{label} is {values[i]:g}, more than the {col.maximum:g} plausible for "
                f"{what} (a plausibility limit, not a standard); check the figure (a misplaced digit or a "
                "wrong unit?) and correct it",
                zh=f"{label_zh}为 {values[i]:g}，超过{what_zh}的合理上限 {col.maximum:g}（合理性上限，并非标准）；"
                "请核对该数（是否多写了位数或单位有误）并更正",
            )
    missing = np.isnan(values) & ~np.isin(np.arange(len(values)), list(log.reject_reasons))
    if col.required:
        for i in np.flatnonzero(missing):
            log.reject(
                int(i),
                int(rows[i]),
                f"{label} is blank; it is required: fill it in",
                zh=f"{label_zh}为空；此项必填，请填写",
            )


def _convert_kinds(
    values: np.ndarray, col: Column, log: Collector, rows: np.ndarray, label: str, label_zh: str = ""
) -> np.ndarray:
    allowed = ", ".join(f"{k} ({zh})" for k, zh in FACILITY_KINDS.items())
    allowed_zh = "、".join(FACILITY_KINDS.values())
    label_zh = label_zh or f"{col.name} 列"
    lookup = {
        **{normalise_label(k): k for k in FACILITY_KINDS},
        **{normalise_label(a): k for a, k in KIND_ALIASES.items()},
    }
    cache: dict[str, tuple[str | None, str | None]] = {}

    def one(text: str) -> tuple[str | None, str | None]:
        if text not in cache:
            key = normalise_label(text)
            kind = lookup.get(key)
            cache[text] = (kind, None) if kind else (None, text)
        return cache[text]

    out = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        if blank(v):
            if col.required:
                log.reject(
                    i,
                    int(rows[i]),
                    f"{label} is blank; give one of: {allowed}",
                    zh=f"{label_zh}为空；请填写设施类型：{allowed_zh}",
                )
            out[i] = None
            continue
        parts = (
            [p for p in re.split(r"[,，;；、/|]", str(v)) if p.strip()] if col.dtype == "kinds" else [str(v)]
        )
        kinds, unknown = [], []
        for p in parts:
            kind, bad = one(p.strip())
            (kinds.append(kind) if kind else unknown.append(bad))
        if unknown:
            log.reject(
                i,
                int(rows[i]),
                f"{label} {', '.join(map(repr, unknown))} is not a facility kind; use one of: {allowed}",
                zh=f"{label_zh}中的「{'、'.join(map(str, unknown))}」不是可识别的设施类型；请改为以下之一：{allowed_zh}",
            )
            out[i] = None
        else:
            out[i] = ",".join(dict.fromkeys(kinds)) if col.dtype == "kinds" else kinds[0]
    return out


def missing_default(col: Column, layer: str, log: Collector, n: int) -> np.ndarray:
    """The values of a column the file does not have (blank, or the contract's default, said in a note)."""
    if col.dtype == "number":
        return np.full(n, np.nan)
    if col.dtype == "community_kind":
        log.add(
            "note",
            "no kind column: every community taken as urban (add 类型 with 城市社区/行政村 to say otherwise)",
            zh="没有类型列：所有社区均按城市社区处理（如需区分，请增加「类型」列，填写城市社区/行政村）",
        )
        return np.full(n, "urban", dtype=object)
    if col.dtype == "built" and layer == "facilities":
        return np.full(
            n, "existing", dtype=object
        )  # no note: only the co-location rule reads it, and says so
    if col.dtype == "built":
        log.add(
            "note",
            "no built column: every community taken as existing (add 建设状态 with 新建/已建成)",
            zh="没有建设状态列：所有社区均按已建成处理（如需区分，请增加「建设状态」列，填写新建/已建成）",
        )
        return np.full(n, "existing", dtype=object)
    if col.dtype == "kinds":
        log.add(
            "note",
            "no kinds column: every candidate may host any facility kind",
            zh="没有适用类型列：每个候选地块均可建任何类型的设施",
        )
        return np.full(n, ",".join(FACILITY_KINDS), dtype=object)
    return np.full(n, None, dtype=object)


def blank(v: object) -> bool:
    """Whether a cell is empty (None, NaN, NA or white space)."""
    return (
        v is None
        or (isinstance(v, float) and np.isnan(v))
        or (isinstance(v, str) and not v.strip())
        or v is pd.NA
    )

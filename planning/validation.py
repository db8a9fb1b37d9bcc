"""Validation of study layers against the data contract: map columns, parse values, check rows and geometry.

Every decision becomes a :class:`Finding` (read, mapped, repaired, rejected, note). Rows that cannot be used are
rejected — kept, with the reason, in the result's ``rejected`` frame, never silently dropped; problems with a whole
layer (a required column missing) raise :class:`~geo.errors.LayerError` naming the accepted aliases.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.errors import LayerError
from planning.schema import (
    BUILT_ALIASES,
    COMMUNITY_KIND_ALIASES,
    DUPLICATE_TOLERANCE_DEG,
    DUPLICATE_TOLERANCE_M,
    FACILITY_KINDS,
    KIND_ALIASES,
    LAYER_COLUMNS,
    LAYER_GEOMETRY,
    Column,
)

ACTIONS = ("read", "mapped", "repaired", "rejected", "note")


@dataclass(frozen=True)
class Finding:
    """One thing the loader did or found.

    Attributes
    ----------
    layer : the layer's role (``communities``, ``facilities``, ...) or ``study``/``network``.
    source : the file as named in study.toml.
    row : 1-based data row in the file, or None for the whole layer.
    action : one of ``read``, ``mapped``, ``repaired``, ``rejected``, ``note``.
    message : one sentence.
    message_zh : the same sentence in Chinese, or "" where there is none yet (see :meth:`message_in`).
    """

    layer: str
    source: str
    row: int | None
    action: str
    message: str
    message_zh: str = ""

    def message_in(self, lang: str = "zh") -> str:
        """The message in ``lang``; English stands in where there is no Chinese one yet."""
        return self.message_zh if lang == "zh" and self.message_zh else self.message

    def text(self) -> str:
        """The finding as one printable line."""
        where = f"{self.layer} ({self.source})" + (f" row {self.row}" if self.row is not None else "")
        return f"{self.action:<9} {where}: {self.message}"

    def text_zh(self) -> str:
        """The finding as one printable line in Chinese: file, layer, row, what was done and the fix."""
        layer = LAYER_ZH.get(self.layer, self.layer) + ("" if self.layer in ("study", "network") else "图层")
        where = f"{self.source}（{layer}" + (f"，第 {self.row} 行）" if self.row is not None else "）")
        return f"{ACTIONS_ZH.get(self.action, self.action)} {where}：{self.message_in('zh')}"


#: Layer roles in Chinese, as the Data page names them.
LAYER_ZH = {
    "communities": "社区/村",
    "facilities": "养老服务设施",
    "candidates": "候选地块",
    "population": "老年人口分布",
    "study": "研究区",
    "network": "步行网络",
}
#: Actions in Chinese (as on the Data page).
ACTIONS_ZH = {
    "read": "读取",
    "mapped": "字段对应",
    "repaired": "已修复",
    "rejected": "已拒绝",
    "note": "说明",
}


@dataclass(frozen=True)
class ValidatedLayer:
    """A layer after validation.

    Attributes
    ----------
    frame : the accepted rows with canonical columns (plus any other columns the user gave, kept as they were),
        ``_row`` (1-based row in the file) and point or polygon geometry in the layer's CRS.
    rejected : rejected rows as given, with ``row`` and ``reason``.
    findings : what was read, mapped, repaired and rejected.
    """

    frame: gpd.GeoDataFrame
    rejected: pd.DataFrame
    findings: tuple[Finding, ...] = field(default=())


# --- numbers written as text --------------------------------------------------------------------------------------

_UNITS = (
    "平方米",
    "平米",
    "平方",
    "m2",
    "m^2",
    "sqm",
    "万元",
    "元",
    "张",
    "床",
    "人",
    "户",
    "个",
    "处",
    "间",
)
_APPROX_PREFIX = ("约", "大约", "近", "~", "≈", "about", "ca.")
_APPROX_SUFFIX = ("左右", "余", "多")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
#: Text that float() and pandas read as infinite or not-a-number: refused, never taken as a number or as blank.
_NOT_FINITE = re.compile(r"^[+-]?(nan|inf|infinity)$", re.IGNORECASE)
_NOT_FINITE_FIX = "give the figure, or leave the cell blank when it is unknown"
_NOT_FINITE_FIX_ZH = "请填写实际数值；如未知请留空"


def parse_number(value: object) -> tuple[float | None, str | None, str | None]:
    """Parse a number that may be written as text; see :func:`parse_number_zh` (the same, with Chinese messages).

    Returns
    -------
    (value, note, error) : ``value`` None when missing or refused; ``note`` says what was interpreted;
    ``error`` says why it was refused.
    """
    number, note, error, _, _ = parse_number_zh(value)
    return number, note, error


def parse_number_zh(value: object) -> tuple[float | None, str | None, str | None, str | None, str | None]:
    """Parse a number that may be written as text.

    Accepts plain numbers, thousands separators (``1,200``), units (``1200㎡``, ``1200平方米``, ``60张``), the 万
    multiplier (``1.2万``), full-width digits, and approximations (``约800``, ``800左右``), which are read as the
    number and flagged. Refuses ranges (``800-1000``), infinite and not-a-number values (``inf``, ``Infinity``,
    ``nan``, ``NaN`` written in the file, or a float infinity) and other text. A float NaN is a blank cell (that is
    how GeoPackage and GeoJSON nulls arrive).

    Returns
    -------
    (value, note, error, note_zh, error_zh) : ``value`` None when missing or refused; ``note`` says what was
    interpreted; ``error`` says why it was refused; ``note_zh`` and ``error_zh`` say the same in Chinese.
    """
    if value is None:
        return None, None, None, None, None
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        v = float(value)
        if np.isinf(v):
            return (
                None,
                None,
                f"{v} is not a finite number; {_NOT_FINITE_FIX}",
                None,
                f"{v} 不是有限的数；{_NOT_FINITE_FIX_ZH}",
            )
        return (None, None, None, None, None) if np.isnan(v) else (v, None, None, None, None)
    raw = str(value)
    text = unicodedata.normalize("NFKC", raw).strip().replace(" ", "")  # full-width digits, ㎡ -> m2
    if _NOT_FINITE.match(text):
        return (
            None,
            None,
            f"{raw!r} is not a finite number; {_NOT_FINITE_FIX}",
            None,
            f"「{raw}」不是有效数值（无穷大或非数）；{_NOT_FINITE_FIX_ZH}",
        )
    if text == "" or text.lower() in ("none", "null", "-", "—", "/", "无数据"):
        return None, None, None, None, None
    notes = []
    notes_zh = []
    approx = False
    for p in _APPROX_PREFIX:
        if text.lower().startswith(p):
            text, approx = text[len(p) :], True
    for s in _APPROX_SUFFIX:
        if text.endswith(s):
            text, approx = text[: -len(s)], True
    unit = ""
    for u in _UNITS:
        if text.lower().endswith(u):
            text, unit = text[: -len(u)], u
            break
    scale = 1.0
    if text.endswith("万"):
        text, scale = text[:-1], 10000.0
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
        notes.append("thousands separators removed")
        notes_zh.append("去掉千位分隔符")
    if not _PLAIN.match(text):
        if re.match(r"^[\d.,]+[-~–—至到][\d.,]+", text):
            return (
                None,
                None,
                f"{raw!r} is a range; give one number",
                None,
                f"「{raw}」是一个范围，请只填一个数",
            )
        return None, None, f"{raw!r} is not a number", None, f"「{raw}」不是数字，请填写数字"
    number = float(text) * scale
    if unit:
        notes.append(f"unit {unit!r} removed")
        notes_zh.append(f"去掉单位「{unit}」")
    if scale != 1.0:
        notes.append("万 read as ×10 000")
        notes_zh.append("「万」按 ×10000 换算")
    if approx:
        notes.append("approximate value taken as exact")
        notes_zh.append("约数按准确值计")
    if text != raw.strip() and not notes:
        notes.append("full-width characters normalised")
        notes_zh.append("全角字符已转为半角")
    note = f"{raw!r} read as {number:g} ({'; '.join(notes)})" if notes else None
    note_zh = f"「{raw}」读作 {number:g}（{'；'.join(notes_zh)}）" if notes else None
    return number, note, None, note_zh, None


def _normalise_label(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip().lower().replace(" ", "").replace("_", "")


# --- the layer validator ------------------------------------------------------------------------------------------


class _Collector:
    def __init__(self, layer: str, source: str):
        self.layer, self.source = layer, source
        self.items: list[Finding] = []
        self.reject_reasons: dict[int, list[str]] = {}  # frame position -> reasons

    def add(self, action: str, message: str, row: int | None = None, zh: str = "") -> None:
        self.items.append(Finding(self.layer, self.source, row, action, message, zh))

    def reject(self, pos: int, row: int, reason: str, zh: str = "") -> None:
        self.reject_reasons.setdefault(pos, []).append(reason)
        self.add("rejected", reason, row, zh)


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
    spec = LAYER_COLUMNS[layer]
    available = {(_normalise_label(c)): c for c in frame.columns if c not in ("geometry", "_row")}
    mapping: dict[str, str] = {}
    findings: list[Finding] = []
    used: set[str] = set()
    for col in spec:
        for candidate in (col.name, *col.aliases):
            key = _normalise_label(candidate)
            if key in available and available[key] not in used:
                mapping[col.name] = available[key]
                used.add(available[key])
                if available[key] != col.name:
                    findings.append(
                        Finding(
                            layer,
                            source,
                            None,
                            "mapped",
                            f"column {available[key]!r} → {col.name}",
                            f"列「{available[key]}」识别为标准字段 {col.name}",
                        )
                    )
                break
    missing = [c for c in spec if c.required and c.name not in mapping]
    if missing:
        parts = [f"{c.name} (accepted: {', '.join((c.name, *c.aliases))})" for c in missing]
        raise LayerError(
            f"{layer} layer {source!r} lacks the required column{'s' if len(missing) > 1 else ''} "
            f"{'; '.join(parts)}; columns found: {', '.join(map(str, available.values())) or '(none)'}; "
            "rename the column in the file"
        )
    return mapping, findings


def validate_layer(frame: gpd.GeoDataFrame, layer: str, *, source: str) -> ValidatedLayer:
    """Validate one layer of the study against the data contract.

    Parameters
    ----------
    frame : the layer as read (see :func:`geo.layers.read_layer`), with ``_row`` numbers.
    layer : ``communities``, ``facilities``, ``candidates`` or ``population``.
    source : the file as named in study.toml, for messages.
    """
    log = _Collector(layer, source)
    if "_row" not in frame:
        frame = frame.copy()
        frame["_row"] = np.arange(1, len(frame) + 1)
    mapping, findings = map_columns(frame, layer, source=source)
    log.items.extend(findings)
    rows = frame["_row"].to_numpy()
    out = gpd.GeoDataFrame({"_row": rows}, geometry=frame.geometry.to_numpy(), crs=frame.crs)
    for col in LAYER_COLUMNS[layer]:
        if col.name in mapping:
            out[col.name] = _convert(frame[mapping[col.name]], col, log, rows)
        else:
            out[col.name] = _missing_default(col, layer, log, len(frame))
    # keep whatever else the user gave, untouched
    others = [c for c in frame.columns if c not in mapping.values() and c not in ("geometry", "_row")]
    for c in others:
        name = c if c not in out.columns else f"{c}_orig"
        out[name] = frame[c].to_numpy()
    if others:
        log.add(
            "note",
            f"other columns kept as given: {', '.join(map(str, others))}",
            zh=f"其他列按原样保留：{'、'.join(map(str, others))}",
        )
    _check_geometry(out, layer, log)
    _check_rows(out, layer, log)
    _check_duplicates(out, layer, log)
    _fill_names(out, layer, log)
    bad = np.zeros(len(out), dtype=bool)
    positions = np.sort(np.fromiter(log.reject_reasons.keys(), dtype=np.int64, count=len(log.reject_reasons)))
    bad[positions] = True
    rejected = pd.DataFrame(frame.drop(columns="geometry").iloc[positions])
    if len(positions):
        rejected["geometry_wkt"] = shapely.to_wkt(frame.geometry.to_numpy()[positions], rounding_precision=7)
        rejected.insert(0, "row", rows[positions])
        rejected["reason"] = ["; ".join(log.reject_reasons[p]) for p in positions]
        rejected = rejected.drop(columns="_row", errors="ignore")
    else:
        rejected = pd.DataFrame(columns=["row", "reason"])
    accepted = out[~bad].reset_index(drop=True)
    log.add(
        "read",
        f"{len(frame)} rows read, {len(accepted)} accepted, {int(bad.sum())} rejected",
        zh=f"读取 {len(frame)} 行，接受 {len(accepted)} 行，拒绝 {int(bad.sum())} 行",
    )
    return ValidatedLayer(frame=accepted, rejected=rejected, findings=tuple(log.items))


def _convert(series: pd.Series, col: Column, log: _Collector, rows: np.ndarray) -> np.ndarray:
    label = f"{col.name} ({series.name})" if series.name != col.name else col.name
    label_zh = f"「{series.name}」列（{col.name}）" if series.name != col.name else f"{col.name} 列"
    if col.dtype == "number":
        return _convert_numbers(series, col, log, rows, label, label_zh)
    values = series.to_numpy(dtype=object)
    if col.dtype == "text":
        return np.array([None if _blank(v) else str(v).strip() for v in values], dtype=object)
    if col.dtype in ("kind", "kinds"):
        return _convert_kinds(values, col, log, rows, label, label_zh)
    table = COMMUNITY_KIND_ALIASES if col.dtype == "community_kind" else BUILT_ALIASES
    allowed = ("urban", "rural") if col.dtype == "community_kind" else ("new", "existing")
    default = allowed[0] if col.dtype == "community_kind" else "existing"
    out = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        if _blank(v):
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


_DEFAULT_ZH = {"urban": "城市社区", "rural": "行政村", "existing": "已建成", "new": "新建"}
#: What one row of a layer is, for the plausibility messages.
_ONE = {
    "communities": ("one community", "单个社区/村"),
    "facilities": ("one facility", "单个设施"),
    "candidates": ("one candidate site", "单个候选地块"),
    "population": ("one population cell", "单个人口单元"),
}


def _convert_numbers(
    series: pd.Series, col: Column, log: _Collector, rows: np.ndarray, label: str, label_zh: str = ""
) -> np.ndarray:
    label_zh = label_zh or f"{col.name} 列"
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
                f"{label}: {str(raw[i])!r} is not a finite number; {_NOT_FINITE_FIX}",
                zh=f"{label_zh}：「{raw[i]}」不是有效数值（无穷大或非数）；{_NOT_FINITE_FIX_ZH}",
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
    return values


def _convert_kinds(
    values: np.ndarray, col: Column, log: _Collector, rows: np.ndarray, label: str, label_zh: str = ""
) -> np.ndarray:
    allowed = ", ".join(f"{k} ({zh})" for k, zh in FACILITY_KINDS.items())
    allowed_zh = "、".join(FACILITY_KINDS.values())
    label_zh = label_zh or f"{col.name} 列"
    lookup = {
        **{_normalise_label(k): k for k in FACILITY_KINDS},
        **{_normalise_label(a): k for a, k in KIND_ALIASES.items()},
    }
    cache: dict[str, tuple[str | None, str | None]] = {}

    def one(text: str) -> tuple[str | None, str | None]:
        if text not in cache:
            key = _normalise_label(text)
            kind = lookup.get(key)
            cache[text] = (kind, None) if kind else (None, text)
        return cache[text]

    out = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        if _blank(v):
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


def _missing_default(col: Column, layer: str, log: _Collector, n: int) -> np.ndarray:
    if col.dtype == "number":
        return np.full(n, np.nan)
    if col.dtype == "community_kind":
        log.add(
            "note",
            "no kind column: every community taken as urban (add 类型 with 城市社区/行政村 to say otherwise)",
            zh="没有类型列：所有社区均按城市社区处理（如需区分，请增加「类型」列，填写城市社区/行政村）",
        )
        return np.full(n, "urban", dtype=object)
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


def _blank(v: object) -> bool:
    return (
        v is None
        or (isinstance(v, float) and np.isnan(v))
        or (isinstance(v, str) and not v.strip())
        or v is pd.NA
    )


def _check_geometry(out: gpd.GeoDataFrame, layer: str, log: _Collector) -> None:
    geoms = out.geometry.to_numpy()
    rows = out["_row"].to_numpy()
    want = LAYER_GEOMETRY[layer]
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    for i in np.flatnonzero(missing):
        log.reject(
            int(i),
            int(rows[i]),
            "geometry is empty; draw it or give coordinates",
            zh="没有几何图形（坐标为空）；请绘制图形或填写坐标",
        )
    types = np.array([g.geom_type if g is not None else "" for g in geoms], dtype=object)
    is_poly = np.isin(types, ["Polygon", "MultiPolygon"])
    is_point = types == "Point"
    valid = np.ones(len(geoms), dtype=bool)
    present = ~missing
    valid[present] = shapely.is_valid(geoms[present])
    if want == "polygon":
        wrong = present & ~is_poly
        if wrong.any() and wrong.sum() == present.sum():
            found = ", ".join(sorted(set(types[wrong])))
            raise LayerError(
                f"{layer} layer {log.source!r} holds {found} geometries; {layer} must be polygons "
                "(their boundaries): export the polygon layer instead"
            )
        for i in np.flatnonzero(wrong):
            log.reject(
                int(i),
                int(rows[i]),
                f"geometry is a {types[i]}; {layer} must be polygons",
                zh=f"几何类型为 {types[i]}；{LAYER_ZH.get(layer, layer)}图层必须是面（边界多边形），请重新导出",
            )
        fix = present & is_poly & ~valid
        if fix.any():
            reasons = shapely.is_valid_reason(geoms[fix])
            repaired = shapely.make_valid(geoms[fix])
            repaired = np.array([_polygonal_part(g) for g in repaired], dtype=object)
            for j, i in enumerate(np.flatnonzero(fix)):
                if repaired[j] is None or repaired[j].is_empty:
                    log.reject(
                        int(i),
                        int(rows[i]),
                        f"invalid polygon ({reasons[j]}) cannot be repaired; redraw it",
                        zh=f"多边形无效（{reasons[j]}），无法自动修复；请重新绘制",
                    )
                else:
                    log.add(
                        "repaired",
                        f"invalid polygon ({reasons[j]}) repaired with make_valid; area now "
                        f"{repaired[j].area:.6g} in layer units",
                        int(rows[i]),
                        zh=f"无效多边形（{reasons[j]}）已自动修复；修复后面积为 {repaired[j].area:.6g}（图层单位）",
                    )
            geoms = geoms.copy()
            geoms[fix] = repaired
    else:
        lines = present & ~is_poly & ~is_point
        for i in np.flatnonzero(lines):
            if types[i] == "MultiPoint" and len(geoms[i].geoms) == 1:
                continue
            log.reject(
                int(i),
                int(rows[i]),
                f"geometry is a {types[i]}; {layer} must be points (or polygons)",
                zh=f"几何类型为 {types[i]}；{LAYER_ZH.get(layer, layer)}图层必须是点（或面），请重新导出",
            )
        single_mp = present & (types == "MultiPoint")
        to_point = (present & is_poly) | single_mp
        if to_point.any():
            geoms = geoms.copy()
            geoms[to_point] = shapely.point_on_surface(shapely.make_valid(geoms[to_point]))
            log.add(
                "repaired",
                f"{int(to_point.sum())} polygon/multi-point geometries replaced by a point inside each "
                f"(rows {_row_list(rows[to_point])})",
                zh=f"{int(to_point.sum())} 个面/多点图形已替换为其内部的一个点（第 {_row_list_zh(rows[to_point])} 行）",
            )
    out.set_geometry(gpd.GeoSeries(geoms, crs=out.crs, index=out.index), inplace=True)


def _polygonal_part(geom: shapely.Geometry) -> shapely.Geometry | None:
    if geom is None:
        return None
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    if geom.geom_type == "GeometryCollection":
        polys = [g for g in geom.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
        return shapely.union_all(polys) if polys else None
    return None


def _check_rows(out: gpd.GeoDataFrame, layer: str, log: _Collector) -> None:
    rows = out["_row"].to_numpy()
    if layer == "communities":
        pop, eld = out["population"].to_numpy(float), out["elderly"].to_numpy(float)
        for i in np.flatnonzero(eld > pop):
            log.reject(
                int(i),
                int(rows[i]),
                f"elderly {eld[i]:g} is greater than population {pop[i]:g}; "
                "check both figures (elderly counts residents aged 60 and over)",
                zh=f"老年人口 {eld[i]:g} 大于常住人口 {pop[i]:g}；请核对这两个数（老年人口指 60 岁及以上常住人口）",
            )
        e80 = out["elderly_80"].to_numpy(float)
        for i in np.flatnonzero(e80 > eld):
            log.reject(
                int(i),
                int(rows[i]),
                f"elderly_80 {e80[i]:g} is greater than elderly {eld[i]:g}; the 80+ are part of the 60+",
                zh=f"80 岁及以上人口 {e80[i]:g} 大于老年人口 {eld[i]:g}；80 岁以上老人包含在 60 岁以上老人中，请核对",
            )
        names = out["name"].to_numpy(object)
        streets = out["street"].to_numpy(object)
        for i in np.flatnonzero(pd.isna(names)):
            log.reject(
                int(i),
                int(rows[i]),
                "community name is blank; every community needs a name",
                zh="社区名称为空；每个社区/村都需要名称，请填写",
            )
        seen: dict[tuple[str, str], int] = {}
        for pos, (n, s) in enumerate(zip(names, streets, strict=False)):
            if n is None:
                continue
            key = (str(s or ""), str(n))
            if key in seen:
                log.reject(
                    pos,
                    int(rows[pos]),
                    f"community {n!r} in street {s or '(none)'!r} duplicates row {seen[key]}; "
                    "rename one (e.g. add 一/二) or merge the two rows",
                    zh=f"{s or '（无街道）'}的社区「{n}」与第 {seen[key]} 行重复；请改名（如加「一」「二」）或合并两行",
                )
            else:
                seen[key] = int(rows[pos])
        no_street = pd.isna(streets)
        if no_street.any():
            log.add(
                "note",
                f"{int(no_street.sum())} communities have no street (rows {_row_list(rows[no_street])}); "
                "per-street checks cannot count them until 街道 is filled in",
                zh=f"{int(no_street.sum())} 个社区没有所属街道（第 {_row_list_zh(rows[no_street])} 行）；"
                "填写「街道」后才能计入按街道的核查",
            )
    if layer == "facilities":
        for col in ("nursing_beds", "dementia_beds"):
            beds, part = out["beds"].to_numpy(float), out[col].to_numpy(float)
            for i in np.flatnonzero(part > beds):
                log.reject(
                    int(i),
                    int(rows[i]),
                    f"{col} {part[i]:g} is greater than beds {beds[i]:g}; check both",
                    zh=f"{_BEDS_ZH[col]} {part[i]:g} 大于总床位数 {beds[i]:g}；请核对这两个数",
                )
        no_area = np.isnan(out["floor_area_m2"].to_numpy(float)) & np.isnan(
            out["land_area_m2"].to_numpy(float)
        )
        if no_area.any():
            log.add(
                "note",
                f"{int(no_area.sum())} facilities have neither floor nor land area (rows "
                f"{_row_list(rows[no_area])}); land and size checks will list them as not assessable",
                zh=f"{int(no_area.sum())} 处设施既无建筑面积也无用地面积（第 {_row_list_zh(rows[no_area])} 行）；"
                "用地与规模核查将列为无法评估，请补充面积",
            )
    if layer == "population":
        pop = out["population"].to_numpy(float)
        eld = out["elderly"].to_numpy(float)
        for i in np.flatnonzero(eld > pop):
            log.reject(
                int(i),
                int(rows[i]),
                f"elderly {eld[i]:g} is greater than population {pop[i]:g}",
                zh=f"老年人口 {eld[i]:g} 大于人口 {pop[i]:g}；请核对这两个数",
            )


def _check_duplicates(out: gpd.GeoDataFrame, layer: str, log: _Collector) -> None:
    """Reject exact duplicates: facilities with the same name, kind and point (candidates: name, kinds and point)
    within :data:`~planning.schema.DUPLICATE_TOLERANCE_M` of a row kept before them; the first is kept, so the
    facility is counted once. Rows already rejected are neither kept nor compared."""
    if layer not in ("facilities", "candidates") or not len(out):
        return
    kind_col = "kind" if layer == "facilities" else "kinds"
    tol = DUPLICATE_TOLERANCE_DEG if out.crs is not None and out.crs.is_geographic else DUPLICATE_TOLERANCE_M
    rows = out["_row"].to_numpy()
    names, kinds = out["name"].to_numpy(object), out[kind_col].to_numpy(object)
    geoms = out.geometry.to_numpy()
    xy = np.full((len(out), 2), np.nan)
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    xy[present] = shapely.get_coordinates(shapely.point_on_surface(geoms[present]))
    kept: dict[tuple[str, str], list[int]] = {}
    noun, noun_zh = ("facility", "设施") if layer == "facilities" else ("candidate site", "候选地块")
    for i in range(len(out)):
        if i in log.reject_reasons or not present[i] or kinds[i] is None:
            continue
        kind = str(kinds[i]) if layer == "facilities" else ",".join(sorted(str(kinds[i]).split(",")))
        key = ("" if _blank(names[i]) else str(names[i]).strip(), kind)
        same = kept.setdefault(key, [])
        first = next((j for j in same if np.hypot(*(xy[i] - xy[j])) <= tol), None)
        if first is None:
            same.append(i)
            continue
        shown = key[0] or "(no name)"
        log.reject(
            i,
            int(rows[i]),
            f"duplicates row {int(rows[first])} (same name {shown!r}, {kind_col} {key[1]} and "
            f"location): the {noun} is counted once; delete this row, or correct its name, kind or location "
            f"if it is another {noun}",
            zh=f"与第 {int(rows[first])} 行重复（名称「{key[0] or '（无名称）'}」、类型和位置均相同），该{noun_zh}只计一次；"
            f"请删除此行，如确为另一{noun_zh}，请更正其名称、类型或位置",
        )


def _fill_names(out: gpd.GeoDataFrame, layer: str, log: _Collector) -> None:
    if layer not in ("facilities", "candidates"):
        return
    names = out["name"].to_numpy(object)
    blank = pd.isna(names)
    if blank.any():
        rows = out["_row"].to_numpy()
        prefix = "facility" if layer == "facilities" else "candidate"
        names = names.copy()
        names[blank] = [f"{prefix} row {r}" for r in rows[blank]]
        out["name"] = names
        log.add(
            "repaired",
            f"{int(blank.sum())} blank names filled as '{prefix} row N' (rows {_row_list(rows[blank])})",
            zh=f"{int(blank.sum())} 个空白名称已填为「{prefix} row 行号」（第 {_row_list_zh(rows[blank])} 行）；"
            "请在文件中补充名称",
        )


def _row_list(rows: np.ndarray, limit: int = 12) -> str:
    numbers = [int(r) for r in rows]
    text = ", ".join(map(str, numbers[:limit]))
    return text + (f" and {len(numbers) - limit} more" if len(numbers) > limit else "")


_BEDS_ZH = {"nursing_beds": "护理型床位数", "dementia_beds": "认知障碍床位数"}


def _row_list_zh(rows: np.ndarray, limit: int = 12) -> str:
    numbers = [int(r) for r in rows]
    text = "、".join(map(str, numbers[:limit]))
    return text + (f" 等（另有 {len(numbers) - limit} 行）" if len(numbers) > limit else "")


# --- Chinese for the reader's notes and the loader's own findings ---------------------------------------------------

_NOTE_ZH: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"^coordinates from columns '(.+)' \(longitude\) and '(.+)' \(latitude\)$"),
        "坐标取自「{0}」列（经度）和「{1}」列（纬度）",
    ),
    (re.compile(r"^geometry from the WKT column '(.+)'$"), "几何图形取自 WKT 列「{0}」"),
    (
        re.compile(
            r"^coordinates taken as longitude/latitude in degrees \(EPSG:4326; see coords for GCJ-02/BD-09\)$"
        ),
        "坐标按经纬度（度，EPSG:4326）读取；如为高德 GCJ-02 或百度 BD-09 坐标，请在 study.toml 中设置 coords",
    ),
    (
        re.compile(r"^no CRS in the file: used (.+) as study.toml states$"),
        "文件中没有坐标系：按 study.toml 的设置使用 {0}",
    ),
    (
        re.compile(r"^missing or non-numeric coordinates in '(.+)'/'(.+)'$"),
        "「{0}」/「{1}」列的坐标缺失或不是数字；请补充该行的经纬度，否则该行不参与分析",
    ),
    (re.compile(r"^unreadable WKT in column '(.+)'$"), "「{0}」列的 WKT 无法读取；请更正该行的几何图形"),
    (
        re.compile(r"^coordinates converted from (\S+) to WGS84 as study.toml states$"),
        "已按 study.toml 的设置将坐标由 {0} 转换为 WGS84",
    ),
    (
        re.compile(r"^coords = (\S+) ignored: the layer is in the projected CRS (.+)$"),
        "coords = {0} 未采用：该图层为投影坐标系 {1}",
    ),
    (
        re.compile(r"^attributes read as GB18030/GBK \(they are not valid UTF-8 as the file claims\)$"),
        "属性按 GB18030/GBK 编码读取（文件声明为 UTF-8，但内容不是有效的 UTF-8）",
    ),
    (
        re.compile(r"^attributes read as UTF-8 \(no \.cpg file; the bytes are valid UTF-8\)$"),
        "属性按 UTF-8 编码读取（没有 .cpg 文件，内容是有效的 UTF-8）",
    ),
    (
        re.compile(
            r"^attributes read as GB18030/GBK \(no \.cpg file and the bytes are not UTF-8, as in most Chinese GIS "
            r"exports\); add a \.cpg file to say otherwise$"
        ),
        "属性按 GB18030/GBK 编码读取（没有 .cpg 文件且内容不是 UTF-8，国内 GIS 导出多为此编码）；如编码不同，请添加 .cpg 文件说明",
    ),
    (
        re.compile(r"^read as GB18030/GBK \(the bytes are not UTF-8, as in Excel exports in China\)$"),
        "按 GB18030/GBK 编码读取（文件不是 UTF-8，常见于国内 Excel 导出的 CSV）",
    ),
)


_CACHE_LINE = re.compile(
    r"^the cached (network|expressway roads) (\S+) in (.+) was (.+); (removed it and parsed the "
    r"file again|parsed the file again \(the entry could not be removed\))$"
)
_CACHE_WHAT_ZH = {"network": "步行网络", "expressway roads": "快速路"}
_CACHE_REASON_ZH: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^damaged \(checksum mismatch\)$"), "已损坏（校验和不符）"),
    (re.compile(r"^damaged \(empty file\)$"), "已损坏（空文件）"),
    (
        re.compile(r"^damaged \(truncated: (\d+) of (\d+) bytes\)$"),
        "已损坏（文件不完整：只有 {1} 字节中的 {0} 字节）",
    ),
    (re.compile(r"^damaged \(no valid header\)$"), "已损坏（文件头无效）"),
    (
        re.compile(r"^from an older version of eldercircle \(cache version (\d+), now (\d+)\)$"),
        "由旧版 eldercircle 写入（缓存版本 {0}，当前为 {1}）",
    ),
    (
        re.compile(r"^from another version of eldercircle \(cache version (\d+), now (\d+)\)$"),
        "由其他版本的 eldercircle 写入（缓存版本 {0}，当前为 {1}）",
    ),
    (re.compile(r"^damaged \((.+)\)$"), "已损坏（{0}）"),
    (re.compile(r"^unreadable \((.+)\)$"), "无法读取（{0}）"),
)
_CACHE_UNWRITABLE = re.compile(
    r"^the network cache (.+) could not be written \((.+)\); the file is parsed again "
    r"next time$"
)


def _cache_note_zh(message: str) -> str:
    """Chinese for the lines of the network cache (geo/cache.py): a damaged or older entry rebuilt, an unwritable
    cache folder; "" for other messages."""
    m = _CACHE_LINE.match(message)
    if m:
        what, name, folder, reason, done = m.groups()
        why = next((t.format(*r.groups()) for p, t in _CACHE_REASON_ZH if (r := p.match(reason))), reason)
        done_zh = (
            "已删除并重新解析源文件"
            if done.startswith("removed")
            else "已重新解析源文件（该缓存文件无法删除）"
        )
        return f"缓存的{_CACHE_WHAT_ZH[what]} {name}（位于 {folder}）{why}；{done_zh}"
    m = _CACHE_UNWRITABLE.match(message)
    if m:
        return f"步行网络缓存 {m.group(1)} 无法写入（{m.group(2)}）；下次仍将重新解析源文件"
    return ""


def note_zh(message: str) -> str:
    """Chinese for a message of the layer reader or the study loader (geo/layers.py, planning/study.py), or a line
    of the network cache (geo/cache.py), that has a known form; "" when there is none yet (the English then stands
    in)."""
    cache = _cache_note_zh(str(message))
    if cache:
        return cache
    for pattern, template in _NOTE_ZH:
        m = pattern.match(str(message))
        if m:
            return template.format(*m.groups())
    return ""


def rejected_lines(
    rejected: dict[str, pd.DataFrame],
    sources: dict[str, str],
    *,
    lang: str = "zh",
    limit: int = 10,
    study_ref: str = "STUDY",
    findings: tuple[Finding, ...] = (),
) -> list[str]:
    """What validation rejected, for every analysis command and page to state: one line per layer.

    Each line names the layer, its file, how many rows were rejected and the first ``limit`` of them (row number,
    name where there is one, reason); where more were rejected it says where the rest are listed
    (``eldercircle validate``, the Data page). Rejected rows are left out of every analysis, so no figure may be
    shown without this line beside it.

    Parameters
    ----------
    rejected : layer -> rejected rows with ``row`` and ``reason`` (``Study.rejected``).
    sources : layer -> its file as named in study.toml (``Study.layer_sources``).
    lang : ``zh`` or ``en``.
    limit : rows named per layer.
    study_ref : how to name the study in the ``validate`` command shown for the rest.
    findings : the loader's findings (``Study.findings``): their Chinese wording of each rejection is used in zh.

    Returns
    -------
    list of str
        Empty when nothing was rejected.
    """
    lines: list[str] = []
    for layer, frame in rejected.items():
        if frame is None or not len(frame):
            continue
        source = sources.get(layer, layer)
        name_col = _name_column(frame, layer)
        names = frame[name_col] if name_col else pd.Series([None] * len(frame), index=frame.index)
        reasons = frame["reason"]
        if lang == "zh":
            zh = {
                f.row: f.message_zh
                for f in findings
                if f.layer == layer and f.action == "rejected" and f.message_zh and f.row is not None
            }
            reasons = pd.Series(
                [zh.get(int(r), str(e)) for r, e in zip(frame["row"], frame["reason"], strict=False)],
                index=frame.index,
            )
        items = []
        for row, name, reason in sorted(
            zip(frame["row"], names, reasons, strict=False), key=lambda item: int(item[0])
        )[:limit]:
            label = (
                "" if _blank(name) else f" {str(name)[:40]!r}" if lang != "zh" else f"「{str(name)[:40]}」"
            )
            if lang == "zh":
                items.append(f"第 {int(row)} 行{label}（{str(reason)[:120]}）")
            else:
                items.append(f"row {int(row)}{label} ({str(reason)[:120]})")
        rest = len(frame) - len(items)
        if lang == "zh":
            line = (
                f"{LAYER_ZH.get(layer, layer)}图层（{source}）有 {len(frame)} 行被拒绝，未计入任何分析："
                + "；".join(items)
            )
            if rest > 0:
                line += f"；其余 {rest} 行见 `eldercircle validate {study_ref} --max-rows 0` 或“数据”页"
        else:
            line = (
                f"{layer} layer ({source}): {len(frame)} rows rejected and left out of every analysis: "
                + "; ".join(items)
            )
            if rest > 0:
                line += f"; the other {rest} are listed by `eldercircle validate {study_ref} --max-rows 0` and on the Data page"
        lines.append(line)
    return lines


def _name_column(frame: pd.DataFrame, layer: str) -> str | None:
    """The column of a rejected frame (rows as given) that holds the row's name: canonical or an accepted alias."""
    spec = {c.name: c for c in LAYER_COLUMNS.get(layer, ())}
    if "name" not in spec:
        return None
    wanted = {_normalise_label(n) for n in ("name", *spec["name"].aliases)}
    return next((c for c in frame.columns if _normalise_label(c) in wanted), None)

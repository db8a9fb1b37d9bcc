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
    """

    layer: str
    source: str
    row: int | None
    action: str
    message: str

    def text(self) -> str:
        """The finding as one printable line."""
        where = f"{self.layer} ({self.source})" + (f" row {self.row}" if self.row is not None else "")
        return f"{self.action:<9} {where}: {self.message}"


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

_UNITS = ("平方米", "平米", "平方", "m2", "m^2", "sqm", "万元", "元", "张", "床", "人", "户", "个", "处", "间")
_APPROX_PREFIX = ("约", "大约", "近", "~", "≈", "about", "ca.")
_APPROX_SUFFIX = ("左右", "余", "多")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def parse_number(value: object) -> tuple[float | None, str | None, str | None]:
    """Parse a number that may be written as text.

    Accepts plain numbers, thousands separators (``1,200``), units (``1200㎡``, ``1200平方米``, ``60张``), the 万
    multiplier (``1.2万``), full-width digits, and approximations (``约800``, ``800左右``), which are read as the
    number and flagged. Refuses ranges (``800-1000``) and other text.

    Returns
    -------
    (value, note, error) : ``value`` None when missing or refused; ``note`` says what was interpreted;
    ``error`` says why it was refused.
    """
    if value is None:
        return None, None, None
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        v = float(value)
        return (None, None, None) if np.isnan(v) else (v, None, None)
    raw = str(value)
    text = unicodedata.normalize("NFKC", raw).strip().replace(" ", "")  # full-width digits, ㎡ -> m2
    if text == "" or text.lower() in ("nan", "none", "null", "-", "—", "/", "无数据"):
        return None, None, None
    notes = []
    approx = False
    for p in _APPROX_PREFIX:
        if text.lower().startswith(p):
            text, approx = text[len(p):], True
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
    if not _PLAIN.match(text):
        if re.match(r"^[\d.,]+[-~–—至到][\d.,]+", text):
            return None, None, f"{raw!r} is a range; give one number"
        return None, None, f"{raw!r} is not a number"
    number = float(text) * scale
    if unit:
        notes.append(f"unit {unit!r} removed")
    if scale != 1.0:
        notes.append("万 read as ×10 000")
    if approx:
        notes.append("approximate value taken as exact")
    if text != raw.strip() and not notes:
        notes.append("full-width characters normalised")
    note = f"{raw!r} read as {number:g} ({'; '.join(notes)})" if notes else None
    return number, note, None


def _normalise_label(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip().lower().replace(" ", "").replace("_", "")


# --- the layer validator ------------------------------------------------------------------------------------------

class _Collector:
    def __init__(self, layer: str, source: str):
        self.layer, self.source = layer, source
        self.items: list[Finding] = []
        self.reject_reasons: dict[int, list[str]] = {}  # frame position -> reasons

    def add(self, action: str, message: str, row: int | None = None) -> None:
        self.items.append(Finding(self.layer, self.source, row, action, message))

    def reject(self, pos: int, row: int, reason: str) -> None:
        self.reject_reasons.setdefault(pos, []).append(reason)
        self.add("rejected", reason, row)


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
                    findings.append(Finding(layer, source, None, "mapped", f"column {available[key]!r} → {col.name}"))
                break
    missing = [c for c in spec if c.required and c.name not in mapping]
    if missing:
        parts = [f"{c.name} (accepted: {', '.join((c.name,) + c.aliases)})" for c in missing]
        raise LayerError(f"{layer} layer {source!r} lacks the required column{'s' if len(missing) > 1 else ''} "
                         f"{'; '.join(parts)}; columns found: {', '.join(map(str, available.values())) or '(none)'}; "
                         "rename the column in the file")
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
        log.add("note", f"other columns kept as given: {', '.join(map(str, others))}")
    _check_geometry(out, layer, log)
    _check_rows(out, layer, log)
    _fill_names(out, layer, log)
    bad = np.zeros(len(out), dtype=bool)
    positions = np.fromiter(log.reject_reasons.keys(), dtype=np.int64, count=len(log.reject_reasons))
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
    log.add("read", f"{len(frame)} rows read, {len(accepted)} accepted, {int(bad.sum())} rejected")
    return ValidatedLayer(frame=accepted, rejected=rejected, findings=tuple(log.items))


def _convert(series: pd.Series, col: Column, log: _Collector, rows: np.ndarray) -> np.ndarray:
    label = f"{col.name} ({series.name})" if series.name != col.name else col.name
    if col.dtype == "number":
        return _convert_numbers(series, col, log, rows, label)
    values = series.to_numpy(dtype=object)
    if col.dtype == "text":
        return np.array([None if _blank(v) else str(v).strip() for v in values], dtype=object)
    if col.dtype in ("kind", "kinds"):
        return _convert_kinds(values, col, log, rows, label)
    table = COMMUNITY_KIND_ALIASES if col.dtype == "community_kind" else BUILT_ALIASES
    allowed = ("urban", "rural") if col.dtype == "community_kind" else ("new", "existing")
    default = allowed[0] if col.dtype == "community_kind" else "existing"
    out = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        if _blank(v):
            out[i] = default
            log.add("repaired", f"{label} is blank: taken as {default!r}", int(rows[i]))
            continue
        key = str(v).strip()
        if key.lower() in allowed:
            out[i] = key.lower()
        elif key in table:
            out[i] = table[key]
        else:
            out[i] = None
            log.reject(i, int(rows[i]), f"{label} {key!r} is not one of {', '.join(allowed)} "
                       f"(or {', '.join(k for k in table)}); correct the value")
    return out


def _convert_numbers(series: pd.Series, col: Column, log: _Collector, rows: np.ndarray, label: str) -> np.ndarray:
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        values = series.to_numpy(dtype=float)
    else:
        text = series.astype("string").str.strip()
        values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
        todo = np.flatnonzero(np.isnan(values) & ~series.isna().to_numpy() & (text.fillna("") != "").to_numpy())
        raw = series.to_numpy(dtype=object)
        for i in todo:  # only the cells that plain parsing could not read
            number, note, error = parse_number(raw[i])
            if error:
                log.reject(int(i), int(rows[i]), f"{label}: {error}")
            elif number is not None:
                values[i] = number
                if note:
                    log.add("repaired", f"{label}: {note}", int(rows[i]))
    bad_sign = (values <= 0) if col.positive else (values < 0) if col.nonnegative else np.zeros(len(values), bool)
    for i in np.flatnonzero(bad_sign & ~np.isnan(values)):
        need = "greater than 0" if col.positive else "0 or more"
        log.reject(int(i), int(rows[i]), f"{label} is {values[i]:g}; it must be {need}")
    missing = np.isnan(values) & ~np.isin(np.arange(len(values)), list(log.reject_reasons))
    if col.required:
        for i in np.flatnonzero(missing):
            log.reject(int(i), int(rows[i]), f"{label} is blank; it is required: fill it in")
    return values


def _convert_kinds(values: np.ndarray, col: Column, log: _Collector, rows: np.ndarray, label: str) -> np.ndarray:
    allowed = ", ".join(f"{k} ({zh})" for k, zh in FACILITY_KINDS.items())
    lookup = {**{_normalise_label(k): k for k in FACILITY_KINDS},
              **{_normalise_label(a): k for a, k in KIND_ALIASES.items()}}
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
                log.reject(i, int(rows[i]), f"{label} is blank; give one of: {allowed}")
            out[i] = None
            continue
        parts = [p for p in re.split(r"[,，;；、/|]", str(v)) if p.strip()] if col.dtype == "kinds" else [str(v)]
        kinds, unknown = [], []
        for p in parts:
            kind, bad = one(p.strip())
            (kinds.append(kind) if kind else unknown.append(bad))
        if unknown:
            log.reject(i, int(rows[i]), f"{label} {', '.join(map(repr, unknown))} is not a facility kind; use one of: "
                       f"{allowed}")
            out[i] = None
        else:
            out[i] = ",".join(dict.fromkeys(kinds)) if col.dtype == "kinds" else kinds[0]
    return out


def _missing_default(col: Column, layer: str, log: _Collector, n: int) -> np.ndarray:
    if col.dtype == "number":
        return np.full(n, np.nan)
    if col.dtype == "community_kind":
        log.add("note", "no kind column: every community taken as urban (add 类型 with 城市社区/行政村 to say otherwise)")
        return np.full(n, "urban", dtype=object)
    if col.dtype == "built":
        log.add("note", "no built column: every community taken as existing (add 建设状态 with 新建/已建成)")
        return np.full(n, "existing", dtype=object)
    if col.dtype == "kinds":
        log.add("note", "no kinds column: every candidate may host any facility kind")
        return np.full(n, ",".join(FACILITY_KINDS), dtype=object)
    return np.full(n, None, dtype=object)


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, float) and np.isnan(v)) or (isinstance(v, str) and not v.strip()) or v is pd.NA


def _check_geometry(out: gpd.GeoDataFrame, layer: str, log: _Collector) -> None:
    geoms = out.geometry.to_numpy()
    rows = out["_row"].to_numpy()
    want = LAYER_GEOMETRY[layer]
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    for i in np.flatnonzero(missing):
        log.reject(int(i), int(rows[i]), "geometry is empty; draw it or give coordinates")
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
            raise LayerError(f"{layer} layer {log.source!r} holds {found} geometries; {layer} must be polygons "
                             "(their boundaries): export the polygon layer instead")
        for i in np.flatnonzero(wrong):
            log.reject(int(i), int(rows[i]), f"geometry is a {types[i]}; {layer} must be polygons")
        fix = present & is_poly & ~valid
        if fix.any():
            reasons = shapely.is_valid_reason(geoms[fix])
            repaired = shapely.make_valid(geoms[fix])
            repaired = np.array([_polygonal_part(g) for g in repaired], dtype=object)
            for j, i in enumerate(np.flatnonzero(fix)):
                if repaired[j] is None or repaired[j].is_empty:
                    log.reject(int(i), int(rows[i]), f"invalid polygon ({reasons[j]}) cannot be repaired; redraw it")
                else:
                    log.add("repaired", f"invalid polygon ({reasons[j]}) repaired with make_valid; area now "
                            f"{repaired[j].area:.6g} in layer units", int(rows[i]))
            geoms = geoms.copy()
            geoms[fix] = repaired
    else:
        lines = present & ~is_poly & ~is_point
        for i in np.flatnonzero(lines):
            if types[i] == "MultiPoint" and len(geoms[i].geoms) == 1:
                continue
            log.reject(int(i), int(rows[i]), f"geometry is a {types[i]}; {layer} must be points (or polygons)")
        single_mp = present & (types == "MultiPoint")
        to_point = (present & is_poly) | single_mp
        if to_point.any():
            geoms = geoms.copy()
            geoms[to_point] = shapely.point_on_surface(shapely.make_valid(geoms[to_point]))
            log.add("repaired", f"{int(to_point.sum())} polygon/multi-point geometries replaced by a point inside each "
                    f"(rows {_row_list(rows[to_point])})")
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
            log.reject(int(i), int(rows[i]), f"elderly {eld[i]:g} is greater than population {pop[i]:g}; "
                       "check both figures (elderly counts residents aged 60 and over)")
        e80 = out["elderly_80"].to_numpy(float)
        for i in np.flatnonzero(e80 > eld):
            log.reject(int(i), int(rows[i]), f"elderly_80 {e80[i]:g} is greater than elderly {eld[i]:g}; "
                       "the 80+ are part of the 60+")
        names = out["name"].to_numpy(object)
        streets = out["street"].to_numpy(object)
        for i in np.flatnonzero(pd.isna(names)):
            log.reject(int(i), int(rows[i]), "community name is blank; every community needs a name")
        seen: dict[tuple[str, str], int] = {}
        for i, (n, s) in enumerate(zip(names, streets)):
            if n is None:
                continue
            key = (str(s or ""), str(n))
            if key in seen:
                log.reject(i, int(rows[i]), f"community {n!r} in street {s or '(none)'!r} duplicates row {seen[key]}; "
                           "rename one (e.g. add 一/二) or merge the two rows")
            else:
                seen[key] = int(rows[i])
        no_street = pd.isna(streets)
        if no_street.any():
            log.add("note", f"{int(no_street.sum())} communities have no street (rows {_row_list(rows[no_street])}); "
                    "per-street checks cannot count them until 街道 is filled in")
    if layer == "facilities":
        for col in ("nursing_beds", "dementia_beds"):
            beds, part = out["beds"].to_numpy(float), out[col].to_numpy(float)
            for i in np.flatnonzero(part > beds):
                log.reject(int(i), int(rows[i]), f"{col} {part[i]:g} is greater than beds {beds[i]:g}; check both")
        no_area = np.isnan(out["floor_area_m2"].to_numpy(float)) & np.isnan(out["land_area_m2"].to_numpy(float))
        if no_area.any():
            log.add("note", f"{int(no_area.sum())} facilities have neither floor nor land area (rows "
                    f"{_row_list(rows[no_area])}); land and size checks will list them as not assessable")
    if layer == "population":
        pop = out["population"].to_numpy(float)
        eld = out["elderly"].to_numpy(float)
        for i in np.flatnonzero(eld > pop):
            log.reject(int(i), int(rows[i]), f"elderly {eld[i]:g} is greater than population {pop[i]:g}")


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
        log.add("repaired", f"{int(blank.sum())} blank names filled as '{prefix} row N' (rows {_row_list(rows[blank])})")


def _row_list(rows: np.ndarray, limit: int = 12) -> str:
    rows = [int(r) for r in rows]
    text = ", ".join(map(str, rows[:limit]))
    return text + (f" and {len(rows) - limit} more" if len(rows) > limit else "")

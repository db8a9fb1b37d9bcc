"""Street-centreline sources: bureau road layers and OSM line exports, noded where streets really meet."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from geo.errors import LayerError, NetworkError
from geo.layers import read_layer
from geo.messages import Message
from geo.network.graph import (
    DEFAULT_WALK_SPEED_M_S,
    WalkNetwork,
    check_walk_speed,
    network_from_lines,
    unique_rows,
)
from geo.network.inputs import projected_crs
from geo.network.noding import locate_on_lines, segment_crossings
from geo.progress import Progress, silent

#: File endings read as street-centreline layers (``file.gpkg#layer`` names a GeoPackage layer).
CENTRELINE_ENDINGS: tuple[str, ...] = (".gpkg", ".shp", ".zip", ".geojson", ".json")

#: Centreline columns (compared case-insensitively) marking lines that pass over or under others.
BRIDGE_COLUMNS: tuple[str, ...] = ("bridge", "is_bridge", "桥梁", "是否桥梁")
TUNNEL_COLUMNS: tuple[str, ...] = ("tunnel", "is_tunnel", "隧道", "是否隧道")
LEVEL_COLUMNS: tuple[str, ...] = ("level", "layer", "层级", "高程层")
#: Centreline columns holding the road class (OSM exports, bureau data).
CLASS_COLUMNS: tuple[str, ...] = (
    "highway",
    "fclass",
    "type",
    "道路等级",
    "道路类型",
    "道路类别",
    "等级",
    "类型",
)
#: Words in a class column marking steps, and expressways (which are left out).
STEPS_WORDS: tuple[str, ...] = ("steps", "台阶", "楼梯", "阶梯")
EXPRESSWAY_WORDS: tuple[str, ...] = ("motorway", "expressway", "高速公路", "快速路")
#: Values of a bridge/tunnel column that mean "no" (compared lower-case); anything else (yes, 1, true, 是, T,
#: viaduct, a bridge's name) means yes.
FALSE_WORDS: tuple[str, ...] = ("", "0", "0.0", "no", "n", "false", "f", "否", "无", "none", "null", "nan")

#: Ends of centrelines closer than this (metres) are one node; a line end this close to another line splits it.
CENTRELINE_SNAP_M = 0.01
#: The layer reader's codes for a layer whose CRS is missing or unknown (said again for a centreline layer).
_NO_CRS_CODES = frozenset({"layer_no_crs", "layer_crs_unknown"})


def network_from_centrelines(
    layer: gpd.GeoDataFrame | str | Path,
    *,
    crs: pyproj.CRS | str | int,
    walk_speed_m_s: float = DEFAULT_WALK_SPEED_M_S,
    source: str = "",
    layer_crs: pyproj.CRS | str | int | None = None,
    progress: Progress | None = None,
) -> WalkNetwork:
    """Build a network from a street-centreline layer (bureau road data, OSM line exports).

    Lines are noded where they cross or where one ends on another, so crossing streets connect — except lines
    that pass over or under: a truthy ``bridge``/``tunnel`` column (yes, 1, true, 是, T; also 桥梁, 是否桥梁,
    隧道) or a nonzero ``level``/``layer`` column (层级, 高程层). Such lines connect to the rest only at their own
    ends (an end lying on another line splits that line), and are noded fully only with lines of the same
    bridge/tunnel/level group. Every line is walkable except expressways named in a class column
    (``highway``, ``fclass``, ``type``, 道路等级, 道路类型, …: motorway, 高速公路, 快速路), which are left out and
    counted in the notes; steps come from the same columns (steps, 台阶, 楼梯).
    A line crossing itself is not noded at its own crossing.

    Parameters
    ----------
    layer : a GeoDataFrame, or a file: ``file.gpkg#layer``, ``file.shp``, ``file.zip`` (zipped Shapefile),
        ``file.geojson``.
    crs : the study's projected CRS; the layer is projected to it.
    walk_speed_m_s : walking speed, 0.5–2.0 m/s.
    source : label for reports (default: the file name).
    layer_crs : the layer's CRS when the file does not state one.
    progress : optional callback ``(fraction, message)``: said once the layer is read, before the noding.

    Raises
    ------
    NetworkError
        Unreadable file, no CRS, a layer of polygons or points, no lines left.
    """
    speed = check_walk_speed(walk_speed_m_s)
    frame, rows, label = _centreline_frame(layer, source=source, layer_crs=layer_crs)
    target = projected_crs(crs, label=label)
    notes: list[Message] = []
    geoms = frame.geometry.to_numpy()
    types = shapely.get_type_id(geoms)
    is_line = np.isin(types, (1, 2, 5))  # LineString, LinearRing, MultiLineString
    if not is_line.any():
        raise NetworkError.of("centreline_not_lines", label=label, what=_not_lines_what(types))
    if not is_line.all():
        bad = rows[~is_line]
        notes.append(Message.of("centreline_rows_not_lines", n=int(bad.size), rows=_row_list(bad)))
    columns = [str(c) for c in frame.columns if c != "geometry"]
    express, steps, class_cols = _road_classes(frame, columns)
    if (express & is_line).any():
        n_exp = int((express & is_line).sum())
        notes.append(
            Message.of(
                "centreline_expressways_left_out", n=n_exp, columns=", ".join(repr(c) for c in class_cols)
            )
        )
    passing, group, how = _level_groups(frame, columns)
    keep = is_line & ~express
    if not keep.any():
        raise NetworkError.of("centreline_only_expressways", label=label, n=int(is_line.sum()))
    frame = frame.loc[keep]
    (progress or silent)(0.3, Message.of("progress_network_building"))
    lines, part_of = _single_lines(frame, target, label=label)
    src_steps, src_passing, src_group = steps[keep][part_of], passing[keep][part_of], group[keep][part_of]
    pieces, piece_of, n_splits = _node_lines(lines, src_group, src_passing, tolerance_m=CENTRELINE_SNAP_M)
    notes += _noding_notes(lines.size, pieces.size, n_splits, int(src_passing.sum()), how)
    net = network_from_lines(
        pieces,
        crs=target,
        walk_speed_m_s=speed,
        steps=src_steps[piece_of],
        source=label,
        snap_tolerance_m=CENTRELINE_SNAP_M,
    )
    return replace(net, notes=tuple(notes))


def _centreline_frame(
    layer: gpd.GeoDataFrame | str | Path, *, source: str, layer_crs: pyproj.CRS | str | int | None
) -> tuple[gpd.GeoDataFrame, np.ndarray, str]:
    """The layer as a frame with a CRS, its 1-based row numbers, and its label for messages."""
    if isinstance(layer, gpd.GeoDataFrame):
        label = source or "(centreline layer)"
        frame = layer.reset_index(drop=True)
        if frame.crs is None:
            if layer_crs is None:
                raise NetworkError.of("centreline_frame_no_crs", label=label)
            frame = frame.set_crs(pyproj.CRS.from_user_input(layer_crs))
        return frame, np.arange(1, len(frame) + 1), label
    return _read_centrelines(layer, source=source, layer_crs=layer_crs)


def _road_classes(frame: gpd.GeoDataFrame, columns: list[str]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Per row: an expressway (left out), steps; and the class columns that said so."""
    class_cols = _find_columns(columns, CLASS_COLUMNS)
    classes = [frame[c].astype("string").fillna("").str.strip().str.lower().to_numpy(str) for c in class_cols]
    express = np.zeros(len(frame), dtype=bool)
    steps = np.zeros(len(frame), dtype=bool)
    for values in classes:
        express |= _contains_any(values, EXPRESSWAY_WORDS)
        steps |= _contains_any(values, STEPS_WORDS)
    return express, steps, class_cols


def _single_lines(
    frame: gpd.GeoDataFrame, target: pyproj.CRS, *, label: str
) -> tuple[np.ndarray, np.ndarray]:
    """The layer's lines in ``target`` as single 2-D LineStrings of positive length, and the row each came from."""
    if frame.crs is not None and not pyproj.CRS.from_user_input(frame.crs).equals(target):
        frame = frame.to_crs(target)
    parts, part_of = shapely.get_parts(shapely.force_2d(frame.geometry.to_numpy()), return_index=True)
    lines = _as_linestrings(parts)
    ok = shapely.length(lines) > 0
    lines, part_of = lines[ok], part_of[ok]
    if lines.size == 0:
        raise NetworkError.of("centreline_empty_lines", label=label)
    return lines, part_of


def _noding_notes(n_lines: int, n_pieces: int, n_splits: int, n_passing: int, how: str) -> list[Message]:
    """The sentences on how the centrelines were noded, for the network's notes."""
    notes = [
        Message.of(
            "centreline_noded_one" if n_splits == 1 else "centreline_noded",
            n_lines=int(n_lines),
            n_pieces=int(n_pieces),
            n_splits=int(n_splits),
        )
    ]
    if n_passing:
        notes.append(Message.of("centreline_passing", n=int(n_passing), columns=how))
    return notes


def _read_centrelines(
    layer: str | Path, *, source: str, layer_crs: Any
) -> tuple[gpd.GeoDataFrame, np.ndarray, str]:
    spec = str(layer)
    label = source or spec
    crs_text = None if layer_crs is None else pyproj.CRS.from_user_input(layer_crs).to_string()
    try:
        raw = read_layer(spec, crs=crs_text, name="network")
    except LayerError as exc:
        if exc.message is not None and exc.message.code in _NO_CRS_CODES:
            raise NetworkError.of("centreline_file_no_crs", label=label) from None
        raise NetworkError(exc.message or str(exc)) from None
    return raw.frame.drop(columns="_row"), raw.frame["_row"].to_numpy(), label


def _not_lines_what(types: np.ndarray) -> Message:
    """What a layer without lines holds: its most common geometry type."""
    names = {
        0: "geometry_points",
        4: "geometry_points",
        3: "geometry_polygons",
        6: "geometry_polygons",
        7: "geometry_collections",
        -1: "geometry_empty",
    }
    valid = types[types >= 0]
    common = int(np.bincount(valid).argmax()) if valid.size else -1
    return Message.of(names.get(common, "geometry_other"))


def _find_columns(columns: list[str], names: tuple[str, ...]) -> list[str]:
    wanted = {n.lower() for n in names}
    return [c for c in columns if c.strip().lower() in wanted]


def _contains_any(values: np.ndarray, words: tuple[str, ...]) -> np.ndarray:
    out = np.zeros(values.size, dtype=bool)
    for w in words:
        out |= np.char.find(values.astype(str), w) >= 0
    return out


def _truthy(series: pd.Series) -> np.ndarray:
    """Bridge/tunnel flags: numbers are true when nonzero, text unless it says no (see FALSE_WORDS)."""
    if pd.api.types.is_bool_dtype(series):
        return series.fillna(False).to_numpy(bool)
    if pd.api.types.is_numeric_dtype(series):
        return series.fillna(0).to_numpy(float) != 0
    text = series.astype("string").fillna("").str.strip().str.lower().to_numpy(str)
    return ~np.isin(text, FALSE_WORDS)


def _level_groups(frame: gpd.GeoDataFrame, columns: list[str]) -> tuple[np.ndarray, np.ndarray, str]:
    """Per row: passes over/under (bool), its noding group (int), and which columns said so."""
    n = len(frame)
    bridge = np.zeros(n, dtype=bool)
    tunnel = np.zeros(n, dtype=bool)
    level = np.zeros(n, dtype=float)
    used: list[str] = []
    for c in _find_columns(columns, BRIDGE_COLUMNS):
        bridge |= _truthy(frame[c])
        used.append(c)
    for c in _find_columns(columns, TUNNEL_COLUMNS):
        tunnel |= _truthy(frame[c])
        used.append(c)
    for c in _find_columns(columns, LEVEL_COLUMNS):
        values = pd.to_numeric(frame[c], errors="coerce")
        values = values.fillna(0).to_numpy(float)
        level = np.where(level != 0, level, values)
        used.append(c)
    passing = bridge | tunnel | (level != 0)
    key = pd.MultiIndex.from_arrays([bridge, tunnel, level])
    group = pd.factorize(key)[0].astype(np.int64)
    return passing, group, ", ".join(repr(c) for c in used)


def _as_linestrings(parts: np.ndarray) -> np.ndarray:
    """LineStrings from LineString/LinearRing parts (rings become closed LineStrings)."""
    coords, owner = shapely.get_coordinates(parts, return_index=True)
    counts = np.bincount(owner, minlength=parts.size)
    ok = counts >= 2
    if not ok.all():
        keep = ok[owner]
        coords, owner = coords[keep], owner[keep]
    out = np.full(parts.size, None, dtype=object)
    if coords.size:
        _, owner_idx = np.unique(owner, return_inverse=True)
        out[ok] = shapely.linestrings(coords, indices=owner_idx.reshape(-1))
    out[~ok] = shapely.linestrings([[0.0, 0.0], [0.0, 0.0]])  # zero length: dropped by the caller
    return out


def _node_lines(
    lines: np.ndarray, group: np.ndarray, passing: np.ndarray, *, tolerance_m: float
) -> tuple[np.ndarray, np.ndarray, int]:
    """Split lines where they cross lines of their own group and where an allowed line end lies on them.

    A line ``a`` is split at: every intersection with a line of its own group; every end of another line within
    ``tolerance_m`` of it when that line is of the same group or passes over/under (then its end is a ramp or a
    bridge head joining ``a``). Returns the pieces, the index of the line each came from, and the number of
    distinct split points.
    """
    n = lines.size
    tree = shapely.STRtree(lines)
    coords, c_line = shapely.get_coordinates(lines, return_index=True)
    step = np.hypot(*np.diff(coords, axis=0).T)
    step[c_line[1:] != c_line[:-1]] = 0.0
    cum = np.concatenate([[0.0], np.cumsum(step)])
    starts = np.searchsorted(c_line, np.arange(n))
    c_d = cum - cum[starts[c_line]]
    # crossings within a group
    x_line, x_xy, x_vertex = segment_crossings(lines, group)
    split_line, split_xy = [x_line], [x_xy]
    split_vd = [np.where(x_vertex >= 0, c_d[np.maximum(x_vertex, 0)], np.nan)]
    # line ends lying on other lines
    ends = np.concatenate([shapely.get_point(lines, 0), shapely.get_point(lines, -1)])
    owner = np.concatenate([np.arange(n), np.arange(n)])
    e, a = tree.query(ends, predicate="dwithin", distance=tolerance_m)
    allowed = (a != owner[e]) & ((group[a] == group[owner[e]]) | passing[owner[e]])
    e, a = e[allowed], a[allowed]
    split_line.append(a)
    split_xy.append(shapely.get_coordinates(ends[e]).reshape(-1, 2))
    split_vd.append(np.full(a.size, np.nan))
    s_line = np.concatenate(split_line)
    if s_line.size == 0:
        return lines, np.arange(n), 0
    s_xy = np.concatenate(split_xy)
    s_d = locate_on_lines(lines, s_line, s_xy, np.concatenate(split_vd))
    length = shapely.length(lines)
    interior = (s_d > tolerance_m) & (s_d < length[s_line] - tolerance_m)
    s_line, s_xy, s_d = s_line[interior], s_xy[interior], s_d[interior]
    uniq, _ = unique_rows(np.column_stack([s_line, np.round(s_d / tolerance_m)]).astype(np.int64))
    s_line, s_xy, s_d = s_line[uniq], s_xy[uniq], s_d[uniq]
    if s_line.size == 0:
        return lines, np.arange(n), 0

    pieces, piece_line = _cut_at(coords, c_line, cum, starts, s_line, s_xy, s_d)
    n_points = int(unique_rows(np.round(s_xy / tolerance_m).astype(np.int64))[0].size)
    return pieces, piece_line, n_points


def _cut_at(
    coords: np.ndarray,
    c_line: np.ndarray,
    cum: np.ndarray,
    starts: np.ndarray,
    s_line: np.ndarray,
    s_xy: np.ndarray,
    s_d: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Cut the lines (their vertices ``coords`` of line ``c_line`` at running length ``cum``) at the split points
    (line, xy, distance along it): the pieces and the line each came from. A split point is both the end of one
    piece and the start of the next; a vertex repeating the point before it in the same piece is dropped."""
    order = np.argsort(cum[starts[s_line]] + s_d, kind="stable")
    s_line, s_xy, s_d = s_line[order], s_xy[order], s_d[order]
    ins = np.searchsorted(cum, cum[starts[s_line]] + s_d, side="right")  # vertices before each split point
    ns = s_line.size
    total = c_line.size + 2 * ns
    item_line = np.empty(total, np.int64)
    item_xy = np.empty((total, 2))
    is_start = np.zeros(total, bool)
    v_pos = np.arange(c_line.size) + 2 * np.searchsorted(ins, np.arange(c_line.size), side="right")
    e_pos = ins + 2 * np.arange(ns)
    item_line[v_pos], item_xy[v_pos] = c_line, coords
    item_line[e_pos], item_xy[e_pos] = s_line, s_xy
    item_line[e_pos + 1], item_xy[e_pos + 1] = s_line, s_xy
    is_start[e_pos + 1] = True
    piece = item_line + np.cumsum(is_start)
    same = np.r_[False, (piece[1:] == piece[:-1]) & np.all(item_xy[1:] == item_xy[:-1], axis=1)]
    piece, item_xy, item_line = piece[~same], item_xy[~same], item_line[~same]
    counts = np.bincount(piece)
    good = counts[piece] >= 2
    piece, item_xy, item_line = piece[good], item_xy[good], item_line[good]
    new_piece = np.r_[True, piece[1:] != piece[:-1]]
    first = np.flatnonzero(new_piece)
    pieces = shapely.linestrings(item_xy, indices=np.cumsum(new_piece) - 1)
    return pieces, item_line[first]


def _row_list(rows: np.ndarray, limit: int = 12) -> str | Message:
    shown = ", ".join(str(int(r)) for r in rows[:limit])
    if rows.size > limit:
        return Message.of("centreline_rows_more", shown=shown, more=int(rows.size - limit))
    return shown

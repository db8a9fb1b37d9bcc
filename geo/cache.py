"""A disk cache of walking networks, so a study's OSM file or centreline layer is parsed once, not on every command.

Parsing the demo's 1.6 MB OSM file through osmnx takes about 2 s (1 s of it importing osmnx); reading the arrays
back takes a few milliseconds. The expressways the standards' site screening reads from the same OSM file
(:func:`geo.roads.major_roads_from_osm`) are cached beside it. The cache holds the network's arrays (nodes, segments, lengths, steps, segment geometry as ragged
coordinate arrays: no pickles) in one ``.npz`` file per source, keyed by the source file's resolved path, size and
modification time (and those of a Shapefile's side files), the study CRS, the ``include_private`` choice and
:data:`CACHE_VERSION`. Walking times are not stored: they are recomputed for the speed asked for.

Where: ``$ELDERCIRCLE_CACHE_DIR`` when set, else ``$XDG_CACHE_HOME/eldercircle`` or ``~/.cache/eldercircle``.
``ELDERCIRCLE_CACHE_DIR=off`` turns the cache off. The user's files are only read; a cache folder that cannot be
written is skipped with a note, and an unreadable or stale entry is rebuilt.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from geo.network import WalkNetwork, network_from_source

#: Bump when the loaders change what they build from the same file, so old entries are not used.
CACHE_VERSION = 1
#: The value of ``ELDERCIRCLE_CACHE_DIR`` that turns the cache off.
CACHE_OFF = "off"


def cache_dir() -> Path | None:
    """The network cache folder, or None when ``ELDERCIRCLE_CACHE_DIR=off``."""
    env = os.environ.get("ELDERCIRCLE_CACHE_DIR")
    if env is not None and env.strip():
        return None if env.strip().lower() == CACHE_OFF else Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "eldercircle"


def _source_files(source: str, base_dir: Path | str | None) -> list[Path] | None:
    """The files a source is read from (a Shapefile with its side files), or None for ``place:`` sources."""
    text = str(source).strip()
    if text.lower().startswith("place:"):
        return None
    path = Path(text.partition("#")[0]).expanduser()
    if not path.is_absolute() and base_dir is not None:
        path = Path(base_dir) / path
    if not path.is_file():
        return [path]  # the loader reports the missing file
    if path.suffix.lower() == ".shp":
        return sorted(p for p in path.parent.glob(path.stem + ".*") if p.is_file())
    return [path]


def network_key(source: str, *, crs: pyproj.CRS | str | int, include_private: bool = False,
                base_dir: Path | str | None = None, layer_crs: pyproj.CRS | str | int | None = None) -> str | None:
    """The cache key of a network source (a hex digest), or None when it cannot be cached (``place:``, missing
    file)."""
    files = _source_files(source, base_dir)
    if files is None or not all(p.is_file() for p in files):
        return None
    parts: list[object] = [CACHE_VERSION, str(source).strip().partition("#")[2], bool(include_private),
                           pyproj.CRS.from_user_input(crs).to_wkt(),
                           None if layer_crs is None else pyproj.CRS.from_user_input(layer_crs).to_wkt()]
    for p in files:
        st = p.stat()
        parts.append([str(p.resolve()), st.st_size, st.st_mtime_ns])
    return hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()[:32]


def _write_npz(path: Path, meta: dict, **arrays: np.ndarray) -> None:
    """Write ``arrays`` and the JSON ``meta`` to ``path`` (.npz) atomically: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npz.part")
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, meta=np.array(json.dumps(meta)), **arrays)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read_meta(data: np.lib.npyio.NpzFile) -> dict:
    """The JSON meta of an entry written by :func:`_write_npz`; ValueError when it is of another version."""
    meta = json.loads(str(data["meta"]))
    if meta.get("version") != CACHE_VERSION:
        raise ValueError(f"cache version {meta.get('version')} is not {CACHE_VERSION}")
    return meta


def save_network(network: WalkNetwork, path: Path | str) -> None:
    """Write ``network`` to ``path`` (.npz) atomically: a reader never sees half a file."""
    target = Path(path)
    kind, coords, offsets = shapely.to_ragged_array(network.edge_geometry)
    meta = {"version": CACHE_VERSION, "geometry_type": int(kind), "crs": network.crs.to_wkt(),
            "source": network.source, "notes": list(network.notes)}
    _write_npz(target, meta, node_xy=network.node_xy, edge_u=network.edge_u, edge_v=network.edge_v,
               edge_length_m=network.edge_length_m, edge_steps=network.edge_steps, coords=coords, offsets=offsets[0])


def load_network(path: Path | str, *, walk_speed_m_s: float) -> WalkNetwork:
    """Read a network written by :func:`save_network`, with walking times for ``walk_speed_m_s``.

    Raises ValueError (or OSError) for a file that is not such a network or is of another :data:`CACHE_VERSION`.
    """
    with np.load(path, allow_pickle=False) as data:
        meta = _read_meta(data)
        geometry = shapely.from_ragged_array(shapely.GeometryType(meta["geometry_type"]), data["coords"],
                                             (data["offsets"],))
        net = WalkNetwork(node_xy=data["node_xy"], edge_u=data["edge_u"], edge_v=data["edge_v"],
                          edge_length_m=data["edge_length_m"], edge_time_s=data["edge_length_m"].copy(),
                          edge_geometry=geometry, edge_steps=data["edge_steps"], walk_speed_m_s=1.0,
                          crs=pyproj.CRS.from_wkt(meta["crs"]), source=meta["source"], notes=tuple(meta["notes"]))
    return net.with_speed(walk_speed_m_s)


def cached_network(
    source: str,
    *,
    crs: pyproj.CRS | str | int,
    walk_speed_m_s: float,
    include_private: bool = False,
    base_dir: Path | str | None = None,
    layer_crs: pyproj.CRS | str | int | None = None,
    folder: Path | str | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> WalkNetwork:
    """:func:`geo.network.network_from_source`, served from the cache when the source has not changed.

    Parameters are those of :func:`~geo.network.network_from_source`, plus ``folder``: the cache folder (default
    :func:`cache_dir`). The network is identical to a fresh parse (same arrays, CRS, source and notes); when the
    cache folder cannot be written the network is still returned, with a note saying so.
    """
    step = progress or (lambda f, m: None)
    where = Path(folder) if folder is not None else cache_dir()
    key = None if where is None else network_key(source, crs=crs, include_private=include_private,
                                                 base_dir=base_dir, layer_crs=layer_crs)
    if where is None or key is None:
        return network_from_source(source, crs=crs, walk_speed_m_s=walk_speed_m_s, include_private=include_private,
                                   base_dir=base_dir, layer_crs=layer_crs, progress=progress)
    entry = where / f"network-{key}.npz"
    if entry.is_file():
        try:
            net = load_network(entry, walk_speed_m_s=walk_speed_m_s)
        except (OSError, ValueError, KeyError):
            pass  # damaged or of another version: parse again and replace it
        else:
            step(1.0, f"walking network: {net.n_nodes} nodes, {net.n_edges} segments (cached)")
            return net
    net = network_from_source(source, crs=crs, walk_speed_m_s=walk_speed_m_s, include_private=include_private,
                              base_dir=base_dir, layer_crs=layer_crs, progress=progress)
    try:
        save_network(net, entry)
    except OSError as exc:
        from dataclasses import replace

        note = f"the network cache {where} could not be written ({exc.strerror}); the file is parsed again next time"
        net = replace(net, notes=(*net.notes, note))
    return net


def _save_frame(frame: gpd.GeoDataFrame, path: Path) -> None:
    """Write a small frame of text/integer columns and geometry to .npz (geometry as WKB; no pickles)."""
    wkb = shapely.to_wkb(frame.geometry.to_numpy())
    sizes = np.fromiter((len(b) for b in wkb), dtype=np.int64, count=len(wkb))
    arrays: dict[str, np.ndarray] = {"wkb": np.frombuffer(b"".join(wkb), dtype=np.uint8),
                                     "wkb_offsets": np.concatenate([[0], np.cumsum(sizes)])}
    columns = [c for c in frame.columns if c != frame.geometry.name]
    for c in columns:
        values = frame[c].to_numpy(object)
        missing = np.array([v is None or (isinstance(v, float) and np.isnan(v)) for v in values], dtype=bool)
        arrays[f"col_{c}"] = np.array(["" if m else str(v) for v, m in zip(values, missing)], dtype=str)
        arrays[f"missing_{c}"] = missing
    meta = {"version": CACHE_VERSION, "crs": None if frame.crs is None else frame.crs.to_wkt(), "columns": columns,
            "integer": [c for c in columns if pd.api.types.is_integer_dtype(frame[c].dtype)]}
    _write_npz(path, meta, **arrays)


def _load_frame(path: Path) -> gpd.GeoDataFrame:
    with np.load(path, allow_pickle=False) as data:
        meta = _read_meta(data)
        blob, offsets = data["wkb"].tobytes(), data["wkb_offsets"]
        geometry = shapely.from_wkb(np.array([blob[a:b] for a, b in itertools.pairwise(offsets)], dtype=object))
        columns: dict[str, object] = {}
        for c in meta["columns"]:
            values = data[f"col_{c}"].astype(object)
            values[data[f"missing_{c}"]] = None
            columns[c] = values.astype(np.int64) if c in meta["integer"] else values
    crs = None if meta["crs"] is None else pyproj.CRS.from_wkt(meta["crs"])
    return gpd.GeoDataFrame(columns, geometry=geometry, crs=crs)


def cached_major_roads(path: Path | str, *, crs: pyproj.CRS | str | int, folder: Path | str | None = None
                       ) -> gpd.GeoDataFrame:
    """:func:`geo.roads.major_roads_from_osm` of an OSM file, served from the cache when the file has not changed.

    The frame is equal to a fresh read (same rows, columns and geometry); the cache is skipped silently when it is
    off or cannot be written (the roads are then read each time)."""
    from geo.roads import major_roads_from_osm

    where = Path(folder) if folder is not None else cache_dir()
    key = None if where is None else network_key(str(path), crs=crs)
    if where is None or key is None:
        return major_roads_from_osm(path, crs=crs)
    entry = where / f"roads-{key}.npz"
    if entry.is_file():
        try:
            return _load_frame(entry)
        except (OSError, ValueError, KeyError):
            pass
    roads = major_roads_from_osm(path, crs=crs)
    try:
        _save_frame(roads, entry)
    except OSError:
        pass  # a read-only cache only costs the time of reading the file again
    return roads

"""A disk cache of walking networks, so a study's OSM file or centreline layer is parsed once, not on every command.

Parsing the demo's 1.6 MB OSM file through osmnx takes about 2 s (1 s of it importing osmnx); reading the arrays
back takes a few milliseconds. The expressways the standards' site screening reads from the same OSM file
(:func:`geo.roads.major_roads_from_osm`) are cached beside it. The cache holds the network's arrays (nodes, segments,
lengths, steps, segment geometry as ragged coordinate arrays: no pickles) in one entry per source, keyed by the
source file's resolved path, size and modification time (and those of a Shapefile's side files), the study CRS and
the ``include_private`` choice. Walking times are not stored: they are recomputed for the speed asked for.

An entry is one header line and an ``.npz`` payload::

    eldercircle cache network v2 sha256=<64 hex digits> bytes=<payload size>\\n<npz payload>

The header names the entry's kind and :data:`CACHE_VERSION`, the payload's size and its SHA-256, so every byte of the
file is checked before it is used: an empty, truncated or bit-flipped entry (header, meta or array data alike, not
only where the zip's own CRC happens to look) and an entry of another version are detected, removed and rebuilt, and
one line says so (:func:`damaged_line`, a :class:`~geo.messages.Message` rendered in the user's language by whoever
shows it). Entries are written atomically (:func:`geo.files.atomic_write`): a kill or a
full disk leaves the previous entry or none.

Where: ``$ELDERCIRCLE_CACHE_DIR`` when set, else ``$XDG_CACHE_HOME/eldercircle`` or ``~/.cache/eldercircle``.
``ELDERCIRCLE_CACHE_DIR=off`` turns the cache off. The user's files are only read; a cache folder that cannot be
written is skipped with a note, never an error.
"""

from __future__ import annotations

import functools
import hashlib
import io
import itertools
import json
import os
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from geo.basemap import Basemap, basemap_frame, basemap_from_osm, basemap_of_frame
from geo.errors import OutputError
from geo.files import atomic_write
from geo.messages import Message, message_data, message_from_data
from geo.network import WalkNetwork, network_from_source
from geo.progress import silent
from geo.roads import major_roads_from_osm

#: The format of an entry. Bump when the loaders change what they build from the same file or the payload's layout
#: changes: an entry of another version is removed and rebuilt. Version 1 entries were bare ``.npz`` files; version 2
#: held the network's notes as English sentences, version 3 as message codes with their parameters, version 4 adds
#: the street names of the edges.
CACHE_VERSION = 4
#: The value of ``ELDERCIRCLE_CACHE_DIR`` that turns the cache off.
CACHE_OFF = "off"
#: The file ending of cache entries.
ENTRY_SUFFIX = ".cache"

_HEADER = re.compile(
    rb"eldercircle cache (?P<kind>[a-z]+) v(?P<version>[0-9]{1,6}) "
    rb"sha256=(?P<digest>[0-9a-f]{64}) bytes=(?P<size>[0-9]{1,15})\n"
)
_LEGACY_HEADER = re.compile(rb"eldercircle cache (?P<kind>[a-z]+) v(?P<version>[0-9]{1,6}) ")
_MAX_HEADER = 160
#: The first part of every key. Version-1 entries put CACHE_VERSION (1) there, so a source's key is unchanged and
#: its version-1 ``.npz`` entry is found and removed when the new entry is written.
_KEY_SCHEME = 1
_ZIP_MAGIC = b"PK\x03\x04"
#: The message naming what an entry of each kind holds.
_WHAT = {"network": "cache_what_network", "roads": "cache_what_roads", "basemap": "cache_what_basemap"}


class DamagedEntryError(ValueError):
    """A cache entry that cannot be used: empty, truncated, altered, or of another version.

    ``reason`` is a short phrase for :func:`damaged_line`, a :class:`~geo.messages.Message` whose English is e.g.
    ``damaged (checksum mismatch)``; ``str(error)`` is that English.
    """

    def __init__(self, reason: Message) -> None:
        super().__init__(str(reason))
        self.reason = reason

    @classmethod
    def of(cls, code: str, **params: object) -> DamagedEntryError:
        """The error with the reason ``code`` (a key of :data:`geo.messages.EN`) and its ``params``."""
        return cls(Message.of(code, **params))


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


def network_key(
    source: str,
    *,
    crs: pyproj.CRS | str | int,
    include_private: bool = False,
    base_dir: Path | str | None = None,
    layer_crs: pyproj.CRS | str | int | None = None,
) -> str | None:
    """The cache key of a network source (a hex digest), or None when it cannot be cached (``place:``, missing
    file).

    The key does not hold :data:`CACHE_VERSION`: an entry of another version sits where the new one goes and is
    replaced, rather than left behind."""
    files = _source_files(source, base_dir)
    if files is None or not all(p.is_file() for p in files):
        return None
    parts: list[object] = [
        _KEY_SCHEME,
        str(source).strip().partition("#")[2],
        bool(include_private),
        pyproj.CRS.from_user_input(crs).to_wkt(),
        None if layer_crs is None else pyproj.CRS.from_user_input(layer_crs).to_wkt(),
    ]
    for p in files:
        st = p.stat()
        parts.append([str(p.resolve()), st.st_size, st.st_mtime_ns])
    return hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()[:32]


def entry_bytes(
    kind: str, meta: dict, arrays: dict[str, np.ndarray], *, version: int = CACHE_VERSION
) -> bytes:
    """The bytes of a cache entry: the header line (kind, version, SHA-256 and size of the payload), then the
    ``.npz`` payload holding ``arrays`` and the JSON ``meta``."""
    buf = io.BytesIO()
    members: dict[str, Any] = {"meta": np.array(json.dumps({**meta, "version": version})), **arrays}
    np.savez(buf, **members)
    payload = buf.getvalue()
    header = f"eldercircle cache {kind} v{version} sha256={hashlib.sha256(payload).hexdigest()} bytes={len(payload)}\n"
    return header.encode("ascii") + payload


def entry_payload(data: bytes, *, kind: str) -> bytes:
    """The checked ``.npz`` payload of an entry written by :func:`entry_bytes`.

    Raises
    ------
    DamagedEntryError
        When the entry is empty, has no valid header, is of another kind or :data:`CACHE_VERSION`, is shorter or
        longer than its header says, or its payload's SHA-256 is not the one in the header.
    """
    if not data:
        raise DamagedEntryError.of("cache_damaged_empty")
    if data.startswith(_ZIP_MAGIC):
        raise DamagedEntryError(_version_reason(1))
    head = _HEADER.match(data[:_MAX_HEADER])
    if head is None:
        legacy = _LEGACY_HEADER.match(data[:_MAX_HEADER])
        if legacy is not None and int(legacy["version"]) != CACHE_VERSION:
            raise DamagedEntryError(_version_reason(int(legacy["version"])))
        raise DamagedEntryError.of("cache_damaged_no_header")
    if head["kind"].decode("ascii") != kind:
        raise DamagedEntryError.of("cache_damaged_other_kind")
    if int(head["version"]) != CACHE_VERSION:
        raise DamagedEntryError(_version_reason(int(head["version"])))
    payload = data[head.end() :]
    size = int(head["size"])
    if len(payload) < size:
        raise DamagedEntryError.of("cache_damaged_truncated", got=len(payload), size=size)
    if len(payload) > size:
        raise DamagedEntryError.of("cache_damaged_extra", n=len(payload) - size)
    if hashlib.sha256(payload).hexdigest() != head["digest"].decode("ascii"):
        raise DamagedEntryError.of("cache_damaged_checksum")
    return payload


def _version_reason(version: int) -> Message:
    code = "cache_older_version" if version < CACHE_VERSION else "cache_other_version"
    return Message.of(code, version=version, now=CACHE_VERSION)


def damaged_line(kind: str, entry: Path | str, reason: Message, *, removed: bool = True) -> Message:
    """The one line said when a cache entry is not used; its English is e.g. ``the cached network
    network-3f2a….cache in /home/a/.cache/eldercircle was damaged (checksum mismatch); removed it and parsed the file
    again``.

    With ``removed=False`` (the entry could not be deleted, e.g. a read-only cache folder) it ends ``parsed the file
    again (the entry could not be removed)``."""
    p = Path(entry)
    what = Message.of(_WHAT[kind]) if kind in _WHAT else kind
    code = "cache_entry_rebuilt" if removed else "cache_entry_kept"
    return Message.of(code, what=what, name=p.name, folder=str(p.parent), reason=reason)


def _read_entry(path: Path, *, kind: str) -> tuple[dict, dict[str, np.ndarray]]:
    """The meta and arrays of the entry at ``path``; :class:`DamagedEntryError` when it cannot be used."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DamagedEntryError.of("cache_unreadable", reason=exc.strerror or type(exc).__name__) from None
    payload = entry_payload(data, kind=kind)
    try:
        with np.load(io.BytesIO(payload), allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
        meta = json.loads(str(arrays.pop("meta")))
    except Exception as exc:
        raise DamagedEntryError.of("cache_damaged_payload", error=type(exc).__name__) from None
    if not isinstance(meta, dict) or meta.get("version") != CACHE_VERSION:
        raise DamagedEntryError.of("cache_damaged_meta_version")
    return meta, arrays


def _network_arrays(network: WalkNetwork) -> tuple[dict, dict[str, np.ndarray]]:
    kind, coords, offsets = shapely.to_ragged_array(network.edge_geometry)
    meta = {
        "geometry_type": int(kind),
        "crs": network.crs.to_wkt(),
        "source": network.source,
        "notes": [message_data(n) for n in network.notes],
    }
    arrays = {
        "node_xy": network.node_xy,
        "edge_u": network.edge_u,
        "edge_v": network.edge_v,
        "edge_length_m": network.edge_length_m,
        "edge_steps": network.edge_steps,
        "coords": coords,
        "offsets": offsets[0],
    }
    if network.edge_name is not None:
        arrays["edge_name"] = np.array([str(n) for n in network.edge_name], dtype=str)
    return meta, arrays


def save_network(network: WalkNetwork, path: Path | str) -> None:
    """Write ``network`` to ``path`` as a cache entry, atomically: a reader never sees half a file.

    Raises
    ------
    OutputError
        When the file cannot be written.
    """
    meta, arrays = _network_arrays(network)
    atomic_write(path, entry_bytes("network", meta, arrays))


def load_network(path: Path | str, *, walk_speed_m_s: float) -> WalkNetwork:
    """Read a network written by :func:`save_network`, with walking times for ``walk_speed_m_s``.

    Raises
    ------
    DamagedEntryError
        (a ValueError) for a file that is empty, truncated, altered, not such a network, or of another
        :data:`CACHE_VERSION`.
    """
    meta, data = _read_entry(Path(path), kind="network")
    try:
        geometry = shapely.from_ragged_array(
            shapely.GeometryType(meta["geometry_type"]), data["coords"], (data["offsets"],)
        )
        net = WalkNetwork(
            node_xy=data["node_xy"],
            edge_u=data["edge_u"],
            edge_v=data["edge_v"],
            edge_length_m=data["edge_length_m"],
            edge_time_s=data["edge_length_m"].copy(),
            edge_geometry=geometry,
            edge_steps=data["edge_steps"],
            walk_speed_m_s=1.0,
            crs=pyproj.CRS.from_wkt(meta["crs"]),
            source=meta["source"],
            notes=tuple(message_from_data(n) for n in meta["notes"]),
            edge_name=data["edge_name"].astype(object) if "edge_name" in data else None,
        )
    except Exception as exc:
        raise DamagedEntryError.of("cache_damaged_not_network", error=type(exc).__name__) from None
    return net.with_speed(walk_speed_m_s)


def _remove(path: Path) -> bool:
    """Delete ``path``; False when it is still there."""
    try:
        path.unlink()
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return True


def _unwritable_note(where: Path, exc: OutputError) -> Message:
    return Message.of("cache_unwritable", folder=str(where), reason=exc.message or str(exc))


def cached_network(
    source: str,
    *,
    crs: pyproj.CRS | str | int,
    walk_speed_m_s: float,
    include_private: bool = False,
    base_dir: Path | str | None = None,
    layer_crs: pyproj.CRS | str | int | None = None,
    folder: Path | str | None = None,
    progress: Callable[[float, str | Message], None] | None = None,
) -> WalkNetwork:
    """:func:`geo.network.network_from_source`, served from the cache when the source has not changed.

    Parameters are those of :func:`~geo.network.network_from_source`, plus ``folder``: the cache folder (default
    :func:`cache_dir`). The network is identical to a fresh parse (same arrays, CRS, source and notes). A damaged or
    older entry is removed and rebuilt, and the network carries one more note (:func:`damaged_line`), also passed
    to ``progress`` (as a :class:`~geo.messages.Message`, for the caller to say in its language); when the cache
    folder cannot be written the network is still returned, with a note saying so.
    """
    step = progress or silent
    where = Path(folder) if folder is not None else cache_dir()
    key = (
        None
        if where is None
        else network_key(
            source, crs=crs, include_private=include_private, base_dir=base_dir, layer_crs=layer_crs
        )
    )
    parse = functools.partial(
        network_from_source,
        source,
        crs=crs,
        walk_speed_m_s=walk_speed_m_s,
        include_private=include_private,
        base_dir=base_dir,
        layer_crs=layer_crs,
        progress=progress,
    )
    if where is None or key is None:
        return parse()
    entry = where / f"network-{key}{ENTRY_SUFFIX}"
    added: list[Message] = []
    if entry.exists():
        try:
            net = load_network(entry, walk_speed_m_s=walk_speed_m_s)
        except DamagedEntryError as exc:
            added.append(damaged_line("network", entry, exc.reason, removed=_remove(entry)))
        else:
            step(1.0, Message.of("progress_network_size_cached", n_nodes=net.n_nodes, n_edges=net.n_edges))
            return net
    net = parse()
    step(1.0, Message.of("progress_network_saving"))
    try:
        save_network(net, entry)
    except OutputError as exc:
        added.append(_unwritable_note(where, exc))
    else:
        _remove(where / f"network-{key}.npz")  # a version-1 entry of the same source
    for (
        line
    ) in added:  # said once the file has been parsed again; a finished step, so a terminal keeps the line
        step(1.0, line)
    return replace(net, notes=(*net.notes, *added)) if added else net


def _frame_arrays(frame: gpd.GeoDataFrame) -> tuple[dict, dict[str, np.ndarray]]:
    """A small frame of text/integer columns and geometry as arrays (geometry as WKB; no pickles)."""
    wkb = shapely.to_wkb(frame.geometry.to_numpy())
    sizes = np.fromiter((len(b) for b in wkb), dtype=np.int64, count=len(wkb))
    arrays: dict[str, np.ndarray] = {
        "wkb": np.frombuffer(b"".join(wkb), dtype=np.uint8),
        "wkb_offsets": np.concatenate([[0], np.cumsum(sizes)]),
    }
    columns = [c for c in frame.columns if c != frame.geometry.name]
    for c in columns:
        values = frame[c].to_numpy(object)
        missing = np.array([v is None or (isinstance(v, float) and np.isnan(v)) for v in values], dtype=bool)
        arrays[f"col_{c}"] = np.array(
            ["" if m else str(v) for v, m in zip(values, missing, strict=False)], dtype=str
        )
        arrays[f"missing_{c}"] = missing
    meta = {
        "crs": None if frame.crs is None else frame.crs.to_wkt(),
        "columns": columns,
        "integer": [c for c in columns if pd.api.types.is_integer_dtype(frame[c].dtype)],
    }
    return meta, arrays


def _save_frame(frame: gpd.GeoDataFrame, path: Path, *, kind: str) -> None:
    meta, arrays = _frame_arrays(frame)
    atomic_write(path, entry_bytes(kind, meta, arrays))


def _load_frame(path: Path, *, kind: str) -> gpd.GeoDataFrame:
    meta, data = _read_entry(path, kind=kind)
    try:
        blob, offsets = data["wkb"].tobytes(), data["wkb_offsets"]
        geometry = shapely.from_wkb(
            np.array([blob[a:b] for a, b in itertools.pairwise(offsets)], dtype=object)
        )
        columns: dict[str, object] = {}
        for c in meta["columns"]:
            values = data[f"col_{c}"].astype(object)
            values[data[f"missing_{c}"]] = None
            columns[c] = values.astype(np.int64) if c in meta["integer"] else values
        crs = None if meta["crs"] is None else pyproj.CRS.from_wkt(meta["crs"])
        return gpd.GeoDataFrame(columns, geometry=geometry, crs=crs)
    except Exception as exc:
        code = "cache_damaged_not_roads" if kind == "roads" else "cache_damaged_not_basemap"
        raise DamagedEntryError.of(code, error=type(exc).__name__) from None


def _cached_frame(
    kind: str,
    path: Path | str,
    build: Callable[[], gpd.GeoDataFrame],
    *,
    crs: pyproj.CRS | str | int,
    folder: Path | str | None,
    progress: Callable[[float, str | Message], None] | None,
) -> gpd.GeoDataFrame:
    """``build()`` served from the cache entry ``<kind>-<key>`` of the file ``path`` while the file is unchanged.

    A damaged or older entry is removed and rebuilt; that line, and a note when the cache folder cannot be written,
    go to ``progress`` and to the frame's ``attrs["notes"]`` (a tuple of :class:`~geo.messages.Message`)."""
    step = progress or silent
    where = Path(folder) if folder is not None else cache_dir()
    key = None if where is None else network_key(str(path), crs=crs)
    if where is None or key is None:
        return build()
    entry = where / f"{kind}-{key}{ENTRY_SUFFIX}"
    added: list[Message] = []
    if entry.exists():
        try:
            return _load_frame(entry, kind=kind)
        except DamagedEntryError as exc:
            added.append(damaged_line(kind, entry, exc.reason, removed=_remove(entry)))
    frame = build()
    try:
        _save_frame(frame, entry, kind=kind)
    except OutputError as exc:
        added.append(_unwritable_note(where, exc))
    else:
        _remove(where / f"{kind}-{key}.npz")  # a version-1 entry of the same file
    for line in added:
        step(1.0, line)
    if added:
        frame.attrs["notes"] = tuple(added)
    return frame


def cached_major_roads(
    path: Path | str,
    *,
    crs: pyproj.CRS | str | int,
    folder: Path | str | None = None,
    progress: Callable[[float, str | Message], None] | None = None,
) -> gpd.GeoDataFrame:
    """:func:`geo.roads.major_roads_from_osm` of an OSM file, served from the cache when the file has not changed.

    The frame is equal to a fresh read (same rows, columns and geometry). A damaged or older entry is removed and
    rebuilt; that line (:func:`damaged_line`), and a note when the cache folder cannot be written (the roads are
    then read each time), go to ``progress`` and to the frame's ``attrs["notes"]`` (a tuple of
    :class:`~geo.messages.Message`)."""
    return _cached_frame(
        "roads", path, lambda: major_roads_from_osm(path, crs=crs), crs=crs, folder=folder, progress=progress
    )


def cached_basemap(
    path: Path | str,
    *,
    crs: pyproj.CRS | str | int,
    folder: Path | str | None = None,
    progress: Callable[[float, str | Message], None] | None = None,
) -> Basemap:
    """:func:`geo.basemap.basemap_from_osm` of an OSM file, served from the cache when the file has not changed.

    The basemap's layers are stored as one frame (a ``layer`` column says which); damaged entries and an
    unwritable cache folder are handled as for :func:`cached_major_roads`, and their lines go to ``progress``."""

    def build() -> gpd.GeoDataFrame:
        return basemap_frame(basemap_from_osm(path, crs=crs))

    frame = _cached_frame("basemap", path, build, crs=crs, folder=folder, progress=progress)
    return basemap_of_frame(frame, crs=crs, source=Path(path).name, from_osm=True)

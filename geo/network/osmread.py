"""OpenStreetMap files read with pyosmium straight into arrays: node ids and coordinates in file order, and every way
as its node list and the tags the walkable filter needs, the way osmnx would have parsed them.

What osmnx's ``graph_from_xml`` sees is reproduced exactly: consecutive repeated nodes of a way are one node; an
XML file whose ways all find their nodes gives every way (buildings too: they are counted as ways without a highway
tag); a PBF file, or an XML file with ways that reference missing nodes (a clipped extract), gives only its highway
ways, each cut into runs of present nodes, and the runs of a cut way get new ids -1, -2, … in file order (as the XML
copy the osmnx path writes first did).
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

#: Way tags kept (the walkable filter's, the simplification's ``highway`` and the street name).
WAY_TAGS: tuple[str, ...] = ("highway", "foot", "access", "sidewalk", "area", "name")


@dataclass(frozen=True)
class OsmArrays:
    """Nodes and ways of an OSM file.

    Attributes
    ----------
    node_id : (n,) int64 OSM ids in file order.
    node_lonlat : (n, 2) float WGS84 coordinates.
    way_id : (w,) int64 ids (cut runs: -1, -2, …).
    way_start : (w + 1,) offsets into ``way_nodes``.
    way_nodes : node positions (indices into ``node_id``), consecutive repeats removed.
    tags : tag name -> (w,) object array of the raw value (None where absent).
    cut : True when ways were cut at missing nodes of a clipped XML extract.
    highway_only : only the highway ways were read (a PBF file, or a clipped XML extract).
    """

    node_id: np.ndarray
    node_lonlat: np.ndarray
    way_id: np.ndarray
    way_start: np.ndarray
    way_nodes: np.ndarray
    tags: dict[str, np.ndarray]
    cut: bool = False
    highway_only: bool = False


def _scan(path: Path, *, highway_only: bool) -> tuple[np.ndarray, np.ndarray, list, list, list]:
    """Nodes (ids, lon/lat) and ways (ids, node lists, tags) of the file, in file order.

    libosmium rewrites the nodes and ways as OPL text (in C++, fast), which is then split with numpy and pandas:
    far quicker than visiting every node of every way through pyosmium's Python objects.
    """
    import osmium  # optional (pip install osmium); the caller checks it is there

    name = path.name.lower()
    fmt = "pbf" if name.endswith(".pbf") else ("osm.bz2" if name.endswith(".bz2") else "osm")
    with tempfile.TemporaryDirectory(prefix="eldercircle-opl-") as tmp:
        opl = Path(tmp) / "data.opl"
        writer = osmium.SimpleWriter(osmium.io.File(str(opl), "opl,add_metadata=false"), overwrite=True)
        try:
            keep = osmium.filter.EntityFilter(osmium.osm.NODE | osmium.osm.WAY)
            osmium.apply(osmium.io.File(str(path), fmt), keep, writer)
        finally:
            writer.close()
        with opl.open("r", encoding="utf-8") as f:
            text = f.read()
    lines = text.splitlines()
    n_nodes = 0
    for line in lines:  # nodes come first in OSM files
        if not line.startswith("n"):
            break
        n_nodes += 1
    node_id, lonlat = _opl_nodes(lines[:n_nodes])
    way_ids: list[int] = []
    way_refs: list[str] = []
    way_tags: list[tuple] = []
    for line in lines[n_nodes:]:
        if not line.startswith("w"):
            continue
        fields = line.split(" ")  # w<id> T<tags> N<refs>
        tags = _opl_tags(fields[1][1:])
        if highway_only and "highway" not in tags:
            continue
        way_ids.append(int(fields[0][1:]))
        way_refs.append(fields[2][1:])
        way_tags.append(tuple(tags.get(t) for t in WAY_TAGS))
    return node_id, lonlat, way_ids, way_refs, way_tags


def _opl_nodes(lines: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Node ids and lon/lat of OPL node lines (``n<id> T<tags> x<lon> y<lat>``); nodes without a location
    dropped."""
    if not lines:
        return np.zeros(0, np.int64), np.zeros((0, 2))
    fields = " ".join(lines).split(" ")
    ids = pd.Series(fields[0::4]).str.slice(1).astype(np.int64).to_numpy()
    lon = pd.to_numeric(pd.Series(fields[2::4]).str.slice(1), errors="coerce").to_numpy(float)
    lat = pd.to_numeric(pd.Series(fields[3::4]).str.slice(1), errors="coerce").to_numpy(float)
    ok = np.isfinite(lon) & np.isfinite(lat)
    return ids[ok], np.column_stack([lon[ok], lat[ok]])


_ESCAPE = re.compile(r"%([0-9a-fA-F]+)%")


def _opl_text(value: str) -> str:
    """An OPL string with its ``%hex%`` escapes decoded."""
    if "%" not in value:
        return value
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value)


def _opl_tags(field: str) -> dict[str, str]:
    """The tags of an OPL ``T`` field (``k=v,k=v``, escaped)."""
    if not field:
        return {}
    out: dict[str, str] = {}
    for pair in field.split(","):
        key, _, value = pair.partition("=")
        out[_opl_text(key)] = _opl_text(value)
    return out


def read_osm_arrays(path: Path, *, pbf: bool) -> OsmArrays:
    """Read an OSM file as :class:`OsmArrays` (see the module docstring for what is kept).

    Parameters
    ----------
    path : the OSM XML (``.osm``, ``.osm.bz2``, …) or PBF file.
    pbf : True for a PBF file (only its highway ways are read, cut at missing nodes).
    """
    node_id, lonlat, way_ids, way_refs, way_tags = _scan(path, highway_only=pbf)
    order = np.argsort(node_id, kind="stable")
    sizes = np.fromiter((r.count(",") + 1 if r else 0 for r in way_refs), dtype=np.int64, count=len(way_refs))
    joined = ",".join(r for r in way_refs if r).replace("n", "")
    flat = np.array(joined.split(","), dtype=np.int64) if joined else np.zeros(0, np.int64)
    pos, present = _positions(node_id, order, flat)
    w_ids = np.asarray(way_ids, dtype=np.int64)
    tag_cols = _tag_columns(way_tags)
    clipped = not pbf and not present.all()
    if clipped:  # as the osmnx path did: only the highway ways, cut where their nodes are missing
        highway = np.array([t is not None for t in tag_cols["highway"]], dtype=bool)
        node_keep = np.repeat(highway, sizes)
        w_ids, sizes, pos, present = w_ids[highway], sizes[highway], pos[node_keep], present[node_keep]
        tag_cols = {k: v[highway] for k, v in tag_cols.items()}
    if not present.all():
        w_ids, sizes, pos, tag_cols = _cut_runs(w_ids, sizes, pos, present, tag_cols)
    way_nodes, way_start = _drop_repeats(pos, sizes)
    return OsmArrays(
        node_id=node_id,
        node_lonlat=lonlat,
        way_id=w_ids,
        way_start=way_start,
        way_nodes=way_nodes,
        tags=tag_cols,
        cut=clipped,
        highway_only=pbf or clipped,
    )


def _positions(node_id: np.ndarray, order: np.ndarray, refs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """File position of each referenced node id, and whether it is in the file (the first node of a repeated id,
    as a dict keyed by id keeps its first place)."""
    if node_id.size == 0:
        return np.zeros(refs.size, np.int64), np.zeros(refs.size, bool)
    sorted_ids = node_id[order]
    at = np.searchsorted(sorted_ids, refs)
    at = np.minimum(at, sorted_ids.size - 1)
    present = sorted_ids[at] == refs
    return order[at], present


def _tag_columns(way_tags: list[tuple]) -> dict[str, np.ndarray]:
    cols: dict[str, np.ndarray] = {}
    for k, name in enumerate(WAY_TAGS):
        col = np.empty(len(way_tags), dtype=object)
        col[:] = [t[k] for t in way_tags]
        cols[name] = col
    return cols


def _cut_runs(
    w_ids: np.ndarray, sizes: np.ndarray, pos: np.ndarray, present: np.ndarray, tags: dict[str, np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Cut ways at missing nodes into runs of at least two present nodes; runs of cut ways get ids -1, -2, …"""
    owner = np.repeat(np.arange(sizes.size), sizes)
    whole = np.ones(sizes.size, bool)
    np.logical_and.at(whole, owner, present)
    start = np.r_[True, (owner[1:] != owner[:-1]) | (present[1:] != present[:-1])]
    run = np.cumsum(start) - 1
    run_owner = owner[start]
    run_ok = present[start]
    run_len = np.bincount(run, minlength=run_owner.size)
    keep_run = run_ok & (run_len >= 2)
    new_id = np.where(whole[run_owner], w_ids[run_owner], 0)
    cut_runs = keep_run & ~whole[run_owner]
    new_id[cut_runs] = -np.arange(1, int(cut_runs.sum()) + 1)
    keep_node = keep_run[run]
    out_tags = {k: v[run_owner[keep_run]] for k, v in tags.items()}
    return new_id[keep_run], run_len[keep_run], pos[keep_node], out_tags


def _drop_repeats(pos: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Way node lists without consecutive repeats (``itertools.groupby`` as osmnx does)."""
    owner = np.repeat(np.arange(sizes.size), sizes)
    keep = np.r_[True, (owner[1:] != owner[:-1]) | (pos[1:] != pos[:-1])] if pos.size else np.zeros(0, bool)
    counts = np.bincount(owner[keep], minlength=sizes.size)
    return pos[keep], np.r_[0, np.cumsum(counts)].astype(np.int64)

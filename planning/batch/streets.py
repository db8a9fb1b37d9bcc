"""The street network of a synthetic county (:mod:`planning.batch.county`): a perturbed grid with a winding river
that only a few bridges cross, built from arrays, and written as OSM PBF/XML (pyosmium) or a street-centreline
GeoPackage.

Junctions lie 25–40 m apart (each column and row spacing drawn once, every junction jittered by up to 4 m). The river
takes :data:`RIVER_ROWS` rows of junctions; bridges (``bridge=yes``, ``layer=1``) keep a few columns across. Some
segments are removed at random (dead ends, superblocks), never on arterials or bridges. Every
:data:`ARTERIAL_EVERY`-th row and column, and every bridge column, is an arterial (``highway=primary`` with a road name
某某路 / 某某街, the bridge 某某大桥); the other ways are mostly ``residential`` with some ``footway``, ``service``
and a few ``steps``. A way is a run of at most :data:`MAX_WAY_SEGMENTS` segments along one row or column.

With ``unwalkable=True`` some ways are there for the walkable filter to leave out, as in a real extract: one column
(about a third of the way across, never an arterial or a bridge column) is a ``motorway`` on both banks, and
:data:`PRIVATE_SHARE` of the ``service`` ways are ``access=private`` (written to OSM files only: a centreline layer
has no access column). Only those tags differ: the junctions, ways and every other tag are those drawn without it
(the default, where every way is walkable).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import pyproj
import shapely

from geo.files import atomic_path

#: The network formats written, and the file each is written to.
NETWORK_FILES: dict[str, str] = {
    "pbf": "streets.osm.pbf",
    "osm": "streets.osm",
    "centrelines": "streets.gpkg",
}
#: The GeoPackage layer of the centreline format.
CENTRELINE_LAYER = "streets"
#: Rows of junctions the river takes; every ``ARTERIAL_EVERY``-th row and column is an arterial road.
RIVER_ROWS = 3
ARTERIAL_EVERY = 24
#: The longest way, in segments (longer runs are cut into several ways).
MAX_WAY_SEGMENTS = 12
#: Share of segments removed at random (never on arterials or bridges).
DROP_SHARE = 0.06
#: Share of the ``service`` ways tagged ``access=private``.
PRIVATE_SHARE = 0.3

_ROAD_TEXT = (
    "人民解放中山建设文化胜利和平幸福光明新华东风红旗长征团结振兴朝阳迎宾滨江青云金山银湖龙泉凤凰育才桂花"
    "樟树梅岭松柏荷塘北湖南岭东岳西津环城工业学府花园翠微锦江玉带"
)
#: Two-character words, for names.
_ROAD_WORDS: tuple[str, ...] = tuple(_ROAD_TEXT[i : i + 2] for i in range(0, len(_ROAD_TEXT), 2))


@dataclass(frozen=True)
class Streets:
    """The street network in local metres: junctions, and ways as runs of junction indices with their tags."""

    node_xy: np.ndarray  # (n, 2) metres east/north of the county's centre
    refs: np.ndarray  # junction indices of every way, way after way
    way_start: np.ndarray  # (w + 1,) offsets of each way in ``refs``
    highway: np.ndarray  # (w,) the highway tag
    name: np.ndarray  # (w,) road name, "" for none
    bridge: np.ndarray  # (w,) bool
    access: np.ndarray  # (w,) "private" or ""

    @property
    def n_ways(self) -> int:
        return int(self.highway.size)


def _grid_size(nodes: int) -> int:
    """Junctions per side so that the grid less the river holds about ``nodes`` junctions."""
    r = RIVER_ROWS
    return max(16, round((r + math.sqrt(r * r + 4.0 * nodes)) / 2))


def _junctions(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Jittered junction positions of an ``n`` x ``n`` grid (row-major, centred on 0), and the water mask."""
    xs = np.concatenate([[0.0], np.cumsum(rng.uniform(25.0, 40.0, n - 1))])
    ys = np.concatenate([[0.0], np.cumsum(rng.uniform(25.0, 40.0, n - 1))])
    gx, gy = np.meshgrid(xs - xs[-1] / 2, ys - ys[-1] / 2)  # [row, col]: rows run south -> north
    xy = np.column_stack(
        [(gx + rng.uniform(-4.0, 4.0, gx.shape)).ravel(), (gy + rng.uniform(-4.0, 4.0, gy.shape)).ravel()]
    )
    row, col = np.divmod(np.arange(n * n), n)
    phase = rng.uniform(0.0, 2 * np.pi)
    bank = n // 2 + np.round(0.04 * n * np.sin(phase + 2 * np.pi * np.arange(n) / (0.4 * n))).astype(np.int64)
    water = (row > bank[col]) & (row <= bank[col] + RIVER_ROWS)
    return xy, water


def _segments(
    n: int, water: np.ndarray, rng: np.random.Generator, *, unwalkable: bool
) -> dict[str, np.ndarray]:
    """The grid's segments ordered along their line (rows first, then columns), with what each one is."""
    ids = np.arange(n * n).reshape(n, n)
    u = np.concatenate([ids[:, :-1].ravel(), ids[:-1, :].T.ravel()])
    v = np.concatenate([ids[:, 1:].ravel(), ids[1:, :].T.ravel()])
    idx = np.arange(n - 1)
    line = np.concatenate([np.repeat(np.arange(n), n - 1), n + np.repeat(np.arange(n), n - 1)])
    pos = np.tile(idx, 2 * n)
    n_bridges = max(3, n // 90)
    bridge_cols = np.linspace(0, n - 1, n_bridges + 2)[1:-1].round().astype(np.int64)
    vertical = line >= n
    bridge_line = vertical & np.isin(line - n, bridge_cols)
    bridge = bridge_line & (water[u] | water[v])
    arterial = (line % n) % ARTERIAL_EVERY == ARTERIAL_EVERY // 2
    arterial |= bridge_line
    motorway = vertical & (line - n == _motorway_column(n, bridge_cols)) & unwalkable
    dry = ~water[u] & ~water[v]
    keep = (dry | bridge) & ~((rng.random(u.size) < DROP_SHARE) & ~arterial)
    return {
        "u": u[keep],
        "v": v[keep],
        "line": line[keep],
        "pos": pos[keep],
        "bridge": bridge[keep],
        "arterial": arterial[keep],
        "motorway": motorway[keep],
    }


def _motorway_column(n: int, bridge_cols: np.ndarray) -> int:
    """The column of the motorway: the first from a third of the way across that is neither arterial nor bridge."""
    col = n // 3
    while col % ARTERIAL_EVERY == ARTERIAL_EVERY // 2 or col in bridge_cols:
        col += 1
    return col


def _ways(seg: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cut the segments into ways: a way is a run of consecutive segments of one line, of one bridge state, at most
    :data:`MAX_WAY_SEGMENTS` long. Returns the way of each segment, the refs (grid ids) and the way offsets."""
    line, pos, bridge = seg["line"], seg["pos"], seg["bridge"]
    start = np.ones(line.size, dtype=bool)
    start[1:] = (
        (line[1:] != line[:-1])
        | (pos[1:] != pos[:-1] + 1)
        | (bridge[1:] != bridge[:-1])
        | (pos[1:] % MAX_WAY_SEGMENTS == 0)
    )
    way_of = np.cumsum(start) - 1
    n_ways = int(way_of[-1]) + 1
    last = np.r_[way_of[1:] != way_of[:-1], True]
    refs = np.empty(line.size + n_ways, dtype=np.int64)
    at = np.arange(line.size) + way_of
    refs[at] = seg["u"]
    refs[at[last] + 1] = seg["v"][last]
    way_start = np.r_[at[start], refs.size]
    return way_of, refs, way_start


def _way_tags(
    seg: dict[str, np.ndarray], way_start: np.ndarray, n: int, rng: np.random.Generator, *, unwalkable: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The highway tag, road name, bridge flag and access tag of every way."""
    first = way_start[:-1] - np.arange(way_start.size - 1)  # the first segment of each way
    line, arterial, bridge = seg["line"][first], seg["arterial"][first], seg["bridge"][first]
    n_segments = np.diff(way_start) - 1
    draw = rng.random(first.size)
    highway = np.where(draw < 0.80, "residential", np.where(draw < 0.93, "footway", "service")).astype(object)
    highway[(draw > 0.985) & (n_segments <= 2)] = "steps"
    highway[arterial] = "primary"
    offset = int(rng.integers(len(_ROAD_WORDS)))
    road = np.array([_ROAD_WORDS[(k + offset) % len(_ROAD_WORDS)] for k in range(2 * n)], dtype=object)
    suffix = np.where(line < n, "路", "街").astype(object)
    name = np.where(arterial, road[line] + suffix, "").astype(object)
    name[bridge] = road[line[bridge]] + "大桥"
    highway[seg["motorway"][first]] = "motorway"
    private = np.zeros(first.size, dtype=bool)
    if unwalkable:  # drawn last: every draw before it is as without it
        private = (highway == "service") & (rng.random(first.size) < PRIVATE_SHARE)
    access = np.where(private, "private", "").astype(object)
    return highway, name, bridge, access


def make_streets(nodes: int, seed: int, *, unwalkable: bool = False) -> Streets:
    """The street network of a county of about ``nodes`` junctions (see the module's description); with
    ``unwalkable`` also a motorway and private service roads, for the walkable filter to leave out."""
    rng = np.random.default_rng(seed)
    n = _grid_size(nodes)
    xy, water = _junctions(n, rng)
    seg = _segments(n, water, rng, unwalkable=unwalkable)
    _, refs, way_start = _ways(seg)
    highway, name, bridge, access = _way_tags(seg, way_start, n, rng, unwalkable=unwalkable)
    used = np.zeros(n * n, dtype=bool)
    used[refs] = True
    new_id = np.cumsum(used) - 1
    return Streets(
        node_xy=xy[used],
        refs=new_id[refs],
        way_start=way_start,
        highway=highway,
        name=name,
        bridge=bridge,
        access=access,
    )


def local_to_lonlat(origin_lonlat: tuple[float, float]) -> pyproj.Transformer:
    """The transformer from a county's local metres (a transverse Mercator centred on ``origin_lonlat``) to WGS84."""
    lon, lat = origin_lonlat
    local = pyproj.CRS.from_proj4(f"+proj=tmerc +lat_0={lat} +lon_0={lon} +k=1 +x_0=0 +y_0=0 +ellps=WGS84")
    return pyproj.Transformer.from_crs(local, "EPSG:4326", always_xy=True)


def lonlat_of(tf: pyproj.Transformer, xy: np.ndarray) -> np.ndarray:
    """Local metres ``(k, 2)`` as WGS84 longitude/latitude ``(k, 2)``, rounded to 7 decimals (about 1 cm)."""
    lon, lat = tf.transform(xy[:, 0], xy[:, 1])
    return np.round(np.column_stack([lon, lat]), 7)


# --- the network files --------------------------------------------------------------------------------------------


def _way_tag_dicts(streets: Streets) -> list[dict[str, str]]:
    out = []
    for hw, nm, br, acc in zip(
        streets.highway.tolist(),
        streets.name.tolist(),
        streets.bridge.tolist(),
        streets.access.tolist(),
        strict=True,
    ):
        tags = {"highway": hw}
        if nm:
            tags["name"] = nm
        if br:
            tags["bridge"] = "yes"
            tags["layer"] = "1"
        if acc:
            tags["access"] = acc
        out.append(tags)
    return out


def write_osm(path: Path, streets: Streets, lonlat: np.ndarray, *, fmt: str) -> None:
    """Write the network as OSM (``fmt`` ``"pbf"`` or ``"osm"`` for XML) with pyosmium: nodes, then ways, by id."""
    import osmium  # optional dependency (pip install osmium), as for reading PBF files
    from osmium.osm.mutable import Node, Way

    suffix = ".osm.pbf" if fmt == "pbf" else ".osm"
    with atomic_path(path, suffix=suffix) as tmp:
        writer = osmium.SimpleWriter(str(tmp))
        try:
            for k, (lon, lat) in enumerate(lonlat.tolist()):
                writer.add_node(Node(id=k + 1, location=(lon, lat), version=1))
            refs = (streets.refs + 1).tolist()
            starts = streets.way_start.tolist()
            for w, tags in enumerate(_way_tag_dicts(streets)):
                writer.add_way(Way(id=w + 1, nodes=refs[starts[w] : starts[w + 1]], tags=tags, version=1))
        finally:
            writer.close()


def write_centrelines(path: Path, streets: Streets, lonlat: np.ndarray) -> None:
    """Write the network as a street-centreline GeoPackage: one WGS84 line per way, with its tags as columns."""
    way_of_ref = np.repeat(np.arange(streets.n_ways), np.diff(streets.way_start))
    lines = shapely.linestrings(lonlat[streets.refs], indices=way_of_ref)
    frame = gpd.GeoDataFrame(
        {
            "name": streets.name.astype(str),
            "highway": streets.highway.astype(str),
            "bridge": np.where(streets.bridge, "yes", ""),
        },
        geometry=lines,
        crs="EPSG:4326",
    )
    with atomic_path(path) as tmp:
        pyogrio.write_dataframe(frame, tmp, driver="GPKG", layer=CENTRELINE_LAYER)

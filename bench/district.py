"""A synthetic district of any size, as a user would bring it: an OpenStreetMap PBF with highway tags and street
names, and the same streets as a centreline GeoPackage (long lines that must be noded where streets cross).

The street pattern is that of :func:`common.synthetic_city`: a perturbed grid at 25-40 m spacing with a winding river
crossed by a few bridges. Streets are whole grid rows and columns cut into ways of a few blocks each; every eighth
street is a secondary road, a few blocks are footways or steps, one street is a motorway (left out by the walkable
filter) and a few service roads are private. ``python bench/district.py --nodes 100000 --out /tmp/d`` writes both
files.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

#: The district lies in UTM zone 50N (eastern China), around the demo study (planning/demo, near 118.0°E 28.4°N),
#: whose layers are tiled over it.
DISTRICT_CRS = "EPSG:32650"
X0, Y0 = 595_000.0, 3_141_000.0
#: The demo study's folder in this checkout (written by ``eldercircle demo``; tracked in git).
DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"


@dataclass(frozen=True)
class District:
    """A street grid as arrays: junction coordinates and ways (runs of junctions) with their tags."""

    node_xy: np.ndarray  # (n, 2) metres in DISTRICT_CRS
    way_nodes: np.ndarray  # concatenated node indices of every way
    way_start: np.ndarray  # (w + 1,) offsets into way_nodes
    highway: np.ndarray  # (w,) str
    name: np.ndarray  # (w,) str
    bridge: np.ndarray  # (w,) bool
    access: np.ndarray  # (w,) str ('' or 'private')

    @property
    def n_ways(self) -> int:
        """Number of ways."""
        return int(self.highway.size)


def _runs(keep: np.ndarray, block: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Cut each line of kept segments (rows of ``keep``: segment j joins point j and j+1) into runs of at most
    ``block`` segments; return (line, first segment, number of segments) of every run."""
    lines, first, count = [], [], []
    n_lines, n_seg = keep.shape
    cut = rng.integers(3, block + 1, size=keep.shape) == 3  # random way breaks
    for i in range(n_lines):
        k = keep[i]
        start = -1
        for j in range(n_seg):
            if not k[j]:
                if start >= 0:
                    lines.append(i), first.append(start), count.append(j - start)
                start = -1
            elif start < 0:
                start = j
            elif cut[i, j]:
                lines.append(i), first.append(start), count.append(j - start)
                start = j
        if start >= 0:
            lines.append(i), first.append(start), count.append(n_seg - start)
    return np.array(lines), np.column_stack([first, count]) if lines else np.zeros((0, 2), np.int64)


def make_district(nodes: int = 1_000_000, *, seed: int = 0, drop_share: float = 0.05) -> District:
    """About ``nodes`` walkable junctions in a perturbed grid with a river, bridges and tagged streets."""
    rng = np.random.default_rng(seed)
    n = max(8, round(float(np.sqrt(nodes / 0.985))))
    xs = X0 + np.concatenate([[0.0], np.cumsum(rng.uniform(25.0, 40.0, n - 1))])
    ys = Y0 + np.concatenate([[0.0], np.cumsum(rng.uniform(25.0, 40.0, n - 1))])
    gx, gy = np.meshgrid(xs, ys)  # [row, col]
    gx = gx + rng.uniform(-4.0, 4.0, gx.shape)
    gy = gy + rng.uniform(-4.0, 4.0, gy.shape)
    bank = n // 2 + np.round(0.04 * n * np.sin(2 * np.pi * np.arange(n) / (0.4 * n))).astype(np.int64)
    row = np.arange(n)[:, None]
    water = (row > bank[None, :]) & (row <= bank[None, :] + 2)  # [row, col]
    bridge_cols = np.linspace(0, n - 1, 8)[1:-1].round().astype(np.int64)
    # horizontal segments (r, c)-(r, c+1); vertical segments (r, c)-(r+1, c) as rows of the transposed grid
    h_keep = ~water[:, :-1] & ~water[:, 1:] & (rng.random((n, n - 1)) >= drop_share)
    v_wet = water[:-1, :] | water[1:, :]
    v_keep = (~v_wet | np.isin(np.arange(n), bridge_cols)[None, :]) & (rng.random((n - 1, n)) >= drop_share)
    v_keep[:, bridge_cols] |= v_wet[:, bridge_cols]
    h_line, h_run = _runs(h_keep, 12, rng)
    v_line, v_run = _runs(v_keep.T, 12, rng)
    node_id = np.arange(n * n).reshape(n, n)
    nodes_of: list[np.ndarray] = []
    for line, (first, count) in zip(h_line, h_run, strict=True):
        nodes_of.append(node_id[line, first : first + count + 1])
    for line, (first, count) in zip(v_line, v_run, strict=True):
        nodes_of.append(node_id[first : first + count + 1, line])
    is_v = np.r_[np.zeros(h_line.size, bool), np.ones(v_line.size, bool)]
    line_no = np.r_[h_line, v_line]
    w = len(nodes_of)
    highway = np.where(line_no % 8 == 0, "secondary", "residential").astype(object)
    short = np.array([a.size == 2 for a in nodes_of])
    pick = rng.random(w)
    highway[short & (pick < 0.10)] = "footway"
    highway[short & (pick >= 0.10) & (pick < 0.13)] = "steps"
    highway[(~short) & (pick < 0.02)] = "service"
    access = np.where((highway == "service") & (rng.random(w) < 0.3), "private", "").astype(object)
    highway[is_v & (line_no == n // 3)] = "motorway"
    kind = np.where(is_v, "路", "街")
    name = np.array(
        [f"{'东西南北'[i % 4]}{int(k) + 1}{s}" for i, (k, s) in enumerate(zip(line_no, kind, strict=True))]
    )
    name[highway == "footway"] = ""
    wet_nodes = water.ravel()
    bridge = np.array([bool(wet_nodes[a].any()) for a in nodes_of])
    sizes = np.array([a.size for a in nodes_of])
    flat = np.concatenate(nodes_of)
    used = np.zeros(n * n, bool)
    used[flat] = True
    new_id = np.cumsum(used) - 1
    return District(
        node_xy=np.column_stack([gx.ravel()[used], gy.ravel()[used]]),
        way_nodes=new_id[flat],
        way_start=np.r_[0, np.cumsum(sizes)],
        highway=highway.astype(str),
        name=name.astype(str),
        bridge=bridge,
        access=access.astype(str),
    )


def lonlat(d: District) -> np.ndarray:
    """Junction coordinates in WGS84 (lon, lat)."""
    import pyproj

    t = pyproj.Transformer.from_crs(DISTRICT_CRS, "EPSG:4326", always_xy=True)
    lon, lat = t.transform(d.node_xy[:, 0], d.node_xy[:, 1])
    return np.column_stack([lon, lat])


def write_pbf(d: District, path: Path | str) -> Path:
    """The district as an OSM PBF (or XML when ``path`` ends in .osm): nodes 1..n, ways 1..w with tags."""
    import osmium

    path = Path(path)
    ll = lonlat(d)
    with osmium.SimpleWriter(str(path), overwrite=True) as writer:
        for i, (lon, lat) in enumerate(ll.tolist()):
            writer.add_node(osmium.osm.mutable.Node(id=i + 1, location=(lon, lat)))
        start = d.way_start
        for k in range(d.n_ways):
            tags = {"highway": str(d.highway[k])}
            if d.name[k]:
                tags["name"] = str(d.name[k])
            if d.bridge[k]:
                tags["bridge"] = "yes"
                tags["layer"] = "1"
            if d.access[k]:
                tags["access"] = str(d.access[k])
            refs = (d.way_nodes[start[k] : start[k + 1]] + 1).tolist()
            writer.add_way(osmium.osm.mutable.Way(id=k + 1, nodes=refs, tags=tags))
    return path


def write_centrelines(d: District, path: Path | str) -> Path:
    """The district's streets as a centreline GeoPackage: one line per way, columns highway, name, bridge."""
    import geopandas as gpd
    import shapely

    path = Path(path)
    sizes = np.diff(d.way_start)
    owner = np.repeat(np.arange(d.n_ways), sizes)
    lines = shapely.linestrings(d.node_xy[d.way_nodes], indices=owner)
    frame = gpd.GeoDataFrame(
        {"highway": d.highway, "name": d.name, "bridge": np.where(d.bridge, "yes", "no")},
        geometry=lines,
        crs=DISTRICT_CRS,
    )
    frame.to_file(path, layer="streets", driver="GPKG")
    return path


def _tile_offsets(d: District) -> list[tuple[float, float]]:
    """Degrees to shift copies of the demo's layers so they tile the district (the demo covers ~0.09 x 0.09°)."""
    ll = lonlat(d)
    (lon0, lat0), (lon1, lat1) = ll.min(axis=0), ll.max(axis=0)
    demo_lon0, demo_lat0, size = 117.95, 28.40, 0.09
    n_x = max(1, int((lon1 - lon0 - 0.01) // size))
    n_y = max(1, int((lat1 - lat0 - 0.01) // size))
    return [
        (lon0 + 0.005 + i * size - demo_lon0, lat0 + 0.005 + j * size - demo_lat0)
        for j in range(n_y)
        for i in range(n_x)
    ]


def write_study(d: District, folder: Path | str, *, network: str) -> Path:
    """A study folder on the district: the demo's communities, facilities, candidates and population tiled over it
    (names made unique per tile), and ``network`` (a file name in the folder) as its walking network."""
    import geopandas as gpd
    import pandas as pd

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    offsets = _tile_offsets(d)
    for name, layer in (
        ("communities.geojson", None),
        ("candidates.geojson", None),
        ("population.gpkg", "elder_density"),
    ):
        src = gpd.read_file(DEMO_DIR / name, layer=layer)
        parts = []
        for k, (dx, dy) in enumerate(offsets):
            part = src.copy()
            part["geometry"] = part.geometry.translate(dx, dy)
            if "name" in part.columns and k:
                part["name"] = part["name"].astype(str) + f"·{k + 1}"
            if "id" in part.columns and k:
                part["id"] = part["id"].astype(str) + f"-{k + 1}"
            parts.append(part)
        out = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=src.crs)
        if name.endswith(".gpkg"):
            out.to_file(folder / name, layer=layer, driver="GPKG")
        else:
            out.to_file(folder / name, driver="GeoJSON")
    fac = pd.read_csv(DEMO_DIR / "facilities.csv", dtype=str, keep_default_na=False)
    rows = []
    for k, (dx, dy) in enumerate(offsets):
        part = fac.copy()
        part["经度"] = (part["经度"].astype(float) + dx).map(lambda v: f"{v:.6f}")
        part["纬度"] = (part["纬度"].astype(float) + dy).map(lambda v: f"{v:.6f}")
        if k:
            part["名称"] = part["名称"] + f"·{k + 1}"
        rows.append(part)
    pd.concat(rows, ignore_index=True).to_csv(folder / "facilities.csv", index=False)
    toml = (DEMO_DIR / "study.toml").read_text(encoding="utf-8")
    toml = re.sub(r'^name = ".*"$', 'name = "合成城区（基准测试）"', toml, count=1, flags=re.M)
    toml = re.sub(
        r'^name_en = ".*"$',
        f'name_en = "Synthetic district, {d.node_xy.shape[0]:,} junctions"',
        toml,
        count=1,
        flags=re.M,
    )
    toml = re.sub(r'^source = ".*"$', f'source = "{network}"', toml, count=1, flags=re.M)
    (folder / "study.toml").write_text(toml, encoding="utf-8")
    return folder


def main() -> None:
    """Write a district's PBF and GeoPackage into a folder."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    d = make_district(args.nodes, seed=args.seed)
    write_pbf(d, args.out / "district.osm.pbf")
    write_centrelines(d, args.out / "district.gpkg")
    print(f"{d.node_xy.shape[0]:,} junctions, {d.n_ways:,} ways -> {args.out}")


if __name__ == "__main__":
    main()

"""A synthetic county of a chosen network size, for batch tests and benchmarks: :func:`make_county` writes a complete
study (study.toml, communities, facilities, candidate sites, elder-density points, the street network) around a
street network of about ``nodes`` walkable junctions (:mod:`planning.batch.streets`: a perturbed grid with a winding
river and a few bridges, as OSM PBF, OSM XML or a centreline GeoPackage). Everything in it is invented (SYNTHETIC)
and the same arguments write the same county.

Communities are a grid of rectangles about 1 km across over the streets: urban ones (社区) near the centre, dense and
younger; rural ones (村) further out; three by three of them make a street (街道) or town (镇). Facilities of the
demo's kinds are scaled to the communities and residents (a service centre and a health centre per street, day care
and meal points in urban communities, mutual-aid points in villages, an embedded home per 60 000 urban residents, a
nursing home per 120 000 residents), and the elder-density points (centres of cells of 100 m or more near a street)
sum exactly to each community's residents and elderly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyproj
import shapely
from scipy.spatial import cKDTree

from geo.files import atomic_path, atomic_write
from planning.batch.streets import (
    CENTRELINE_LAYER,
    NETWORK_FILES,
    Streets,
    local_to_lonlat,
    lonlat_of,
    make_streets,
    write_centrelines,
    write_osm,
)
from planning.schema import FACILITY_KINDS

#: Side of a community, metres.
COMMUNITY_M = 1000.0
_PLACE_TEXT = (
    "和平幸福光明新华东风红星建设文化团结胜利向阳育才桃源杏林柳岸荷花桂园梅园兰亭竹溪松林枫桥石门青山白沙"
    "黄泥塘口杨柳丰收福寿安康长乐永宁太平瑞丰嘉禾盛世锦绣翠苑金桂紫荆润园龙湾凤栖书院南门北关东郊西岭"
)
#: Two-character words, for names.
_PLACE_WORDS: tuple[str, ...] = tuple(_PLACE_TEXT[i : i + 2] for i in range(0, len(_PLACE_TEXT), 2))
_PLACE_ENDS: tuple[str, ...] = tuple("园苑里坊湾岭桥塘洲岗坪庄湖源冈亭溪山田口")

_COMMUNITY_COLUMNS = ["name", "street", "population", "elderly", "elderly_80", "households", "kind", "built"]


@dataclass(frozen=True)
class County:
    """What :func:`make_county` wrote: the folder, the network file, and the county's size."""

    folder: Path
    network_file: str
    nodes: int
    ways: int
    segments: int
    communities: int
    residents: int
    elderly: int
    facilities: int


# --- communities, facilities, candidates, elder-density points ----------------------------------------------------


def _place_names(k: int, rng: np.random.Generator) -> list[str]:
    """``k`` distinct place names (two characters and an ending: 和平园, 桃源里, …)."""
    combos = [a + b for b in _PLACE_ENDS for a in _PLACE_WORDS]
    order = rng.permutation(len(combos))
    names = [combos[i] for i in order[: min(k, len(combos))]]
    names += [f"{combos[order[i % len(combos)]]}{i // len(combos) + 1}" for i in range(len(names), k)]
    return names


def _community_grid(streets: Streets) -> tuple[np.ndarray, np.ndarray]:
    """The community boundaries east and north (metres), about :data:`COMMUNITY_M` apart, around the streets."""
    lo, hi = streets.node_xy.min(axis=0) - 20.0, streets.node_xy.max(axis=0) + 20.0
    nx, ny = (max(2, round(float(s) / COMMUNITY_M)) for s in hi - lo)
    return np.linspace(lo[0], hi[0], nx + 1), np.linspace(lo[1], hi[1], ny + 1)


def _communities(bx: np.ndarray, by: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    """The communities of the grid (x0, y0, x1, y1 in metres) with their names, streets and figures."""
    nx, ny = bx.size - 1, by.size - 1
    j, i = np.divmod(np.arange(nx * ny), nx)  # column i, row j
    frame = pd.DataFrame({"x0": bx[i], "x1": bx[i + 1], "y0": by[j], "y1": by[j + 1]})
    cx, cy = (frame.x0 + frame.x1) / 2, (frame.y0 + frame.y1) / 2
    reach = float(np.hypot(bx[-1] - bx[0], by[-1] - by[0]) / 2)
    d = np.hypot(cx, cy).to_numpy() / reach
    urban = d < rng.uniform(0.45, 0.65)
    area_km2 = ((frame.x1 - frame.x0) * (frame.y1 - frame.y0)).to_numpy() / 1e6
    density = np.where(urban, 14_000 * (1.0 - 0.8 * d), 450.0) * rng.lognormal(0.0, 0.3, d.size)
    population = np.maximum(300, np.round(area_km2 * density)).astype(np.int64)
    share = np.where(urban, rng.uniform(0.11, 0.26, d.size), rng.uniform(0.20, 0.32, d.size))
    elderly = np.round(population * share).astype(np.int64)
    street = (j // 3) * ((nx + 2) // 3) + i // 3
    street_urban = pd.Series(urban).groupby(street).transform("mean").to_numpy() >= 0.5
    words = _place_names(int(street.max()) + 1 + d.size, rng)
    street_word = np.array(words[: int(street.max()) + 1], dtype=object)[street]
    frame["name"] = [
        w + ("社区" if u else "村") for w, u in zip(words[int(street.max()) + 1 :], urban, strict=True)
    ]
    frame["street"] = street_word + np.where(street_urban, "街道", "镇")
    frame["population"] = population
    frame["elderly"] = elderly
    frame["elderly_80"] = np.round(elderly * rng.uniform(0.12, 0.20, d.size)).astype(np.int64)
    frame["households"] = np.round(population / rng.uniform(2.5, 3.0, d.size)).astype(np.int64)
    frame["kind"] = np.where(urban, "urban", "rural")
    frame["built"] = np.where(urban & (rng.random(d.size) < 0.08), "new", "existing")
    return frame


def _nodes_by_community(streets: Streets, bx: np.ndarray, by: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The junctions sorted by community, and each community's offset into them."""
    xy = streets.node_xy
    i = np.clip(np.searchsorted(bx, xy[:, 0]) - 1, 0, bx.size - 2)
    j = np.clip(np.searchsorted(by, xy[:, 1]) - 1, 0, by.size - 2)
    com = j * (bx.size - 1) + i
    order = np.argsort(com, kind="stable")
    starts = np.searchsorted(com[order], np.arange((bx.size - 1) * (by.size - 1) + 1))
    return order, starts


def _spots(
    streets: Streets, nodes: tuple[np.ndarray, np.ndarray], com: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """A point beside a random junction of each of the communities ``com`` (metres)."""
    order, starts = nodes
    count = starts[com + 1] - starts[com]
    pick = starts[com] + np.floor(rng.random(com.size) * np.maximum(count, 1)).astype(np.int64)
    xy = streets.node_xy[order[np.minimum(pick, order.size - 1)]]
    return xy + rng.uniform(-12.0, 12.0, xy.shape)


def _facility_rows(coms: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Which facilities the county has: kind, name and the community each stands in, scaled to its residents."""
    urban = np.flatnonzero(coms.kind.to_numpy() == "urban")
    rural = np.flatnonzero(coms.kind.to_numpy() == "rural")
    streets = coms.groupby("street", sort=False).head(1)
    heads = streets.index.to_numpy()
    total = int(coms.population.sum())
    pool = urban if urban.size else np.arange(len(coms))
    n_embedded = min(pool.size, max(1, int(coms.population.to_numpy()[pool].sum()) // 60_000))
    n_homes = min(len(coms), max(1, total // 120_000))
    picks = [
        ("street_centre", heads[rng.random(heads.size) < 0.9], "street"),
        ("health_centre", heads, "street"),
        ("day_care", urban[rng.random(urban.size) < 0.55], "name"),
        ("meal_point", urban[rng.random(urban.size) < 0.35], "name"),
        ("rural_mutual_aid", rural[rng.random(rural.size) < 0.8], "name"),
        ("embedded_home", rng.choice(pool, n_embedded, replace=False), "name"),
        ("nursing_home", rng.choice(len(coms), n_homes, replace=False), "name"),
    ]
    rows = []
    for kind, where, label in picks:
        for c in np.asarray(where, dtype=np.int64).tolist():
            where_name = coms[label].iat[c]
            kind_zh = (
                FACILITY_KINDS[kind].removeprefix("社区").removeprefix("街道" if label == "street" else "")
            )
            rows.append((kind, c, where_name + kind_zh))
    out = pd.DataFrame(rows, columns=["kind", "community", "name"])
    out["name"] = out.name.where(~out.name.duplicated(), out.name + "（二）")
    return out


_SIZES = {  # floor area m² (low, high), beds (low, high), nursing-bed share
    "street_centre": ((600, 1600), (20, 150), 0.45),
    "health_centre": ((800, 2500), (0, 40), 0.0),
    "day_care": ((200, 700), (0, 20), 0.0),
    "meal_point": ((80, 300), (0, 0), 0.0),
    "rural_mutual_aid": ((100, 400), (0, 10), 0.0),
    "embedded_home": ((800, 2500), (30, 100), 0.6),
    "nursing_home": ((3000, 9000), (120, 400), 0.55),
}


def _facilities(
    coms: pd.DataFrame, streets: Streets, nodes: tuple[np.ndarray, np.ndarray], rng: np.random.Generator
) -> pd.DataFrame:
    """The facilities with their figures and places (metres)."""
    fac = _facility_rows(coms, rng)
    size = fac.kind.map(_SIZES)
    lo_a, hi_a = np.array([s[0] for s in size], dtype=float).T
    lo_b, hi_b = np.array([s[1] for s in size], dtype=float).T
    floor = np.round(rng.uniform(lo_a, hi_a) / 10) * 10
    fac["floor_area_m2"] = floor
    land = np.round(floor * rng.uniform(0.6, 1.3, floor.size) / 10) * 10
    fac["land_area_m2"] = np.where(rng.random(floor.size) < 0.35, np.nan, land)
    beds = np.round(rng.uniform(lo_b, hi_b)).astype(np.int64)
    fac["beds"] = beds
    share = np.array([s[2] for s in size]) * rng.uniform(0.7, 1.1, floor.size)
    fac["nursing_beds"] = np.minimum(beds, np.round(beds * share)).astype(np.int64)
    xy = _spots(streets, nodes, fac.community.to_numpy(), rng)
    fac["x"], fac["y"] = xy[:, 0], xy[:, 1]
    return fac


def _candidates(
    coms: pd.DataFrame, streets: Streets, nodes: tuple[np.ndarray, np.ndarray], rng: np.random.Generator
) -> pd.DataFrame:
    """Candidate sites in about one community of four: the kinds they suit, their size and cost (万元)."""
    k = max(2, len(coms) // 4)
    com = np.sort(rng.choice(len(coms), min(k, len(coms)), replace=False))
    kinds = np.array(["day_care,meal_point", "day_care", "embedded_home", "meal_point", "street_centre"])
    pick = kinds[rng.integers(0, kinds.size, com.size)]
    floor = np.round(rng.uniform(200, 2000, com.size) / 10) * 10
    xy = _spots(streets, nodes, com, rng)
    return pd.DataFrame(
        {
            "name": [f"候选地块{n + 1:03d}（{coms.name.iat[c]}）" for n, c in enumerate(com.tolist())],
            "kinds": pick,
            "floor_area_m2": floor,
            "land_area_m2": np.round(floor * rng.uniform(0.8, 1.5, com.size) / 10) * 10,
            "beds": np.where(pick == "embedded_home", np.round(floor / 30), 0).astype(np.int64),
            "cost": np.round(floor * rng.uniform(0.35, 0.55, com.size), 1),
            "x": xy[:, 0],
            "y": xy[:, 1],
        }
    )


def _cells(
    coms: pd.DataFrame, streets: Streets, bx: np.ndarray, by: np.ndarray, rng: np.random.Generator
) -> pd.DataFrame:
    """Elder-density points: centres of square cells near a street, each community's residents and elderly spread
    over its cells so that they sum exactly to the community's figures."""
    side = max(100.0, round(max(bx[-1] - bx[0], by[-1] - by[0]) / 300.0, -1))
    cx = np.arange(bx[0] + side / 2, bx[-1], side)
    cy = np.arange(by[0] + side / 2, by[-1], side)
    gx, gy = (a.ravel() for a in np.meshgrid(cx, cy))
    near = cKDTree(streets.node_xy).query(np.column_stack([gx, gy]), distance_upper_bound=0.75 * side)[0]
    dry = np.isfinite(near)
    gx, gy = gx[dry], gy[dry]
    com = np.clip(np.searchsorted(by, gy) - 1, 0, by.size - 2) * (bx.size - 1)
    com += np.clip(np.searchsorted(bx, gx) - 1, 0, bx.size - 2)
    missing = np.setdiff1d(np.arange(len(coms)), com)  # a community without a cell near a street: its centre
    gx = np.r_[gx, (coms.x0.to_numpy()[missing] + coms.x1.to_numpy()[missing]) / 2]
    gy = np.r_[gy, (coms.y0.to_numpy()[missing] + coms.y1.to_numpy()[missing]) / 2]
    com = np.r_[com, missing]
    order = np.argsort(com, kind="stable")
    starts = np.searchsorted(com[order], np.arange(len(coms) + 1))
    pop = np.zeros(gx.size, dtype=np.int64)
    old = np.zeros(gx.size, dtype=np.int64)
    for c, (p, e) in enumerate(zip(coms.population.tolist(), coms.elderly.tolist(), strict=True)):
        cells = order[starts[c] : starts[c + 1]]
        weight = rng.uniform(0.2, 1.0, cells.size)
        pop[cells] = rng.multinomial(p, weight / weight.sum())
        old[cells] = rng.multivariate_hypergeometric(pop[cells], e, method="marginals")
    keep = pop > 0
    return pd.DataFrame({"population": pop[keep], "elderly": old[keep], "x": gx[keep], "y": gy[keep]})


# --- the study ----------------------------------------------------------------------------------------------------

_STUDY_TOML = """\
# eldercircle study: a SYNTHETIC county written by planning/batch/county.py (make_county); nothing in it is real.
[study]
name = {name}
name_en = {name_en}
synthetic = true
coords = "wgs84"
data_date = "2026-11"
sources = ["合成数据：由 eldercircle 的 planning/batch/county.py 生成（种子 {seed}），并非真实地点。"]
sources_en = ["Synthetic data generated by planning/batch/county.py (eldercircle, seed {seed}); not a real place."]

[layers]
communities = "communities.geojson"
facilities = "facilities.csv"
candidates = "candidates.geojson"
population = "population.gpkg#elder_density"

[network]
source = "{network}"
walk_speed_m_s = 1.0

[standards]
preset = "xinzhou"
"""

_README = """\
# {name} (SYNTHETIC DATA)

A synthetic county written by `make_county(nodes={nodes}, seed={seed})` in planning/batch/county.py: every street,
place, facility and figure is invented. {n_nodes:,} street junctions in {n_ways:,} ways (`{network}`),
{n_coms:,} communities with {residents:,} residents of whom {elderly:,} are 60 or older, {n_fac:,} facilities.
"""


def _points(tf: pyproj.Transformer, frame: pd.DataFrame) -> np.ndarray:
    return shapely.points(lonlat_of(tf, frame[["x", "y"]].to_numpy()))


def _write_geojson(path: Path, frame: gpd.GeoDataFrame) -> None:
    with atomic_path(path) as tmp:
        pyogrio.write_dataframe(
            frame,
            tmp,
            driver="GeoJSON",
            layer_options={"RFC7946": "YES", "COORDINATE_PRECISION": "7", "WRITE_NAME": "NO"},
        )


def _csv_number(values: pd.Series) -> list[str]:
    return ["" if pd.isna(v) else f"{float(v):g}" for v in values.tolist()]


def _write_layers(
    folder: Path, tf: pyproj.Transformer, coms: pd.DataFrame, fac: pd.DataFrame, rest: tuple
) -> None:
    """communities.geojson, facilities.csv (Chinese headers and kind names), candidates.geojson, population.gpkg."""
    cand, cells = rest
    corners = lonlat_of(tf, coms[["x0", "y0"]].to_numpy()), lonlat_of(tf, coms[["x1", "y1"]].to_numpy())
    boxes = shapely.box(corners[0][:, 0], corners[0][:, 1], corners[1][:, 0], corners[1][:, 1])
    _write_geojson(
        folder / "communities.geojson", gpd.GeoDataFrame(coms[_COMMUNITY_COLUMNS], geometry=boxes, crs=4326)
    )
    lonlat = lonlat_of(tf, fac[["x", "y"]].to_numpy())
    table = pd.DataFrame(
        {
            "名称": fac.name,
            "类型": fac.kind.map(FACILITY_KINDS),
            "经度": [f"{v:.6f}" for v in lonlat[:, 0]],
            "纬度": [f"{v:.6f}" for v in lonlat[:, 1]],
            "建筑面积": _csv_number(fac.floor_area_m2),
            "用地面积": _csv_number(fac.land_area_m2),
            "床位数": _csv_number(fac.beds),
            "护理型床位": _csv_number(fac.nursing_beds),
        }
    )
    atomic_write(folder / "facilities.csv", table.to_csv(index=False, lineterminator="\n"))
    cand_frame = gpd.GeoDataFrame(cand.drop(columns=["x", "y"]), geometry=_points(tf, cand), crs=4326)
    _write_geojson(folder / "candidates.geojson", cand_frame)
    ids = [f"c{k:06d}" for k in range(1, len(cells) + 1)]
    cell_frame = gpd.GeoDataFrame(
        {"id": ids, "population": cells.population, "elderly": cells.elderly},
        geometry=_points(tf, cells),
        crs=4326,
    )
    with atomic_path(folder / "population.gpkg") as tmp:
        pyogrio.write_dataframe(cell_frame, tmp, driver="GPKG", layer="elder_density")


def make_county(
    folder: str | Path,
    *,
    nodes: int,
    seed: int,
    origin_lonlat: tuple[float, float] = (117.5, 28.0),
    network_format: str = "pbf",
    name: str | None = None,
    name_en: str | None = None,
    unwalkable: bool = False,
) -> County:
    """Write a SYNTHETIC county study of about ``nodes`` street junctions into ``folder`` (created when missing).

    Parameters
    ----------
    folder : the study folder; its files (study.toml, README.md, the layers, the network) are replaced.
    nodes : about how many walkable junctions the street network has (at least a few hundred).
    seed : the seed of every random draw: the same arguments write the same county.
    origin_lonlat : the county's centre, WGS84 degrees (the default lies in Jiangxi).
    network_format : ``"pbf"`` (streets.osm.pbf), ``"osm"`` (OSM XML, streets.osm) or ``"centrelines"``
        (a GeoPackage of street centrelines, streets.gpkg layer ``streets``).
    name, name_en : the study's Chinese and English names (default: 合成县 with the seed and size).
    unwalkable : also write ways the walkable filter leaves out, as a real extract has them: a motorway (left out
        in every format) and private service roads (``access=private``, written to OSM files only); the rest of the
        county is the same as without them (only those ways' tags differ).

    Returns
    -------
    County
        The folder, the network file as study.toml names it, and the county's size.

    Raises
    ------
    ValueError
        An unknown ``network_format``.
    """
    if network_format not in NETWORK_FILES:
        raise ValueError(f"unknown network format {network_format!r}; one of {', '.join(NETWORK_FILES)}")
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng([seed, 1])
    streets = make_streets(int(nodes), seed, unwalkable=unwalkable)
    tf = local_to_lonlat(origin_lonlat)
    lonlat = lonlat_of(tf, streets.node_xy)
    network = NETWORK_FILES[network_format]
    if network_format == "centrelines":
        write_centrelines(out / network, streets, lonlat)
        network += f"#{CENTRELINE_LAYER}"
    else:
        write_osm(out / network, streets, lonlat, fmt=network_format)
    bx, by = _community_grid(streets)
    coms = _communities(bx, by, rng)
    by_com = _nodes_by_community(streets, bx, by)
    fac = _facilities(coms, streets, by_com, rng)
    rest = (_candidates(coms, streets, by_com, rng), _cells(coms, streets, bx, by, rng))
    _write_layers(out, tf, coms, fac, rest)
    name = name or f"合成县{seed}（{streets.node_xy.shape[0]:,}个路口，合成数据）"
    name_en = name_en or f"Synthetic county {seed} ({streets.node_xy.shape[0]:,} junctions, synthetic data)"
    atomic_write(
        out / "study.toml",
        _STUDY_TOML.format(name=_toml_text(name), name_en=_toml_text(name_en), seed=seed, network=network),
    )
    county = County(
        folder=out,
        network_file=network,
        nodes=int(streets.node_xy.shape[0]),
        ways=streets.n_ways,
        segments=int(streets.refs.size - streets.n_ways),
        communities=len(coms),
        residents=int(coms.population.sum()),
        elderly=int(coms.elderly.sum()),
        facilities=len(fac),
    )
    atomic_write(out / "README.md", _readme(county, name, nodes, seed))
    return county


def _toml_text(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)


def _readme(county: County, name: str, nodes: int, seed: int) -> str:
    return _README.format(
        name=name,
        nodes=nodes,
        seed=seed,
        n_nodes=county.nodes,
        n_ways=county.ways,
        network=county.network_file,
        n_coms=county.communities,
        residents=county.residents,
        elderly=county.elderly,
        n_fac=county.facilities,
    )

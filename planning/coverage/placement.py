"""Where a community's elderly live when the study gives only totals: residential buildings by floor area.

Bureaus rarely have the elderly as points; they have a count per community (社区), sometimes per compound (小区).
Spread evenly over a community, the elderly would "live" in parks, water, rail yards and schools, and coverage
shares would become area shares. Here they are placed dasymetrically, as GOAT does with census population:

1. **buildings**: a community's elderly go to the residential buildings inside it in proportion to their floor area
   (footprint x floors from ``building:levels``, ``height`` / 3 m, or a class default). Buildings come from the
   study's ``[layers] buildings`` (floors, height and use columns, Chinese headers accepted) or its OSM file.
   Non-residential buildings (retail, office, school, hospital, industrial, public, religious, station ...; the
   Chinese uses 商业, 办公, 学校, 医院, 工业 ...) get none, and an untyped building (``building=yes``) standing in
   commercial, industrial or school grounds gets none either. A compound (``[layers] compounds``) with its own
   elderly (or households) is placed in its own buildings first; the community's remainder in the rest.
2. **landuse**: where a community has no residential building, its OSM ``landuse=residential`` land gets an even
   grid, when that land covers at least :data:`MIN_RESIDENTIAL_LAND_SHARE` of the community (less says the mapping
   is incomplete).
3. **grid**: the last fallback, per community, and reported.

Which method served each community is kept (:attr:`Placement.method`) and said. The placed points are derived
positions, never people: exports keep them out of public files (see :mod:`planning.report.privacy`).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.basemap import is_osm_basemap_source
from geo.buildings import buildings_from_osm, floor_area_m2, parse_floors, parse_height_m
from geo.demand import (
    SPREAD_SPACING_M,
    DemandPoints,
    allocate_to_points,
    assign_to_polygons,
    spread_over_polygons,
)
from geo.errors import NetworkError
from planning.study import Study

#: Building values (OSM ``building=*``) and uses (bureau layers, lower-cased) that are homes.
RESIDENTIAL_WORDS: tuple[str, ...] = (
    "residential", "apartments", "house", "detached", "semidetached_house", "terrace", "dormitory", "bungalow",
    "住宅", "居住", "公寓", "宿舍", "住房", "民居", "农房", "安置房",
)  # fmt: skip
#: Building values and uses that are not homes (matched as words in OSM values, as parts of Chinese uses).
NON_RESIDENTIAL_WORDS: tuple[str, ...] = (
    "retail", "commercial", "office", "school", "university", "college", "kindergarten", "hospital", "clinic",
    "industrial", "warehouse", "factory", "public", "civic", "government", "religious", "church", "temple",
    "mosque", "shrine", "train_station", "transportation", "station", "hotel", "garage", "garages", "parking",
    "service", "stadium", "sports_hall", "supermarket", "kiosk", "toilets", "roof", "construction", "barn",
    "shed", "greenhouse", "military", "fire_station", "prison",
    "商业", "商场", "商铺", "办公", "写字楼", "学校", "教学", "幼儿园", "医院", "卫生", "工业", "厂房", "仓储", "仓库",
    "公共", "行政", "宗教", "寺", "庙", "教堂", "车站", "交通", "酒店", "宾馆", "车库", "停车", "体育", "市场",
)  # fmt: skip
#: Land uses and grounds in which an untyped building holds no homes.
NON_RESIDENTIAL_ZONES: frozenset[str] = frozenset(
    {
        "commercial", "retail", "industrial", "military", "railway", "construction", "garages", "religious",
        "school", "university", "college", "kindergarten", "hospital", "clinic", "prison", "place_of_worship",
        "cemetery", "landfill", "quarry", "port", "education",
    }
)  # fmt: skip
#: Floors assumed for houses (``building=house`` and kin, 农房/民居) whose floors and height are unknown.
HOUSE_FLOORS = 2.0
_HOUSES = ("house", "detached", "semidetached_house", "terrace", "bungalow", "农房", "民居")
#: The least share of a community's area its mapped residential land must cover to be used: residential land is
#: a quarter to two fifths of Chinese urban land, so less than a tenth mapped says the mapping is incomplete, and
#: placing everyone on the few mapped compounds would be further off than an even grid (measured on the Nanjing
#: extract, where 11 mapped polygons gave 10.1 percentage points of error against the grid's 7.1).
MIN_RESIDENTIAL_LAND_SHARE = 0.10
#: Placement methods in the order ``auto`` tries them.
PLACEMENT_METHODS: tuple[str, ...] = ("layer", "buildings", "landuse", "grid")


@dataclass(frozen=True, eq=False)
class Homes:
    """Residential buildings ready for placement: one representative point each, weighted by floor area."""

    xy: np.ndarray
    floor_area_m2: np.ndarray
    source: str  # "layer" (the study's buildings layer) or the OSM file's name
    n_buildings: int  # every building read, residential or not
    n_non_residential: int


@dataclass(frozen=True, eq=False)
class Placement:
    """Where the elderly were placed.

    Attributes
    ----------
    points : the placed points (``area`` the community index, ``weight`` the elderly).
    method : per community, the method that placed its elderly (``buildings``, ``landuse``, ``grid``).
    homes : the residential buildings used, or None.
    """

    points: DemandPoints
    method: np.ndarray
    homes: Homes | None


def _has_word(values: pd.Series, words: tuple[str, ...]) -> np.ndarray:
    text = values.fillna("").astype(str).str.strip().str.lower()
    latin = [w for w in words if w.isascii()]
    cjk = [w for w in words if not w.isascii()]
    hit = text.isin(latin).to_numpy(bool) | text.str.contains(r"\b(?:" + "|".join(latin) + r")\b", regex=True)
    if cjk:
        hit = hit | text.str.contains("|".join(cjk), regex=True).to_numpy(bool)
    return np.asarray(hit, dtype=bool)


def residential(
    building: pd.Series, use: pd.Series, geometry: np.ndarray, zones: gpd.GeoDataFrame | None
) -> np.ndarray:
    """Which buildings are homes: stated residential, or untyped (``yes``, blank) and not used or standing as
    something else (a use tag, or grounds in :data:`NON_RESIDENTIAL_ZONES`)."""
    stated = _has_word(building, RESIDENTIAL_WORDS) | _has_word(use, RESIDENTIAL_WORDS)
    other = _has_word(building, NON_RESIDENTIAL_WORDS) | _has_word(use, NON_RESIDENTIAL_WORDS)
    untyped = building.fillna("").astype(str).str.strip().str.lower().isin(["", "yes", "building", "是"])
    untyped_np = untyped.to_numpy(bool) & (use.fillna("").astype(str).str.strip() == "").to_numpy(bool)
    in_grounds = np.zeros(len(building), dtype=bool)
    if zones is not None and len(zones) and untyped_np.any():
        grounds = zones.loc[zones["value"].isin(NON_RESIDENTIAL_ZONES)].geometry.to_numpy()
        if len(grounds):
            points = shapely.point_on_surface(geometry[untyped_np])
            hit, _ = shapely.STRtree(grounds).query(points, predicate="within")
            idx = np.flatnonzero(untyped_np)
            in_grounds[idx[np.unique(hit)]] = True
    return (stated & ~other) | (untyped_np & ~in_grounds)


def homes_of_study(study: Study, *, default_floors: float) -> tuple[Homes | None, gpd.GeoDataFrame | None]:
    """The study's residential buildings (its buildings layer, else its OSM file) and the OSM land-use zones."""
    zones = None
    frame = study.buildings
    source = "layer"
    if frame is None or not len(frame):
        path = study.network_source_path()
        if path is None or not is_osm_basemap_source(path):
            return None, None
        try:
            frame, zones = buildings_from_osm(path, crs=study.crs)
        except NetworkError:
            return None, None
        source = str(getattr(path, "name", path)).rsplit("/", 1)[-1]
        floors, height = frame["floors"].to_numpy(float), frame["height_m"].to_numpy(float)
        building, use = frame["building"], frame["use"]
    else:
        floors = (
            parse_floors(frame["floors"].to_numpy(object))
            if "floors" in frame
            else np.full(len(frame), np.nan)
        )
        height = (
            parse_height_m(frame["height_m"].to_numpy(object))
            if "height_m" in frame
            else np.full(len(frame), np.nan)
        )
        use = frame["use"] if "use" in frame else pd.Series([""] * len(frame), index=frame.index)
        building = pd.Series([""] * len(frame), index=frame.index)
    geoms = frame.geometry.to_numpy()
    homes = residential(building, use, geoms, zones)
    if not homes.any():
        return Homes(np.empty((0, 2)), np.empty(0), source, len(frame), len(frame)), zones
    house = _has_word(building, _HOUSES) | _has_word(use, _HOUSES)
    default = np.where(house, HOUSE_FLOORS, default_floors)
    area = floor_area_m2(
        geoms[homes], floors=floors[homes], height_m=height[homes], default_floors=default[homes]
    )
    xy = shapely.get_coordinates(shapely.point_on_surface(geoms[homes]))
    return Homes(xy, area, source, len(frame), int((~homes).sum())), zones


def _residential_land(study: Study, zones: gpd.GeoDataFrame | None) -> np.ndarray:
    """The OSM ``landuse=residential`` polygons of the study (read from its OSM file when not yet read)."""
    if zones is None:
        path = study.network_source_path()
        if path is None or not is_osm_basemap_source(path):
            return np.empty(0, dtype=object)
        try:
            _buildings, zones = buildings_from_osm(path, crs=study.crs)
        except NetworkError:
            return np.empty(0, dtype=object)
    keep = (zones["key"] == "landuse") & (zones["value"] == "residential")
    return zones.loc[keep].geometry.to_numpy()


def _compound_totals(study: Study) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The compounds with a total: polygons, elderly, and the community each lies in (-1 for none).

    A compound that gives households but no elderly gets its community's elderly per household."""
    comp = study.compounds
    if comp is None or not len(comp):
        return np.empty(0, dtype=object), np.empty(0), np.empty(0, dtype=np.int64)
    polys = comp.geometry.to_numpy()
    comm = study.communities
    owner = _community_of(polys, comm.geometry.to_numpy())
    elderly = comp["elderly"].to_numpy(float) if "elderly" in comp else np.full(len(comp), np.nan)
    if "households" in comp and "households" in comm:
        per_household = comm["elderly"].to_numpy(float) / comm["households"].to_numpy(float)
        rate = np.where(owner >= 0, per_household[np.maximum(owner, 0)], np.nan)
        derived = comp["households"].to_numpy(float) * rate
        elderly = np.where(np.isfinite(elderly), elderly, derived)
    keep = np.isfinite(elderly) & (elderly >= 0) & (owner >= 0)
    return polys[keep], elderly[keep], owner[keep]


def _community_of(polygons: np.ndarray, communities: np.ndarray) -> np.ndarray:
    """The community each polygon's representative point falls in (-1 for none)."""
    if not len(polygons):
        return np.empty(0, dtype=np.int64)
    return assign_to_polygons(shapely.get_coordinates(shapely.point_on_surface(polygons)), communities)


class _Placed:
    """Points placed so far, per community, and which method placed each community."""

    def __init__(self, n: int) -> None:
        self.xy: list[np.ndarray] = []
        self.area: list[np.ndarray] = []
        self.weight: list[np.ndarray] = []
        self.method = np.full(n, "grid", dtype=object)

    def add(self, points: DemandPoints, communities: np.ndarray) -> None:
        self.xy.append(points.xy)
        self.area.append(communities)
        self.weight.append(points.weight)

    def points(self) -> DemandPoints:
        if not self.xy:
            return DemandPoints(np.empty((0, 2)), np.empty(0, dtype=np.int64), np.empty(0))
        return DemandPoints(
            np.concatenate(self.xy), np.concatenate(self.area).astype(np.int64), np.concatenate(self.weight)
        )


def _place_compounds(study: Study, homes: Homes, placed: _Placed, remaining: np.ndarray) -> np.ndarray:
    """Compounds' elderly into their own buildings; returns which homes are left for the communities (those in no
    compound with a total). ``remaining`` (per community) is reduced by what the compounds took."""
    polys, totals, owner = _compound_totals(study)
    free = np.ones(len(homes.xy), dtype=bool)
    if not len(polys):
        return free
    # a community's compounds never take more than the community has
    per_comm = np.bincount(owner, weights=totals, minlength=len(remaining))
    scale = np.where(per_comm > remaining, remaining / np.maximum(per_comm, 1e-12), 1.0)
    totals = totals * scale[owner]
    pts, served = allocate_to_points(polys, totals, homes.xy, homes.floor_area_m2)
    placed.add(pts, owner[pts.area])
    unserved = ~served & (totals > 0)
    if unserved.any():
        grid = spread_over_polygons(polys[unserved], totals[unserved], spacing_m=SPREAD_SPACING_M)
        placed.add(grid, owner[np.flatnonzero(unserved)][grid.area])
    free = assign_to_polygons(homes.xy, polys) < 0
    remaining -= np.bincount(owner, weights=totals, minlength=len(remaining))
    np.maximum(remaining, 0.0, out=remaining)
    return free


def place_elderly(
    study: Study, *, method: str, default_floors: float, spacing_m: float = SPREAD_SPACING_M
) -> Placement:
    """Place each community's elderly by ``method`` (``buildings``, ``landuse`` or ``grid``), falling back per
    community: buildings -> residential land use -> an even grid.

    Parameters
    ----------
    study : the study (communities with ``elderly``; optional buildings and compounds layers; its OSM file).
    method : where to start: ``buildings``, ``landuse`` or ``grid``.
    default_floors : floors of a residential building that states neither floors nor height.
    spacing_m : the grid spacing of the land-use and grid fallbacks.
    """
    comm = study.communities
    polys = comm.geometry.to_numpy()
    remaining = comm["elderly"].to_numpy(float).copy()
    placed = _Placed(len(comm))
    pending = remaining > 0
    homes, zones = (None, None)
    if method == "buildings":
        homes, zones = homes_of_study(study, default_floors=default_floors)
    if homes is not None and len(homes.xy):
        free = _place_compounds(study, homes, placed, remaining)
        pts, served = allocate_to_points(polys, remaining, homes.xy[free], homes.floor_area_m2[free])
        placed.add(pts, pts.area)
        had_compounds = remaining < comm["elderly"].to_numpy(float) - 1e-9
        placed.method[served | (had_compounds & (remaining <= 1e-9))] = "buildings"
        pending &= ~(served | (remaining <= 1e-9))
    if method in ("buildings", "landuse") and pending.any():
        land = _residential_land(study, zones)
        if len(land):
            idx = np.flatnonzero(pending)
            pieces = shapely.intersection(polys[idx], shapely.union_all(land))
            share = shapely.area(pieces) / np.maximum(shapely.area(polys[idx]), 1e-9)
            usable = ~shapely.is_empty(pieces) & (share >= MIN_RESIDENTIAL_LAND_SHARE)
            if usable.any():
                grid = spread_over_polygons(pieces[usable], remaining[idx[usable]], spacing_m=spacing_m)
                placed.add(grid, idx[usable][grid.area])
                placed.method[idx[usable]] = "landuse"
                pending[idx[usable]] = False
    if pending.any():
        idx = np.flatnonzero(pending)
        grid = spread_over_polygons(polys[idx], remaining[idx], spacing_m=spacing_m)
        placed.add(grid, idx[grid.area])
    return Placement(placed.points(), placed.method, homes)

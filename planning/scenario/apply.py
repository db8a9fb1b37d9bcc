"""A scenario applied to a study: the study with its facilities added, closed and changed; every bad edit refused with
one sentence."""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import replace

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from geo.crs import to_wgs84
from geo.errors import OptionError
from geo.travel import snap_points
from planning.coverage import DEFAULT_MAX_DISTANCE_M, WalkNetwork
from planning.i18n import kind_label, message, say
from planning.scenario.model import AddedFacility, FacilityChange, Scenario
from planning.scenario.store import check_scenario
from planning.study import Study

#: An added facility may stand this far outside the union of the study's communities (a site across the boundary
#: road), in metres.
AREA_MARGIN_M = 100.0
#: How many of the closest names a sentence on an unknown name gives.
CLOSEST_NAMES = 3


def apply_scenario(study: Study, scenario: Scenario, *, network: WalkNetwork | None = None) -> Study:
    """The study as the scenario makes it (its own layers untouched; a new Study object).

    Raises
    ------
    OptionError
        An unknown kind; a location outside the study area or (with ``network``) farther from every walkable
        street than the snapping limit; a closed or changed name that no facility has, or that several share.
    """
    scenario = check_scenario(scenario)
    fac = study.facilities.copy()
    closing = list(dict.fromkeys(find_facility(study, name) for name in scenario.closed))
    for change in scenario.changed:
        _change(fac, find_facility(study, change.name), change)
    fac = fac.drop(index=closing)
    if scenario.added:
        new = added_facilities(study, scenario, network=network)
        fac = gpd.GeoDataFrame(pd.concat([fac, new], ignore_index=True), geometry="geometry", crs=study.crs)
    return replace(study, facilities=fac)


def _change(fac: gpd.GeoDataFrame, index: object, change: FacilityChange) -> None:
    for column in ("beds", "floor_area_m2"):
        value = getattr(change, column)
        if value is not None:
            fac.loc[index, column] = float(value)
    if change.kind is not None:
        fac.loc[index, "kind"] = change.kind


def _key(name: object) -> str:
    """A name as compared the second time: NFKC-normalised, without spaces."""
    return "".join(unicodedata.normalize("NFKC", str(name)).split())


def find_facility(study: Study, name: str) -> object:
    """The index of the facility named ``name`` (exactly, else after NFKC and without spaces); OptionError when no
    facility or several have it."""
    names = study.facilities["name"].astype(str)
    hits = names.index[names == name]
    if len(hits) == 0:
        keys = names.map(_key)
        hits = keys.index[keys == _key(name)]
    if len(hits) == 1:
        return hits[0]
    if len(hits) == 0:
        closest = difflib.get_close_matches(
            str(name), list(dict.fromkeys(names)), n=CLOSEST_NAMES, cutoff=0.0
        )
        raise OptionError(
            message("err_scn_no_facility", name=name, closest=", ".join(closest) or message("err_scn_none"))
        )
    raise OptionError(message("err_scn_ambiguous", name=name, n=len(hits), where=_where(study, hits)))


def _where(study: Study, hits: pd.Index) -> str:
    """Where the facilities ``hits`` stand: their community (or coordinates in the study CRS outside every one)."""
    fac = study.facilities.loc[hits]
    comm = study.communities
    inside = gpd.sjoin(fac[["geometry"]], comm[["geometry", "name"]], how="left", predicate="intersects")
    inside = inside[~inside.index.duplicated()]
    parts = []
    for idx, row in fac.iterrows():
        place = inside.loc[idx, "name"] if idx in inside.index else None
        parts.append(place if isinstance(place, str) else f"{row.geometry.x:.0f}, {row.geometry.y:.0f}")
    return "; ".join(parts)


def added_facilities(
    study: Study, scenario: Scenario, *, network: WalkNetwork | None = None
) -> gpd.GeoDataFrame:
    """The scenario's added facilities as rows of the study's facilities layer (its columns, its CRS), each checked
    to lie in the study area and (with ``network``) by a walkable street."""
    added = scenario.added
    lon = np.array([a.lon for a in added], dtype=float)
    lat = np.array([a.lat for a in added], dtype=float)
    wlon, wlat = to_wgs84(lon, lat, coords=scenario.coords)
    to_study = pyproj.Transformer.from_crs("EPSG:4326", study.crs, always_xy=True)
    x, y = to_study.transform(np.asarray(wlon), np.asarray(wlat))
    points = shapely.points(np.asarray(x), np.asarray(y))
    names = _names(study, added)
    _check_inside(study, scenario, points, names)
    if network is not None:
        _check_by_street(network, np.column_stack([x, y]), names)
    return _rows(study, added, points, names)


def _names(study: Study, added: tuple[AddedFacility, ...]) -> list[str]:
    """The added facilities' names; an empty one numbered per kind (「新增日间照料中心1」), never one the study has."""
    taken = set(study.facilities["name"].astype(str)) | {a.name for a in added if a.name}
    counts: dict[str, int] = {}
    out = []
    for a in added:
        name = a.name
        while not name:
            counts[a.kind] = counts.get(a.kind, 0) + 1
            candidate = say("scn_added_name", "zh", kind=kind_label(a.kind, "zh"), n=counts[a.kind])
            name = "" if candidate in taken else candidate
        taken.add(name)
        out.append(name)
    return out


def _check_inside(study: Study, scenario: Scenario, points: np.ndarray, names: list[str]) -> None:
    area = shapely.union_all(study.communities.geometry.to_numpy())
    distance = shapely.distance(area, points)
    for i, d in enumerate(distance):
        if not d <= AREA_MARGIN_M:
            a = scenario.added[i]
            raise OptionError(
                message(
                    "err_scn_outside",
                    name=names[i],
                    lon=a.lon,
                    lat=a.lat,
                    distance=float(d),
                    coords=scenario.coords,
                )
            )


def _check_by_street(network: WalkNetwork, xy: np.ndarray, names: list[str]) -> None:
    snap = snap_points(network, xy, max_distance_m=DEFAULT_MAX_DISTANCE_M)
    for i in np.flatnonzero(snap.far):
        raise OptionError(
            message(
                "err_scn_far_street",
                name=names[i],
                distance=float(snap.offset_m[i]),
                limit=DEFAULT_MAX_DISTANCE_M,
            )
        )


def _rows(
    study: Study, added: tuple[AddedFacility, ...], points: np.ndarray, names: list[str]
) -> gpd.GeoDataFrame:
    fac = study.facilities
    comm = study.communities
    located = gpd.sjoin(
        gpd.GeoDataFrame(geometry=points, crs=study.crs),
        comm[["geometry", "street"]],
        how="left",
        predicate="within",
    )
    located = located[~located.index.duplicated()]
    first_row = int(fac["_row"].max()) + 1 if "_row" in fac and len(fac) else 1
    data: dict[str, object] = {}
    for column in fac.columns:
        if column == "geometry":
            continue
        empty = np.nan if pd.api.types.is_numeric_dtype(fac[column]) else None
        data[column] = [empty] * len(added)
    data["_row"] = np.arange(first_row, first_row + len(added))
    data["name"] = names
    data["kind"] = [a.kind for a in added]
    for column in ("floor_area_m2", "land_area_m2", "beds"):
        if column in fac:
            data[column] = [
                np.nan if getattr(a, column) is None else float(getattr(a, column)) for a in added
            ]
    if "built" in fac:
        data["built"] = ["new"] * len(added)
    if "street" in fac and "street" in located:
        data["street"] = [s if isinstance(s, str) else None for s in located["street"].to_numpy(object)]
    frame = pd.DataFrame({c: data[c] for c in fac.columns if c != "geometry"})
    new = gpd.GeoDataFrame(frame, geometry=list(points), crs=study.crs)
    return new[list(fac.columns)]

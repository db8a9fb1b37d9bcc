"""Land and floor area of elderly-care facilities: where each facility is, how much land it counts for, and the
totals per street, district and community that the standards compare with per-resident and per-household rules.

Which kinds count
-----------------
Land per resident (GB 50437-2007 (2018 rev.) 3.2.1A; 国发〔2013〕35号; provincial rules in STANDARDS.md C) counts
the land of every elderly-care facility: street centres, day-care centres, embedded homes, nursing homes, meal
points and rural mutual-aid facilities (:data:`LAND_KINDS`). Community health centres are health facilities, not
elderly-care land, and do not count. A rule may count fewer kinds (磐安县 二(二)4 sets land for community facilities:
no nursing homes); :func:`facility_land` takes the kinds.

Co-building (配建) compares the floor area of the community-level elderly-care rooms inside a residential community
(street centres, day-care centres, embedded homes, meal points: :data:`COBUILD_KINDS`) with its households. Nursing
homes are city- or county-level institutions with their own plots (GB 50437 3.1.2) and do not count.

Land where only floor area is known
-----------------------------------
A facility's ``land_area_m2`` is used where it is given. Where only ``floor_area_m2`` is known the land is estimated
as floor area / :data:`ASSUMED_FAR` (0.8, the highest floor-area ratio GB 50437-2007 §5 allows an elderly-care site,
STANDARDS.md B, status V2): the smallest plot on which that floor area may be built as a stand-alone facility.
Every estimated facility carries this assumption in its ``basis`` text. Facilities with neither area are listed,
never counted as zero. The totals keep the given land apart (``land_given_m2``) so that a check can tell when its
verdict hangs on the estimate.

Streets and towns
-----------------
The ``street`` column holds both streets (街道, urban sub-districts) and towns (镇, 乡; 苏木 in Inner Mongolia): the
texts set some targets for streets only (信州区 一(一) 每个街道; 宜春 二(四)10 市辖区街道). :func:`street_type` tells
them apart by the name's ending.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from planning.display import format_number

#: Facility kinds whose land counts towards land per resident.
LAND_KINDS: tuple[str, ...] = (
    "street_centre",
    "day_care",
    "embedded_home",
    "nursing_home",
    "meal_point",
    "rural_mutual_aid",
)
#: Facility kinds whose floor area counts as co-built elderly-care rooms of a residential community.
COBUILD_KINDS: tuple[str, ...] = ("street_centre", "day_care", "embedded_home", "meal_point")
#: Floor-area ratio assumed to turn floor area into land (GB 50437-2007 §5: FAR <= 0.8; STANDARDS.md B, V2).
ASSUMED_FAR = 0.8
ASSUMED_FAR_CITATION = "GB 50437-2007 §5 (FAR ≤ 0.8)"
ASSUMED_FAR_CITATION_ZH = "GB 50437-2007 第5章：容积率≤0.8"

#: Name endings of towns (镇, 乡, 苏木) and of streets (街道, 街道办事处), as :func:`street_type` reads them.
TOWN_ENDINGS: tuple[str, ...] = ("镇", "乡", "苏木")
SUBDISTRICT_ENDINGS: tuple[str, ...] = ("街道", "办事处")

#: ``basis`` values of :func:`facility_land`.
BASIS_GIVEN = "land_area"
BASIS_ESTIMATED = "floor_area_far"
BASIS_NONE = "none"


def locate_facilities(facilities: gpd.GeoDataFrame, communities: gpd.GeoDataFrame) -> pd.DataFrame:
    """The community and street of every facility.

    The community is the polygon containing the facility point (on a shared boundary: the first community in
    layer order). The street is the facility's own ``street`` where given, otherwise the street of its community.

    Parameters
    ----------
    facilities : points (or any geometry; its representative point is used) in the CRS of ``communities``.
    communities : polygons with ``street``.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``facilities``: ``community`` (position in ``communities``, -1 outside all), ``street``
        (None when unknown) and ``street_from`` (``given``, ``community`` or None).
    """
    n = len(facilities)
    community = np.full(n, -1, dtype=np.int64)
    if n and len(communities):
        geoms = facilities.geometry.to_numpy()
        pts = np.where(
            gpd.GeoSeries(geoms).geom_type.to_numpy() == "Point",
            geoms,
            gpd.GeoSeries(geoms).representative_point().to_numpy(),
        )
        polys = communities.geometry.to_numpy()
        tree = shapely.STRtree(polys)
        pi, ci = tree.query(pts, predicate="intersects")
        if len(pi):
            # first community in layer order for points on shared boundaries
            order = np.lexsort((ci, pi))
            pi, ci = pi[order], ci[order]
            first = np.r_[True, pi[1:] != pi[:-1]]
            community[pi[first]] = ci[first]
    given = text_values(facilities, "street")
    comm_street = text_values(communities, "street")
    from_comm = np.full(len(community), None, dtype=object)
    if len(comm_street):
        from_comm[community >= 0] = comm_street[community[community >= 0]]
    has_given = pd.notna(given)
    street = np.where(has_given, given, from_comm)
    street_from = np.full(len(street), None, dtype=object)
    street_from[pd.notna(from_comm)] = "community"
    street_from[has_given] = "given"
    return pd.DataFrame(
        {
            "community": community,
            "street": pd.Series(street, dtype=object, index=facilities.index),
            "street_from": pd.Series(street_from, dtype=object, index=facilities.index),
        },
        index=facilities.index,
    )


def facility_land(
    facilities: pd.DataFrame, *, kinds: Sequence[str] = LAND_KINDS, assumed_far: float = ASSUMED_FAR
) -> pd.DataFrame:
    """Land each elderly-care facility counts for, and on what basis.

    Parameters
    ----------
    facilities : with ``name``, ``kind``, ``floor_area_m2``, ``land_area_m2``.
    kinds : the facility kinds that count (others get ``counts`` False).
    assumed_far : floor-area ratio for the estimate from floor area.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``facilities``: ``name``, ``kind``, ``counts`` (kind counts), ``land_m2`` (NaN when neither
        area is known or the kind does not count), ``basis`` (``land_area``, ``floor_area_far``, ``none``) and
        ``basis_zh``/``basis_en`` sentences stating the assumption for estimated rows.
    """
    if not assumed_far > 0:
        raise ValueError("assumed_far must be positive")
    land = number_values(facilities, "land_area_m2")
    floor = number_values(facilities, "floor_area_m2")
    counts = facilities["kind"].isin(list(kinds)).to_numpy()
    has_land = ~np.isnan(land)
    has_floor = ~np.isnan(floor)
    basis = np.where(has_land, BASIS_GIVEN, np.where(has_floor, BASIS_ESTIMATED, BASIS_NONE)).astype(object)
    value = np.where(has_land, land, floor / assumed_far)
    value = np.where(counts, value, np.nan)
    est = (basis == BASIS_ESTIMATED) & counts
    basis_zh = np.full(len(facilities), "", dtype=object)
    basis_en = np.full(len(facilities), "", dtype=object)
    basis_zh[has_land & counts] = "用地面积（给定）"
    basis_en[has_land & counts] = "land area as given"
    for i in np.flatnonzero(est):  # text only, for the estimated facilities
        # numbers as in the check's sentences: plain in Chinese (1200㎡), grouped in English (1 200 m²)
        basis_zh[i] = (
            f"用地按建筑面积{format_number(floor[i], 0, 'zh')}㎡÷容积率{assumed_far:g}"
            f"估算为{format_number(value[i], 0, 'zh')}㎡（{ASSUMED_FAR_CITATION_ZH}）"
        )
        floor_en, land_en = format_number(floor[i]), format_number(value[i])
        basis_en[i] = (
            f"land estimated as floor area {floor_en} m² / FAR {assumed_far:g} = {land_en} m² "
            f"({ASSUMED_FAR_CITATION})"
        )
    none = (basis == BASIS_NONE) & counts
    basis_zh[none] = "无用地面积和建筑面积，无法计入"
    basis_en[none] = "neither land nor floor area: not counted"
    return pd.DataFrame(
        {
            "name": facilities["name"].to_numpy(object),
            "kind": facilities["kind"].to_numpy(object),
            "counts": counts,
            "land_m2": value,
            "basis": basis,
            "basis_zh": basis_zh,
            "basis_en": basis_en,
        },
        index=facilities.index,
    )


def land_by_street(communities: pd.DataFrame, land: pd.DataFrame, located: pd.DataFrame) -> pd.DataFrame:
    """Residents and elderly-care land per street.

    Parameters
    ----------
    communities : with ``street`` and ``population``.
    land : from :func:`facility_land`.
    located : from :func:`locate_facilities`.

    Returns
    -------
    pandas.DataFrame
        One row per street (sorted by first appearance in ``communities``): ``street``, ``residents``,
        ``land_m2`` (known land: given plus estimated), ``land_given_m2``, ``land_estimated_m2``, ``n_facilities``
        (counted kinds), ``n_estimated``, ``estimated_names`` (list of the names of the facilities whose land is
        estimated), ``n_unknown`` (neither area), ``unknown_names`` (list of their names).
    """
    comm_street = text_values(communities, "street")
    streets = pd.unique(comm_street[pd.notna(comm_street)])
    pop = pd.Series(communities["population"].to_numpy(float)).groupby(comm_street, sort=False).sum()
    counted = land[land["counts"]].join(located[["street"]])
    grouped = _land_groups(counted, counted["street"])
    out = pd.DataFrame({"street": streets})
    out["residents"] = pop.reindex(streets).to_numpy(float)
    out = out.join(grouped, on="street")
    return _fill_land(out)


def land_of_district(communities: pd.DataFrame, land: pd.DataFrame) -> pd.Series:
    """Residents and elderly-care land of the whole study (every counted facility, with or without a street).

    Returns the same fields as one row of :func:`land_by_street` (``street`` None).
    """
    counted = land[land["counts"]]
    grouped = _land_groups(counted, pd.Series("(all)", index=counted.index))
    residents = float(np.nansum(communities["population"].to_numpy(float)))
    out = pd.DataFrame({"street": ["(all)"], "residents": [residents]})
    out = _fill_land(out.join(grouped, on="street"))
    row = out.iloc[0].copy()
    row["street"] = None
    return row


def cobuild_floor_by_community(
    communities: pd.DataFrame,
    facilities: pd.DataFrame,
    located: pd.DataFrame,
    *,
    kinds: Sequence[str] = COBUILD_KINDS,
) -> pd.DataFrame:
    """Floor area of co-built elderly-care rooms inside each community.

    Parameters
    ----------
    communities : the communities (positions match ``located['community']``).
    facilities : with ``name``, ``kind``, ``floor_area_m2``.
    located : from :func:`locate_facilities`.
    kinds : the kinds that count as co-built elderly-care rooms.

    Returns
    -------
    pandas.DataFrame
        One row per community (positional index 0..n-1): ``floor_m2`` (known floor area), ``n_facilities``,
        ``n_unknown`` (facilities of the kinds without floor area) and ``unknown_names``.
    """
    n = len(communities)
    sel = facilities["kind"].isin(list(kinds)).to_numpy() & (located["community"].to_numpy() >= 0)
    comm = located["community"].to_numpy()[sel]
    floor = number_values(facilities, "floor_area_m2")[sel]
    names = facilities["name"].to_numpy(object)[sel]
    known = ~np.isnan(floor)
    out = pd.DataFrame(
        {
            "floor_m2": np.bincount(comm[known], weights=floor[known], minlength=n),
            "n_facilities": np.bincount(comm, minlength=n),
            "n_unknown": np.bincount(comm[~known], minlength=n),
        }
    )
    unknown = pd.Series(names[~known]).groupby(comm[~known]).agg(list)
    out["unknown_names"] = [unknown.get(i, []) for i in range(n)] if len(unknown) else [[] for _ in range(n)]
    return out


def street_type(name: object) -> str | None:
    """Whether a name in the ``street`` column is a street (街道) or a town (镇), by its ending.

    Parameters
    ----------
    name : the street's name (surrounding spaces are ignored).

    Returns
    -------
    str or None
        ``"town"`` for names ending in 镇, 乡 or 苏木; ``"subdistrict"`` for names ending in 街道 or 办事处; None when
        the name says neither (or is blank): callers treat it as a street (街道) and say so.

    Examples
    --------
    >>> street_type("青山镇"), street_type("城关街道"), street_type("城西办事处"), street_type("城关")
    ('town', 'subdistrict', 'subdistrict', None)
    """
    if not isinstance(name, str):
        return None
    text = name.strip()
    if text.endswith(SUBDISTRICT_ENDINGS):
        return "subdistrict"
    if text.endswith(TOWN_ENDINGS):
        return "town"
    return None


def _land_groups(counted: pd.DataFrame, key: pd.Series) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "key": key.to_numpy(object),
            "land_m2": counted["land_m2"].fillna(0.0).to_numpy(float),
            "land_given_m2": np.where(counted["basis"] == BASIS_GIVEN, counted["land_m2"], 0.0),
            "land_estimated_m2": np.where(counted["basis"] == BASIS_ESTIMATED, counted["land_m2"], 0.0),
            "n_facilities": 1,
            "n_estimated": (counted["basis"] == BASIS_ESTIMATED).to_numpy(int),
            "n_unknown": (counted["basis"] == BASIS_NONE).to_numpy(int),
        }
    )
    frame = frame[pd.notna(frame["key"])]
    sums = frame.groupby("key", sort=False).sum(numeric_only=True)
    for col, basis in (("unknown_names", BASIS_NONE), ("estimated_names", BASIS_ESTIMATED)):
        mask = (counted["basis"] == basis).to_numpy() & pd.notna(key).to_numpy()
        names = (
            pd.Series(counted["name"].to_numpy(object)[mask]).groupby(key.to_numpy(object)[mask]).agg(list)
        )
        sums[col] = pd.Series(names, dtype=object).reindex(sums.index)
    sums.index.name = "street"
    return sums


def _fill_land(out: pd.DataFrame) -> pd.DataFrame:
    for col in ("land_m2", "land_given_m2", "land_estimated_m2"):
        out[col] = out[col].fillna(0.0).astype(float) if col in out else 0.0
    for col in ("n_facilities", "n_estimated", "n_unknown"):
        out[col] = out[col].fillna(0).astype(int) if col in out else 0
    for col in ("unknown_names", "estimated_names"):
        if col not in out:
            out[col] = None
        out[col] = [v if isinstance(v, list) else [] for v in out[col]]
    return out


def number_values(frame: pd.DataFrame, name: str) -> np.ndarray:
    """A numeric column as a float array, NaN where blank or not a number (all NaN when absent)."""
    if name not in frame:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[name], errors="coerce").to_numpy(float)


def text_values(frame: pd.DataFrame, name: str) -> np.ndarray:
    """A text column as an object array, stripped, with blanks and missing values as None (all None when absent)."""
    if name not in frame:
        return np.full(len(frame), None, dtype=object)
    s = frame[name].astype(object)
    text = s.where(s.notna(), "").astype(str).str.strip().to_numpy(object)
    text[text == ""] = None
    return text

"""The demo's communities and residents: community polygons tiling the district, each community's demography,
and residents spread over 100 m cells (urban blocks and rural hamlets) that sum exactly to the community totals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString, Polygon, box

from planning.demo.frame import (
    COLS,
    DISTRICT,
    ROW_N2,
    ROW_N3,
    ROW_N4,
    ROW_S1,
    URBAN_X0,
    URBAN_Y0,
    curve,
    lake_polygon,
    motorway_line,
    railway_coords,
    river_area,
    river_y,
)
from planning.demo.network import Network
from planning.demo.places import DEMOGRAPHY, TOWN_SEATS, URBAN_COMMUNITIES, VILLAGES


def _largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    """Integers proportional to ``weights`` that sum exactly to ``total`` (ties broken by position)."""
    w = np.asarray(weights, float)
    share = w / w.sum() * total
    base = np.floor(share).astype(np.int64)
    left = int(total - base.sum())
    order = np.lexsort((np.arange(len(w)), -(share - base)))
    base[order[:left]] += 1
    return base


def _urban_key(x: float, y: float) -> tuple[int, str, str]:
    """(column, row, half) of a point in the city."""
    col = int(np.searchsorted(COLS, x, side="right")) - 1
    if y < float(river_y(x)):
        row = "S1" if y < ROW_S1 else "S2"
    else:
        row = "N1" if y < ROW_N2 else ("N2" if y < ROW_N3 else ("N3" if y < ROW_N4 else "N4"))
    half = "w" if x < (COLS[col] + COLS[col + 1]) / 2 else "e"
    return col, row, half


def community_polygons(village_polys: dict[str, Polygon]) -> list[Polygon]:
    """Polygons of all communities (urban, then villages), tiling the district exactly.

    Parameters
    ----------
    village_polys : each village's polygon (:func:`~planning.demo.rural.village_cells`).

    Returns
    -------
    list of shapely.Polygon
        In the order of :data:`~planning.demo.places.URBAN_COMMUNITIES`, then
        :data:`~planning.demo.places.VILLAGES`.
    """
    _x0, _y0, x1, y1 = DISTRICT
    lines = [
        box(*DISTRICT).exterior,
        LineString([(URBAN_X0, URBAN_Y0), (URBAN_X0, y1)]),
        LineString([(URBAN_X0, URBAN_Y0), (x1, URBAN_Y0)]),
        LineString(curve(river_y, URBAN_X0, x1, step_m=20.0)),
    ]
    lines += [LineString([(x, URBAN_Y0), (x, y1)]) for x in COLS[1:-1]]
    lines += [LineString([(URBAN_X0, y), (x1, y)]) for y in (ROW_S1, ROW_N2, ROW_N3, ROW_N4)]
    row_range = {
        "S1": (URBAN_Y0, ROW_S1),
        "N2": (ROW_N2, ROW_N3),
        "N3": (ROW_N3, ROW_N4),
        "N4": (ROW_N4, y1),
    }
    for _name, _street, col, row, half, _built in URBAN_COMMUNITIES:
        if half == "w":
            xm = (COLS[col] + COLS[col + 1]) / 2
            lines.append(LineString([(xm, row_range[row][0]), (xm, row_range[row][1])]))
    for poly in village_polys.values():
        lines.append(poly.exterior)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(shapely.union_all(lines))))
    names = [c[0] for c in URBAN_COMMUNITIES] + [v[0] for v in VILLAGES]
    urban_index = {
        (c, r, h or hh): k for k, (_n, _s, c, r, h, _b) in enumerate(URBAN_COMMUNITIES) for hh in ("w", "e")
    }
    groups: dict[int, list[Polygon]] = {k: [] for k in range(len(names))}
    for face in faces:
        p = face.representative_point()
        if p.x > URBAN_X0 and p.y > URBAN_Y0:
            col, row, half = _urban_key(p.x, p.y)
            groups[urban_index[(col, row, half)]].append(face)
        else:
            village = next(name for name, poly in village_polys.items() if poly.contains(p))
            groups[names.index(village)].append(face)
    out = []
    for k in range(len(names)):
        merged = shapely.union_all(groups[k])
        if merged.geom_type != "Polygon":
            raise AssertionError(f"demo community {names[k]} is not one polygon")
        out.append(shapely.normalize(merged))
    return out


def demography(rng: np.random.Generator, names: list[str], streets: list[str]) -> pd.DataFrame:
    """Population, elderly, 80+, households of each community, drawn within its street's or town's ranges.

    Parameters
    ----------
    rng : the demo's random generator.
    names : the communities' names.
    streets : the street or town of each.

    Returns
    -------
    pandas.DataFrame
        Columns population, elderly, elderly_80, households, one row per community.
    """
    rows = []
    for name, street in zip(names, streets, strict=False):
        (p0, p1), (e0, e1), (o0, o1) = DEMOGRAPHY[street]
        if name in TOWN_SEATS.values():
            p0, p1 = 3500, 4500
        pop = int(round(rng.uniform(p0, p1) / 10.0) * 10)
        elderly = round(pop * rng.uniform(e0, e1))
        elderly_80 = round(elderly * rng.uniform(o0, o1))
        households = round(pop / rng.uniform(2.5, 2.7))
        rows.append((pop, elderly, elderly_80, households))
    return pd.DataFrame(rows, columns=["population", "elderly", "elderly_80", "households"])


def _residential(
    x: np.ndarray, y: np.ndarray, community: np.ndarray, net: Network
) -> tuple[np.ndarray, np.ndarray]:
    """Which cell centres may hold residents (in a community, off water, railway, expressway, parks and unbuilt
    land; in the towns only in hamlets), and their weight before the random factor (compounds denser, hamlets
    densest at their centres)."""
    excluded = shapely.union_all(
        [
            river_area().buffer(25.0),
            lake_polygon().buffer(20.0),
            LineString(railway_coords()).buffer(35.0),
            motorway_line().buffer(60.0),
            *[p for p, _ in net.parks],
            *net.unbuilt,
        ]
    )
    ok = (community >= 0) & ~shapely.contains_xy(excluded, x, y)
    urban = (x > URBAN_X0) & (y > URBAN_Y0)
    near_hamlet = np.zeros(len(x), dtype=bool)
    hamlet_weight = np.zeros(len(x))
    for _village, (hx, hy), radius in net.hamlets:
        d = np.hypot(x - hx, y - hy)
        inside = d <= radius
        near_hamlet |= inside
        hamlet_weight = np.maximum(hamlet_weight, np.where(inside, 1.0 - 0.5 * d / radius, 0.0))
    ok &= urban | near_hamlet
    in_compound = shapely.contains_xy(shapely.union_all(list(net.compound_cells)), x, y)
    return ok, np.where(urban, np.where(in_compound, 1.5, 1.0), hamlet_weight + 0.2)


def _elderly_in_cells(rng: np.random.Generator, total: int, pop: np.ndarray) -> np.ndarray:
    """The community's elderly over its cells, about in proportion to residents, never more than a cell's
    residents."""
    e_weight = pop * rng.lognormal(0.0, 0.2, len(pop))
    eld = _largest_remainder(total, e_weight)
    over = eld > pop
    if over.any():  # move the excess to the cells with most room (never happens with the default seed)
        excess = int((eld - pop)[over].sum())
        eld = np.minimum(eld, pop)
        room = pop - eld
        for j in np.argsort(-room, kind="stable")[:excess]:
            eld[j] += 1
    return eld


def population_cells(
    rng: np.random.Generator, polys: list[Polygon], table: pd.DataFrame, net: Network
) -> pd.DataFrame:
    """100 m cells with residents, summing exactly to each community's population and elderly.

    Parameters
    ----------
    rng : the demo's random generator.
    polys : the community polygons (:func:`community_polygons`).
    table : each community's ``population`` and ``elderly`` (:func:`demography`).
    net : the street network, with the parks, unbuilt land, compounds and hamlets laid out with it.

    Returns
    -------
    pandas.DataFrame
        One row per cell with residents: centre ``x``, ``y`` (design metres), ``community`` (index into
        ``polys``), ``population``, ``elderly``.
    """
    x0, y0, x1, y1 = DISTRICT
    gx, gy = np.meshgrid(np.arange(x0 + 50.0, x1, 100.0), np.arange(y0 + 50.0, y1, 100.0), indexing="xy")
    x, y = gx.ravel(), gy.ravel()
    ci, pi = shapely.STRtree(polys).query(shapely.points(x, y), predicate="within")
    community = -np.ones(len(x), dtype=int)
    community[ci] = pi
    ok, weight = _residential(x, y, community, net)
    weight = weight * rng.lognormal(0.0, 0.35, len(x))
    idx = np.flatnonzero(ok)
    out = []
    for k in range(len(polys)):
        cells = idx[community[idx] == k]
        if len(cells) == 0:
            raise AssertionError(f"demo community {k} has no residential cell")
        pop = _largest_remainder(int(table.population[k]), weight[cells])
        keep = pop > 0
        cells, pop = cells[keep], pop[keep]
        eld = _elderly_in_cells(rng, int(table.elderly[k]), pop)
        for c, p, e in zip(cells, pop, eld, strict=False):
            out.append((float(x[c]), float(y[c]), k, int(p), int(e)))
    return pd.DataFrame(out, columns=["x", "y", "community", "population", "elderly"])

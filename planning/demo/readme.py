"""The README of the demo folder: what the demo is, what it holds, and its deliberate shortfalls with numbers.

The figures are counted from the design (``_Figures``), so that the README always states what the files hold.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString, Point

from planning.demo.design import Design
from planning.demo.facilities import KIND_ZH, NEAR_EXPRESSWAY
from planning.demo.frame import INTERCHANGE_X, URBAN_Y0, motorway_line, motorway_y


@dataclass(frozen=True)
class _Figures:
    """The demo's key figures and deliberate shortfalls, as its README states them."""

    communities_urban: int
    villages: int
    population: int
    elderly: int
    elderly_share: float
    elderly_share_min: float
    elderly_share_max: float
    cells: int
    facilities: dict[str, int]
    street_centre_floor_area_m2: dict[str, float]
    streets_without_centre: list[str]
    streets_centre_under_1000_m2: list[str]
    mutual_aid_villages: int
    villages_without_mutual_aid: list[str]
    beds: int
    nursing_beds: int
    institution_beds: int
    institution_nursing_beds: int
    facilities_without_land_area: int
    day_care_share_within_900m: float
    communities_without_day_care_within_900m: list[str]
    osm_nodes: int
    osm_ways: int

    @property
    def mutual_aid_share(self) -> float:
        return self.mutual_aid_villages / self.villages

    @property
    def nursing_share(self) -> float:
        return self.nursing_beds / self.beds

    @property
    def beds_per_1000_elderly(self) -> float:
        return self.beds / self.elderly * 1000.0

    @property
    def institution_nursing_share(self) -> float:
        return self.institution_nursing_beds / self.institution_beds

    @property
    def institution_beds_per_1000_elderly(self) -> float:
        return self.institution_beds / self.elderly * 1000.0


def _figures(d: Design) -> _Figures:
    """Count what the README states."""
    com, fac, cells = d.communities, d.facilities, d.cells
    urban = (com.kind == "urban").to_numpy()
    street_of = dict(zip(com.name, com.street, strict=False))
    centres = fac[fac.kind == "street_centre"]
    centre_area = {
        street_of[c]: float(a) for c, a in zip(centres.community, centres.floor_area_m2, strict=False)
    }
    streets = list(dict.fromkeys(com.street))
    aid_villages = set(fac[fac.kind == "rural_mutual_aid"].community)
    villages = list(com[~urban].name)
    covered = d.day_care_m <= 900.0
    in_city = (cells.community < int(urban.sum())).to_numpy()
    institutions = fac[fac.kind.isin(("nursing_home", "embedded_home"))]
    reached = np.bincount(cells.community, weights=covered * cells.elderly, minlength=len(com))
    return _Figures(
        communities_urban=int(urban.sum()),
        villages=len(villages),
        population=int(com.population.sum()),
        elderly=int(com.elderly.sum()),
        elderly_share=float(com.elderly.sum() / com.population.sum()),
        elderly_share_min=float((com.elderly / com.population).min()),
        elderly_share_max=float((com.elderly / com.population).max()),
        cells=len(cells),
        facilities={k: int((fac.kind == k).sum()) for k in KIND_ZH},
        street_centre_floor_area_m2=centre_area,
        streets_without_centre=[s for s in streets if s not in centre_area],
        streets_centre_under_1000_m2=[s for s in streets if centre_area.get(s, math.inf) < 1000.0],
        mutual_aid_villages=sum(v in aid_villages for v in villages),
        villages_without_mutual_aid=[v for v in villages if v not in aid_villages],
        beds=int(np.nansum(fac.beds.to_numpy(float))),
        nursing_beds=int(np.nansum(fac.nursing_beds.to_numpy(float))),
        institution_beds=int(np.nansum(institutions.beds.to_numpy(float))),
        institution_nursing_beds=int(np.nansum(institutions.nursing_beds.to_numpy(float))),
        facilities_without_land_area=int(fac.land_area_m2.isna().sum()),
        day_care_share_within_900m=float(
            (covered * cells.elderly)[in_city].sum() / cells.elderly[in_city].sum()
        ),
        communities_without_day_care_within_900m=[
            str(n) for n, r, u in zip(com.name, reached, urban, strict=False) if u and r == 0.0
        ],
        osm_nodes=len(d.net.node_xy),
        osm_ways=len(d.net.ways),
    )


def _cobuilding(d: Design) -> list[tuple[str, int, float, float]]:
    """New communities: (name, households, co-built floor area m², Jiangxi minimum m² = 20 per 100 households)."""
    fac, com = d.facilities, d.communities
    kinds = ("street_centre", "day_care", "embedded_home", "meal_point")
    out = []
    for row in com[com.built == "new"].itertuples():
        area = float(fac[(fac.community == row.name) & fac.kind.isin(kinds)].floor_area_m2.sum())
        out.append((str(row.name), int(row.households), area, row.households / 100.0 * 20.0))
    return out


def _land_per_resident(d: Design) -> list[tuple[str, float, float]]:
    """Per street: (street, elderly-care land m² (blank land estimated as floor area / 0.8), m² per resident)."""
    fac, com = d.facilities, d.communities
    street_of = dict(zip(com.name, com.street, strict=False))
    kinds = ("street_centre", "day_care", "embedded_home", "nursing_home", "meal_point", "rural_mutual_aid")
    f = fac[fac.kind.isin(kinds)]
    land = np.where(f.land_area_m2.isna(), f.floor_area_m2 / 0.8, f.land_area_m2)
    per = pd.Series(land, index=f.community.map(street_of).to_numpy()).groupby(level=0).sum()
    pop = com.groupby("street").population.sum()
    return [
        (s, float(per.get(s, 0.0)), float(per.get(s, 0.0)) / float(pop[s])) for s in dict.fromkeys(com.street)
    ]


def _near_expressway(d: Design) -> list[tuple[str, float]]:
    """The candidates placed near the expressway or its connector: (name, distance m)."""
    connector = LineString(
        [(INTERCHANGE_X, float(motorway_y(INTERCHANGE_X)) + 70.0), (INTERCHANGE_X, URBAN_Y0)]
    )
    expressways = shapely.union_all([motorway_line(), connector])
    return [
        (str(r.name), expressways.distance(Point(r.x, r.y)))
        for r in d.candidates.iloc[list(NEAR_EXPRESSWAY)].itertuples()
    ]


def _intro(f: _Figures, n_candidates: int) -> str:
    """The README's first paragraph: what the demo is and what each file holds."""
    fac = f.facilities
    return (
        "This folder is a **synthetic** study: every street, place, facility, name and figure in it is invented, and "
        "it is not a real place, although it sits at a plausible spot in Jiangxi (about 117.95–118.04 E, "
        "28.40–28.49 N, WGS84) so that maps look right. It is generated, reproducibly, by `python -m planning.demo` "
        "(or `eldercircle demo --out DIR`) from `planning/demo.py`; do not edit the files by hand, change the "
        f"generator. It holds 6 urban streets (街道) with {f.communities_urban} communities and 2 towns (镇) with "
        f"{f.villages} administrative villages, {f.population:,} residents of whom {f.elderly:,} are 60 or "
        f"older ({f.elderly_share * 100:.1f} %; from {f.elderly_share_min * 100:.1f} % in the new town to "
        f"{f.elderly_share_max * 100:.1f} % in the old town), in `communities.geojson`; {sum(fac.values())} "
        f"facilities in `facilities.csv` (Chinese headers and kind names: {fac['street_centre']} street centres, "
        f"{fac['day_care']} day-care centres, {fac['embedded_home']} embedded homes, {fac['nursing_home']} nursing "
        f"homes, {fac['meal_point']} meal points, {fac['rural_mutual_aid']} rural mutual-aid points, "
        f"{fac['health_centre']} health centres); {n_candidates} candidate sites in `candidates.geojson` (cost "
        f"in 万元); {f.cells:,} elder-density points at the centres of 100 m cells in `population.gpkg` (layer "
        "`elder_density`, summing exactly to the community totals); and an OpenStreetMap XML street network in "
        f"`streets.osm` ({f.osm_nodes:,} nodes, {f.osm_ways:,} ways) with arterials, local streets, footways "
        "and steps, gated compounds reached only through their gates (`barrier=gate`; one compound is "
        "`access=private`), the river 青溪河 crossed by 4 bridges, the railway crossed 3 times (an underpass, a level "
        "crossing and an overpass), the expressway 青白高速 with an interchange and a connector closed to pedestrians "
        "(`foot=no`), and coarse rural roads."
    )


def _shortfalls(f: _Figures, d: Design) -> list[str]:
    """The deliberate shortfalls, one sentence each with its numbers."""
    small = f.streets_centre_under_1000_m2
    gaps = f.communities_without_day_care_within_900m
    cob = _cobuilding(d)
    low_land = [(s, v) for s, _land, v in _land_per_resident(d) if v < 0.1]
    near = _near_expressway(d)
    return [
        (
            f"Street comprehensive elderly service centres: under 1000 m² in {len(small)} streets ("
            + "、".join(f"{s} {f.street_centre_floor_area_m2[s]:.0f} m²" for s in small)
            + f"); {'、'.join(f.streets_without_centre)} has none."
        ),
        (
            f"Day care: {len(gaps)} urban communities have no resident within a 15-minute walk (900 m) of a day-care "
            f"centre ({'、'.join(gaps)}); {f.day_care_share_within_900m * 100:.0f} % of the urban elderly live within "
            "900 m of one. The gaps lie in the old town east of 中山路 and north of the river, and in the new town "
            "east of 新城社区."
        ),
        (
            f"Rural mutual-aid points in {f.mutual_aid_villages} of {f.villages} villages "
            f"({f.mutual_aid_share * 100:.1f} %, below 85 %); none in {'、'.join(f.villages_without_mutual_aid)}."
        ),
        (
            f"Nursing-type beds: {f.institution_nursing_beds:,} of the {f.institution_beds:,} beds of nursing homes "
            f"and embedded homes ({f.institution_nursing_share * 100:.1f} %, the check's default basis, "
            f'`bed_basis = "institutions"`); {f.nursing_beds:,} of the {f.beds:,} beds of every facility '
            f'({f.nursing_share * 100:.1f} %, `bed_basis = "all"`); below 60 % and below 55 % on either basis.'
        ),
        (
            f"Beds per 1000 elderly: {f.institution_beds_per_1000_elderly:.1f} counting nursing homes and embedded "
            f"homes only ({f.institution_beds:,} beds; GB 50437 3.2.1 养老院 + 老年养护院, the check's default "
            f"basis); {f.beds_per_1000_elderly:.1f} counting every facility's beds ({f.beds:,}, street centres and "
            "day-care centres included; `eldercircle check --bed-basis all`); below 40 on either basis."
        ),
        (
            f"Land area is blank for {f.facilities_without_land_area} facilities (only floor area is given), so the "
            "land check must estimate it."
        ),
        "Land for elderly care below 0.1 m² per resident (blank land estimated as floor area / 0.8): "
        + "; ".join(f"{s} {v:.3f} m²" for s, v in low_land)
        + ".",
        "Co-building in the new communities (built = new; Jiangxi asks 20 m² per 100 households): "
        + "; ".join(f"{n} {h:,} households, {a:.0f} m² co-built (needs {r:.0f} m²)" for n, h, a, r in cob)
        + ".",
        "Two candidate sites lie close to the expressway or its connector (for the siting screen): "
        + "; ".join(f"{n} {m:.0f} m" for n, m in near)
        + ".",
    ]


def readme_text(d: Design) -> str:
    """The folder's README: what the demo is, what it holds, and its deliberate shortfalls with numbers.

    Parameters
    ----------
    d : the demo's design.

    Returns
    -------
    str
        The Markdown text, lines wrapped at 110 characters.
    """
    f = _figures(d)
    intro = _intro(f, len(d.candidates))
    items = _shortfalls(f, d)
    wrap = textwrap.TextWrapper(width=110, break_long_words=False, break_on_hyphens=False)
    body = "\n".join(wrap.fill(intro).splitlines())
    bullets = "\n".join(
        textwrap.fill(
            item,
            width=110,
            initial_indent="- ",
            subsequent_indent="  ",
            break_long_words=False,
            break_on_hyphens=False,
        )
        for item in items
    )
    return (
        f"# Demo study: 示范区 (SYNTHETIC DATA)\n\n{body}\n\nDeliberate shortfalls (the standards checks and "
        "later issues must find them; walking figures are computed\non the demo's own network at 1.0 m/s and "
        f"may differ slightly from the tool's):\n\n{bullets}\n"
    )

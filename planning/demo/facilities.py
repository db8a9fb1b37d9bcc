"""The demo's facilities and candidate sites: fixed tables of what stands where, placed beside a walkable street.

Positions are given within each community's bounding box (0–1) and moved to about 15–18 m off the nearest public
street, inside the community and apart from every point placed before.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point, Polygon

from planning.demo.network import Network
from planning.demo.places import VILLAGES

KIND_ZH = {
    "street_centre": "街道综合养老服务中心",
    "day_care": "日间照料中心",
    "embedded_home": "社区嵌入式养老院",
    "nursing_home": "养老院",
    "meal_point": "助餐点",
    "rural_mutual_aid": "农村互助养老服务点",
    "health_centre": "社区卫生服务中心",
}


#: The facilities: kind, name, community, position in the community's bounding box (0–1), floor m², land m²
#: (None: blank), beds (None: blank), nursing-type beds (None: blank).
_FACILITIES: tuple[
    tuple[str, str, str, tuple[float, float], float, float | None, int | None, int | None], ...
] = (
    ("street_centre", "老城街道综合养老服务中心", "文庙社区", (0.55, 0.45), 1200, 950, 120, 54),
    ("street_centre", "西城街道综合养老服务中心", "桂花社区", (0.50, 0.50), 680, None, 30, 12),
    ("street_centre", "北门街道综合养老服务中心", "天佑社区", (0.50, 0.45), 850, 700, 40, 16),
    ("street_centre", "东湖街道综合养老服务中心", "东站社区", (0.50, 0.40), 1500, 1600, 150, 66),
    ("street_centre", "南湖街道综合养老服务中心", "望江社区", (0.45, 0.50), 1100, None, 90, 40),
    ("street_centre", "青山镇综合养老服务中心", "青山村", (0.52, 0.45), 1300, 1500, 100, 38),
    ("street_centre", "白沙镇综合养老服务中心", "白沙村", (0.48, 0.52), 1050, 1200, 60, 24),
    ("day_care", "西关社区日间照料中心", "西关社区", (0.50, 0.55), 420, 380, 10, 0),
    ("day_care", "西苑社区日间照料中心", "西苑社区", (0.40, 0.50), 560, None, 12, 2),
    ("day_care", "长塘社区日间照料中心", "长塘社区", (0.55, 0.45), 380, 320, 8, 0),
    ("day_care", "兴隆社区日间照料中心", "兴隆社区", (0.45, 0.50), 610, 520, 12, 2),
    ("day_care", "府前社区日间照料中心", "府前社区", (0.15, 0.75), 350, None, 8, 0),
    ("day_care", "文庙社区日间照料中心", "文庙社区", (0.25, 0.70), 400, 300, 10, 2),
    ("day_care", "钟楼社区日间照料中心", "钟楼社区", (0.10, 0.80), 330, None, 8, 0),
    ("day_care", "北门社区日间照料中心", "北门社区", (0.15, 0.20), 450, 400, 10, 2),
    ("day_care", "龙井社区日间照料中心", "龙井社区", (0.55, 0.55), 520, 450, 12, 2),
    ("day_care", "柳岸社区日间照料中心", "柳岸社区", (0.55, 0.50), 600, 500, 15, 3),
    ("day_care", "东站社区日间照料中心", "东站社区", (0.60, 0.70), 480, None, 10, 2),
    ("day_care", "湖滨社区日间照料中心", "湖滨社区", (0.65, 0.55), 500, 420, 10, 2),
    ("day_care", "南岸社区日间照料中心", "南岸社区", (0.45, 0.45), 550, 480, 12, 2),
    ("day_care", "云锦社区日间照料中心", "云锦社区", (0.50, 0.55), 420, None, 10, 0),
    ("day_care", "南湖社区日间照料中心", "南湖社区", (0.55, 0.45), 650, 560, 15, 3),
    ("day_care", "新城社区日间照料中心", "新城社区", (0.08, 0.25), 700, 600, 15, 3),
    ("day_care", "青山村日间照料中心", "青山村", (0.45, 0.55), 300, 350, 8, 0),
    ("day_care", "湖光社区日间照料中心", "湖光社区", (0.45, 0.50), 480, 420, 10, 2),
    ("day_care", "金沙社区日间照料中心", "金沙社区", (0.55, 0.60), 400, None, 10, 0),
    ("day_care", "青松社区日间照料中心", "青松社区", (0.40, 0.55), 380, 330, 8, 0),
    ("day_care", "梅园社区日间照料中心", "梅园社区", (0.50, 0.35), 450, None, 10, 2),
    ("day_care", "东湖社区日间照料中心", "东湖社区", (0.35, 0.20), 520, 460, 12, 2),
    ("embedded_home", "西苑社区嵌入式养老院", "西苑社区", (0.65, 0.35), 2200, 1300, 60, 33),
    ("embedded_home", "南湖社区嵌入式养老院", "南湖社区", (0.30, 0.60), 1900, 1100, 55, 30),
    ("embedded_home", "荷塘社区嵌入式养老院", "荷塘社区", (0.60, 0.30), 1500, None, 40, 22),
    ("embedded_home", "钟楼社区嵌入式养老院", "钟楼社区", (0.60, 0.35), 1100, 700, 30, 16),
    ("nursing_home", "示范区社会福利院", "长塘社区", (0.30, 0.75), 11000, 12500, 300, 174),
    ("nursing_home", "东湖颐养院", "柳岸社区", (0.25, 0.30), 9500, 10500, 280, 162),
    ("nursing_home", "青山镇敬老院", "桃源村", (0.60, 0.55), 5200, 6800, 180, 72),
    ("meal_point", "府前社区长者食堂", "府前社区", (0.80, 0.85), 180, None, None, None),
    ("meal_point", "水门社区老年助餐点", "水门社区", (0.50, 0.70), 120, None, None, None),
    ("meal_point", "仓前社区长者食堂", "仓前社区", (0.60, 0.50), 200, 160, None, None),
    ("meal_point", "梅园社区长者食堂", "梅园社区", (0.50, 0.50), 160, None, None, None),
    ("meal_point", "青松社区老年助餐点", "青松社区", (0.40, 0.40), 110, None, None, None),
    ("meal_point", "胜利社区长者食堂", "胜利社区", (0.50, 0.50), 150, None, None, None),
    ("meal_point", "铁路社区老年助餐点", "铁路社区", (0.50, 0.50), 130, None, None, None),
    ("meal_point", "荷塘社区长者食堂", "荷塘社区", (0.40, 0.70), 170, 150, None, None),
    ("meal_point", "金沙社区长者食堂", "金沙社区", (0.50, 0.50), 190, None, None, None),
    ("meal_point", "湖光社区老年助餐点", "湖光社区", (0.50, 0.40), 120, None, None, None),
    ("meal_point", "润园社区长者食堂", "润园社区", (0.30, 0.80), 460, 380, None, None),
    ("meal_point", "翠苑社区老年助餐点", "翠苑社区", (0.60, 0.60), 120, None, None, None),
    ("meal_point", "白沙村老年助餐点", "白沙村", (0.55, 0.48), 150, 180, None, None),
    ("meal_point", "李家村老年助餐点", "李家村", (0.50, 0.55), 100, None, None, None),
    ("meal_point", "鼓楼社区长者食堂", "鼓楼社区", (0.30, 0.40), 160, None, None, None),
    ("health_centre", "老城街道社区卫生服务中心", "钟楼社区", (0.35, 0.50), 1600, 1800, None, None),
    ("health_centre", "西城街道社区卫生服务中心", "西苑社区", (0.70, 0.40), 1400, 1500, None, None),
    ("health_centre", "北门街道社区卫生服务中心", "龙井社区", (0.30, 0.40), 1200, None, None, None),
    ("health_centre", "东湖街道社区卫生服务中心", "东站社区", (0.45, 0.30), 1500, 1600, None, None),
    ("health_centre", "南湖街道社区卫生服务中心", "望江社区", (0.70, 0.70), 1300, 1400, None, None),
    ("health_centre", "新城街道社区卫生服务中心", "阳光社区", (0.75, 0.30), 1800, 2200, None, None),
    ("health_centre", "青山镇卫生院", "青山村", (0.40, 0.40), 2000, 3000, None, None),
    ("health_centre", "白沙镇卫生院", "白沙村", (0.40, 0.60), 1800, 2600, None, None),
)

#: Candidate sites: community, position (0–1), kinds; sizes, beds and cost are drawn from the kinds.
_CANDIDATES: tuple[tuple[str, tuple[float, float], str], ...] = (
    ("书院社区", (0.50, 0.30), "day_care,meal_point"),
    ("书院社区", (0.60, 0.80), "embedded_home,day_care"),
    ("水门社区", (0.70, 0.60), "day_care,meal_point"),
    ("水门社区", (0.30, 0.30), "day_care"),
    ("南门社区", (0.40, 0.55), "embedded_home,day_care"),
    ("南门社区", (0.75, 0.75), "day_care,meal_point"),
    ("南门社区", (0.20, 0.20), "day_care"),
    ("仓前社区", (0.75, 0.40), "day_care,meal_point"),
    ("鼓楼社区", (0.70, 0.60), "day_care"),
    ("红旗社区", (0.40, 0.50), "day_care,meal_point"),
    ("红旗社区", (0.75, 0.25), "embedded_home,day_care"),
    ("胜利社区", (0.35, 0.30), "day_care"),
    ("锦绣社区", (0.50, 0.60), "day_care,meal_point"),
    ("锦绣社区", (0.80, 0.30), "embedded_home,day_care"),
    ("翠苑社区", (0.70, 0.70), "day_care,meal_point"),
    ("翠苑社区", (0.50, 0.35), "street_centre,day_care"),
    ("金桂社区", (0.50, 0.50), "day_care,meal_point"),
    ("金桂社区", (0.30, 0.80), "street_centre,day_care"),
    ("紫荆社区", (0.50, 0.60), "embedded_home,day_care"),
    ("紫荆社区", (0.70, 0.85), "day_care"),
    ("润园社区", (0.60, 0.75), "day_care,meal_point"),
    ("润园社区", (0.25, 0.60), "embedded_home"),
    ("阳光社区", (0.70, 0.70), "day_care"),
    ("新城社区", (0.80, 0.40), "day_care,meal_point"),
    ("桂花社区", (0.30, 0.30), "day_care,meal_point"),
    ("梅园社区", (0.60, 0.70), "embedded_home,day_care"),
    ("文庙社区", (0.80, 0.30), "day_care"),
    ("云锦社区", (0.30, 0.30), "embedded_home"),
    ("柳岸社区", (0.75, 0.75), "day_care,meal_point"),
    ("天佑社区", (0.20, 0.70), "embedded_home,day_care"),
    ("湖光社区", (0.70, 0.60), "day_care"),
    ("荷塘社区", (0.80, 0.80), "meal_point"),
    ("云锦社区", (0.88, 0.04), "day_care,meal_point"),  # beside the expressway connector's junction
    ("张家村", (0.0, 0.0), "rural_mutual_aid,day_care"),  # beside the expressway (placed explicitly below)
    ("竹林村", (0.45, 0.50), "rural_mutual_aid"),
    ("黄泥村", (0.50, 0.55), "rural_mutual_aid"),
    ("杨柳村", (0.50, 0.50), "rural_mutual_aid"),
    ("塘口村", (0.45, 0.45), "rural_mutual_aid"),
    ("白沙村", (0.60, 0.40), "day_care"),
    ("王家村", (0.50, 0.50), "rural_mutual_aid,meal_point"),
)

#: Explicit design positions (overriding the bounding-box position) of a few candidates, by list index.
_CANDIDATE_AT = {33: (4340.0, 4700.0)}
#: The candidates placed close to the expressway or its connector (indices into :data:`_CANDIDATES`).
NEAR_EXPRESSWAY = (32, 33)


def _place(
    target: np.ndarray,
    poly: Polygon,
    tree: shapely.STRtree,
    lines: np.ndarray,
    taken: list[np.ndarray],
    *,
    offset_m: float = 18.0,
) -> np.ndarray:
    """A point inside ``poly`` about ``offset_m`` from the nearest walkable street to ``target``."""
    inner = poly.buffer(-8.0)
    centre = np.array(poly.representative_point().coords[0])
    for step in range(12):
        t = target + (centre - target) * step / 12.0
        k = int(tree.query_nearest(Point(t))[0])
        line = lines[k]
        q = np.array(line.interpolate(line.project(Point(t))).coords[0])
        d = t - q
        dist = float(np.hypot(*d))
        if dist < 1.0:  # target on the street: step off it at right angles
            a, b = np.asarray(line.coords)[0], np.asarray(line.coords)[-1]
            d = np.array([-(b - a)[1], (b - a)[0]])
            dist = float(np.hypot(*d))
        for sign in (1.0, -1.0):
            p = q + sign * d / dist * offset_m
            if inner.contains(Point(p)) and all(np.hypot(*(p - o)) > 25.0 for o in taken):
                taken.append(p)
                return p
    raise AssertionError(f"demo: cannot place a point near {target.round()}")


def facility_table(
    rng: np.random.Generator, names: list[str], polys: list[Polygon], net: Network
) -> pd.DataFrame:
    """The facilities of the fixed table, and a rural mutual-aid point (sizes drawn) near the seed of each village
    that has one.

    Parameters
    ----------
    rng : the demo's random generator.
    names, polys : the communities' names and polygons, in the same order.
    net : the street network (its public walkable streets).

    Returns
    -------
    pandas.DataFrame
        One row per facility: name, kind_zh, kind, community, x, y (design metres), floor_area_m2, land_area_m2,
        beds, nursing_beds.
    """
    lines = np.array(net.walk_lines, dtype=object)
    tree = shapely.STRtree(lines)
    taken: list[np.ndarray] = []
    rows = []
    by_name = dict(zip(names, polys, strict=False))
    aid = [(name, town) for name, town, _p, has in VILLAGES if has]
    specs = list(_FACILITIES) + [
        (
            "rural_mutual_aid",
            f"{name}互助养老服务点",
            name,
            (0.5, 0.5),
            float(int(rng.integers(15, 40)) * 10),
            float(int(rng.integers(20, 50)) * 10) if rng.random() < 0.7 else None,
            int(rng.integers(0, 9)),
            0,
        )
        for name, _town in aid
    ]
    for kind, name, community, (rx, ry), floor, land, beds, nursing in specs:
        poly = by_name[community]
        minx, miny, maxx, maxy = poly.bounds
        target = np.array([minx + rx * (maxx - minx), miny + ry * (maxy - miny)])
        if kind == "rural_mutual_aid":
            seed = next(p for n, _t, p, _h in VILLAGES if n == community)
            target = np.array(seed) + rng.uniform(-60.0, 60.0, 2)
        p = _place(target, poly, tree, lines, taken)
        rows.append((name, KIND_ZH[kind], kind, community, p[0], p[1], floor, land, beds, nursing))
    return pd.DataFrame(
        rows,
        columns=[
            "name",
            "kind_zh",
            "kind",
            "community",
            "x",
            "y",
            "floor_area_m2",
            "land_area_m2",
            "beds",
            "nursing_beds",
        ],
    )


def candidate_table(
    rng: np.random.Generator, names: list[str], polys: list[Polygon], net: Network, taken: list[np.ndarray]
) -> pd.DataFrame:
    """The candidate sites of the fixed table, with sizes, beds and cost drawn from the kinds they may host.

    Parameters
    ----------
    rng : the demo's random generator.
    names, polys : the communities' names and polygons, in the same order.
    net : the street network (its public walkable streets).
    taken : points already placed (the facilities); the candidates keep 25 m from them and from each other, and
        are added to it.

    Returns
    -------
    pandas.DataFrame
        One row per site: name, kinds, community, x, y (design metres), floor_area_m2, land_area_m2, beds, cost
        (万元).
    """
    lines = np.array(net.walk_lines, dtype=object)
    tree = shapely.STRtree(lines)
    by_name = dict(zip(names, polys, strict=False))
    rows = []
    for k, (community, (rx, ry), kinds) in enumerate(_CANDIDATES):
        poly = by_name[community]
        minx, miny, maxx, maxy = poly.bounds
        target = np.array(_CANDIDATE_AT.get(k, (minx + rx * (maxx - minx), miny + ry * (maxy - miny))))
        p = _place(target, poly, tree, lines, taken, offset_m=15.0)
        ks = kinds.split(",")
        if "street_centre" in ks:
            floor, land, beds = rng.uniform(1200, 1700), rng.uniform(1200, 1900), int(rng.integers(40, 81))
        elif ks[0] == "embedded_home":
            floor, land, beds = rng.uniform(1500, 2800), rng.uniform(900, 1800), int(rng.integers(30, 61))
        elif ks[0] == "rural_mutual_aid":
            floor, land, beds = rng.uniform(180, 400), rng.uniform(250, 600), int(rng.integers(4, 11))
        elif ks[0] == "meal_point":
            floor, land, beds = rng.uniform(120, 260), rng.uniform(100, 250), 0
        else:
            floor, land, beds = rng.uniform(350, 750), rng.uniform(300, 650), int(rng.integers(0, 3)) * 5
        floor, land = round(floor / 10.0) * 10.0, round(land / 10.0) * 10.0
        cost = round(floor * rng.uniform(0.30, 0.42) + land * rng.uniform(0.05, 0.15), 1)
        rows.append(
            (f"候选地块{k + 1:02d}（{community}）", kinds, community, p[0], p[1], floor, land, beds, cost)
        )
    return pd.DataFrame(
        rows,
        columns=["name", "kinds", "community", "x", "y", "floor_area_m2", "land_area_m2", "beds", "cost"],
    )

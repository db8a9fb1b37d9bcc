"""The tables of the demo's places: urban streets and communities, towns and villages, county roads, the ranges
of their demography, and the stems of compound and street names. Data only; the layouts read them.
"""

from __future__ import annotations

from shapely.geometry import box

#: The six urban streets: (name, local street spacing m, chance a lattice cell is in a gated compound).
STREETS = {
    "老城街道": (120.0, 0.15),
    "西城街道": (190.0, 0.45),
    "北门街道": (200.0, 0.40),
    "东湖街道": (200.0, 0.45),
    "南湖街道": (200.0, 0.50),
    "新城街道": (270.0, 0.75),
}


#: Urban communities: name, street, column, row (S1 S2 N1 N2 N3 N4), half ("", "w", "e"), built state.
URBAN_COMMUNITIES: tuple[tuple[str, str, int, str, str, str], ...] = (
    ("西关社区", "西城街道", 0, "N1", "", "existing"),
    ("枫林社区", "西城街道", 1, "N1", "", "existing"),
    ("桂花社区", "西城街道", 0, "N2", "", "existing"),
    ("西苑社区", "西城街道", 1, "N2", "", "existing"),
    ("长塘社区", "西城街道", 0, "N3", "", "existing"),
    ("梅园社区", "西城街道", 1, "N3", "", "existing"),
    ("青松社区", "西城街道", 0, "N4", "", "existing"),
    ("兴隆社区", "西城街道", 1, "N4", "", "existing"),
    ("府前社区", "老城街道", 2, "N1", "", "existing"),
    ("文庙社区", "老城街道", 2, "N2", "", "existing"),
    ("钟楼社区", "老城街道", 2, "N3", "", "existing"),
    ("水门社区", "老城街道", 3, "N1", "", "existing"),
    ("鼓楼社区", "老城街道", 3, "N2", "w", "existing"),
    ("书院社区", "老城街道", 3, "N2", "e", "existing"),
    ("仓前社区", "老城街道", 3, "N3", "", "existing"),
    ("南门社区", "老城街道", 4, "N1", "", "existing"),
    ("北门社区", "北门街道", 2, "N4", "", "existing"),
    ("天佑社区", "北门街道", 3, "N4", "", "existing"),
    ("龙井社区", "北门街道", 4, "N4", "", "existing"),
    ("胜利社区", "北门街道", 4, "N3", "", "existing"),
    ("红旗社区", "北门街道", 4, "N2", "", "existing"),
    ("湖滨社区", "东湖街道", 5, "N1", "", "existing"),
    ("铁路社区", "东湖街道", 5, "N2", "w", "existing"),
    ("东站社区", "东湖街道", 5, "N2", "e", "existing"),
    ("东湖社区", "东湖街道", 5, "N3", "w", "existing"),
    ("荷塘社区", "东湖街道", 5, "N3", "e", "existing"),
    ("柳岸社区", "东湖街道", 5, "N4", "", "existing"),
    ("南岸社区", "南湖街道", 0, "S2", "", "existing"),
    ("望江社区", "南湖街道", 1, "S2", "", "existing"),
    ("南湖社区", "南湖街道", 2, "S2", "", "existing"),
    ("金沙社区", "南湖街道", 0, "S1", "", "existing"),
    ("云锦社区", "南湖街道", 1, "S1", "", "existing"),
    ("湖光社区", "南湖街道", 2, "S1", "", "existing"),
    ("新城社区", "新城街道", 3, "S2", "", "existing"),
    ("锦绣社区", "新城街道", 4, "S2", "", "existing"),
    ("翠苑社区", "新城街道", 5, "S2", "", "new"),
    ("阳光社区", "新城街道", 3, "S1", "", "existing"),
    ("金桂社区", "新城街道", 4, "S1", "w", "new"),
    ("紫荆社区", "新城街道", 4, "S1", "e", "new"),
    ("润园社区", "新城街道", 5, "S1", "", "new"),
)

#: Population and age of each street/town: (population range per community, elderly share range, 80+ share range).
DEMOGRAPHY = {
    "老城街道": ((5600, 8000), (0.265, 0.305), (0.17, 0.20)),
    "西城街道": ((4400, 6000), (0.185, 0.230), (0.15, 0.19)),
    "北门街道": ((4300, 6100), (0.175, 0.215), (0.15, 0.19)),
    "东湖街道": ((4200, 6100), (0.160, 0.200), (0.15, 0.18)),
    "南湖街道": ((4500, 6400), (0.150, 0.190), (0.15, 0.18)),
    "新城街道": ((3200, 6200), (0.115, 0.140), (0.15, 0.16)),
    "青山镇": ((1400, 2900), (0.225, 0.285), (0.16, 0.20)),
    "白沙镇": ((1400, 2900), (0.220, 0.280), (0.16, 0.20)),
}


COMPOUND_STEMS = (
    "锦绣",
    "阳光",
    "翠湖",
    "金桂",
    "紫荆",
    "润泽",
    "书香",
    "江景",
    "丽景",
    "华府",
    "明珠",
    "御景",
    "和平",
    "建设",
    "电力",
    "粮苑",
    "教师",
    "铁路",
    "纺织",
    "银河",
    "香樟",
    "桃李",
    "清华",
    "景福",
    "盛世",
    "凤凰",
    "名苑",
    "水岸",
    "龙湾",
    "天誉",
    "嘉和",
    "幸福",
    "怡景",
    "福星",
    "长青",
    "百合",
    "兰亭",
    "梧桐",
    "春江",
    "碧桂",
    "东方",
    "滨江",
)

COMPOUND_SUFFIXES = ("花园", "小区", "苑", "新村", "家园", "名邸")
LOCAL_NAME_STEMS = (
    "光明",
    "和平",
    "建国",
    "团结",
    "民主",
    "育才",
    "朝阳",
    "青年",
    "新华",
    "复兴",
    "东风",
    "红星",
    "五一",
    "园林",
    "学府",
    "银杏",
    "樟树",
    "桂园",
    "花园",
    "同心",
    "兴业",
    "丰收",
    "康乐",
    "体育",
    "市场",
    "仓后",
    "书院",
    "织锦",
    "三清",
    "信江",
    "茶山",
    "金龙",
    "玉带",
    "凤鸣",
    "吉庆",
    "安居",
    "福寿",
    "万年",
    "长宁",
    "永安",
    "庆丰",
    "泰和",
)


def community_street(col: int, row: str) -> str:
    """The urban street (街道) of the communities in one superblock.

    Parameters
    ----------
    col : the superblock's column (0–5, west to east).
    row : its row (S1 S2 N1 N2 N3 N4).
    """
    for _name, street, c, r, _half, _built in URBAN_COMMUNITIES:
        if c == col and r == row:
            return street
    raise KeyError((col, row))


#: Villages: name, town, seed point (the main hamlet), whether it has a rural mutual-aid point.
VILLAGES: tuple[tuple[str, str, tuple[float, float], bool], ...] = (
    ("上坊村", "青山镇", (900.0, 8700.0), True),
    ("竹林村", "青山镇", (2500.0, 8500.0), False),
    ("石门村", "青山镇", (1500.0, 7300.0), True),
    ("桃源村", "青山镇", (900.0, 5500.0), True),
    ("青山村", "青山镇", (2450.0, 5650.0), True),
    ("李家村", "青山镇", (1000.0, 3300.0), True),
    ("王家村", "青山镇", (2600.0, 3000.0), True),
    ("黄泥村", "青山镇", (1700.0, 1100.0), False),
    ("张家村", "白沙镇", (4400.0, 4050.0), True),
    ("白沙村", "白沙镇", (6000.0, 3950.0), True),
    ("洪桥村", "白沙镇", (7700.0, 4100.0), True),
    ("徐家村", "白沙镇", (4600.0, 2300.0), True),
    ("下湾村", "白沙镇", (6300.0, 2200.0), True),
    ("杨柳村", "白沙镇", (7900.0, 2100.0), False),
    ("塘口村", "白沙镇", (5600.0, 700.0), False),
)

#: The town seats (镇区): the main hamlet of these villages is the town's centre.
TOWN_SEATS = {"青山镇": "青山村", "白沙镇": "白沙村"}
TOWN_POLYGONS = {"青山镇": box(0.0, 0.0, 3500.0, 9500.0), "白沙镇": box(3500.0, 0.0, 8500.0, 5000.0)}


#: Where the rural roads meet the city's ring roads.
CITY_GATES = {
    "W1": (3500.0, 8300.0),
    "W2": (3500.0, 5400.0),
    "S1": (4300.0, 5000.0),
    "S2": (5900.0, 5000.0),
    "S3": (7400.0, 5000.0),
}


#: The county roads (tertiary) between villages and to the city.
COUNTY_ROADS = (
    ("上坊村", "竹林村"),
    ("上坊村", "石门村"),
    ("竹林村", "石门村"),
    ("竹林村", "W1"),
    ("石门村", "桃源村"),
    ("桃源村", "青山村"),
    ("青山村", "W2"),
    ("桃源村", "李家村"),
    ("青山村", "王家村"),
    ("李家村", "王家村"),
    ("李家村", "黄泥村"),
    ("王家村", "黄泥村"),
    ("王家村", "徐家村"),
    ("S1", "张家村"),
    ("S2", "白沙村"),
    ("S3", "洪桥村"),
    ("张家村", "白沙村"),
    ("白沙村", "洪桥村"),
    ("张家村", "徐家村"),
    ("白沙村", "下湾村"),
    ("洪桥村", "杨柳村"),
    ("徐家村", "下湾村"),
    ("下湾村", "杨柳村"),
    ("徐家村", "塘口村"),
    ("下湾村", "塘口村"),
)

"""The study data contract: canonical columns, their accepted aliases, and facility kinds.

Column names are canonical English; the Chinese (and common English) aliases are accepted on input,
and the loader reports every mapping it made. See DESIGN.md "The study (the data contract)".
"""

from __future__ import annotations

from dataclasses import dataclass

#: Facility kinds, in display order, with their Chinese names.
FACILITY_KINDS: dict[str, str] = {
    "street_centre": "街道综合养老服务中心",
    "day_care": "日间照料中心",
    "embedded_home": "社区嵌入式养老院",
    "nursing_home": "养老院",
    "meal_point": "助餐点",
    "rural_mutual_aid": "农村互助养老服务点",
    "health_centre": "社区卫生服务中心",
}

#: English display names of the facility kinds.
FACILITY_KINDS_EN: dict[str, str] = {
    "street_centre": "Street comprehensive elderly service centre",
    "day_care": "Day-care centre",
    "embedded_home": "Embedded nursing home",
    "nursing_home": "Nursing home",
    "meal_point": "Meal point",
    "rural_mutual_aid": "Rural mutual-aid facility",
    "health_centre": "Community health centre",
}

#: Other names for the kinds met in Chinese planning data (matched after stripping spaces).
KIND_ALIASES: dict[str, str] = {
    **{zh: kind for kind, zh in FACILITY_KINDS.items()},
    "街道养老服务中心": "street_centre",
    "街道综合养老服务中心": "street_centre",
    "综合养老服务中心": "street_centre",
    "区域性养老服务中心": "street_centre",
    "街道居家养老服务中心": "street_centre",
    "日间照料站": "day_care",
    "社区日间照料中心": "day_care",
    "老年人日间照料中心": "day_care",
    "社区养老服务站": "day_care",
    "托老所": "day_care",
    "嵌入式养老院": "embedded_home",
    "社区嵌入式养老机构": "embedded_home",
    "小型养老院": "embedded_home",
    "敬老院": "nursing_home",
    "养老机构": "nursing_home",
    "福利院": "nursing_home",
    "社会福利院": "nursing_home",
    "老年养护院": "nursing_home",
    "护理院": "nursing_home",
    "老年食堂": "meal_point",
    "长者食堂": "meal_point",
    "老年助餐点": "meal_point",
    "农村互助养老设施": "rural_mutual_aid",
    "农村互助养老服务设施": "rural_mutual_aid",
    "互助养老服务点": "rural_mutual_aid",
    "农村幸福院": "rural_mutual_aid",
    "幸福院": "rural_mutual_aid",
    "互助幸福院": "rural_mutual_aid",
    "卫生服务中心": "health_centre",
    "社区卫生服务站": "health_centre",
    "乡镇卫生院": "health_centre",
    "卫生院": "health_centre",
    "nursing home": "nursing_home",
    "day care": "day_care",
    "daycare": "day_care",
}

COMMUNITY_KINDS: dict[str, str] = {"urban": "城市社区", "rural": "行政村"}
COMMUNITY_KIND_ALIASES: dict[str, str] = {
    "城市社区": "urban",
    "社区": "urban",
    "城市": "urban",
    "城镇": "urban",
    "居委会": "urban",
    "行政村": "rural",
    "村": "rural",
    "农村": "rural",
    "村委会": "rural",
}
BUILT_STATES: dict[str, str] = {"new": "新建", "existing": "已建成"}
BUILT_ALIASES: dict[str, str] = {
    "新建": "new",
    "新建小区": "new",
    "新建住宅区": "new",
    "在建": "new",
    "规划": "new",
    "拟建": "new",
    "规划新建": "new",
    "已建成": "existing",
    "已建": "existing",
    "老旧小区": "existing",
    "建成": "existing",
    "既有": "existing",
}
#: A yes/no column (``flag``): the accepted values, stored as ``yes``/``no`` (blank: unknown, None).
FLAG_ALIASES: dict[str, str] = {
    "是": "yes",
    "否": "no",
    "yes": "yes",
    "no": "no",
    "y": "yes",
    "n": "no",
    "true": "yes",
    "false": "no",
    "1": "yes",
    "0": "no",
}


# --- plausibility limits --------------------------------------------------------------------------------------------
# These are plausibility limits, not standards: no policy sets them. A figure above one is almost certainly a typing
# or unit error (a misplaced digit, m² for hectares, a street's total in a community's row), and one such row would
# swamp every share and ratio it enters, so the row is rejected with its reason instead of being analysed.

#: Residents (and elderly, 80+, households) of one community above this are implausible: the largest urban
#: communities in China count some tens of thousands of residents.
MAX_COMMUNITY_RESIDENTS = 200_000
#: Beds (``beds``, ``nursing_beds``, ``dementia_beds``) in one facility or candidate site above this are implausible:
#: the largest nursing homes in China have a few thousand beds.
MAX_FACILITY_BEDS = 5_000
#: Floor or land area (m²) of one facility or candidate site above this (20 ha) is implausible.
MAX_FACILITY_AREA_M2 = 200_000
#: Facilities (same name, kind) or candidates (same name, kinds) whose points lie within this distance of each other
#: are exact duplicates: the second is rejected and the facility counted once. In metres for projected layers (the
#: study CRS), and :data:`DUPLICATE_TOLERANCE_DEG` for layers still in longitude/latitude.
DUPLICATE_TOLERANCE_M = 0.01
#: About 1 cm at the latitudes of China.
DUPLICATE_TOLERANCE_DEG = 1e-7


@dataclass(frozen=True)
class Column:
    """One canonical column of a layer.

    Attributes
    ----------
    name : canonical name.
    aliases : other accepted names (Chinese first).
    dtype : ``"text"``, ``"number"``, ``"kind"``, ``"kinds"``, ``"community_kind"``, ``"built"`` or ``"flag"``
        (yes/no, :data:`FLAG_ALIASES`).
    required : whether the layer is rejected without it.
    nonnegative : numbers must be >= 0.
    positive : numbers must be > 0.
    maximum : numbers above it are implausible and reject the row (a plausibility limit, not a standard), or None.
    """

    name: str
    aliases: tuple[str, ...]
    dtype: str = "text"
    required: bool = False
    nonnegative: bool = True
    positive: bool = False
    maximum: float | None = None


LAYER_COLUMNS: dict[str, tuple[Column, ...]] = {
    "communities": (
        Column("name", ("名称", "社区名称", "社区", "村名", "行政村", "社区(村)名称", "NAME")),
        Column("street", ("街道", "所属街道", "街道(乡镇)", "乡镇", "所属乡镇", "镇", "STREET")),
        Column(
            "population",
            ("常住人口", "人口", "总人口", "常住人口数", "pop", "POP"),
            "number",
            True,
            positive=True,
            maximum=MAX_COMMUNITY_RESIDENTS,
        ),
        Column(
            "elderly",
            ("老年人口", "60岁以上人口", "60岁及以上人口", "老年人数", "elderly_60"),
            "number",
            True,
            maximum=MAX_COMMUNITY_RESIDENTS,
        ),
        Column(
            "elderly_80",
            ("80岁以上", "80岁以上人口", "80岁及以上人口"),
            "number",
            maximum=MAX_COMMUNITY_RESIDENTS,
        ),
        Column("households", ("户数", "住户数", "总户数"), "number", maximum=MAX_COMMUNITY_RESIDENTS),
        Column("kind", ("类型", "社区类型", "城乡类型"), "community_kind"),
        Column("built", ("建设状态", "新建/已建成", "是否新建"), "built"),
    ),
    "facilities": (
        Column("name", ("名称", "设施名称", "机构名称", "NAME")),
        Column("kind", ("类型", "设施类型", "机构类型", "类别", "type"), "kind", True),
        Column("street", ("街道", "所属街道", "乡镇")),
        Column(
            "floor_area_m2",
            ("建筑面积", "建筑面积(㎡)", "建筑面积(m2)", "floor_area"),
            "number",
            maximum=MAX_FACILITY_AREA_M2,
        ),
        Column(
            "land_area_m2",
            ("用地面积", "用地面积(㎡)", "占地面积", "land_area"),
            "number",
            maximum=MAX_FACILITY_AREA_M2,
        ),
        Column("beds", ("床位数", "床位", "床位(张)"), "number", maximum=MAX_FACILITY_BEDS),
        Column("nursing_beds", ("护理型床位", "护理型床位数"), "number", maximum=MAX_FACILITY_BEDS),
        Column(
            "dementia_beds",
            ("认知障碍床位", "失智照护床位", "认知症床位"),
            "number",
            maximum=MAX_FACILITY_BEDS,
        ),
        # new builds (新建) are judged by the co-location rule; a facility without it is existing.
        Column("built", ("建设状态", "新建/已建成", "是否新建"), "built"),
        # the county's care institution for the destitute (县级特困供养): 是/否.
        Column("destitute_care", ("特困供养", "特困供养机构", "县级特困供养"), "flag"),
    ),
    "candidates": (
        Column("name", ("名称", "地块名称", "候选点", "NAME")),
        Column("kinds", ("可建类型", "适建类型", "类型", "kind"), "kinds"),
        Column("floor_area_m2", ("建筑面积", "floor_area"), "number", maximum=MAX_FACILITY_AREA_M2),
        Column("land_area_m2", ("用地面积", "占地面积", "land_area"), "number", maximum=MAX_FACILITY_AREA_M2),
        Column("beds", ("床位数", "床位"), "number", maximum=MAX_FACILITY_BEDS),
        Column("cost", ("成本", "造价", "投资", "费用"), "number"),
    ),
    # residential buildings for placing a community's elderly by floor area (used when there is no population
    # layer): floors and height as text ("地上18层", "54米" are read by geo.buildings), the use decides homes
    "buildings": (
        Column("name", ("名称", "建筑名称", "楼栋", "NAME")),
        Column("floors", ("层数", "楼层数", "地上层数", "建筑层数", "building:levels", "levels")),
        Column("height_m", ("高度", "建筑高度", "高度(米)", "height")),
        Column("use", ("用途", "建筑用途", "使用性质", "功能", "建筑类型", "building")),
    ),
    # residential compounds (小区) with their own elderly or households, finer than communities
    "compounds": (
        Column("name", ("名称", "小区名称", "小区", "NAME")),
        Column(
            "elderly",
            ("老年人口", "60岁以上人口", "60岁及以上人口", "老年人数"),
            "number",
            maximum=MAX_COMMUNITY_RESIDENTS,
        ),
        Column("households", ("户数", "住户数", "总户数"), "number", maximum=MAX_COMMUNITY_RESIDENTS),
    ),
    "population": (
        Column("elderly", ("老年人口", "60岁以上人口", "60岁及以上人口", "老年人数"), "number", True),
        Column("population", ("常住人口", "人口", "总人口"), "number"),
        Column("id", ("编号", "ID", "Id", "fid")),
    ),
}

#: Geometry each layer must have once loaded: ``polygon`` or ``point`` (polygons of point layers are
#: reduced to a representative point inside them, and the loader says so).
LAYER_GEOMETRY: dict[str, str] = {
    "communities": "polygon",
    "facilities": "point",
    "candidates": "point",
    "population": "point",
    "buildings": "polygon",
    "compounds": "polygon",
}

#: Which layers a study must name.
REQUIRED_LAYERS: tuple[str, ...] = ("communities", "facilities")
OPTIONAL_LAYERS: tuple[str, ...] = ("candidates", "population", "buildings", "compounds")

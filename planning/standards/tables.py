"""The rule tables: one layer of a preset each (:mod:`planning.standards.presets`).

National rules (GB 50437-2007 (2018 rev.), GB 50180-2018, 国发〔2013〕35号, 国发〔2021〕35号, 建标〔2014〕23号) and the
provincial rules of STANDARDS.md C are one layer each; every local document is a layer of its own targets, cited by
clause with its own words (``quote_zh``) and the year they are due. A provincial preset never carries a county's
targets; a county preset stacks the province, its city's document where the city has one, and its own.

Clause numbers follow each text's own numbering: 上饶 二(七); 信州区 一(一); 宜春 二(四)10 (items numbered 1–16
through the text); 浉河区 二(三)1; 磐安县 二(二)4 (items numbered 1–16).
"""

from __future__ import annotations

from planning.standards.rules import INSTITUTION_KINDS, Rule, make_rule

_r = make_rule
_GB50437 = "gb50437"
_GB50180 = "gb50180"

#: The national rules.
NATIONAL_RULES: tuple[Rule, ...] = (
    _r("land_per_resident_m2", 0.1, (_GB50437, "guofa2013_35"), "3.2.1A", "V1"),
    _r("beds_per_1000_elderly", 40, _GB50437, "3.2.1", "V1"),
    _r(
        "nursing_beds_share",
        0.55,
        "guofa2021_35",
        "",
        "V1",
        target_year=2025,
        note="nursing-type beds ≥ 55 % of institution beds by 2025 (clause number not recorded in STANDARDS.md); "
        "nursing_beds over beds of nursing homes and embedded homes",
    ),
    _r("daycare_urban_communities_share", 1.0, "jianbiao2014_23", "", "V2", target_year=2020),
    _r(
        "rural_mutual_aid_villages_share",
        0.60,
        "jianbiao2014_23",
        "",
        "V2",
        target_year=2020,
        note="the 2020 target of service points in 60 % of rural communities; a village (kind rural) counts when a "
        "rural mutual-aid facility stands inside it",
    ),
    _r("health_centre_max_walk_m", 300, _GB50437, "3.2.4", "R"),
    _r("candidate_expressway_min_distance_m", 100, _GB50437, "4.2.1–4.2.4", "R"),
    _r("candidate_junction_min_distance_m", 100, _GB50437, "4.2.1–4.2.4", "R"),
    _r("candidate_day_care_min_floor_m2", 350, _GB50180, "表C.0.2", "R"),
    _r("candidate_day_care_max_floor_m2", 750, _GB50180, "表C.0.2", "R"),
    _r("candidate_nursing_home_min_beds", 20, _GB50437, "3.2.4", "V1"),
    _r("candidate_nursing_home_min_floor_m2_per_bed", 35, _GB50437, "3.2.4", "V1"),
    _r("candidate_nursing_home_min_land_m2_per_bed", 18, _GB50437, "3.2.4", "V1"),
    _r("candidate_nursing_home_max_land_m2_per_bed", 44, _GB50437, "3.2.4", "V1"),
)


def _cobuild(
    new: float | None,
    existing: float | None,
    documents: str | tuple[str, ...],
    clause: str = "",
    *,
    quote_zh: str = "",
    target_year: int | None = None,
) -> tuple[Rule, ...]:
    """The co-building rules (m² per 100 households) of new and existing estates; None leaves one out. The number
    is the province's (STANDARDS.md C, V2); a local clause may add why it applies."""
    ids = ("cobuild_new_m2_per_100_households", "cobuild_existing_m2_per_100_households")
    return tuple(
        _r(rule_id, value, documents, clause, "V2", quote_zh=quote_zh, target_year=target_year)
        for rule_id, value in zip(ids, (new, existing), strict=True)
        if value is not None
    )


def _street_centre(
    documents: str, clause: str, status: str, *, quote_zh: str = "", target_year: int | None = None
) -> tuple[Rule, ...]:
    """A street centre of at least 1000 m² in every street (街道; towns are outside), and the same minimum for
    candidate sites."""
    return (
        _r(
            "street_centre_min_floor_m2",
            1000,
            documents,
            clause,
            status,
            quote_zh=quote_zh,
            target_year=target_year,
            units=("subdistrict",),
        ),
        _r(
            "candidate_street_centre_min_floor_m2",
            1000,
            documents,
            clause,
            status,
            quote_zh=quote_zh,
            target_year=target_year,
        ),
    )


# --- provinces (STANDARDS.md C; all V2) ---------------------------------------------------------------------------

JIANGXI_RULES = (_r("land_per_resident_m2", 0.1, "jiangxi2016", "", "V2"), *_cobuild(20, 15, "jiangxi2016"))
HENAN_RULES = (_r("land_per_resident_m2", 0.2, "henan2022", "", "V2"), *_cobuild(30, 20, "henan2022"))
ZHEJIANG_RULES = (_r("land_per_resident_m2", 0.1, "zhejiang", "", "V2"),)
ANHUI_RULES = _cobuild(30, 20, "安徽省（2022）")
GUIZHOU_RULES = (*_cobuild(20, 15, "贵州省（2022）"), *_street_centre("贵州省（2022）", "", "V2"))
GUANGDONG_RULES = (
    _r(
        "land_per_resident_m2",
        0.1,
        "广东省",
        "",
        "V2",
        note="Guangdong sets 0.1–0.3 m² per resident; the minimum is checked",
    ),
    *_cobuild(20, 15, "广东省"),
)
GUANGZHOU_RULES = (*GUANGDONG_RULES, *_street_centre("广州市", "", "V2"))
JIANGSU_RULES = _cobuild(20, 15, "jiangsu2022")
HUBEI_RULES = (_r("land_per_resident_m2", 0.1, "湖北省", "", "V2"), *_cobuild(20, None, "湖北省"))
SHANDONG_RULES = (_r("land_per_resident_m2", 0.2, "山东省", "", "V2"),)
SHANXI_RULES = (_r("land_per_resident_m2", 0.1, "山西省", "", "V2"),)

# --- the five local documents (read in their own wording: V1) ----------------------------------------------------

#: 上饶 饶府办发〔2021〕13号 (a city document: it applies to its districts, 信州区 among them).
SHANGRAO_TARGETS = (
    _r(
        "service_circle_15min_share",
        1.0,
        "shangrao",
        "二(七)",
        "V1",
        quote_zh="以社区为平台…打造‘15分钟养老服务圈’",
    ),
)

#: 信州区 推进养老服务提质升级三年行动实施方案（2023-2025年）.
XINZHOU_TARGETS = (
    _r(
        "service_circle_15min_share",
        1.0,
        ("shangrao", "xinzhou"),
        "二(七); 一(一)",
        "V1",
        quote_zh="构建城市15分钟‘养老服务圈’…以街道养老服务中心为枢纽，以社区嵌入式养老院为重点、以日间照料中心为补充",
        target_year=2025,
    ),
    *_street_centre(
        "xinzhou",
        "一(一)",
        "V1",
        quote_zh="到2025年底，每个街道至少建有1个建筑面积不少于1000㎡…的养老服务中心",
        target_year=2025,
    ),
    _r(
        "daycare_urban_communities_share",
        1.0,
        "xinzhou",
        "一(一)",
        "V1",
        quote_zh="日间照料中心实现社区全覆盖",
        target_year=2025,
    ),
    _r(
        "rural_mutual_aid_villages_share",
        0.85,
        "xinzhou",
        "一(一)",
        "V1",
        quote_zh="到2025年，农村互助养老服务设施覆盖85%以上的建制村",
        target_year=2025,
    ),
    _r(
        "nursing_beds_share",
        0.60,
        "xinzhou",
        "二(六)",
        "V1",
        quote_zh="到2025年底，全区养老机构护理型床位占比达60%以上",
        target_year=2025,
    ),
    *_cobuild(
        20,
        None,
        ("jiangxi2016", "xinzhou"),
        "; 一(二)",
        quote_zh="新建居住区按标准配建养老服务设施同步规划、同步建设、同步验收、同步交付",
        target_year=2025,
    ),
    *_cobuild(
        None,
        15,
        ("jiangxi2016", "xinzhou"),
        "; 一(二)",
        quote_zh="结合城镇老旧小区改造和完整社区建设，补齐居家和社区养老服务短板",
        target_year=2025,
    ),
    _r(
        "cobuild_new_communities_share",
        1.0,
        "xinzhou",
        "一(二)",
        "V1",
        quote_zh="确保配建达标率100%",
        target_year=2025,
    ),
)

#: 宜春 推进基本养老服务体系建设实施方案 (2023-12-12).
YICHUN_TARGETS = (
    _r(
        "street_centre_streets_share",
        1.0,
        "yichun",
        "二(四)10",
        "V1",
        quote_zh="市辖区街道、县城镇（街道）综合养老服务中心实现全覆盖",
        note="a street (街道) counts when a street centre of any size stands in it; the text also counts the towns "
        "of the county seat (县城镇), which the study cannot tell from other towns: towns are listed, not judged",
    ),
    _r(
        "daycare_urban_communities_share",
        1.0,
        "yichun",
        "二(四)10",
        "V1",
        quote_zh="社区日间照料机构覆盖100%的城市社区",
    ),
    _r(
        "county_destitute_care_institutions",
        1,
        "yichun",
        "二(四)10",
        "V1",
        quote_zh="每个县（市、区）至少建有1所县级特困失能人员专业照护机构",
    ),
    _r(
        "rural_mutual_aid_villages_share",
        0.85,
        "yichun",
        "二(四)10",
        "V1",
        quote_zh="85%以上的行政村建有互助养老服务设施",
    ),
    _r(
        "nursing_beds_share",
        0.60,
        "yichun",
        "二(四)12",
        "V1",
        quote_zh="到2025年底，全市护理型床位占比达到60%以上",
        target_year=2025,
    ),
    _r(
        "health_centre_max_walk_m",
        300,
        "yichun",
        "二(四)12",
        "R",
        quote_zh="支持新建社区卫生服务机构与养老服务机构…统筹规划、毗邻建设",
    ),
    *_cobuild(
        20,
        15,
        ("jiangxi2016", "yichun"),
        "; 二(五)13",
        quote_zh="新建居住区按标准和要求配套建设养老服务设施，老城区和已建成居住区…通过补建等方式完善",
    ),
)

#: 浉河区 关于推进基本养老服务体系建设的实施意见（征求意见稿）: a draft; every row says so.
SHIHE_TARGETS = (
    _r(
        "land_per_resident_m2",
        0.2,
        ("shihe", "henan2022"),
        "二(三)1",
        "V1",
        quote_zh="按照人均不低于0.2平方米的标准，分区分级编制完善养老设施布局专项规划",
    ),
    *_cobuild(
        30,
        20,
        ("henan2022", "shihe"),
        "; 二(三)2",
        quote_zh="新规划建设或已建成的住宅小区按照标准要求配套社区养老服务设施",
    ),
    _r(
        "street_centre_streets_share",
        1.0,
        "shihe",
        "二(四)1",
        "V1",
        quote_zh="在实现街道、社区养老服务设施全覆盖基础上",
    ),
    _r(
        "community_facilities_share",
        1.0,
        "shihe",
        "二(四)1",
        "V1",
        quote_zh="在实现街道、社区养老服务设施全覆盖基础上",
    ),
    _r(
        "service_circle_15min_share",
        1.0,
        "shihe",
        "二(四)1",
        "V1",
        quote_zh="积极构建‘15分钟养老服务圈’",
        target_year=2025,
    ),
    _r(
        "nursing_beds_share",
        0.55,
        "shihe",
        "二(五)1",
        "V1",
        quote_zh="到2025年底，全区养老机构护理型床位占比达到55%以上",
        target_year=2025,
    ),
)

#: 磐安县 磐政办〔2023〕44号 (in force from 2024-01-01).
PANAN_TARGETS = (
    _r(
        "land_per_resident_m2",
        0.1,
        "panan",
        "二(二)4",
        "V1",
        quote_zh="严格按照人均用地不少于0.1平方米的标准，分区分级规划设置社区养老服务设施",
        kinds=("street_centre", "day_care", "embedded_home", "meal_point", "rural_mutual_aid"),
        note="land of community elderly-care facilities (street centres, day-care centres, embedded homes, meal "
        "points, rural mutual-aid facilities; not nursing homes) over residents; land area where given, else "
        "floor area / FAR 0.8 (GB 50437-2007 §5), stated per facility",
    ),
    _r(
        "cobuild_new_communities_share",
        1.0,
        "panan",
        "二(二)5",
        "V1",
        quote_zh="到2025年，新建住宅小区配套建设养老服务设施达标率达到100%",
        target_year=2025,
    ),
    _r(
        "nursing_beds_share",
        0.60,
        "panan",
        "二(一)3",
        "V1",
        quote_zh="到2025年，护理型床位占比达60%",
        target_year=2025,
    ),
    _r(
        "dementia_beds_per_10000_elderly",
        20,
        "panan",
        "二(一)3",
        "V1",
        quote_zh="每万名老年人拥有认知障碍照护床位20张",
        target_year=2025,
    ),
    _r(
        "health_centre_max_walk_m",
        300,
        "panan",
        "二(二)7",
        "R",
        quote_zh="鼓励新建、改建基层医疗机构与养老机构一体化或毗邻建设",
        kinds=INSTITUTION_KINDS,
    ),
    _r(
        "county_destitute_care_institutions",
        1,
        "panan",
        "二(三)10",
        "V1",
        quote_zh="到2025年，建有1所具有医养康养结合功能的县级特困人员供养服务公办机构",
        target_year=2025,
    ),
)


#: The citation of the 15-minute elderly-care service circle: every document that sets it, with its clause.
CIRCLE_CITATION = "；".join(
    dict.fromkeys(
        part
        for table in (SHANGRAO_TARGETS, XINZHOU_TARGETS, SHIHE_TARGETS)
        for r in table
        if r.id == "service_circle_15min_share"
        for part in r.citation.split("; ")
    )
)

"""Rules as data: the :class:`Rule` type and the rule tables, each with its document, clause and status.

Every threshold comes from ../shared/STANDARDS.md with its document, clause and status:

- ``V1``: read in the document's own wording;
- ``V2``: a secondary source attributes it;
- ``R``: recalled or chosen by eldercircle, not confirmed in a source text; shown as "unverified" (未核实).

Rules whose number STANDARDS.md does not give (the walking distance that counts as "beside" a health centre, the
distance from expressways) are eldercircle defaults: status ``R``, ``tool_default=True``, and the note says why the
number was chosen. STANDARDS.md section A (the seed documents) has no status column: their clauses are cited with
clause numbers, and are taken as :data:`SEED_DOCUMENT_STATUS`.

A rule table is one layer of a preset (:mod:`planning.standards.presets`): the national rules, a province's rules,
or the targets of one local document.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from planning.land import ASSUMED_FAR, COBUILD_KINDS, LAND_KINDS
from planning.schema import FACILITY_KINDS

#: Status given to the clauses of the seed documents (STANDARDS.md A has no status column).
SEED_DOCUMENT_STATUS = "V1"
STATUSES = ("V1", "V2", "R")
VERDICTS = ("pass", "fail", "not_assessable")
LEVELS = ("district", "street", "community", "village", "facility", "candidate")

#: Units: key -> (Chinese, English) display.
UNITS: dict[str, tuple[str, str]] = {
    "m2_per_resident": ("㎡/人", "m²/resident"),
    "m2_per_100_households": ("㎡/百户", "m²/100 households"),
    "m2": ("㎡", "m²"),
    "share": ("%", "%"),
    "beds_per_1000_elderly": ("床/千名老人", "beds/1000 elderly"),
    "beds_per_10000_elderly": ("床/万名老人", "beds/10 000 elderly"),
    "m": ("米", "m"),
    "beds": ("床", "beds"),
    "m2_per_bed": ("㎡/床", "m²/bed"),
}
#: What a row's ``need`` counts: key -> (Chinese, English).
NEED_UNITS: dict[str, tuple[str, str]] = {
    "m2_land": ("㎡用地", "m² of land"),
    "m2_floor": ("㎡建筑面积", "m² of floor area"),
    "beds": ("张床位", "beds"),
    "nursing_beds": ("张护理型床位", "nursing-type beds"),
    "dementia_beds": ("张认知障碍床位", "dementia-care beds"),
    "villages": ("个行政村", "villages"),
    "communities": ("个社区", "communities"),
    "streets": ("个街道", "streets"),
    "facilities": ("处设施", "facilities"),
    "elderly": ("名老人", "elderly"),
    "m": ("米", "m"),
}

#: GB 50437 (2018 rev.) 3.2.4: land per nursing-home bed, used to say what a land shortfall means.
LAND_PER_BED_M2 = (18.0, 44.0)


@dataclass(frozen=True)
class Rule:
    """One checkable planning target.

    Attributes
    ----------
    id : identifier ending in its unit (``land_per_resident_m2``); the key of a study override.
    title_zh, title_en : what is checked.
    value : the threshold, in ``unit`` (shares as fractions: 0.85 for 85 %).
    unit : a key of :data:`UNITS`.
    scope : the level of the units it is judged on: ``district``, ``street``, ``community``, ``facility``,
        ``candidate`` (rules judged per street or community also give a district row).
    applies_to : which communities or sites (``urban``, ``rural``, ``new``, ``existing``, ``all``).
    kinds : the facility kinds that count (or are checked).
    source : the document(s), ``; ``-separated.
    clause : the clause(s), aligned with ``source``.
    status : ``V1``, ``V2`` or ``R`` (unverified).
    compare : ``>=`` (a minimum) or ``<=`` (a maximum).
    note : how the rule is measured, and why a default was chosen.
    tool_default : the number is eldercircle's choice, not in STANDARDS.md.
    """

    id: str
    title_zh: str
    title_en: str
    value: float
    unit: str
    scope: str
    applies_to: tuple[str, ...]
    kinds: tuple[str, ...]
    source: str
    clause: str
    status: str
    compare: str = ">="
    note: str = ""
    tool_default: bool = False

    @property
    def citation(self) -> str:
        """Document and clause, e.g. ``GB 50437-2007 (2018 rev.) 3.2.1A``."""
        sources = [s.strip() for s in self.source.split(";")]
        clauses = [c.strip() for c in self.clause.split(";")] if self.clause else []
        clauses += [""] * (len(sources) - len(clauses))
        return "; ".join(f"{s} {c}".strip() for s, c in zip(sources, clauses, strict=False))

    def status_label(self, lang: str = "zh") -> str:
        """``V1``/``V2``, or "unverified" (未核实) for ``R``."""
        if self.status == "R":
            return "未核实" if lang == "zh" else "unverified"
        return self.status


_BED_KINDS = ("embedded_home", "nursing_home")
_HEALTH_KINDS_LOCAL = ("street_centre", "day_care", "embedded_home", "nursing_home")
_ALL_CARE_KINDS = tuple(k for k in FACILITY_KINDS if k != "health_centre")

#: What each rule measures: everything but the value and its source.
_TEMPLATES: dict[str, dict[str, Any]] = {
    "land_per_resident_m2": {
        "title_zh": "人均养老服务设施用地",
        "title_en": "Elderly-care facility land per resident",
        "unit": "m2_per_resident",
        "scope": "street",
        "applies_to": ("all",),
        "kinds": LAND_KINDS,
        "note": f"land of {', '.join(LAND_KINDS)} over residents; land area where given, else floor area / FAR "
        f"{ASSUMED_FAR:g} (GB 50437-2007 §5), stated per facility",
    },
    "cobuild_new_m2_per_100_households": {
        "title_zh": "新建住宅区配建养老服务用房",
        "title_en": "Elderly-care rooms co-built in new residential communities",
        "unit": "m2_per_100_households",
        "scope": "community",
        "applies_to": ("urban", "new"),
        "kinds": COBUILD_KINDS,
        "note": "floor area of street centres, day-care centres, embedded homes and meal points inside the "
        "community per 100 households",
    },
    "cobuild_existing_m2_per_100_households": {
        "title_zh": "已建成住宅区养老服务用房",
        "title_en": "Elderly-care rooms in existing residential communities",
        "unit": "m2_per_100_households",
        "scope": "community",
        "applies_to": ("urban", "existing"),
        "kinds": COBUILD_KINDS,
        "note": "floor area of street centres, day-care centres, embedded homes and meal points inside the "
        "community per 100 households",
    },
    "street_centre_min_floor_m2": {
        "title_zh": "每个街道建有街道综合养老服务中心（建筑面积）",
        "title_en": "A street comprehensive elderly service centre in every street (floor area)",
        "unit": "m2",
        "scope": "street",
        "applies_to": ("all",),
        "kinds": ("street_centre",),
        "note": "the largest street centre of each street (its own street, else the community it stands in)",
    },
    "daycare_urban_communities_share": {
        "title_zh": "日间照料中心覆盖城市社区（15分钟步行）",
        "title_en": "Urban communities within a 15-minute walk of a day-care centre",
        "unit": "share",
        "scope": "community",
        "applies_to": ("urban",),
        "kinds": ("day_care",),
        "note": "a community is covered when all its elderly live within the 15-minute walk of a day-care centre "
        "(coverage); the value is the share of urban communities covered",
    },
    "rural_mutual_aid_villages_share": {
        "title_zh": "农村互助养老服务设施覆盖行政村",
        "title_en": "Administrative villages with a rural mutual-aid facility",
        "unit": "share",
        "scope": "district",
        "applies_to": ("rural",),
        "kinds": ("rural_mutual_aid",),
        "note": "a village (kind rural) counts when a rural mutual-aid facility stands inside it",
    },
    "beds_per_1000_elderly": {
        "title_zh": "每千名老年人养老床位",
        "title_en": "Care beds per 1000 elderly",
        "unit": "beds_per_1000_elderly",
        "scope": "district",
        "applies_to": ("all",),
        "kinds": _BED_KINDS,
        "note": "beds of nursing homes and embedded homes (养老院 + 老年养护院) per 1000 residents aged 60+",
    },
    "nursing_beds_share": {
        "title_zh": "护理型床位占比",
        "title_en": "Nursing-type share of institution beds",
        "unit": "share",
        "scope": "district",
        "applies_to": ("all",),
        "kinds": _BED_KINDS,
        "note": "nursing_beds over beds of nursing homes and embedded homes",
    },
    "dementia_beds_per_10000_elderly": {
        "title_zh": "每万名老年人认知障碍照护床位",
        "title_en": "Dementia-care beds per 10 000 elderly",
        "unit": "beds_per_10000_elderly",
        "scope": "district",
        "applies_to": ("all",),
        "kinds": _BED_KINDS,
        "note": "dementia_beds of nursing homes and embedded homes per 10 000 residents aged 60+",
    },
    "health_centre_max_walk_m": {
        "title_zh": "养老设施毗邻社区卫生服务中心（步行距离）",
        "title_en": "A community health centre beside each elderly-care facility (walking distance)",
        "unit": "m",
        "scope": "facility",
        "applies_to": ("all",),
        "kinds": ("nursing_home",),
        "compare": "<=",
        "note": "eldercircle default: the documents ask for 'adjacent/near' (毗邻) without a distance; 300 m is the "
        "5-minute-walk distance of GB 50180-2018 2.0.4 (itself unverified)",
        "tool_default": True,
    },
    "candidate_expressway_min_distance_m": {
        "title_zh": "候选地块远离高速公路和快速路",
        "title_en": "Candidate site away from expressways",
        "unit": "m",
        "scope": "candidate",
        "applies_to": ("all",),
        "kinds": _ALL_CARE_KINDS,
        "note": "eldercircle default: GB 50437 4.2 asks for sites away from expressways without a distance; "
        "100 m is a screening distance to be set locally (OSM motorway/trunk ways and their ramps)",
        "tool_default": True,
    },
    "candidate_junction_min_distance_m": {
        "title_zh": "候选地块远离高速出入口和立交匝道",
        "title_en": "Candidate site away from expressway junctions",
        "unit": "m",
        "scope": "candidate",
        "applies_to": ("all",),
        "kinds": _ALL_CARE_KINDS,
        "note": "eldercircle default: GB 50437 4.2 asks for sites away from busy junctions without a distance; "
        "100 m is a screening distance to be set locally (OSM motorway_junction nodes and ramp ends)",
        "tool_default": True,
    },
    "candidate_day_care_min_floor_m2": {
        "title_zh": "候选日间照料中心建筑面积下限",
        "title_en": "Candidate day-care centre: minimum floor area",
        "unit": "m2",
        "scope": "candidate",
        "applies_to": ("all",),
        "kinds": ("day_care",),
    },
    "candidate_day_care_max_floor_m2": {
        "title_zh": "候选日间照料中心建筑面积上限",
        "title_en": "Candidate day-care centre: maximum floor area",
        "unit": "m2",
        "scope": "candidate",
        "applies_to": ("all",),
        "kinds": ("day_care",),
        "compare": "<=",
    },
    "candidate_nursing_home_min_beds": {
        "title_zh": "候选养老院床位数下限",
        "title_en": "Candidate nursing home: minimum beds",
        "unit": "beds",
        "scope": "candidate",
        "applies_to": ("all",),
        "kinds": ("nursing_home",),
    },
    "candidate_nursing_home_min_floor_m2_per_bed": {
        "title_zh": "候选养老院每床建筑面积下限",
        "title_en": "Candidate nursing home: minimum floor area per bed",
        "unit": "m2_per_bed",
        "scope": "candidate",
        "applies_to": ("all",),
        "kinds": ("nursing_home",),
    },
    "candidate_nursing_home_min_land_m2_per_bed": {
        "title_zh": "候选养老院每床用地下限",
        "title_en": "Candidate nursing home: minimum land per bed",
        "unit": "m2_per_bed",
        "scope": "candidate",
        "applies_to": ("all",),
        "kinds": ("nursing_home",),
    },
    "candidate_nursing_home_max_land_m2_per_bed": {
        "title_zh": "候选养老院每床用地上限",
        "title_en": "Candidate nursing home: maximum land per bed",
        "unit": "m2_per_bed",
        "scope": "candidate",
        "applies_to": ("all",),
        "kinds": ("nursing_home",),
        "compare": "<=",
    },
    "candidate_street_centre_min_floor_m2": {
        "title_zh": "候选街道综合养老服务中心建筑面积下限",
        "title_en": "Candidate street centre: minimum floor area",
        "unit": "m2",
        "scope": "candidate",
        "applies_to": ("all",),
        "kinds": ("street_centre",),
    },
}


#: Rule ids in check order (the order of the templates).
RULE_ORDER: tuple[str, ...] = tuple(_TEMPLATES)


def _r(rule_id: str, value: float, source: str, clause: str, status: str, **changes: Any) -> Rule:
    """A rule from its template, value and source."""
    spec = {**_TEMPLATES[rule_id], **changes}
    return Rule(id=rule_id, value=float(value), source=source, clause=clause, status=status, **spec)


# --- the rule tables: one layer of a preset each -----------------------------------------------------------------

_GB50437 = "GB 50437-2007 (2018 rev.)"
_GB50180 = "GB 50180-2018"
_S = SEED_DOCUMENT_STATUS
_XINZHOU = "信州区 三年行动方案 2023–2025"
_YICHUN = "宜春 实施方案"
_SHIHE = "浉河区 实施意见"
_PANAN = "磐安县 磐政办〔2023〕44号"

#: The national rules: GB 50437-2007 (2018 rev.), 国发〔2013〕35号, 国发〔2021〕35号, 建标〔2014〕23号, GB 50180-2018.
NATIONAL_RULES = (
    _r("land_per_resident_m2", 0.1, f"{_GB50437}; 国发〔2013〕35号", "3.2.1A", "V1"),
    _r("beds_per_1000_elderly", 40, _GB50437, "3.2.1", "V1"),
    _r(
        "nursing_beds_share",
        0.55,
        "国发〔2021〕35号",
        "",
        "V1",
        note="nursing-type beds ≥ 55 % of institution "
        "beds by 2025; " + _TEMPLATES["nursing_beds_share"]["note"],
    ),
    _r("daycare_urban_communities_share", 1.0, "建标〔2014〕23号", "", "V2"),
    _r(
        "rural_mutual_aid_villages_share",
        0.60,
        "建标〔2014〕23号",
        "",
        "V2",
        note="the 2020 target of service points in 60 % of rural communities; "
        + _TEMPLATES["rural_mutual_aid_villages_share"]["note"],
    ),
    _r("health_centre_max_walk_m", 300, _GB50437, "3.2.4", "R"),
    _r("candidate_expressway_min_distance_m", 100, _GB50437, "4.2.1–4.2.4", "R"),
    _r("candidate_junction_min_distance_m", 100, _GB50437, "4.2.1–4.2.4", "R"),
    _r("candidate_day_care_min_floor_m2", 350, _GB50180, "Table C.0.2", "R"),
    _r("candidate_day_care_max_floor_m2", 750, _GB50180, "Table C.0.2", "R"),
    _r("candidate_nursing_home_min_beds", 20, _GB50437, "3.2.4", "V1"),
    _r("candidate_nursing_home_min_floor_m2_per_bed", 35, _GB50437, "3.2.4", "V1"),
    _r("candidate_nursing_home_min_land_m2_per_bed", 18, _GB50437, "3.2.4", "V1"),
    _r("candidate_nursing_home_max_land_m2_per_bed", 44, _GB50437, "3.2.4", "V1"),
)


def _cobuild(
    new: float | None, existing: float | None, source: str, extra: str = "", status: str = "V2"
) -> tuple[Rule, ...]:
    """The co-building rules (m² per 100 households) of new and existing communities; None leaves one out."""
    rules = []
    if new is not None:
        rules.append(_r("cobuild_new_m2_per_100_households", new, source, extra, status))
    if existing is not None:
        rules.append(_r("cobuild_existing_m2_per_100_households", existing, source, extra, status))
    return tuple(rules)


def _street_centre(source: str, clause: str, status: str) -> tuple[Rule, ...]:
    """A street centre of at least 1000 m² in every street, and the same minimum for candidate sites."""
    return (
        _r("street_centre_min_floor_m2", 1000, source, clause, status),
        _r("candidate_street_centre_min_floor_m2", 1000, source, clause, status),
    )


#: Province rules (STANDARDS.md C) and the targets of the seed documents (STANDARDS.md A).
JIANGXI_RULES = (
    _r("land_per_resident_m2", 0.1, "Jiangxi 2016 notice", "", "V2"),
    *_cobuild(20, 15, "Jiangxi 2016 notice"),
)
XINZHOU_TARGETS = (
    *_street_centre(_XINZHOU, "(一)", _S),
    _r("daycare_urban_communities_share", 1.0, _XINZHOU, "(一)", _S),
    _r("rural_mutual_aid_villages_share", 0.85, _XINZHOU, "(一)", _S),
    _r("nursing_beds_share", 0.60, _XINZHOU, "", _S),
    *_cobuild(20, 15, f"Jiangxi 2016 notice; {_XINZHOU}", "; (二) 四同步 100 %"),
)
YICHUN_TARGETS = (
    _r("daycare_urban_communities_share", 1.0, _YICHUN, "10", _S),
    _r("rural_mutual_aid_villages_share", 0.85, _YICHUN, "10", _S),
    _r("nursing_beds_share", 0.60, _YICHUN, "", _S),
    _r("health_centre_max_walk_m", 300, _YICHUN, "12", "R", kinds=_HEALTH_KINDS_LOCAL),
)
JIANGXI_SEED_TARGETS = (
    *_street_centre(_XINZHOU, "(一)", _S),
    _r("daycare_urban_communities_share", 1.0, f"{_YICHUN}; {_XINZHOU}", "10; (一)", _S),
    _r("rural_mutual_aid_villages_share", 0.85, f"{_YICHUN}; {_XINZHOU}", "10; (一)", _S),
    _r("nursing_beds_share", 0.60, f"{_YICHUN}; {_XINZHOU}", "", _S),
    _r("health_centre_max_walk_m", 300, _YICHUN, "12", "R", kinds=_HEALTH_KINDS_LOCAL),
    *_cobuild(20, 15, f"Jiangxi 2016 notice; {_XINZHOU}", "; (二) 四同步 100 %"),
)
HENAN_RULES = (
    _r("land_per_resident_m2", 0.2, "Henan 养老服务条例 2022", "", "V2"),
    *_cobuild(30, 20, "Henan 养老服务条例 2022"),
)
SHIHE_TARGETS = (
    _r("land_per_resident_m2", 0.2, f"{_SHIHE}; Henan 养老服务条例 2022", "(三)1", _S),
    _r("nursing_beds_share", 0.55, _SHIHE, "", _S),
)
ZHEJIANG_RULES = (_r("land_per_resident_m2", 0.1, "Zhejiang (Jinhua / Pan'an)", "", "V2"),)
PANAN_TARGETS = (
    _r("land_per_resident_m2", 0.1, _PANAN, "二(二)4", _S),
    _r("nursing_beds_share", 0.60, _PANAN, "", _S),
    _r("dementia_beds_per_10000_elderly", 20, _PANAN, "3", _S),
    _r("health_centre_max_walk_m", 300, _PANAN, "7", "R", kinds=_HEALTH_KINDS_LOCAL),
)
#: Province rules of STANDARDS.md C without seed documents.
_GUANGDONG_LAND = _r(
    "land_per_resident_m2",
    0.1,
    "Guangdong",
    "",
    "V2",
    note="Guangdong sets 0.1–0.3 m² per resident; the minimum is checked",
)
ANHUI_RULES = _cobuild(30, 20, "Anhui (2022)")
GUIZHOU_RULES = (*_cobuild(20, 15, "Guizhou (2022)"), *_street_centre("Guizhou (2022)", "", "V2"))
GUANGDONG_RULES = (_GUANGDONG_LAND, *_cobuild(20, 15, "Guangdong"))
GUANGZHOU_RULES = (*GUANGDONG_RULES, *_street_centre("Guangzhou", "", "V2"))
JIANGSU_RULES = _cobuild(20, 15, "Jiangsu (2022 draft)")
HUBEI_RULES = (_r("land_per_resident_m2", 0.1, "Hubei", "", "V2"), *_cobuild(20, None, "Hubei"))
SHANDONG_RULES = (_r("land_per_resident_m2", 0.2, "Shandong", "", "V2"),)
SHANXI_RULES = (_r("land_per_resident_m2", 0.1, "Shanxi", "", "V2"),)

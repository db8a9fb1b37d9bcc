"""Planning standards as data, their presets, and the evaluator that checks a study against them.

Every threshold comes from ../shared/STANDARDS.md with its document, clause and status:

- ``V1``: read in the document's own wording;
- ``V2``: a secondary source attributes it;
- ``R``: recalled or chosen by eldercircle, not confirmed in a source text; shown as "unverified" (未核实).

Rules whose number STANDARDS.md does not give (the walking distance that counts as "beside" a health centre, the
distance from expressways) are eldercircle defaults: status ``R``, ``tool_default=True``, and the note says why the
number was chosen. A study overrides any value in ``[standards.overrides]`` by rule id; ids carry their unit
(``land_per_resident_m2 = 0.2``).

STANDARDS.md section A (the seed documents) has no status column: their clauses are cited with clause numbers, and
are taken as :data:`SEED_DOCUMENT_STATUS`.

Presets
-------
``national`` (GB 50437-2007 (2018 rev.), 国发〔2013〕35号, 国发〔2021〕35号, 建标〔2014〕23号, GB 50180-2018), and the
provinces of STANDARDS.md C. A province preset with seed documents (Jiangxi: 信州区 and 宜春; Henan: 浉河区; Zhejiang:
磐安县) also carries those local targets, each cited to its own document; the county presets (``xinzhou``,
``yichun``, ``shihe``, ``panan``) carry the province and that one document only.

Not checked (not spatial, or no number to check): certified care workers, staff ratios, service posts, monthly
visits, the county-level institution for the destitute disabled (no facility kind identifies it), the embedded
home placement "by elderly population trend and density", Shanghai's draft radii, and co-building where
STANDARDS.md gives no m² per 100 households (national, Zhejiang/磐安县).
"""

from __future__ import annotations

import difflib
import math
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.errors import NetworkError, OptionError
from geo.network import WalkNetwork
from planning.land import (
    ASSUMED_FAR,
    BASIS_ESTIMATED,
    COBUILD_KINDS,
    LAND_KINDS,
    cobuild_floor_by_community,
    facility_land,
    land_by_street,
    land_of_district,
    locate_facilities,
    number_values,
    text_values,
)
from planning.schema import FACILITY_KINDS, FACILITY_KINDS_EN
from planning.study import Study

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
_NAMES_SHOWN = 5


# --- rules and presets ------------------------------------------------------------------------------------------


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


@dataclass(frozen=True)
class Preset:
    """A named set of rules: a country, province or county.

    Attributes
    ----------
    name : the key used in study.toml (``[standards] preset = "jiangxi"``).
    title_zh, title_en : display names.
    rules : every rule, resolved (parents included).
    parent : the preset it extends, or None.
    note : what it contains.
    """

    name: str
    title_zh: str
    title_en: str
    rules: tuple[Rule, ...]
    parent: str | None = None
    note: str = ""


@dataclass(frozen=True)
class RuleSet:
    """The rules a check uses: a preset's rules with the study's overrides applied.

    Attributes
    ----------
    preset : the preset name.
    rules : the rules in check order.
    overridden : rule id -> (preset value or None when the override added the rule, value used).
    """

    preset: str
    rules: tuple[Rule, ...]
    overridden: Mapping[str, tuple[float | None, float]] = field(default_factory=dict)

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def ids(self) -> tuple[str, ...]:
        """Rule ids in order."""
        return tuple(r.id for r in self.rules)

    def get(self, rule_id: str) -> Rule | None:
        """The rule with ``rule_id`` or None."""
        for r in self.rules:
            if r.id == rule_id:
                return r
        return None


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


def _r(rule_id: str, value: float, source: str, clause: str, status: str, **changes: Any) -> Rule:
    """A rule from its template, value and source."""
    spec = {**_TEMPLATES[rule_id], **changes}
    return Rule(id=rule_id, value=float(value), source=source, clause=clause, status=status, **spec)


def _stack(*layers: tuple[Rule, ...]) -> tuple[Rule, ...]:
    """Rules of several layers; a later rule with the same id replaces an earlier one in place."""
    out: dict[str, Rule] = {}
    for layer in layers:
        for rule in layer:
            out[rule.id] = rule
    order = list(_TEMPLATES)
    return tuple(sorted(out.values(), key=lambda r: order.index(r.id)))


_GB50437 = "GB 50437-2007 (2018 rev.)"
_GB50180 = "GB 50180-2018"
_S = SEED_DOCUMENT_STATUS
_XINZHOU = "信州区 三年行动方案 2023–2025"
_YICHUN = "宜春 实施方案"
_SHIHE = "浉河区 实施意见"
_PANAN = "磐安县 磐政办〔2023〕44号"

_NATIONAL = (
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
    rules = []
    if new is not None:
        rules.append(_r("cobuild_new_m2_per_100_households", new, source, extra, status))
    if existing is not None:
        rules.append(_r("cobuild_existing_m2_per_100_households", existing, source, extra, status))
    return tuple(rules)


def _street_centre(source: str, clause: str, status: str) -> tuple[Rule, ...]:
    return (
        _r("street_centre_min_floor_m2", 1000, source, clause, status),
        _r("candidate_street_centre_min_floor_m2", 1000, source, clause, status),
    )


_JIANGXI_PROVINCE = (
    _r("land_per_resident_m2", 0.1, "Jiangxi 2016 notice", "", "V2"),
    *_cobuild(20, 15, "Jiangxi 2016 notice"),
)
_XINZHOU_TARGETS = (
    *_street_centre(_XINZHOU, "(一)", _S),
    _r("daycare_urban_communities_share", 1.0, _XINZHOU, "(一)", _S),
    _r("rural_mutual_aid_villages_share", 0.85, _XINZHOU, "(一)", _S),
    _r("nursing_beds_share", 0.60, _XINZHOU, "", _S),
    *_cobuild(20, 15, f"Jiangxi 2016 notice; {_XINZHOU}", "; (二) 四同步 100 %"),
)
_YICHUN_TARGETS = (
    _r("daycare_urban_communities_share", 1.0, _YICHUN, "10", _S),
    _r("rural_mutual_aid_villages_share", 0.85, _YICHUN, "10", _S),
    _r("nursing_beds_share", 0.60, _YICHUN, "", _S),
    _r("health_centre_max_walk_m", 300, _YICHUN, "12", "R", kinds=_HEALTH_KINDS_LOCAL),
)
_JIANGXI_SEEDS = (
    *_street_centre(_XINZHOU, "(一)", _S),
    _r("daycare_urban_communities_share", 1.0, f"{_YICHUN}; {_XINZHOU}", "10; (一)", _S),
    _r("rural_mutual_aid_villages_share", 0.85, f"{_YICHUN}; {_XINZHOU}", "10; (一)", _S),
    _r("nursing_beds_share", 0.60, f"{_YICHUN}; {_XINZHOU}", "", _S),
    _r("health_centre_max_walk_m", 300, _YICHUN, "12", "R", kinds=_HEALTH_KINDS_LOCAL),
    *_cobuild(20, 15, f"Jiangxi 2016 notice; {_XINZHOU}", "; (二) 四同步 100 %"),
)
_HENAN_PROVINCE = (
    _r("land_per_resident_m2", 0.2, "Henan 养老服务条例 2022", "", "V2"),
    *_cobuild(30, 20, "Henan 养老服务条例 2022"),
)
_SHIHE_TARGETS = (
    _r("land_per_resident_m2", 0.2, f"{_SHIHE}; Henan 养老服务条例 2022", "(三)1", _S),
    _r("nursing_beds_share", 0.55, _SHIHE, "", _S),
)
_ZHEJIANG_PROVINCE = (_r("land_per_resident_m2", 0.1, "Zhejiang (Jinhua / Pan'an)", "", "V2"),)
_PANAN_TARGETS = (
    _r("land_per_resident_m2", 0.1, _PANAN, "二(二)4", _S),
    _r("nursing_beds_share", 0.60, _PANAN, "", _S),
    _r("dementia_beds_per_10000_elderly", 20, _PANAN, "3", _S),
    _r("health_centre_max_walk_m", 300, _PANAN, "7", "R", kinds=_HEALTH_KINDS_LOCAL),
)


def _preset(
    name: str, zh: str, en: str, *layers: tuple[Rule, ...], parent: str | None = None, note: str = ""
) -> Preset:
    return Preset(
        name=name, title_zh=zh, title_en=en, rules=_stack(_NATIONAL, *layers), parent=parent, note=note
    )


#: Every preset by name.
PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset(
            "national",
            "国家标准",
            "National standards",
            _stack(_NATIONAL),
            None,
            "GB 50437-2007 (2018 rev.), 国发〔2013〕35号, 国发〔2021〕35号, 建标〔2014〕23号, GB 50180-2018",
        ),
        _preset(
            "jiangxi",
            "江西省（含信州区、宜春目标）",
            "Jiangxi (with the 信州区 and 宜春 targets)",
            _JIANGXI_PROVINCE,
            _JIANGXI_SEEDS,
            parent="national",
            note="Jiangxi 2016 notice plus the targets of 信州区 三年行动方案 and 宜春 实施方案",
        ),
        _preset(
            "xinzhou",
            "上饶市信州区",
            "Xinzhou District, Shangrao (Jiangxi)",
            _JIANGXI_PROVINCE,
            _XINZHOU_TARGETS,
            parent="jiangxi",
            note="Jiangxi 2016 notice plus 信州区 三年行动方案 2023–2025",
        ),
        _preset(
            "yichun",
            "宜春市",
            "Yichun (Jiangxi)",
            _JIANGXI_PROVINCE,
            _YICHUN_TARGETS,
            parent="jiangxi",
            note="Jiangxi 2016 notice plus 宜春 实施方案",
        ),
        _preset(
            "henan",
            "河南省（含浉河区目标）",
            "Henan (with the 浉河区 targets)",
            _HENAN_PROVINCE,
            _SHIHE_TARGETS,
            parent="national",
            note="Henan 养老服务条例 2022 plus 浉河区 实施意见",
        ),
        _preset(
            "shihe",
            "信阳市浉河区",
            "Shihe District, Xinyang (Henan)",
            _HENAN_PROVINCE,
            _SHIHE_TARGETS,
            parent="henan",
            note="Henan 养老服务条例 2022 plus 浉河区 实施意见",
        ),
        _preset(
            "zhejiang",
            "浙江省（含磐安县目标）",
            "Zhejiang (with the 磐安县 targets)",
            _ZHEJIANG_PROVINCE,
            _PANAN_TARGETS,
            parent="national",
            note="Zhejiang (Jinhua) land rule plus 磐安县 磐政办〔2023〕44号",
        ),
        _preset(
            "panan",
            "金华市磐安县",
            "Pan'an County, Jinhua (Zhejiang)",
            _ZHEJIANG_PROVINCE,
            _PANAN_TARGETS,
            parent="zhejiang",
            note="Zhejiang (Jinhua) land rule plus 磐安县 磐政办〔2023〕44号",
        ),
        _preset("anhui", "安徽省", "Anhui", _cobuild(30, 20, "Anhui (2022)"), parent="national"),
        _preset(
            "guizhou",
            "贵州省",
            "Guizhou",
            _cobuild(20, 15, "Guizhou (2022)"),
            _street_centre("Guizhou (2022)", "", "V2"),
            parent="national",
        ),
        _preset(
            "guangdong",
            "广东省",
            "Guangdong",
            (
                _r(
                    "land_per_resident_m2",
                    0.1,
                    "Guangdong",
                    "",
                    "V2",
                    note="Guangdong sets 0.1–0.3 m² per resident; the minimum is checked",
                ),
            ),
            _cobuild(20, 15, "Guangdong"),
            parent="national",
        ),
        _preset(
            "guangzhou",
            "广州市",
            "Guangzhou",
            (
                _r(
                    "land_per_resident_m2",
                    0.1,
                    "Guangdong",
                    "",
                    "V2",
                    note="Guangdong sets 0.1–0.3 m² per resident; the minimum is checked",
                ),
            ),
            _cobuild(20, 15, "Guangdong"),
            _street_centre("Guangzhou", "", "V2"),
            parent="guangdong",
        ),
        _preset("jiangsu", "江苏省", "Jiangsu", _cobuild(20, 15, "Jiangsu (2022 draft)"), parent="national"),
        _preset(
            "hubei",
            "湖北省",
            "Hubei",
            (_r("land_per_resident_m2", 0.1, "Hubei", "", "V2"),),
            _cobuild(20, None, "Hubei"),
            parent="national",
        ),
        _preset(
            "shandong",
            "山东省",
            "Shandong",
            (_r("land_per_resident_m2", 0.2, "Shandong", "", "V2"),),
            parent="national",
        ),
        _preset(
            "shanxi",
            "山西省",
            "Shanxi",
            (_r("land_per_resident_m2", 0.1, "Shanxi", "", "V2"),),
            parent="national",
        ),
    )
}

#: Chinese names accepted for the presets in study.toml.
PRESET_ALIASES: dict[str, str] = {
    "国家": "national",
    "国家标准": "national",
    "全国": "national",
    "江西": "jiangxi",
    "江西省": "jiangxi",
    "信州区": "xinzhou",
    "上饶市信州区": "xinzhou",
    "宜春": "yichun",
    "宜春市": "yichun",
    "河南": "henan",
    "河南省": "henan",
    "浉河区": "shihe",
    "信阳市浉河区": "shihe",
    "浙江": "zhejiang",
    "浙江省": "zhejiang",
    "磐安": "panan",
    "磐安县": "panan",
    "安徽": "anhui",
    "安徽省": "anhui",
    "贵州": "guizhou",
    "贵州省": "guizhou",
    "广东": "guangdong",
    "广东省": "guangdong",
    "广州": "guangzhou",
    "广州市": "guangzhou",
    "江苏": "jiangsu",
    "江苏省": "jiangsu",
    "湖北": "hubei",
    "湖北省": "hubei",
    "山东": "shandong",
    "山东省": "shandong",
    "山西": "shanxi",
    "山西省": "shanxi",
}

#: Every rule id known to some preset, with its first definition (used when an override adds a rule).
ALL_RULES: dict[str, Rule] = {}
for _p in PRESETS.values():
    for _rule in _p.rules:
        ALL_RULES.setdefault(_rule.id, _rule)


def rules_for(preset: str, *, overrides: Mapping[str, Any] | None = None) -> RuleSet:
    """The rules of a preset with a study's overrides.

    Parameters
    ----------
    preset : a key of :data:`PRESETS` (case-insensitive) or its Chinese name (:data:`PRESET_ALIASES`).
    overrides : rule id -> value in the rule's unit (``{"land_per_resident_m2": 0.2}``). A rule of another preset
        may be added this way (its citation is kept; the row shows it as overridden).

    Returns
    -------
    RuleSet

    Raises
    ------
    OptionError
        For an unknown preset, an unknown rule id, or a value that is not a plain number in the rule's unit
        (negative, not finite, text such as ``"0.2 hectares"``, or a share above 1).
    """
    key = str(preset).strip().lower()
    key = PRESET_ALIASES.get(key, key)
    if key not in PRESETS:
        raise OptionError(f"[standards] preset {preset!r} is unknown; choose one of {', '.join(PRESETS)}")
    rules = list(PRESETS[key].rules)
    overridden: dict[str, tuple[float | None, float]] = {}
    for rule_id, raw in (overrides or {}).items():
        rid = str(rule_id).strip()
        if rid not in ALL_RULES:
            close = difflib.get_close_matches(rid, list(ALL_RULES), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise OptionError(
                f"[standards.overrides] {rid} is not a rule{hint}; rule ids name their unit: "
                f"{', '.join(ALL_RULES)}"
            )
        base = next((r for r in rules if r.id == rid), None)
        template = base or ALL_RULES[rid]
        value = _override_value(template, raw)
        overridden[rid] = (None if base is None else base.value, value)
        new = replace(template, value=value)
        if base is None:
            rules.append(new)
        else:
            rules[rules.index(base)] = new
    order = list(_TEMPLATES)
    rules.sort(key=lambda r: order.index(r.id))
    return RuleSet(preset=key, rules=tuple(rules), overridden=overridden)


def _override_value(rule: Rule, raw: Any) -> float:
    _unit_zh, unit_en = UNITS[rule.unit]
    example = f"{rule.id} = {_plain(rule.value)}"
    where = f"[standards.overrides] {rule.id} = {raw!r}"
    if isinstance(raw, bool) or raw is None:
        raise OptionError(f"{where} must be a number in {unit_en}; write e.g. {example}")
    if isinstance(raw, str):
        try:
            value = float(raw.strip())
        except ValueError:
            raise OptionError(
                f"{where} is not a plain number: the unit is fixed by the rule id ({unit_en}), so "
                f"write only the number, e.g. {example}"
            ) from None
    elif isinstance(raw, (int, float, np.integer, np.floating)):
        value = float(raw)
    else:
        raise OptionError(f"{where} must be a number in {unit_en}; write e.g. {example}")
    if not math.isfinite(value) or value < 0:
        raise OptionError(f"{where} must be a finite number of at least 0 {unit_en}; write e.g. {example}")
    if rule.unit == "share" and value > 1:
        raise OptionError(
            f"{where} is a share and must be between 0 and 1 (0.85 for 85 %); write e.g. {example}"
        )
    return value


def _plain(v: float) -> str:
    return f"{v:g}"


# --- the check --------------------------------------------------------------------------------------------------

ROW_COLUMNS = [
    "rule_id",
    "title_zh",
    "title_en",
    "level",
    "unit_name",
    "street",
    "value",
    "threshold",
    "compare",
    "unit",
    "verdict",
    "shortfall",
    "need",
    "need_unit",
    "explanation_zh",
    "explanation_en",
    "reason",
    "citation",
    "status",
    "overridden",
]


@dataclass(frozen=True, eq=False)
class CheckResult:
    """The standards check of a study.

    Attributes
    ----------
    rows : one row per rule and unit (district, street, community, village, facility, candidate) with the columns of
        :data:`ROW_COLUMNS`: ``value`` and ``threshold`` in ``unit`` (shares as fractions), ``verdict``
        (pass/fail/not_assessable), ``shortfall`` (in ``unit``, 0 on a pass, NaN when not assessable), ``need``
        (what
        the shortfall means, counted in ``need_unit``: m² of land, beds, villages...), the explanations, ``reason``
        (why a row is not assessable), ``citation``, ``status`` (V1/V2/R) and ``overridden``.
    preset : the preset used.
    overrides : rule id -> {"preset_value": float | None, "value": float}.
    rules : the rules checked, in order.
    facility_land : per facility counted for land: ``name``, ``kind``, ``street``, ``land_m2``, ``basis`` and the
        stated assumption ``basis_zh``/``basis_en``.
    district : the district's name.
    """

    rows: pd.DataFrame
    preset: str
    overrides: dict[str, dict[str, float | None]]
    rules: tuple[Rule, ...] = ()
    facility_land: pd.DataFrame | None = None
    district: str = ""

    def counts(self) -> dict[str, int]:
        """Rows per verdict."""
        vc = self.rows["verdict"].value_counts()
        return {v: int(vc.get(v, 0)) for v in VERDICTS}


@dataclass
class _Context:
    study: Study
    rules: RuleSet
    comm: gpd.GeoDataFrame
    fac: gpd.GeoDataFrame
    located: pd.DataFrame
    comm_street: np.ndarray
    district: str
    cache: dict[str, Any] = field(default_factory=dict)


def check_study(
    study: Study,
    *,
    rules: RuleSet | None = None,
    daycare_share: pd.Series | None = None,
    facility_health_walk_m: pd.Series | None = None,
    straight_line_fallback: bool = False,
    expressways: gpd.GeoDataFrame | Literal["auto"] | None = "auto",
) -> CheckResult:
    """Check a study against every rule of its preset (or ``rules``).

    Parameters
    ----------
    study : the loaded study.
    rules : the rules; default ``rules_for(study.standards.preset, overrides=study.standards.overrides)``.
    daycare_share : per community (indexed like ``study.communities``) the share of its elderly within the 15-minute
        walk of a day-care centre (from coverage); None: the day-care rule is not assessable.
    facility_health_walk_m : per facility (indexed like ``study.facilities``) the walking distance in metres to the
        nearest health centre; ``inf`` = none reachable (fails), NaN = unknown (not assessable).
    straight_line_fallback : without walking distances, use straight-line distances (said in every row).
    expressways : expressway lines and junctions (:func:`geo.roads.major_roads_from_osm`), in any CRS; ``"auto"``
        reads them from the study's network source when it is an OSM XML file; None: not assessable.

    Returns
    -------
    CheckResult
    """
    ruleset = (
        rules if rules is not None else rules_for(study.standards.preset, overrides=study.standards.overrides)
    )
    comm = study.communities.reset_index(drop=True)
    fac = study.facilities.reset_index(drop=True)
    if daycare_share is not None:
        daycare_share = pd.Series(np.asarray(daycare_share.reindex(study.communities.index), dtype=float))
    if facility_health_walk_m is not None:
        facility_health_walk_m = pd.Series(
            np.asarray(facility_health_walk_m.reindex(study.facilities.index), dtype=float)
        )
    located = locate_facilities(fac, comm)
    ctx = _Context(
        study=study,
        rules=ruleset,
        comm=comm,
        fac=fac,
        located=located,
        comm_street=text_values(comm, "street"),
        district=study.name,
    )
    frames: list[pd.DataFrame] = []
    land_table = None
    roads_cache: dict[str, Any] = {}
    for rule in ruleset:
        if rule.id == "land_per_resident_m2":
            frame, land_table = _check_land(ctx, rule)
        elif rule.id.startswith("cobuild_"):
            frame = _check_cobuild(ctx, rule)
        elif rule.id == "street_centre_min_floor_m2":
            frame = _check_street_centre(ctx, rule)
        elif rule.id == "daycare_urban_communities_share":
            frame = _check_daycare(ctx, rule, daycare_share)
        elif rule.id == "rural_mutual_aid_villages_share":
            frame = _check_rural(ctx, rule)
        elif rule.id == "beds_per_1000_elderly":
            frame = _check_beds(ctx, rule)
        elif rule.id == "nursing_beds_share":
            frame = _check_nursing_share(ctx, rule)
        elif rule.id == "dementia_beds_per_10000_elderly":
            frame = _check_dementia(ctx, rule)
        elif rule.id == "health_centre_max_walk_m":
            frame = _check_health(ctx, rule, facility_health_walk_m, straight_line_fallback)
        elif rule.id in ("candidate_expressway_min_distance_m", "candidate_junction_min_distance_m"):
            frame = _check_roads(ctx, rule, expressways, roads_cache)
        else:
            frame = _check_candidate_size(ctx, rule)
        frames.append(frame)
    rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=ROW_COLUMNS)
    overrides = {k: {"preset_value": a, "value": b} for k, (a, b) in ruleset.overridden.items()}
    return CheckResult(
        rows=rows[ROW_COLUMNS],
        preset=ruleset.preset,
        overrides=overrides,
        rules=ruleset.rules,
        facility_land=land_table,
        district=study.name,
    )


def check_of_study(
    study: Study,
    network: WalkNetwork | None,
    *,
    rules: RuleSet | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> CheckResult:
    """:func:`check_study` with the walking measures taken from ``network``: the share of each community's elderly
    within 15 minutes of a day-care centre and the walk from each facility to a health centre.

    With ``network`` None those rules come out not assessable (the check says why); the rest are checked as usual.
    """
    daycare = health = None
    if network is not None:
        if (study.facilities["kind"] == "day_care").any():
            from planning.coverage import coverage_of_study

            cov = coverage_of_study(study, network, minutes=(15,), kinds=("day_care",), progress=progress)
            daycare = cov.communities["share_day_care_15min"]
        health = health_walk_m(study, network)
    return check_study(
        study,
        rules=rules,
        daycare_share=daycare,
        facility_health_walk_m=health,
        expressways=_expressways_of_study(study, progress=progress),
    )


def _expressways_of_study(study: Study, *, progress: Callable[[float, str], None] | None = None) -> Any:
    """The expressways of the study's OSM network, read through the cache with ``progress`` (so a damaged cache
    entry is said), or ``"auto"`` for :func:`check_study` to find and explain their absence itself."""
    from geo.cache import cached_major_roads
    from geo.roads import is_osm_xml

    src = study.network_source_path()
    if src is None or not is_osm_xml(src):
        return "auto"
    try:
        return cached_major_roads(src, crs=study.crs, progress=progress)
    except NetworkError:
        return "auto"  # check_study reads it again and says why it cannot


def health_walk_m(
    study: Study, network: WalkNetwork, *, max_walk_m: float = 2000.0, max_distance_m: float = 300.0
) -> pd.Series:
    """Walking distance from each facility to the nearest community health centre, for ``check_study``.

    Parameters
    ----------
    study : the study (facilities, including the ``health_centre`` ones).
    network : its walking network (study CRS).
    max_walk_m : search no farther; beyond it the distance is ``inf`` (no health centre within reach).
    max_distance_m : facilities farther than this from every walkable street are not placed on the network.

    Returns
    -------
    pandas.Series
        Indexed like ``study.facilities``: metres walked (walking time x speed, so steps count at their slower
        pace), ``inf`` when no health centre lies within ``max_walk_m``, NaN for facilities off the network.
    """
    from geo.travel import nearest_times

    fac = study.facilities
    out = pd.Series(np.nan, index=fac.index, dtype=float)
    health = (fac["kind"] == "health_centre").to_numpy()
    if not health.any() or not len(fac):
        return out
    xy = shapely.get_coordinates(fac.geometry.to_numpy())
    res = nearest_times(
        network, xy[health], xy, limit_s=max_walk_m / network.walk_speed_m_s, max_distance_m=max_distance_m
    )
    dist = res.time_s * network.walk_speed_m_s
    out[:] = np.where(res.target_far, np.nan, dist)
    return out


# --- row building -----------------------------------------------------------------------------------------------


def _rows(
    ctx: _Context,
    rule: Rule,
    *,
    level: str | np.ndarray,
    unit_name: Any,
    street: Any,
    value: Any,
    threshold: Any,
    verdict: Any,
    shortfall: Any,
    need: Any,
    need_unit: str | np.ndarray,
    zh: Any,
    en: Any,
    reason: Any = "",
    compare: str | None = None,
    unit: str | None = None,
) -> pd.DataFrame:
    n = len(unit_name) if isinstance(unit_name, (list, np.ndarray, pd.Series)) else 1

    def col(v: Any, dtype: Any = object) -> np.ndarray:
        if isinstance(v, (list, np.ndarray, pd.Series)):
            return np.asarray(v, dtype=dtype)
        out = np.empty(n, dtype=dtype)
        out[:] = v
        return out

    data = {
        "rule_id": col(rule.id),
        "title_zh": col(rule.title_zh),
        "title_en": col(rule.title_en),
        "level": col(level),
        "unit_name": col(unit_name),
        "street": col(street),
        "value": col(value, float),
        "threshold": col(threshold, float),
        "compare": col(compare or rule.compare),
        "unit": col(unit or rule.unit),
        "verdict": col(verdict),
        "shortfall": col(shortfall, float),
        "need": col(need, float),
        "need_unit": col(need_unit),
        "explanation_zh": col(zh),
        "explanation_en": col(en),
        "reason": col(reason),
        "citation": col(rule.citation),
        "status": col(rule.status),
        "overridden": col(rule.id in ctx.rules.overridden, bool),
    }
    return pd.DataFrame(data, columns=ROW_COLUMNS)


def _na_row(
    ctx: _Context,
    rule: Rule,
    reason_zh: str,
    reason_en: str,
    *,
    level: str = "district",
    unit_name: str | None = None,
    street: str | None = None,
    value: float = np.nan,
    threshold: float | None = None,
    unit: str | None = None,
) -> pd.DataFrame:
    return _rows(
        ctx,
        rule,
        level=level,
        unit_name=unit_name or ctx.district,
        street=street,
        value=value,
        threshold=rule.value if threshold is None else threshold,
        verdict="not_assessable",
        shortfall=np.nan,
        need=np.nan,
        need_unit="",
        zh=f"无法评估：{reason_zh}",
        en=f"not assessable: {reason_en}",
        reason=reason_en,
        unit=unit,
    )


def _eps(threshold: np.ndarray | float) -> np.ndarray | float:
    return 1e-9 * np.maximum(1.0, np.abs(threshold))


def _judge(
    value: np.ndarray,
    threshold: np.ndarray | float,
    compare: str,
    *,
    assessable: np.ndarray | None = None,
    best: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Verdicts and shortfalls. ``value`` is what is known; ``best`` the most favourable value the unknown data
    could still give (None: the known value is exact). Rows whose known value fails but whose best value could
    pass are not assessable."""
    value = np.asarray(value, dtype=float)
    best = value if best is None else np.asarray(best, dtype=float)
    ok = np.ones(len(value), bool) if assessable is None else np.asarray(assessable, bool)
    if compare == ">=":
        passes = value >= threshold - _eps(threshold)
        could = best >= threshold - _eps(threshold)
        shortfall = np.maximum(np.asarray(threshold, float) - value, 0.0)
    else:
        passes = value <= threshold + _eps(threshold)
        could = best <= threshold + _eps(threshold)
        shortfall = np.maximum(value - np.asarray(threshold, float), 0.0)
    verdict = np.where(
        ~ok, "not_assessable", np.where(passes, "pass", np.where(could, "not_assessable", "fail"))
    )
    shortfall = np.where(verdict == "fail", shortfall, np.where(verdict == "pass", 0.0, np.nan))
    return verdict.astype(object), shortfall


def _names(names: list[Any] | np.ndarray, lang: str = "zh") -> str:
    names = [str(n) for n in names]
    shown = ("、" if lang == "zh" else ", ").join(names[:_NAMES_SHOWN])
    if len(names) > _NAMES_SHOWN:
        shown += f"等{len(names)}处" if lang == "zh" else f" and {len(names) - _NAMES_SHOWN} more"
    return shown


def _num(x: float, digits: int = 0, lang: str = "en") -> str:
    """A number for text: thin thousands groups in English (2 300), plain in Chinese (2300)."""
    if x is None or not np.isfinite(x):
        return "—"
    text = f"{x:,.{digits}f}"
    return text.replace(",", " " if lang == "en" else "")


def _no_street_row(ctx: _Context, rule: Rule, *, value_note: bool = False) -> pd.DataFrame | None:
    """The not-assessable row of communities without a street, for street-level rules."""
    missing = pd.isna(ctx.comm_street)
    if not missing.any():
        return None
    names = ctx.comm["name"].to_numpy(object)[missing]
    zh = f"{int(missing.sum())}个社区未填写所属街道（{_names(names, 'zh')}），无法按街道统计；请补填“街道”"
    en = (
        f"{int(missing.sum())} communities have no street ({_names(names, 'en')}) and cannot be counted per "
        "street; fill in their street (街道)"
    )
    return _na_row(ctx, rule, zh, en, level="street", unit_name="(no street)")


def _stray_row(ctx: _Context, rule: Rule) -> pd.DataFrame | None:
    """The not-assessable row of facilities of the rule's kinds that no street of the communities holds."""
    sel = ctx.fac["kind"].isin(list(rule.kinds)).to_numpy()
    street = ctx.located["street"].to_numpy(object)
    known = set(ctx.comm_street[pd.notna(ctx.comm_street)])
    stray = sel & ~pd.Series(street, dtype=object).isin(known).to_numpy()
    if not stray.any():
        return None
    names = [
        f"{n}（{s}）" if s is not None else str(n)
        for n, s in zip(ctx.fac["name"].to_numpy(object)[stray], street[stray], strict=False)
    ]
    names_en = [
        f"{n} ({s})" if s is not None else str(n)
        for n, s in zip(ctx.fac["name"].to_numpy(object)[stray], street[stray], strict=False)
    ]
    zh = (
        f"{len(names)}处设施不在任何社区内且未填街道，或所填街道不在社区图层中（{_names(names, 'zh')}），"
        "未计入任何街道；请核对其位置或“街道”"
    )
    en = (
        f"{len(names)} facilities lie in no community without a street, or name a street the communities do not "
        f"have ({_names(names_en, 'en')}), so no street counts them; check their location or street"
    )
    return _na_row(ctx, rule, zh, en, level="street", unit_name="(unknown street)")


def _summary_row(
    ctx: _Context, rule: Rule, verdicts: np.ndarray, *, what_zh: str, what_en: str, need_unit: str
) -> pd.DataFrame:
    """District row of a rule judged per unit: the share of assessed units that pass, against 100 %."""
    n_pass = int((verdicts == "pass").sum())
    n_fail = int((verdicts == "fail").sum())
    n_na = int((verdicts == "not_assessable").sum())
    assessed = n_pass + n_fail
    share = n_pass / assessed if assessed else np.nan
    verdict = "fail" if n_fail else ("not_assessable" if n_na or not assessed else "pass")
    zh = f"{what_zh}：{n_pass}个达标，{n_fail}个未达标" + (f"，{n_na}个无法评估" if n_na else "")
    en = f"{what_en}: {n_pass} pass, {n_fail} fail" + (f", {n_na} not assessable" if n_na else "")
    reason = (
        ""
        if verdict != "not_assessable"
        else (f"{n_na} {what_en} not assessable" if n_na else f"no {what_en} to check")
    )
    return _rows(
        ctx,
        rule,
        level="district",
        unit_name=ctx.district,
        street=None,
        value=share,
        threshold=1.0,
        verdict=verdict,
        shortfall=(1.0 - share) if verdict == "fail" else (0.0 if verdict == "pass" else np.nan),
        need=float(n_fail) if verdict == "fail" else (0.0 if verdict == "pass" else np.nan),
        need_unit=need_unit,
        zh=zh,
        en=en,
        reason=reason,
        compare=">=",
        unit="share",
    )


# --- the rules --------------------------------------------------------------------------------------------------


def _check_land(ctx: _Context, rule: Rule) -> tuple[pd.DataFrame, pd.DataFrame]:
    land = facility_land(ctx.fac, kinds=rule.kinds)
    per_street = land_by_street(ctx.comm, land, ctx.located)
    district = land_of_district(ctx.comm, land)
    table = pd.concat(
        [per_street.assign(level="street"), pd.DataFrame([district]).assign(level="district", street=None)],
        ignore_index=True,
    )
    residents = table["residents"].to_numpy(float)
    known = table["land_m2"].to_numpy(float)
    n_unknown = table["n_unknown"].to_numpy(int)
    has_people = residents > 0
    value = np.where(has_people, known / np.where(has_people, residents, 1.0), np.nan)
    verdict, shortfall = _judge(
        value, rule.value, ">=", assessable=has_people, best=np.where(n_unknown > 0, np.inf, value)
    )
    need = np.where(
        verdict == "fail", rule.value * residents - known, np.where(verdict == "pass", 0.0, np.nan)
    )
    zh, en, reason = [], [], []
    lo, hi = LAND_PER_BED_M2
    for i in range(len(table)):
        r = table.iloc[i]
        est = (
            f"，其中{r.n_estimated}处设施用地按建筑面积÷容积率{ASSUMED_FAR:g}估算（{_num(r.land_estimated_m2, 0, 'zh')}㎡）"
            if r.n_estimated
            else ""
        )
        est_en = (
            f"; land of {r.n_estimated} facilities estimated from floor area / FAR {ASSUMED_FAR:g} "
            f"({_num(r.land_estimated_m2)} m²)"
            if r.n_estimated
            else ""
        )
        unk = (
            f"；{r.n_unknown}处设施无用地和建筑面积，未计入：{_names(r.unknown_names, 'zh')}"
            if r.n_unknown
            else ""
        )
        unk_en = (
            f"; {r.n_unknown} facilities with neither land nor floor area not counted: "
            f"{_names(r.unknown_names, 'en')}"
            if r.n_unknown
            else ""
        )
        base_zh = (
            f"养老设施用地{_num(known[i], 0, 'zh')}㎡，常住人口{_num(residents[i], 0, 'zh')}人"
            f"，人均{_num(value[i], 3, 'zh')}㎡{est}"
        )
        base_en = (
            f"elderly-care land {_num(known[i])} m² for {_num(residents[i])} residents: "
            f"{_num(value[i], 3)} m² per resident{est_en}"
        )
        v = verdict[i]
        if not has_people[i]:
            zh.append(f"无法评估：街道常住人口为0{unk}")
            en.append(f"not assessable: the street has no residents (population 0){unk_en}")
            reason.append("the street has no residents (population 0)")
        elif v == "pass":
            zh.append(f"达标：{base_zh}{unk}")
            en.append(f"meets the standard: {base_en}{unk_en}")
            reason.append("")
        elif v == "fail":
            b1, b2 = need[i] / hi, need[i] / lo
            zh.append(
                f"还需用地约{_num(need[i], 0, 'zh')}㎡，约可建{_num(b1, 0, 'zh')}–{_num(b2, 0, 'zh')}张养老院床位"
                f"（每床用地{lo:g}–{hi:g}㎡，GB 50437 3.2.4）；{base_zh}"
            )
            en.append(
                f"needs {_num(need[i])} m² more land: room for about {_num(b1)}–{_num(b2)} nursing-home beds "
                f"at {lo:g}–{hi:g} m² per bed (GB 50437 3.2.4); {base_en}"
            )
            reason.append("")
        else:
            gap = rule.value * residents[i] - known[i]
            zh.append(
                f"无法评估：{r.n_unknown}处设施无用地和建筑面积（{_names(r.unknown_names, 'zh')}），"
                f"其余设施人均{_num(value[i], 3, 'zh')}㎡，若这些设施合计用地不足{_num(gap, 0, 'zh')}㎡则不达标"
                f"；请补填其用地面积或建筑面积"
            )
            en.append(
                f"not assessable: {r.n_unknown} facilities have neither land nor floor area "
                f"({_names(r.unknown_names, 'en')}); without them {_num(value[i], 3)} m² per resident, short "
                f"unless they add {_num(gap)} m²; give their land or floor area"
            )
            reason.append(
                f"{r.n_unknown} facilities have neither land_area_m2 nor floor_area_m2: "
                f"{_names(r.unknown_names, 'en')}"
            )
    is_district = table["level"].to_numpy() == "district"
    streets = table["street"].to_numpy(object)
    frame = _rows(
        ctx,
        rule,
        level=table["level"].to_numpy(object),
        unit_name=np.where(is_district, ctx.district, streets),
        street=streets,
        value=value,
        threshold=rule.value,
        verdict=verdict,
        shortfall=shortfall,
        need=need,
        need_unit="m2_land",
        zh=zh,
        en=en,
        reason=reason,
    )
    # the district first
    frame = pd.concat([frame[is_district], frame[~is_district]], ignore_index=True)
    extras = [e for e in (_no_street_row(ctx, rule), _stray_row(ctx, rule)) if e is not None]
    if extras:
        frame = pd.concat([frame, *extras], ignore_index=True)
    counted = land[land["counts"]].join(ctx.located[["street"]])
    land_cols = ["name", "kind", "street", "land_m2", "basis", "basis_zh", "basis_en"]
    land_table = counted[land_cols].reset_index(drop=True)
    return frame, land_table


def _check_cobuild(ctx: _Context, rule: Rule) -> pd.DataFrame:
    state = "new" if "_new_" in rule.id else "existing"
    comm = ctx.comm
    sel = (
        (comm["kind"] == "urban") & (comm.get("built", pd.Series("existing", index=comm.index)) == state)
    ).to_numpy()
    what_zh, what_en = (
        ("新建城市社区", "new urban communities")
        if state == "new"
        else ("已建成城市社区", "existing urban communities")
    )
    if not sel.any():
        return _na_row(
            ctx,
            rule,
            f"研究区没有{what_zh}（built = {state}）",
            f"the study has no {what_en} (built = {state})",
        )
    floor = cobuild_floor_by_community(comm, ctx.fac, ctx.located, kinds=rule.kinds).iloc[np.flatnonzero(sel)]
    hh = number_values(comm, "households")[sel]
    known = floor["floor_m2"].to_numpy(float)
    n_unknown = floor["n_unknown"].to_numpy(int)
    has_hh = np.isfinite(hh) & (hh > 0)
    value = np.where(has_hh, known * 100.0 / np.where(has_hh, hh, 1.0), np.nan)
    verdict, shortfall = _judge(
        value, rule.value, ">=", assessable=has_hh, best=np.where(n_unknown > 0, np.inf, value)
    )
    required = rule.value * hh / 100.0
    need = np.where(verdict == "fail", required - known, np.where(verdict == "pass", 0.0, np.nan))
    names = comm["name"].to_numpy(object)[sel]
    unknown_names = floor["unknown_names"].to_numpy(object)
    zh, en, reason = [], [], []
    for i in range(len(names)):
        if not has_hh[i]:
            zh.append("无法评估：缺少户数（households）")
            en.append("not assessable: missing households (户数)")
            reason.append("missing households (户数)" if not np.isfinite(hh[i]) else "households is 0")
            continue
        base_zh = f"养老服务用房{_num(known[i], 0, 'zh')}㎡，{_num(hh[i], 0, 'zh')}户，应配建{_num(required[i], 0, 'zh')}㎡"
        base_en = (
            f"elderly-care rooms {_num(known[i])} m² for {_num(hh[i])} households; "
            f"required {_num(required[i])} m²"
        )
        if verdict[i] == "pass":
            zh.append(f"达标：{base_zh}")
            en.append(f"meets the standard: {base_en}")
            reason.append("")
        elif verdict[i] == "fail":
            zh.append(f"还需配建养老服务用房约{_num(need[i], 0, 'zh')}㎡；{base_zh}")
            en.append(f"needs {_num(need[i])} m² more elderly-care floor area; {base_en}")
            reason.append("")
        else:
            zh.append(
                f"无法评估：{n_unknown[i]}处设施无建筑面积（{_names(unknown_names[i], 'zh')}）；{base_zh}"
            )
            en.append(
                f"not assessable: {n_unknown[i]} facilities have no floor area "
                f"({_names(unknown_names[i], 'en')}); {base_en}"
            )
            reason.append(
                f"{n_unknown[i]} facilities without floor_area_m2: {_names(unknown_names[i], 'en')}"
            )
    rows = _rows(
        ctx,
        rule,
        level="community",
        unit_name=names,
        street=ctx.comm_street[sel],
        value=value,
        threshold=rule.value,
        verdict=verdict,
        shortfall=shortfall,
        need=need,
        need_unit="m2_floor",
        zh=zh,
        en=en,
        reason=reason,
    )
    summary = _summary_row(ctx, rule, verdict, what_zh=what_zh, what_en=what_en, need_unit="communities")
    return pd.concat([summary, rows], ignore_index=True)


def _check_street_centre(ctx: _Context, rule: Rule) -> pd.DataFrame:
    streets = pd.unique(ctx.comm_street[pd.notna(ctx.comm_street)])
    is_centre = ctx.fac["kind"].isin(list(rule.kinds)).to_numpy()
    fstreet = ctx.located["street"].to_numpy(object)[is_centre]
    floor = number_values(ctx.fac, "floor_area_m2")[is_centre]
    fname = ctx.fac["name"].to_numpy(object)[is_centre]
    frame = pd.DataFrame({"street": fstreet, "floor": floor, "name": fname})
    frame = frame[pd.notna(frame["street"])]
    g = frame.groupby("street", sort=False)
    best = g["floor"].max().reindex(streets)
    count = g.size().reindex(streets).fillna(0).astype(int)
    best_name = (
        frame.loc[frame["floor"].notna()]
        .sort_values("floor", ascending=False)
        .drop_duplicates("street")
        .set_index("street")["name"]
        .reindex(streets)
    )
    unknown = frame[frame["floor"].isna()].groupby("street")["name"].agg(list).reindex(streets)
    value = best.fillna(0.0).to_numpy(float)
    n_unknown = np.array([len(u) if isinstance(u, list) else 0 for u in unknown], dtype=int)
    verdict, shortfall = _judge(value, rule.value, ">=", best=np.where(n_unknown > 0, np.inf, value))
    need = np.where(verdict == "fail", rule.value - value, np.where(verdict == "pass", 0.0, np.nan))
    zh, en, reason = [], [], []
    thr = _num(rule.value, 0, "zh")
    for i in range(len(streets)):
        c, name = int(count.iloc[i]), best_name.iloc[i]
        if verdict[i] == "not_assessable":
            names = unknown.iloc[i]
            zh.append(
                f"无法评估：{len(names)}处中心无建筑面积（{_names(names, 'zh')}）"
                + (f"，其余最大{_num(value[i], 0, 'zh')}㎡" if value[i] > 0 else "")
            )
            en.append(
                f"not assessable: {len(names)} centres have no floor area ({_names(names, 'en')})"
                + (f"; the largest known is {_num(value[i])} m²" if value[i] > 0 else "")
            )
            reason.append(f"street centres without floor_area_m2: {_names(names, 'en')}")
        elif c == 0:
            zh.append(f"街道内没有综合养老服务中心：需建一处建筑面积不少于{thr}㎡的中心")
            en.append(
                f"no street centre in the street: one of at least {_num(rule.value)} m² floor area is needed"
            )
            reason.append("")
        elif verdict[i] == "pass":
            zh.append(f"达标：{name}建筑面积{_num(value[i], 0, 'zh')}㎡")
            en.append(f"meets the standard: {name} has {_num(value[i])} m² floor area")
            reason.append("")
        else:
            more = f"（街道内共{c}处中心，以最大者计）" if c > 1 else ""
            more_en = f" (the largest of {c} centres)" if c > 1 else ""
            zh.append(
                f"还差{_num(need[i], 0, 'zh')}㎡：{name}建筑面积{_num(value[i], 0, 'zh')}㎡，不足{thr}㎡{more}"
            )
            en.append(
                f"needs {_num(need[i])} m² more floor area: {name} has {_num(value[i])} m², under "
                f"{_num(rule.value)} m²{more_en}"
            )
            reason.append("")
    rows = _rows(
        ctx,
        rule,
        level="street",
        unit_name=np.asarray(streets, dtype=object),
        street=np.asarray(streets, dtype=object),
        value=value,
        threshold=rule.value,
        verdict=verdict,
        shortfall=shortfall,
        need=need,
        need_unit="m2_floor",
        zh=zh,
        en=en,
        reason=reason,
    )
    if len(streets) == 0:
        out = _na_row(ctx, rule, "没有社区填写所属街道", "no community names its street (街道)")
    else:
        out = pd.concat(
            [_summary_row(ctx, rule, verdict, what_zh="街道", what_en="streets", need_unit="streets"), rows],
            ignore_index=True,
        )
    extras = [e for e in (_no_street_row(ctx, rule), _stray_row(ctx, rule)) if e is not None]
    return pd.concat([out, *extras], ignore_index=True) if extras else out


def _check_daycare(ctx: _Context, rule: Rule, share: pd.Series | None) -> pd.DataFrame:
    urban = (ctx.comm["kind"] == "urban").to_numpy()
    if not urban.any():
        return _na_row(ctx, rule, "研究区没有城市社区", "the study has no urban communities")
    if share is None:
        return _na_row(
            ctx,
            rule,
            "未计算步行覆盖（运行 eldercircle coverage 或提供步行路网）",
            "coverage not computed (run eldercircle coverage / give a network)",
        )
    s = share.to_numpy(float)[urban]
    elderly = number_values(ctx.comm, "elderly")[urban]
    names = ctx.comm["name"].to_numpy(object)[urban]
    known = np.isfinite(s)
    verdict, shortfall = _judge(np.where(known, s, 0.0), 1.0, ">=", assessable=known)
    beyond = np.where(known, elderly * (1.0 - np.clip(s, 0, 1)), np.nan)
    need = np.where(verdict == "fail", beyond, np.where(verdict == "pass", 0.0, np.nan))
    zh, en, reason = [], [], []
    for i in range(len(names)):
        if not known[i]:
            zh.append("无法评估：该社区没有覆盖结果（无老年人口或不在路网上）")
            en.append(
                "not assessable: no coverage figure for this community (no elderly, or off the network)"
            )
            reason.append("no coverage figure for this community")
        elif verdict[i] == "pass":
            zh.append("达标：全部老年人在日间照料中心15分钟步行范围内")
            en.append("meets the standard: all elderly within a 15-minute walk of a day-care centre")
            reason.append("")
        else:
            zh.append(
                f"约{_num(beyond[i], 0, 'zh')}名老人（{(1 - s[i]) * 100:.0f}%）不在日间照料中心15分钟步行范围内"
            )
            en.append(
                f"about {_num(beyond[i])} elderly ({(1 - s[i]) * 100:.0f} %) live beyond a 15-minute walk "
                "of a day-care centre"
            )
            reason.append("")
    rows = _rows(
        ctx,
        rule,
        level="community",
        unit_name=names,
        street=ctx.comm_street[urban],
        value=np.where(known, s, np.nan),
        threshold=1.0,
        verdict=verdict,
        shortfall=shortfall,
        need=need,
        need_unit="elderly",
        zh=zh,
        en=en,
        reason=reason,
    )
    n_ok = int((verdict == "pass").sum())
    n_assessed = int((verdict != "not_assessable").sum())
    n_na = len(verdict) - n_assessed
    dshare = n_ok / n_assessed if n_assessed else np.nan
    dverdict, dshort = _judge(
        np.array([0.0 if not n_assessed else dshare]),
        rule.value,
        ">=",
        assessable=np.array([n_assessed > 0]),
        best=np.array([(n_ok + n_na) / len(verdict)]),
    )
    dneed = max(math.ceil(rule.value * len(verdict) - 1e-9) - n_ok, 0)
    zh_d = f"{len(verdict)}个城市社区中{n_ok}个全部在15分钟步行范围内" + (
        f"，{n_na}个无法评估" if n_na else ""
    )
    en_d = f"{n_ok} of {len(verdict)} urban communities entirely within the 15-minute walk" + (
        f", {n_na} not assessable" if n_na else ""
    )
    if dverdict[0] == "fail":
        zh_d += f"；还需覆盖{dneed}个社区"
        en_d += f"; {dneed} more communities must be covered"
    district = _rows(
        ctx,
        rule,
        level="district",
        unit_name=ctx.district,
        street=None,
        value=dshare,
        threshold=rule.value,
        verdict=dverdict[0],
        shortfall=dshort[0],
        need=float(dneed) if dverdict[0] == "fail" else (0.0 if dverdict[0] == "pass" else np.nan),
        need_unit="communities",
        zh=zh_d,
        en=en_d,
        reason="" if dverdict[0] != "not_assessable" else f"{n_na} communities without coverage figures",
    )
    return pd.concat([district, rows], ignore_index=True)


def _check_rural(ctx: _Context, rule: Rule) -> pd.DataFrame:
    village = (ctx.comm["kind"] == "rural").to_numpy()
    if not village.any():
        return _na_row(
            ctx, rule, "研究区没有行政村（kind = rural）", "the study has no villages (kind = rural)"
        )
    has = np.zeros(len(ctx.comm), bool)
    mine = ctx.fac["kind"].isin(list(rule.kinds)).to_numpy() & (ctx.located["community"].to_numpy() >= 0)
    has[ctx.located["community"].to_numpy()[mine]] = True
    frame = pd.DataFrame(
        {
            "street": ctx.comm_street[village],
            "has": has[village],
            "name": ctx.comm["name"].to_numpy(object)[village],
        }
    )
    units = [(ctx.district, None, frame)]
    for s, part in frame[pd.notna(frame["street"])].groupby("street", sort=False):
        units.append((s, s, part))
    n = np.array([len(p) for _, _, p in units], dtype=float)
    ok = np.array([int(p["has"].sum()) for _, _, p in units], dtype=float)
    value = ok / n
    verdict, shortfall = _judge(value, rule.value, ">=")
    need = np.maximum(np.ceil(rule.value * n - 1e-9) - ok, 0.0)
    need = np.where(verdict == "fail", need, 0.0)
    zh, en = [], []
    for i, (_, _, part) in enumerate(units):
        lacking = part.loc[~part["has"], "name"].tolist()
        base_zh = f"{int(n[i])}个行政村中{int(ok[i])}个有互助养老设施（{value[i] * 100:.0f}%）"
        base_en = f"{int(ok[i])} of {int(n[i])} villages have a mutual-aid facility ({value[i] * 100:.0f} %)"
        if verdict[i] == "pass":
            zh.append(f"达标：{base_zh}")
            en.append(f"meets the standard: {base_en}")
        else:
            zh.append(
                f"还需在{int(need[i])}个行政村设置互助养老设施；{base_zh}；缺少的村：{_names(lacking, 'zh')}"
            )
            en.append(
                f"{int(need[i])} more villages need a mutual-aid facility; {base_en}; villages without: "
                f"{_names(lacking, 'en')}"
            )
    levels = np.array(["district"] + ["street"] * (len(units) - 1), dtype=object)
    rows = _rows(
        ctx,
        rule,
        level=levels,
        unit_name=np.array([u[0] for u in units], dtype=object),
        street=np.array([u[1] for u in units], dtype=object),
        value=value,
        threshold=rule.value,
        verdict=verdict,
        shortfall=shortfall,
        need=need,
        need_unit="villages",
        zh=zh,
        en=en,
    )
    no_street = pd.isna(frame["street"]).to_numpy()
    if no_street.any():
        names = frame.loc[no_street, "name"].tolist()
        rows = pd.concat(
            [
                rows,
                _na_row(
                    ctx,
                    rule,
                    f"{len(names)}个行政村未填写所属乡镇（{_names(names, 'zh')}），无法按乡镇统计",
                    f"{len(names)} villages have no street/town ({_names(names, 'en')}) and cannot be counted per town; "
                    "fill in their street (街道/乡镇)",
                    level="street",
                    unit_name="(no street)",
                ),
            ],
            ignore_index=True,
        )
    return rows


def _bed_frame(ctx: _Context, rule: Rule) -> pd.DataFrame:
    sel = ctx.fac["kind"].isin(list(rule.kinds)).to_numpy()
    out = pd.DataFrame({"name": ctx.fac["name"].to_numpy(object)[sel]})
    for col in ("beds", "nursing_beds", "dementia_beds"):
        out[col] = number_values(ctx.fac, col)[sel]
    out.attrs["has"] = {c: c in ctx.fac for c in ("beds", "nursing_beds", "dementia_beds")}
    return out


def _other_beds(ctx: _Context, rule: Rule, column: str) -> tuple[str, str]:
    """The sentence saying how many ``column`` beds of other kinds the rule leaves out (empty when none)."""
    other = ~ctx.fac["kind"].isin(list(rule.kinds)).to_numpy()
    n = float(np.nansum(number_values(ctx.fac, column)[other]))
    if n <= 0:
        return "", ""
    kinds = [
        k
        for k in FACILITY_KINDS
        if k not in rule.kinds
        and (number_values(ctx.fac, column)[(ctx.fac["kind"] == k).to_numpy()] > 0).any()
    ]
    counted_zh = "、".join(FACILITY_KINDS[k] for k in rule.kinds)
    counted_en = " and ".join(FACILITY_KINDS_EN[k].lower() for k in rule.kinds)
    return (
        f"（另有{'、'.join(FACILITY_KINDS[k] for k in kinds)}的{_num(n, 0, 'zh')}张未计入：本条只计{counted_zh}）",
        (
            f" ({_num(n)} more at {', '.join(FACILITY_KINDS_EN[k].lower() for k in kinds)} not counted: this rule "
            f"counts {counted_en} only)"
        ),
    )


def _total_elderly(ctx: _Context) -> float:
    return float(np.nansum(number_values(ctx.comm, "elderly")))


def _check_beds(ctx: _Context, rule: Rule) -> pd.DataFrame:
    beds = _bed_frame(ctx, rule)
    elderly = _total_elderly(ctx)
    if elderly <= 0:
        return _na_row(ctx, rule, "研究区老年人口为0", "the study has no elderly (elderly = 0)")
    unknown = beds["name"][beds["beds"].isna()].tolist()
    known = float(beds["beds"].sum(skipna=True))
    value = known / elderly * 1000.0
    verdict, shortfall = _judge(
        np.array([value]), rule.value, ">=", best=np.array([np.inf if unknown else value])
    )
    need_beds = max(math.ceil(rule.value * elderly / 1000.0 - known - 1e-9), 0)
    other_zh, other_en = _other_beds(ctx, rule, "beds")
    base_zh = (
        f"养老床位{_num(known, 0, 'zh')}张{other_zh}，老年人口{_num(elderly, 0, 'zh')}人，每千人{value:.1f}张"
    )
    base_en = f"{_num(known)} beds{other_en} for {_num(elderly)} elderly: {value:.1f} per 1000"
    return _district_bed_row(
        ctx,
        rule,
        value,
        verdict[0],
        shortfall[0],
        need_beds,
        "beds",
        base_zh,
        base_en,
        unknown,
        "beds",
        "床位数",
    )


def _district_bed_row(
    ctx: _Context,
    rule: Rule,
    value: float,
    verdict: str,
    shortfall: float,
    need: float,
    need_unit: str,
    base_zh: str,
    base_en: str,
    unknown: list[str],
    column: str,
    column_zh: str,
) -> pd.DataFrame:
    nu_zh, nu_en = NEED_UNITS[need_unit]
    if verdict == "pass":
        zh, en, reason = f"达标：{base_zh}", f"meets the standard: {base_en}", ""
        if unknown:
            zh += f"（另有{len(unknown)}处未填{column_zh}，未计入）"
            en += f" ({len(unknown)} facilities without {column} not counted)"
    elif verdict == "fail":
        zh, en, reason = f"还需{need}{nu_zh}；{base_zh}", f"needs {_num(need)} more {nu_en}; {base_en}", ""
    else:
        zh = f"无法评估：{len(unknown)}处设施未填{column_zh}（{_names(unknown, 'zh')}）；已知部分：{base_zh}"
        en = (
            f"not assessable: {len(unknown)} facilities lack {column} ({_names(unknown, 'en')}); "
            f"known part: {base_en}"
        )
        reason = f"{column} blank at {len(unknown)} facilities: {_names(unknown, 'en')}"
    return _rows(
        ctx,
        rule,
        level="district",
        unit_name=ctx.district,
        street=None,
        value=value,
        threshold=rule.value,
        verdict=verdict,
        shortfall=shortfall,
        need=float(need) if verdict == "fail" else (0.0 if verdict == "pass" else np.nan),
        need_unit=need_unit,
        zh=zh,
        en=en,
        reason=reason,
    )


def _check_nursing_share(ctx: _Context, rule: Rule) -> pd.DataFrame:
    beds = _bed_frame(ctx, rule)
    has_beds = beds["beds"].to_numpy(float) > 0
    b = beds[has_beds]
    if not len(b):
        return _na_row(
            ctx,
            rule,
            "没有填写床位数的养老院或嵌入式养老院",
            "no nursing home or embedded home with beds",
            unit="share",
        )
    if not beds.attrs["has"]["nursing_beds"] or b["nursing_beds"].isna().all():
        return _na_row(
            ctx,
            rule,
            "缺少护理型床位列 nursing_beds（护理型床位）",
            "missing column nursing_beds (护理型床位)",
        )
    total = float(b["beds"].sum())
    known = float(b["nursing_beds"].sum(skipna=True))
    unknown_mask = b["nursing_beds"].isna().to_numpy()
    unknown = b["name"][unknown_mask].tolist()
    lower = known / total
    upper = (known + float(b["beds"][unknown_mask].sum())) / total
    verdict, shortfall = _judge(np.array([lower]), rule.value, ">=", best=np.array([upper]))
    need = max(math.ceil(rule.value * total - known - 1e-9), 0)
    other_zh, other_en = _other_beds(ctx, rule, "beds")
    base_zh = (
        f"护理型床位{_num(known, 0, 'zh')}张，占床位{_num(total, 0, 'zh')}张的{lower * 100:.1f}%{other_zh}"
    )
    base_en = f"{_num(known)} nursing-type beds of {_num(total)} beds ({lower * 100:.1f} %){other_en}"
    return _district_bed_row(
        ctx,
        rule,
        lower,
        verdict[0],
        shortfall[0],
        need,
        "nursing_beds",
        base_zh,
        base_en,
        unknown,
        "nursing_beds",
        "护理型床位",
    )


def _check_dementia(ctx: _Context, rule: Rule) -> pd.DataFrame:
    beds = _bed_frame(ctx, rule)
    elderly = _total_elderly(ctx)
    if not beds.attrs["has"]["dementia_beds"] or beds["dementia_beds"].isna().all():
        return _na_row(
            ctx,
            rule,
            "缺少认知障碍床位列 dementia_beds（认知障碍床位）",
            "missing column dementia_beds (认知障碍床位)",
        )
    if elderly <= 0:
        return _na_row(ctx, rule, "研究区老年人口为0", "the study has no elderly (elderly = 0)")
    known = float(beds["dementia_beds"].sum(skipna=True))
    unknown_mask = beds["dementia_beds"].isna().to_numpy() & ~(beds["beds"].to_numpy(float) == 0)
    unknown = beds["name"][unknown_mask].tolist()
    value = known / elderly * 10000.0
    upper = (
        (
            known
            + float(
                np.nansum(np.where(unknown_mask, np.where(np.isnan(beds["beds"]), np.inf, beds["beds"]), 0.0))
            )
        )
        / elderly
        * 10000.0
    )
    verdict, shortfall = _judge(np.array([value]), rule.value, ">=", best=np.array([upper]))
    need = max(math.ceil(rule.value * elderly / 10000.0 - known - 1e-9), 0)
    base_zh = f"认知障碍床位{_num(known, 0, 'zh')}张，老年人口{_num(elderly, 0, 'zh')}人，每万人{value:.1f}张"
    base_en = f"{_num(known)} dementia-care beds for {_num(elderly)} elderly: {value:.1f} per 10 000"
    return _district_bed_row(
        ctx,
        rule,
        value,
        verdict[0],
        shortfall[0],
        need,
        "dementia_beds",
        base_zh,
        base_en,
        unknown,
        "dementia_beds",
        "认知障碍床位",
    )


def _check_health(ctx: _Context, rule: Rule, walk_m: pd.Series | None, straight: bool) -> pd.DataFrame:
    targets = ctx.fac["kind"].isin(list(rule.kinds)).to_numpy()
    kinds_zh = "、".join(FACILITY_KINDS[k] for k in rule.kinds)
    kinds_en = ", ".join(FACILITY_KINDS_EN[k].lower() for k in rule.kinds)
    if not targets.any():
        return _na_row(ctx, rule, f"研究区没有{kinds_zh}", f"the study has no {kinds_en}")
    health = (ctx.fac["kind"] == "health_centre").to_numpy()
    if not health.any():
        return _na_row(
            ctx,
            rule,
            "设施图层中没有社区卫生服务中心（health_centre），请补充后再检查",
            "the facilities layer has no health_centre; add the community health centres to check adjacency",
        )
    note_zh = note_en = ""
    if walk_m is not None:
        dist = walk_m.to_numpy(float)[targets]
    elif straight:
        pts = ctx.fac.geometry.to_numpy()
        hgeoms = pts[health]
        tree = shapely.STRtree(hgeoms)
        nearest = tree.nearest(pts[targets])
        dist = shapely.distance(pts[targets], hgeoms[nearest])
        note_zh = "（直线距离：未计算步行距离，实际步行距离更长）"
        note_en = " (straight-line distance: walking distances not computed; the walk is longer)"
    else:
        return _na_row(
            ctx,
            rule,
            "未计算到社区卫生服务中心的步行距离（运行 eldercircle coverage 或提供步行路网）",
            "walking distances to health centres not computed (run eldercircle coverage / give a network)",
        )
    known = ~np.isnan(dist)
    verdict, shortfall = _judge(np.where(known, dist, 0.0), rule.value, "<=", assessable=known)
    need = np.where(verdict == "fail", dist - rule.value, np.where(verdict == "pass", 0.0, np.nan))
    names = ctx.fac["name"].to_numpy(object)[targets]
    fkinds = ctx.fac["kind"].to_numpy(object)[targets]
    zh, en, reason = [], [], []
    thr = _num(rule.value, 0, "zh")
    for i in range(len(names)):
        kz = FACILITY_KINDS.get(fkinds[i], fkinds[i])
        if not known[i]:
            zh.append(f"无法评估：{kz}到社区卫生服务中心的距离未知")
            en.append("not assessable: distance to a health centre unknown")
            reason.append("distance to the nearest health centre unknown")
        elif np.isinf(dist[i]):
            zh.append(f"{kz}步行可达范围内没有社区卫生服务中心{note_zh}")
            en.append(f"no health centre reachable on foot{note_en}")
            reason.append("")
        elif verdict[i] == "pass":
            zh.append(f"达标：距最近的社区卫生服务中心{_num(dist[i], 0, 'zh')}米{note_zh}")
            en.append(f"meets the standard: {_num(dist[i])} m to the nearest health centre{note_en}")
            reason.append("")
        else:
            zh.append(f"距最近的社区卫生服务中心{_num(dist[i], 0, 'zh')}米，超过{thr}米{note_zh}")
            en.append(
                f"{_num(dist[i])} m to the nearest health centre, more than {_num(rule.value)} m{note_en}"
            )
            reason.append("")
    streets = ctx.located["street"].to_numpy(object)[targets]
    rows = _rows(
        ctx,
        rule,
        level="facility",
        unit_name=names,
        street=streets,
        value=np.where(np.isinf(dist), np.nan, dist),
        threshold=rule.value,
        verdict=verdict,
        shortfall=np.where(np.isinf(shortfall), np.nan, shortfall),
        need=np.where(np.isinf(need), np.nan, need),
        need_unit="m",
        zh=zh,
        en=en,
        reason=reason,
    )
    summary = _summary_row(
        ctx, rule, verdict, what_zh="养老设施", what_en="facilities", need_unit="facilities"
    )
    return pd.concat([summary, rows], ignore_index=True)


def _candidate_frame(ctx: _Context, rule: Rule) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """Candidates that may host one of the rule's kinds, or a not-assessable row."""
    cand = ctx.study.candidates
    if cand is None or not len(cand):
        return None, _na_row(
            ctx, rule, "研究区没有候选地块", "the study has no candidate sites", level="candidate"
        )
    if "candidates" not in ctx.cache:
        cand = cand.reset_index(drop=True)
        kinds = (
            cand["kinds"].astype(object).where(cand["kinds"].notna(), ",".join(FACILITY_KINDS))
            if "kinds" in cand
            else pd.Series(",".join(FACILITY_KINDS), index=cand.index)
        )
        ctx.cache["candidates"] = cand
        ctx.cache["candidate_kinds"] = [{k.strip() for k in str(ks).split(",")} for ks in kinds]
    cand = ctx.cache["candidates"]
    wanted = set(rule.kinds)
    sel = np.array([bool(wanted & ks) for ks in ctx.cache["candidate_kinds"]], dtype=bool)
    if not sel.any():
        what = "、".join(FACILITY_KINDS[k] for k in rule.kinds)
        return None, _na_row(
            ctx,
            rule,
            f"没有可建{what}的候选地块",
            f"no candidate site may host {', '.join(rule.kinds)}",
            level="candidate",
        )
    return cand[sel], None


def _check_roads(ctx: _Context, rule: Rule, expressways: Any, cache: dict[str, Any]) -> pd.DataFrame:
    cand, na = _candidate_frame(ctx, rule)
    if cand is None:
        return na
    what_zh, what_en = _ROAD_WHAT[_road_role(rule)]
    roads, why = _roads(ctx.study, expressways, cache)
    if roads is None:
        return _na_row(ctx, rule, why[0], why[1], level="candidate")
    dist = _road_distance(rule, cand.geometry.to_numpy(), roads)
    verdict, shortfall = _judge(dist, rule.value, ">=")
    need = np.where(verdict == "fail", rule.value - dist, 0.0)
    zh, en = [], []
    for d, v in zip(dist, verdict, strict=False):
        if not np.isfinite(d):
            zh.append(f"达标：路网文件中没有{what_zh}")
            en.append(f"meets the standard: no {what_en} in the network file")
        elif v == "pass":
            zh.append(f"达标：距最近的{what_zh}{_num(d, 0, 'zh')}米")
            en.append(f"meets the standard: {_num(d)} m from the nearest {what_en}")
        else:
            zh.append(_road_phrase(rule, d, "zh") + "（噪声、安全）")
            en.append(_road_phrase(rule, d, "en") + " (noise, safety)")
    return _rows(
        ctx,
        rule,
        level="candidate",
        unit_name=cand["name"].to_numpy(object),
        street=None,
        value=np.where(np.isfinite(dist), dist, np.nan),
        threshold=rule.value,
        verdict=verdict,
        shortfall=shortfall,
        need=need,
        need_unit="m",
        zh=zh,
        en=en,
    )


def _roads(
    study: Study, expressways: Any, cache: dict[str, Any]
) -> tuple[gpd.GeoDataFrame | None, tuple[str, str]]:
    """Expressway lines and junctions in the study CRS (given, or read from its OSM network), or None and why."""
    if "roads" in cache:
        return cache["roads"], cache["why"]
    roads, why = None, ("", "")
    if isinstance(expressways, gpd.GeoDataFrame):
        roads = expressways.to_crs(study.crs) if expressways.crs is not None else expressways
        if "role" not in roads:
            roads = roads.assign(
                role=np.where(shapely.get_type_id(roads.geometry.to_numpy()) == 0, "junction", "road")
            )
    elif isinstance(expressways, str) and expressways == "auto":
        from geo.cache import cached_major_roads
        from geo.roads import is_osm_xml

        src = study.network_source_path()
        if src is not None and is_osm_xml(src):
            try:
                roads = cached_major_roads(src, crs=study.crs)
            except NetworkError as exc:
                why = (f"无法读取路网文件中的高速公路：{exc}", f"expressways could not be read: {exc}")
        else:
            why = (
                "研究区的路网不是OSM文件，无法识别高速公路；请提供OSM路网",
                "the study's network is not an OSM file, so expressways are unknown; give an OSM network",
            )
    else:
        why = ("未提供高速公路图层", "no expressway layer given")
    cache["roads"], cache["why"] = roads, why
    return roads, why


def _check_candidate_size(ctx: _Context, rule: Rule) -> pd.DataFrame:
    cand, na = _candidate_frame(ctx, rule)
    if cand is None:
        return na
    value, missing, missing_zh = _candidate_size(
        rule,
        number_values(cand, "floor_area_m2"),
        number_values(cand, "land_area_m2"),
        number_values(cand, "beds"),
    )
    known = np.isfinite(value)
    verdict, shortfall = _judge(np.where(known, value, 0.0), rule.value, rule.compare, assessable=known)
    need = np.where(verdict == "fail", shortfall, np.where(verdict == "pass", 0.0, np.nan))
    zh, en, reason = [], [], []
    for v, x in zip(verdict, value, strict=False):
        if v == "not_assessable":
            zh.append(f"无法评估：缺少{missing_zh}")
            en.append(f"not assessable: missing {missing}")
            reason.append(f"missing {missing}")
        elif v == "pass":
            zh.append(f"达标：{_size_phrase(rule, x, 'zh')}")
            en.append(f"meets the standard: {_size_phrase(rule, x, 'en')}")
            reason.append("")
        else:
            zh.append(_size_phrase(rule, x, "zh"))
            en.append(_size_phrase(rule, x, "en"))
            reason.append("")
    need_unit = {"m2": "m2_floor", "beds": "beds"}.get(rule.unit, "")
    return _rows(
        ctx,
        rule,
        level="candidate",
        unit_name=cand["name"].to_numpy(object),
        street=None,
        value=np.where(known, value, np.nan),
        threshold=rule.value,
        verdict=verdict,
        shortfall=shortfall,
        need=need if need_unit else np.nan,
        need_unit=need_unit,
        zh=zh,
        en=en,
        reason=reason,
    )


_ROAD_WHAT = {
    "road": ("高速公路/快速路", "expressway"),
    "junction": ("高速出入口/立交匝道口", "expressway junction"),
}
#: What a candidate size rule measures: (Chinese, English) name of the quantity.
_SIZE_WHAT = {
    "m2": ("建筑面积", "floor area"),
    "beds": ("床位", ""),
    "floor_per_bed": ("每床建筑面积", "floor area per bed"),
    "land_per_bed": ("每床用地", "land per bed"),
}


def _road_role(rule: Rule) -> str:
    return "road" if rule.id == "candidate_expressway_min_distance_m" else "junction"


def _road_distance(rule: Rule, geoms: np.ndarray, roads: gpd.GeoDataFrame) -> np.ndarray:
    """Metres from each site (a point, or a point on its polygon) to the rule's road feature; inf when none."""
    from geo.roads import distance_to_roads

    pts = np.asarray(geoms, dtype=object)
    if len(pts):
        pts = np.where(shapely.get_type_id(pts) == 0, pts, shapely.point_on_surface(pts))
    return distance_to_roads(pts, roads, role=_road_role(rule))


def _road_phrase(rule: Rule, distance_m: float, lang: str) -> str:
    """``距高速公路/快速路仅50米，不足100米`` / ``only 50 m from an expressway, under 100 m``."""
    what_zh, what_en = _ROAD_WHAT[_road_role(rule)]
    if lang == "zh":
        return f"距{what_zh}仅{_num(distance_m, 0, 'zh')}米，不足{_num(rule.value, 0, 'zh')}米"
    return f"only {_num(distance_m)} m from an {what_en}, under {_num(rule.value)} m"


def _size_key(rule: Rule) -> str:
    if rule.unit in ("m2", "beds"):
        return rule.unit
    return "floor_per_bed" if "floor" in rule.id else "land_per_bed"


def _candidate_size(
    rule: Rule, floor: np.ndarray, land: np.ndarray, beds: np.ndarray
) -> tuple[np.ndarray, str, str]:
    """The value a candidate size rule judges (NaN where unknown), and the missing column (English, Chinese)."""
    key = _size_key(rule)
    if key == "m2":
        return floor, "floor_area_m2", "建筑面积"
    if key == "beds":
        return beds, "beds", "床位数"
    part, missing, missing_zh = (
        (floor, "floor_area_m2", "建筑面积") if key == "floor_per_bed" else (land, "land_area_m2", "用地面积")
    )
    ok = beds > 0
    value = np.where(ok, part / np.where(ok, beds, 1.0), np.nan)
    if np.isnan(beds).any():
        missing, missing_zh = f"{missing} or beds", f"{missing_zh}或床位数"
    return value, missing, missing_zh


def _size_phrase(rule: Rule, value: float, lang: str) -> str:
    """``建筑面积300㎡，应不少于350㎡`` / ``floor area 300 m², at least 350 m² required``."""
    what_zh, what_en = _SIZE_WHAT[_size_key(rule)]
    if lang == "zh":
        word = "不少于" if rule.compare == ">=" else "不超过"
        return f"{what_zh}{format_value(value, rule.unit, 'zh')}，应{word}{format_value(rule.value, rule.unit, 'zh')}"
    word = "at least" if rule.compare == ">=" else "at most"
    head = f"{what_en} " if what_en else ""
    return f"{head}{format_value(value, rule.unit, 'en')}, {word} {format_value(rule.value, rule.unit, 'en')} required"


# --- candidate screening for siting -----------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class CandidateScreen:
    """The standards' candidate-site rules as a screen for :func:`planning.siting.siting_of_study` (``screen=``).

    Calling it with candidate sites returns one reason per row: None where the site passes every rule it can be
    judged by, else the failed rules joined (each with its value, threshold, rule and citation). Built by
    :func:`screen_candidates`.

    Attributes
    ----------
    kind : the facility kind being sited.
    rules : the rules applied: the preset's candidate rules for ``kind`` that are minima (distances from
        expressways and junctions, minimum sizes), after the study's overrides; the distance rules only when the
        expressways are known.
    lang : ``zh`` or ``en``: the language of the reasons and notes.
    crs : the study CRS (frames in another CRS are reprojected).
    roads : the expressway lines and junctions (study CRS), or None when unknown.
    layer : the study's candidates layer, where the sizes of the sites are looked up (siting hands over only
        ``candidate`` row ids, names and beds).
    notes : what was not screened and why (no expressway data, maxima not used), in ``lang``.
    """

    kind: str
    rules: tuple[Rule, ...]
    lang: str = "zh"
    crs: Any = None
    roads: gpd.GeoDataFrame | None = None
    layer: gpd.GeoDataFrame | None = None
    notes: tuple[str, ...] = ()

    @property
    def rule_ids(self) -> tuple[str, ...]:
        """Ids of the rules applied, in check order."""
        return tuple(r.id for r in self.rules)

    def __call__(self, frame: gpd.GeoDataFrame) -> pd.Series:
        """Reasons per row of ``frame`` (indexed like it): None where the site passes.

        ``frame`` is either siting's candidate frame (columns ``candidate`` = the layer's row id and
        ``generated``; sizes are looked up in the study's candidates layer, generated street nodes have none) or a
        candidates layer with its own ``floor_area_m2``, ``land_area_m2`` and ``beds``. A size that is unknown
        does not exclude a site (it cannot be judged; ``eldercircle check`` lists it as not assessable).
        """
        out = np.full(len(frame), None, dtype=object)
        if not len(frame) or not self.rules:
            return pd.Series(out, index=frame.index, dtype=object)
        if self.crs is not None and frame.crs is not None and not frame.crs.equals(self.crs):
            frame = frame.to_crs(self.crs)
        floor, land, beds = self._sizes(frame)
        reasons: list[list[str]] = [[] for _ in range(len(frame))]
        zh = self.lang == "zh"
        for rule in self.rules:
            phrase: Callable[[Rule, float, str], str]
            if rule.id in _ROAD_RULES:
                if self.roads is None:
                    continue
                value = _road_distance(rule, frame.geometry.to_numpy(), self.roads)
                phrase = _road_phrase
            else:
                value = _candidate_size(rule, floor, land, beds)[0]
                phrase = _size_phrase
            known = np.isfinite(value)
            verdict, _ = _judge(np.where(known, value, 0.0), rule.value, rule.compare, assessable=known)
            cite = (
                f"（{rule.title_zh}；{rule.citation}，{rule.status_label('zh')}）"
                if zh
                else f" ({rule.id}; {rule.citation}, {rule.status_label('en')})"
            )
            for i in np.flatnonzero(verdict == "fail").tolist():
                reasons[i].append(phrase(rule, float(value[i]), self.lang) + cite)
        sep = "；" if zh else "; "
        for j, parts in enumerate(reasons):
            if parts:
                out[j] = sep.join(parts)
        return pd.Series(out, index=frame.index, dtype=object)

    def _sizes(self, frame: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Floor area, land area and beds of each row (NaN where unknown, and for generated street nodes, whose
        size is an assumption, not a fact to judge)."""
        generated = (
            frame["generated"].fillna(False).to_numpy(bool)
            if "generated" in frame
            else np.zeros(len(frame), bool)
        )
        if "candidate" in frame and "generated" in frame and self.layer is not None and len(self.layer):
            layer = self.layer
            ids = layer["_row"].to_numpy() if "_row" in layer else layer.index.to_numpy()
            pos = pd.Series(np.arange(len(layer)), index=ids)
            found = pos.reindex(frame["candidate"].to_numpy()).to_numpy(float)
            take = ~generated & np.isfinite(found)
            at = np.where(take, found, 0).astype(int)
            cols = [
                np.where(take, number_values(layer, col)[at], np.nan)
                for col in ("floor_area_m2", "land_area_m2", "beds")
            ]
        else:
            cols = [
                np.where(generated, np.nan, number_values(frame, col))
                for col in ("floor_area_m2", "land_area_m2", "beds")
            ]
        return cols[0], cols[1], cols[2]


_ROAD_RULES = ("candidate_expressway_min_distance_m", "candidate_junction_min_distance_m")


def screen_candidates(
    study: Study,
    *,
    kind: str,
    rules: RuleSet | None = None,
    expressways: gpd.GeoDataFrame | Literal["auto"] | None = "auto",
    lang: str = "zh",
) -> CandidateScreen:
    """The screen of candidate sites for ``kind`` from the study's standards, for ``siting_of_study(screen=...)``.

    The rules are the candidate rules of the study's preset (with its overrides) that apply to ``kind`` and set a
    minimum: distance from expressways and from their junctions (GB 50437 4.2; the distances are eldercircle
    defaults, unverified) and minimum sizes (day-care floor area, nursing-home beds and floor/land per bed, street
    centre floor area). Maxima (day-care floor area, nursing-home land per bed) are reported by
    :func:`check_study` but do not exclude a site: part of a larger site can hold a facility of the maximum size.
    The same rules and thresholds as the check are used, so a site the screen excludes fails the same row of
    ``eldercircle check``.

    Parameters
    ----------
    study : the loaded study (its preset, overrides, CRS, candidates layer and network source).
    kind : the facility kind being sited (a key of :data:`planning.schema.FACILITY_KINDS`).
    rules : the rules; default ``rules_for(study.standards.preset, overrides=study.standards.overrides)``.
    expressways : as in :func:`check_study`: a layer of expressway lines and junction points, ``"auto"`` (read
        from the study's OSM network file) or None. Without them the distance rules are left out and a note says
        so.
    lang : ``zh`` (default) or ``en``: the language of the reasons.

    Returns
    -------
    CandidateScreen
        Callable with the candidate sites; returns a reason per row (None where the site passes).

    Raises
    ------
    OptionError
        For an unknown kind or language, an unknown preset or a bad override.
    """
    if kind not in FACILITY_KINDS:
        raise OptionError(f"unknown facility kind {kind!r}; choose from {', '.join(FACILITY_KINDS)}")
    if lang not in ("zh", "en"):
        raise OptionError(f"lang {lang!r} is not one of zh, en")
    ruleset = (
        rules if rules is not None else rules_for(study.standards.preset, overrides=study.standards.overrides)
    )
    mine = [r for r in ruleset if r.scope == "candidate" and kind in r.kinds]
    zh = lang == "zh"
    notes: list[str] = []
    maxima = [r.id for r in mine if r.compare != ">="]
    if maxima:
        notes.append(
            f"上限规则（{'、'.join(maxima)}）只在标准核查中列出，不用于排除候选地块"
            if zh
            else f"maxima ({', '.join(maxima)}) are listed by the standards check but exclude no site: part of "
            "a larger site can hold a facility of the maximum size"
        )
    chosen = [r for r in mine if r.compare == ">="]
    roads = None
    if any(r.id in _ROAD_RULES for r in chosen):
        roads, why = _roads(study, expressways, {})
        if roads is None:
            dropped = [r.id for r in chosen if r.id in _ROAD_RULES]
            chosen = [r for r in chosen if r.id not in _ROAD_RULES]
            notes.append(
                f"未按距高速公路的规则筛选（{'、'.join(dropped)}）：{why[0]}"
                if zh
                else f"not screened by distance from expressways ({', '.join(dropped)}): {why[1]}"
            )
    return CandidateScreen(
        kind=kind,
        rules=tuple(chosen),
        lang=lang,
        crs=study.crs,
        roads=roads,
        layer=study.candidates,
        notes=tuple(notes),
    )


# --- output -----------------------------------------------------------------------------------------------------

_VERDICT_TEXT = {
    "pass": ("达标", "pass"),
    "fail": ("不达标", "FAIL"),
    "not_assessable": ("无法评估", "not assessable"),
}
_LEVEL_TEXT = {
    "district": ("区县", "district"),
    "street": ("街道", "street"),
    "community": ("社区", "community"),
    "village": ("行政村", "village"),
    "facility": ("设施", "facility"),
    "candidate": ("候选地块", "candidate"),
}


def format_value(value: float | None, unit: str, lang: str = "zh") -> str:
    """A value with its unit for display (shares as percentages)."""
    if value is None or not np.isfinite(value):
        return "—"
    if unit == "share":
        return f"{value * 100:.1f}%"
    zh, en = UNITS.get(unit, (unit, unit))
    digits = (
        3 if unit == "m2_per_resident" else (1 if unit.startswith("beds_per") or unit == "m2_per_bed" else 0)
    )
    sep = "" if lang == "zh" else " "
    return f"{_num(value, digits, lang)}{sep}{zh if lang == 'zh' else en}"


def check_summary(result: CheckResult, *, lang: str = "zh") -> str:
    """One line a person can read: rules, rows, and how many pass, fail or cannot be assessed."""
    c = result.counts()
    n_rules = len(result.rules) or result.rows["rule_id"].nunique()
    if lang == "en":
        return (
            f"{result.district}: {n_rules} rules of preset {result.preset}, {len(result.rows)} rows: "
            f"{c['pass']} pass, {c['fail']} fail, {c['not_assessable']} not assessable"
        )
    return (
        f"{result.district}：按“{result.preset}”标准检查{n_rules}条规则，共{len(result.rows)}行："
        f"达标{c['pass']}，不达标{c['fail']}，无法评估{c['not_assessable']}"
    )


def check_table(result: CheckResult, *, lang: str = "zh", max_rows_per_rule: int | None = None) -> str:
    """The check as a text table a planner can read, grouped by rule (Chinese by default).

    Each rule starts with its title, threshold, citation and status (``R`` shown as unverified/未核实, overridden
    values marked); then one line per unit: level, unit, value, threshold, verdict, shortfall, explanation.

    Parameters
    ----------
    result : from :func:`check_study`.
    lang : ``zh`` or ``en``.
    max_rows_per_rule : show at most this many unit rows per rule (failures first); None shows all.
    """
    zh = lang != "en"
    preset = PRESETS.get(result.preset)
    lines = [check_summary(result, lang=lang)]
    if preset is not None:
        lines.append(
            ("标准：" if zh else "Preset: ")
            + (preset.title_zh if zh else preset.title_en)
            + (f"（{preset.note}）" if zh and preset.note else (f" ({preset.note})" if preset.note else ""))
        )
    if result.overrides:
        parts = []
        for rid, ov in result.overrides.items():
            rule = next((r for r in result.rules if r.id == rid), None)
            unit = rule.unit if rule else ""
            before = "—" if ov["preset_value"] is None else format_value(ov["preset_value"], unit, lang)
            parts.append(f"{rid}: {before} → {format_value(ov['value'], unit, lang)}")
        lines.append(("研究区覆盖设置：" if zh else "Study overrides: ") + "; ".join(parts))
    header = (
        ["层级", "单元", "数值", "标准", "结论", "缺口", "说明"]
        if zh
        else ["level", "unit", "value", "threshold", "verdict", "shortfall", "explanation"]
    )
    rules = result.rules or tuple(ALL_RULES[r] for r in pd.unique(result.rows["rule_id"]) if r in ALL_RULES)
    for rule in rules:
        part = result.rows[result.rows["rule_id"] == rule.id]
        over = rule.id in result.overrides
        cmp = "≥" if rule.compare == ">=" else "≤"
        lines.append("")
        lines.append(
            f"【{rule.title_zh if zh else rule.title_en}】 {cmp} {format_value(rule.value, rule.unit, lang)}"
            + (("（研究区设置）" if zh else " (set by the study)") if over else "")
            + f" — {rule.citation} [{rule.status_label(lang)}]  ({rule.id})"
        )
        if rule.tool_default:
            lines.append(
                f"  注：该数值为本工具默认值，所引标准未给出具体数值；请按当地要求在 [standards.overrides] 中设置 "
                f"{rule.id}"
                if zh
                else f"  note: {rule.note}; set {rule.id} in [standards.overrides]"
            )
        if max_rows_per_rule is not None and len(part) > max_rows_per_rule:
            order = part["verdict"].map({"fail": 0, "not_assessable": 1, "pass": 2})
            shown = part.assign(_o=order).sort_values("_o", kind="stable").head(max_rows_per_rule)
        else:
            shown = part
        table = [header]
        for r in shown.itertuples(index=False):
            cmp_r = "≥" if r.compare == ">=" else "≤"
            table.append(
                [
                    _LEVEL_TEXT.get(r.level, (r.level, r.level))[0 if zh else 1],
                    str(r.unit_name),
                    format_value(r.value, r.unit, lang),
                    f"{cmp_r}{format_value(r.threshold, r.unit, lang)}",
                    _VERDICT_TEXT[r.verdict][0 if zh else 1],
                    format_value(r.shortfall, r.unit, lang) if r.verdict == "fail" else "",
                    r.explanation_zh if zh else r.explanation_en,
                ]
            )
        lines.extend(_align(table))
        if len(shown) < len(part):
            lines.append(
                f"  … 另有{len(part) - len(shown)}行（见 --json）"
                if zh
                else f"  … {len(part) - len(shown)} more rows (see --json)"
            )
    land = result.facility_land
    if land is not None and len(land):
        est = land[land["basis"] == BASIS_ESTIMATED]
        if len(est):
            lines.append("")
            lines.append(
                "用地估算（仅有建筑面积的设施）："
                if zh
                else "Land estimated (facilities with floor area only):"
            )
            limit = len(est) if max_rows_per_rule is None else max_rows_per_rule
            for r in est.head(limit).itertuples(index=False):
                lines.append(f"  {r.name}: {r.basis_zh if zh else r.basis_en}")
            if len(est) > limit:
                lines.append(f"  … 另有{len(est) - limit}处" if zh else f"  … {len(est) - limit} more")
    return "\n".join(lines)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _align(table: list[list[str]]) -> list[str]:
    """Columns padded to display width (Chinese characters count double); the last column is left free."""
    n = len(table[0])
    widths = [max(_width(row[j]) for row in table) for j in range(n - 1)]
    out = []
    for row in table:
        cells = [row[j] + " " * (widths[j] - _width(row[j])) for j in range(n - 1)] + [row[-1]]
        out.append("  " + "  ".join(cells).rstrip())
    return out


def check_json(result: CheckResult) -> dict[str, Any]:
    """The check as JSON-ready data; values carry their unit in the key (``value_m2_per_resident``).

    Returns
    -------
    dict
        ``preset``, ``district``, ``summary`` (counts per verdict), ``overrides``, ``rules`` (each with
        ``threshold_<unit>``, citation, status, note) and ``rows`` (each with ``value_<unit>``,
        ``threshold_<unit>``, ``shortfall_<unit>``, ``need_<need unit>``, verdict, explanations, reason, citation,
        status, overridden). Missing numbers are null.
    """
    rules = [
        {
            "id": r.id,
            "title_zh": r.title_zh,
            "title_en": r.title_en,
            f"threshold_{r.unit}": r.value,
            "compare": r.compare,
            "unit": r.unit,
            "scope": r.scope,
            "applies_to": list(r.applies_to),
            "kinds": list(r.kinds),
            "source": r.source,
            "clause": r.clause,
            "citation": r.citation,
            "status": r.status,
            "status_label": r.status_label("en"),
            "tool_default": r.tool_default,
            "note": r.note,
            "overridden": r.id in result.overrides,
        }
        for r in result.rules
    ]
    cols = {c: result.rows[c].to_numpy(object) for c in ROW_COLUMNS}
    rows = []
    for i in range(len(result.rows)):
        unit, need_unit = cols["unit"][i], cols["need_unit"][i]
        row: dict[str, Any] = {
            "rule_id": cols["rule_id"][i],
            "level": cols["level"][i],
            "unit_name": _json_text(cols["unit_name"][i]),
            "street": _json_text(cols["street"][i]),
            f"value_{unit}": _json_number(cols["value"][i]),
            f"threshold_{unit}": _json_number(cols["threshold"][i]),
            "compare": cols["compare"][i],
            "verdict": cols["verdict"][i],
            f"shortfall_{unit}": _json_number(cols["shortfall"][i]),
        }
        if isinstance(need_unit, str) and need_unit:
            row[f"need_{need_unit}"] = _json_number(cols["need"][i])
        row["explanation_zh"] = cols["explanation_zh"][i]
        row["explanation_en"] = cols["explanation_en"][i]
        row["reason"] = _json_text(cols["reason"][i]) or None
        row["citation"] = cols["citation"][i]
        row["status"] = cols["status"][i]
        row["overridden"] = bool(cols["overridden"][i])
        rows.append(row)
    land = []
    if result.facility_land is not None:
        for r in result.facility_land.to_dict("records"):
            land.append(
                _json_clean(
                    {
                        "name": r["name"],
                        "kind": r["kind"],
                        "street": r["street"],
                        "land_m2": _json_number(r["land_m2"]),
                        "basis": r["basis"],
                        "basis_zh": r["basis_zh"],
                        "basis_en": r["basis_en"],
                    }
                )
            )
    return {
        "district": result.district,
        "preset": result.preset,
        "summary": result.counts(),
        "overrides": {
            k: {"preset_value": v["preset_value"], "value": v["value"]} for k, v in result.overrides.items()
        },
        "rules": rules,
        "rows": rows,
        "facility_land": land,
    }


def _json_number(x: Any) -> float | None:
    if x is None:
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def _json_text(x: Any) -> str | None:
    if x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA:
        return None
    return str(x)


def _json_clean(d: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in d.items():
        if isinstance(v, float) and not math.isfinite(v):
            v = None
        elif v is not None and not isinstance(v, (str, int, float, bool, list, dict)):
            v = None if pd.isna(v) else (v.item() if hasattr(v, "item") else str(v))
        out[k] = v
    return out

"""Rules as data: the :class:`Rule` type and the templates of what each rule measures (the tables of values, with
their documents and clauses, are in :mod:`planning.standards.tables`).

Every threshold comes from ../shared/STANDARDS.md with its document, clause and status:

- ``V1``: read in the document's own wording;
- ``V2``: a secondary source attributes it;
- ``R``: recalled or chosen by eldercircle, not confirmed in a source text; shown as "unverified" (未核实).

Rules whose number STANDARDS.md does not give (the walking distance that counts as "beside" a health centre, the
distance from expressways) are eldercircle defaults: status ``R``, ``tool_default=True``, and the note says why the
number was chosen. The five local documents are read in their own wording (../shared/policies), so their rules are
``V1`` with the clause and the quoted words.

A rule table is one layer of a preset (:mod:`planning.standards.presets`): the national rules, a province's rules,
or the targets of one local document.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from planning.land import ASSUMED_FAR, COBUILD_KINDS, LAND_KINDS
from planning.schema import FACILITY_KINDS
from planning.standards.documents import DOCUMENTS

STATUSES = ("V1", "V2", "R")
#: ``advisory``: a line that informs but never fails (e.g. co-location of an existing facility, which the texts ask
#: of new builds); ``depends_on_estimate``: pass with estimated figures, fail with given ones only (or the reverse).
VERDICTS = ("pass", "fail", "not_assessable", "advisory", "depends_on_estimate")
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
    "facilities": ("处", "facilities"),
}
#: The units a rule covers (:attr:`Rule.units`) -> (Chinese, English): streets (街道) and towns (镇) are both rows of
#: the ``street`` column; a street whose name ends in 镇 or 乡 is a town.
UNIT_TYPES: dict[str, tuple[str, str]] = {
    "county": ("县（市、区）", "county or district"),
    "subdistrict": ("街道", "street (街道)"),
    "town": ("镇（乡）", "town (镇)"),
    "urban": ("城市社区", "urban community"),
    "rural": ("行政村", "administrative village"),
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
    quote_zh : the document's own words, short (what an official finds on the page).
    target_year : the year by whose end the target is due, or None when the text sets none.
    documents : keys of :data:`~planning.standards.documents.DOCUMENTS`, aligned with ``source``.
    units : the kinds of units the rule covers (keys of :data:`UNIT_TYPES`: ``subdistrict`` 街道, ``town`` 镇,
        ``urban`` 城市社区, ``rural`` 行政村, ``county``); empty: every unit of its scope. A street-centre rule
        with ``("subdistrict",)`` skips towns and says why.
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
    quote_zh: str = ""
    target_year: int | None = None
    documents: tuple[str, ...] = ()
    units: tuple[str, ...] = ()

    @property
    def citation(self) -> str:
        """Document and clause, e.g. ``GB 50437-2007 (2018 rev.) 3.2.1A``."""
        sources = [s.strip() for s in self.source.split(";")]
        clauses = [c.strip() for c in self.clause.split(";")] if self.clause else []
        clauses += [""] * (len(sources) - len(clauses))
        # a Chinese closing bracket needs no space before the clause: GB 50437-2007（2018年版）3.2.1
        return "; ".join(
            f"{s}{'' if s.endswith('）') else ' '}{c}".strip() for s, c in zip(sources, clauses, strict=False)
        )

    def status_label(self, lang: str = "zh") -> str:
        """``V1``/``V2``, or "unverified" (未核实) for ``R``."""
        if self.status == "R":
            return "未核实" if lang == "zh" else "unverified"
        return self.status

    def force(self, day: dt.date | None = None) -> str:
        """Whether the target is in force on ``day`` (default today): ``draft`` when any of its documents is a draft
        for comment, else ``expired`` when every document's period has ended, else ``in_force``; "" when the rule
        names no document (a provincial rule known from secondary sources only)."""
        forces = [DOCUMENTS[d].force_on(day) for d in self.documents if d in DOCUMENTS]
        if not forces:
            return ""
        if "draft" in forces:
            return "draft"
        if all(f == "expired" for f in forces):
            return "expired"
        if all(f == "not_yet" for f in forces):
            return "not_yet"
        return "in_force"

    def covers(self, unit_type: str) -> bool:
        """Whether a unit of ``unit_type`` (a key of :data:`UNIT_TYPES`) is one this rule judges."""
        return not self.units or unit_type in self.units


#: Care institutions (养老机构): nursing homes and embedded homes (社区嵌入式养老院 are institutions too).
INSTITUTION_KINDS = ("embedded_home", "nursing_home")
#: The network of the 15-minute service circle as 信州区 一(一) names it: the street centre as hub (枢纽), embedded
#: homes as the focus (重点), day-care centres as the complement (补充). Meal points are reported on a line apart.
CIRCLE_KINDS = ("street_centre", "embedded_home", "day_care")
#: Community elderly-care facilities (社区养老服务设施): the land rule of 磐安县 二(二)4 and co-building count these.
COMMUNITY_FACILITY_KINDS = ("street_centre", "day_care", "embedded_home", "meal_point")
_ALL_CARE_KINDS = tuple(k for k in FACILITY_KINDS if k != "health_centre")

#: What each rule measures: everything but the value and its source.
TEMPLATES: dict[str, dict[str, Any]] = {
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
        "title_zh": "日间照料中心覆盖城市社区",
        "title_en": "Urban communities served by a day-care centre",
        "unit": "share",
        "scope": "community",
        "applies_to": ("urban",),
        "kinds": ("day_care",),
        "units": ("urban",),
        "note": "a community is served when a day-care centre stands in it, or when at least half of its elderly live "
        "within the walking threshold of one (a centre may serve its neighbours); beside it, the share of its "
        "elderly within reach (the stricter reading); the value is the share of urban communities served",
    },
    "service_circle_15min_share": {
        "title_zh": "15分钟养老服务圈覆盖城市老年人",
        "title_en": "Urban elderly inside the 15-minute elderly-care service circle",
        "unit": "share",
        "scope": "street",
        "applies_to": ("urban",),
        "kinds": CIRCLE_KINDS,
        "units": ("urban",),
        "note": "share of the elderly of urban communities within a 15-minute walk of a facility of the circle's "
        "network (street centres as hub, embedded homes, day-care centres), per street and district; meal points "
        "are shown on a line apart; the texts set the circle without a share: every urban home (100 %) is read as "
        "the target (set service_circle_15min_share in [standards.overrides] to change it)",
    },
    "street_centre_streets_share": {
        "title_zh": "街道综合养老服务中心覆盖街道",
        "title_en": "Streets with a comprehensive elderly service centre",
        "unit": "share",
        "scope": "street",
        "applies_to": ("all",),
        "kinds": ("street_centre",),
        "units": ("subdistrict",),
        "note": "a street (街道) counts when a street centre of any size stands in it; towns (镇) are outside the rule",
    },
    "community_facilities_share": {
        "title_zh": "社区养老服务设施覆盖城市社区",
        "title_en": "Urban communities with a community elderly-care facility",
        "unit": "share",
        "scope": "community",
        "applies_to": ("urban",),
        "kinds": COMMUNITY_FACILITY_KINDS,
        "units": ("urban",),
        "note": "an urban community counts when a street centre, day-care centre, embedded home or meal point "
        "stands inside it",
    },
    "cobuild_new_communities_share": {
        "title_zh": "新建住宅小区配建养老服务设施达标率",
        "title_en": "New residential communities with co-built elderly-care facilities",
        "unit": "share",
        "scope": "community",
        "applies_to": ("urban", "new"),
        "kinds": COMMUNITY_FACILITY_KINDS,
        "units": ("urban",),
        "note": "a new community (built = new) counts when an elderly-care facility stands inside it and, where the "
        "preset sets m² per 100 households for new estates, its floor area meets that",
    },
    "county_destitute_care_institutions": {
        "title_zh": "县级特困失能人员专业照护机构",
        "title_en": "County-level care institution for the destitute and disabled",
        "unit": "facilities",
        "scope": "district",
        "applies_to": ("all",),
        "kinds": INSTITUTION_KINDS,
        "units": ("county",),
        "note": "nursing homes or embedded homes marked as the county's care institution for the destitute "
        "(特困供养 = 是 in the facilities layer) in the district",
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
        "kinds": INSTITUTION_KINDS,
        "note": "beds per 1000 residents aged 60+, counted on the basis stated on every row (default: nursing "
        "homes and embedded homes, the 养老院 + 老年养护院 of GB 50437 3.2.1)",
    },
    "nursing_beds_share": {
        "title_zh": "护理型床位占比",
        "title_en": "Nursing-type share of institution beds",
        "unit": "share",
        "scope": "district",
        "applies_to": ("all",),
        "kinds": INSTITUTION_KINDS,
        "note": "nursing_beds over beds of nursing homes and embedded homes",
    },
    "dementia_beds_per_10000_elderly": {
        "title_zh": "每万名老年人认知障碍照护床位",
        "title_en": "Dementia-care beds per 10 000 elderly",
        "unit": "beds_per_10000_elderly",
        "scope": "district",
        "applies_to": ("all",),
        "kinds": INSTITUTION_KINDS,
        "note": "dementia_beds of nursing homes and embedded homes per 10 000 residents aged 60+",
    },
    "health_centre_max_walk_m": {
        "title_zh": "新建养老机构与社区卫生服务机构毗邻建设（步行距离）",
        "title_en": "New care institutions built beside a community health centre (walking distance)",
        "unit": "m",
        "scope": "facility",
        "applies_to": ("new",),
        "kinds": INSTITUTION_KINDS,
        "compare": "<=",
        "note": "the texts (Yichun, Pan'an) encourage this of new builds: judged for new "
        "facilities (built = new) and candidate sites; existing facilities get an advisory line, never a fail. "
        "eldercircle default: the documents ask for 'adjacent' (毗邻) without a distance; 300 m is the "
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
RULE_ORDER: tuple[str, ...] = tuple(TEMPLATES)


def make_rule(
    rule_id: str,
    value: float,
    documents: str | tuple[str, ...],
    clause: str,
    status: str,
    *,
    quote_zh: str = "",
    target_year: int | None = None,
    **changes: Any,
) -> Rule:
    """A rule from its template, its value and where it comes from.

    Parameters
    ----------
    rule_id : a key of :data:`TEMPLATES`.
    value : the threshold in the template's unit.
    documents : a key of :data:`~planning.standards.documents.DOCUMENTS`, or several; a text that is no key (a
        provincial rule named as STANDARDS.md names it) is cited as it is.
    clause : the clause(s), ``; ``-separated and aligned with ``documents``.
    status : ``V1``, ``V2`` or ``R``.
    quote_zh : the document's own words, short.
    target_year : the year the target is due, or None when the text sets none.
    changes : any other field of :class:`Rule` that differs from the template (``kinds``, ``note``...).

    Returns
    -------
    Rule
    """
    keys = (documents,) if isinstance(documents, str) else tuple(documents)
    source = "; ".join(DOCUMENTS[k].short if k in DOCUMENTS else k for k in keys)
    spec = {**TEMPLATES[rule_id], **changes}
    return Rule(
        id=rule_id,
        value=float(value),
        source=source,
        clause=clause,
        status=status,
        quote_zh=quote_zh,
        target_year=target_year,
        documents=tuple(k for k in keys if k in DOCUMENTS),
        **spec,
    )

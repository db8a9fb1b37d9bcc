"""The check: a study against every rule of its preset, one row per rule and unit, with the walking measures
taken from the network when there is one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.cache import cached_major_roads
from geo.errors import NetworkError, OptionError
from geo.network import WalkNetwork
from geo.roads import is_osm_xml
from planning.coverage import CoverageResult, coverage_of_study
from planning.i18n import message
from planning.land import locate_facilities, text_values
from planning.progress import Progress
from planning.settings import BED_BASES
from planning.standards.check_access import check_daycare, check_rural
from planning.standards.check_area import check_land, check_street_centre, check_street_centre_share
from planning.standards.check_beds import (
    check_beds,
    check_dementia,
    check_destitute_care,
    check_nursing_share,
)
from planning.standards.check_circle import CIRCLE_WALK_S, MEAL_KIND, check_circle, check_community_facilities
from planning.standards.check_cobuild import check_cobuild, check_cobuild_share
from planning.standards.check_colocation import candidate_health_walk_m, check_health, walks_to_health_m
from planning.standards.check_sites import check_candidate_size, check_roads
from planning.standards.presets import RuleSet, rules_for
from planning.standards.rows import ROW_COLUMNS, Checker, Context
from planning.standards.rules import VERDICTS, Rule
from planning.study import Study


@dataclass(frozen=True, eq=False)
class CheckResult:
    """The standards check of a study.

    Attributes
    ----------
    rows : one row per rule and unit (district, street, community, village, facility, candidate) with the columns of
        :data:`ROW_COLUMNS`: ``value`` and ``threshold`` in ``unit`` (shares as fractions), ``verdict``
        (pass/fail/not_assessable), ``shortfall`` (in ``unit``, 0 on a pass, NaN when not assessable), ``need``
        (what the shortfall means, counted in ``need_unit``: m² of land, beds, villages...), the explanations,
        ``reason`` (why a row is not assessable), ``citation``, ``status`` (V1/V2/R) and ``overridden``.
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


def check_study(
    study: Study,
    *,
    rules: RuleSet | None = None,
    daycare_share: pd.Series | None = None,
    walk_times: pd.DataFrame | None = None,
    facility_health_walk_m: pd.Series | None = None,
    straight_line_fallback: bool = False,
    expressways: gpd.GeoDataFrame | Literal["auto"] | None = "auto",
    candidate_health_walk_m: pd.Series | None = None,
    bed_basis: str | None = None,
) -> CheckResult:
    """Check a study against every rule of its preset (or ``rules``).

    Parameters
    ----------
    study : the loaded study.
    rules : the rules; default ``rules_for(study.standards.preset, overrides=study.standards.overrides)``.
    daycare_share : per community (indexed like ``study.communities``) the share of its elderly within the 15-minute
        walk of a day-care centre (from coverage); None: taken from ``walk_times`` when it has the day-care
        centres, else only the communities with a centre inside are judged.
    walk_times : per demand point (e.g. :attr:`CoverageResult.demand <planning.coverage.CoverageResult>`, see
        :func:`walk_times_of`): ``community`` (position in ``study.communities``, -1 outside all), ``elderly`` and
        ``walk_time_s_<kind>``, the walking seconds to the nearest facility of each kind measured, NaN when none
        lies within 15 minutes (times must be measured at least that far); None: the service circle is not
        assessable.
    facility_health_walk_m : per facility (indexed like ``study.facilities``) the walking distance in metres to the
        nearest health centre; ``inf`` = none reachable (fails), NaN = unknown (not assessable).
    straight_line_fallback : without walking distances, use straight-line distances (said in every row).
    expressways : expressway lines and junctions (:func:`geo.roads.major_roads_from_osm`), in any CRS; ``"auto"``
        reads them from the study's network source when it is an OSM XML file; None: not assessable.
    candidate_health_walk_m : per candidate site (indexed like ``study.candidates``) the walking distance in metres
        to the nearest health centre (:func:`~planning.standards.check_colocation.candidate_health_walk_m`).
    bed_basis : which beds the bed rules count (``institutions`` or ``all``); None: the study's
        ``[standards] bed_basis``.

    Returns
    -------
    CheckResult
    """
    ruleset = (
        rules if rules is not None else rules_for(study.standards.preset, overrides=study.standards.overrides)
    )
    study = _with_bed_basis(study, bed_basis)
    comm = study.communities.reset_index(drop=True)
    fac = study.facilities.reset_index(drop=True)
    daycare_share = _daycare_share(study, daycare_share, walk_times)
    if facility_health_walk_m is not None:
        facility_health_walk_m = pd.Series(
            np.asarray(facility_health_walk_m.reindex(study.facilities.index), dtype=float)
        )
    located = locate_facilities(fac, comm)
    ctx = Context(
        study=study,
        rules=ruleset,
        comm=comm,
        fac=fac,
        located=located,
        comm_street=text_values(comm, "street"),
        district=study.name,
        daycare_share=daycare_share,
        walk_times=walk_times,
        health_walk_m=facility_health_walk_m,
        candidate_health_walk_m=candidate_health_walk_m,
        straight_line_fallback=straight_line_fallback,
        expressways=expressways,
    )
    rows, land_table = _rows_of(ctx)
    overrides = {k: {"preset_value": a, "value": b} for k, (a, b) in ruleset.overridden.items()}
    return CheckResult(
        rows=rows[ROW_COLUMNS],
        preset=ruleset.preset,
        overrides=overrides,
        rules=ruleset.rules,
        facility_land=land_table,
        district=study.name,
    )


def _with_bed_basis(study: Study, bed_basis: str | None) -> Study:
    """The study with ``bed_basis`` in its standards settings (None: as it is); an unknown basis is refused."""
    if bed_basis is None or bed_basis == study.standards.bed_basis:
        return study
    if bed_basis not in BED_BASES:
        raise OptionError(message("err_bed_basis_option", value=bed_basis, choices=", ".join(BED_BASES)))
    return replace(study, standards=replace(study.standards, bed_basis=bed_basis))


#: The checker of each rule (the land rule, which also returns the land per facility, is called apart).
_CHECKERS: dict[str, Checker] = {
    "street_centre_min_floor_m2": check_street_centre,
    "street_centre_streets_share": check_street_centre_share,
    "cobuild_new_communities_share": check_cobuild_share,
    "daycare_urban_communities_share": check_daycare,
    "rural_mutual_aid_villages_share": check_rural,
    "service_circle_15min_share": check_circle,
    "community_facilities_share": check_community_facilities,
    "beds_per_1000_elderly": check_beds,
    "nursing_beds_share": check_nursing_share,
    "dementia_beds_per_10000_elderly": check_dementia,
    "health_centre_max_walk_m": check_health,
    "county_destitute_care_institutions": check_destitute_care,
    "candidate_expressway_min_distance_m": check_roads,
    "candidate_junction_min_distance_m": check_roads,
}


def _rows_of(ctx: Context) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Every rule's rows in order, and the land per facility (from the land rule, when the preset has it)."""
    frames: list[pd.DataFrame] = []
    land_table = None
    for rule in ctx.rules:
        if rule.id == "land_per_resident_m2":
            frame, land_table = check_land(ctx, rule)
        else:
            frame = _checker_for(rule.id)(ctx, rule)
        frames.append(frame)
    rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=ROW_COLUMNS)
    return rows, land_table


def _checker_for(rule_id: str) -> Checker:
    """The checker of a rule: co-building by its prefix, the other candidate rules are sizes."""
    if rule_id.startswith("cobuild_") and rule_id not in _CHECKERS:
        return check_cobuild
    return _CHECKERS.get(rule_id, check_candidate_size)


def check_of_study(
    study: Study,
    network: WalkNetwork | None,
    *,
    rules: RuleSet | None = None,
    progress: Progress | None = None,
    bed_basis: str | None = None,
) -> CheckResult:
    """:func:`check_study` with the walking measures taken from ``network``: the walking times of the elderly to
    day-care centres, to the facilities of the 15-minute service circle (``study.standards.circle_kinds``) and to
    meal points, and the walk from each facility and candidate site to a health centre.

    With ``network`` None those rules come out not assessable (the check says why); the rest are checked as usual.

    Parameters
    ----------
    study : the loaded study.
    network : its walking network (study CRS), or None.
    rules : the rules; default the study's preset with its overrides.
    progress : called with (fraction, message) while coverage runs and the expressways are read.
    bed_basis : which beds the bed rules count; None: the study's.

    Returns
    -------
    CheckResult
    """
    ruleset = (
        rules if rules is not None else rules_for(study.standards.preset, overrides=study.standards.overrides)
    )
    walk = health = cand_health = None
    if network is not None:
        kinds = walked_kinds(study, ruleset)
        if kinds:
            cov = coverage_of_study(study, network, minutes=(15,), kinds=kinds, progress=progress)
            walk = walk_times_of(cov)
        health = health_walk_m(study, network)
        cand_health = candidate_health_walk_m(study, network)
    return check_study(
        study,
        rules=ruleset,
        walk_times=walk,
        facility_health_walk_m=health,
        expressways=_expressways_of_study(study, progress=progress),
        candidate_health_walk_m=cand_health,
        bed_basis=bed_basis,
    )


def walked_kinds(study: Study, rules: RuleSet) -> tuple[str, ...]:
    """The facility kinds whose walking times the rules read (day-care centres; the circle's kinds and meal points),
    of those the study has."""
    ids = set(rules.ids())
    wanted: list[str] = []
    if "daycare_urban_communities_share" in ids:
        wanted.append("day_care")
    if "service_circle_15min_share" in ids:
        wanted.extend([*study.standards.circle_kinds, MEAL_KIND])
    present = set(study.facilities["kind"])
    return tuple(k for k in dict.fromkeys(wanted) if k in present)


def walk_times_of(coverage: CoverageResult) -> pd.DataFrame | None:
    """The walking times of a coverage run as :func:`check_study` reads them, or None when its longest band is
    shorter than the 15-minute walk the rules ask about (the times beyond it are unknown)."""
    if coverage.minutes[-1] * 60.0 < CIRCLE_WALK_S:
        return None
    cols = ["community", "elderly", *(coverage.time_column(k) for k in coverage.kinds)]
    return pd.DataFrame(coverage.demand[cols])


def _daycare_share(study: Study, given: pd.Series | None, walk: pd.DataFrame | None) -> pd.Series | None:
    """The day-care share per community (positions 0..n-1): ``given`` (indexed like ``study.communities``), else
    from the walking times, else None."""
    if given is not None:
        return pd.Series(np.asarray(given.reindex(study.communities.index), dtype=float))
    if walk is None:
        return None
    has = bool((study.facilities["kind"] == "day_care").any())
    return _share_within(walk, "day_care", len(study.communities), has_kind=has)


def _share_within(walk: pd.DataFrame, kind: str, n_comm: int, *, has_kind: bool) -> pd.Series | None:
    """Per community (positions 0..n_comm-1) the share of its elderly within the 15-minute walk of ``kind`` (NaN for
    a community without elderly), from the walking times; None when the kind has facilities but no times."""
    col = f"walk_time_s_{kind}"
    if col not in walk and has_kind:
        return None
    owner = walk["community"].to_numpy(int)
    w = walk["elderly"].to_numpy(float)
    t = walk[col].to_numpy(float) if col in walk else np.full(len(walk), np.nan)
    inside = owner >= 0
    near = inside & (np.nan_to_num(t, nan=np.inf) <= CIRCLE_WALK_S)
    el = np.bincount(owner[inside], weights=w[inside], minlength=n_comm)
    cov = np.bincount(owner[near], weights=w[near], minlength=n_comm)
    with np.errstate(invalid="ignore", divide="ignore"):
        return pd.Series(np.where(el > 0, cov / el, np.nan))


def _expressways_of_study(study: Study, *, progress: Progress | None = None) -> Any:
    """The expressways of the study's OSM network, read through the cache with ``progress`` (so a damaged cache
    entry is said), or ``"auto"`` for :func:`check_study` to find and explain their absence itself."""
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
    fac = study.facilities
    health = (fac["kind"] == "health_centre").to_numpy()
    xy = shapely.get_coordinates(fac.geometry.to_numpy()) if len(fac) else np.empty((0, 2))
    dist = walks_to_health_m(network, xy[health], xy, max_walk_m=max_walk_m, max_distance_m=max_distance_m)
    return pd.Series(dist, index=fac.index, dtype=float)

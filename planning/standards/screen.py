"""The candidate screen for siting: the standards' minimum rules for a kind, as a callable that gives each candidate
site the reasons it fails (or None), in Chinese or English.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.errors import OptionError
from planning.i18n import message
from planning.land import number_values
from planning.schema import FACILITY_KINDS
from planning.standards.check_sites import (
    ROAD_RULES,
    candidate_size,
    expressways_layer,
    road_distance,
    road_phrase,
    size_phrase,
)
from planning.standards.presets import RuleSet, rules_for
from planning.standards.rows import judge
from planning.standards.rules import Rule
from planning.study import Study


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
            if rule.id in ROAD_RULES:
                if self.roads is None:
                    continue
                value = road_distance(rule, frame.geometry.to_numpy(), self.roads)
                phrase = road_phrase
            else:
                value = candidate_size(rule, floor, land, beds)[0]
                phrase = size_phrase
            known = np.isfinite(value)
            verdict, _ = judge(np.where(known, value, 0.0), rule.value, rule.compare, assessable=known)
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
        raise OptionError(message("err_kind_unknown", kind=kind, choices=", ".join(FACILITY_KINDS)))
    if lang not in ("zh", "en"):
        raise OptionError(message("err_lang_option_unknown", lang=lang))
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
    if any(r.id in ROAD_RULES for r in chosen):
        roads, why = expressways_layer(study, expressways, {})
        if roads is None:
            dropped = [r.id for r in chosen if r.id in ROAD_RULES]
            chosen = [r for r in chosen if r.id not in ROAD_RULES]
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

"""The frozen result of a siting run (:class:`SitingResult`: what it adds, as counts and shares) and how it is said:
JSON with units in the key names (:func:`siting_json`), one readable line (:func:`siting_summary` for the command
line and the workbook, :func:`siting_caption` for the app; what they claim of the solve comes from
:func:`~planning.siting.proof.proof_of`), plain-text tables (:func:`siting_table`) and the
app's tables (:func:`sites_table`, :func:`gains_frame`, :func:`before_after_table`, :func:`reasons_table`), in English
or Chinese."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from planning.display import MISSING, finite, format_number, format_share, pad, percent
from planning.export import json_records, redact_text
from planning.i18n import kind_label, notes_in, tr
from planning.siting.candidates import site_name
from planning.siting.milp import DEFAULT_MIP_ABS_GAP
from planning.siting.proof import proof_of, proof_text, status_label, value_text


@dataclass(frozen=True, eq=False)
class SitingResult:
    """Where to put the next facilities of one kind, and what each adds.

    Attributes
    ----------
    kind : the facility kind sited.
    objective : ``coverage``, ``min-sites`` or ``capacitated``.
    minutes : the walking threshold (minutes).
    walk_speed_m_s : the walking speed of the network.
    sites : the chosen sites in entry order (GeoDataFrame, study CRS): ``order`` (1..), ``candidate`` (row of the
        candidates layer, or the street node of a generated candidate), ``name``, ``generated``, ``gain_elderly``
        (what the site adds when it enters), ``cumulative_elderly`` (elderly covered, existing facilities included,
        after it enters), ``cost``, ``beds``, ``capacity_elderly`` (capacitated only).
    elderly_total : elderly of all demand points.
    covered_before, covered_after : elderly covered (capacitated: served) by the existing facilities alone, and with
        the chosen sites.
    communities : per community: ``name``, ``street``, ``kind``, ``elderly``, ``covered_before``, ``covered_after``,
        ``gain``, ``share_before``, ``share_after``.
    streets : the same per street.
    curve : ``sites`` (1..K), ``elderly_added``, ``elderly_covered``, ``share``, ``method`` (``exact`` = the best
        k sites, solved; ``order`` = the first k of the chosen sites in entry order).
    curve_method : ``exact``, ``order`` or ``mixed``.
    objective_value : the model's objective: elderly added (coverage, capacitated) or the number of sites (min-sites).
    bound : the proven bound on it; ``gap`` = ``|bound - objective_value| / max(|objective_value|, 1)``.
    gap : see ``bound``.
    status : ``optimal``, ``time_limit`` (best found when time ran out), ``greedy`` (the greedy fallback), ...;
        whether the run is proven optimal is :func:`~planning.siting.proof.proof_of`'s to say.
    solver : solver name and version.
    greedy_value : the greedy solution's objective (the warm start), for comparison.
    time_s : wall time of the whole siting run; ``solve_time_s`` of the model alone (greedy, MILP, curve).
    solve_time_s : see ``time_s``.
    unreachable : demand that no candidate and no existing facility reaches, per community: ``community``,
        ``street``, ``kind``, ``points``, ``elderly``, ``required`` (counted by min-sites), ``reason``.
    excluded : candidates left out, with the reason: ``candidate``, ``name``, ``reason``.
    candidates : every usable candidate (study CRS): ``candidate``, ``name``, ``generated``, ``reach_elderly``
        (uncovered elderly within the threshold), ``chosen``, ``order``.
    generated : True when the candidates were generated from street nodes (no candidate layer for the kind).
    notes : sentences on what was assumed, merged, reported.
    notes_zh : the same sentences in Chinese, one per note (see :meth:`notes_in`).
    gap_tolerance : the absolute gap within which ``bound`` proves ``objective_value`` optimal (the solver's).
    """

    kind: str
    objective: str
    minutes: float
    walk_speed_m_s: float
    sites: gpd.GeoDataFrame
    elderly_total: float
    covered_before: float
    covered_after: float
    communities: pd.DataFrame
    streets: pd.DataFrame
    curve: pd.DataFrame
    curve_method: str
    objective_value: float
    bound: float
    gap: float
    status: str
    solver: str
    greedy_value: float
    time_s: float
    solve_time_s: float
    unreachable: pd.DataFrame
    excluded: pd.DataFrame
    candidates: gpd.GeoDataFrame
    generated: bool
    notes: tuple[str, ...]
    notes_zh: tuple[str, ...] = ()
    gap_tolerance: float = DEFAULT_MIP_ABS_GAP

    def notes_in(self, lang: str = "zh") -> list[str]:
        """The notes in ``lang`` (``zh`` or ``en``); English stands in for a note without a Chinese version."""
        return notes_in(self.notes, self.notes_zh, lang)

    @property
    def elderly_added(self) -> float:
        """Elderly the chosen sites add: covered (served) after less before."""
        return self.covered_after - self.covered_before

    @property
    def share_before(self) -> float:
        """The share of all elderly covered (served) before: ``covered_before / elderly_total`` (0 without elderly)."""
        return self.covered_before / (self.elderly_total or 1.0)

    @property
    def share_after(self) -> float:
        """The share of all elderly covered (served) with the chosen sites (0 without elderly)."""
        return self.covered_after / (self.elderly_total or 1.0)

    @property
    def share_added(self) -> float:
        """The share of all elderly the chosen sites add: :attr:`elderly_added` over ``elderly_total``."""
        return self.elderly_added / (self.elderly_total or 1.0)


def siting_json(result: SitingResult) -> dict[str, Any]:
    """JSON-ready siting result; units in key names, site coordinates as WGS84 ``lon``/``lat`` and study-CRS
    ``x_m``/``y_m``. ``proven_optimal`` (:func:`~planning.siting.proof.proof_of`) stands beside ``status``,
    ``bound`` and ``gap``."""
    sites = json_records(result.sites)
    if len(result.sites):
        xy = shapely.get_coordinates(result.sites.geometry.to_numpy())
        ll = shapely.get_coordinates(result.sites.to_crs(4326).geometry.to_numpy())
        for rec, (x, y), (lon, lat) in zip(sites, xy, ll, strict=False):
            rec.update(
                {"x_m": float(x), "y_m": float(y), "lon": round(float(lon), 7), "lat": round(float(lat), 7)}
            )
    return {
        "kind": result.kind,
        "objective": result.objective,
        "minutes": result.minutes,
        "walk_speed_m_s": result.walk_speed_m_s,
        "sites": sites,
        "elderly_total": result.elderly_total,
        "elderly_covered_before": result.covered_before,
        "elderly_covered_after": result.covered_after,
        "share_before": result.share_before if result.elderly_total else None,
        "share_after": result.share_after if result.elderly_total else None,
        "objective_value": result.objective_value,
        "objective_unit": "sites" if result.objective == "min-sites" else "elderly",
        "bound": finite(result.bound),
        "gap": finite(result.gap),
        "status": result.status,
        "proven_optimal": proof_of(result).proven,
        "solver": result.solver,
        "greedy_value": result.greedy_value,
        "time_s": result.time_s,
        "solve_time_s": result.solve_time_s,
        "curve": json_records(result.curve),
        "curve_method": result.curve_method,
        "communities": json_records(result.communities),
        "streets": json_records(result.streets),
        "unreachable": json_records(result.unreachable),
        "excluded_candidates": json_records(result.excluded),
        "generated_candidates": result.generated,
        "notes": list(result.notes),
        "notes_zh": result.notes_in("zh"),
    }


#: The placeholders of a missing street or community -> their key in the catalogue.
_PLACEHOLDERS = {"(no street)": "no_street", "(outside every community)": "outside_communities"}


def status_label_zh(status: str) -> str:
    """A solver status in Chinese (the status itself when unknown)."""
    return status_label(status, "zh")


def place_name(text: Any, lang: str) -> str:
    """A community or street for display: the placeholders ``(no street)`` and ``(outside every community)`` in
    ``lang``, any other name as it is."""
    t = str(text)
    return tr(_PLACEHOLDERS[t], lang) if t in _PLACEHOLDERS else t


def gap_text(result: SitingResult, *, unknown: str = MISSING) -> str:
    """The optimality gap as a percentage with two decimals (``0.12 %``); ``unknown`` when it is not known."""
    return format_share(result.gap, 2, space=True, missing=unknown)


def _summary_in(result: SitingResult, lang: str, *, kind: str) -> str:
    """The run in the catalogue's sentence (``siting_summary``) in ``lang``, with ``kind`` as given."""
    what = (
        tr("siting_served", lang)
        if result.objective == "capacitated"
        else tr("siting_within", lang).format(m=f"{result.minutes:g}")
    )
    return tr("siting_summary", lang).format(
        objective=tr(f"objective_{result.objective}", lang),
        n=len(result.sites),
        kind=kind,
        what=what,
        before=result.covered_before,
        after=result.covered_after,
        total=result.elderly_total,
        pb=result.share_before * 100,
        pa=result.share_after * 100,
        proof=proof_text(result, lang),
        s=result.time_s,
    )


def siting_caption(result: SitingResult, *, lang: str = "zh") -> str:
    """The run in one sentence as the app says it under its key figures, in ``lang`` (``zh`` or ``en``)."""
    return _summary_in(result, lang, kind=kind_label(result.kind, lang))


def siting_summary(result: SitingResult, *, lang: str = "en") -> str:
    """One line a person can read, in ``lang`` (``en`` or ``zh``): the command line's and the workbook's."""
    if lang == "zh":
        kind = kind_label(result.kind, "zh") + ("（自动生成的候选点）" if result.generated else "")
        return _summary_in(result, "zh", kind=kind)
    what = "served" if result.objective == "capacitated" else f"within {result.minutes:g} min"
    head = f"{result.objective}: {len(result.sites)} new {result.kind} site(s)" + (
        " (generated candidates)" if result.generated else ""
    )
    proof = "optimal (gap 0)" if proof_of(result).proven else proof_text(result, "en")
    before, after = format_share(result.share_before, lang="en"), format_share(result.share_after, lang="en")
    return (
        f"{head}; elderly {what}: {_count(result.covered_before)} -> {_count(result.covered_after)} of "
        f"{_count(result.elderly_total or 1.0)} ({before} -> {after}); {proof}; {result.time_s:.1f} s"
    )


def _count(x: Any) -> str:
    """A count of elderly in the tables and lines of this module: comma groups (``2,300``)."""
    return format_number(x, groups=",")


def _pct(share: Any) -> str:
    """A share in the tables of this module: one decimal, ``%`` after a space in both languages (``85.3 %``)."""
    return format_share(share, 1, space=True)


#: Column widths of the text tables in terminal columns; a negative width aligns its column right.
_SITE_WIDTHS = (-6, 2, 32, -16, -12, -9)  # order, a gap, site, gain, cumulative, share
_STREET_WIDTHS = (22, -10, -10, -10)  # street, elderly, share before, share after


def _line(cells: Sequence[Any], widths: Sequence[int]) -> str:
    """One line of a text table: each cell cut and padded to its column (:func:`planning.display.pad`)."""
    return "".join(pad(c, abs(w), right=w < 0) for c, w in zip(cells, widths, strict=True))


def _site_lines(result: SitingResult, lang: str, max_rows: int) -> list[str]:
    """The chosen sites in entry order, with a header; a sentence when there is none."""
    zh = lang == "zh"
    if not len(result.sites):
        return ["无需新增站点" if zh else "no new site is needed or useful"]
    head = (
        ("顺序", "", "候选地块", "新增覆盖老人", "累计覆盖", "累计比例")
        if zh
        else ("order", "", "site", "gain (elderly)", "cumulative", "share")
    )
    lines = [_line(head, _SITE_WIDTHS)]
    for r in result.sites.head(max_rows).itertuples():
        cells = (r.order, "", site_name(r.name, lang), _count(r.gain_elderly))
        lines.append(_line((*cells, _count(r.cumulative_elderly), _pct(r.share_after)), _SITE_WIDTHS))
    return lines


def _curve_lines(result: SitingResult, lang: str) -> list[str]:
    """The coverage curve on one line (none without a curve)."""
    if not len(result.curve):
        return []
    zh = lang == "zh"
    label = tr(f"curve_method_{result.curve_method}", lang)
    return [(f"覆盖曲线（{label}）: " if zh else f"coverage curve ({label}): ") + curve_text(result)]


def curve_text(result: SitingResult) -> str:
    """The coverage curve as ``sites: share`` pairs (``1: 62.0 %, 2: 70.5 %``)."""
    return ", ".join(f"{int(r.sites)}: {_pct(r.share)}" for r in result.curve.itertuples())


def _street_lines(result: SitingResult, lang: str, max_rows: int) -> list[str]:
    """Elderly and the share covered before and after, per street, with a header."""
    head = ("街道", "老人", "之前", "之后") if lang == "zh" else ("street", "elderly", "before", "after")
    lines = [_line(head, _STREET_WIDTHS)]
    for r in result.streets.head(max_rows).itertuples():
        cells = (place_name(r.street, lang), _count(r.elderly), _pct(r.share_before), _pct(r.share_after))
        lines.append(_line(cells, _STREET_WIDTHS))
    return lines


def _unreachable_lines(result: SitingResult, lang: str) -> list[str]:
    """Required demand no candidate reaches (min-sites) and all demand out of reach, by community."""
    if not len(result.unreachable):
        return []
    zh = lang == "zh"
    lines = []
    req = result.unreachable[result.unreachable["required"] > 0]
    if result.objective == "min-sites" and len(req):
        if zh:
            lines.append(
                "任何候选地块都无法覆盖的须覆盖老年人（请在这些社区补充候选地块）: "
                + f"{_count(req['elderly'].sum())} 名，位于 "
                + "、".join(
                    f"{place_name(r.community, lang)}（{_count(r.elderly)}）"
                    for r in req.head(8).itertuples()
                )
            )
        else:
            lines.append(
                "required demand no candidate reaches (add candidate sites there): "
                + f"{_count(req['elderly'].sum())} elderly in "
                + ", ".join(f"{r.community} ({_count(r.elderly)})" for r in req.head(8).itertuples())
            )
    lost = result.unreachable
    if zh:
        lines.append(
            "无法覆盖: "
            + f"{_count(lost['elderly'].sum())} 名老年人，位于 "
            + "、".join(
                f"{place_name(r.community, lang)}（{_count(r.elderly)}）" for r in lost.head(8).itertuples()
            )
        )
    else:
        lines.append(
            "unreachable: "
            + f"{_count(lost['elderly'].sum())} elderly in "
            + ", ".join(f"{r.community} ({_count(r.elderly)})" for r in lost.head(8).itertuples())
        )
    return lines


def _excluded_lines(result: SitingResult, lang: str) -> list[str]:
    """The first eight excluded candidates with their reasons, on one line (none when nothing was excluded)."""
    if not len(result.excluded):
        return []
    zh = lang == "zh"
    ex = result.excluded.head(8)
    reasons = (ex["reason_zh"] if zh and "reason_zh" in ex else ex["reason"]).tolist()
    return [
        ("排除的候选地块: " if zh else "excluded candidates: ")
        + ("；" if zh else "; ").join(
            f"{site_name(n, lang)}{'：' if zh else ': '}{r}"
            for n, r in zip(ex["name"], reasons, strict=False)
        )
    ]


def _solver_line(result: SitingResult, lang: str) -> str:
    """The solver, the objective with its unit, the bound, the greedy value and the model's time."""
    if lang == "zh":
        unit = "处站点" if result.objective == "min-sites" else "名新增覆盖老人"
        return (
            f"求解器: {result.solver}；目标值 {result.objective_value:,.6g}（{unit}），最优界 "
            f"{value_text(result.bound, lang)}，贪心解 {result.greedy_value:,.6g}，模型用时 {result.solve_time_s:.2f} 秒"
        )
    unit = "sites" if result.objective == "min-sites" else "elderly added"
    return (
        f"solver: {result.solver}; objective {result.objective_value:,.6g} "
        f"({unit}), bound {value_text(result.bound, lang)}, greedy {result.greedy_value:,.6g}, model "
        f"{result.solve_time_s:.2f} s"
    )


def siting_table(result: SitingResult, *, lang: str = "en", max_rows: int = 30) -> str:
    """The chosen sites, the curve and the before/after per street as plain text (``lang`` ``en`` or ``zh``)."""
    zh = lang == "zh"
    lines = [siting_summary(result, lang="zh" if zh else "en"), _solver_line(result, "zh" if zh else "en")]
    lines += _site_lines(result, lang, max_rows)
    lines += _curve_lines(result, lang)
    lines += _street_lines(result, lang, max_rows)
    lines += _unreachable_lines(result, lang)
    lines += _excluded_lines(result, lang)
    for note in result.notes_in("zh" if zh else "en"):
        lines.append(("说明: " if zh else "note: ") + note)
    return "\n".join(lines)


# ================================================================================================================
# The app's tables: headers in the page's language, shares in per cent
# ================================================================================================================

#: Columns of the chosen sites -> their header's key in the catalogue.
_SITE_HEADS = {
    "order": "site_order",
    "name": "site",
    "gain_elderly": "gain_elderly",
    "cumulative_elderly": "cumulative_elderly",
    "share_after": "share_after_pct",
    "reach_elderly": "reach_elderly",
    "cost": "cost",
    "beds": "beds",
    "generated": "generated",
    "candidate": "candidate_id",
}
#: Columns of the before/after tables -> their header's key (the shares get ``<col>_pct``).
_BEFORE_AFTER_HEADS = {
    "name": "community",
    "street": "street",
    "kind": "community_kind",
    "elderly": "elderly",
    "covered_before": "covered_before",
    "covered_after": "covered_after",
    "gain": "gain_elderly",
    "communities": "communities_count",
}
#: Columns of the unreachable demand and the excluded candidates -> their header's key (Chinese pages).
_REASON_HEADS = {
    "community": "community",
    "street": "street",
    "kind": "community_kind",
    "points": "demand_points_count",
    "elderly": "elderly",
    "required": "required_points",
    "reason": "reason",
    "candidate": "candidate_id",
    "name": "site",
    "generated": "generated",
}


def sites_table(result: SitingResult, lang: str) -> pd.DataFrame:
    """The chosen sites as a table: headers in ``lang``, the cumulative share in per cent (one decimal)."""
    sites = result.sites.drop(columns="geometry")
    sites["name"] = sites["name"].map(lambda n: site_name(n, lang))
    if "generated" in sites:
        sites["generated"] = sites["generated"].map(lambda b: tr("yes" if b else "no", lang))
    sites = sites.rename(columns={c: tr(k, lang) for c, k in _SITE_HEADS.items()})
    share = tr("share_after_pct", lang)
    if share in sites:
        sites[share] = percent(sites[share])
    return sites


def gains_frame(result: SitingResult) -> pd.DataFrame:
    """The chosen sites for a chart of marginal gains: ``order``, ``label`` (``#order name``, ID and phone numbers
    redacted), ``gain`` (elderly the site adds) and ``share`` (per cent covered once it has entered)."""
    sites = result.sites
    return pd.DataFrame(
        {
            "order": sites["order"].astype(int),
            "label": [
                f"#{o} {redact_text(str(n))}" for o, n in zip(sites["order"], sites["name"], strict=False)
            ],
            "gain": sites["gain_elderly"].astype(float),
            "share": percent(sites["share_after"]),
        }
    )


def before_after_table(result: SitingResult, lang: str, *, per: str = "community") -> pd.DataFrame:
    """Elderly covered before and after per community (those that gain most first) or, with ``per="street"``, per
    street: headers in ``lang``, the shares in per cent (one decimal)."""
    frame = result.communities.sort_values("gain", ascending=False) if per == "community" else result.streets
    frame = (
        frame.assign(kind=frame["kind"].map(lambda v: tr(f"community_kind_{v}", lang)))
        if "kind" in frame
        else frame
    )
    out = frame.rename(columns={c: tr(k, lang) for c, k in _BEFORE_AFTER_HEADS.items()}).copy()
    for col in ("share_before", "share_after"):
        out[tr(f"{col}_pct", lang)] = percent(frame[col])
    return out.drop(columns=["share_before", "share_after"], errors="ignore")


def reasons_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The unreachable demand or the excluded candidates of a run (:attr:`SitingResult.unreachable`,
    :attr:`SitingResult.excluded`) as a table: the reason in ``lang`` (the frames carry ``reason`` and
    ``reason_zh``); in Chinese also the headers, urban/rural and the placeholders of streets and communities."""
    if "reason_zh" in frame:
        frame = (
            frame.drop(columns="reason").rename(columns={"reason_zh": "reason"})
            if lang == "zh"
            else frame.drop(columns="reason_zh")
        )
    if lang != "zh":
        return frame
    out = frame.copy()
    if "name" in out:
        out["name"] = out["name"].map(lambda n: site_name(n, lang))
    if "generated" in out:
        out["generated"] = out["generated"].map(lambda b: tr("yes" if b else "no", lang))
    if "kind" in out:
        kinds = {k: tr(f"community_kind_{k}", lang) for k in ("urban", "rural")}
        out["kind"] = out["kind"].map(lambda v: kinds.get(v, v))
    places = {p: tr(k, lang) for p, k in _PLACEHOLDERS.items()}
    for col in ("street", "community"):
        if col in out:
            out[col] = out[col].replace(places)
    return out.rename(columns={c: tr(k, lang) for c, k in _REASON_HEADS.items()})

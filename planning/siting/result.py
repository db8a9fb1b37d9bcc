"""The frozen result of a siting run (:class:`SitingResult`) and how it is said: JSON with units in the key names
(:func:`siting_json`), one readable line (:func:`siting_summary`) and plain-text tables (:func:`siting_table`), in
English or Chinese."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from planning.coverage import json_records
from planning.i18n import kind_label, notes_in, tr
from planning.standards import text_width


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
    status : ``optimal``, ``time_limit`` (best found when time ran out), ``greedy`` (the greedy fallback), ...
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

    def notes_in(self, lang: str = "zh") -> list[str]:
        """The notes in ``lang`` (``zh`` or ``en``); English stands in for a note without a Chinese version."""
        return notes_in(self.notes, self.notes_zh, lang)


def _finite(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


def siting_json(result: SitingResult) -> dict[str, Any]:
    """JSON-ready siting result; units in key names, site coordinates as WGS84 ``lon``/``lat`` and study-CRS
    ``x_m``/``y_m``."""
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
        "share_before": result.covered_before / result.elderly_total if result.elderly_total else None,
        "share_after": result.covered_after / result.elderly_total if result.elderly_total else None,
        "objective_value": result.objective_value,
        "objective_unit": "sites" if result.objective == "min-sites" else "elderly",
        "bound": _finite(result.bound),
        "gap": _finite(result.gap),
        "status": result.status,
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


def _pad(text: Any, width: int, *, right: bool = False) -> str:
    """``text`` cut and padded to ``width`` terminal columns (Chinese characters count two)."""
    t = str(text)
    while text_width(t) > width:
        t = t[:-1]
    fill = " " * (width - text_width(t))
    return fill + t if right else t + fill


#: Solver statuses in Chinese (``optimal`` is said by the summary itself).
_STATUS_ZH = {
    "optimal": "最优",
    "gap_reached": "达到设定的最优性差距",
    "time_limit": "达到时间上限",
    "greedy": "采用贪心解",
    "infeasible": "无可行解",
    "interrupted": "已中断",
    "iteration_limit": "达到迭代上限",
    "solution_limit": "达到解数量上限",
    "unbounded": "无界",
}
_GENERATED_NAME = re.compile(r"^street node (\d+) \(generated\)$")


def status_label_zh(status: str) -> str:
    """A solver status in Chinese (the status itself when unknown)."""
    return _STATUS_ZH.get(str(status), str(status))


def _site_name(name: Any, lang: str) -> str:
    """A site's name for display: generated candidates' names in ``lang``."""
    text = str(name)
    if lang == "zh":
        m = _GENERATED_NAME.match(text)
        if m:
            return f"路网节点 {m.group(1)}（自动生成）"
    return text


def _place(text: Any, lang: str) -> str:
    """Community/street placeholders in ``lang``."""
    t = str(text)
    if lang == "zh":
        return {"(no street)": "（无街道）", "(outside every community)": "（不在任何社区/村内）"}.get(t, t)
    return t


def siting_summary(result: SitingResult, *, lang: str = "en") -> str:
    """One line a person can read, in ``lang`` (``en`` or ``zh``)."""
    total = result.elderly_total or 1.0
    if lang == "zh":
        gap = "未知" if not np.isfinite(result.gap) else f"{result.gap * 100:.2f} %"
        proof = (
            tr("siting_optimal", "zh")
            if result.status == "optimal"
            else tr("siting_gap", "zh").format(status=status_label_zh(result.status), gap=gap)
        )
        kind = kind_label(result.kind, "zh") + ("（自动生成的候选点）" if result.generated else "")
        what = (
            tr("siting_served", "zh")
            if result.objective == "capacitated"
            else tr("siting_within", "zh").format(m=f"{result.minutes:g}")
        )
        return tr("siting_summary", "zh").format(
            objective=tr(f"objective_{result.objective}", "zh"),
            n=len(result.sites),
            kind=kind,
            what=what,
            before=result.covered_before,
            after=result.covered_after,
            total=result.elderly_total,
            pb=result.covered_before / total * 100,
            pa=result.covered_after / total * 100,
            proof=proof,
            s=result.time_s,
        )
    what = "served" if result.objective == "capacitated" else f"within {result.minutes:g} min"
    head = f"{result.objective}: {len(result.sites)} new {result.kind} site(s)" + (
        " (generated candidates)" if result.generated else ""
    )
    if result.status == "optimal":
        proof = "optimal (gap 0)"
    else:
        gap = "unknown" if not np.isfinite(result.gap) else f"{result.gap * 100:.2f} %"
        proof = f"{result.status}, gap {gap}"
    return (
        f"{head}; elderly {what}: {result.covered_before:,.0f} -> {result.covered_after:,.0f} of {total:,.0f} "
        f"({result.covered_before / total * 100:.1f} % -> {result.covered_after / total * 100:.1f} %); "
        f"{proof}; {result.time_s:.1f} s"
    )


def _site_lines(result: SitingResult, lang: str, max_rows: int) -> list[str]:
    """The chosen sites in entry order, with a header; a sentence when there is none."""
    zh = lang == "zh"
    if not len(result.sites):
        return ["无需新增站点" if zh else "no new site is needed or useful"]
    head = (
        ("顺序", "候选地块", "新增覆盖老人", "累计覆盖", "累计比例")
        if zh
        else ("order", "site", "gain (elderly)", "cumulative", "share")
    )
    lines = [
        _pad(head[0], 6, right=True)
        + "  "
        + _pad(head[1], 32)
        + _pad(head[2], 16, right=True)
        + _pad(head[3], 12, right=True)
        + _pad(head[4], 9, right=True)
    ]
    for r in result.sites.head(max_rows).itertuples():
        lines.append(
            _pad(r.order, 6, right=True)
            + "  "
            + _pad(_site_name(r.name, lang), 32)
            + _pad(f"{r.gain_elderly:,.0f}", 16, right=True)
            + _pad(f"{r.cumulative_elderly:,.0f}", 12, right=True)
            + _pad(f"{r.share_after * 100:.1f} %", 9, right=True)
        )
    return lines


def _curve_lines(result: SitingResult, lang: str) -> list[str]:
    """The coverage curve on one line (none without a curve)."""
    if not len(result.curve):
        return []
    zh = lang == "zh"
    label = {
        "exact": ("逐个求最优", "exact"),
        "order": ("按加入顺序", "entry order"),
        "mixed": ("先求最优后按顺序", "exact, then entry order"),
    }[result.curve_method][0 if zh else 1]
    return [
        (f"覆盖曲线（{label}）: " if zh else f"coverage curve ({label}): ")
        + ", ".join(f"{int(r.sites)}: {r.share * 100:.1f} %" for r in result.curve.itertuples())
    ]


def _street_lines(result: SitingResult, lang: str, max_rows: int) -> list[str]:
    """Elderly and the share covered before and after, per street, with a header."""
    cols = ("街道", "老人", "之前", "之后") if lang == "zh" else ("street", "elderly", "before", "after")
    lines = [
        _pad(cols[0], 22)
        + _pad(cols[1], 10, right=True)
        + _pad(cols[2], 10, right=True)
        + _pad(cols[3], 10, right=True)
    ]
    for r in result.streets.head(max_rows).itertuples():
        lines.append(
            _pad(_place(r.street, lang), 22)
            + _pad(f"{r.elderly:,.0f}", 10, right=True)
            + _pad(f"{r.share_before * 100:.1f} %", 10, right=True)
            + _pad(f"{r.share_after * 100:.1f} %", 10, right=True)
        )
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
                + f"{req['elderly'].sum():,.0f} 名，位于 "
                + "、".join(
                    f"{_place(r.community, lang)}（{r.elderly:,.0f}）" for r in req.head(8).itertuples()
                )
            )
        else:
            lines.append(
                "required demand no candidate reaches (add candidate sites there): "
                + f"{req['elderly'].sum():,.0f} elderly in "
                + ", ".join(f"{r.community} ({r.elderly:,.0f})" for r in req.head(8).itertuples())
            )
    lost = result.unreachable
    if zh:
        lines.append(
            "无法覆盖: "
            + f"{lost['elderly'].sum():,.0f} 名老年人，位于 "
            + "、".join(f"{_place(r.community, lang)}（{r.elderly:,.0f}）" for r in lost.head(8).itertuples())
        )
    else:
        lines.append(
            "unreachable: "
            + f"{lost['elderly'].sum():,.0f} elderly in "
            + ", ".join(f"{r.community} ({r.elderly:,.0f})" for r in lost.head(8).itertuples())
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
            f"{_site_name(n, lang)}{'：' if zh else ': '}{r}"
            for n, r in zip(ex["name"], reasons, strict=False)
        )
    ]


def _solver_line(result: SitingResult, lang: str) -> str:
    """The solver, the objective with its unit, the bound, the greedy value and the model's time."""
    if lang == "zh":
        unit = "处站点" if result.objective == "min-sites" else "名新增覆盖老人"
        return (
            f"求解器: {result.solver}；目标值 {result.objective_value:,.6g}（{unit}），最优界 "
            f"{result.bound:,.6g}，贪心解 {result.greedy_value:,.6g}，模型用时 {result.solve_time_s:.2f} 秒"
        )
    unit = "sites" if result.objective == "min-sites" else "elderly added"
    return (
        f"solver: {result.solver}; objective {result.objective_value:,.6g} "
        f"({unit}), bound {result.bound:,.6g}, greedy {result.greedy_value:,.6g}, model "
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

"""The scenario page: the before/after comparison of a siting run as one standalone HTML page (prints on A4),
with the maps as inline SVG, the new sites and their gains, and the change per street and community. Every text is
escaped, ID and phone numbers replaced."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from planning.display import format_number, format_points, format_share
from planning.export import redact_text
from planning.i18n import say, tr
from planning.report.options import check_lang
from planning.report.scenario_figure import maps_svg, scenario_footer, scenario_header
from planning.report.text import reason_in
from planning.siting import SitingResult, site_name
from planning.study import Study


def _html_table(frame: pd.DataFrame, headers: Sequence[str], formats: Sequence[Callable[[Any], str]]) -> str:
    esc = html.escape
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = []
    for row in frame.itertuples(index=False):
        cells = "".join(
            f"<td{' class=num' if i > 0 and f is not str else ''}>{esc(redact_text(f(v)))}</td>"
            for i, (v, f) in enumerate(zip(row, formats, strict=False))
        )
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _cell_text(v: Any, number: Callable[[Any], str]) -> str:
    """A table cell: ``number(v)`` for a number (``—`` when it is NaN or infinite), anything else as text."""
    try:
        float(v)
    except (TypeError, ValueError):
        return str(v)
    return number(v)


def _num(v: Any) -> str:
    return _cell_text(v, lambda x: format_number(x, groups=","))


def _pct(v: Any) -> str:
    return _cell_text(v, lambda x: format_share(x, space=False))


#: The page's style: prints on A4 landscape.
_STYLE = (
    "body{font-family:'Noto Sans CJK SC','Microsoft YaHei','PingFang SC',sans-serif;margin:16px;color:#222}"
    "h1{font-size:20px;margin:0 0 4px}h2{font-size:15px;margin:18px 0 6px}.lead{font-size:14px;margin:2px 0}"
    ".warn{color:#b00;font-weight:bold}.maps svg{width:100%;height:auto}"
    "table{border-collapse:collapse;font-size:12px}th,td{border:1px solid #ccc;padding:2px 6px}"
    "th{background:#f0f0f0;text-align:left}td.num{text-align:right}.foot{font-size:11px;color:#555}"
    "@media print{@page{size:A4 landscape;margin:10mm}h2{break-after:avoid}tr{break-inside:avoid}}"
)
_BA_HEADS_ZH = [
    "老年人口（人）",
    "选址前（人）",
    "选址后（人）",
    "增加（人）",
    "选址前覆盖率",
    "选址后覆盖率",
    "变化（百分点）",
]
_BA_HEADS_EN = ["Elderly", "Before", "After", "Gain", "Share before", "Share after", "Change (points)"]
_BA_COLUMNS = ["elderly", "covered_before", "covered_after", "gain", "share_before", "share_after", "change"]
_BA_FORMATS: list[Callable[[Any], str]] = [_num, _num, _num, _num, _pct, _pct, format_points]


def scenario_html(study: Study, siting: SitingResult, *, lang: str = "zh") -> str:
    """The before/after comparison of a siting run as one standalone HTML page (prints on A4): the two maps side
    by side (inline SVG, one colour scale), the new sites with their marginal gains, the change per street and per
    community (sorted by gain), and the solver's status. Opens offline; it is an internal document (community
    counts are not suppressed)."""
    lang = check_lang(lang)
    esc = html.escape
    zh = lang == "zh"
    title, line = scenario_header(study, siting, lang)
    svg = maps_svg(study, siting, lang)
    parts = [f"<h1>{esc(redact_text(title))}</h1>", f"<p class=lead>{esc(line)}</p>"]
    if study.synthetic:
        parts.append(f"<p class=warn>{esc(tr('synthetic_notice', lang))}</p>")
    parts.append(f"<div class=maps>{svg}</div>")
    parts.extend(_sites_parts(siting, lang))
    parts.extend(_change_parts(siting, lang))
    parts.append(
        "<div class=foot>"
        + "".join(f"<p>{esc(redact_text(x))}</p>" for x in scenario_footer(study, siting, lang))
        + "".join(
            f"<p>{esc(redact_text(('说明：' if zh else 'note: ') + n))}</p>" for n in siting.notes_in(lang)
        )
        + "</div>"
    )
    return (
        f"<!DOCTYPE html>\n<html lang='{'zh-CN' if zh else 'en'}'><head><meta charset='utf-8'>"
        f"<title>{esc(title)}</title><style>{_STYLE}</style></head><body>{''.join(parts)}</body></html>\n"
    )


def _sites_parts(siting: SitingResult, lang: str) -> list[str]:
    """The new sites with their gains, and the candidate sites of the layer left out and why."""
    esc = html.escape
    zh = lang == "zh"
    served = siting.objective == "capacitated"
    sites = pd.DataFrame(siting.sites.drop(columns="geometry"))
    parts = [f"<h2>{esc(say('sites_table', lang))}</h2>"]
    if len(sites):
        frame = sites[["order", "name", "gain_elderly", "cumulative_elderly", "share_after"]]
        parts.append(
            _html_table(
                frame,
                ["顺序", "站点", "新增服务（人）" if served else "新增覆盖（人）", "累计（人）", "累计覆盖率"]
                if zh
                else ["Order", "Site", "Gain (elderly)", "Cumulative (elderly)", "Cumulative share"],
                [str, lambda n: site_name(n, lang), _num, _num, _pct],
            )
        )
    else:
        parts.append(f"<p>{esc(say('report_no_sites', lang))}</p>")
    if len(siting.excluded):  # why a site under discussion is not among the answers
        ex = reason_in(siting.excluded[~siting.excluded["generated"].astype(bool)], lang)
        if len(ex):
            parts.append(f"<h2>{esc(say('excluded_table', lang))}</h2>")
            parts.append(
                _html_table(
                    ex[["name", "reason"]], ["候选地块", "排除原因"] if zh else ["Site", "Reason"], [str, str]
                )
            )
    return parts


def _change_parts(siting: SitingResult, lang: str) -> list[str]:
    """The change per street, and per community sorted by gain."""
    esc = html.escape
    zh = lang == "zh"
    heads = _BA_HEADS_ZH if zh else _BA_HEADS_EN
    st = siting.streets.copy()
    st["change"] = st["share_after"] - st["share_before"]
    cm_ = siting.communities.copy()
    cm_["change"] = cm_["share_after"] - cm_["share_before"]
    cm_ = cm_.sort_values(["gain", "street", "name"], ascending=[False, True, True], kind="stable")
    return [
        f"<h2>{esc(say('report_per_street', lang))}</h2>",
        _html_table(
            st[["street", *_BA_COLUMNS]],
            ["街道" if zh else "Street", *heads],
            [str, *_BA_FORMATS],
        ),
        f"<h2>{esc(say('report_per_community', lang))}</h2>",
        _html_table(
            cm_[["name", "street", *_BA_COLUMNS]],
            (["社区", "街道"] if zh else ["Community", "Street"]) + heads,
            [str, str, *_BA_FORMATS],
        ),
    ]

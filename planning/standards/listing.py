"""The presets and their rules as people and programs read them (``eldercircle presets``): what each preset holds,
the documents it rests on and whether they are in force, and per rule its clause, wording, scope and target year.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from planning.standards.documents import DOCUMENTS, force_label
from planning.standards.presets import PRESETS, Preset, rules_for
from planning.standards.rules import UNIT_TYPES, Rule
from planning.standards.text import LEVEL_TEXT, align_columns, format_value


def preset_force(preset: Preset, day: dt.date | None = None) -> str:
    """The force of a preset on ``day``: that of its city or county document when it has one (a draft for comment
    makes the preset a draft), else ``draft`` when any of its documents is a draft, else ``in_force``."""
    local = preset.local_document()
    if local is not None:
        return DOCUMENTS[local].force_on(day)
    if any(DOCUMENTS[d].draft for d in preset.documents()):
        return "draft"
    return "in_force"


def rule_scope(rule: Rule, lang: str = "zh") -> str:
    """What a rule is judged on, in ``lang``: the unit types it covers (``街道``, ``城市社区``) or its level."""
    i = 0 if lang == "zh" else 1
    if rule.units:
        return ("、" if lang == "zh" else ", ").join(UNIT_TYPES[u][i] for u in rule.units)
    return LEVEL_TEXT.get(rule.scope, (rule.scope, rule.scope))[i]


def _sources(preset: Preset, lang: str, day: dt.date | None) -> str:
    """The documents of a preset, each with its force when it is not in force, then the other sources."""
    parts = []
    for key in preset.documents():
        doc = DOCUMENTS[key]
        force = doc.force_on(day)
        label = force_label(force, lang)
        said = force == "in_force" or label in doc.short  # a draft's name says so already
        parts.append(doc.short + ("" if said else (f"（{label}）" if lang == "zh" else f" ({label})")))
    named = {DOCUMENTS[k].short for k in preset.documents()}
    others = dict.fromkeys(
        s.strip() for r in preset.rules for s in r.source.split(";") if s.strip() not in named
    )
    return ("；" if lang == "zh" else "; ").join([*parts, *others])


def presets_table(*, lang: str = "zh", day: dt.date | None = None) -> str:
    """Every preset: its key, title, force and the documents it rests on.

    Parameters
    ----------
    lang : ``zh`` (default) or ``en``.
    day : the date whose force is shown (default today).

    Returns
    -------
    str
    """
    zh = lang == "zh"
    head = (
        ["名称", "标准", "状态", "规则数", "依据"] if zh else ["name", "preset", "force", "rules", "sources"]
    )
    table = [head]
    for p in PRESETS.values():
        table.append(
            [
                p.name,
                p.title_zh if zh else p.title_en,
                force_label(preset_force(p, day), lang),
                str(len(p.rules)),
                _sources(p, lang, day),
            ]
        )
    intro = (
        f"标准预设{len(PRESETS)}个（研究区在 study.toml 的 [standards] preset 中选择，或用 check --preset）："
        if zh
        else f"{len(PRESETS)} presets (a study names one in study.toml [standards] preset, or check --preset):"
    )
    return "\n".join([intro, *align_columns(table)])


def preset_rules_table(preset: str, *, lang: str = "zh", day: dt.date | None = None) -> str:
    """The rules of one preset: id, what is checked, threshold, scope, target year, citation, status and force,
    and the document's own words under each rule.

    Parameters
    ----------
    preset : a preset key or its Chinese name.
    lang : ``zh`` (default) or ``en``.
    day : the date whose force is shown (default today).

    Returns
    -------
    str
    """
    zh = lang == "zh"
    rules = rules_for(preset)
    p = PRESETS[rules.preset]
    force = force_label(preset_force(p, day), lang)
    head = (
        f"{p.title_zh}（{p.name}）：{force}；{p.note}"
        if zh
        else f"{p.title_en} ({p.name}): {force}; {p.note}"
    )
    lines = [head]
    for rule in rules:
        cmp = "≥" if rule.compare == ">=" else "≤"
        year = (
            ""
            if rule.target_year is None
            else (f"{rule.target_year}年底前" if zh else f"by {rule.target_year}")
        ) or ("未定年份" if zh else "no year set")
        rule_force = force_label(rule.force(day), lang)
        lines.append(
            f"- {rule.id}: {rule.title_zh if zh else rule.title_en} {cmp} {format_value(rule.value, rule.unit, lang)}"
            + (
                f"；范围：{rule_scope(rule, lang)}；{year}"
                if zh
                else f"; scope: {rule_scope(rule, lang)}; {year}"
            )
            + f" — {rule.citation} [{rule.status_label(lang)}]"
            + (f" {rule_force}" if rule_force else "")
        )
        if rule.quote_zh:
            lines.append(f"    原文：“{rule.quote_zh}”" if zh else f"    text: “{rule.quote_zh}”")
    return "\n".join(lines)


def presets_json(*, day: dt.date | None = None) -> dict[str, Any]:
    """Every preset with its force, documents and rules, as JSON-ready data.

    Parameters
    ----------
    day : the date whose force is given (default today).

    Returns
    -------
    dict
        ``date``, ``documents`` (key -> short, title, level, draft, force) and ``presets`` (each with ``name``,
        titles, ``parent``, ``force``, ``note`` and ``rules``: id, threshold and unit, scope, units, target year,
        citation, status, force, quote).
    """
    today = day or dt.date.today()
    docs = {
        k: {
            "short": d.short,
            "title_zh": d.title_zh,
            "level": d.level,
            "draft": d.draft,
            "force": d.force_on(today),
        }
        for k, d in DOCUMENTS.items()
    }
    presets = [
        {
            "name": p.name,
            "title_zh": p.title_zh,
            "title_en": p.title_en,
            "parent": p.parent,
            "force": preset_force(p, today),
            "note": p.note,
            "documents": list(p.documents()),
            "rules": [_rule_data(r, today) for r in p.rules],
        }
        for p in PRESETS.values()
    ]
    return {"date": today.isoformat(), "documents": docs, "presets": presets}


def _rule_data(rule: Rule, day: dt.date) -> dict[str, Any]:
    return {
        "id": rule.id,
        "title_zh": rule.title_zh,
        "title_en": rule.title_en,
        "threshold": rule.value,
        "unit": rule.unit,
        "compare": rule.compare,
        "scope": rule.scope,
        "units": list(rule.units),
        "target_year": rule.target_year,
        "citation": rule.citation,
        "status": rule.status,
        "force": rule.force(day) or None,
        "quote_zh": rule.quote_zh or None,
    }

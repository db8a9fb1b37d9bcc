"""Presets: the named sets of rules (national, provinces, cities and counties) and a study's overrides of them.

``national`` (GB 50437-2007 (2018 rev.), 国发〔2013〕35号, 国发〔2021〕35号, 建标〔2014〕23号, GB 50180-2018), the
provinces of STANDARDS.md C (their own rules only, never a county's targets), and the five local documents:
``shangrao`` (饶府办发〔2021〕13号), ``xinzhou`` (上饶's targets and 信州区's three-year plan), ``yichun``, ``shihe``
(a draft for comment: 征求意见稿) and ``panan`` (磐政办〔2023〕44号), each on its province.

A study overrides any value in ``[standards.overrides]`` by rule id; ids carry their unit
(``land_per_resident_m2 = 0.2``).
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from geo.errors import OptionError
from planning.i18n import message
from planning.standards.documents import DOCUMENTS
from planning.standards.rules import RULE_ORDER, Rule
from planning.standards.tables import (
    ANHUI_RULES,
    GUANGDONG_RULES,
    GUANGZHOU_RULES,
    GUIZHOU_RULES,
    HENAN_RULES,
    HUBEI_RULES,
    JIANGSU_RULES,
    JIANGXI_RULES,
    NATIONAL_RULES,
    PANAN_TARGETS,
    SHANDONG_RULES,
    SHANGRAO_TARGETS,
    SHANXI_RULES,
    SHIHE_TARGETS,
    XINZHOU_TARGETS,
    YICHUN_TARGETS,
    ZHEJIANG_RULES,
)


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
    document : the key of its own city or county document (:data:`~planning.standards.documents.DOCUMENTS`), or
        None for a national or provincial preset.
    """

    name: str
    title_zh: str
    title_en: str
    rules: tuple[Rule, ...]
    parent: str | None = None
    note: str = ""
    document: str | None = None

    def documents(self) -> tuple[str, ...]:
        """The keys of the documents its rules cite, in order of first use."""
        return tuple(dict.fromkeys(d for r in self.rules for d in r.documents))

    def local_document(self) -> str | None:
        """The key of the preset's own city or county document, or None for a national or provincial preset."""
        return self.document if self.document in DOCUMENTS else None


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


def _stack(*layers: tuple[Rule, ...]) -> tuple[Rule, ...]:
    """Rules of several layers; a later rule with the same id replaces an earlier one in place."""
    out: dict[str, Rule] = {}
    for layer in layers:
        for rule in layer:
            out[rule.id] = rule
    return tuple(sorted(out.values(), key=lambda r: RULE_ORDER.index(r.id)))


def _preset(
    name: str,
    zh: str,
    en: str,
    *layers: tuple[Rule, ...],
    parent: str | None = None,
    note: str = "",
    document: str | None = None,
) -> Preset:
    """A preset of the national rules and ``layers``."""
    return Preset(
        name=name,
        title_zh=zh,
        title_en=en,
        rules=_stack(NATIONAL_RULES, *layers),
        parent=parent,
        note=note,
        document=document,
    )


_JIANGXI = "江西省2016年通知：新建/已建成住宅区每百户配建20/15㎡，人均用地0.1㎡（二手来源，V2）"

#: Every preset by name. A provincial preset carries the national rules and the province's; a city or county
#: preset adds its own document's targets (信州区 also its city's, 上饶).
PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset(
            "national",
            "国家标准",
            "National standards",
            _stack(NATIONAL_RULES),
            None,
            "GB 50437-2007（2018年版）、国发〔2013〕35号、国发〔2021〕35号、建标〔2014〕23号、GB 50180-2018",
        ),
        _preset("jiangxi", "江西省", "Jiangxi", JIANGXI_RULES, parent="national", note=_JIANGXI),
        _preset(
            "shangrao",
            "上饶市",
            "Shangrao (Jiangxi)",
            JIANGXI_RULES,
            SHANGRAO_TARGETS,
            parent="jiangxi",
            document="shangrao",
            note="江西省规定 + 上饶 饶府办发〔2021〕13号",
        ),
        _preset(
            "xinzhou",
            "上饶市信州区",
            "Xinzhou District, Shangrao (Jiangxi)",
            JIANGXI_RULES,
            SHANGRAO_TARGETS,
            XINZHOU_TARGETS,
            parent="shangrao",
            document="xinzhou",
            note="江西省规定 + 上饶 饶府办发〔2021〕13号 + 信州区 三年行动方案 2023–2025",
        ),
        _preset(
            "yichun",
            "宜春市",
            "Yichun (Jiangxi)",
            JIANGXI_RULES,
            YICHUN_TARGETS,
            parent="jiangxi",
            document="yichun",
            note="江西省规定 + 宜春 实施方案（2023）",
        ),
        _preset(
            "henan",
            "河南省",
            "Henan",
            HENAN_RULES,
            parent="national",
            note="河南省养老服务条例（2022）：新建/已建成住宅区每百户配建30/20㎡，人均用地0.2㎡（二手来源，V2）",
        ),
        _preset(
            "shihe",
            "信阳市浉河区（征求意见稿）",
            "Shihe District, Xinyang (Henan) — draft for comment",
            HENAN_RULES,
            SHIHE_TARGETS,
            parent="henan",
            document="shihe",
            note="河南省规定 + 浉河区 实施意见（征求意见稿：其目标为草案，未正式施行）",
        ),
        _preset(
            "zhejiang",
            "浙江省",
            "Zhejiang",
            ZHEJIANG_RULES,
            parent="national",
            note="浙江省（金华、磐安）规定：人均用地0.1㎡（二手来源，V2）",
        ),
        _preset(
            "panan",
            "金华市磐安县",
            "Pan'an County, Jinhua (Zhejiang)",
            ZHEJIANG_RULES,
            PANAN_TARGETS,
            parent="zhejiang",
            document="panan",
            note="浙江省规定 + 磐安县 磐政办〔2023〕44号",
        ),
        _preset("anhui", "安徽省", "Anhui", ANHUI_RULES, parent="national"),
        _preset("guizhou", "贵州省", "Guizhou", GUIZHOU_RULES, parent="national"),
        _preset("guangdong", "广东省", "Guangdong", GUANGDONG_RULES, parent="national"),
        _preset("guangzhou", "广州市", "Guangzhou", GUANGZHOU_RULES, parent="guangdong"),
        _preset("jiangsu", "江苏省（征求意见稿）", "Jiangsu (2022 draft)", JIANGSU_RULES, parent="national"),
        _preset("hubei", "湖北省", "Hubei", HUBEI_RULES, parent="national"),
        _preset("shandong", "山东省", "Shandong", SHANDONG_RULES, parent="national"),
        _preset("shanxi", "山西省", "Shanxi", SHANXI_RULES, parent="national"),
    )
}

#: Chinese names accepted for the presets in study.toml.
PRESET_ALIASES: dict[str, str] = {
    "国家": "national",
    "国家标准": "national",
    "全国": "national",
    "江西": "jiangxi",
    "江西省": "jiangxi",
    "上饶": "shangrao",
    "上饶市": "shangrao",
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


def _first_definitions() -> dict[str, Rule]:
    """Every rule id of the presets with the rule of the first preset that has it."""
    out: dict[str, Rule] = {}
    for preset in PRESETS.values():
        for rule in preset.rules:
            out.setdefault(rule.id, rule)
    return out


#: Every rule id known to some preset, with its first definition (used when an override adds a rule).
ALL_RULES: dict[str, Rule] = _first_definitions()


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
        raise OptionError(message("err_preset_unknown", preset=preset, presets=", ".join(PRESETS)))
    rules = list(PRESETS[key].rules)
    overridden: dict[str, tuple[float | None, float]] = {}
    for rule_id, raw in (overrides or {}).items():
        rid = str(rule_id).strip()
        if rid not in ALL_RULES:
            close = difflib.get_close_matches(rid, list(ALL_RULES), n=1)
            ids = ", ".join(ALL_RULES)
            if close:
                raise OptionError(message("err_override_not_rule_close", rule=rid, close=close[0], rules=ids))
            raise OptionError(message("err_override_not_rule", rule=rid, rules=ids))
        base = next((r for r in rules if r.id == rid), None)
        template = base or ALL_RULES[rid]
        value = _override_value(template, raw)
        overridden[rid] = (None if base is None else base.value, value)
        new = replace(template, value=value)
        if base is None:
            rules.append(new)
        else:
            rules[rules.index(base)] = new
    rules.sort(key=lambda r: RULE_ORDER.index(r.id))
    return RuleSet(preset=key, rules=tuple(rules), overridden=overridden)


def _override_value(rule: Rule, raw: Any) -> float:
    said = {
        "where": f"[standards.overrides] {rule.id} = {raw!r}",
        "unit": message(f"err_unit_{rule.unit}"),  # rules.UNITS[rule.unit] in the error's language
        "example": f"{rule.id} = {_plain(rule.value)}",
    }
    if isinstance(raw, bool) or raw is None:
        raise OptionError(message("err_override_not_number", **said))
    if isinstance(raw, str):
        try:
            value = float(raw.strip())
        except ValueError:
            raise OptionError(message("err_override_with_unit", **said)) from None
    elif isinstance(raw, (int, float, np.integer, np.floating)):
        value = float(raw)
    else:
        raise OptionError(message("err_override_not_number", **said))
    if not math.isfinite(value) or value < 0:
        raise OptionError(message("err_override_negative", **said))
    if rule.unit == "share" and value > 1:
        del said["unit"]
        raise OptionError(message("err_override_share", **said))
    return value


def _plain(v: float) -> str:
    return f"{v:g}"

"""The documents the rules come from: national standards, provincial rules, and the five local policy texts.

A rule cites a document by key and a clause of it (:class:`~planning.standards.rules.Rule`). A document knows its
full title, its number (文号), when it was issued and how long it is in force, so every row of the check can say
whether its target is in force (现行), a draft for comment (征求意见稿) or past its period (已到期).

The five local texts (read in their own wording; ../shared/policies/ beside the project):

- 上饶 饶府办发〔2021〕13号, 关于加强老年人关爱服务体系建设的意见 (issued 2021-03-16; no period stated);
- 信州区 推进养老服务提质升级三年行动实施方案（2023-2025年） (a plan for 2023–2025);
- 宜春 推进基本养老服务体系建设实施方案 (issued 2023-12-12; targets by the end of 2025);
- 浉河区 关于推进基本养老服务体系建设的实施意见（征求意见稿） (a draft for comment, 2023; targets by 2025);
- 磐安县 磐政办〔2023〕44号, 关于加快建设基本养老服务体系的实施意见 (in force from 2024-01-01; targets by 2025).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

#: Force of a document on a date -> (Chinese, English).
FORCES: dict[str, tuple[str, str]] = {
    "in_force": ("现行", "in force"),
    "draft": ("征求意见稿", "draft for comment"),
    "expired": ("已到期", "period ended"),
    "not_yet": ("尚未施行", "not yet in force"),
}


@dataclass(frozen=True)
class Document:
    """A source of rules.

    Attributes
    ----------
    key : the name rules use for it.
    short : how a citation names it (``上饶 饶府办发〔2021〕13号``).
    title_zh : its full title.
    level : ``national``, ``province``, ``city`` or ``county``.
    issued : the date it was issued, or None when not known.
    in_force_from : the date it takes effect (default: ``issued``).
    in_force_until : the last day of its period, or None when it states none.
    draft : a draft for comment (征求意见稿): its targets are proposals, shown as such.
    """

    key: str
    short: str
    title_zh: str
    level: str
    issued: dt.date | None = None
    in_force_from: dt.date | None = None
    in_force_until: dt.date | None = None
    draft: bool = False

    def force_on(self, day: dt.date | None = None) -> str:
        """``draft``, ``not_yet``, ``expired`` or ``in_force`` on ``day`` (default today)."""
        day = day or dt.date.today()
        if self.draft:
            return "draft"
        start = self.in_force_from or self.issued
        if start is not None and day < start:
            return "not_yet"
        if self.in_force_until is not None and day > self.in_force_until:
            return "expired"
        return "in_force"


def _d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


#: Every document by key.
DOCUMENTS: dict[str, Document] = {
    d.key: d
    for d in (
        Document("gb50437", "GB 50437-2007（2018年版）", "城镇老年人设施规划规范", "national"),
        Document("gb50180", "GB 50180-2018", "城市居住区规划设计标准", "national"),
        Document("guofa2013_35", "国发〔2013〕35号", "国务院关于加快发展养老服务业的若干意见", "national"),
        Document(
            "guofa2021_35",
            "国发〔2021〕35号",
            "“十四五”国家老龄事业发展和养老服务体系规划",
            "national",
            in_force_until=_d("2025-12-31"),
        ),
        Document("jianbiao2014_23", "建标〔2014〕23号", "关于加强养老服务设施规划建设工作的通知", "national"),
        # Provincial rules known from secondary sources only (STANDARDS.md C, all V2): named as STANDARDS.md names them.
        Document("jiangxi2016", "江西省2016年通知", "江西省2016年养老服务设施通知（二手来源）", "province"),
        Document(
            "henan2022", "河南省养老服务条例（2022）", "河南省养老服务条例（2022，二手来源）", "province"
        ),
        Document(
            "zhejiang", "浙江省（金华、磐安）规定", "浙江省（金华、磐安）人均用地规定（二手来源）", "province"
        ),
        Document(
            "jiangsu2022",
            "江苏省（2022，征求意见稿）",
            "江苏省2022年规定（征求意见稿，二手来源）",
            "province",
            draft=True,
        ),
        Document(
            "shangrao",
            "上饶 饶府办发〔2021〕13号",
            "上饶市人民政府办公室关于加强老年人关爱服务体系建设的意见",
            "city",
            issued=_d("2021-03-16"),
        ),
        Document(
            "xinzhou",
            "信州区 三年行动方案 2023–2025",
            "信州区推进养老服务提质升级三年行动实施方案（2023-2025年）",
            "county",
            in_force_from=_d("2023-01-01"),
            in_force_until=_d("2025-12-31"),
        ),
        Document(
            "yichun",
            "宜春 实施方案",
            "宜春市推进基本养老服务体系建设实施方案",
            "city",
            issued=_d("2023-12-12"),
        ),
        Document(
            "shihe",
            "浉河区 实施意见（征求意见稿）",
            "信阳市浉河区人民政府办公室关于推进基本养老服务体系建设的实施意见（征求意见稿）",
            "county",
            draft=True,
        ),
        Document(
            "panan",
            "磐安县 磐政办〔2023〕44号",
            "磐安县人民政府办公室关于加快建设基本养老服务体系的实施意见",
            "county",
            in_force_from=_d("2024-01-01"),  # 四、其他事项: 本意见自2024年1月1日起施行
        ),
    )
}


def force_label(force: str, lang: str = "zh") -> str:
    """A force (``in_force``, ``draft``, ``expired``, ``not_yet``) in ``lang``; "" for none."""
    zh, en = FORCES.get(force, ("", ""))
    return zh if lang == "zh" else en

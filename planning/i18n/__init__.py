"""The one catalogue of what eldercircle says, in Chinese (the default) and English.

Every sentence a person reads has a key: the app's and the command line's words (:mod:`~planning.i18n.texts`,
with what long work says in :mod:`~planning.i18n.progress`),
the reports' (:mod:`~planning.i18n.report`), batch runs' (:mod:`~planning.i18n.batch`), planning's errors (:mod:`~planning.i18n.errors`) and the Chinese of
geo's messages (:mod:`~planning.i18n.geo_zh`; their English is :data:`geo.messages.EN`). Read them through
:func:`tr` (a template), :func:`say` (a sentence with its fields filled, or a :class:`~geo.messages.Message` or an
error rendered in a language) and the label functions. Code, comments and docs stay English.
"""

from __future__ import annotations

from collections.abc import Mapping

from geo.errors import StudyError
from geo.messages import EN as GEO_EN
from geo.messages import Message
from planning.i18n.batch import BATCH_TEXT
from planning.i18n.circles import CIRCLES_TEXT
from planning.i18n.errors import ERRORS
from planning.i18n.geo_zh import GEO_ZH
from planning.i18n.plan_report import PLAN_REPORT_TEXT
from planning.i18n.report import REPORT_TEXT
from planning.i18n.scenario import SCENARIO_ERRORS, SCENARIO_TEXT
from planning.i18n.scenario_app import SCENARIO_APP_TEXT
from planning.i18n.texts import TEXTS, VERDICT_ICONS, VERDICTS
from planning.schema import FACILITY_KINDS, FACILITY_KINDS_EN

LANGS = ("zh", "en")

#: Every key of planning's tables with its (Chinese, English) text; the tables share no key
#: (tests/planning/test_i18n.py).
CATALOGUE: dict[str, tuple[str, str]] = {
    **TEXTS,
    **REPORT_TEXT,
    **PLAN_REPORT_TEXT,
    **BATCH_TEXT,
    **ERRORS,
    **SCENARIO_TEXT,
    **SCENARIO_ERRORS,
    **SCENARIO_APP_TEXT,
    **CIRCLES_TEXT,
}
_ZH: dict[str, str] = {**{k: zh for k, (zh, _) in CATALOGUE.items()}, **GEO_ZH}
_EN: dict[str, str] = {**{k: en for k, (_, en) in CATALOGUE.items()}, **GEO_EN}
TEMPLATES: Mapping[str, Mapping[str, str]] = {"zh": _ZH, "en": _EN}


def tr(key: str, lang: str = "zh") -> str:
    """The template of ``key`` in ``lang`` (``zh`` or ``en``); the key itself when unknown."""
    zh, en = CATALOGUE.get(key, (key, key))
    return en if lang == "en" else zh


def message(key: str, **params: object) -> Message:
    """planning's message ``key`` (a key of the catalogue) with ``params``, its English from the catalogue.

    Raises
    ------
    KeyError
        When ``key`` is not in the catalogue (a programming error: add the sentence to the catalogue).
    """
    return Message(key, tuple(params.items()), CATALOGUE[key][1])


def say(what: str | Message | BaseException, lang: str = "zh", **params: object) -> str:
    """A sentence in ``lang``.

    Parameters
    ----------
    what : a catalogue key (its template filled from ``params``), a :class:`~geo.messages.Message` (geo's or
        planning's code rendered in ``lang``) or an error (its message rendered in ``lang``; an error raised with a
        plain string, or any other exception, says its ``str``).
    lang : ``zh`` or ``en``.
    params : the fields of a key's template.
    """
    if isinstance(what, BaseException):
        if isinstance(what, StudyError) and what.message is not None:
            return say(what.message, lang)
        return str(what)
    if isinstance(what, Message):
        return what.render(TEMPLATES["en" if lang == "en" else "zh"]) or str(what)
    text = tr(what, lang)
    return text.format(**params) if params else text


def known_keys() -> frozenset[str]:
    """Every key :func:`tr` knows."""
    return frozenset(CATALOGUE)


def kind_label(kind: str, lang: str = "zh") -> str:
    """Display name of a facility kind."""
    return (FACILITY_KINDS_EN if lang == "en" else FACILITY_KINDS).get(kind, kind)


def level_label(level: str, lang: str = "zh") -> str:
    """A checked unit's level (``district``, ``street``, ``community``, ``village``, ``facility``, ``candidate``) in
    ``lang``; a level without words is shown as it is."""
    key = f"level_{level}"
    return tr(key, lang) if key in CATALOGUE else level


def verdict_label(verdict: str, lang: str = "zh", *, icon: bool = False) -> str:
    """达标/不达标/无法评估 (pass/fail/not assessable), optionally with a symbol; no verdict ('': a rule row one side of a
    comparison does not have) is a dash."""
    if not verdict:
        return "—"
    zh, en = VERDICTS.get(verdict, (verdict, verdict))
    text = en if lang == "en" else zh
    return f"{VERDICT_ICONS.get(verdict, '')} {text}".strip() if icon else text


def status_label(status: str, lang: str | None = None) -> str:
    """A rule's verification status for display: V1/V2 as they are; R (recalled, not yet confirmed in a source) as
    未核实 in Chinese, unverified in English, and 未核实 unverified when ``lang`` is None (bilingual outputs)."""
    if status != "R":
        return str(status)
    return {"zh": "未核实", "en": "unverified"}.get(str(lang), "未核实 unverified")


class Notes:
    """Sentences for the user built in both languages at once: ``add(en, zh)``; ``en`` and ``zh`` are lists of the
    same length (results keep them as ``notes`` and ``notes_zh``)."""

    def __init__(self) -> None:
        self.en: list[str] = []
        self.zh: list[str] = []

    def add(self, en: str, zh: str) -> None:
        """Add one sentence in English and Chinese."""
        self.en.append(en)
        self.zh.append(zh or en)

    def extend(self, en: tuple[str, ...] | list[str], zh: tuple[str, ...] | list[str] = ()) -> None:
        """Add sentences given as two parallel sequences (English stands in where a Chinese one is missing)."""
        en = list(en)
        zh = list(zh)
        for i, e in enumerate(en):
            self.add(e, zh[i] if i < len(zh) else e)

    def __len__(self) -> int:
        return len(self.en)

    def __bool__(self) -> bool:
        return bool(self.en)


def notes_in(
    notes: tuple[str, ...] | list[str], notes_zh: tuple[str, ...] | list[str], lang: str = "zh"
) -> list[str]:
    """``notes`` in ``lang``: the Chinese ones for ``zh`` where there is one (English stands in for any note added
    without a Chinese version), the English ones otherwise."""
    if lang == "en":
        return list(notes)
    zh = list(notes_zh)
    return [zh[i] if i < len(zh) and zh[i] else n for i, n in enumerate(notes)]


__all__ = [
    "CATALOGUE",
    "LANGS",
    "TEMPLATES",
    "Notes",
    "kind_label",
    "known_keys",
    "level_label",
    "message",
    "notes_in",
    "say",
    "status_label",
    "tr",
    "verdict_label",
]

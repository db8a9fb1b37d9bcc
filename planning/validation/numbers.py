"""Numbers written as text in planning tables: thousands separators, units, 万, full-width digits, approximations;
ranges and infinities refused. Every reading is said in English and Chinese.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np

_UNITS = (
    "平方米",
    "平米",
    "平方",
    "m2",
    "m^2",
    "sqm",
    "万元",
    "元",
    "张",
    "床",
    "人",
    "户",
    "个",
    "处",
    "间",
)
_APPROX_PREFIX = ("约", "大约", "近", "~", "≈", "about", "ca.")
_APPROX_SUFFIX = ("左右", "余", "多")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
#: Text that float() and pandas read as infinite or not-a-number: refused, never taken as a number or as blank.
_NOT_FINITE = re.compile(r"^[+-]?(nan|inf|infinity)$", re.IGNORECASE)
NOT_FINITE_FIX = "give the figure, or leave the cell blank when it is unknown"
NOT_FINITE_FIX_ZH = "请填写实际数值；如未知请留空"
#: (value, note, error, note_zh, error_zh), as :func:`parse_number_zh` returns it.
_Parsed = tuple[float | None, str | None, str | None, str | None, str | None]
_BLANK: _Parsed = (None, None, None, None, None)


def parse_number(value: object) -> tuple[float | None, str | None, str | None]:
    """Parse a number that may be written as text; see :func:`parse_number_zh` (the same, with Chinese messages).

    Returns
    -------
    (value, note, error) : ``value`` None when missing or refused; ``note`` says what was interpreted;
    ``error`` says why it was refused.
    """
    number, note, error, _, _ = parse_number_zh(value)
    return number, note, error


def parse_number_zh(value: object) -> tuple[float | None, str | None, str | None, str | None, str | None]:
    """Parse a number that may be written as text.

    Accepts plain numbers, thousands separators (``1,200``), units (``1200㎡``, ``1200平方米``, ``60张``), the 万
    multiplier (``1.2万``), full-width digits, and approximations (``约800``, ``800左右``), which are read as the
    number and flagged. Refuses ranges (``800-1000``), infinite and not-a-number values (``inf``, ``Infinity``,
    ``nan``, ``NaN`` written in the file, or a float infinity) and other text. A float NaN is a blank cell (that is
    how GeoPackage and GeoJSON nulls arrive).

    Returns
    -------
    (value, note, error, note_zh, error_zh) : ``value`` None when missing or refused; ``note`` says what was
    interpreted; ``error`` says why it was refused; ``note_zh`` and ``error_zh`` say the same in Chinese.
    """
    if value is None:
        return _BLANK
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return _from_float(float(value))
    raw = str(value)
    text = unicodedata.normalize("NFKC", raw).strip().replace(" ", "")  # full-width digits, ㎡ -> m2
    if _NOT_FINITE.match(text):
        return (
            None,
            None,
            f"{raw!r} is not a finite number; {NOT_FINITE_FIX}",
            None,
            f"「{raw}」不是有效数值（无穷大或非数）；{NOT_FINITE_FIX_ZH}",
        )
    if text == "" or text.lower() in ("none", "null", "-", "—", "/", "无数据"):
        return _BLANK
    return _from_text(raw, text)


def _from_float(v: float) -> _Parsed:
    """A number as stored: NaN is a blank cell, an infinity is refused."""
    if np.isinf(v):
        return (
            None,
            None,
            f"{v} is not a finite number; {NOT_FINITE_FIX}",
            None,
            f"{v} 不是有限的数；{NOT_FINITE_FIX_ZH}",
        )
    return _BLANK if np.isnan(v) else (v, None, None, None, None)


def _strip_affixes(text: str) -> tuple[str, bool, str, float]:
    """``text`` without approximation words, a unit and 万; whether it was approximate, the unit, the scale."""
    approx = False
    for p in _APPROX_PREFIX:
        if text.lower().startswith(p):
            text, approx = text[len(p) :], True
    for s in _APPROX_SUFFIX:
        if text.endswith(s):
            text, approx = text[: -len(s)], True
    unit = ""
    for u in _UNITS:
        if text.lower().endswith(u):
            text, unit = text[: -len(u)], u
            break
    scale = 1.0
    if text.endswith("万"):
        text, scale = text[:-1], 10000.0
    return text, approx, unit, scale


def _from_text(raw: str, text: str) -> _Parsed:
    """Read normalised, non-blank ``text`` (written as ``raw``) as a number, saying what was interpreted."""
    text, approx, unit, scale = _strip_affixes(text)
    notes: list[tuple[str, str]] = []
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
        notes.append(("thousands separators removed", "去掉千位分隔符"))
    if not _PLAIN.match(text):
        if re.match(r"^[\d.,]+[-~–—至到][\d.,]+", text):
            return (
                None,
                None,
                f"{raw!r} is a range; give one number",
                None,
                f"「{raw}」是一个范围，请只填一个数",
            )
        return None, None, f"{raw!r} is not a number", None, f"「{raw}」不是数字，请填写数字"
    number = float(text) * scale
    if unit:
        notes.append((f"unit {unit!r} removed", f"去掉单位「{unit}」"))
    if scale != 1.0:
        notes.append(("万 read as ×10 000", "「万」按 ×10000 换算"))
    if approx:
        notes.append(("approximate value taken as exact", "约数按准确值计"))
    if text != raw.strip() and not notes:
        notes.append(("full-width characters normalised", "全角字符已转为半角"))
    if not notes:
        return number, None, None, None, None
    note = f"{raw!r} read as {number:g} ({'; '.join(en for en, _ in notes)})"
    note_zh = f"「{raw}」读作 {number:g}（{'；'.join(zh for _, zh in notes)}）"
    return number, note, None, note_zh, None

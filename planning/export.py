"""What every export does to the text it carries: personal data removed, spreadsheet formulas neutralised, HTML
escaped.

Studies come from people the tool does not trust (a bureau's public deployment takes zipped studies from anyone) and
its outputs are read by people it does not know (the public coverage map). Every writer of the project (the report
folder, the app's downloads, the command line's ``--points`` CSV) passes its tables through this module, so that
one rule holds everywhere:

- :func:`strip_personal`: columns recognised as personal (ID-card numbers, phone numbers, contact persons, names of
  individuals, addresses of individuals; by header in Chinese and English, see :data:`PERSONAL_HEADERS`, and by
  value: 18-digit PRC resident ID numbers with a valid check digit, 11-digit mobile numbers and landline numbers
  with an area code, in any column) are dropped, and the drop is returned as :class:`PersonalNote` rows naming
  the layer, the column and why, never the values. A column the analysis needs (a facility's ``name``) is kept
  with the numbers inside it replaced by :data:`REDACTED`.
- :func:`safe_cell`, :func:`safe_frame`, :func:`csv_bytes`: spreadsheet cells and CSV fields that a spreadsheet
  would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, or their
  full-width forms) get a leading single quote, as OWASP advises for CSV injection; numbers, and text that is a
  plain number such as ``"-5"``, are left as they are.
- :func:`json_value`, :func:`json_records`, :func:`json_text`: the one cleaner of values bound for JSON (numpy
  numbers as Python numbers, NaN, infinities and missing values as null), and JSON text with every ID-card or phone
  number inside its strings redacted.
- :func:`html_text`: text bound for HTML strings (titles, legends, the tooltips Leaflet sets as HTML) escaped, in
  one place. GeoJSON tooltips show their properties as text instead (:class:`planning.maps.TextTooltip`), and
  folium's output is never evaluated as a template (:func:`planning.maps.html_element`).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from planning.display import finite

__all__ = [
    "PERSONAL_HEADERS",
    "REDACTED",
    "PersonalNote",
    "csv_bytes",
    "find_personal",
    "html_text",
    "is_personal_header",
    "json_records",
    "json_text",
    "json_value",
    "redact_json",
    "redact_text",
    "safe_cell",
    "safe_frame",
    "strip_personal",
]

#: What replaces an ID or phone number found inside a column that is kept (a facility's name).
REDACTED = "***"

#: Headers of personal columns, by what they hold. A header is personal when, lower-cased and stripped of spaces,
#: brackets, ``_`` and ``-``, it contains one of the Chinese words or equals one of the English words, or one of
#: its words (split on anything but letters and digits) is an English word marked with ``*``. Addresses of
#: facilities (``地址``, ``address``) are public and stay; addresses of individuals (``住址``, ``家庭住址``,
#: ``home_address``) go.
PERSONAL_HEADERS: dict[str, tuple[str, ...]] = {
    "id_card": (
        "身份证",
        "身份证号",
        "身份证号码",
        "证件号",
        "证件号码",
        "公民身份号码",
        "社保卡号",
        "医保卡号",
        "idcard",
        "idnumber",
        "idno",
        "idcardno",
        "idcardnumber",
        "nationalid",
        "citizenid",
        "ssn",
        "passport",
        "passportno",
    ),
    "phone": (
        "电话",
        "联系电话",
        "手机",
        "手机号",
        "手机号码",
        "移动电话",
        "固定电话",
        "座机",
        "联系方式",
        "微信",
        "微信号",
        "邮箱",
        "电子邮箱",
        "phone*",
        "mobile*",
        "tel*",
        "telephone*",
        "cellphone*",
        "phonenumber",
        "mobilephone",
        "telno",
        "email*",
        "mail",
        "wechat*",
        "weixin",
    ),
    "contact_person": (
        "联系人",
        "负责人",
        "法定代表人",
        "经办人",
        "填报人",
        "contact*",
        "contactperson",
        "contactname",
        "personincharge",
        "manager",
        "director",
        "legalrepresentative",
    ),
    "person_name": (
        "姓名",
        "老人姓名",
        "居民姓名",
        "户主",
        "户主姓名",
        "监护人",
        "personname",
        "fullname",
        "firstname",
        "lastname",
        "surname",
        "residentname",
        "householder",
        "guardian",
    ),
    "home_address": (
        "住址",
        "家庭住址",
        "家庭地址",
        "户籍地址",
        "户籍地",
        "居住地址",
        "现住址",
        "homeaddress",
        "residentaddress",
        "residentialaddress",
        "privateaddress",
    ),
}

_WHY: dict[str, tuple[str, str]] = {
    "id_card": ("身份证件号码", "ID-card numbers"),
    "phone": ("电话号码或联系方式", "phone numbers or contact details"),
    "contact_person": ("联系人或负责人", "contact persons"),
    "person_name": ("个人姓名", "names of individuals"),
    "home_address": ("个人住址", "addresses of individuals"),
    "id_value": ("内容含身份证号码", "values that are ID-card numbers"),
    "phone_value": ("内容含手机或电话号码", "values that are mobile or phone numbers"),
}

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
#: 17 digits + a check digit or X, not inside a longer run of digits; the birth date (digits 7-14) 18xx-20xx.
_ID_RE = re.compile(
    r"(?<![0-9])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx](?![0-9])"
)
#: Mainland mobile numbers (11 digits from 13x to 19x), optionally written +86 / 86 and with spaces or hyphens.
_MOBILE_RE = re.compile(r"(?<![0-9])(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?![0-9])")
#: Landlines with an area code: 0xx-xxxxxxxx or (0xxx)xxxxxxx.
_LANDLINE_RE = re.compile(r"(?<![0-9])(?:\(0\d{2,3}\)|（0\d{2,3}）|0\d{2,3}-)\s?\d{7,8}(?![0-9])")

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
_NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:[.,]\d+)*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?")


# ================================================================================================================
# Personal data
# ================================================================================================================


@dataclass(frozen=True)
class PersonalNote:
    """One column taken out of (or cleaned in) an export: where, why and how many rows. Never the values.

    Attributes
    ----------
    layer : the layer or table (``facilities``, ``communities_coverage``, ...).
    column : the column's header.
    reason : a key of the reasons (``id_card``, ``phone``, ``contact_person``, ``person_name``, ``home_address``
        for a header; ``id_value``, ``phone_value`` for values found).
    action : ``dropped`` (the column is left out) or ``redacted`` (kept, the numbers replaced by ``***``).
    rows : rows with a value that looked personal (0 when the header alone decided).
    """

    layer: str
    column: str
    reason: str
    action: str
    rows: int = 0

    def message_in(self, lang: str = "en") -> str:
        """The note as one sentence in ``zh`` or ``en``."""
        zh, en = _WHY.get(self.reason, (self.reason, self.reason))
        if lang == "zh":
            what = (
                "已删除该列"
                if self.action == "dropped"
                else f"已将其中 {self.rows} 行的号码替换为 {REDACTED}"
            )
            seen = f"（{self.rows} 行）" if self.rows and self.action == "dropped" else ""
            return f"图层 {self.layer} 的列“{self.column}”含个人信息：{zh}{seen}，{what}。"
        what = (
            "the column was left out"
            if self.action == "dropped"
            else f"the numbers in {self.rows} row{'s' if self.rows != 1 else ''} were replaced by {REDACTED}"
        )
        seen = (
            f" ({self.rows} row{'s' if self.rows != 1 else ''})"
            if self.rows and self.action == "dropped"
            else ""
        )
        return f"layer {self.layer}, column {self.column!r} holds personal data: {en}{seen}; {what}."


def _header_key(header: Any) -> str:
    return re.sub(r"[\s_\-()（）\[\]【】.:：/]", "", str(header)).lower()


def _header_words(header: Any) -> list[str]:
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", str(header))
    return [w for w in re.split(r"[^0-9A-Za-z]+", spaced.lower()) if w]


def is_personal_header(header: Any) -> str | None:
    """The reason (a key of :data:`PERSONAL_HEADERS`) when ``header`` names a personal column, else None."""
    key = _header_key(header)
    words = set(_header_words(header))
    for reason, names in PERSONAL_HEADERS.items():
        for name in names:
            word = name.rstrip("*")
            if re.search(r"[^\x00-\x7f]", word):
                if word in key:
                    return reason
            elif key == word or (name.endswith("*") and word in words):
                return reason
    return None


def _valid_id(number: str) -> bool:
    digits = number.upper()
    total = sum(int(d) * w for d, w in zip(digits[:17], _ID_WEIGHTS, strict=False))
    return _ID_CHECK[total % 11] == digits[17]


def _id_numbers(text: str) -> list[re.Match]:
    return [m for m in _ID_RE.finditer(text) if _valid_id(m.group(0))]


def _phone_numbers(text: str) -> list[re.Match]:
    return list(_MOBILE_RE.finditer(text)) + list(_LANDLINE_RE.finditer(text))


def redact_text(text: str) -> str:
    """``text`` with every ID-card number (valid check digit) and phone number replaced by :data:`REDACTED`."""
    out = str(text)
    for m in sorted(_id_numbers(out) + _phone_numbers(out), key=lambda m: m.start(), reverse=True):
        out = out[: m.start()] + REDACTED + out[m.end() :]
    # overlapping matches leave runs of the mark: one is enough
    return re.sub(r"(?:\*\*\*)+", REDACTED, out) if out != text else out


def _as_text(series: pd.Series) -> pd.Series | None:
    """The column as text for the value checks, or None when it cannot hold a number of 11 or more digits."""
    if pd.api.types.is_bool_dtype(series):
        return None
    if pd.api.types.is_numeric_dtype(series):
        v = pd.to_numeric(series, errors="coerce").to_numpy(float)
        big = np.isfinite(v) & (np.abs(v) >= 1e10) & (v == np.round(v))
        if not big.any():
            return None
        return pd.Series([str(int(x)) if b else "" for x, b in zip(v, big, strict=False)], index=series.index)
    if pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series):
        return series.map(
            lambda x: x if isinstance(x, str) else (str(x) if isinstance(x, (int, np.integer)) else "")
        )
    return None


def find_personal(frame: pd.DataFrame, *, layer: str, keep: Iterable[str] = ()) -> list[PersonalNote]:
    """What :func:`strip_personal` would do to ``frame``: one note per personal column.

    Parameters
    ----------
    frame : a table or layer (its geometry column is never looked at).
    layer : the name reported in the notes.
    keep : columns the export needs (a facility's ``name``): never dropped; ID and phone numbers inside them are
        redacted instead.
    """
    keep = set(keep)
    geometry = getattr(frame, "_geometry_column_name", None)
    notes: list[PersonalNote] = []
    for col in frame.columns:
        if col == geometry:
            continue
        reason = None if col in keep else is_personal_header(col)
        if reason is not None:
            notes.append(PersonalNote(str(layer), str(col), reason, "dropped"))
            continue
        text = _as_text(frame[col])
        if text is None or not len(text):
            continue
        ids = text.map(lambda s: bool(s) and bool(_id_numbers(s)))
        phones = text.map(lambda s: bool(s) and bool(_phone_numbers(s)))
        n_id, n_phone = int(ids.sum()), int(phones.sum())
        if not (n_id or n_phone):
            continue
        action = "redacted" if col in keep else "dropped"
        notes.append(
            PersonalNote(
                str(layer),
                str(col),
                "id_value" if n_id >= n_phone else "phone_value",
                action,
                int((ids | phones).sum()),
            )
        )
    return notes


def strip_personal(
    frame: pd.DataFrame, *, layer: str, keep: Iterable[str] = ("name",)
) -> tuple[pd.DataFrame, list[PersonalNote]]:
    """``frame`` without its personal columns, and what was removed.

    Personal columns are recognised by header (:data:`PERSONAL_HEADERS`: ID-card numbers, phone numbers and
    other contact details, contact persons, names and addresses of individuals, in Chinese and English) and by
    value (an 18-digit PRC resident ID number with a valid check digit, an 11-digit mobile number or a landline
    with its area code, also inside longer text, in any column, numbers stored as numbers included).

    Parameters
    ----------
    frame : a table or a GeoDataFrame (its geometry stays).
    layer : the layer or table name the notes report.
    keep : columns the export needs (default ``name``): kept, with every ID and phone number inside replaced by
        :data:`REDACTED`.

    Returns
    -------
    (frame, notes)
        A new frame (the input is not changed) and one :class:`PersonalNote` per column dropped or cleaned, in
        column order; the notes name the layer, the column and the reason, never a value.
    """
    notes = find_personal(frame, layer=layer, keep=keep)
    if not notes:
        return frame, notes
    out = frame.drop(columns=[n.column for n in notes if n.action == "dropped"])
    for note in notes:
        if note.action == "redacted":
            out[note.column] = out[note.column].map(lambda v: redact_text(v) if isinstance(v, str) else v)
    return out, notes


# ================================================================================================================
# JSON
# ================================================================================================================


def json_value(value: Any, *, redact: bool = False) -> Any:
    """``value`` as JSON can hold it, the one cleaner of every JSON output: numpy integers and floats as Python
    numbers, numpy booleans as booleans, NaN, infinities and missing values (None, ``pd.NA``, ``pd.NaT``) as None;
    dicts, lists and tuples cleaned all through (tuples become lists, keys stay); text and anything else as it is,
    or with ``redact`` every string value passed through :func:`redact_text`.

    Examples
    --------
    >>> json_value({"n": np.int64(3), "x": [np.float64("nan"), 2.5], "ok": np.bool_(True), "名称": "养老院"})
    {'n': 3, 'x': [None, 2.5], 'ok': True, '名称': '养老院'}
    """
    if isinstance(value, str):
        return redact_text(value) if redact else value
    if isinstance(value, dict):
        return {k: json_value(v, redact=redact) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_value(v, redact=redact) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return finite(value)
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    return value


def json_records(frame: pd.DataFrame) -> list[dict]:
    """Rows of ``frame`` (geometry left out) as JSON-ready dicts, their values cleaned by :func:`json_value`."""
    plain = pd.DataFrame(frame.drop(columns="geometry", errors="ignore"))
    return [json_value(row) for row in plain.astype(object).to_dict(orient="records")]


def redact_json(obj: Any) -> Any:
    """A copy of a JSON-ready structure (dicts, lists, scalars) with :func:`redact_text` applied to every string
    value (keys are the program's own and stay) and its numbers cleaned (:func:`json_value`): for JSON outputs whose
    rows carry names and notes."""
    return json_value(obj, redact=True)


def json_text(data: Any) -> str:
    """A JSON-ready structure as the text of a JSON output (CLI ``--json``, the app's downloads): values cleaned and
    every ID-card or phone number inside its strings redacted (:func:`redact_json`), Chinese kept readable."""
    return json.dumps(redact_json(data), ensure_ascii=False, indent=2, allow_nan=False, default=str)


# ================================================================================================================
# Spreadsheet cells
# ================================================================================================================


def safe_cell(value: Any) -> Any:
    """A cell value a spreadsheet shows as text and never runs as a formula.

    Text starting with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or a line feed (or the full-width
    ``＝ ＋ － ＠``) gets a leading single quote (OWASP's advice against CSV injection), unless it is a plain number
    such as ``"-5"`` or ``"+3.5"``. Anything that is not text (numbers, dates, None) is returned as it is.

    Examples
    --------
    >>> safe_cell('=HYPERLINK("http://x","y")')
    '\\'=HYPERLINK("http://x","y")'
    >>> safe_cell("-5"), safe_cell(-5)
    ('-5', -5)
    """
    if not isinstance(value, str) or not value:
        return value
    if value.startswith(_FORMULA_START):
        if value[0] in "+-" and _NUMBER_RE.fullmatch(value):
            return value
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with :func:`safe_cell` applied to every text value and to the headers."""
    out = frame.copy()
    geometry = getattr(frame, "_geometry_column_name", None)
    for col in out.columns:
        if col == geometry:
            continue
        s = out[col]
        if pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s):
            out[col] = s.map(safe_cell, na_action="ignore")
    out.columns = [safe_cell(c) if isinstance(c, str) else c for c in out.columns]
    return out


def csv_bytes(
    frame: pd.DataFrame,
    *,
    layer: str = "table",
    encoding: str = "utf-8-sig",
    index: bool = False,
    keep: Iterable[str] = ("name",),
) -> bytes:
    """``frame`` as CSV for a spreadsheet: personal columns removed (:func:`strip_personal`), formulas neutralised
    (:func:`safe_frame`), UTF-8 with a byte-order mark by default (Excel then reads Chinese correctly), lines ended
    by CRLF as RFC 4180 has them (so that a field holding a line break is quoted).

    Call :func:`find_personal` on the same frame to tell the reader what was left out.
    """
    clean, _ = strip_personal(frame, layer=layer, keep=keep)
    geometry = getattr(clean, "_geometry_column_name", None)
    if geometry is not None and geometry in clean:
        clean = pd.DataFrame(clean.drop(columns=geometry))
    # CRLF line ends (RFC 4180): a field holding a carriage return or a line feed is then quoted, not split
    return safe_frame(clean).to_csv(index=index, lineterminator="\r\n").encode(encoding)


# ================================================================================================================
# HTML
# ================================================================================================================


def html_text(value: Any) -> Any:
    """Text escaped for HTML (``<``, ``>``, ``&`` and both quotes); anything else as it is."""
    return html.escape(value, quote=True) if isinstance(value, str) else value

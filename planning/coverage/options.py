"""The options of a coverage run: walking-time bands and facility kinds, parsed and checked (one parser of minute
lists for the CLI, the app and the library), and the limits they are checked against."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import geopandas as gpd
import numpy as np

from geo.messages import Message
from planning.errors import OptionError
from planning.i18n import message
from planning.schema import FACILITY_KINDS, KIND_ALIASES

DEFAULT_MINUTES = (5, 10, 15)
#: The longest walking-time band, in minutes. The standards ask about 5-, 10- and 15-minute walks (STANDARDS.md);
#: two hours is far beyond any service circle, and a larger value (``--minutes 100000``) would only make every
#: shortest-path search cover the whole network. A limit of the tool, not a standard.
MAX_MINUTES = 120
#: The most bands one run computes (each band is a column per kind and a ring of polygons per facility).
MAX_BANDS = 12
#: Points farther than this from every walkable street are not placed on the network (reported, not dropped).
DEFAULT_MAX_DISTANCE_M = 300.0
#: Kinds with beds, measured also by the two-step floating catchment (beds per 1000 elderly within reach).
BED_KINDS = ("embedded_home", "nursing_home")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def check_minutes(minutes: Sequence[float] | str, *, option: str = "--minutes") -> tuple[int, ...]:
    """Parse and check walking-time bands: whole minutes, positive, strictly increasing, at most
    :data:`MAX_MINUTES`, at most :data:`MAX_BANDS` of them.

    Parameters
    ----------
    minutes : ``"5,10,15"`` (commas between the items; full-width digits and commas are read as half-width) or a
        sequence of numbers.
    option : how to name the option in messages.

    Raises
    ------
    OptionError
        One sentence naming the option, the bad item and the fix, for a malformed list: an empty item
        (``5,,10``, ``5,10,``, ``,5``, a blank string), an item that is not a whole number (``x``, ``5;10``,
        ``5.5``, ``inf``), zero or a negative number, a band above :data:`MAX_MINUTES`, bands that do not
        increase (``10,5``) or repeat (``5,5``), more than :data:`MAX_BANDS` bands.
    """
    example = message("err_minutes_example")
    if isinstance(minutes, str):
        shown = minutes
        text = unicodedata.normalize("NFKC", minutes)
        if not text.strip():
            raise OptionError(message("err_minutes_blank", option=option, shown=shown, example=example))
        items: list[object] = [p.strip() for p in text.split(",")]
    else:
        items = list(minutes)
        shown = ",".join(str(v) for v in items)
        if not items:
            raise OptionError(message("err_minutes_none", option=option, example=example))
    if len(items) > MAX_BANDS:
        raise OptionError(
            message("err_minutes_too_many", option=option, shown=shown, n=len(items), max_bands=MAX_BANDS)
        )
    values: list[int] = []
    for n, item in enumerate(items, start=1):
        value = _whole_minutes(item, n=n, option=option, shown=shown, example=example)
        if values and value == values[-1]:
            raise OptionError(message("err_minutes_repeated", option=option, shown=shown, value=value))
        if values and value < values[-1]:
            raise OptionError(
                message(
                    "err_minutes_decreasing", option=option, shown=shown, value=value, previous=values[-1]
                )
            )
        values.append(value)
    return tuple(values)


def _whole_minutes(item: object, *, n: int, option: str, shown: str, example: Message) -> int:
    """One band of :func:`check_minutes` as whole minutes; OptionError naming item ``n`` when it is not one."""
    if isinstance(item, str) and not item:
        raise OptionError(message("err_list_item_empty", option=option, shown=shown, n=n, example=example))
    text = str(item).strip()
    if isinstance(item, bool) or (isinstance(item, str) and not _NUMBER.match(text)):
        hint = message(
            "err_minutes_hint_commas" if re.search(r"[;；、\s/|]", text) else "err_minutes_hint_whole"
        )
        raise OptionError(
            message("err_minutes_not_whole_hint", option=option, shown=shown, n=n, text=text, hint=hint)
        )
    try:
        value = float(text if isinstance(item, str) else item)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise OptionError(
            message("err_minutes_not_number", option=option, shown=shown, n=n, text=text, example=example)
        ) from None
    if not np.isfinite(value) or value != int(value):
        raise OptionError(message("err_minutes_fraction", option=option, shown=shown, n=n, text=text))
    if value <= 0:
        raise OptionError(message("err_minutes_not_positive", option=option, shown=shown, n=n, value=value))
    if value > MAX_MINUTES:
        raise OptionError(
            message(
                "err_minutes_too_long", option=option, shown=shown, n=n, value=value, max_minutes=MAX_MINUTES
            )
        )
    return int(value)


def check_kinds(
    kinds: Sequence[str] | str | None, facilities: gpd.GeoDataFrame, *, option: str = "--kinds"
) -> tuple[str, ...]:
    """Parse and check facility kinds; None (or an empty sequence) means every kind present in the study.

    Kinds are the canonical names (``day_care``) or their Chinese names and aliases (日间照料中心), separated by
    commas.

    Raises
    ------
    OptionError
        One sentence naming the option, the bad item and the fix: a blank string or an empty item
        (``day_care,,x``, ``day_care,``), an unknown kind, a kind given twice, or a kind the study has no facility
        of (naming the kinds present).
    """
    present = [k for k in FACILITY_KINDS if (facilities["kind"] == k).any()]
    if kinds is None or (not isinstance(kinds, str) and len(kinds) == 0):
        return tuple(present)
    example = message("err_kinds_example", examples=",".join(present[:2]) or "day_care")
    if isinstance(kinds, str):
        shown = kinds
        text = unicodedata.normalize("NFKC", kinds)
        if not text.strip():
            raise OptionError(message("err_kinds_blank", option=option, shown=shown, example=example))
        items = [p.strip() for p in text.split(",")]
    else:
        items = [str(k).strip() for k in kinds]
        shown = ",".join(items)
    lookup = {**{k: k for k in FACILITY_KINDS}, **{a.replace(" ", ""): k for a, k in KIND_ALIASES.items()}}
    wanted: list[str] = []
    for n, item in enumerate(items, start=1):
        if not item:
            raise OptionError(
                message("err_list_item_empty", option=option, shown=shown, n=n, example=example)
            )
        kind = lookup.get(item) or lookup.get(item.lower().replace(" ", ""))
        if kind is None:
            raise OptionError(
                message(
                    "err_kinds_unknown",
                    option=option,
                    shown=shown,
                    item=item,
                    choices=", ".join(FACILITY_KINDS),
                )
            )
        if kind in wanted:
            raise OptionError(message("err_kinds_repeated", option=option, shown=shown, kind=kind))
        wanted.append(kind)
    missing = [k for k in wanted if k not in present]
    if missing:
        raise OptionError(
            message(
                "err_kinds_absent",
                option=option,
                shown=shown,
                missing=", ".join(missing),
                present=", ".join(present) or message("err_none_listed"),
            )
        )
    return tuple(wanted)

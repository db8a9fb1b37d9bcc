"""What geo says to a person, as message codes with parameters.

A :class:`Message` carries a code, its parameters and the English template; ``str(message)`` is the English
sentence. geo's own codes and their English are in :data:`EN` (the layer reader's notes, the network cache's lines,
geo's errors); :mod:`planning.i18n` makes messages of planning's codes with the English from its catalogue. Every
other language renders the same code and parameters from the catalogue in :mod:`planning.i18n`
(``planning.i18n.say(message, "zh")``), so nothing is ever translated back from English.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

#: The English sentence of each note code; ``{name}`` fields are the note's parameters (``!r`` quotes a name).
EN: dict[str, str] = {
    # the layer reader's notes (what it decided about a file)
    "text_gb18030": "read as GB18030/GBK (the bytes are not UTF-8, as in Excel exports in China)",
    "coords_from_columns": "coordinates from columns {lon!r} (longitude) and {lat!r} (latitude)",
    "geometry_from_wkt": "geometry from the WKT column {column!r}",
    "coords_as_lonlat": (
        "coordinates taken as longitude/latitude in degrees (EPSG:4326; see coords for GCJ-02/BD-09)"
    ),
    "row_without_coords": "missing or non-numeric coordinates in {lon!r}/{lat!r}",
    "row_bad_wkt": "unreadable WKT in column {column!r}",
    "crs_from_study": "no CRS in the file: used {crs} as study.toml states",
    "attributes_gb18030_fallback": "attributes read as GB18030/GBK (they are not valid UTF-8 as the file claims)",
    "attributes_utf8": "attributes read as UTF-8 (no .cpg file; the bytes are valid UTF-8)",
    "attributes_gb18030": (
        "attributes read as GB18030/GBK (no .cpg file and the bytes are not UTF-8, as in most Chinese GIS "
        "exports); add a .cpg file to say otherwise"
    ),
}


@dataclass(frozen=True)
class Message:
    """One thing said to a person: a layer reader's decision, a line of the network cache, an error's sentence.

    Attributes
    ----------
    code : the message's key (a key of :data:`EN` for geo's messages, of :mod:`planning.i18n`'s catalogue for
        planning's).
    params : the parameters its sentence names, as ``(name, value)`` pairs.
    template_en : the English sentence with ``{name}`` fields (format specs such as ``{n:,}`` allowed).
    """

    code: str
    params: tuple[tuple[str, object], ...] = ()
    template_en: str = ""

    @classmethod
    def of(cls, code: str, **params: object) -> Message:
        """geo's message ``code`` (a key of :data:`EN`) with ``params``.

        Raises
        ------
        KeyError
            When ``code`` is not in :data:`EN` (a programming error: add the sentence there).
        """
        return cls(code, tuple(params.items()), EN[code])

    def render(self, templates: Mapping[str, str]) -> str:
        """The sentence from ``templates`` (code -> text with ``{name}`` fields); "" for an unknown code. A parameter
        that is itself a :class:`Message` (a sentence inside a sentence) is rendered from the same templates."""
        template = templates.get(self.code)
        if template is None:
            return ""
        return template.format(**{k: _inner(v, templates) for k, v in self.params})

    def __str__(self) -> str:
        """The English sentence."""
        return self.template_en.format(**{k: _inner(v, None) for k, v in self.params})


def _inner(value: object, templates: Mapping[str, str] | None) -> object:
    """A parameter as its sentence goes: a message rendered (English when ``templates`` is None, or when they lack
    its code), anything else as it is."""
    if not isinstance(value, Message):
        return value
    return (value.render(templates) if templates is not None else "") or str(value)

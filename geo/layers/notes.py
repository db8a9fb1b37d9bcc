"""What the layer reader says it decided, as message codes with parameters.

A :class:`Note` carries a code and its parameters; ``str(note)`` is the English sentence from :data:`NOTES_EN`.
Other languages render the same code and parameters from their own catalogue (planning's Chinese is
:data:`planning.validation.notes.LAYER_NOTES_ZH`), so nothing is translated back from English.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The English sentence of each note code; ``{name}`` fields are the note's parameters (``!r`` quotes a name).
NOTES_EN: dict[str, str] = {
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
class Note:
    """One decision of the layer reader (an encoding, the coordinate columns, a CRS taken from study.toml) or the
    reason a row was rejected.

    Attributes
    ----------
    code : a key of :data:`NOTES_EN`.
    params : the parameters its sentence names, as ``(name, value)`` pairs.
    """

    code: str
    params: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, code: str, **params: str) -> Note:
        """The note ``code`` with ``params`` (every value a string)."""
        return cls(code, tuple(params.items()))

    def render(self, templates: dict[str, str]) -> str:
        """The note's sentence from ``templates`` (code -> text with ``{name}`` fields); "" for an unknown code."""
        template = templates.get(self.code)
        return template.format(**dict(self.params)) if template is not None else ""

    def __str__(self) -> str:
        """The English sentence."""
        return self.render(NOTES_EN)

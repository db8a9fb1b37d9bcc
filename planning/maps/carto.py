"""Cartography the web maps share: service-circle bands as rings, labels shown only where they fit, and villages
drawn by their own target (rural mutual aid) rather than by an urban one.

- :func:`band_rings`: each band minus the shorter ones (the 10-minute circle without the 5-minute one ...), so the
  bands never lie over each other and each keeps its own colour; :func:`band_style` grades their fills and outlines.
- :func:`add_labels`: community names (and street names when no community of the street is labelled) as permanent
  labels with a white halo, each shown only while it fits inside its polygon's box on screen (checked again on every
  zoom). Names are set as text (``textContent``) from JSON written as a value: never parsed as HTML or a template.
- :func:`villages_of`: which communities are villages (kind ``rural``) and which of them have a rural mutual-aid
  facility inside, with the target and citation of the study's standards preset.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, cast

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.ops import polylabel

from geo.errors import OptionError
from planning.display import format_share
from planning.export import redact_text
from planning.i18n import say
from planning.land import locate_facilities
from planning.maps.base import display_frame
from planning.maps.safe_html import html_element
from planning.standards import ALL_RULES, Rule, rules_for
from planning.study import Study

#: Facility kinds planned for urban communities only: villages are measured by rural mutual aid instead.
URBAN_KINDS = frozenset({"day_care", "embedded_home"})
#: The rule villages are measured by (share of villages with a rural mutual-aid facility).
VILLAGE_RULE = "rural_mutual_aid_villages_share"
#: Villages on a map of an urban target: a neutral sand, not a colour of the coverage scale.
VILLAGE_COLOUR = "#efe9d6"
#: A village with a rural mutual-aid facility: the sand fill, a solid outline in the mutual-aid kind's colour.
VILLAGE_HAS_STYLE: dict[str, Any] = {
    "fillColor": VILLAGE_COLOUR,
    "color": "#009E73",
    "weight": 2.5,
    "fillOpacity": 0.7,
}
#: A village without one: a darker sand and a dashed brown outline.
VILLAGE_LACKS_STYLE: dict[str, Any] = {
    "fillColor": "#d8c9a3",
    "color": "#8c6d31",
    "weight": 2,
    "dashArray": "5 4",
    "fillOpacity": 0.7,
}
#: Fill opacity of the service-circle bands, innermost first (a band past the table keeps the last).
BAND_FILL_OPACITY = (0.5, 0.32, 0.18, 0.12)
#: Outline dashes of the bands, innermost first: solid, dashed, dotted.
BAND_DASHES = ("", "6 4", "2 4")
#: A label shows while its width fits in this share of its polygon's box on screen.
LABEL_FIT = 0.8


def band_rings(circles: gpd.GeoDataFrame, *, simplify_m: float = 0.0) -> gpd.GeoDataFrame:
    """Service circles as rings: per kind, each band's area minus the areas of its shorter bands.

    Parameters
    ----------
    circles : ``kind``, ``band_min`` and polygons in a projected CRS (:func:`planning.coverage.service_circle_layer`).
    simplify_m : simplification of each band before the differences (so neighbouring rings share their edges).

    Returns
    -------
    geopandas.GeoDataFrame
        ``kind``, ``band_min`` and the ring, in the order of ``circles`` sorted by kind then band (shortest first);
        the rings of a kind add up to its longest band.
    """
    rows: list[tuple[str, int, Any]] = []
    for kind, sub in circles.groupby("kind", sort=False):
        inner: Any = None
        for band, geom in sorted(
            zip(sub["band_min"].astype(int), sub.geometry.to_numpy(), strict=True), key=lambda t: t[0]
        ):
            shape = shapely.simplify(geom, simplify_m, preserve_topology=True) if simplify_m > 0 else geom
            shape = shapely.make_valid(shape) if not shapely.is_valid(shape) else shape
            ring = shape if inner is None else shapely.difference(shape, inner)
            inner = shape if inner is None else shapely.union(inner, shape)
            rows.append((str(kind), int(band), ring))
    return gpd.GeoDataFrame(
        {"kind": [r[0] for r in rows], "band_min": [r[1] for r in rows]},
        geometry=[r[2] for r in rows],
        crs=circles.crs,
    )


def band_fill_opacity(position: int, strength: float = 1.0) -> float:
    """The fill opacity of the band at ``position`` (0 = shortest walk), times ``strength``."""
    return round(BAND_FILL_OPACITY[min(position, len(BAND_FILL_OPACITY) - 1)] * strength, 3)


def band_style(position: int, colour: str, *, strength: float = 1.0) -> dict[str, Any]:
    """The Leaflet style of a band ring at ``position`` (0 = shortest walk): graded fill (times ``strength``: less
    over a choropleth), its own outline dash."""
    style = {
        "fillColor": colour,
        "color": colour,
        "weight": 2 if position == 0 else 1.5,
        "fillOpacity": band_fill_opacity(position, strength),
        "opacity": 0.9,
    }
    dash = BAND_DASHES[min(position, len(BAND_DASHES) - 1)]
    if dash:
        style["dashArray"] = dash
    return style


# --- labels -------------------------------------------------------------------------------------------------------


def _largest_part(geom: Any) -> Any:
    parts = shapely.get_parts(geom)
    return max(parts, key=lambda p: p.area) if len(parts) else geom


def _label_rows(names: np.ndarray, geoms: np.ndarray) -> list[tuple[int, str, Any, Any]]:
    """(position, name, anchor, box) of every labelled polygon: the anchor is the pole of inaccessibility of its
    largest part (well inside, even in an L-shaped community), the box that part's bounds; projected CRS."""
    rows = []
    for i, (name, geom) in enumerate(zip(names, geoms, strict=True)):
        if geom is None or shapely.is_empty(geom) or pd.isna(name) or not str(name).strip():
            continue
        part = _largest_part(shapely.make_valid(geom))
        if part.geom_type != "Polygon" or part.area <= 0:
            continue
        tolerance = max(float(np.sqrt(part.area)) / 50.0, 0.5)
        rows.append(
            (
                i,
                redact_text(str(name).strip()),
                polylabel(part, tolerance=tolerance),
                shapely.box(*part.bounds),
            )
        )
    return rows


def label_data(communities: gpd.GeoDataFrame, *, basemap: str = "none") -> list[dict[str, Any]]:
    """Labels of the communities (``name``) and of their streets (``street``, the communities dissolved).

    Each label is ``{"t": text, "p": [lat, lon], "b": [[south, west], [north, east]], "k": 0 or 1, "s": street
    number}``: ``k`` 1 for a street, ``s`` the street a community belongs to (-1 for none) or the street's own
    number. Coordinates in lon/lat, shifted to the basemap's system (:func:`planning.maps.display_frame`).
    """
    geoms = communities.geometry.to_numpy()
    raw = communities["street"] if "street" in communities else pd.Series([None] * len(communities))
    street_key = [None if pd.isna(s) or not str(s).strip() else str(s) for s in raw.to_numpy(object)]
    known = list(dict.fromkeys(s for s in street_key if s is not None))
    number = {s: i for i, s in enumerate(known)}
    sets = [
        (0, communities["name"].to_numpy(object), geoms, [-1 if s is None else number[s] for s in street_key])
    ]
    if known:
        frame = gpd.GeoDataFrame({"street": street_key}, geometry=geoms, crs=communities.crs)
        dissolved = frame[frame["street"].notna()].dissolve(by="street", sort=False).reset_index()
        names = dissolved["street"].to_numpy(object)
        sets.append((1, names, dissolved.geometry.to_numpy(), [number[s] for s in names]))
    out: list[dict[str, Any]] = []
    for kind, names, shapes, street_no in sets:
        rows = _label_rows(names, shapes)
        if not rows:
            continue
        frame = gpd.GeoDataFrame(geometry=[r[2] for r in rows] + [r[3] for r in rows], crs=communities.crs)
        shown = display_frame(frame, basemap=basemap, tolerance_m=0).geometry.to_numpy()
        for (i, text, _, _), point, box in zip(rows, shown[: len(rows)], shown[len(rows) :], strict=True):
            west, south, east, north = (round(float(v), 6) for v in box.bounds)
            out.append(
                {
                    "t": text,
                    "p": [round(float(point.y), 6), round(float(point.x), 6)],
                    "b": [[south, west], [north, east]],
                    "k": kind,
                    "s": street_no[i],
                }
            )
    return out


#: Label text: dark grey on a white halo, street names larger and spaced.
LABEL_CSS = (
    "<style>.eldercircle-label-icon{background:none;border:none}"
    ".eldercircle-label{position:absolute;transform:translate(-50%,-50%);white-space:nowrap;"
    "font:12px/1.2 sans-serif;color:#333;pointer-events:none;"
    "text-shadow:0 0 2px #fff,0 0 2px #fff,1px 1px 1px #fff,-1px -1px 1px #fff,1px -1px 1px #fff,-1px 1px 1px #fff}"
    ".eldercircle-label-street{font-size:14px;font-weight:bold;letter-spacing:2px;color:#555}</style>"
)

#: Builds the labels (text set with textContent) in their own pane above the areas and below the markers, and shows
#: each only while it fits in its polygon's box on screen; a street's label only when none of its communities' is.
LABEL_JS = """
window.addEventListener('load', function () {
  var map = __MAP__, data = __DATA__, fit = __FIT__;
  if (!map.getPane('eldercircleLabels')) {
    var pane = map.createPane('eldercircleLabels');
    pane.style.zIndex = 450; pane.style.pointerEvents = 'none';
  }
  var items = data.map(function (d) {
    var span = document.createElement('span');
    span.className = d.k ? 'eldercircle-label eldercircle-label-street' : 'eldercircle-label';
    span.textContent = d.t;
    var icon = L.divIcon({html: span, className: 'eldercircle-label-icon', iconSize: null});
    L.marker(d.p, {icon: icon, pane: 'eldercircleLabels', interactive: false, keyboard: false}).addTo(map);
    return {d: d, span: span, w: 0, h: 0};
  });
  var fits = function (it) {
    var sw = map.latLngToContainerPoint(it.d.b[0]), ne = map.latLngToContainerPoint(it.d.b[1]);
    return it.w > 0 && it.w <= fit * Math.abs(ne.x - sw.x) && it.h <= fit * Math.abs(sw.y - ne.y);
  };
  var update = function () {
    var named = {};
    items.forEach(function (it) {
      if (!it.w) { it.w = it.span.offsetWidth; it.h = it.span.offsetHeight; }
    });
    items.forEach(function (it) {
      if (!it.d.k) { it.on = fits(it); if (it.on) { named[it.d.s] = true; } }
    });
    items.forEach(function (it) { if (it.d.k) { it.on = fits(it) && !named[it.d.s]; } });
    items.forEach(function (it) { it.span.style.visibility = it.on ? 'visible' : 'hidden'; });
  };
  map.on('zoomend resize', update);
  update();
});
"""


def script_json(value: Any) -> str:
    """``value`` as JSON that is safe inside a ``<script>``: ``<``, ``>``, ``&`` and the line separators escaped,
    so a name such as ``</script><script>...`` stays a string."""
    text = json.dumps(value, ensure_ascii=False)
    for char in ("<", ">", "&", "\u2028", "\u2029"):
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


def add_labels(fmap: folium.Map, labels: list[dict[str, Any]]) -> None:
    """Permanent labels (:func:`label_data`) that show where they fit at the current zoom."""
    if not labels:
        return
    root = cast(Any, fmap.get_root())
    root.header.add_child(html_element(LABEL_CSS), name="eldercircle_label_css")
    code = (
        LABEL_JS.replace("__MAP__", fmap.get_name())
        .replace("__FIT__", repr(LABEL_FIT))
        .replace("__DATA__", script_json(labels))
    )
    root.script.add_child(html_element(code), name=f"eldercircle_labels_{fmap.get_name()}")


# --- villages by their own target ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Villages:
    """The villages of a study measured by their own target: per community whether it is a village (``village``)
    and whether a facility of the rule's kinds stands inside it (``has_aid``), and the rule."""

    village: np.ndarray
    has_aid: np.ndarray
    rule: Rule

    @property
    def n(self) -> int:
        """Number of villages."""
        return int(self.village.sum())

    @property
    def ok(self) -> int:
        """Villages with a rural mutual-aid facility."""
        return int((self.village & self.has_aid).sum())


def village_rule(study: Study) -> Rule:
    """The village rule of the study's preset with its overrides (the preset's own when the overrides are wrong:
    the standards check reports those)."""
    try:
        rules = rules_for(study.standards.preset, overrides=study.standards.overrides).rules
    except OptionError:
        try:
            rules = rules_for(study.standards.preset).rules
        except OptionError:
            rules = ()
    return next((r for r in rules if r.id == VILLAGE_RULE), ALL_RULES[VILLAGE_RULE])


def villages_of(study: Study, kinds: pd.Series | None = None) -> Villages | None:
    """The study's villages (kind ``rural``) and which have a rural mutual-aid facility inside (the community
    holding the point, as the standards check counts them); None when it has no village.

    ``kinds`` : the communities' kinds, row for row, when not the study's own (a coverage's ``communities``)."""
    comm = study.communities
    kind = comm["kind"] if kinds is None and "kind" in comm else kinds
    if kind is None:
        return None
    village = (pd.Series(kind).to_numpy(object) == "rural").astype(bool)
    if not village.any():
        return None
    rule = village_rule(study)
    fac = study.facilities
    mine = fac[fac["kind"].isin(list(rule.kinds))] if "kind" in fac else fac.iloc[:0]
    has = np.zeros(len(comm), dtype=bool)
    if len(mine):
        where = locate_facilities(mine, comm)["community"].to_numpy()
        has[where[where >= 0]] = True
    return Villages(village=village, has_aid=has & village, rule=rule)


def village_style(has_aid: bool) -> dict[str, Any]:
    """The Leaflet style of a village by its own target."""
    return dict(VILLAGE_HAS_STYLE if has_aid else VILLAGE_LACKS_STYLE)


def village_swatch(has_aid: bool) -> str:
    """The legend colour of a village by its own target (fill, then its outline as CSS; see
    :func:`planning.maps.layers.swatch_rows`)."""
    style = VILLAGE_HAS_STYLE if has_aid else VILLAGE_LACKS_STYLE
    line = "dashed" if style.get("dashArray") else "solid"
    return f"{style['fillColor']};border:2px {line} {style['color']}"


def village_target_text(villages: Villages, lang: str) -> str:
    """The villages' own target in ``lang``: the share, its citation, and how many villages meet it now."""
    return say(
        "village_target",
        lang,
        share=format_share(villages.rule.value, 0, lang, space=False),
        citation=villages.rule.citation,
        ok=villages.ok,
        n=villages.n,
    )


def outside_villages(cells: gpd.GeoDataFrame, study: Study, villages: Villages | None) -> np.ndarray:
    """Per cell (same CRS as the study) whether its centre lies outside every village: on a map of an urban
    target, the elderly of villages are not a gap and are left off."""
    keep = np.ones(len(cells), dtype=bool)
    if villages is None or not len(cells):
        return keep
    polys = study.communities.geometry.to_numpy()[villages.village]
    tree = shapely.STRtree(polys)
    inside, _ = tree.query(cells.geometry.centroid.to_numpy(), predicate="intersects")
    keep[inside] = False
    return keep

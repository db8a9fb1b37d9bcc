"""The scenario page's maps: a map drawn by streamlit-folium (so a click comes back to the page) that needs no
network, and the small maps of the elderly gained and lost by community.

streamlit-folium's component loads every ``default_js``/``default_css`` link of the map's elements as a
``<script src>``/``<link href>`` and drops the ``<script src>`` and stylesheet links of the page header, so folium's
CDN links would be fetched. :func:`offline_component` points those links at ``data:`` URIs of the xstatic Leaflet
files (nothing leaves the machine); :class:`ComponentBasemap` draws the offline basemap from the map's own script,
the only script the component runs.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Iterator
from typing import Any, cast

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from geo.crs import from_wgs84, to_wgs84
from geo.network import WalkNetwork
from planning.display import format_number
from planning.export import html_text, redact_text
from planning.i18n import kind_label, tr
from planning.maps.base import BASEMAP_COORDS, base_map, display_frame, kind_colour, resolve_basemap
from planning.maps.carto import LABEL_CSS, LABEL_FIT, LABEL_JS, add_labels, label_data, script_json
from planning.maps.layers import add_legend, json_frame
from planning.maps.offline import OfflineBasemap, offline_data
from planning.maps.safe_html import SafeGeoJson, SafeTooltip, TextTooltip, html_element, leaflet_assets
from planning.maps.underlay import basemap_for_study
from planning.scenario.model import Scenario
from planning.study import Study

#: Fill of communities by the change of their elderly within reach: lost, none, gained.
LOST_COLOUR, SAME_COLOUR, GAINED_COLOUR = "#d6604d", "#f7f7f7", "#1a9850"
#: Colours of facilities the scenario adds and closes.
ADDED_COLOUR, CLOSED_COLOUR = "#e6550d", "#777777"


class ComponentBasemap(OfflineBasemap):
    """The offline basemap written into the map's script by a template macro (streamlit-folium runs each element's
    ``script`` macro and nothing else of the page), its style in the page header. Built from
    :func:`planning.maps.offline_data` (which the app keeps between runs: it takes a few tenths of a second)."""

    _template = Template("{% macro script(this, kwargs) %}{{ this.component_script() }}{% endmacro %}")

    def __init__(self, data: dict[str, Any]) -> None:
        MacroElement.__init__(self)
        self._name = "OfflineBasemap"
        self.data = data

    def component_script(self) -> str:
        """The drawing script for the map this element belongs to."""
        return self.script_for(cast(Any, self._parent).get_name())


def basemap_data(
    study: Study, *, network: WalkNetwork | None = None, lang: str = "zh"
) -> dict[str, Any] | None:
    """The study's offline basemap as the map's script draws it (None when the study has none)."""
    drawn = basemap_for_study(study, network=network)
    return None if drawn is None else offline_data(drawn, lang=lang)


class ComponentScript(MacroElement):
    """A script run by streamlit-folium with the map (``__MAP__`` in ``code`` is the map's variable), written as a
    value."""

    _template = Template("{% macro script(this, kwargs) %}{{ this.component_script() }}{% endmacro %}")

    def __init__(self, code: str) -> None:
        super().__init__()
        self._name = "ComponentScript"
        self.code = code

    def component_script(self) -> str:
        """The code for the map this element belongs to."""
        return self.code.replace("__MAP__", cast(Any, self._parent).get_name())


def add_component_labels(fmap: folium.Map, labels: list[dict[str, Any]]) -> None:
    """Community names (:func:`planning.maps.label_data`) for streamlit-folium, as :func:`planning.maps.add_labels`
    draws them."""
    if not labels:
        return
    cast(Any, fmap.get_root()).header.add_child(html_element(LABEL_CSS), name="eldercircle_label_css")
    code = LABEL_JS.replace("__FIT__", repr(LABEL_FIT)).replace("__DATA__", script_json(labels))
    ComponentScript(code).add_to(fmap)


def add_component_basemap(fmap: folium.Map, data: dict[str, Any]) -> None:
    """Draw the offline basemap ``data`` (:func:`basemap_data`) on ``fmap`` for streamlit-folium (see
    :class:`ComponentBasemap`)."""
    element = ComponentBasemap(data)
    element.add_to(fmap)
    cast(Any, fmap.get_root()).header.add_child(
        html_element(element.style_for(fmap.get_name())), name=element.get_name() + "_css"
    )


def _data_uri(media: str, text: str) -> str:
    return f"data:{media};base64," + base64.b64encode(text.encode("utf-8")).decode("ascii")


def _elements(element: Element) -> Iterator[Element]:
    yield element
    for child in element._children.values():
        yield from _elements(child)


def component_links(fmap: folium.Map) -> tuple[list[str], list[str]]:
    """The scripts and stylesheets streamlit-folium would load for ``fmap`` (as it collects them)."""
    js: list[str] = []
    css: list[str] = []
    for element in _elements(fmap):
        if isinstance(element, JSCSSMixin):
            js += [src for _, src in element.default_js]
            css += [href for _, href in element.default_css]
    return list(dict.fromkeys(js)), list(dict.fromkeys(css))


def offline_component(fmap: folium.Map) -> folium.Map:
    """``fmap`` with Leaflet given to streamlit-folium as ``data:`` URIs (from the xstatic package) and no other
    script or stylesheet link, so the component fetches nothing. Only Leaflet core elements work on it."""
    assets = leaflet_assets()
    for element in _elements(fmap):
        if isinstance(element, JSCSSMixin) and element is not fmap:
            element.default_js, element.default_css = [], []
    if assets is None:  # the package is missing: Leaflet from its CDN, nothing else
        fmap.default_js = [js for js in fmap.default_js if js[0] == "leaflet"]
        fmap.default_css = [css for css in fmap.default_css if css[0] == "leaflet_css"]
        return fmap
    js, css = assets
    fmap.default_js = [("leaflet", _data_uri("text/javascript", js))]
    fmap.default_css = [("leaflet_css", _data_uri("text/css", css))]
    return fmap


def scenario_facilities(study: Study, scenario: Scenario, *, lang: str = "zh") -> gpd.GeoDataFrame:
    """The study's facilities and the scenario's added ones (``added`` true; unnamed ones called new facility 1,
    2, ...) in lon/lat, changed beds, floor areas and kinds applied; closed ones stay (the map draws them grey)."""
    own = study.facilities.to_crs(4326)
    rows = own[[c for c in ("name", "kind", "beds", "floor_area_m2", "geometry") if c in own]].copy()
    rows["name"] = rows["name"].astype(str)
    for change in scenario.changed:
        hit = rows["name"] == change.name
        for column, value in (
            ("beds", change.beds),
            ("floor_area_m2", change.floor_area_m2),
            ("kind", change.kind),
        ):
            if value is not None:
                rows.loc[hit, column] = value
    rows["added"] = False
    if not scenario.added:
        return rows.reset_index(drop=True)
    lon, lat = to_wgs84(
        np.array([a.lon for a in scenario.added]),
        np.array([a.lat for a in scenario.added]),
        coords=scenario.coords,
    )
    new = gpd.GeoDataFrame(
        {
            "name": [
                a.name or tr("scp_new_site", lang).format(n=i + 1) for i, a in enumerate(scenario.added)
            ],
            "kind": [a.kind for a in scenario.added],
            "beds": [np.nan if a.beds is None else a.beds for a in scenario.added],
            "floor_area_m2": [np.nan if a.floor_area_m2 is None else a.floor_area_m2 for a in scenario.added],
            "added": True,
        },
        geometry=gpd.points_from_xy(lon, lat),
        crs=4326,
    )
    return gpd.GeoDataFrame(pd.concat([rows, new], ignore_index=True), crs=4326)


def map_positions(facilities: gpd.GeoDataFrame, *, basemap: str) -> list[tuple[float, float]]:
    """Where each facility is drawn on a map with ``basemap``: (lat, lon) as the map returns a click on it."""
    xs, ys = _points(facilities, basemap)
    return [(float(y), float(x)) for x, y in zip(xs, ys, strict=True)]


def facility_at(
    positions: list[tuple[float, float]], lat: float, lon: float, *, tol_deg: float = 1e-6
) -> int | None:
    """The index of the facility drawn at (``lat``, ``lon``) (a click on its marker returns its position), or None."""
    for i, (y, x) in enumerate(positions):
        if abs(y - lat) <= tol_deg and abs(x - lon) <= tol_deg:
            return i
    return None


def click_position(lat: float, lon: float, *, basemap: str, coords: str) -> tuple[float, float]:
    """A click on a map with ``basemap`` as (lon, lat) in the system ``coords`` (a scenario's)."""
    drawn = BASEMAP_COORDS[basemap]
    if drawn == coords:
        return float(lon), float(lat)
    x, y = to_wgs84(float(lon), float(lat), coords=drawn)
    x, y = from_wgs84(x, y, coords=coords)
    return float(x), float(y)


def _points(frame: gpd.GeoDataFrame, basemap: str) -> tuple[np.ndarray, np.ndarray]:
    shown = display_frame(frame[["geometry"]], basemap=basemap)
    return shown.geometry.x.to_numpy(float), shown.geometry.y.to_numpy(float)


def _facility_tip(name: str, kind: str, beds: float, floor: float, lang: str, *, state: str = "") -> str:
    lines = [f"<b>{html_text(redact_text(name))}</b>", html_text(kind_label(kind, lang))]
    if state:
        lines.append(html_text(state))
    if np.isfinite(beds):
        lines.append(f"{html_text(tr('beds', lang))}: {format_number(beds, groups=',')}")
    if np.isfinite(floor):
        lines.append(f"{html_text(tr('floor_area_m2', lang))}: {format_number(floor, groups=',')}")
    return "<br>".join(lines)


def _column(frame: pd.DataFrame, name: str) -> np.ndarray:
    return frame[name].to_numpy(float) if name in frame else np.full(len(frame), np.nan)


def facilities_layer(
    facilities: gpd.GeoDataFrame,
    *,
    closed: Iterable[str] = (),
    lang: str = "zh",
    basemap: str = "none",
) -> folium.FeatureGroup:
    """Every facility as a clickable dot (one marker each, so a click names it): the study's by kind colour, the
    closed ones grey, the ones ``facilities`` holds with ``added`` true orange and larger."""
    shut = set(closed)
    xs, ys = _points(facilities, basemap)
    added = facilities["added"].to_numpy(bool) if "added" in facilities else np.zeros(len(facilities), bool)
    beds, floor = _column(facilities, "beds"), _column(facilities, "floor_area_m2")
    group = folium.FeatureGroup(name=tr("scp_facilities", lang))
    for i, (name, kind) in enumerate(
        zip(facilities["name"].astype(str), facilities["kind"].astype(str), strict=True)
    ):
        is_closed = name in shut
        colour = CLOSED_COLOUR if is_closed else ADDED_COLOUR if added[i] else kind_colour(kind)
        state = tr("scp_state_closed", lang) if is_closed else tr("scp_state_added", lang) if added[i] else ""
        folium.CircleMarker(
            [float(ys[i]), float(xs[i])],
            radius=9 if added[i] else 7,
            color="#222222" if added[i] else "#ffffff",
            weight=2 if added[i] else 1.5,
            fill=True,
            fill_color=colour,
            fill_opacity=0.5 if is_closed else 0.95,
            tooltip=SafeTooltip(_facility_tip(name, kind, beds[i], floor[i], lang, state=state)),
        ).add_to(group)
    return group


def _mixed(colour: str, strength: float) -> str:
    """``colour`` mixed into the pale base by ``strength`` (0: the base, 1: the colour)."""
    base = np.array([0xF7, 0xF7, 0xF7], float)
    target = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], float)
    rgb = np.round(base + (target - base) * strength).astype(int)
    return "#" + "".join(f"{c:02x}" for c in rgb)


def change_colours(change: np.ndarray) -> list[str]:
    """The fill of each community by the change of its elderly within reach (gained green, lost red, pale none),
    stronger with the size of the change."""
    values = np.nan_to_num(np.asarray(change, float))
    top = float(np.abs(values).max()) if values.size else 0.0
    return [
        SAME_COLOUR
        if abs(v) < 0.5 or top <= 0
        else _mixed(GAINED_COLOUR if v > 0 else LOST_COLOUR, 0.35 + 0.65 * min(abs(v) / top, 1.0))
        for v in values
    ]


def change_layer(
    communities: gpd.GeoDataFrame, change: np.ndarray, *, lang: str, basemap: str
) -> folium.FeatureGroup:
    """Communities shaded by the change of their elderly within reach (``change``, one value per community)."""
    comm = communities[["name", "street", "geometry"]].copy()
    comm["change"] = np.round(np.nan_to_num(np.asarray(change, float)), 0)
    comm["_fill"] = change_colours(comm["change"].to_numpy(float))
    group = folium.FeatureGroup(name=tr("scp_change_layer", lang))
    SafeGeoJson(
        json_frame(display_frame(comm, basemap=basemap)).__geo_interface__,
        name=tr("scp_change_layer", lang),
        style_function=lambda f: {
            "fillColor": f["properties"]["_fill"],
            "color": "#888888",
            "weight": 1,
            "fillOpacity": 0.6,
        },
        tooltip=TextTooltip(
            fields=["name", "street", "change"],
            aliases=[tr("community", lang), tr("street", lang), tr("scp_change_elderly", lang)],
        ),
    ).add_to(group)
    return group


def scenario_map(
    study: Study,
    facilities: gpd.GeoDataFrame,
    change: np.ndarray | None,
    *,
    closed: Iterable[str] = (),
    lang: str = "zh",
    basemap: str | None = None,
    tianditu_key: str = "",
    network: WalkNetwork | None = None,
    interactive: bool = True,
    underlay: dict[str, Any] | None = None,
    dynamic: list[folium.FeatureGroup] | None = None,
) -> folium.Map:
    """The scenario's map: communities shaded by the elderly gained and lost (``change``: one value per community,
    None before any edit), every facility of the scenario (``facilities``: the study's and the added ones, with an
    ``added`` column; ``closed`` names drawn grey), the offline basemap under it.

    ``interactive``: for streamlit-folium (:func:`offline_component`, the basemap in the map's script); else a map
    for :func:`planning.maps.map_html`. ``underlay``: the offline basemap's :func:`basemap_data` when already made.
    ``dynamic``: a list that receives the scenario's layers (the change and the facilities) instead of the map, for
    streamlit-folium's ``feature_group_to_add``: a new scenario then redraws those layers, not the map.
    """
    choice = resolve_basemap(study, basemap, network=network)
    fmap = base_map(
        study,
        basemap="none" if choice == "offline" and interactive else choice,
        tianditu_key=tianditu_key,
        lang=lang,
        network=network,
    )
    if choice == "offline" and interactive:
        data = underlay if underlay is not None else basemap_data(study, network=network, lang=lang)
        if data is not None:
            add_component_basemap(fmap, data)
    layers = [facilities_layer(facilities, closed=closed, lang=lang, basemap=choice)]
    if change is not None:
        layers.insert(0, change_layer(study.communities, change, lang=lang, basemap=choice))
    for layer in layers if dynamic is None else ():
        layer.add_to(fmap)
    if dynamic is not None:  # drawn by streamlit-folium over the map, which then stays as it is
        dynamic.extend(layers)
    labels = label_data(study.communities, basemap=choice)
    if interactive:
        add_component_labels(fmap, labels)
    else:
        add_labels(fmap, labels)
    add_legend(
        fmap,
        lang=lang,
        kinds=None,  # every kind: the legend stays as it is while the scenario's layers change
        extra=[
            ("dot", ADDED_COLOUR, tr("scp_state_added", lang)),
            ("dot", CLOSED_COLOUR, tr("scp_state_closed", lang)),
            ("square", GAINED_COLOUR, tr("scp_gained", lang)),
            ("square", LOST_COLOUR, tr("scp_lost", lang)),
        ],
    )
    return offline_component(fmap) if interactive else fmap

"""Folium maps of a study: the same builders serve the app and the standalone HTML exports.

Maps are drawn in WGS84 lon/lat. A synthetic study gets no basemap tiles (its streets are invented).
"""

from __future__ import annotations

import html

import branca.colormap as cm
import folium
import geopandas as gpd
import numpy as np

from planning.i18n import kind_label, tr
from planning.schema import FACILITY_KINDS
from planning.study import Study

#: One colour per facility kind (folium.Icon colour names and hex for legends).
KIND_COLOURS: dict[str, tuple[str, str]] = {
    "street_centre": ("darkred", "#a23336"),
    "day_care": ("blue", "#38aadd"),
    "embedded_home": ("purple", "#d252b9"),
    "nursing_home": ("darkpurple", "#5b396b"),
    "meal_point": ("orange", "#f69730"),
    "rural_mutual_aid": ("green", "#72b026"),
    "health_centre": ("red", "#d63e2a"),
}
KIND_ICONS: dict[str, str] = {
    "street_centre": "home", "day_care": "sun", "embedded_home": "bed", "nursing_home": "hospital",
    "meal_point": "cutlery", "rural_mutual_aid": "leaf", "health_centre": "plus",
}


def base_map(study: Study, *, basemap: str | None = None) -> folium.Map:
    """An empty map framed on the study. ``basemap``: ``none`` or ``osm``; default none for synthetic studies."""
    bounds = study.communities.to_crs(4326).total_bounds
    choice = basemap or ("none" if study.synthetic else "osm")
    fmap = folium.Map(tiles=None, control_scale=True, prefer_canvas=True)
    if choice == "osm":
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap", attr="© OpenStreetMap contributors").add_to(fmap)
    fmap.fit_bounds([[bounds[1], bounds[0]], [bounds[3], bounds[2]]])
    return fmap


def overview_map(study: Study, *, lang: str = "zh", basemap: str | None = None,
                 show_points: bool = True) -> folium.Map:
    """Communities shaded by elderly density, the elder-density layer, and facilities by kind with a legend."""
    fmap = base_map(study, basemap=basemap)
    comm = study.communities.copy()
    area_ha = comm.geometry.area.to_numpy() / 10_000.0
    comm["density"] = np.round(comm["elderly"].to_numpy(float) / np.maximum(area_ha, 1e-9), 1)
    comm = comm.to_crs(4326)
    comm["geometry"] = comm.geometry.simplify(0.00002)
    vmax = float(np.nanpercentile(comm["density"], 95)) if len(comm) else 1.0
    cmap = cm.LinearColormap(["#fff5eb", "#fd8d3c", "#7f2704"], vmin=0.0, vmax=max(vmax, 1.0),
                             caption=tr("elder_density", lang))
    data = comm[["name", "street", "population", "elderly", "density", "geometry"]].copy()
    data["street"] = data["street"].fillna("")
    folium.GeoJson(
        data.__geo_interface__,
        name=tr("elder_density", lang),
        style_function=lambda f: {"fillColor": cmap(min(f["properties"]["density"], cmap.vmax)),
                                  "color": "#555", "weight": 1, "fillOpacity": 0.6},
        tooltip=folium.GeoJsonTooltip(fields=["name", "street", "population", "elderly", "density"],
                                      aliases=[tr("community", lang), tr("street", lang), tr("population", lang),
                                               tr("elderly", lang), tr("elder_density", lang)]),
    ).add_to(fmap)
    cmap.add_to(fmap)
    if show_points and study.population is not None and len(study.population):
        pts = study.population.to_crs(4326)[["elderly", "geometry"]].copy()
        emax = float(np.nanmax(pts["elderly"])) or 1.0
        pts["r"] = np.round(1.5 + 4.0 * np.sqrt(np.clip(pts["elderly"].to_numpy(float), 0, None) / emax), 1)
        group = folium.FeatureGroup(name=tr("elder_points", lang), show=False)
        folium.GeoJson(
            pts.__geo_interface__,
            marker=folium.CircleMarker(radius=2, weight=0, fill=True, fill_color="#7f2704", fill_opacity=0.5),
            style_function=lambda f: {"radius": f["properties"]["r"]},
            tooltip=folium.GeoJsonTooltip(fields=["elderly"], aliases=[tr("elderly", lang)]),
        ).add_to(group)
        group.add_to(fmap)
    add_facilities(fmap, study.facilities, lang=lang)
    folium.LayerControl(collapsed=False).add_to(fmap)
    add_legend(fmap, lang=lang)
    return fmap


def add_facilities(fmap: folium.Map, facilities: gpd.GeoDataFrame, *, lang: str = "zh") -> None:
    """Facilities as one layer per kind, coloured icons with a tooltip of public attributes."""
    fac = facilities.to_crs(4326)
    for kind in FACILITY_KINDS:
        sub = fac[fac["kind"] == kind]
        if sub.empty:
            continue
        colour, _ = KIND_COLOURS[kind]
        group = folium.FeatureGroup(name=f"{kind_label(kind, lang)} ({len(sub)})")
        for _, row in sub.iterrows():
            tip = f"<b>{html.escape(str(row['name']))}</b><br>{html.escape(kind_label(kind, lang))}"
            if np.isfinite(row.get("floor_area_m2", np.nan)):
                tip += f"<br>{tr('floor_area_m2', lang)}: {row['floor_area_m2']:,.0f}"
            if np.isfinite(row.get("beds", np.nan)):
                tip += f"<br>{tr('beds', lang)}: {row['beds']:,.0f}"
            folium.Marker([row.geometry.y, row.geometry.x], tooltip=tip,
                          icon=folium.Icon(color=colour, icon=KIND_ICONS[kind], prefix="fa")).add_to(group)
        group.add_to(fmap)


def add_legend(fmap: folium.Map, *, lang: str = "zh") -> None:
    """A fixed legend of facility kinds."""
    rows = "".join(
        f'<div><span style="display:inline-block;width:12px;height:12px;border-radius:6px;background:{hexc};'
        f'margin-right:6px"></span>{html.escape(kind_label(k, lang))}</div>'
        for k, (_, hexc) in KIND_COLOURS.items()
    )
    box = (f'<div style="position:fixed;bottom:24px;left:12px;z-index:9999;background:white;padding:8px 10px;'
           f'border:1px solid #999;border-radius:4px;font-size:12px"><b>{html.escape(tr("legend", lang))}</b>{rows}</div>')
    fmap.get_root().html.add_child(folium.Element(box))

"""The map of where the elderly were placed: one dot per placed point (a residential building, a land-use or grid
cell), sized by the elderly it holds and coloured by how it was placed, over the community outlines.

The points are derived positions, never people: the map is for the analyst checking the placement (the Data page),
and no export writes them as if they were residents.
"""

from __future__ import annotations

from typing import Any, cast

import folium
import geopandas as gpd
import numpy as np

from geo.network import WalkNetwork
from planning.i18n import tr
from planning.maps.base import base_map, display_frame, resolve_basemap
from planning.maps.layers import add_outlines, legend_box, point_collection
from planning.maps.safe_html import SafeGeoJson, TextTooltip
from planning.study import Study

#: The colour of each placement method (Okabe-Ito: told apart with the common colour-vision deficiencies).
PLACEMENT_COLOURS: dict[str, str] = {
    "layer": "#7f2704",
    "buildings": "#0072B2",
    "landuse": "#E69F00",
    "grid": "#CC79A7",
}


def placement_map(
    study: Study,
    demand: gpd.GeoDataFrame,
    *,
    lang: str = "zh",
    basemap: str | None = None,
    tianditu_key: str = "",
    network: WalkNetwork | None = None,
) -> folium.Map:
    """The placed demand points over the communities, coloured by ``placed_by``, with a legend of the methods.

    Parameters
    ----------
    study : the study (its communities frame the map).
    demand : demand points with ``elderly`` and ``placed_by`` (:func:`planning.coverage.demand_points_notes`).
    lang : label language.
    basemap, tianditu_key : as for :func:`planning.maps.base_map`.
    """
    choice = resolve_basemap(study, basemap, network=network)
    fmap = base_map(study, basemap=choice, tianditu_key=tianditu_key, lang=lang, network=network)
    add_outlines(study, fmap, lang=lang, basemap=choice)
    pts = display_frame(demand[["elderly", "placed_by", "geometry"]], basemap=choice)
    weight = np.clip(np.nan_to_num(pts["elderly"].to_numpy(float)), 0, None)
    top = float(weight.max()) if weight.size and weight.max() > 0 else 1.0
    radius = np.round(1.5 + 5.0 * np.sqrt(weight / top), 1)
    methods = [str(m) for m in pts["placed_by"]]
    SafeGeoJson(
        point_collection(
            pts.geometry.x.to_numpy(),
            pts.geometry.y.to_numpy(),
            {
                "elderly": np.round(weight, 1).tolist(),
                "method": [tr(f"placed_by_{m}", lang) for m in methods],
                "r": radius.tolist(),
                "c": [PLACEMENT_COLOURS.get(m, "#777777") for m in methods],
            },
        ),
        name=tr("placement_points", lang),
        marker=folium.CircleMarker(radius=2, weight=0, fill=True, fill_opacity=0.7),
        style_function=lambda f: {"radius": f["properties"]["r"], "fillColor": f["properties"]["c"]},
        tooltip=TextTooltip(
            fields=["elderly", "method"], aliases=[tr("elderly", lang), tr("placed_by", lang)]
        ),
    ).add_to(fmap)
    present = [m for m in PLACEMENT_COLOURS if m in set(methods)]
    rows = [("dot", PLACEMENT_COLOURS[m], tr(f"placed_by_{m}", lang)) for m in present]
    cast(Any, fmap.get_root()).html.add_child(legend_box(tr("placed_by", lang), rows))
    folium.LayerControl(collapsed=True).add_to(fmap)
    return fmap

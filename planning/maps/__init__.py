"""Folium maps of a study: the same builders serve the app and the standalone HTML exports.

- :mod:`~planning.maps.safe_html`: folium elements that never evaluate user text as a template (``Safe*``,
  :class:`TextTooltip`, :func:`html_element`) and a map as one HTML document that opens offline (:func:`map_html`,
  :func:`standalone_html`).
- :mod:`~planning.maps.base`: basemaps (offline, none, OpenStreetMap, Amap in GCJ-02, Tianditu), :func:`base_map`
  framed on the study, :func:`display_frame` (simplified, lon/lat, shifted to the basemap's coordinates).
- :mod:`~planning.maps.underlay`: the offline basemap of a study (:func:`basemap_for_study`: its own OSM file or
  its network's streets, cut to its area), drawn under every map when no tiles are asked for.
- :mod:`~planning.maps.carto`: cartography shared by the maps: service bands as rings, labels where they fit,
  villages styled by their own target (mutual aid) on urban-kind maps.
- :mod:`~planning.maps.offline`: that basemap drawn on a web map with Leaflet core (:func:`add_offline_basemap`:
  its own pane under the data, canvas, streets by zoom, names that never overlap), nothing fetched.
- :mod:`~planning.maps.layers`: layers and legends drawn on a base map (outlines, elder density, facilities).
- :mod:`~planning.maps.demand_map`: where the elderly were placed (:func:`placement_map`), for the Data page.
- :mod:`~planning.maps.page_maps`: the maps of the app's pages (overview, coverage, standards, siting).

The maps use Leaflet core and Leaflet.markercluster only (no icon fonts, jQuery, Bootstrap or d3), and
:func:`map_html` inlines both (from the xstatic packages) so a map works with no CDN in reach; only basemap tiles
come from outside, and only when online tiles are chosen.
"""

from planning.maps.base import (
    AMAP_TILES,
    BAND_COLOURS,
    BASEMAP_COORDS,
    BASEMAPS,
    DISPLAY_TOLERANCE_M,
    FIT_PADDING_PX,
    KIND_COLOURS,
    OKABE_ITO,
    OTHER_KIND_COLOUR,
    TIANDITU_TILES,
    ZOOM_SNAP,
    base_map,
    check_basemap,
    clean_tianditu_key,
    display_frame,
    kind_colour,
    resolve_basemap,
)
from planning.maps.carto import (
    URBAN_KINDS,
    VILLAGE_COLOUR,
    VILLAGE_HAS_STYLE,
    VILLAGE_LACKS_STYLE,
    Villages,
    add_labels,
    band_fill_opacity,
    band_rings,
    band_style,
    label_data,
    outside_villages,
    village_style,
    village_swatch,
    village_target_text,
    villages_of,
)
from planning.maps.classes import (
    GREENS,
    ORANGES,
    REDS,
    class_breaks,
    class_colours,
    class_index,
    class_labels,
)
from planning.maps.demand_map import PLACEMENT_COLOURS, placement_map
from planning.maps.layers import (
    CLUSTER_MIN_MARKERS,
    add_density,
    add_facilities,
    add_gradient_legend,
    add_legend,
    add_outlines,
    json_frame,
    legend_box,
    point_collection,
)
from planning.maps.offline import OfflineBasemap, add_offline_basemap, offline_data, script_json
from planning.maps.page_maps import coverage_map, failing_units, overview_map, siting_map, standards_map
from planning.maps.safe_html import (
    LeafletMap,
    SafeFastMarkerCluster,
    SafeGeoJson,
    SafeTooltip,
    TextTooltip,
    html_element,
    leaflet_assets,
    map_html,
    standalone_html,
)
from planning.maps.underlay import BASEMAP_MARGIN_M, Basemap, basemap_for_study, has_basemap

__all__ = [
    "AMAP_TILES",
    "BAND_COLOURS",
    "BASEMAPS",
    "BASEMAP_COORDS",
    "BASEMAP_MARGIN_M",
    "CLUSTER_MIN_MARKERS",
    "DISPLAY_TOLERANCE_M",
    "FIT_PADDING_PX",
    "GREENS",
    "KIND_COLOURS",
    "OKABE_ITO",
    "ORANGES",
    "OTHER_KIND_COLOUR",
    "PLACEMENT_COLOURS",
    "REDS",
    "TIANDITU_TILES",
    "URBAN_KINDS",
    "VILLAGE_COLOUR",
    "VILLAGE_HAS_STYLE",
    "VILLAGE_LACKS_STYLE",
    "ZOOM_SNAP",
    "Basemap",
    "LeafletMap",
    "OfflineBasemap",
    "SafeFastMarkerCluster",
    "SafeGeoJson",
    "SafeTooltip",
    "TextTooltip",
    "Villages",
    "add_density",
    "add_facilities",
    "add_gradient_legend",
    "add_labels",
    "add_legend",
    "add_offline_basemap",
    "add_outlines",
    "band_fill_opacity",
    "band_rings",
    "band_style",
    "base_map",
    "basemap_for_study",
    "check_basemap",
    "class_breaks",
    "class_colours",
    "class_index",
    "class_labels",
    "clean_tianditu_key",
    "coverage_map",
    "display_frame",
    "failing_units",
    "has_basemap",
    "html_element",
    "json_frame",
    "kind_colour",
    "label_data",
    "leaflet_assets",
    "legend_box",
    "map_html",
    "offline_data",
    "outside_villages",
    "overview_map",
    "placement_map",
    "point_collection",
    "resolve_basemap",
    "script_json",
    "siting_map",
    "standalone_html",
    "standards_map",
    "village_style",
    "village_swatch",
    "village_target_text",
    "villages_of",
]

"""The offline basemap of a study: its own OpenStreetMap file (or its network's streets) cut to the study's area.

:func:`basemap_for_study` is what every map draws under the data when no tiles are asked for: the web maps
(:mod:`planning.maps.base`) and the print sheets (:mod:`planning.report`). The OSM file is read once and kept in
the disk cache (:func:`geo.cache.cached_basemap`).
"""

from __future__ import annotations

from geo.basemap import Basemap, basemap_from_network, is_osm_basemap_source
from geo.cache import cached_basemap
from geo.errors import NetworkError
from geo.network import WalkNetwork
from planning.progress import Progress, silent
from planning.study import Study

#: How far beyond the communities' bounding box the basemap reaches, metres (so the streets around the edge of
#: the study are seen, without drawing a whole city's extract).
BASEMAP_MARGIN_M = 1500.0


def has_basemap(study: Study, *, network: WalkNetwork | None = None) -> bool:
    """Whether the study has an offline basemap to draw: its network source is an OSM file (XML, bz2 or PBF), or
    its ``network`` is given (whose streets are drawn)."""
    if network is not None:
        return True
    try:
        return is_osm_basemap_source(study.network_source_path())
    except NetworkError:  # a source outside a confined study: no basemap (loading the network says why)
        return False


def basemap_for_study(
    study: Study, *, network: WalkNetwork | None = None, progress: Progress | None = None
) -> Basemap | None:
    """The study's offline basemap in its CRS, cut to its area (communities' bounds plus :data:`BASEMAP_MARGIN_M`).

    Parameters
    ----------
    study : the study; its ``[network] source`` is read when it is an OSM file (XML, bz2 or PBF).
    network : the study's walking network, drawn as the streets when the source is not an OSM file (centrelines,
        GraphML); None leaves such a study without a basemap.
    progress : optional callback; an OSM file that cannot be read is said here (the maps are then drawn without
        a basemap rather than not at all).

    Returns
    -------
    Basemap or None
        None when the study has neither an OSM file nor a network given.
    """
    step = progress or silent
    source = study.network_source_path()
    basemap: Basemap | None = None
    if is_osm_basemap_source(source):
        try:
            basemap = cached_basemap(str(source), crs=study.crs, progress=progress)
        except NetworkError as exc:
            step(1.0, exc.message or str(exc))
    if basemap is None and network is not None:
        basemap = basemap_from_network(network)
    if basemap is None:
        return None
    minx, miny, maxx, maxy = (float(v) for v in study.communities.total_bounds)
    m = BASEMAP_MARGIN_M
    return basemap.clipped((minx - m, miny - m, maxx + m, maxy + m))

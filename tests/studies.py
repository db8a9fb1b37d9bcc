"""Studies built in memory for tests: the layers a test gives, every other field of
:class:`planning.study.Study` at the value an empty, synthetic study has."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd

from planning.settings import NetworkSettings, StandardsSettings
from planning.study import Study


def frames_study(communities: gpd.GeoDataFrame, facilities: gpd.GeoDataFrame, **fields: Any) -> Study:
    """A :class:`Study` of ``communities`` and ``facilities`` in their CRS; ``fields`` set any other field
    (``candidates``, ``population``, ``network``, ``name`` …)."""
    defaults: dict[str, Any] = {
        "folder": Path("tiny"),
        "name": "tiny",
        "name_en": "tiny",
        "synthetic": True,
        "data_date": "",
        "sources": (),
        "coords": "wgs84",
        "crs": communities.crs,
        "candidates": None,
        "population": None,
        "network": NetworkSettings(source=None),
        "standards": StandardsSettings(),
        "findings": (),
        "rejected": {},
        "layer_sources": {},
    }
    return Study(communities=communities, facilities=facilities, **(defaults | fields))

"""The reports' words beyond the catalogue (:mod:`planning.i18n` holds their sentences): the OpenStreetMap
attribution rule and the reasons of the siting frames in the report's language."""

from __future__ import annotations

import pandas as pd

from planning.study import Study

#: Network sources that are OpenStreetMap data (they need the attribution on published maps).
OSM_SUFFIXES = (".osm", ".osm.pbf", ".pbf", ".osm.bz2", ".osm.xml")


def uses_osm(study: Study) -> bool:
    """True when the walking network is OpenStreetMap data (a synthetic study's OSM-format file is not)."""
    src = (study.network.source or "").lower()
    return not study.synthetic and (src.startswith("place:") or src.endswith(OSM_SUFFIXES))


def reason_in(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A copy of a siting frame with one ``reason`` column in ``lang`` (the frames carry ``reason`` in English and
    ``reason_zh`` in Chinese)."""
    out = frame.copy()
    if "reason_zh" not in out:
        return out
    if lang == "en":
        return out.drop(columns="reason_zh")
    out["reason"] = out["reason_zh"].where(out["reason_zh"].notna() & (out["reason_zh"] != ""), out["reason"])
    return out.drop(columns="reason_zh")

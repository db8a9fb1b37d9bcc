"""A coverage run as plain records: JSON-ready tables (cleaned by :func:`planning.export.json_records`) and the demand
points' table."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.errors import OptionError
from geo.files import atomic_path, atomic_write
from planning.coverage.result import CoverageResult
from planning.export import PersonalNote, csv_bytes, json_records, strip_personal
from planning.i18n import message


def coverage_json(result: CoverageResult) -> dict:
    """JSON-ready coverage: totals per kind and band, per-community and per-street rows, gaps, notes."""
    totals: dict[str, dict] = {}
    for kind in result.kinds:
        sub = result.totals[result.totals["kind"] == kind]
        totals[kind] = {
            f"{int(r.band_min)}min": {
                "elderly_total": float(r.elderly_total),
                "elderly_covered": float(r.elderly_covered),
                "share": float(r.share),
            }
            for r in sub.itertuples()
        }
    return {
        "minutes": list(result.minutes),
        "kinds": list(result.kinds),
        "walk_speed_m_s": result.walk_speed_m_s,
        "totals": totals,
        "communities": json_records(result.communities),
        "streets": json_records(result.streets),
        "daycare_gaps": json_records(result.daycare_gaps),
        "access_beds_per_1000_elderly": json_records(result.access),
        "far_points": json_records(result.far_points),
        "notes": list(result.notes),
        "notes_zh": result.notes_in("zh"),
    }


def points_frame(result: CoverageResult) -> gpd.GeoDataFrame:
    """Every demand point with its id, elderly weight, how it was placed (``placed_by``: a point of the population
    layer, or an estimate placed in a building, on residential land or on a grid) and walking seconds to the
    nearest facility of each kind."""
    cols = ["id", "elderly", "placed_by", "community_name", "street", "far"] + [
        result.time_column(k) for k in result.kinds
    ]
    return result.demand[[*cols, "geometry"]].copy()


def points_table(points: gpd.GeoDataFrame) -> pd.DataFrame:
    """``points`` (e.g. :func:`points_frame`) as a plain table: the geometry replaced by WGS84 ``lon`` and ``lat``
    (seven decimals, about 1 cm), for CSV files."""
    wgs84 = points.to_crs(4326)
    return points.drop(columns="geometry").assign(
        lon=wgs84.geometry.x.round(7), lat=wgs84.geometry.y.round(7)
    )


def write_points(points: gpd.GeoDataFrame, path: str | Path) -> list[PersonalNote]:
    """Write demand points (:func:`points_frame`) as CSV or GeoPackage, atomically, personal data left out; returns
    what was left out (:class:`planning.export.PersonalNote`).

    Raises
    ------
    OptionError
        A file name that ends in neither ``.csv`` nor ``.gpkg``.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in (".csv", ".gpkg"):
        raise OptionError(message("err_points_format", path=str(path)))
    keep = ("community_name", "street")
    clean, notes = strip_personal(points, layer="demand_points", keep=keep)
    if suffix == ".csv":
        atomic_write(
            target, csv_bytes(points_table(clean), layer="demand_points", encoding="utf-8", keep=keep)
        )
    else:
        with atomic_path(target) as tmp:
            clean.to_file(tmp, layer="demand_points", driver="GPKG")
    return notes

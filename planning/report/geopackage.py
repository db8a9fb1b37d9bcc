"""The GeoPackage: every result layer in the study CRS, without personal columns."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pyogrio

from planning.coverage import CoverageResult, uncovered_density
from planning.export import strip_personal
from planning.report.options import check_coverage
from planning.report.privacy import EXPORT_KEEP
from planning.siting import SitingResult
from planning.study import Study


def _export_frame(frame: gpd.GeoDataFrame, layer: str, keep: Any = None) -> gpd.GeoDataFrame:
    """A result layer without personal columns: ``keep`` the columns that stay (default: all, cleaned)."""
    out, _ = strip_personal(frame, layer=layer, keep=frame.columns if keep is None else keep)
    return out


def result_layers(
    study: Study,
    coverage: CoverageResult,
    circles: gpd.GeoDataFrame | None,
    siting: SitingResult | None = None,
    *,
    cell_m: float = 200.0,
) -> dict[str, gpd.GeoDataFrame]:
    """Every result layer (study CRS), by GeoPackage layer name.

    ``service_circles``; ``communities_coverage`` (polygons with every coverage column and bed access);
    ``streets_coverage`` (communities dissolved per street); ``facilities``; ``uncovered_<kind>`` (elderly beyond
    the largest band, summed on a ``cell_m`` grid); and for a siting run ``siting_sites`` (chosen, with marginal
    gains), ``siting_candidates`` and ``siting_communities`` (polygons with before/after).

    No layer carries personal data: columns of the facilities and candidates recognised as personal are left out,
    ID-card and phone numbers inside the columns kept are replaced (:func:`planning.report.personal_notes` lists them).
    """
    cov = check_coverage(study, coverage)
    crs = study.crs
    layers: dict[str, gpd.GeoDataFrame] = {}
    if circles is not None and len(circles):
        layers["service_circles"] = gpd.GeoDataFrame(
            circles.reset_index(drop=True), geometry="geometry", crs=crs
        )
    comm = cov.communities.copy()
    for col in cov.access.columns:
        if col.startswith("beds_per_1000"):
            comm[col] = cov.access[col].to_numpy()
    layers["communities_coverage"] = gpd.GeoDataFrame(
        comm, geometry=study.communities.geometry.to_numpy(), crs=crs
    )
    street_key = cov.communities["street"].fillna("(no street)").to_numpy(object)
    st = gpd.GeoDataFrame({"street": street_key}, geometry=study.communities.geometry.to_numpy(), crs=crs)
    st = st.dissolve(by="street", sort=True).reset_index()
    layers["streets_coverage"] = gpd.GeoDataFrame(
        cov.streets.set_index("street").reindex(st["street"]).reset_index(),
        geometry=st.geometry.to_numpy(),
        crs=crs,
    )
    fac = study.facilities.drop(columns=[c for c in ("_row",) if c in study.facilities])
    layers["facilities"] = gpd.GeoDataFrame(fac.reset_index(drop=True), geometry="geometry", crs=crs)
    for kind in cov.kinds:
        dens = uncovered_density(cov, kind, cell_m=cell_m)
        if len(dens):
            layers[f"uncovered_{kind}"] = dens.reset_index(drop=True)
    if siting is not None:
        layers["siting_sites"] = gpd.GeoDataFrame(
            siting.sites.reset_index(drop=True), geometry="geometry", crs=crs
        )
        cands = siting.candidates.copy()
        layers["siting_candidates"] = gpd.GeoDataFrame(
            cands.reset_index(drop=True), geometry="geometry", crs=crs
        )
        layers["siting_communities"] = gpd.GeoDataFrame(
            siting.communities.reset_index(drop=True), geometry=study.communities.geometry.to_numpy(), crs=crs
        )
    keep = {"facilities": EXPORT_KEEP["facilities"], "siting_candidates": EXPORT_KEEP["candidates"]}
    return {name: _export_frame(frame, name, keep.get(name)) for name, frame in layers.items()}


def layers_gpkg_bytes(
    study: Study,
    coverage: CoverageResult,
    circles: gpd.GeoDataFrame | None,
    siting: SitingResult | None = None,
) -> bytes:
    """A GeoPackage holding :func:`result_layers`, as bytes (for a download or :func:`planning.report.write_report`)."""
    layers = result_layers(study, coverage, circles, siting)
    with tempfile.TemporaryDirectory(prefix="eldercircle-gpkg-") as tmp:
        path = Path(tmp) / "layers.gpkg"
        for name, frame in layers.items():
            out = frame.copy()
            for col in out.columns:
                if col != out.geometry.name and out[col].dtype == object:
                    out[col] = out[col].map(
                        lambda v: (
                            None
                            if v is None or (isinstance(v, float) and np.isnan(v))
                            else str(v)
                            if not isinstance(v, (bool, np.bool_))
                            else v
                        )
                    )
            pyogrio.write_dataframe(out, path, layer=name, driver="GPKG", append=path.exists())
        return path.read_bytes()

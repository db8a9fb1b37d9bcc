"""Map layers of a coverage run: service circles, the uncovered elderly as a density surface, and the GeoPackage
that holds them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.files import atomic_path
from geo.network import WalkNetwork
from geo.service_area import service_areas
from planning.coverage.result import CoverageResult
from planning.errors import OptionError
from planning.export import strip_personal
from planning.i18n import message
from planning.progress import Progress, named, part
from planning.study import Study


def uncovered_density(
    result: CoverageResult, kind: str, *, minutes: int | None = None, cell_m: float = 200.0
) -> gpd.GeoDataFrame:
    """Elderly outside the ``minutes`` walk of ``kind``, summed on a square grid of ``cell_m`` (a density surface).

    Returns square cells (study CRS) with ``elderly_uncovered`` and ``per_ha``; empty cells are left out.
    """
    m = result.minutes[-1] if minutes is None else int(minutes)
    t = result.demand[result.time_column(kind)].to_numpy(float)
    unc = ~(np.nan_to_num(t, nan=np.inf) <= m * 60.0)
    w = result.demand["elderly"].to_numpy(float)[unc]
    xy = shapely.get_coordinates(result.demand.geometry.to_numpy()[unc])
    if len(xy) == 0:
        return gpd.GeoDataFrame({"elderly_uncovered": [], "per_ha": []}, geometry=[], crs=result.demand.crs)
    ij = np.floor(xy / cell_m).astype(np.int64)
    keys, inverse = np.unique(ij, axis=0, return_inverse=True)
    sums = np.bincount(inverse.reshape(-1), weights=w)
    x0, y0 = keys[:, 0] * cell_m, keys[:, 1] * cell_m
    cells = shapely.box(x0, y0, x0 + cell_m, y0 + cell_m)
    keep = sums > 0
    return gpd.GeoDataFrame(
        {"elderly_uncovered": sums[keep], "per_ha": sums[keep] / (cell_m * cell_m / 10_000.0)},
        geometry=cells[keep],
        crs=result.demand.crs,
    )


def service_circle_layer(
    study: Study,
    network: WalkNetwork,
    result: CoverageResult,
    *,
    rings: bool = False,
    mode: str = "dissolved",
    kinds: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> gpd.GeoDataFrame:
    """Service circles of every measured kind (or of ``kinds``, a subset of them) and band, built from the
    reachable network (see geo.service_area)."""
    wanted = tuple(result.kinds) if kinds is None else tuple(k for k in result.kinds if k in kinds)
    frames = []
    fac = study.facilities
    for i, kind in enumerate(wanted):
        sub = fac[fac["kind"] == kind]
        sxy = shapely.get_coordinates(sub.geometry.to_numpy())
        inner = part(
            progress,
            i / len(wanted),
            (i + 1) / len(wanted),
            message("progress_service_circles_of", kind=named("kind", kind)),
        )
        areas = service_areas(network, sxy, minutes=result.minutes, mode=mode, rings=rings, progress=inner)
        areas.insert(0, "kind", kind)
        if mode != "dissolved" and "facility" in areas:
            names = sub["name"].to_numpy(object)
            areas["facility_name"] = [names[f] if f >= 0 else None for f in areas["facility"]]
        frames.append(areas)
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return gpd.GeoDataFrame(out, geometry="geometry", crs=study.crs)


def coverage_layers(
    study: Study,
    network: WalkNetwork,
    result: CoverageResult,
    path: str,
    *,
    mode: str = "dissolved",
    progress: Progress | None = None,
) -> list[str]:
    """Write the map layers of a coverage run to a GeoPackage; returns the layer names written.

    ``mode`` is how the service circles are split (see :func:`geo.service_area.service_areas`): ``"dissolved"``
    one area per kind and band, ``"per_facility"`` or ``"nearest"`` one per facility and band.

    The GeoPackage is built under a temporary name beside ``path`` and renamed over it when complete
    (:func:`geo.files.atomic_path`): a failure leaves the previous file as it was, never half a file.

    Raises
    ------
    OptionError
        When ``path`` does not end in ``.gpkg``.
    OutputError
        When the file cannot be written (no permission, full disk, a folder in the way).
    """
    target = Path(path)
    if target.suffix.lower() != ".gpkg":
        raise OptionError(message("err_layers_not_gpkg", path=path))
    if target.is_dir():
        raise OptionError(message("err_layers_is_folder", path=path))
    circles = service_circle_layer(study, network, result, mode=mode, progress=progress)
    comm = study.communities[["name", "street", "kind", "geometry"]].copy()
    for col in result.communities.columns:
        if col.startswith("share_"):
            comm[col] = result.communities[col].to_numpy()
    layers: list[tuple[str, gpd.GeoDataFrame]] = [
        ("service_circles", circles),
        ("communities_coverage", comm),
    ]
    for kind in result.kinds:
        dens = uncovered_density(result, kind)
        if len(dens):
            layers.append((f"uncovered_{kind}", dens))
    with atomic_path(target) as tmp:
        for name, frame in layers:  # names kept, any ID-card or phone number inside them redacted
            strip_personal(frame, layer=name, keep=frame.columns)[0].to_file(tmp, layer=name, driver="GPKG")
    return [name for name, _ in layers]

"""Validation of one study layer against the data contract: map columns, parse values, check rows and geometry.

Rows that cannot be used are rejected — kept, with the reason, in the result's ``rejected`` frame, never silently
dropped; problems with a whole layer (a required column missing) raise :class:`~geo.errors.LayerError` naming the
accepted aliases.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from planning.schema import LAYER_COLUMNS
from planning.validation.columns import convert_column, map_columns, missing_default
from planning.validation.findings import Collector, ValidatedLayer
from planning.validation.rows import check_duplicates, check_geometry, check_rows, fill_names


def validate_layer(frame: gpd.GeoDataFrame, layer: str, *, source: str) -> ValidatedLayer:
    """Validate one layer of the study against the data contract.

    Parameters
    ----------
    frame : the layer as read (see :func:`geo.layers.read_layer`), with ``_row`` numbers.
    layer : ``communities``, ``facilities``, ``candidates`` or ``population``.
    source : the file as named in study.toml, for messages.
    """
    log = Collector(layer, source)
    if "_row" not in frame:
        frame = frame.copy()
        frame["_row"] = np.arange(1, len(frame) + 1)
    mapping, findings = map_columns(frame, layer, source=source)
    log.items.extend(findings)
    rows = frame["_row"].to_numpy()
    out = gpd.GeoDataFrame({"_row": rows}, geometry=frame.geometry.to_numpy(), crs=frame.crs)
    for col in LAYER_COLUMNS[layer]:
        if col.name in mapping:
            out[col.name] = convert_column(frame[mapping[col.name]], col, log, rows)
        else:
            out[col.name] = missing_default(col, layer, log, len(frame))
    # keep whatever else the user gave, untouched
    others = [c for c in frame.columns if c not in mapping.values() and c not in ("geometry", "_row")]
    for c in others:
        name = c if c not in out.columns else f"{c}_orig"
        out[name] = frame[c].to_numpy()
    if others:
        log.add(
            "note",
            f"other columns kept as given: {', '.join(map(str, others))}",
            zh=f"其他列按原样保留：{'、'.join(map(str, others))}",
        )
    check_geometry(out, layer, log)
    check_rows(out, layer, log)
    check_duplicates(out, layer, log)
    fill_names(out, layer, log)
    bad = np.zeros(len(out), dtype=bool)
    positions = np.sort(np.fromiter(log.reject_reasons.keys(), dtype=np.int64, count=len(log.reject_reasons)))
    bad[positions] = True
    rejected = pd.DataFrame(frame.drop(columns="geometry").iloc[positions])
    if len(positions):
        rejected["geometry_wkt"] = shapely.to_wkt(frame.geometry.to_numpy()[positions], rounding_precision=7)
        rejected.insert(0, "row", rows[positions])
        rejected["reason"] = ["; ".join(log.reject_reasons[p]) for p in positions]
        rejected = rejected.drop(columns="_row", errors="ignore")
    else:
        rejected = pd.DataFrame(columns=["row", "reason"])
    accepted = out[~bad].reset_index(drop=True)
    log.add(
        "read",
        f"{len(frame)} rows read, {len(accepted)} accepted, {int(bad.sum())} rejected",
        zh=f"读取 {len(frame)} 行，接受 {len(accepted)} 行，拒绝 {int(bad.sum())} 行",
    )
    return ValidatedLayer(frame=accepted, rejected=rejected, findings=tuple(log.items))

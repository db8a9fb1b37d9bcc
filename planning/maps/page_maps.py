"""The maps the app's pages show: overview, coverage of one facility kind, failing standards, and a siting run.

Each starts from :func:`planning.maps.base_map` and draws its layers with :mod:`planning.maps.layers`. Geometries
are simplified for display (a few metres, in the study's projected CRS) and markers are clustered when a layer holds
thousands, so the maps stay responsive.
"""

from __future__ import annotations

from typing import Any, cast

import branca.colormap as cm
import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.network import WalkNetwork
from planning.display import format_number, percent
from planning.export import html_text, redact_text
from planning.i18n import kind_label, tr
from planning.maps.base import BAND_COLOURS, DISPLAY_TOLERANCE_M, base_map, display_frame, resolve_basemap
from planning.maps.carto import (
    URBAN_KINDS,
    Villages,
    add_labels,
    band_rings,
    band_style,
    label_data,
    outside_villages,
    village_style,
    village_swatch,
    village_target_text,
    villages_of,
)
from planning.maps.classes import REDS, class_breaks, class_colours, class_index, class_labels
from planning.maps.layers import (
    add_class_legend,
    add_density,
    add_facilities,
    add_gradient_legend,
    add_legend,
    add_outlines,
    json_frame,
    legend_box,
    point_collection,
)
from planning.maps.safe_html import SafeGeoJson, SafeTooltip, TextTooltip
from planning.schema import FACILITY_KINDS
from planning.study import Study

#: Room kept for the legend on the left of the coverage map (at most 30 % of the map's width).
LEGEND_ROOM_PX = 270


def overview_map(
    study: Study,
    *,
    lang: str = "zh",
    basemap: str | None = None,
    tianditu_key: str = "",
    network: WalkNetwork | None = None,
    show_points: bool = True,
) -> folium.Map:
    """Communities shaded by elderly density, the elder-density points, and facilities by kind with a legend."""
    choice = resolve_basemap(study, basemap, network=network)
    fmap = base_map(study, basemap=choice, tianditu_key=tianditu_key, lang=lang, network=network)
    add_density(study, fmap, lang=lang, basemap=choice)
    if show_points and study.population is not None and len(study.population):
        pts = display_frame(study.population[["elderly", "geometry"]], basemap=choice)
        w = np.clip(np.nan_to_num(pts["elderly"].to_numpy(float)), 0, None)
        emax = float(w.max()) if w.size and w.max() > 0 else 1.0
        radius = np.round(1.5 + 4.0 * np.sqrt(w / emax), 1)
        group = folium.FeatureGroup(name=tr("elder_points", lang), show=False)
        SafeGeoJson(
            point_collection(
                pts.geometry.x.to_numpy(),
                pts.geometry.y.to_numpy(),
                {"elderly": np.round(w, 1).tolist(), "r": radius.tolist()},
            ),
            marker=folium.CircleMarker(radius=2, weight=0, fill=True, fill_color="#7f2704", fill_opacity=0.5),
            style_function=lambda f: {"radius": f["properties"]["r"]},
            tooltip=TextTooltip(fields=["elderly"], aliases=[tr("elderly", lang)]),
        ).add_to(group)
        group.add_to(fmap)
    add_facilities(fmap, study.facilities, lang=lang, basemap=choice)
    add_labels(fmap, label_data(study.communities, basemap=choice))
    folium.LayerControl(collapsed=True).add_to(fmap)
    add_legend(
        fmap, lang=lang, kinds=tuple(k for k in FACILITY_KINDS if (study.facilities["kind"] == k).any())
    )
    return fmap


def coverage_map(
    study: Study,
    circles: gpd.GeoDataFrame,
    *,
    kind: str,
    lang: str = "zh",
    basemap: str | None = None,
    tianditu_key: str = "",
    network: WalkNetwork | None = None,
    uncovered: gpd.GeoDataFrame | None = None,
) -> folium.Map:
    """Service circles of one facility kind by band, the elderly left outside them, and the facilities.

    Parameters
    ----------
    study : the study.
    circles : from :func:`planning.coverage.service_circle_layer` (``kind``, ``band_min``, geometry; any CRS).
    kind : the facility kind drawn.
    uncovered : from :func:`planning.coverage.uncovered_density` (``elderly_uncovered``, ``per_ha``), or None.
    """
    choice = resolve_basemap(study, basemap, network=network)
    # the study framed beside the legend (bands, villages and their target make it tall)
    fmap = base_map(
        study,
        basemap=choice,
        tianditu_key=tianditu_key,
        lang=lang,
        legend_room_px=LEGEND_ROOM_PX,
        network=network,
    )
    add_outlines(study, fmap, lang=lang, basemap=choice)
    villages = villages_of(study) if kind in URBAN_KINDS else None
    legend = _add_villages(fmap, study, villages, lang=lang, basemap=choice)
    legend += _add_band_rings(fmap, circles, kind=kind, lang=lang, basemap=choice)
    if uncovered is not None and len(uncovered):
        uncovered = uncovered[outside_villages(uncovered, study, villages)]
    if uncovered is not None and len(uncovered):
        cells = display_frame(
            uncovered[["elderly_uncovered", "per_ha", "geometry"]], basemap=choice, tolerance_m=0
        )
        cells["per_ha"] = cells["per_ha"].round(1)
        per_ha = cells["per_ha"].to_numpy(float)
        breaks = class_breaks(per_ha, len(REDS), digits=1)
        colours = class_colours(REDS, len(breaks))
        cells["_c"] = class_index(breaks, np.nan_to_num(per_ha))
        SafeGeoJson(
            json_frame(cells).__geo_interface__,
            name=tr("uncovered_elderly", lang),
            style_function=lambda f: {
                "fillColor": colours[int(f["properties"]["_c"])],
                "color": "#de2d26",
                "weight": 0,
                "fillOpacity": 0.6,
            },
            tooltip=TextTooltip(
                fields=["elderly_uncovered", "per_ha"],
                aliases=[tr("uncovered_elderly", lang), tr("uncovered_density", lang)],
            ),
        ).add_to(fmap)
        top = float(np.nanmax(per_ha)) if np.isfinite(per_ha).any() else 0.0
        add_class_legend(fmap, tr("uncovered_density", lang), colours, class_labels(breaks, top, digits=1))
        legend.append(("square", "#de2d26", tr("uncovered_elderly", lang)))
    add_facilities(fmap, study.facilities, lang=lang, basemap=choice, kinds=(kind,))
    add_labels(fmap, label_data(study.communities, basemap=choice))
    folium.LayerControl(collapsed=True).add_to(fmap)
    add_legend(fmap, lang=lang, kinds=(kind,), extra=legend)
    return fmap


def _add_band_rings(
    fmap: folium.Map, circles: gpd.GeoDataFrame, *, kind: str, lang: str, basemap: str
) -> list[tuple[str, str, str]]:
    """The service circles of ``kind`` as rings (each band minus the shorter ones, :func:`band_rings`), the longest
    drawn first; returns their legend rows."""
    sub = circles[circles["kind"] == kind]
    if sub.empty:
        return []
    rings = band_rings(sub[["kind", "band_min", "geometry"]], simplify_m=DISPLAY_TOLERANCE_M)
    shown = display_frame(rings, basemap=basemap, tolerance_m=0)
    bands = [int(b) for b in shown["band_min"]]
    order = sorted(set(bands))  # per-facility circles have several rows per band: colour and legend by band
    colour = {b: BAND_COLOURS[min(i, len(BAND_COLOURS) - 1)] for i, b in enumerate(order)}
    for position in reversed(range(len(bands))):
        band, geom = bands[position], shown.geometry.iloc[position]
        if geom is None or geom.is_empty:
            continue
        label = tr("band_label", lang).format(m=band)
        style = band_style(order.index(band), colour[band])
        SafeGeoJson(
            shapely.to_geojson(geom),
            name=f"{kind_label(kind, lang)} · {label}",
            style_function=lambda f, st=style: st,
            tooltip=SafeTooltip(f"{html_text(kind_label(kind, lang))} · {html_text(label)}"),
        ).add_to(fmap)
    return [("square", colour[b], tr("band_label", lang).format(m=b)) for b in order]


def _add_villages(
    fmap: folium.Map, study: Study, villages: Villages | None, *, lang: str, basemap: str
) -> list[tuple[str, str, str]]:
    """Villages by their own target (a rural mutual-aid facility inside or not) on a map of an urban kind, so that
    none is read as a gap of day care; returns the legend rows (the target and its citation first)."""
    if villages is None:
        return []
    comm = study.communities[["name", "street", "geometry"]][villages.village].copy()
    has = villages.has_aid[villages.village]
    comm["aid"] = [tr("village_has_aid" if h else "village_lacks_aid", lang) for h in has]
    data = json_frame(display_frame(comm, basemap=basemap))
    data["_has"] = has.tolist()
    SafeGeoJson(
        data.__geo_interface__,
        name=tr("villages_layer", lang),
        style_function=lambda f: village_style(bool(f["properties"]["_has"])),
        tooltip=TextTooltip(
            fields=["name", "street", "aid"],
            aliases=[tr("community", lang), tr("street", lang), tr("villages_layer", lang)],
        ),
    ).add_to(fmap)
    return [
        ("square", village_swatch(True), tr("village_has_aid", lang)),
        ("square", village_swatch(False), tr("village_lacks_aid", lang)),
        ("note", "", village_target_text(villages, lang)),
    ]


def failing_units(study: Study, rows: pd.DataFrame, *, lang: str = "zh") -> gpd.GeoDataFrame:
    """Streets and communities with failed checks, as polygons (study CRS).

    Returns one row per failing unit: ``level`` (``street`` or ``community``), ``name``, ``street``, ``fails``
    (number of failed rules) and ``rules`` (their titles); streets are their communities merged.
    """
    comm = study.communities
    title = "title_zh" if lang != "en" else "title_en"
    failed = rows[rows["verdict"] == "fail"]
    out = []
    street_rows = failed[failed["level"] == "street"]
    if len(street_rows):
        streets = comm[["street", "geometry"]].dropna(subset=["street"]).dissolve(by="street").reset_index()
        agg = street_rows.groupby("unit_name")[title].agg(lambda s: "; ".join(dict.fromkeys(map(str, s))))
        n = street_rows.groupby("unit_name").size()
        hit = streets[streets["street"].isin(agg.index)]
        out.append(
            gpd.GeoDataFrame(
                {
                    "level": "street",
                    "name": hit["street"].to_numpy(object),
                    "street": hit["street"].to_numpy(object),
                    "fails": n.reindex(hit["street"]).to_numpy(int),
                    "rules": agg.reindex(hit["street"]).to_numpy(object),
                },
                geometry=hit.geometry.to_numpy(),
                crs=comm.crs,
            )
        )
    comm_rows = failed[failed["level"].isin(["community", "village"])]
    if len(comm_rows):
        key_rows = comm_rows["unit_name"].astype(str) + "|" + comm_rows["street"].fillna("").astype(str)
        key_comm = comm["name"].astype(str) + "|" + comm["street"].fillna("").astype(str)
        grouped = comm_rows.assign(_k=key_rows.to_numpy()).groupby("_k")
        agg = grouped[title].agg(lambda s: "; ".join(dict.fromkeys(map(str, s))))
        n = grouped.size()
        mask = key_comm.isin(agg.index).to_numpy()
        if not mask.any():  # rows without a street: match on the name alone
            key_rows = comm_rows["unit_name"].astype(str)
            key_comm = comm["name"].astype(str)
            grouped = comm_rows.assign(_k=key_rows.to_numpy()).groupby("_k")
            agg = grouped[title].agg(lambda s: "; ".join(dict.fromkeys(map(str, s))))
            n = grouped.size()
            mask = key_comm.isin(agg.index).to_numpy()
        hit = comm[mask]
        keys = key_comm[mask]
        out.append(
            gpd.GeoDataFrame(
                {
                    "level": "community",
                    "name": hit["name"].to_numpy(object),
                    "street": hit["street"].to_numpy(object),
                    "fails": n.reindex(keys).to_numpy(int),
                    "rules": agg.reindex(keys).to_numpy(object),
                },
                geometry=hit.geometry.to_numpy(),
                crs=comm.crs,
            )
        )
    if not out:
        return gpd.GeoDataFrame(
            {"level": [], "name": [], "street": [], "fails": [], "rules": []}, geometry=[], crs=comm.crs
        )
    return gpd.GeoDataFrame(pd.concat(out, ignore_index=True), geometry="geometry", crs=comm.crs)


def standards_map(
    study: Study,
    rows: pd.DataFrame,
    *,
    lang: str = "zh",
    basemap: str | None = None,
    tianditu_key: str = "",
    network: WalkNetwork | None = None,
) -> folium.Map:
    """Streets (thick red outline) and communities (red fill) failing the checks in ``rows``
    (:attr:`planning.standards.CheckResult.rows`, possibly filtered to some rules)."""
    choice = resolve_basemap(study, basemap, network=network)
    fmap = base_map(study, basemap=choice, tianditu_key=tianditu_key, lang=lang, network=network)
    add_outlines(study, fmap, lang=lang, basemap=choice)
    units = failing_units(study, rows, lang=lang)
    fields = ["name", "street", "fails", "rules"]
    aliases = [tr("unit", lang), tr("street", lang), tr("failed_rules_n", lang), tr("failed_rules", lang)]
    comm = units[units["level"] == "community"]
    if len(comm):
        SafeGeoJson(
            json_frame(display_frame(comm, basemap=choice)).__geo_interface__,
            name=tr("failing_communities", lang),
            style_function=lambda f: {
                "fillColor": "#e34a33",
                "color": "#b30000",
                "weight": 1,
                "fillOpacity": 0.45,
            },
            tooltip=TextTooltip(fields=fields, aliases=aliases),
        ).add_to(fmap)
    streets = units[units["level"] == "street"]
    if len(streets):
        SafeGeoJson(
            json_frame(display_frame(streets, basemap=choice)).__geo_interface__,
            name=tr("failing_streets", lang),
            style_function=lambda f: {
                "fill": True,
                "fillOpacity": 0.05,
                "fillColor": "#b30000",
                "color": "#b30000",
                "weight": 4,
                "dashArray": "6 4",
            },
            tooltip=TextTooltip(fields=fields, aliases=aliases),
        ).add_to(fmap)
    add_labels(fmap, label_data(study.communities, basemap=choice))
    folium.LayerControl(collapsed=True).add_to(fmap)
    cast(Any, fmap.get_root()).html.add_child(
        legend_box(
            tr("legend", lang),
            [
                ("square", "#e34a33", tr("failing_communities", lang)),
                ("square", "#b30000", tr("failing_streets", lang) + " (- - -)"),
            ],
        )
    )
    return fmap


def siting_map(
    study: Study,
    result: Any,
    *,
    lang: str = "zh",
    basemap: str | None = None,
    tianditu_key: str = "",
    network: WalkNetwork | None = None,
) -> folium.Map:
    """Recommended sites numbered in entry order with their gains, the other candidates, the existing facilities
    of the kind, and communities shaded by the share of their elderly covered after the new sites.

    ``result`` is a :class:`planning.siting.SitingResult`.
    """
    choice = resolve_basemap(study, basemap, network=network)
    fmap = base_map(study, basemap=choice, tianditu_key=tianditu_key, lang=lang, network=network)
    _add_share_after(fmap, study, result, lang=lang, basemap=choice)
    add_facilities(fmap, study.facilities, lang=lang, basemap=choice, kinds=(result.kind,))
    cands = result.candidates
    others = cands[~cands["chosen"].to_numpy(bool)] if len(cands) else cands
    if len(others):
        _add_candidates(fmap, others, lang=lang, basemap=choice)
    if len(result.sites):
        _add_sites(fmap, result.sites, lang=lang, basemap=choice)
    add_labels(fmap, label_data(study.communities, basemap=choice))
    folium.LayerControl(collapsed=True).add_to(fmap)
    add_legend(
        fmap,
        lang=lang,
        kinds=(result.kind,),
        extra=[("dot", "#e6550d", tr("recommended_sites", lang)), ("dot", "#bbbbbb", tr("candidates", lang))],
    )
    return fmap


def _add_share_after(fmap: folium.Map, study: Study, result: Any, *, lang: str, basemap: str) -> None:
    """Communities shaded by the share covered after the new sites, with a colour scale."""
    comm = study.communities[["name", "street", "geometry"]].copy()
    per = result.communities.reset_index(drop=True)
    if len(per) == len(comm):
        comm["share_before"] = percent(per["share_before"].to_numpy(float))
        comm["share_after"] = percent(per["share_after"].to_numpy(float))
        comm["gain"] = np.round(per["gain"].to_numpy(float), 0)
    else:
        comm["share_before"] = comm["share_after"] = comm["gain"] = np.nan
    scale = cm.LinearColormap(
        ["#f7fcf5", "#74c476", "#00441b"], vmin=0, vmax=100, caption=tr("share_after", lang)
    )
    SafeGeoJson(
        json_frame(display_frame(comm, basemap=basemap)).__geo_interface__,
        name=tr("share_after", lang),
        style_function=lambda f: {
            "fillColor": "#cccccc"
            if f["properties"]["share_after"] is None
            else scale(f["properties"]["share_after"]),
            "color": "#666",
            "weight": 1,
            "fillOpacity": 0.5,
        },
        tooltip=TextTooltip(
            fields=["name", "street", "share_before", "share_after", "gain"],
            aliases=[
                tr("community", lang),
                tr("street", lang),
                tr("share_before_pct", lang),
                tr("share_after_pct", lang),
                tr("gain_elderly", lang),
            ],
        ),
    ).add_to(fmap)
    add_gradient_legend(fmap, scale, tr("share_after_pct", lang))


def _add_candidates(fmap: folium.Map, others: gpd.GeoDataFrame, *, lang: str, basemap: str) -> None:
    """The candidates not chosen, as grey dots with their reach."""
    group = folium.FeatureGroup(name=f"{tr('candidates', lang)} ({len(others)})")
    shown = display_frame(others[["name", "reach_elderly", "geometry"]], basemap=basemap)
    for name, reach, x, y in zip(
        shown["name"].to_numpy(object),
        shown["reach_elderly"].to_numpy(float),
        shown.geometry.x.to_numpy(),
        shown.geometry.y.to_numpy(),
        strict=False,
    ):
        tip = f"{html_text(redact_text(str(name)))}<br>{html_text(tr('reach_elderly', lang))}: {format_number(reach, groups=',')}"
        folium.CircleMarker(
            [float(y), float(x)],
            radius=5,
            color="#555",
            weight=1,
            fill=True,
            fill_color="#bbbbbb",
            fill_opacity=0.8,
            tooltip=SafeTooltip(tip),
        ).add_to(group)
    group.add_to(fmap)


def _add_sites(fmap: folium.Map, sites: gpd.GeoDataFrame, *, lang: str, basemap: str) -> None:
    """The recommended sites as numbered orange markers with their marginal and cumulative gains."""
    group = folium.FeatureGroup(name=f"{tr('recommended_sites', lang)} ({len(sites)})")
    shown = display_frame(
        sites[["order", "name", "gain_elderly", "cumulative_elderly", "geometry"]], basemap=basemap
    )
    for order, name, gain, cum, x, y in zip(
        shown["order"].to_numpy(),
        shown["name"].to_numpy(object),
        shown["gain_elderly"].to_numpy(float),
        shown["cumulative_elderly"].to_numpy(float),
        shown.geometry.x.to_numpy(),
        shown.geometry.y.to_numpy(),
        strict=False,
    ):
        tip = (
            f"<b>#{int(order)} {html_text(redact_text(str(name)))}</b><br>{html_text(tr('gain_elderly', lang))}: "
            f"+{format_number(gain, groups=',')}<br>{html_text(tr('cumulative_elderly', lang))}: "
            f"{format_number(cum, groups=',')}"
        )
        icon = folium.DivIcon(
            html=(
                f'<div style="background:#e6550d;color:white;border:2px solid white;border-radius:14px;'
                f"width:28px;height:28px;line-height:24px;text-align:center;font-weight:bold;font-size:14px;"
                f'box-shadow:0 0 3px #333">{int(order)}</div>'
            ),
            icon_size=(28, 28),
            icon_anchor=(14, 14),
        )
        folium.Marker([float(y), float(x)], tooltip=SafeTooltip(tip), icon=icon).add_to(group)
    group.add_to(fmap)

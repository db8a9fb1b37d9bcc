"""Layers drawn on a base map: communities (outlines, elder density), facilities by kind (clustered past
:data:`CLUSTER_MIN_MARKERS`), legends and colour scales. Every text is shown as text or escaped
(:mod:`planning.maps.safe_html`); ID-card and phone numbers inside names are replaced (:func:`planning.export.redact_text`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

import branca.colormap as cm
import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from planning.display import format_number
from planning.export import html_text, redact_text
from planning.i18n import kind_label, tr
from planning.maps.base import KIND_COLOURS, display_frame, kind_colour
from planning.maps.classes import ORANGES, class_breaks, class_colours, class_index, class_labels
from planning.maps.safe_html import SafeFastMarkerCluster, SafeGeoJson, TextTooltip, html_element
from planning.schema import FACILITY_KINDS
from planning.study import Study

#: Facility layers with at least this many points are drawn as clustered markers.
CLUSTER_MIN_MARKERS = 300


def json_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns JSON can carry: NaN becomes an empty string in text columns and None elsewhere; ID-card and phone
    numbers inside text are replaced (:func:`planning.export.redact_text`). Tooltips show the text as text
    (:class:`TextTooltip`)."""
    out = frame.copy()
    for col in out.columns:
        if col == "geometry":
            continue
        if pd.api.types.is_object_dtype(out[col]) or pd.api.types.is_string_dtype(out[col]):
            text = out[col].astype(object).where(pd.notna(out[col]), "").astype(str)
            out[col] = text.map(redact_text).astype(object)
        elif pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].astype(object).where(np.isfinite(out[col].to_numpy(float)), None)
    return out


def add_density(study: Study, fmap: folium.Map, *, lang: str, basemap: str, show: bool = True) -> None:
    """Communities shaded by elderly per hectare, with a tooltip of their counts and a colour scale."""
    comm = study.communities[["name", "street", "population", "elderly", "geometry"]].copy()
    area_ha = comm.geometry.area.to_numpy() / 10_000.0
    comm["density"] = np.round(comm["elderly"].to_numpy(float) / np.maximum(area_ha, 1e-9), 1)
    data = json_frame(display_frame(comm, basemap=basemap))
    density = comm["density"].to_numpy(float)
    breaks = class_breaks(density, len(ORANGES), digits=1)
    colours = class_colours(ORANGES, len(breaks))
    colour_of = {
        i: "#cccccc" if not np.isfinite(d) else colours[c]
        for i, (d, c) in enumerate(zip(density, class_index(breaks, np.nan_to_num(density)), strict=True))
    }
    data["_i"] = np.arange(len(data))

    def style(feature: dict) -> dict:
        return {
            "fillColor": colour_of.get(feature["properties"]["_i"], "#cccccc"),
            "color": "#555",
            "weight": 1,
            "fillOpacity": 0.6,
        }

    SafeGeoJson(
        data.__geo_interface__,
        name=tr("elder_density", lang),
        show=show,
        style_function=style,
        tooltip=TextTooltip(
            fields=["name", "street", "population", "elderly", "density"],
            aliases=[
                tr("community", lang),
                tr("street", lang),
                tr("population", lang),
                tr("elderly", lang),
                tr("elder_density", lang),
            ],
        ),
    ).add_to(fmap)
    top = float(np.nanmax(density)) if np.isfinite(density).any() else 0.0
    add_class_legend(fmap, tr("elder_density", lang), colours, class_labels(breaks, top, digits=1))


def add_outlines(study: Study, fmap: folium.Map, *, lang: str, basemap: str) -> None:
    """Community outlines (no fill) with their name and street as a tooltip."""
    comm = json_frame(display_frame(study.communities[["name", "street", "geometry"]], basemap=basemap))
    SafeGeoJson(
        comm.__geo_interface__,
        name=tr("communities", lang),
        style_function=lambda f: {"fill": False, "color": "#777", "weight": 1},
        tooltip=TextTooltip(fields=["name", "street"], aliases=[tr("community", lang), tr("street", lang)]),
    ).add_to(fmap)


def point_collection(xs: np.ndarray, ys: np.ndarray, props: dict[str, Any]) -> dict:
    """A GeoJSON FeatureCollection of points built directly (much faster than GeoDataFrame.__geo_interface__)."""
    keys = list(props)
    columns = [list(props[k]) for k in keys]
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(float(x), 7), round(float(y), 7)]},
                "properties": {k: col[i] for k, col in zip(keys, columns, strict=False)},
            }
            for i, (x, y) in enumerate(zip(xs, ys, strict=False))
        ],
    }


def _fmt(values: np.ndarray) -> list[str]:
    return [format_number(v, groups=",") for v in values]


def add_facilities(
    fmap: folium.Map,
    facilities: gpd.GeoDataFrame,
    *,
    lang: str = "zh",
    basemap: str = "none",
    kinds: Iterable[str] | None = None,
    cluster_min: int = CLUSTER_MIN_MARKERS,
) -> None:
    """Facilities as one layer per kind: coloured icons with a tooltip of public attributes (name, kind, floor
    area, beds), or clustered markers when a kind has ``cluster_min`` or more points."""
    fac = display_frame(facilities, basemap=basemap)
    wanted = tuple(FACILITY_KINDS) if kinds is None else tuple(kinds)
    for kind in wanted:
        sub = fac[fac["kind"] == kind]
        if sub.empty:
            continue
        hexc = kind_colour(kind)
        group = folium.FeatureGroup(name=f"{kind_label(kind, lang)} ({len(sub)})")
        names = [redact_text(str(n)) for n in sub["name"].to_numpy(object)]
        floor = _fmt(
            sub["floor_area_m2"].to_numpy(float) if "floor_area_m2" in sub else np.full(len(sub), np.nan)
        )
        beds = _fmt(sub["beds"].to_numpy(float) if "beds" in sub else np.full(len(sub), np.nan))
        xs, ys = sub.geometry.x.to_numpy(), sub.geometry.y.to_numpy()
        label = kind_label(kind, lang)
        if len(sub) >= cluster_min:  # Leaflet sets a tooltip string as HTML: every text escaped
            tips = [
                f"<b>{html_text(n)}</b><br>{html_text(label)}<br>{html_text(tr('floor_area_m2', lang))}: {f}"
                f"<br>{html_text(tr('beds', lang))}: {b}"
                for n, f, b in zip(names, floor, beds, strict=False)
            ]
            callback = (
                "function (row) { var m = L.circleMarker(new L.LatLng(row[0], row[1]), {radius: 6, "
                f"color: '{hexc}', fillColor: '{hexc}', fillOpacity: 0.8, weight: 1}});"
                " m.bindTooltip(row[2]); return m; }"
            )
            SafeFastMarkerCluster(
                [[round(float(y), 7), round(float(x), 7), t] for x, y, t in zip(xs, ys, tips, strict=False)],
                callback=callback,
            ).add_to(group)
        else:
            data = point_collection(
                xs, ys, {"name": names, "kind": [label] * len(sub), "floor": floor, "beds": beds}
            )
            SafeGeoJson(
                data,
                marker=folium.CircleMarker(
                    radius=7, color="#ffffff", weight=1.5, fill=True, fill_color=hexc, fill_opacity=0.95
                ),
                tooltip=TextTooltip(
                    fields=["name", "kind", "floor", "beds"],
                    aliases=[tr("name", lang), tr("kind", lang), tr("floor_area_m2", lang), tr("beds", lang)],
                ),
            ).add_to(group)
        group.add_to(fmap)


#: Boxes over the map: white, thin border, small sans-serif text; a ``<details>`` element, so a click on the title
#: folds the box away (no script needed).
BOX_STYLE = (
    "z-index:9999;background:rgba(255,255,255,0.94);padding:6px 10px;border:1px solid #999;border-radius:4px;"
    "font-size:12px;font-family:sans-serif;max-height:60vh;overflow:auto"
)


def collapsible_box(title: str, body: str, *, css_class: str, place: str, open_: bool = True) -> str:
    """A fixed box at ``place`` (CSS position, e.g. ``bottom:40px;left:10px``) whose escaped ``title`` folds the
    ``body`` (HTML the caller has escaped) away."""
    state = " open" if open_ else ""
    return (
        f'<details class="{css_class}"{state} style="position:fixed;{place};{BOX_STYLE}">'
        f'<summary style="cursor:pointer;font-weight:bold">{html_text(title)}</summary>{body}</details>'
    )


def swatch_rows(rows: Iterable[tuple[str, str, str]]) -> str:
    """Legend rows of (shape ``dot``/``square``/``note``, colour, label), labels escaped. A ``note`` row is text
    alone; a colour may carry more CSS after a ``;`` (``"#efe9d6;border:2px dashed #8c6d31"``: code constants only,
    never user text)."""
    out = []
    for shape, colour, label in rows:
        if shape == "note":
            out.append(f'<div style="color:#555;max-width:260px">{html_text(label)}</div>')
            continue
        fill, _, extra = colour.partition(";")
        extra = f";{extra}" if extra else ""
        out.append(
            f'<div><span style="display:inline-block;width:12px;height:12px;'
            f"border-radius:{6 if shape == 'dot' else 2}px;background:{fill};margin-right:6px;"
            f'border:1px solid #777;vertical-align:middle{extra}"></span>{html_text(label)}</div>'
        )
    return "".join(out)


def legend_box(title: str, rows: list[tuple[str, str, str]]) -> folium.Element:
    """A fixed, collapsible legend (bottom left, above the scale): rows of (shape ``dot``/``square``, colour,
    label)."""
    return html_element(
        collapsible_box(
            title, swatch_rows(rows), css_class="eldercircle-legend", place="bottom:40px;left:10px"
        )
    )


def add_class_legend(fmap: folium.Map, title: str, colours: list[str], labels: list[str]) -> None:
    """A classed colour scale (bottom right, collapsible): one swatch per class, lightest first."""
    body = swatch_rows(("square", c, lab) for c, lab in zip(colours, labels, strict=True))
    box = collapsible_box(title, body, css_class="eldercircle-scale", place="bottom:24px;right:10px")
    cast(Any, fmap.get_root()).html.add_child(html_element(box))


def add_gradient_legend(fmap: folium.Map, cmap: cm.LinearColormap, title: str) -> None:
    """A colour scale (bottom right, collapsible) drawn in plain HTML (branca's own legend needs d3 from a CDN)."""
    stops = ", ".join(cmap.rgb_hex_str(cmap.vmin + (cmap.vmax - cmap.vmin) * i / 8) for i in range(9))
    body = (
        f'<div style="width:200px;height:10px;margin:4px 0;background:linear-gradient(to right, {stops})"></div>'
        f'<div style="display:flex;justify-content:space-between"><span>{format_number(cmap.vmin, groups=",")}</span>'
        f"<span>{format_number(cmap.vmax, groups=',')}+</span></div>"
    )
    box = collapsible_box(title, body, css_class="eldercircle-scale", place="bottom:24px;right:10px")
    cast(Any, fmap.get_root()).html.add_child(html_element(box))


def add_legend(
    fmap: folium.Map,
    *,
    lang: str = "zh",
    kinds: Iterable[str] | None = None,
    extra: Iterable[tuple[str, str, str]] = (),
) -> None:
    """A fixed legend of facility kinds (all, or ``kinds``), with ``extra`` rows (shape, colour, label) after."""
    wanted = tuple(KIND_COLOURS) if kinds is None else tuple(kinds)
    rows = [("dot", kind_colour(k), kind_label(k, lang)) for k in wanted] + list(extra)
    cast(Any, fmap.get_root()).html.add_child(legend_box(tr("legend", lang), rows))

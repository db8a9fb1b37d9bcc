"""The public coverage map: one standalone HTML file (folium, Leaflet inlined: it opens offline) that a district
can publish.

Elderly counts appear only aggregated to communities, streets or a grid of at least 100 m; any of them with fewer
than ``k_anon`` elderly shows ``"<k"``, never the number (with secondary suppression, so that a street total minus
its communities cannot reveal a hidden one). A share covered is shown only where it gives, with the counts beside
it, no covered or uncovered group of 1 to k - 1, also by subtraction from the street's or the district's figures
(:func:`planning.report.suppress_shares`). No demand point, person, candidate site or facility attribute outside
:data:`PUBLIC_FACILITY_COLUMNS` is written, and no personal data (:mod:`planning.export`).

Offline maps: folium loads Leaflet, jQuery, Bootstrap and Font Awesome from CDNs. The public map uses Leaflet core
only (circle markers, GeoJSON, tooltips, the layer control) and inlines Leaflet 1.9.3 (the version folium 0.20 asks
for) from the ``xstatic-leaflet`` package, with the CSS images as data URIs (:func:`planning.maps.standalone_html`);
nothing else is fetched, so the file opens without a network. The basemap under the data is the study's own OSM
data drawn offline (:mod:`planning.maps.offline`); online tiles are drawn only when asked for by name.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from planning.coverage import CoverageResult, WalkNetwork, uncovered_density
from planning.export import redact_text
from planning.i18n import kind_label, say, tr
from planning.maps import (
    URBAN_KINDS,
    SafeGeoJson,
    TextTooltip,
    Villages,
    add_labels,
    band_rings,
    band_style,
    base_map,
    class_index,
    html_element,
    kind_colour,
    label_data,
    leaflet_assets,
    outside_villages,
    standalone_html,
    village_style,
    villages_of,
)
from planning.progress import Progress
from planning.report.map_legend import (
    CIRCLE_STRENGTH,
    LEGEND_WIDTH_PX,
    SUPPRESSED_COLOUR,
    grid_classes,
    grid_colours,
    legend_box,
    map_title,
    share_colour,
    side_panel,
    title_box,
)
from planning.report.options import (
    DEFAULT_GRID_M,
    DEFAULT_K_ANON,
    check_coverage,
    check_grid_m,
    check_k_anon,
    check_lang,
)
from planning.report.privacy import public_count, suppress_shares, suppress_small
from planning.schema import FACILITY_KINDS
from planning.study import Study

#: Facility attributes allowed on the public map (anything else in the layer stays out).
PUBLIC_FACILITY_COLUMNS = ("name", "kind", "floor_area_m2", "beds")
#: Properties the public map's GeoJSON may carry (besides ``share_<kind>`` coverage percentages).
PUBLIC_PROPERTIES = (
    "name",
    "street",
    "kind",
    "minutes",
    "elderly",
    "elderly_uncovered",
    "floor_area_m2",
    "beds",
)


#: Simplification of service circles and community outlines on the public map (metres, study CRS).
MAP_SIMPLIFY_M = 3.0
#: Coordinates on the public map are rounded to this many decimals of a degree (1e-6 deg is about 0.1 m).
MAP_DECIMALS = 6


def _headline_kind(kinds: Sequence[str]) -> str:
    return "day_care" if "day_care" in kinds else kinds[0]


def _round_geoms(geoms: np.ndarray, *, simplify_m: float, crs: Any) -> np.ndarray:
    """Simplify in metres, project to WGS84 and round coordinates to :data:`MAP_DECIMALS`."""
    g = np.asarray(geoms, dtype=object)
    if simplify_m > 0:
        g = shapely.simplify(g, simplify_m, preserve_topology=True)
    wgs = gpd.GeoSeries(g, crs=crs).to_crs(4326).to_numpy()
    return shapely.transform(wgs, lambda xy: np.round(xy, MAP_DECIMALS))


def _collection(geoms: np.ndarray, props: pd.DataFrame, prefix: str) -> dict[str, Any]:
    """A GeoJSON FeatureCollection with exactly the given properties and ids ``<prefix><i>``; ID-card and phone
    numbers inside text are replaced (:func:`planning.export.redact_text`). The text stays as written: the map's
    tooltips show it as text (:class:`planning.maps.TextTooltip`)."""
    features = []
    records = props.astype(object).where(pd.notna(props), None).to_dict(orient="records")
    for i, (geom, rec) in enumerate(zip(geoms, records, strict=False)):
        if geom is None or shapely.is_empty(geom):
            continue
        clean = {
            k: (
                int(v)
                if isinstance(v, (np.integer,))
                else float(v)
                if isinstance(v, np.floating)
                else redact_text(v)
                if isinstance(v, str)
                else v
            )
            for k, v in rec.items()
        }
        features.append(
            {
                "type": "Feature",
                "id": f"{prefix}{i}",
                "properties": clean,
                "geometry": json.loads(shapely.to_geojson(geom)),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def public_map_html(
    study: Study,
    coverage: CoverageResult,
    circles: gpd.GeoDataFrame | None,
    *,
    lang: str = "zh",
    k_anon: int = DEFAULT_K_ANON,
    grid_m: float = DEFAULT_GRID_M,
    basemap: str | None = None,
    network: WalkNetwork | None = None,
    progress: Progress | None = None,
) -> str:
    """The public coverage map: one standalone HTML file, safe to publish.

    Layers: service circles per kind and band; coverage per community and per street (shares of the elderly within
    the largest band, counts of elderly shown only from ``k_anon`` up); elderly beyond the largest band of the
    headline kind (day care when measured) on a grid of ``grid_m``, cells below ``k_anon`` left out; facilities with
    their public attributes (:data:`PUBLIC_FACILITY_COLUMNS`). Title, legend, data date, sources, walking speed, the
    privacy rule and, when the network is OpenStreetMap data, its attribution.

    Parameters
    ----------
    study : the loaded study.
    coverage : its coverage (:func:`planning.coverage.coverage_of_study`).
    circles : service circles (:func:`planning.coverage.service_circle_layer`), or None to leave them out.
    lang : ``zh`` or ``en``.
    k_anon : counts below this are shown as ``"<k"`` (at least 1; default 10).
    grid_m : grid cell of the uncovered-elderly layer, metres (at least 100).
    basemap, network, progress : as for :func:`planning.maps.base_map` (default: the study's own OSM data or
        ``network``'s streets drawn offline; an OSM file that cannot be read is said to ``progress``).

    Returns
    -------
    str
        The HTML text (UTF-8 when written).
    """
    lang = check_lang(lang)
    k = check_k_anon(k_anon)
    grid = check_grid_m(grid_m)
    cov = check_coverage(study, coverage)
    page = _Page(study, cov, lang, k, cov.minutes[-1], _headline_kind(cov.kinds))
    fmap = base_map(
        study, basemap=basemap, lang=lang, legend_room_px=LEGEND_WIDTH_PX, network=network, progress=progress
    )
    comm = _community_shares(page)
    villages = _add_communities(fmap, page, comm)
    district_hidden = _add_streets(fmap, page, comm)
    grid_breaks, grid_top = _add_grid(fmap, page, grid)
    if circles is not None and len(circles):
        _add_circles(fmap, page, circles)
    present = _add_facilities(fmap, page)
    add_labels(fmap, label_data(study.communities))
    folium.LayerControl(collapsed=True).add_to(fmap)
    root = cast(Any, fmap.get_root())
    # the title, title box and legend carry the study's name, date and sources: escaped, and written as values
    # (folium.Element would evaluate "{{ ... }}" in them as a template)
    root.header.add_child(html_element(f"<title>{html.escape(map_title(study, lang))}</title>"), name="title")
    title = title_box(study, cov, lang=lang, k=k, grid=grid, head=page.head, hidden_kinds=district_hidden)
    legend = legend_box(
        cov,
        present,
        lang=lang,
        k=k,
        head=page.head,
        grid_breaks=grid_breaks,
        has_grid=grid_top is not None,
        grid_top=grid_top or 0.0,
        villages=villages,
    )
    root.html.add_child(html_element(side_panel(title, legend)))
    text = standalone_html(fmap)
    if leaflet_assets() is None:
        text = text.replace("</body>", f"<p>{html.escape(say('offline_missing', lang))}</p></body>", 1)
    return text


@dataclass(frozen=True)
class _Page:
    """What every layer of the public map is drawn for: the study, its coverage, the language, k, the largest band
    (minutes) and the headline kind."""

    study: Study
    cov: CoverageResult
    lang: str
    k: int
    m: int
    head: str


@dataclass(frozen=True)
class _Shares:
    """The communities' published figures: street of each, rounded counts, which counts and shares are hidden."""

    streets: np.ndarray
    elderly: np.ndarray
    hidden: np.ndarray
    covered: dict[str, np.ndarray]
    share_hidden: dict[str, np.ndarray]
    street_share_hidden: dict[str, dict[Any, bool]]


def _shown_shares(shares: np.ndarray, hidden: np.ndarray) -> list[int | None]:
    """Shares as whole percentages, None where hidden or unknown."""
    return [None if h or not np.isfinite(v) else round(v * 100) for v, h in zip(shares, hidden, strict=False)]


def _share_aliases(page: _Page) -> list[str]:
    return [say("share_col", page.lang, kind=kind_label(kd, page.lang), m=page.m) for kd in page.cov.kinds]


def _community_shares(page: _Page) -> _Shares:
    """Counts from k up with secondary suppression per street; a share beside a count gives the covered and
    uncovered counts, so it is shown only when those are 0 or at least k (:func:`suppress_shares`)."""
    cc = page.cov.communities
    no_street = say("no_street", page.lang)
    streets = cc["street"].astype(object).where(cc["street"].notna(), no_street).to_numpy(object)
    elderly = np.round(cc["elderly"].to_numpy(float))
    hidden = suppress_small(elderly, streets, k_anon=page.k)
    covered: dict[str, np.ndarray] = {}
    share_hidden: dict[str, np.ndarray] = {}
    street_share_hidden: dict[str, dict[Any, bool]] = {}
    for kind in page.cov.kinds:
        covered[kind] = np.round(cc[f"covered_{kind}_{page.m}min"].to_numpy(float))
        share_hidden[kind], street_share_hidden[kind] = suppress_shares(
            elderly, covered[kind], streets, hidden, k_anon=page.k
        )
    return _Shares(streets, elderly, hidden, covered, share_hidden, street_share_hidden)


def _add_communities(fmap: folium.Map, page: _Page, comm: _Shares) -> Villages | None:
    """Coverage per community: the headline kind's share as the colour, every kind's share in the tooltip.

    When the headline kind is an urban target (day care: a village without one is not a gap), villages are not
    coloured by it but by their own target: a rural mutual-aid facility inside or not (:func:`villages_of`).
    Returns the villages so drawn (None when none are)."""
    cc, lang, k = page.cov.communities, page.lang, page.k
    props = pd.DataFrame(
        {
            "name": cc["name"].astype(str).to_numpy(object),
            "street": comm.streets,
            "elderly": [public_count(v, h, k) for v, h in zip(comm.elderly, comm.hidden, strict=False)],
        }
    )
    for kind in page.cov.kinds:
        props[f"share_{kind}"] = _shown_shares(
            cc[f"share_{kind}_{page.m}min"].to_numpy(float), comm.share_hidden[kind]
        )
    colour = [
        share_colour(None if h else v)
        for v, h in zip(
            cc[f"share_{page.head}_{page.m}min"].to_numpy(float), comm.share_hidden[page.head], strict=False
        )
    ]
    villages = villages_of(page.study, cc.get("kind")) if page.head in URBAN_KINDS else None
    village_has = (
        {}
        if villages is None
        else {f"c{i}": bool(villages.has_aid[i]) for i in np.flatnonzero(villages.village)}
    )
    geoms = _round_geoms(
        page.study.communities.geometry.to_numpy(), simplify_m=MAP_SIMPLIFY_M, crs=page.study.crs
    )
    colour_of = {f"c{i}": c for i, c in enumerate(colour)}
    group = folium.FeatureGroup(
        name=say("community_layer", lang, kind=kind_label(page.head, lang), m=page.m), show=True
    )
    SafeGeoJson(
        _collection(geoms, props, "c"),
        style_function=lambda f: (
            village_style(village_has[f["id"]])
            if f["id"] in village_has
            else {
                "fillColor": colour_of.get(f["id"], SUPPRESSED_COLOUR),
                "color": "#555",
                "weight": 1,
                "fillOpacity": 0.55,
            }
        ),
        highlight_function=lambda f: {"weight": 3, "color": "#222"},
        tooltip=TextTooltip(
            fields=["name", "street", "elderly"] + [f"share_{kd}" for kd in page.cov.kinds],
            aliases=[
                tr("community", lang),
                tr("street", lang),
                say("elderly_col", lang),
                *_share_aliases(page),
            ],
        ),
    ).add_to(group)
    group.add_to(fmap)
    return villages


def _street_share_hidden(
    page: _Page, comm: _Shares, st: gpd.GeoDataFrame, st_elderly: np.ndarray
) -> tuple[dict[str, np.ndarray], set[str]]:
    """Which streets' shares are hidden, and the kinds whose district share is hidden.

    A street's share is hidden with its count, or by the rule per street (:func:`suppress_shares`). One level up,
    the district's share (in the title) beside the sum of the street counts gives the district's covered count, and
    minus the shown streets, the hidden streets' sum: the same rule, with streets as members.
    """
    st_hidden = ~(st_elderly >= page.k)
    hidden: dict[str, np.ndarray] = {}
    district_hidden: set[str] = set()
    for kind in page.cov.kinds:
        by_street = np.array(
            [
                bool(h) or comm.street_share_hidden[kind].get(name, True)
                for name, h in zip(st["street"], st_hidden, strict=False)
            ],
            dtype=bool,
        )
        st_covered = (
            pd.Series(comm.covered[kind]).groupby(comm.streets).sum().reindex(st["street"]).to_numpy(float)
        )
        hidden[kind], district = suppress_shares(
            st_elderly, st_covered, np.zeros(len(st)), by_street, k_anon=page.k
        )
        if any(district.values()):
            district_hidden.add(kind)
    return hidden, district_hidden


def _add_streets(fmap: folium.Map, page: _Page, comm: _Shares) -> set[str]:
    """Coverage per street (its communities dissolved; totals are sums of the rounded community counts); returns
    the kinds whose district share must not be shown."""
    lang, k, crs = page.lang, page.k, page.study.crs
    st_geom = gpd.GeoDataFrame(
        {"street": comm.streets}, geometry=page.study.communities.geometry.to_numpy(), crs=crs
    )
    st = st_geom.dissolve(by="street", sort=True).reset_index()
    st_elderly = pd.Series(comm.elderly).groupby(comm.streets).sum().reindex(st["street"]).to_numpy(float)
    st_hidden = ~(st_elderly >= k)
    cs = page.cov.streets.copy()
    cs["street"] = cs["street"].astype(object).where(cs["street"] != "(no street)", say("no_street", lang))
    cs = cs.set_index("street").reindex(st["street"])
    st_props = pd.DataFrame(
        {
            "street": st["street"].to_numpy(object),
            "elderly": [public_count(v, h, k) for v, h in zip(st_elderly, st_hidden, strict=False)],
        }
    )
    st_share_hidden, district_hidden = _street_share_hidden(page, comm, st, st_elderly)
    for kind in page.cov.kinds:
        st_props[f"share_{kind}"] = _shown_shares(
            cs[f"share_{kind}_{page.m}min"].to_numpy(float), st_share_hidden[kind]
        )
    st_colour = {
        f"s{i}": share_colour(None if h else v)
        for i, (v, h) in enumerate(
            zip(
                cs[f"share_{page.head}_{page.m}min"].to_numpy(float), st_share_hidden[page.head], strict=False
            )
        )
    }
    st_fc = _collection(
        _round_geoms(st.geometry.to_numpy(), simplify_m=MAP_SIMPLIFY_M, crs=crs), st_props, "s"
    )
    group = folium.FeatureGroup(
        name=say("street_layer", lang, kind=kind_label(page.head, lang), m=page.m), show=False
    )
    SafeGeoJson(
        st_fc,
        style_function=lambda f: {
            "fillColor": st_colour.get(f["id"], SUPPRESSED_COLOUR),
            "color": "#222",
            "weight": 2,
            "fillOpacity": 0.55,
        },
        tooltip=TextTooltip(
            fields=["street", "elderly"] + [f"share_{kd}" for kd in page.cov.kinds],
            aliases=[tr("street", lang), say("elderly_col", lang), *_share_aliases(page)],
        ),
    ).add_to(group)
    group.add_to(fmap)
    return district_hidden


def _add_grid(fmap: folium.Map, page: _Page, grid: float) -> tuple[np.ndarray, float | None]:
    """Uncovered elderly of the headline kind on a grid, cells below k left out; returns the colour classes'
    lower bounds and the largest count shown (None when no cell is shown)."""
    dens = uncovered_density(page.cov, page.head, minutes=page.m, cell_m=grid)
    if page.head in URBAN_KINDS:  # the elderly of villages are no gap of an urban target
        dens = dens[
            outside_villages(dens, page.study, villages_of(page.study, page.cov.communities.get("kind")))
        ]
    counts = np.round(dens["elderly_uncovered"].to_numpy(float))
    keep = counts >= page.k
    breaks = grid_classes(counts[keep], page.k)
    if not keep.any():
        return breaks, None
    g_props = pd.DataFrame({"elderly_uncovered": counts[keep].astype(int)})
    g_fc = _collection(
        _round_geoms(dens.geometry.to_numpy()[keep], simplify_m=0.0, crs=page.study.crs), g_props, "g"
    )
    colours = grid_colours(breaks)
    g_colour = {f"g{i}": colours[c] for i, c in enumerate(class_index(breaks, counts[keep]))}
    group = folium.FeatureGroup(
        name=say("grid_layer", page.lang, kind=kind_label(page.head, page.lang), m=page.m, grid=grid),
        show=False,
    )
    SafeGeoJson(
        g_fc,
        style_function=lambda f: {
            "fillColor": g_colour.get(f["id"], colours[0]),
            "color": "#999",
            "weight": 0.5,
            "fillOpacity": 0.75,
        },
        tooltip=TextTooltip(fields=["elderly_uncovered"], aliases=[say("uncovered_col", page.lang)]),
    ).add_to(group)
    group.add_to(fmap)
    return breaks, float(counts[keep].max())


def _add_circles(fmap: folium.Map, page: _Page, circles: gpd.GeoDataFrame) -> None:
    """Service circles per kind as rings (each band minus the shorter ones, graded fills and outlines: the
    5-minute band is never under the others), the headline kind's shown."""
    lang = page.lang
    for kind in page.cov.kinds:
        sub = circles[circles["kind"] == kind]
        if sub.empty:
            continue
        rings = band_rings(sub[["kind", "band_min", "geometry"]], simplify_m=MAP_SIMPLIFY_M)
        rings = rings.iloc[::-1].reset_index(drop=True)  # the longest band first, the shortest drawn on top
        hexc = kind_colour(kind)
        c_props = pd.DataFrame(
            {"kind": kind_label(kind, lang), "minutes": rings["band_min"].to_numpy(int)},
            index=range(len(rings)),
        )
        c_fc = _collection(
            _round_geoms(rings.geometry.to_numpy(), simplify_m=0.0, crs=page.study.crs), c_props, f"{kind}_"
        )
        position = {f"{kind}_{i}": len(rings) - 1 - i for i in range(len(rings))}
        group = folium.FeatureGroup(
            name=say("circles", lang, kind=kind_label(kind, lang)), show=(kind == page.head)
        )
        SafeGeoJson(
            c_fc,
            style_function=lambda f, c=hexc, at=position: band_style(
                at.get(f["id"], 0), c, strength=CIRCLE_STRENGTH
            ),
            tooltip=TextTooltip(
                fields=["kind", "minutes"], aliases=[tr("kind", lang), say("minutes_col", lang)]
            ),
        ).add_to(group)
        group.add_to(fmap)


def _add_facilities(fmap: folium.Map, page: _Page) -> list[str]:
    """Facilities with their public attributes only (:data:`PUBLIC_FACILITY_COLUMNS`); returns the kinds drawn."""
    lang = page.lang
    fac = page.study.facilities
    present = [kd for kd in FACILITY_KINDS if (fac["kind"] == kd).any()]
    for kind in present:
        sub = fac[fac["kind"] == kind]
        hexc = kind_colour(kind)
        f_props = pd.DataFrame(
            {
                "name": sub["name"].astype(str).to_numpy(object),
                "kind": kind_label(kind, lang),
                "floor_area_m2": _rounded_or_none(sub, "floor_area_m2"),
                "beds": _rounded_or_none(sub, "beds"),
            },
            index=range(len(sub)),
        )
        pts = _round_geoms(sub.geometry.representative_point().to_numpy(), simplify_m=0.0, crs=page.study.crs)
        group = folium.FeatureGroup(name=f"{kind_label(kind, lang)} ({len(sub)})", show=True)
        SafeGeoJson(
            _collection(pts, f_props, f"f{kind}_"),
            marker=folium.CircleMarker(
                radius=6, color="#ffffff", weight=1.5, fill=True, fill_color=hexc, fill_opacity=0.95
            ),
            tooltip=TextTooltip(
                fields=list(PUBLIC_FACILITY_COLUMNS),
                aliases=[
                    say("facility_name", lang),
                    say("facility_kind", lang),
                    say("floor_area", lang),
                    say("report_beds", lang),
                ],
            ),
        ).add_to(group)
        group.add_to(fmap)
    return present


def _rounded_or_none(frame: pd.DataFrame, col: str) -> list[int | None]:
    if col not in frame:
        return [None] * len(frame)
    v = pd.to_numeric(frame[col], errors="coerce").to_numpy(float)
    return [round(x) if np.isfinite(x) else None for x in v]


def shown_community_shares(
    study: Study, coverage: CoverageResult, *, k_anon: int, kind: str | None = None
) -> tuple[str, int, np.ndarray]:
    """The headline kind (or ``kind``), its band (minutes) and its share per community as the public map shows it:
    NaN where the share is hidden (:func:`suppress_shares`, the same rule as the map's communities) or unknown."""
    cov = check_coverage(study, coverage)
    head = kind if kind is not None and kind in cov.kinds else _headline_kind(cov.kinds)
    page = _Page(study, cov, "en", check_k_anon(k_anon), cov.minutes[-1], head)
    comm = _community_shares(page)
    share = cov.communities[f"share_{page.head}_{page.m}min"].to_numpy(float).copy()
    share[comm.share_hidden[page.head]] = np.nan
    return page.head, page.m, share

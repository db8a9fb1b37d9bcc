"""Exports: the public coverage map, the workbook, the GeoPackage and the before/after comparison of a siting run.

Everything that leaves the tool is built here, as bytes or text, so that the command line (``eldercircle report``)
writes files and the app offers the same content as downloads without touching the disk.

- :func:`public_map_html`: one standalone HTML file (folium, Leaflet inlined: it opens offline) that a district can
  publish. Elderly counts appear only aggregated to communities, streets or a grid of at least 100 m; any of them
  with fewer than ``k_anon`` elderly shows ``"<k"``, never the number (with secondary suppression, so that a street
  total minus its communities cannot reveal a hidden one). A share covered is shown only where it gives, with the
  counts beside it, no covered or uncovered group of 1 to k - 1, also by subtraction from the street's or the
  district's figures (:func:`suppress_shares`). No demand point, person, candidate site or facility attribute
  outside :data:`PUBLIC_FACILITY_COLUMNS` is written, and no personal data (:mod:`planning.export`).
- :func:`workbook_bytes`: XLSX (openpyxl) with Chinese headers by default, units in headers, numbers as numbers.
- :func:`layers_gpkg_bytes`: a GeoPackage with every result layer, in the study CRS.
- :func:`scenario_html`, :func:`scenario_png`: before/after maps side by side and the change per street and
  community for a :class:`~planning.siting.SitingResult`.
- :func:`write_report`: all of the above into a folder (never overwriting without ``force``), each file written to a
  temporary name and renamed when whole.

Every text that leaves here passes :mod:`planning.export`: personal columns left out (:func:`personal_notes` says
which), formulas in spreadsheet cells neutralised, HTML escaped; map tooltips show text as text and folium's output
is never evaluated as a template (:mod:`planning.maps`).

Offline maps: folium loads Leaflet, jQuery, Bootstrap and Font Awesome from CDNs. The public map uses Leaflet core
only (circle markers, GeoJSON, tooltips, the layer control) and inlines Leaflet 1.9.3 (the version folium 0.20 asks
for) from the ``xstatic-leaflet`` package, with the CSS images as data URIs; nothing else is fetched, so the file
opens without a network. Tiles (OpenStreetMap, for real, non-synthetic studies) load when online; the demo, being
synthetic, gets none.
"""

from __future__ import annotations

import base64
import html
import io
import json
import math
import re
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.errors import InfeasibleError, NetworkError, OptionError, StudyError
from geo.files import atomic_write
from planning.coverage import CoverageResult, uncovered_density
from planning.export import PersonalNote, redact_text, safe_cell, strip_personal
from planning.i18n import LANGS, kind_label, tr
from planning.schema import FACILITY_KINDS, LAYER_COLUMNS
from planning.study import Study

if TYPE_CHECKING:  # pragma: no cover
    import folium

    from geo.network import WalkNetwork
    from planning.siting import SitingResult
    from planning.standards import CheckResult

#: Default k: communities, streets and grid cells with fewer elderly than this show "<k" on the public map.
DEFAULT_K_ANON = 10
#: The public map's grid of uncovered elderly: cells of this size (metres); smaller is refused.
DEFAULT_GRID_M = 100.0
MIN_GRID_M = 100.0
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
#: File names written by :func:`write_report`.
REPORT_FILES = {
    "map": "public_coverage_map.html",
    "workbook": "report.xlsx",
    "layers": "layers.gpkg",
    "scenario_html": "scenario.html",
    "scenario_png": "scenario.png",
}
#: Network sources that are OpenStreetMap data (they need the attribution on published maps).
OSM_SUFFIXES = (".osm", ".osm.pbf", ".pbf", ".osm.bz2", ".osm.xml")
#: Simplification of service circles and community outlines on the public map (metres, study CRS).
MAP_SIMPLIFY_M = 3.0
#: Coordinates on the public map are rounded to this many decimals of a degree (1e-6 deg is about 0.1 m).
MAP_DECIMALS = 6
#: Classes of the coverage choropleth: upper bounds of the share and colours (red = low, green = full).
SHARE_CLASSES = (
    (0.2, "#d73027"),
    (0.4, "#fc8d59"),
    (0.6, "#fee08b"),
    (0.8, "#d9ef8b"),
    (1.0 + 1e-9, "#1a9850"),
)
SUPPRESSED_COLOUR = "#bdbdbd"
GRID_COLOURS = ("#fee5d9", "#fcae91", "#fb6a4a", "#cb181d")

_T: dict[str, tuple[str, str]] = {
    "map_title": ("{name} 养老服务设施步行覆盖图", "{name}: walking coverage of elderly-care facilities"),
    "data_date": ("数据日期", "Data date"),
    "sources": ("数据来源", "Sources"),
    "osm": (
        "步行路网 © OpenStreetMap 贡献者（ODbL 许可）",
        "Walking network © OpenStreetMap contributors (ODbL)",
    ),
    "speed": (
        "按老年人步行速度 {speed:g} 米/秒沿步行路网计算（{m} 分钟约 {dist:,.0f} 米）",
        (
            "measured along the walking network at an elderly walking speed of {speed:g} m/s "
            "({m} min ≈ {dist:,.0f} m)"
        ),
    ),
    "privacy": (
        (
            "隐私保护：老年人口只按社区、街道和 {grid:g} 米格网汇总；不足 {k} 人的单元显示为“<{k}”，不显示人数，"
            "必要时另隐去同一街道的一个社区，以免相减推算；覆盖率与人数并列可推算出不足 {k} 人的已覆盖或未覆盖人群时，"
            "该覆盖率不显示；不含任何个人、人口点或非公开信息。"
        ),
        (
            "Privacy: elderly are counted only per community, street and {grid:g} m grid cell; units with fewer "
            "than {k} show “<{k}”, never the number, and where needed a second community of the street is "
            "hidden so that no count follows by subtraction; a share is not shown where, with the counts "
            "beside it, it would give a covered or uncovered group of fewer than {k}; no person, population "
            "point or non-public attribute is included."
        ),
    ),
    "headline": ("{m} 分钟步行覆盖率", "Elderly within a {m}-minute walk"),
    "circles": ("服务圈：{kind}", "Service circles: {kind}"),
    "circle_band": ("{m} 分钟步行服务圈", "{m}-minute walk"),
    "community_layer": ("社区覆盖率：{kind} {m} 分钟", "Coverage per community: {kind}, {m} min"),
    "street_layer": ("街道覆盖率：{kind} {m} 分钟", "Coverage per street: {kind}, {m} min"),
    "grid_layer": (
        "{m} 分钟内无{kind}的老年人（{grid:g} 米格网）",
        "Elderly beyond {m} min of a {kind} ({grid:g} m grid)",
    ),
    "share_col": ("{kind} {m} 分钟覆盖率（%）", "{kind} within {m} min (%)"),
    "elderly_col": ("老年人口（人）", "Elderly (persons)"),
    "uncovered_col": ("未覆盖老年人（人）", "Elderly not covered (persons)"),
    "minutes_col": ("步行时间（分钟）", "Walk (minutes)"),
    "suppressed": ("不足 {k} 人，不显示", "fewer than {k}, not shown"),
    "grid_note": ("格网：不足 {k} 人的格子不显示", "grid: cells with fewer than {k} are left out"),
    "no_street": ("（无街道）", "(no street)"),
    "facility_name": ("名称", "Name"),
    "facility_kind": ("类型", "Kind"),
    "floor_area": ("建筑面积（㎡）", "Floor area (m²)"),
    "beds": ("床位数（张）", "Beds"),
    "share_legend": ("覆盖率", "Share covered"),
    "offline_missing": (
        "（本文件需联网加载地图程序库）",
        "(this file needs a network connection to load the map library)",
    ),
    # scenario
    "scenario_title": (
        "{name}：新增 {n} 处{kind}的覆盖变化（{m:g} 分钟步行）",
        "{name}: what {n} new {kind} site(s) change ({m:g}-minute walk)",
    ),
    "before": ("选址前", "Before"),
    "after": ("选址后", "After"),
    "covered_line": (
        "覆盖老年人 {b:,.0f} → {a:,.0f} 人（共 {t:,.0f} 人，{bp:.1f}% → {ap:.1f}%）",
        "elderly covered {b:,.0f} → {a:,.0f} of {t:,.0f} ({bp:.1f} % → {ap:.1f} %)",
    ),
    "served_line": (
        "服务老年人 {b:,.0f} → {a:,.0f} 人（共 {t:,.0f} 人，{bp:.1f}% → {ap:.1f}%）",
        "elderly served {b:,.0f} → {a:,.0f} of {t:,.0f} ({bp:.1f} % → {ap:.1f} %)",
    ),
    "existing": ("现有{kind}", "existing {kind}"),
    "new_sites": ("新增站点（序号）", "new sites (order)"),
    "per_street": ("各街道覆盖率变化", "Change per street"),
    "per_community": ("各社区覆盖率变化", "Change per community"),
    "sites_table": ("新增站点与边际增益", "New sites and marginal gains"),
    "solver_line": (
        "求解：{status}，最优性差距 {gap}，{solver}",
        "solver: {status}, optimality gap {gap}, {solver}",
    ),
    "generated_note": (
        "候选点由路网节点生成，仅供实地踏勘参考，并非已核实的地块。",
        "Candidate sites were generated from street nodes: places to look at, not vetted sites.",
    ),
    "excluded_note": (
        "{n}处候选地块未参与选址（不符合候选地块标准或不在路网上）：{names}；原因见工作簿“排除的候选点”。",
        (
            "{n} candidate sites were left out (they fail a candidate-site standard or lie off the "
            "network): {names}; the reasons are in the workbook's Excluded candidates sheet."
        ),
    ),
    "excluded_table": ("未参与选址的候选地块", "Candidate sites left out"),
    "scale_km": ("1 公里", "1 km"),
    "no_sites": ("无需或无法新增站点", "no new site is needed or useful"),
}

_VERDICT = {
    "pass": ("达标", "pass"),
    "fail": ("不达标", "fail"),
    "not_assessable": ("无法评估", "not assessable"),
}
_LEVEL = {
    "district": ("区县", "district"),
    "street": ("街道", "street"),
    "community": ("社区", "community"),
    "village": ("行政村", "village"),
    "facility": ("设施", "facility"),
    "candidate": ("候选地块", "candidate"),
}
_COMMUNITY_KIND = {"urban": ("城市社区", "urban"), "rural": ("行政村", "rural")}


def _t(key: str, lang: str, **fmt: Any) -> str:
    zh, en = _T[key]
    text = en if lang == "en" else zh
    return text.format(**fmt) if fmt else text


# ================================================================================================================
# Checks at the boundary
# ================================================================================================================


def check_k_anon(k_anon: Any) -> int:
    """The k of the public map: a whole number of at least 1, or :class:`OptionError`."""
    ok = not isinstance(k_anon, bool)
    try:
        value = float(k_anon)
    except (TypeError, ValueError):
        ok = False
        value = float("nan")
    if not ok or not math.isfinite(value) or value != int(value) or value < 1:
        raise OptionError(
            f"the privacy threshold k = {k_anon!r} must be a whole number of at least 1 (communities, "
            f"streets and grid cells with fewer than k elderly are hidden); give e.g. --k-anon "
            f"{DEFAULT_K_ANON}"
        )
    return int(value)


def check_grid_m(grid_m: Any) -> float:
    """The public map's grid size in metres: at least :data:`MIN_GRID_M`, or :class:`OptionError`."""
    try:
        value = float(grid_m)
    except (TypeError, ValueError):
        value = float("nan")
    if not (math.isfinite(value) and value >= MIN_GRID_M):
        raise OptionError(
            f"the public map's grid is {grid_m!r} m; counts of elderly may only be published on a grid "
            f"of at least {MIN_GRID_M:g} m: give {DEFAULT_GRID_M:g} or more"
        )
    return value


def check_lang(lang: str) -> str:
    """``zh`` or ``en``, or :class:`OptionError`."""
    if lang not in LANGS:
        raise OptionError(f"language {lang!r} is not one of {', '.join(LANGS)}")
    return lang


def _check_coverage(study: Study, coverage: CoverageResult | None) -> CoverageResult:
    if coverage is None:
        raise StudyError(
            f"study {study.folder} has no coverage results to report: run the coverage on its walking "
            "network first (it needs [network] source in study.toml and at least one facility)"
        )
    if not coverage.kinds:
        raise StudyError(
            f"the coverage of study {study.folder} measured no facility kind (the facilities layer has "
            "no usable row): add facilities with a kind such as 日间照料中心, then report again"
        )
    if len(coverage.communities) != len(study.communities):
        raise StudyError(
            f"the coverage results have {len(coverage.communities)} communities but study "
            f"{study.folder} has {len(study.communities)}: they come from another study; run the "
            "coverage of this study again"
        )
    return coverage


def prepare_out_dir(out_dir: str | Path, *, force: bool = False) -> Path:
    """Create ``out_dir`` or check it: a writable folder, empty unless ``force``.

    Raises
    ------
    OptionError
        When the path is a file, cannot be created, is not writable, or is not empty without ``force``.
    """
    p = Path(out_dir).expanduser()
    if p.exists() and not p.is_dir():
        raise OptionError(f"output folder {p} is a file, not a folder; give a new or empty folder with --out")
    if p.is_dir():
        entries = sorted(x.name for x in p.iterdir())
        if entries and not force:
            shown = ", ".join(entries[:5]) + (" ..." if len(entries) > 5 else "")
            raise OptionError(
                f"output folder {p} is not empty ({len(entries)} entries: {shown}); choose a new or "
                "empty folder, or pass --force to overwrite the report files in it"
            )
    else:
        try:
            p.mkdir(parents=True)
        except OSError as exc:
            raise OptionError(
                f"output folder {p} cannot be created ({exc.strerror or exc}); choose a folder you "
                "can write to"
            ) from None
    try:
        with tempfile.NamedTemporaryFile(dir=p, prefix=".eldercircle-probe-"):
            pass
    except OSError as exc:
        raise OptionError(
            f"output folder {p} is not writable ({exc.strerror or exc}); choose a folder you can write to"
        ) from None
    return p


# ================================================================================================================
# Privacy: suppression of small counts
# ================================================================================================================


def suppress_small(counts: np.ndarray, groups: np.ndarray, *, k_anon: int) -> np.ndarray:
    """Which counts to hide so that no count below ``k_anon`` is shown or can be worked out by subtraction.

    Primary suppression hides every count below k. Secondary suppression then looks at each group (a street, whose
    total is also published): when the hidden counts of a group sum to more than 0 but less than k, the group total
    minus the shown counts would reveal them, so the smallest shown count of the group is hidden as well (repeated
    until the hidden sum is 0 or at least k, or nothing is left to hide).

    Parameters
    ----------
    counts : (n,) counts (elderly per community).
    groups : (n,) group label of each count (its street).
    k_anon : the threshold k.

    Returns
    -------
    (n,) bool, True where the count must not be shown.
    """
    c = np.asarray(counts, dtype=float)
    hide = ~(c >= k_anon)  # NaN hides too
    g = pd.Series(np.asarray(groups, dtype=object)).fillna("").to_numpy(object)
    codes, _ = pd.factorize(g)
    for code in np.unique(codes):  # one pass per street; a handful of groups
        members = np.flatnonzero(codes == code)
        while True:
            hidden_sum = float(np.nansum(c[members][hide[members]]))
            if hidden_sum == 0 or hidden_sum >= k_anon:
                break
            shown = members[~hide[members]]
            if shown.size == 0:
                break
            hide[shown[np.argmin(c[shown])]] = True
    return hide


def _public_count(value: float, hidden: bool, k_anon: int) -> int | str:
    return f"<{k_anon}" if hidden or not np.isfinite(value) else round(value)


def _small(x: np.ndarray | float, k_anon: int) -> np.ndarray:
    """True where a count is a small group (more than 0, fewer than k) or unknown."""
    v = np.asarray(x, dtype=float)
    return ~np.isfinite(v) | ((v > 0.5) & (v < k_anon - 0.5))


def suppress_shares(
    elderly: np.ndarray, covered: np.ndarray, groups: np.ndarray, hidden: np.ndarray, *, k_anon: int
) -> tuple[np.ndarray, dict[Any, bool]]:
    """Which coverage shares to hide so that no group of fewer than ``k_anon`` follows from a count beside a share.

    A community's count of elderly shown beside its share covered gives the covered and the uncovered count
    (``elderly x share`` and the rest); a street's count and share give the street's, and minus the shown
    communities, the sum of the hidden ones. A share is shown only when every count it lets a reader work out is 0
    or at least k:

    1. a community's share is hidden when its count is hidden (``hidden``, from :func:`suppress_small`) or its
       covered or uncovered count is between 1 and k - 1;
    2. a street's share is hidden when its count is below k or its covered or uncovered count is between 1 and
       k - 1;
    3. for a street whose share is shown, the covered and the uncovered counts of its communities whose share is
       hidden must sum to 0 or at least k (the street's count minus the shown ones would reveal them): otherwise
       one more share is hidden, that of the smallest community that brings both sums to 0 or k and more (or,
       when none does, of the one that adds most to the small sum), repeated; when none is left, the street's
       share is hidden.

    Parameters
    ----------
    elderly : (n,) elderly per community (as published: rounded).
    covered : (n,) elderly covered per community (rounded).
    groups : (n,) the street of each community.
    hidden : (n,) True where the community's count (and so its share) is not shown, or its share is hidden
        already (streets, when the rule is applied one level up with the district as the group).
    k_anon : the threshold k.

    Returns
    -------
    (hide, street_hide)
        (n,) bool, True where the community's share must not be shown; and per street, True where the street's
        share must not be shown.
    """
    e = np.asarray(elderly, dtype=float)
    c = np.asarray(covered, dtype=float)
    u = e - c
    hide = np.asarray(hidden, dtype=bool) | _small(c, k_anon) | _small(u, k_anon) | ~np.isfinite(e)
    g = pd.Series(np.asarray(groups, dtype=object)).fillna("").to_numpy(object)
    codes, labels = pd.factorize(g)
    street_hide: dict[Any, bool] = {}
    for code, label in enumerate(labels):
        members = np.flatnonzero(codes == code)
        total_e, total_c = float(np.nansum(e[members])), float(np.nansum(c[members]))
        off = (
            not (total_e >= k_anon)
            or bool(_small(total_c, k_anon))
            or bool(_small(total_e - total_c, k_anon))
        )
        while not off:
            hid = members[hide[members]]
            sum_c, sum_u = float(np.nansum(c[hid])), float(np.nansum(u[hid]))
            small_c, small_u = bool(_small(sum_c, k_anon)), bool(_small(sum_u, k_anon))
            if not (small_c or small_u):
                break
            shown = members[~hide[members]]
            if shown.size == 0:
                off = True
                break
            # hide the smallest community whose share closes the gap; else the one that adds most to it
            closes = [
                j for j in shown if not _small(sum_c + c[j], k_anon) and not _small(sum_u + u[j], k_anon)
            ]
            if closes:
                hide[min(closes, key=lambda j: (e[j], j))] = True
            else:
                gain = (c[shown] if small_c else 0.0) + (u[shown] if small_u else 0.0)
                hide[shown[np.argmax(gain)]] = True
        street_hide[label] = off
    return hide, street_hide


# ================================================================================================================
# The public coverage map
# ================================================================================================================


def _uses_osm(study: Study) -> bool:
    """True when the walking network is OpenStreetMap data (a synthetic study's OSM-format file is not)."""
    src = (study.network.source or "").lower()
    return not study.synthetic and (src.startswith("place:") or src.endswith(OSM_SUFFIXES))


def _headline_kind(kinds: Sequence[str]) -> str:
    return "day_care" if "day_care" in kinds else kinds[0]


def _share_colour(share: float | None) -> str:
    if share is None or not np.isfinite(share):
        return SUPPRESSED_COLOUR
    for upper, colour in SHARE_CLASSES:
        if share < upper:
            return colour
    return SHARE_CLASSES[-1][1]


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


def _leaflet_assets() -> tuple[str, str] | None:
    """Leaflet's JS and CSS (images inlined) from the xstatic-leaflet package, or None when it is missing."""
    try:
        from xstatic.pkg import leaflet as xleaflet
    except ImportError:
        return None
    base = Path(xleaflet.BASE_DIR)
    js = (base / "leaflet.js").read_text(encoding="utf-8")
    js = re.sub(r"//# sourceMappingURL=\S+\s*$", "", js).replace("</script", "<\\/script")
    css = (base / "leaflet.css").read_text(encoding="utf-8")

    def data_uri(match: re.Match) -> str:
        path = base / match.group(1)
        if not path.is_file():
            return match.group(0)
        return "url(data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii") + ")"

    css = re.sub(r"url\((images/[^)]+\.png)\)", data_uri, css)
    return js, css


def standalone_html(fmap: folium.Map) -> str:
    """Render a folium map as one HTML file that opens offline: Leaflet inlined, no other CDN asset.

    Only maps built from Leaflet core (GeoJson, CircleMarker, tooltips, popups, LayerControl, tiles) work this way:
    folium's jQuery/Bootstrap/Font Awesome (``folium.Icon`` markers, some plugins) are not loaded. When the
    ``xstatic-leaflet`` package is missing, Leaflet stays a CDN link (the file then needs a network connection).
    """
    assets = _leaflet_assets()
    if assets is None:
        fmap.default_js = [js for js in fmap.default_js if js[0] == "leaflet"]
        fmap.default_css = [css for css in fmap.default_css if css[0] == "leaflet_css"]
    else:
        js, css = assets
        fmap.default_js = []
        fmap.default_css = []
        from planning.maps import html_element

        cast(Any, fmap.get_root()).header.add_child(
            html_element(f"<style>{css}</style>\n<script>{js}</script>"), name="leaflet_inline", index=0
        )
    return fmap.get_root().render()


def public_map_html(
    study: Study,
    coverage: CoverageResult,
    circles: gpd.GeoDataFrame | None,
    *,
    lang: str = "zh",
    k_anon: int = DEFAULT_K_ANON,
    grid_m: float = DEFAULT_GRID_M,
    basemap: str | None = None,
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
    basemap : ``none`` or ``osm`` tiles; default none for synthetic studies, OpenStreetMap otherwise (loaded only
        when online).

    Returns
    -------
    str
        The HTML text (UTF-8 when written).
    """
    import folium

    from planning.maps import KIND_COLOURS, SafeGeoJson, TextTooltip, base_map, html_element

    lang = check_lang(lang)
    k = check_k_anon(k_anon)
    grid = check_grid_m(grid_m)
    cov = _check_coverage(study, coverage)
    m = cov.minutes[-1]
    head = _headline_kind(cov.kinds)
    fmap = base_map(study, basemap=basemap)
    crs = study.crs

    # --- communities: shares, counts from k up, secondary suppression per street -------------------------------
    cc = cov.communities
    no_street = _t("no_street", lang)
    streets = cc["street"].astype(object).where(cc["street"].notna(), no_street).to_numpy(object)
    elderly = np.round(cc["elderly"].to_numpy(float))
    hidden = suppress_small(elderly, streets, k_anon=k)
    share_cols = {kind: f"share_{kind}" for kind in cov.kinds}
    props = pd.DataFrame(
        {
            "name": cc["name"].astype(str).to_numpy(object),
            "street": streets,
            "elderly": [_public_count(v, h, k) for v, h in zip(elderly, hidden, strict=False)],
        }
    )
    # a share beside a count gives the covered and uncovered counts: shown only when those are 0 or at least k
    share_hidden: dict[str, np.ndarray] = {}
    street_share_hidden: dict[str, dict[Any, bool]] = {}
    covered_of: dict[str, np.ndarray] = {}
    for kind in cov.kinds:
        covered = covered_of[kind] = np.round(cc[f"covered_{kind}_{m}min"].to_numpy(float))
        share_hidden[kind], street_share_hidden[kind] = suppress_shares(
            elderly, covered, streets, hidden, k_anon=k
        )
        s = cc[f"share_{kind}_{m}min"].to_numpy(float)
        props[share_cols[kind]] = [
            None if h or not np.isfinite(v) else round(v * 100)
            for v, h in zip(s, share_hidden[kind], strict=False)
        ]
    colour = [
        _share_colour(None if h else v)
        for v, h in zip(cc[f"share_{head}_{m}min"].to_numpy(float), share_hidden[head], strict=False)
    ]
    geoms = _round_geoms(study.communities.geometry.to_numpy(), simplify_m=MAP_SIMPLIFY_M, crs=crs)
    comm_fc = _collection(geoms, props, "c")
    colour_of = {f"c{i}": c for i, c in enumerate(colour)}
    tip_fields = ["name", "street", "elderly"] + [share_cols[kd] for kd in cov.kinds]
    tip_alias = [tr("community", lang), tr("street", lang), _t("elderly_col", lang)] + [
        _t("share_col", lang, kind=kind_label(kd, lang), m=m) for kd in cov.kinds
    ]
    group = folium.FeatureGroup(name=_t("community_layer", lang, kind=kind_label(head, lang), m=m), show=True)
    SafeGeoJson(
        comm_fc,
        style_function=lambda f: {
            "fillColor": colour_of.get(f["id"], SUPPRESSED_COLOUR),
            "color": "#555",
            "weight": 1,
            "fillOpacity": 0.55,
        },
        highlight_function=lambda f: {"weight": 3, "color": "#222"},
        tooltip=TextTooltip(fields=tip_fields, aliases=tip_alias),
    ).add_to(group)
    group.add_to(fmap)

    # --- streets: dissolved communities; totals are sums of the (rounded) community counts ----------------------
    st_geom = gpd.GeoDataFrame({"street": streets}, geometry=study.communities.geometry.to_numpy(), crs=crs)
    st = st_geom.dissolve(by="street", sort=True).reset_index()
    st_elderly = pd.Series(elderly).groupby(streets).sum().reindex(st["street"]).to_numpy(float)
    st_hidden = ~(st_elderly >= k)
    cs = cov.streets.copy()
    cs["street"] = cs["street"].astype(object).where(cs["street"] != "(no street)", no_street)
    cs = cs.set_index("street").reindex(st["street"])
    st_props = pd.DataFrame(
        {
            "street": st["street"].to_numpy(object),
            "elderly": [_public_count(v, h, k) for v, h in zip(st_elderly, st_hidden, strict=False)],
        }
    )
    st_share_hidden = {
        kind: np.array(
            [
                bool(h) or street_share_hidden[kind].get(name, True)
                for name, h in zip(st["street"], st_hidden, strict=False)
            ],
            dtype=bool,
        )
        for kind in cov.kinds
    }
    # one level up: the district's share (in the title) beside the sum of the street counts gives the district's
    # covered count, and minus the shown streets, the hidden streets' sum; the same rule, with streets as members
    district_hidden: set[str] = set()
    for kind in cov.kinds:
        st_covered = pd.Series(covered_of[kind]).groupby(streets).sum().reindex(st["street"]).to_numpy(float)
        st_share_hidden[kind], district = suppress_shares(
            st_elderly, st_covered, np.zeros(len(st)), st_share_hidden[kind], k_anon=k
        )
        if any(district.values()):
            district_hidden.add(kind)
    for kind in cov.kinds:
        s = cs[f"share_{kind}_{m}min"].to_numpy(float)
        st_props[share_cols[kind]] = [
            None if h or not np.isfinite(v) else round(v * 100)
            for v, h in zip(s, st_share_hidden[kind], strict=False)
        ]
    st_colour = {
        f"s{i}": _share_colour(None if h else v)
        for i, (v, h) in enumerate(
            zip(cs[f"share_{head}_{m}min"].to_numpy(float), st_share_hidden[head], strict=False)
        )
    }
    st_fc = _collection(
        _round_geoms(st.geometry.to_numpy(), simplify_m=MAP_SIMPLIFY_M, crs=crs), st_props, "s"
    )
    group = folium.FeatureGroup(name=_t("street_layer", lang, kind=kind_label(head, lang), m=m), show=False)
    SafeGeoJson(
        st_fc,
        style_function=lambda f: {
            "fillColor": st_colour.get(f["id"], SUPPRESSED_COLOUR),
            "color": "#222",
            "weight": 2,
            "fillOpacity": 0.55,
        },
        tooltip=TextTooltip(
            fields=["street", "elderly"] + [share_cols[kd] for kd in cov.kinds],
            aliases=[tr("street", lang), _t("elderly_col", lang)]
            + [_t("share_col", lang, kind=kind_label(kd, lang), m=m) for kd in cov.kinds],
        ),
    ).add_to(group)
    group.add_to(fmap)

    # --- uncovered elderly of the headline kind on a grid; cells below k left out ------------------------------
    dens = uncovered_density(cov, head, minutes=m, cell_m=grid)
    counts = np.round(dens["elderly_uncovered"].to_numpy(float))
    keep = counts >= k
    grid_breaks = _grid_breaks(counts[keep], k)
    if keep.any():
        g_props = pd.DataFrame({"elderly_uncovered": counts[keep].astype(int)})
        g_fc = _collection(
            _round_geoms(dens.geometry.to_numpy()[keep], simplify_m=0.0, crs=crs), g_props, "g"
        )
        g_colour = {
            f"g{i}": GRID_COLOURS[int(np.searchsorted(grid_breaks, v, side="right")) - 1]
            for i, v in enumerate(counts[keep])
        }
        group = folium.FeatureGroup(
            name=_t("grid_layer", lang, kind=kind_label(head, lang), m=m, grid=grid), show=False
        )
        SafeGeoJson(
            g_fc,
            style_function=lambda f: {
                "fillColor": g_colour.get(f["id"], GRID_COLOURS[0]),
                "color": "#999",
                "weight": 0.5,
                "fillOpacity": 0.75,
            },
            tooltip=TextTooltip(fields=["elderly_uncovered"], aliases=[_t("uncovered_col", lang)]),
        ).add_to(group)
        group.add_to(fmap)

    # --- service circles per kind ------------------------------------------------------------------------------
    if circles is not None and len(circles):
        for kind in cov.kinds:
            sub = circles[circles["kind"] == kind].sort_values("band_min", ascending=False)
            if sub.empty:
                continue
            hexc = KIND_COLOURS.get(kind, ("gray", "#777777"))[1]
            c_props = pd.DataFrame(
                {"kind": kind_label(kind, lang), "minutes": sub["band_min"].to_numpy(int)},
                index=range(len(sub)),
            )
            c_fc = _collection(
                _round_geoms(sub.geometry.to_numpy(), simplify_m=MAP_SIMPLIFY_M, crs=crs), c_props, f"{kind}_"
            )
            group = folium.FeatureGroup(
                name=_t("circles", lang, kind=kind_label(kind, lang)), show=(kind == head)
            )
            SafeGeoJson(
                c_fc,
                style_function=lambda f, c=hexc: {
                    "fillColor": c,
                    "color": c,
                    "weight": 1,
                    "fillOpacity": 0.12,
                },
                tooltip=TextTooltip(
                    fields=["kind", "minutes"], aliases=[tr("kind", lang), _t("minutes_col", lang)]
                ),
            ).add_to(group)
            group.add_to(fmap)

    # --- facilities: public attributes only --------------------------------------------------------------------
    fac = study.facilities
    present = [kd for kd in FACILITY_KINDS if (fac["kind"] == kd).any()]
    for kind in present:
        sub = fac[fac["kind"] == kind]
        hexc = KIND_COLOURS.get(kind, ("gray", "#777777"))[1]
        f_props = pd.DataFrame(
            {
                "name": sub["name"].astype(str).to_numpy(object),
                "kind": kind_label(kind, lang),
                "floor_area_m2": _rounded_or_none(sub, "floor_area_m2"),
                "beds": _rounded_or_none(sub, "beds"),
            },
            index=range(len(sub)),
        )
        pts = _round_geoms(sub.geometry.representative_point().to_numpy(), simplify_m=0.0, crs=crs)
        group = folium.FeatureGroup(name=f"{kind_label(kind, lang)} ({len(sub)})", show=True)
        SafeGeoJson(
            _collection(pts, f_props, f"f{kind}_"),
            marker=folium.CircleMarker(
                radius=6, color="#ffffff", weight=1.5, fill=True, fill_color=hexc, fill_opacity=0.95
            ),
            tooltip=TextTooltip(
                fields=list(PUBLIC_FACILITY_COLUMNS),
                aliases=[
                    _t("facility_name", lang),
                    _t("facility_kind", lang),
                    _t("floor_area", lang),
                    _t("beds", lang),
                ],
            ),
        ).add_to(group)
        group.add_to(fmap)

    folium.LayerControl(collapsed=False).add_to(fmap)
    root = cast(Any, fmap.get_root())
    # the title, title box and legend carry the study's name, date and sources: escaped, and written as values
    # (folium.Element would evaluate "{{ ... }}" in them as a template)
    root.header.add_child(
        html_element(f"<title>{html.escape(_map_title(study, lang))}</title>"), name="title"
    )
    root.html.add_child(
        html_element(
            _title_box(study, cov, lang=lang, k=k, grid=grid, head=head, hidden_kinds=district_hidden)
        )
    )
    root.html.add_child(
        html_element(
            _legend_box(
                cov, present, lang=lang, k=k, head=head, grid_breaks=grid_breaks, has_grid=bool(keep.any())
            )
        )
    )
    text = standalone_html(fmap)
    if _leaflet_assets() is None:
        text = text.replace("</body>", f"<p>{html.escape(_t('offline_missing', lang))}</p></body>", 1)
    return text


def _rounded_or_none(frame: pd.DataFrame, col: str) -> list[int | None]:
    if col not in frame:
        return [None] * len(frame)
    v = pd.to_numeric(frame[col], errors="coerce").to_numpy(float)
    return [round(x) if np.isfinite(x) else None for x in v]


def _grid_breaks(values: np.ndarray, k: int) -> np.ndarray:
    """Lower bounds of the grid's colour classes (the first is k)."""
    if values.size == 0:
        return np.array([float(k)])
    qs = np.unique(np.round(np.quantile(values, [0.25, 0.5, 0.75])))
    qs = qs[qs > k]
    return np.concatenate([[float(k)], qs])[: len(GRID_COLOURS)]


def _map_title(study: Study, lang: str) -> str:
    return _t("map_title", lang, name=study.name_en if lang == "en" else study.name)


def _title_box(
    study: Study,
    cov: CoverageResult,
    *,
    lang: str,
    k: int,
    grid: float,
    head: str,
    hidden_kinds: set[str] | frozenset[str] = frozenset(),
) -> str:
    m = cov.minutes[-1]
    esc = html.escape
    tot = cov.totals[cov.totals["band_min"] == m]
    shares = "；".join if lang == "zh" else "; ".join
    share_text = shares(
        [
            f"{kind_label(r.kind, lang)} {r.share * 100:.1f}%"
            if r.kind not in hidden_kinds
            else f"{kind_label(r.kind, lang)} {_t('suppressed', lang, k=k)}"
            for r in tot.itertuples()
            if np.isfinite(r.share)
        ]
    )
    lines = [f"<div style='font-size:15px;font-weight:bold'>{esc(_map_title(study, lang))}</div>"]
    if study.synthetic:
        lines.append(f"<div style='color:#b00;font-weight:bold'>{esc(tr('synthetic_notice', lang))}</div>")
    lines.append(
        f"<div>{esc(_t('headline', lang, m=m))}："
        if lang == "zh"
        else f"<div>{esc(_t('headline', lang, m=m))}: "
    )
    lines[-1] += esc(share_text) + "</div>"
    lines.append(
        "<div>"
        + esc(_t("speed", lang, speed=cov.walk_speed_m_s, m=m, dist=cov.walk_speed_m_s * 60 * m))
        + "</div>"
    )
    sep = "：" if lang == "zh" else ": "
    lines.append(f"<div>{esc(_t('data_date', lang))}{sep}{esc(study.data_date or '—')}</div>")
    lines.append(f"<div>{esc(_t('sources', lang))}{sep}{esc('; '.join(study.sources) or '—')}</div>")
    if _uses_osm(study):
        lines.append(f"<div>{esc(_t('osm', lang))}</div>")
    lines.append(f"<div style='color:#555'>{esc(_t('privacy', lang, k=k, grid=grid))}</div>")
    return (
        "<div id='eldercircle-title' style='position:fixed;top:10px;left:54px;z-index:9999;max-width:460px;"
        "background:rgba(255,255,255,0.94);padding:8px 10px;border:1px solid #999;border-radius:4px;"
        "font-size:12px;line-height:1.45'>" + "".join(lines) + "</div>"
    )


def _legend_box(
    cov: CoverageResult,
    present: Sequence[str],
    *,
    lang: str,
    k: int,
    head: str,
    grid_breaks: np.ndarray,
    has_grid: bool,
) -> str:
    from planning.maps import KIND_COLOURS

    esc = html.escape
    m = cov.minutes[-1]

    def swatch(colour: str, *, round_: bool = False, opacity: float = 1.0) -> str:
        radius = "6px" if round_ else "2px"
        return (
            f"<span style='display:inline-block;width:12px;height:12px;border-radius:{radius};"
            f"background:{colour};opacity:{opacity};margin-right:6px;vertical-align:middle;"
            "border:1px solid #777'></span>"
        )

    rows = [f"<b>{esc(tr('legend', lang))}</b>"]
    what = (
        f"{_t('share_legend', lang)}（{kind_label(head, lang)}，{m} 分钟）"
        if lang == "zh"
        else f"{_t('share_legend', lang)} ({kind_label(head, lang)}, {m} min)"
    )
    rows.append(f"<div style='margin-top:4px'>{esc(what)}</div>")
    lower = 0.0
    for upper, colour in SHARE_CLASSES:
        hi = min(upper, 1.0)
        rows.append(f"<div>{swatch(colour)}{lower * 100:.0f}–{hi * 100:.0f}%</div>")
        lower = upper
    rows.append(f"<div>{swatch(SUPPRESSED_COLOUR)}{esc(_t('suppressed', lang, k=k))}</div>")
    rows.append(f"<div style='margin-top:4px'>{esc(_t('circles', lang, kind='')).rstrip('：: ')}</div>")
    n = len(cov.minutes)
    for i, band in enumerate(cov.minutes):
        rows.append(
            f"<div>{swatch('#38aadd', opacity=min(1.0, 0.25 * (n - i)))}"
            f"{esc(_t('circle_band', lang, m=band))}</div>"
        )
    if has_grid:
        rows.append(f"<div style='margin-top:4px'>{esc(_t('uncovered_col', lang))}</div>")
        bounds = list(grid_breaks)
        for i, lo in enumerate(bounds):
            top = bounds[i + 1] - 1 if i + 1 < len(bounds) else None
            label = f"{lo:,.0f}–{top:,.0f}" if top is not None else f"≥ {lo:,.0f}"
            rows.append(f"<div>{swatch(GRID_COLOURS[i])}{label}</div>")
        rows.append(f"<div style='color:#555'>{esc(_t('grid_note', lang, k=k))}</div>")
    rows.append(f"<div style='margin-top:4px'>{esc(tr('facilities', lang))}</div>")
    for kind in present:
        rows.append(
            f"<div>{swatch(KIND_COLOURS.get(kind, ('', '#777'))[1], round_=True)}"
            f"{esc(kind_label(kind, lang))}</div>"
        )
    return (
        "<div id='eldercircle-legend' style='position:fixed;bottom:64px;left:12px;z-index:9999;"
        "background:rgba(255,255,255,0.94);padding:8px 10px;border:1px solid #999;border-radius:4px;"
        "font-size:12px;line-height:1.4;max-height:70vh;overflow:auto'>" + "".join(rows) + "</div>"
    )


# ================================================================================================================
# The workbook
# ================================================================================================================


def _coverage_header(col: str, lang: str) -> str:
    """Header of a coverage column (``covered_<kind>_<m>min``, ``share_...``, ``beds_per_1000_elderly_<kind>``)."""
    fixed = {
        "name": ("社区名称", "Community"),
        "street": ("所属街道", "Street"),
        "kind": ("社区类型", "Community type"),
        "elderly": ("老年人口（人）", "Elderly (persons)"),
        "communities": ("社区数（个）", "Communities"),
        "elderly_uncovered": ("未覆盖老年人（人）", "Elderly not covered (persons)"),
        "share": ("覆盖率（%）", "Share covered (%)"),
    }
    if col in fixed:
        return fixed[col][1 if lang == "en" else 0]
    match = re.fullmatch(r"(covered|share)_(.+)_(\d+)min", col)
    if match:
        what, kind, m = match.groups()
        label = kind_label(kind, lang)
        if what == "covered":
            return (
                f"{m}分钟内可达{label}的老年人（人）"
                if lang == "zh"
                else f"Elderly within {m} min of {label} (persons)"
            )
        return f"{label} {m}分钟覆盖率（%）" if lang == "zh" else f"Share within {m} min of {label} (%)"
    match = re.fullmatch(r"beds_per_1000_elderly_(.+)", col)
    if match:
        label = kind_label(match.group(1), lang)
        return (
            f"{label}床位可达性（床/千名老人）"
            if lang == "zh"
            else f"{label}: beds within reach (beds per 1000 elderly)"
        )
    return col


def _is_share(col: str) -> bool:
    return col == "share" or col.startswith("share_") or col.endswith("_share")


def _cell(v: Any) -> Any:
    """A value for openpyxl: numbers as numbers, NaN as an empty cell, text with ID-card and phone numbers replaced
    and never a formula (:func:`planning.export.safe_cell`: openpyxl stores any text starting with ``=`` as one)."""
    if isinstance(v, str):
        return safe_cell(redact_text(v))
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return float(v) if np.isfinite(v) else None
    return v


def _text_width(v: Any) -> int:
    s = str(v) if v is not None else ""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in s)


def _sheet(
    wb: Any, title: str, frame: pd.DataFrame, headers: Sequence[str], formats: Sequence[str | None]
) -> None:
    """Append a sheet: bold header row, frozen, numbers with ``formats`` (one per column, None = general)."""
    from openpyxl.styles import Alignment, Font

    ws = wb.create_sheet(title=title[:31])
    ws.append([_cell(str(h)) for h in headers])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in frame.itertuples(index=False):
        ws.append([_cell(v) for v in row])
    for j, fmt in enumerate(formats, start=1):
        if fmt is None:
            continue
        for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
            if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                cell.number_format = fmt
    for j, head in enumerate(headers, start=1):
        sample = [head] + [frame.iloc[i, j - 1] for i in range(min(len(frame), 200))]
        width = min(60, max(8, max(_text_width(_cell(v)) for v in sample) + 2))
        ws.column_dimensions[ws.cell(row=1, column=j).column_letter].width = width
    ws.freeze_panes = "A2"


def _format_for(col: str) -> str | None:
    if _is_share(col):
        return "0.0%"
    if col.startswith("beds_per_1000"):
        return "0.0"
    if col in (
        "elderly",
        "elderly_uncovered",
        "elderly_total",
        "elderly_covered",
        "points",
    ) or col.startswith(("covered_", "gain", "cumulative", "reach_", "capacity_")):
        return "#,##0"
    return None


def _translate_values(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    out = frame.copy()
    if "kind" in out and set(out["kind"].dropna().unique()) <= set(_COMMUNITY_KIND):
        out["kind"] = out["kind"].map(lambda v: _COMMUNITY_KIND.get(v, (v, v))[1 if lang == "en" else 0])
    return out


def workbook_bytes(
    study: Study,
    coverage: CoverageResult,
    check: CheckResult | None = None,
    siting: SitingResult | None = None,
    *,
    lang: str = "zh",
) -> bytes:
    """The report workbook (XLSX): coverage per community and street, the standards check with citations, and the
    siting result with marginal gains.

    Headers are Chinese by default (``lang="en"`` for English) and carry their units; numbers are stored as numbers
    (shares as fractions formatted as percentages). Sheets: about, totals, communities, streets, day-care gaps (when
    day care was measured), standards check (when ``check`` is given), and for a siting run: sites, curve,
    communities and streets before/after, unreachable demand, excluded candidates.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    lang = check_lang(lang)
    cov = _check_coverage(study, coverage)
    en = lang == "en"
    wb = Workbook()
    about = wb.active
    about.title = "About" if en else "说明"
    info: list[tuple[str, Any]] = [
        ("Study" if en else "研究区", study.name_en if en else study.name),
        (
            "Synthetic data" if en else "合成数据",
            ("yes: invented streets, places and figures" if en else "是：街道、地名和数字均为虚构")
            if study.synthetic
            else ("no" if en else "否"),
        ),
        ("Data date" if en else "数据日期", study.data_date or "—"),
        ("Sources" if en else "数据来源", "; ".join(study.sources) or "—"),
        ("Walking speed (m/s)" if en else "步行速度（米/秒）", cov.walk_speed_m_s),
        ("Bands (minutes)" if en else "步行时间段（分钟）", ", ".join(str(m) for m in cov.minutes)),
        ("Facility kinds" if en else "设施类型", ", ".join(kind_label(k, lang) for k in cov.kinds)),
        ("Standards preset" if en else "标准预设", check.preset if check is not None else "—"),
    ]
    if _uses_osm(study):
        info.append(("Network" if en else "步行路网", _t("osm", lang)))
    for note in cov.notes_in(lang):
        info.append(("Coverage note" if en else "覆盖说明", note))
    personal = personal_notes(study, siting)
    for pnote in personal:
        info.append(("Personal data left out" if en else "已删除的个人信息", pnote.message_in(lang)))
    if not personal:
        info.append(
            (
                "Personal data left out" if en else "已删除的个人信息",
                "none found" if en else "未发现个人信息列",
            )
        )
    if siting is not None:
        from planning.siting import siting_summary

        info.append(("Siting" if en else "选址", siting_summary(siting, lang=lang)))
        info.append(
            (
                "Solver" if en else "求解器",
                f"{siting.solver}; status {siting.status}; gap {siting.gap:.4g}"
                if np.isfinite(siting.gap)
                else siting.solver,
            )
        )
        for note in siting.notes_in(lang):
            info.append(("Siting note" if en else "选址说明", note))
    about.append(["Item" if en else "项目", "Value" if en else "内容"])
    for cell in about[1]:
        cell.font = Font(bold=True)
    for key, value in info:
        about.append([key, _cell(value)])
    about.column_dimensions["A"].width = 22
    about.column_dimensions["B"].width = 100

    # totals
    tot = cov.totals.copy()
    tot["kind"] = tot["kind"].map(lambda kd: kind_label(kd, lang))
    _sheet(
        wb,
        "Totals" if en else "覆盖率汇总",
        tot,
        [
            "Facility kind" if en else "设施类型",
            "Walk (minutes)" if en else "步行时间（分钟）",
            "Elderly (persons)" if en else "老年人口（人）",
            "Elderly covered (persons)" if en else "覆盖老年人（人）",
            "Share covered (%)" if en else "覆盖率（%）",
        ],
        [None, "0", "#,##0", "#,##0", "0.0%"],
    )
    # communities, with bed access
    comm = cov.communities.copy()
    if len(cov.access.columns) > 2:
        for col in cov.access.columns:
            if col.startswith("beds_per_1000"):
                comm[col] = cov.access[col].to_numpy()
    comm = _translate_values(comm, lang)
    _sheet(
        wb,
        "Communities" if en else "社区覆盖率",
        comm,
        [_coverage_header(c, lang) for c in comm.columns],
        [_format_for(c) for c in comm.columns],
    )
    streets = cov.streets.copy()
    _sheet(
        wb,
        "Streets" if en else "街道覆盖率",
        streets,
        [_coverage_header(c, lang) for c in streets.columns],
        [_format_for(c) for c in streets.columns],
    )
    if len(cov.daycare_gaps):
        gaps = cov.daycare_gaps.copy()
        _sheet(
            wb,
            "Day-care gaps" if en else "日间照料缺口",
            gaps,
            [_coverage_header(c, lang) for c in gaps.columns],
            [_format_for(c) for c in gaps.columns],
        )
    if check is not None:
        _check_sheet(wb, check, lang)
    if siting is not None:
        _siting_sheets(wb, siting, lang)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _check_sheet(wb: Any, check: CheckResult, lang: str) -> None:
    from planning.standards import NEED_UNITS, UNITS

    en = lang == "en"
    i = 1 if en else 0
    rows = check.rows
    share = rows["unit"].to_numpy(object) == "share"
    frame = pd.DataFrame(
        {
            "rule_id": rows["rule_id"],
            "title": rows["title_en" if en else "title_zh"],
            "level": rows["level"].map(lambda v: _LEVEL.get(v, (v, v))[i]),
            "unit_name": rows["unit_name"],
            "street": rows["street"],
            "value": rows["value"],
            "compare": rows["compare"],
            "threshold": rows["threshold"],
            "unit": rows["unit"].map(lambda u: UNITS.get(u, (u, u))[i]),
            "verdict": rows["verdict"].map(lambda v: _VERDICT.get(v, (v, v))[i]),
            "shortfall": rows["shortfall"],
            "need": rows["need"],
            "need_unit": rows["need_unit"].map(lambda u: NEED_UNITS.get(u, (u, u))[i] if u else ""),
            "explanation": rows["explanation_en" if en else "explanation_zh"],
            "citation": rows["citation"],
            "status": rows["status"],
            "overridden": rows["overridden"].map(
                lambda b: ("yes" if en else "是") if b else ("no" if en else "否")
            ),
        }
    )
    headers = (
        [
            "Rule",
            "Standard",
            "Level",
            "Unit assessed",
            "Street",
            "Value (in unit)",
            "Comparison",
            "Threshold (in unit)",
            "Unit",
            "Verdict",
            "Shortfall (in unit)",
            "Needed",
            "Needed (unit)",
            "Explanation",
            "Citation",
            "Status (V1/V2/R)",
            "Overridden in study.toml",
        ]
        if en
        else [
            "规则编号",
            "标准",
            "层级",
            "评估对象",
            "所属街道",
            "数值（按单位）",
            "比较",
            "阈值（按单位）",
            "单位",
            "结论",
            "差距（按单位）",
            "需补足",
            "需补足单位",
            "说明",
            "依据",
            "核实状态（V1/V2/R）",
            "研究区覆盖设定",
        ]
    )
    _sheet(
        wb,
        "Standards check" if en else "标准核查",
        frame,
        headers,
        [None] * 5 + ["0.###"] + [None] + ["0.###"] + [None] * 2 + ["0.###", "#,##0.#"] + [None] * 5,
    )
    ws = wb[("Standards check" if en else "标准核查")[:31]]
    for r, is_share in enumerate(share, start=2):
        if is_share:
            for col in (6, 8, 11):
                if isinstance(ws.cell(row=r, column=col).value, float):
                    ws.cell(row=r, column=col).number_format = "0.0%"


def _reason_in(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A copy of a siting frame with one ``reason`` column in ``lang`` (the frames carry ``reason`` in English and
    ``reason_zh`` in Chinese)."""
    out = frame.copy()
    if "reason_zh" not in out:
        return out
    if lang == "en":
        return out.drop(columns="reason_zh")
    out["reason"] = out["reason_zh"].where(out["reason_zh"].notna() & (out["reason_zh"] != ""), out["reason"])
    return out.drop(columns="reason_zh")


def _siting_sheets(wb: Any, siting: SitingResult, lang: str) -> None:
    en = lang == "en"
    label = kind_label(siting.kind, lang)
    served = siting.objective == "capacitated"
    sites = pd.DataFrame(siting.sites.drop(columns="geometry"))
    xy = shapely.get_coordinates(siting.sites.geometry.to_numpy()) if len(sites) else np.zeros((0, 2))
    ll = (
        shapely.get_coordinates(siting.sites.to_crs(4326).geometry.to_numpy())
        if len(sites)
        else np.zeros((0, 2))
    )
    heads = {
        "order": ("顺序", "Order"),
        "candidate": ("候选点编号", "Candidate"),
        "name": ("候选点名称", "Name"),
        "generated": ("路网节点生成", "Generated from street nodes"),
        "gain_elderly": (
            "新增覆盖老年人（人）" if not served else "新增服务老年人（人）",
            "Marginal gain (elderly)",
        ),
        "cumulative_elderly": (
            "累计覆盖老年人（人）" if not served else "累计服务老年人（人）",
            "Cumulative elderly covered" if not served else "Cumulative elderly served",
        ),
        "share_after": ("累计覆盖率（%）", "Cumulative share (%)"),
        "reach_elderly": (
            f"{siting.minutes:g}分钟内未覆盖老年人（人）",
            f"Uncovered elderly within {siting.minutes:g} min (persons)",
        ),
        "cost": ("费用（候选地块图层单位）", "Cost (units of the candidates layer)"),
        "beds": ("床位数（张）", "Beds"),
        "capacity_elderly": ("可服务老年人（人）", "Capacity (elderly)"),
    }
    sites["generated"] = sites["generated"].map(
        lambda b: ("yes" if en else "是") if b else ("no" if en else "否")
    )
    sites["lon"] = ll[:, 0] if len(ll) else []
    sites["lat"] = ll[:, 1] if len(ll) else []
    sites["x_m"] = xy[:, 0] if len(xy) else []
    sites["y_m"] = xy[:, 1] if len(xy) else []
    heads.update(
        {
            "lon": ("经度（WGS84，度）", "Longitude (WGS84, deg)"),
            "lat": ("纬度（WGS84，度）", "Latitude (WGS84, deg)"),
            "x_m": ("X（研究区坐标系，米）", "X (study CRS, m)"),
            "y_m": ("Y（研究区坐标系，米）", "Y (study CRS, m)"),
        }
    )
    i = 1 if en else 0
    fmt = {
        "gain_elderly": "#,##0",
        "cumulative_elderly": "#,##0",
        "share_after": "0.0%",
        "reach_elderly": "#,##0",
        "cost": "#,##0.##",
        "beds": "0",
        "capacity_elderly": "#,##0",
        "lon": "0.000000",
        "lat": "0.000000",
        "x_m": "0.0",
        "y_m": "0.0",
    }
    _sheet(
        wb,
        f"Sites ({siting.kind})" if en else f"选址结果（{label}）",
        sites,
        [heads.get(c, (c, c))[i] for c in sites.columns],
        [fmt.get(c) for c in sites.columns],
    )
    curve = siting.curve.copy()
    _sheet(
        wb,
        "Coverage curve" if en else "覆盖曲线",
        curve,
        [
            "New sites" if en else "新增站点数（处）",
            "Elderly added (persons)" if en else "新增覆盖老年人（人）",
            "Elderly covered (persons)" if en else "覆盖老年人（人）",
            "Share covered (%)" if en else "覆盖率（%）",
            "Method (exact = best k sites; order = first k chosen)"
            if en
            else "方法（exact=最优k处；order=按入选顺序）",
        ],
        [None, "#,##0", "#,##0", "0.0%", None],
    )
    ba_heads = {
        "name": ("社区名称", "Community"),
        "street": ("所属街道", "Street"),
        "kind": ("社区类型", "Community type"),
        "communities": ("社区数（个）", "Communities"),
        "elderly": ("老年人口（人）", "Elderly (persons)"),
        "covered_before": ("选址前覆盖（人）", "Covered before (persons)"),
        "covered_after": ("选址后覆盖（人）", "Covered after (persons)"),
        "gain": ("增加（人）", "Gain (persons)"),
        "share_before": ("选址前覆盖率（%）", "Share before (%)"),
        "share_after": ("选址后覆盖率（%）", "Share after (%)"),
    }
    ba_fmt = {
        "elderly": "#,##0",
        "covered_before": "#,##0",
        "covered_after": "#,##0",
        "gain": "#,##0",
        "share_before": "0.0%",
        "share_after": "0.0%",
    }
    for frame, name_en, name_zh in (
        (_translate_values(siting.communities, lang), "Before-after communities", "选址前后（社区）"),
        (siting.streets, "Before-after streets", "选址前后（街道）"),
    ):
        _sheet(
            wb,
            name_en if en else name_zh,
            frame,
            [ba_heads.get(c, (c, c))[i] for c in frame.columns],
            [ba_fmt.get(c) for c in frame.columns],
        )
    if len(siting.unreachable):
        un = _translate_values(_reason_in(siting.unreachable, lang), lang)
        un_heads = {
            "community": ("社区", "Community"),
            "street": ("所属街道", "Street"),
            "kind": ("社区类型", "Community type"),
            "points": ("需求点数（个）", "Demand points"),
            "elderly": ("老年人口（人）", "Elderly (persons)"),
            "required": ("须覆盖的需求点（个）", "Required points"),
            "reason": ("原因", "Reason"),
        }
        _sheet(
            wb,
            "Unreachable" if en else "无法覆盖",
            un,
            [un_heads.get(c, (c, c))[i] for c in un.columns],
            [{"elderly": "#,##0"}.get(c) for c in un.columns],
        )
    if len(siting.excluded):
        ex = _reason_in(siting.excluded, lang)
        ex_heads = {
            "candidate": ("候选点编号", "Candidate"),
            "name": ("候选点名称", "Name"),
            "generated": ("路网节点生成", "Generated"),
            "reason": ("排除原因", "Reason"),
        }
        _sheet(
            wb,
            "Excluded candidates" if en else "排除的候选点",
            ex,
            [ex_heads.get(c, (c, c))[i] for c in ex.columns],
            [None] * len(ex.columns),
        )


# ================================================================================================================
# The GeoPackage
# ================================================================================================================

#: Columns of the study's layers that exports need and keep (ID and phone numbers inside them are replaced):
#: the canonical columns of each layer and what siting adds to the candidates. Any other column recognised as
#: personal is left out (:func:`planning.export.strip_personal`).
EXPORT_KEEP: dict[str, frozenset[str]] = {
    role: frozenset(c.name for c in cols) | frozenset({"geometry"}) for role, cols in LAYER_COLUMNS.items()
}
EXPORT_KEEP["candidates"] = EXPORT_KEEP.get("candidates", frozenset()) | frozenset(
    {"candidate", "generated", "reach_elderly", "capacity_elderly", "chosen", "order"}
)


def personal_notes(study: Study, siting: SitingResult | None = None) -> list[PersonalNote]:
    """The personal columns of the study's layers (:func:`planning.export.find_personal`), which every export
    leaves out (or, for a column the exports need such as a name, cleans): one note per column, never a value."""
    from planning.export import find_personal

    notes: list[PersonalNote] = []
    for role in ("communities", "facilities", "candidates", "population"):
        frame = getattr(study, role, None)
        if role == "candidates" and frame is None and siting is not None and len(siting.candidates):
            frame = siting.candidates  # sites generated from street nodes
        if frame is None or not len(frame):
            continue
        cols = [c for c in frame.columns if not str(c).startswith("_")]
        notes.extend(find_personal(frame[cols], layer=role, keep=EXPORT_KEEP.get(role, ())))
    return notes


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
    ID-card and phone numbers inside the columns kept are replaced (:func:`personal_notes` lists them).
    """
    cov = _check_coverage(study, coverage)
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
    """A GeoPackage holding :func:`result_layers`, as bytes (for a download or :func:`write_report`)."""
    import pyogrio

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


# ================================================================================================================
# Scenario comparison
# ================================================================================================================

_CJK_FONT_NAMES = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "Droid Sans Fallback",
    "AR PL UMing CN",
)
_CJK_FONT_GLOBS = (
    "*NotoSansCJK*",
    "*NotoSansSC*",
    "*SourceHanSans*",
    "*wqy*",
    "simhei*",
    "msyh*",
    "PingFang*",
    "*DroidSansFallback*",
)
_FONT_DIRS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.fonts",
    "~/.local/share/fonts",
    "/Library/Fonts",
    "/System/Library/Fonts",
    "C:/Windows/Fonts",
)


def cjk_font() -> str | None:
    """The name of a font with Chinese glyphs that matplotlib can use, registering one found on the system (Noto
    Sans CJK from ``fonts-noto-cjk``, Source Han, WenQuanYi, SimHei, YaHei, PingFang), or None."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    for name in _CJK_FONT_NAMES:
        if name in names:
            return name
    for folder in _FONT_DIRS:
        base = Path(folder).expanduser()
        if not base.is_dir():
            continue
        for pattern in _CJK_FONT_GLOBS:
            # register every weight of the family (regular and bold) before asking for it by name
            for path in sorted(base.rglob(pattern)):
                if path.suffix.lower() not in (".ttc", ".ttf", ".otf"):
                    continue
                try:
                    font_manager.fontManager.addfont(str(path))
                except (OSError, RuntimeError, ValueError):
                    continue
            names = {f.name for f in font_manager.fontManager.ttflist}
            for name in _CJK_FONT_NAMES:
                if name in names:
                    return name
    return None


def _figure_lang(lang: str) -> tuple[str, str | None]:
    """The language the figure can be drawn in, and the CJK font (Chinese falls back to English without one)."""
    font = cjk_font()
    return (lang if (font is not None or lang == "en") else "en"), font


def _scenario_frames(study: Study, siting: SitingResult) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    if len(siting.communities) != len(study.communities):
        raise StudyError(
            f"the siting result has {len(siting.communities)} communities but study {study.folder} has "
            f"{len(study.communities)}: it comes from another study; run the siting again"
        )
    comm = gpd.GeoDataFrame(
        siting.communities.reset_index(drop=True),
        geometry=study.communities.geometry.to_numpy(),
        crs=study.crs,
    )
    comm["street_key"] = comm["street"].fillna("(no street)")
    streets = comm[["street_key", "geometry"]].dissolve(by="street_key").reset_index()
    return comm, streets


def _draw_maps(axes: Sequence[Any], study: Study, siting: SitingResult, lang: str, *, names: bool) -> Any:
    """Before and after maps on two axes; returns the ScalarMappable of the shared colour scale."""
    from matplotlib import cm, colors

    comm, streets = _scenario_frames(study, siting)
    cmap = colors.ListedColormap([c for _, c in SHARE_CLASSES])
    norm = colors.BoundaryNorm([0.0, 0.2, 0.4, 0.6, 0.8, 1.0], cmap.N)
    fac = study.facilities[study.facilities["kind"] == siting.kind]
    x0, y0, x1, y1 = comm.total_bounds
    pad = 0.03 * max(x1 - x0, y1 - y0)
    label = kind_label(siting.kind, lang)
    for ax, col, title in (
        (axes[0], "share_before", _t("before", lang)),
        (axes[1], "share_after", _t("after", lang)),
    ):
        share = comm[col].to_numpy(float)
        colours = [cmap(norm(min(v, 1.0))) if np.isfinite(v) else SUPPRESSED_COLOUR for v in share]
        comm.plot(ax=ax, color=colours, edgecolor="#777777", linewidth=0.3)
        streets.boundary.plot(ax=ax, color="#222222", linewidth=1.0)
        if len(fac):
            ax.scatter(
                fac.geometry.x,
                fac.geometry.y,
                s=14,
                c="#1f3b73",
                edgecolors="white",
                linewidths=0.5,
                zorder=4,
                label=_t("existing", lang, kind=label),
            )
        if col == "share_after" and len(siting.sites):
            sx, sy = siting.sites.geometry.x.to_numpy(), siting.sites.geometry.y.to_numpy()
            ax.scatter(
                sx,
                sy,
                s=120,
                marker="*",
                c="#d7191c",
                edgecolors="black",
                linewidths=0.6,
                zorder=5,
                label=_t("new_sites", lang),
            )
            for x, y, order in zip(sx, sy, siting.sites["order"].to_numpy(), strict=False):
                ax.annotate(
                    str(int(order)),
                    (x, y),
                    xytext=(4, 4),
                    textcoords="offset points",
                    fontsize=8,
                    fontweight="bold",
                    zorder=6,
                )
        if names:
            pts = comm.geometry.representative_point()
            for p, name in zip(pts, comm["name"].astype(str), strict=False):
                ax.text(
                    p.x, p.y, _plain(name), fontsize=4.5, ha="center", va="center", color="#333333", zorder=3
                )
        total_b = siting.covered_before if col == "share_before" else siting.covered_after
        pct = 100.0 * total_b / siting.elderly_total if siting.elderly_total else float("nan")
        ax.set_title(f"{title}：{pct:.1f}%" if lang == "zh" else f"{title}: {pct:.1f} %", fontsize=11)
        ax.set_xlim(x0 - pad, x1 + pad)
        ax.set_ylim(y0 - pad, y1 + pad)
        ax.set_aspect("equal")
        ax.set_axis_off()
        # 1 km scale bar
        bx, by = x0, y0 - 0.5 * pad
        ax.plot([bx, bx + 1000.0], [by, by], color="black", linewidth=2, solid_capstyle="butt")
        ax.text(bx + 500.0, by + 0.15 * pad, _t("scale_km", lang), ha="center", va="bottom", fontsize=7)
        ax.legend(loc="upper right", fontsize=7, framealpha=0.85)
    return cm.ScalarMappable(norm=norm, cmap=cmap)


def _scenario_header(study: Study, siting: SitingResult, lang: str) -> tuple[str, str]:
    name = study.name_en if lang == "en" else study.name
    title = _t(
        "scenario_title",
        lang,
        name=name,
        n=len(siting.sites),
        kind=kind_label(siting.kind, lang),
        m=siting.minutes,
    )
    total = siting.elderly_total or 1.0
    line = _t(
        "served_line" if siting.objective == "capacitated" else "covered_line",
        lang,
        b=siting.covered_before,
        a=siting.covered_after,
        t=siting.elderly_total,
        bp=100.0 * siting.covered_before / total,
        ap=100.0 * siting.covered_after / total,
    )
    return title, line


def _scenario_footer(study: Study, siting: SitingResult, lang: str) -> list[str]:
    sep = "：" if lang == "zh" else ": "
    gap = "0" if siting.gap == 0 else ("—" if not np.isfinite(siting.gap) else f"{siting.gap * 100:.2f}%")
    lines = [
        _t("solver_line", lang, status=siting.status, gap=gap, solver=siting.solver),
        (
            f"{_t('data_date', lang)}{sep}{study.data_date or '—'}; {_t('sources', lang)}{sep}"
            f"{'; '.join(study.sources) or '—'}"
        ),
    ]
    if study.synthetic:
        lines.append(tr("synthetic_notice", lang))
    if siting.generated:
        lines.append(_t("generated_note", lang))
    layer_ex = (
        siting.excluded[~siting.excluded["generated"].astype(bool)]
        if len(siting.excluded)
        else siting.excluded
    )
    if len(layer_ex):
        names = [str(n) for n in layer_ex["name"]]
        shown = ("、" if lang == "zh" else ", ").join(names[:5]) + (" …" if len(names) > 5 else "")
        lines.append(_t("excluded_note", lang, n=len(names), names=shown))
    if _uses_osm(study):
        lines.append(_t("osm", lang))
    return lines


def _plain(text: Any) -> str:
    """Text for a matplotlib figure as written: ID and phone numbers replaced, ``$`` not read as mathematics (a
    name with ``$`` would otherwise be parsed as mathtext, and a malformed one stops the figure), control
    characters as spaces."""
    return re.sub(r"[\x00-\x1f\x7f]", " ", redact_text(str(text))).replace("$", r"\$")


def _rc(font: str | None) -> Any:
    return {
        "font.family": "sans-serif",
        "font.sans-serif": ([font] if font else []) + ["DejaVu Sans"],
        "axes.unicode_minus": False,
        "svg.fonttype": "path",
        "svg.hashsalt": "eldercircle",
    }


def scenario_png(study: Study, siting: SitingResult, *, lang: str = "zh", dpi: int = 150) -> bytes:
    """A printable before/after comparison (A4 landscape PNG): the two maps side by side with one colour scale,
    the share covered per street before and after, and the new sites with their marginal gains.

    Chinese needs a CJK font (Noto Sans CJK from ``fonts-noto-cjk`` or another found on the system); without one the
    figure is drawn in English and community names are left off the maps.
    """
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    lang = check_lang(lang)
    flang, font = _figure_lang(lang)
    with matplotlib.rc_context(_rc(font)):
        fig = Figure(figsize=(16.54, 11.69))
        FigureCanvasAgg(fig)
        grid = fig.add_gridspec(
            2,
            2,
            height_ratios=[2.2, 1.0],
            hspace=0.18,
            wspace=0.05,
            left=0.03,
            right=0.93,
            top=0.9,
            bottom=0.1,
        )
        ax_b, ax_a = fig.add_subplot(grid[0, 0]), fig.add_subplot(grid[0, 1])
        mappable = _draw_maps((ax_b, ax_a), study, siting, flang, names=font is not None)
        cbar = fig.colorbar(mappable, ax=[ax_b, ax_a], orientation="vertical", fraction=0.015, pad=0.01)
        cbar.set_label(f"{_t('share_legend', flang)} (%)")
        cbar.set_ticks([0.0, 0.2, 0.4, 0.6, 0.8, 1.0])
        cbar.set_ticklabels(["0", "20", "40", "60", "80", "100"])
        title, line = _scenario_header(study, siting, flang)
        fig.suptitle(f"{_plain(title)}\n{_plain(line)}", fontsize=14)
        # per street
        ax_s = fig.add_subplot(grid[1, 0])
        pos = ax_s.get_position()
        ax_s.set_position((pos.x0 + 0.06, pos.y0, pos.width - 0.06, pos.height))
        st = siting.streets
        y = np.arange(len(st))
        ax_s.barh(
            y + 0.2,
            st["share_before"].to_numpy(float) * 100,
            height=0.4,
            color="#bdbdbd",
            label=_t("before", flang),
        )
        ax_s.barh(
            y - 0.2,
            st["share_after"].to_numpy(float) * 100,
            height=0.4,
            color="#1a9850",
            label=_t("after", flang),
        )
        ax_s.set_yticks(y)
        ax_s.set_yticklabels(
            [_plain(s) for s in st["street"]] if font is not None else [f"#{i + 1}" for i in range(len(st))],
            fontsize=8,
        )
        ax_s.invert_yaxis()
        ax_s.set_xlim(0, 100)
        ax_s.set_xlabel(f"{_t('share_legend', flang)} (%)")
        ax_s.set_title(_t("per_street", flang), fontsize=11)
        ax_s.legend(loc="lower right", fontsize=8)
        for yi, (b, a, g) in enumerate(zip(st["share_before"], st["share_after"], st["gain"], strict=False)):
            if g > 0:
                ax_s.text(min(a * 100 + 1, 92), yi - 0.2, f"+{(a - b) * 100:.1f}", va="center", fontsize=7)
        # sites and top communities
        ax_t = fig.add_subplot(grid[1, 1])
        ax_t.set_axis_off()
        ax_t.set_title(_t("sites_table", flang), fontsize=11)
        show_names = font is not None
        rows = [
            [
                str(int(r.order)),
                (_plain(str(r.name)[:24]) if show_names else f"site {int(r.order)}"),
                f"{r.gain_elderly:,.0f}",
                f"{r.share_after * 100:.1f}%",
            ]
            for r in siting.sites.head(12).itertuples()
        ]
        if rows:
            head = (
                ["顺序", "站点", "新增覆盖（人）", "累计覆盖率"]
                if flang == "zh"
                else ["order", "site", "gain (elderly)", "cumulative share"]
            )
            table = ax_t.table(
                cellText=rows,
                colLabels=head,
                loc="upper center",
                cellLoc="left",
                colWidths=[0.08, 0.5, 0.2, 0.2],
            )
            table.auto_set_font_size(False)
            table.set_fontsize(8)
        else:
            ax_t.text(0.5, 0.8, _t("no_sites", flang), ha="center", transform=ax_t.transAxes)
        top = siting.communities[siting.communities["gain"] > 0].sort_values("gain", ascending=False).head(8)
        if len(top):
            txt = "；".join if flang == "zh" else "; ".join
            items = [
                f"{(_plain(r.name) if show_names else '#' + str(i + 1))} +{r.gain:,.0f} ({r.share_before * 100:.0f}%→"
                f"{r.share_after * 100:.0f}%)"
                for i, r in enumerate(top.itertuples())
            ]
            ax_t.text(
                0.0,
                0.02,
                _t("per_community", flang) + ("：" if flang == "zh" else ": ") + txt(items),
                transform=ax_t.transAxes,
                fontsize=7.5,
                wrap=True,
                va="bottom",
            )
        fig.text(
            0.03,
            0.02,
            "\n".join(_plain(x) for x in _scenario_footer(study, siting, flang)),
            fontsize=7.5,
            va="bottom",
            color="#444444",
        )
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def _maps_svg(study: Study, siting: SitingResult, lang: str) -> str:
    import matplotlib
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    flang, font = _figure_lang(lang)
    with matplotlib.rc_context(_rc(font)):
        fig = Figure(figsize=(13.0, 6.2))
        FigureCanvasSVG(fig)
        ax_b = fig.add_axes((0.01, 0.03, 0.45, 0.9))
        ax_a = fig.add_axes((0.48, 0.03, 0.45, 0.9))
        mappable = _draw_maps((ax_b, ax_a), study, siting, flang, names=font is not None)
        cax = fig.add_axes((0.945, 0.15, 0.012, 0.65))
        cbar = fig.colorbar(mappable, cax=cax)
        cbar.set_ticks([0.0, 0.2, 0.4, 0.6, 0.8, 1.0])
        cbar.set_ticklabels(["0", "20", "40", "60", "80", "100"])
        cbar.set_label(f"{_t('share_legend', flang)} (%)")
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None})
    text = buf.getvalue()
    return text[text.find("<svg") :]


def _html_table(frame: pd.DataFrame, headers: Sequence[str], formats: Sequence[Callable[[Any], str]]) -> str:
    esc = html.escape
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = []
    for row in frame.itertuples(index=False):
        cells = "".join(
            f"<td{' class=num' if i > 0 and f is not str else ''}>{esc(redact_text(f(v)))}</td>"
            for i, (v, f) in enumerate(zip(row, formats, strict=False))
        )
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _num(v: Any, digits: int = 0) -> str:
    try:
        x = float(v)
    except (TypeError, ValueError):
        return str(v)
    return "—" if not np.isfinite(x) else f"{x:,.{digits}f}"


def _pct(v: Any) -> str:
    try:
        x = float(v)
    except (TypeError, ValueError):
        return str(v)
    return "—" if not np.isfinite(x) else f"{x * 100:.1f}%"


def _pp(v: Any) -> str:
    x = float(v)
    return "—" if not np.isfinite(x) else f"{x * 100:+.1f}"


def scenario_html(study: Study, siting: SitingResult, *, lang: str = "zh") -> str:
    """The before/after comparison of a siting run as one standalone HTML page (prints on A4): the two maps side
    by side (inline SVG, one colour scale), the new sites with their marginal gains, the change per street and per
    community (sorted by gain), and the solver's status. Opens offline; it is an internal document (community
    counts are not suppressed)."""
    lang = check_lang(lang)
    esc = html.escape
    zh = lang == "zh"
    title, line = _scenario_header(study, siting, lang)
    svg = _maps_svg(study, siting, lang)
    served = siting.objective == "capacitated"
    sites = pd.DataFrame(siting.sites.drop(columns="geometry"))
    parts = [f"<h1>{esc(redact_text(title))}</h1>", f"<p class=lead>{esc(line)}</p>"]
    if study.synthetic:
        parts.append(f"<p class=warn>{esc(tr('synthetic_notice', lang))}</p>")
    parts.append(f"<div class=maps>{svg}</div>")
    parts.append(f"<h2>{esc(_t('sites_table', lang))}</h2>")
    if len(sites):
        frame = sites[["order", "name", "gain_elderly", "cumulative_elderly", "share_after"]]
        parts.append(
            _html_table(
                frame,
                ["顺序", "站点", "新增服务（人）" if served else "新增覆盖（人）", "累计（人）", "累计覆盖率"]
                if zh
                else ["Order", "Site", "Gain (elderly)", "Cumulative (elderly)", "Cumulative share"],
                [str, str, _num, _num, _pct],
            )
        )
    else:
        parts.append(f"<p>{esc(_t('no_sites', lang))}</p>")
    if len(siting.excluded):  # why a site under discussion is not among the answers
        ex = _reason_in(siting.excluded[~siting.excluded["generated"].astype(bool)], lang)
        if len(ex):
            parts.append(f"<h2>{esc(_t('excluded_table', lang))}</h2>")
            parts.append(
                _html_table(
                    ex[["name", "reason"]], ["候选地块", "排除原因"] if zh else ["Site", "Reason"], [str, str]
                )
            )
    ba_heads_zh = [
        "老年人口（人）",
        "选址前（人）",
        "选址后（人）",
        "增加（人）",
        "选址前覆盖率",
        "选址后覆盖率",
        "变化（百分点）",
    ]
    ba_heads_en = ["Elderly", "Before", "After", "Gain", "Share before", "Share after", "Change (points)"]
    st = siting.streets.copy()
    st["change"] = st["share_after"] - st["share_before"]
    parts.append(f"<h2>{esc(_t('per_street', lang))}</h2>")
    parts.append(
        _html_table(
            st[
                [
                    "street",
                    "elderly",
                    "covered_before",
                    "covered_after",
                    "gain",
                    "share_before",
                    "share_after",
                    "change",
                ]
            ],
            (["街道", *ba_heads_zh]) if zh else (["Street", *ba_heads_en]),
            [str, _num, _num, _num, _num, _pct, _pct, _pp],
        )
    )
    cm_ = siting.communities.copy()
    cm_["change"] = cm_["share_after"] - cm_["share_before"]
    cm_ = cm_.sort_values(["gain", "street", "name"], ascending=[False, True, True], kind="stable")
    parts.append(f"<h2>{esc(_t('per_community', lang))}</h2>")
    parts.append(
        _html_table(
            cm_[
                [
                    "name",
                    "street",
                    "elderly",
                    "covered_before",
                    "covered_after",
                    "gain",
                    "share_before",
                    "share_after",
                    "change",
                ]
            ],
            (["社区", "街道", *ba_heads_zh]) if zh else (["Community", "Street", *ba_heads_en]),
            [str, str, _num, _num, _num, _num, _pct, _pct, _pp],
        )
    )
    parts.append(
        "<div class=foot>"
        + "".join(f"<p>{esc(redact_text(x))}</p>" for x in _scenario_footer(study, siting, lang))
        + "".join(
            f"<p>{esc(redact_text(('说明：' if zh else 'note: ') + n))}</p>" for n in siting.notes_in(lang)
        )
        + "</div>"
    )
    style = (
        "body{font-family:'Noto Sans CJK SC','Microsoft YaHei','PingFang SC',sans-serif;margin:16px;color:#222}"
        "h1{font-size:20px;margin:0 0 4px}h2{font-size:15px;margin:18px 0 6px}.lead{font-size:14px;margin:2px 0}"
        ".warn{color:#b00;font-weight:bold}.maps svg{width:100%;height:auto}"
        "table{border-collapse:collapse;font-size:12px}th,td{border:1px solid #ccc;padding:2px 6px}"
        "th{background:#f0f0f0;text-align:left}td.num{text-align:right}.foot{font-size:11px;color:#555}"
        "@media print{@page{size:A4 landscape;margin:10mm}h2{break-after:avoid}tr{break-inside:avoid}}"
    )
    return (
        f"<!DOCTYPE html>\n<html lang='{'zh-CN' if zh else 'en'}'><head><meta charset='utf-8'>"
        f"<title>{esc(title)}</title><style>{style}</style></head><body>{''.join(parts)}</body></html>\n"
    )


# ================================================================================================================
# Everything into a folder
# ================================================================================================================


def write_report(
    study: Study,
    network: WalkNetwork | None,
    out_dir: str | Path,
    *,
    lang: str = "zh",
    k_anon: int = DEFAULT_K_ANON,
    grid_m: float = DEFAULT_GRID_M,
    force: bool = False,
    progress: Callable[[float, str], None] | None = None,
    siting: SitingResult | None = None,
    site_kind: str | None = "day_care",
    site_add: int = 3,
) -> list[Path]:
    """Run coverage, service circles, the standards check and (unless given) a siting scenario, and write the
    report files into ``out_dir``: :data:`REPORT_FILES`.

    Parameters
    ----------
    study : the loaded study.
    network : its walking network (:func:`planning.coverage.network_for_study`); None is an error (no coverage).
    out_dir : the folder to write; created when missing; must be empty unless ``force``.
    lang : ``zh`` (default) or ``en`` for the map, workbook and scenario.
    k_anon : the public map's privacy threshold (at least 1).
    grid_m : the public map's grid (at least 100 m).
    force : write into a non-empty folder, replacing the report's own files (other files are left alone; report
        files this run does not write, such as a scenario that could not be built, are removed).
    progress : optional callback ``(fraction, message)``.
    siting : a siting result to compare; when None, ``site_kind`` with ``site_add`` new sites (maximal coverage
        within 15 minutes) is run on the candidate sites that pass the standards' screen
        (:func:`planning.standards.screen_candidates`: distance from expressways, minimum sizes; the excluded
        sites and why are listed in the workbook); when that is impossible (no candidate, nothing to site), the
        scenario files are left out and the reason is written in the workbook.
    site_kind, site_add : the default scenario; ``site_kind=None`` writes no scenario.

    Returns
    -------
    list[Path]
        The files written.

    Raises
    ------
    OptionError
        Bad ``k_anon``, ``grid_m``, ``lang``; an output folder that is a file, cannot be created, is not writable, or
        is not empty without ``force``.
    OutputError
        A file cannot be written (full disk, permissions): each file is written to a temporary file and renamed,
        so the folder holds whole files only.
    NetworkError, StudyError
        No network, or no facility to measure (no coverage results).
    """
    from planning.coverage import coverage_of_study, service_circle_layer
    from planning.standards import check_study, health_walk_m, screen_candidates

    lang = check_lang(lang)
    k = check_k_anon(k_anon)
    grid = check_grid_m(grid_m)
    step = progress or (lambda f, m: None)
    if network is None:
        raise NetworkError(
            f"study {study.folder} has no walking network, so there are no coverage results to "
            'report: add [network] source = "streets.osm" (an OSM file, GraphML, centrelines or '
            "place:<name>) to study.toml"
        )
    if study.facilities is None or len(study.facilities) == 0:
        raise StudyError(
            f"study {study.folder} has no usable facility, so there are no coverage results to report: "
            "fix the facilities layer (see `eldercircle validate`)"
        )
    out = prepare_out_dir(out_dir, force=force)

    def sub(lo: float, hi: float) -> Callable[[float, str], None]:
        return lambda f, m: step(lo + (hi - lo) * f, m)

    coverage = coverage_of_study(study, network, progress=sub(0.0, 0.25))
    _check_coverage(study, coverage)
    step(0.25, "service circles")
    circles = service_circle_layer(study, network, coverage, progress=sub(0.25, 0.45))
    step(0.45, "standards check")
    daycare = coverage.communities.get("share_day_care_15min")
    if daycare is not None:
        daycare = pd.Series(daycare.to_numpy(float), index=study.communities.index)
    health = health_walk_m(study, network)
    extra_notes: list[str] = []
    screen = None
    if siting is None and site_kind:
        try:  # the standards' candidate rules (distance from expressways, minimum sizes) screen the scenario's sites
            screen = screen_candidates(study, kind=site_kind, lang=lang)
        except OptionError as exc:
            extra_notes.append(f"no siting scenario for {site_kind}: {exc}")
    roads = screen.roads if screen is not None and screen.roads is not None else "auto"
    check = check_study(study, daycare_share=daycare, facility_health_walk_m=health, expressways=roads)
    if siting is None and site_kind and screen is not None:
        from planning.siting import SitingOptions, siting_of_study

        step(0.55, f"siting scenario: {site_add} {site_kind}")
        extra_notes.extend(("siting screen: " if lang == "en" else "选址筛选：") + n for n in screen.notes)
        try:
            siting = siting_of_study(
                study,
                network,
                SitingOptions(kind=site_kind, add=site_add),
                screen=screen,
                progress=sub(0.55, 0.7),
            )
        except (InfeasibleError, OptionError) as exc:
            extra_notes.append(f"no siting scenario for {site_kind}: {exc}")
            step(0.7, extra_notes[-1])
    written: list[Path] = []

    def put(key: str, data: bytes | str) -> None:
        # temporary file + rename: a full disk or a kill leaves the previous file or none, never half of one
        written.append(atomic_write(out / REPORT_FILES[key], data))

    for pnote in personal_notes(study, siting):  # said once; the workbook's About sheet lists them too
        step(0.71, pnote.message_in(lang))

    step(0.72, "public coverage map")
    put("map", public_map_html(study, coverage, circles, lang=lang, k_anon=k, grid_m=grid))
    step(0.8, "workbook")
    wb_cov = coverage if not extra_notes else _with_notes(coverage, extra_notes)
    put("workbook", workbook_bytes(study, wb_cov, check, siting, lang=lang))
    step(0.86, "GeoPackage")
    put("layers", layers_gpkg_bytes(study, coverage, circles, siting))
    if siting is not None:
        step(0.92, "scenario comparison")
        put("scenario_html", scenario_html(study, siting, lang=lang))
        put("scenario_png", scenario_png(study, siting, lang=lang))
    if force:
        for name in REPORT_FILES.values():
            stale = out / name
            if stale.exists() and stale not in written:
                stale.unlink()
    step(1.0, f"report written to {out}: {', '.join(p.name for p in written)}")
    return written


def _with_notes(coverage: CoverageResult, notes: Sequence[str]) -> CoverageResult:
    from dataclasses import replace

    return replace(coverage, notes=tuple(coverage.notes) + tuple(notes))

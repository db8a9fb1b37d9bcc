"""Hostile text is inert: a study whose names, streets, title, date and sources are script payloads, drawn as the
public coverage map, the scenario page and the app's maps, opened in a real headless Chromium (Debian's
/usr/bin/chromium through Playwright; skipped when either is absent). Every tooltip is opened (and the maps hovered
and clicked with the mouse); no payload may run (``window.__pwned`` stays undefined) and each must be shown as the
text it is.

The study is built in memory from a hand-made layout: six communities in two streets along a 2.4 km street, two
day-care centres and a nursing home, one candidate site; every name is a payload.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from geo.network import network_from_lines
from planning.study import NetworkSettings, Study
from tests.studies import frames_study

X0, Y0 = 500_000.0, 3_150_000.0  # UTM 50N metres
CRS = "EPSG:32650"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

#: The issue's payloads, then more of our own: a comment breaker for SVG, an iframe, a template literal, Jinja
#: statements (folium renders Jinja templates), matplotlib mathtext, quotes for attributes and JavaScript strings.
PAYLOADS = (
    '<img src=x onerror="window.__pwned=1">',
    "<script>window.__pwned=1</script>",
    '"><svg onload=window.__pwned=1>',
    "</script><script>window.__pwned=1</script>",
    "javascript:window.__pwned=1",
    "{{7*7}}",
    "--><img src=x onerror=window.__pwned=1>",
    '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
    '${window.__pwned=1}`\'"-alert(1)-"',
    "{% if true %}jinja{% endif %}$\\x$",
)
COMMUNITY_NAMES = PAYLOADS[:6]
STREET_NAMES = (PAYLOADS[6], PAYLOADS[7])
FACILITY_NAMES = (PAYLOADS[0], PAYLOADS[8], PAYLOADS[9])
STUDY_NAME = PAYLOADS[5] + PAYLOADS[0]


def P(x: float, y: float) -> shapely.Point:  # noqa: N802 - a point, as in the papers' notation
    return shapely.Point(X0 + x, Y0 + y)


def hostile_study(
    *,
    community_names: tuple[str, ...] = COMMUNITY_NAMES,
    street_names: tuple[str, str] = STREET_NAMES,
    facility_names: tuple[str, ...] = FACILITY_NAMES,
    study_name: str = STUDY_NAME,
    data_date: str = PAYLOADS[1],
    sources: tuple[str, ...] = (PAYLOADS[2], PAYLOADS[4]),
    facilities_extra: dict | None = None,
    communities_extra: dict | None = None,
    candidate_name: str = PAYLOADS[3],
    candidates_extra: dict | None = None,
) -> Study:
    """Six communities (400 m wide, 200 m deep) north of a 2.4 km street, three in each street; two day-care
    centres (x = 300, 1500) and a nursing home (x = 2300) just south of it; a candidate site at x = 900. Elderly
    40 to 90 per community, so that counts show on the public map. Every name is a payload unless given."""
    n = 6
    comm = gpd.GeoDataFrame(
        {
            "_row": list(range(1, n + 1)),
            "name": list(community_names),
            "street": [street_names[0]] * 3 + [street_names[1]] * 3,
            "population": [300.0, 250.0, 200.0, 320.0, 280.0, 260.0],
            "elderly": [60.0, 50.0, 40.0, 90.0, 70.0, 55.0],
            "elderly_80": [np.nan] * n,
            "households": [np.nan] * n,
            "kind": ["urban"] * n,
            "built": ["existing"] * n,
            **(communities_extra or {}),
        },
        geometry=[shapely.box(X0 + 400 * i, Y0 + 10, X0 + 400 * (i + 1), Y0 + 210) for i in range(n)],
        crs=CRS,
    )
    fac = gpd.GeoDataFrame(
        {
            "_row": [1, 2, 3],
            "name": list(facility_names),
            "kind": ["day_care", "day_care", "nursing_home"],
            "street": [None, None, None],
            "floor_area_m2": [400.0, 350.0, 3000.0],
            "land_area_m2": [np.nan] * 3,
            "beds": [np.nan, np.nan, 60.0],
            "nursing_beds": [np.nan] * 3,
            "dementia_beds": [np.nan] * 3,
            **(facilities_extra or {}),
        },
        geometry=[P(300, -20), P(1500, -20), P(2300, -15)],
        crs=CRS,
    )
    cands = gpd.GeoDataFrame(
        {
            "_row": [1],
            "name": [candidate_name],
            "kinds": ["day_care"],
            "cost": [100.0],
            "beds": [np.nan],
            "floor_area_m2": [500.0],
            "land_area_m2": [800.0],
            **(candidates_extra or {}),
        },
        geometry=[P(900, -10)],
        crs=CRS,
    )
    return frames_study(
        comm,
        fac,
        folder=Path("hostile"),
        name=study_name,
        name_en=study_name,
        data_date=data_date,
        sources=tuple(sources),
        candidates=cands,
        network=NetworkSettings(source="streets.osm"),
    )


def hostile_network():
    return network_from_lines(
        [shapely.LineString([(X0 + a, Y0), (X0 + a + 400, Y0)]) for a in range(0, 2400, 400)], crs=CRS
    )


@pytest.fixture(scope="module")
def hostile():
    from planning.coverage import coverage_of_study, service_circle_layer
    from planning.siting import SitingOptions, siting_of_study

    study = hostile_study()
    net = hostile_network()
    cov = coverage_of_study(study, net)
    circles = service_circle_layer(study, net, cov)
    siting = siting_of_study(study, net, SitingOptions(kind="day_care", add=1, minutes=5))
    return study, net, cov, circles, siting


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    if not CHROMIUM.is_file():
        pytest.skip("/usr/bin/chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            # offline: only the page itself and its own files load (a payload's <img src=x> fails, as it would)
            context.route(
                "**/*",
                lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort(),
            )
            pg = context.new_page()
            pg.set_default_timeout(20_000)
            yield pg
        finally:
            browser.close()


#: Opens the tooltip of every feature of every Leaflet map on the page (the way a mouse over it does: a
#: ``mouseover`` fired on the feature, propagated to its GeoJSON layer; a click too, for popups) and returns the
#: texts of the tooltips and popups.
OPEN_EVERY_TOOLTIP = """() => {
    const texts = [];
    const maps = Object.keys(window).filter(k => k.startsWith('map_') && window[k] instanceof L.Map);
    for (const key of maps) {
        const map = window[key];
        const leaves = [];
        const walk = layer => {
            if (layer.eachLayer) { layer.eachLayer(walk); } else { leaves.push(layer); }
        };
        map.eachLayer(layer => { if (layer.eachLayer) walk(layer); else leaves.push(layer); });
        for (const leaf of leaves) {
            // a clustered marker is off the map until zoomed to: put it there to open its tooltip
            const added = !leaf._map && leaf.getTooltip && leaf.getTooltip() && leaf.getLatLng;
            if (added) leaf.addTo(map);
            let latlng = null;
            try { latlng = leaf.getCenter ? leaf.getCenter() : (leaf.getLatLng ? leaf.getLatLng() : null); }
            catch (e) { latlng = leaf.getLatLng ? leaf.getLatLng() : null; }
            if (!latlng) continue;
            leaf.fire('mouseover', {latlng: latlng, containerPoint: map.latLngToContainerPoint(latlng)}, true);
            leaf.fire('click', {latlng: latlng, containerPoint: map.latLngToContainerPoint(latlng)}, true);
            document.querySelectorAll('.leaflet-tooltip, .leaflet-popup-content').forEach(
                el => texts.push(el.textContent));
            leaf.fire('mouseout', {latlng: latlng}, true);
            if (added) leaf.remove();
        }
    }
    return texts;
}"""


def _open(page, html_text: str, path: Path) -> tuple[list[str], str]:
    """Load the HTML from a file, open every tooltip, move and click the mouse over the map; return the tooltips'
    texts and the page's visible text. Fails when a payload ran."""
    path.write_text(html_text, encoding="utf-8")
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    tips: list[str] = []
    if page.evaluate("() => typeof L !== 'undefined'"):
        tips = page.evaluate(OPEN_EVERY_TOOLTIP)
        box = page.locator(".leaflet-container").first.bounding_box()
        for fx in np.linspace(0.1, 0.9, 9):
            for fy in np.linspace(0.2, 0.8, 5):
                page.mouse.move(box["x"] + fx * box["width"], box["y"] + fy * box["height"])
                tips.extend(page.locator(".leaflet-tooltip").all_text_contents())
        page.mouse.click(box["x"] + 0.5 * box["width"], box["y"] + 0.5 * box["height"])
    page.wait_for_timeout(300)  # an <img onerror> fires once its load has failed
    assert page.evaluate("() => typeof window.__pwned") == "undefined", "a payload ran"
    assert page.evaluate("() => typeof parent.__pwned") == "undefined", "a payload ran"
    return tips, page.inner_text("body")


def test_public_map_runs_no_payload_and_shows_them_as_text(hostile, page, tmp_path):
    from planning.report import public_map_html

    study, _, cov, circles, _ = hostile
    for lang in ("zh", "en"):
        tips, _ = _open(page, public_map_html(study, cov, circles, lang=lang), tmp_path / f"map_{lang}.html")
        shown = "\n".join(tips)
        for name in COMMUNITY_NAMES + STREET_NAMES + FACILITY_NAMES:
            assert name in shown, name  # every name appears, as written, in a tooltip
        title = page.inner_text("#eldercircle-title")
        assert STUDY_NAME in title and "49" not in title  # {{7*7}} is text, not a template
        assert PAYLOADS[1] in title and PAYLOADS[2] in title and PAYLOADS[4] in title  # date and sources
        assert page.title().startswith(STUDY_NAME)
        assert (
            page.locator("#eldercircle-title img, #eldercircle-title svg, #eldercircle-title script").count()
            == 0
        )
        assert (
            page.locator(".leaflet-tooltip img, .leaflet-tooltip svg, .leaflet-tooltip iframe").count() == 0
        )


def test_scenario_page_runs_no_payload_and_shows_them_as_text(hostile, page, tmp_path):
    from planning.report import scenario_html

    study, _, _, _, siting = hostile
    _, body = _open(page, scenario_html(study, siting), tmp_path / "scenario.html")
    for name in COMMUNITY_NAMES + STREET_NAMES:
        assert name.replace("\n", " ") in body, name
    assert STUDY_NAME in page.title()
    assert page.locator("table img, table svg, table iframe, h1 img").count() == 0


def test_app_maps_run_no_payload_and_show_them_as_text(hostile, page, tmp_path):
    from planning.coverage import uncovered_density
    from planning.maps import coverage_map, map_html, overview_map, siting_map, standards_map
    from planning.standards import check_study

    study, _, cov, circles, siting = hostile
    check = check_study(study, daycare_share=None, facility_health_walk_m=None, expressways=None)
    maps = {
        "overview": overview_map(study),
        "coverage": coverage_map(
            study, circles, kind="day_care", uncovered=uncovered_density(cov, "day_care")
        ),
        "siting": siting_map(study, siting, lang="en"),
        "standards": standards_map(study, check.rows),
    }
    for key, fmap in maps.items():
        tips, _ = _open(page, map_html(fmap), tmp_path / f"app_{key}.html")
        shown = "\n".join(tips)
        if key in ("overview", "coverage", "siting"):
            for name in COMMUNITY_NAMES:
                assert name in shown, (key, name)
        if key in ("overview", "coverage"):
            for name in FACILITY_NAMES[:2]:
                assert name in shown, (key, name)
        if key == "siting":
            assert siting.sites["name"].iloc[0] in shown or PAYLOADS[3] in shown
        assert (
            page.locator(".leaflet-tooltip img, .leaflet-tooltip svg, .leaflet-tooltip iframe").count() == 0
        )


def test_clustered_facility_tooltips_are_escaped(hostile, page, tmp_path):
    """Past :data:`planning.maps.CLUSTER_MIN_MARKERS` points the facilities are clustered markers whose tooltips
    are HTML strings: the names in them are escaped."""
    import folium

    from planning.maps import add_facilities, base_map, map_html

    study = hostile[0]
    fmap = base_map(study)
    add_facilities(fmap, study.facilities, cluster_min=1)
    folium.LayerControl().add_to(fmap)
    text = map_html(fmap)
    # the tooltip strings travel as JSON (with & < > written \u0026 \u003c \u003e): escaped once, not raw
    assert "\\u0026lt;img src=x onerror=\\u0026quot;window.__pwned=1\\u0026quot;\\u0026gt;" in text
    assert "\\u003cimg src=x" not in text
    tips, _ = _open(page, text, tmp_path / "cluster.html")
    assert any(FACILITY_NAMES[0] in t for t in tips)


def test_screenshot_of_the_public_map(hostile, page, tmp_path):
    """The map as a reader sees it, saved for a person to look at (test-artifacts/hostile_public_map.png)."""
    from planning.report import public_map_html

    study, _, cov, circles, _ = hostile
    _open(page, public_map_html(study, cov, circles), tmp_path / "shot.html")
    page.evaluate(OPEN_EVERY_TOOLTIP)
    leaf = page.evaluate("""() => { const m = window[Object.keys(window).find(k => k.startsWith('map_'))];
        let first = null; m.eachLayer(l => { if (!first && l.feature && l.feature.properties.street
            && l.feature.properties.name) first = l; });
        const c = m.latLngToContainerPoint(first.getCenter()); return [c.x, c.y]; }""")
    box = page.locator(".leaflet-container").first.bounding_box()
    page.mouse.move(box["x"] + leaf[0], box["y"] + leaf[1])
    page.wait_for_timeout(200)
    out = Path(__file__).resolve().parents[2] / "test-artifacts"
    out.mkdir(exist_ok=True)
    page.screenshot(path=str(out / "hostile_public_map.png"))
    assert page.evaluate("() => typeof window.__pwned") == "undefined"


@pytest.mark.parametrize(
    "payload",
    [
        "{{7*7}}",
        "{{ self.__init__.__globals__ }}",
        "{% for x in range(3) %}x{% endfor %}",
        "{% raw %}",
        "{#",
        "{{",
        "{%",
    ],
)
def test_names_are_never_evaluated_as_templates(payload):
    """folium renders its output through Jinja once more: a name must reach the HTML as written (no ``49``, no
    Python object, no template error), in the public map and every app map. Runs without a browser."""
    from planning.coverage import coverage_of_study, service_circle_layer
    from planning.maps import map_html, overview_map
    from planning.report import public_map_html

    names = (payload, "甲社区", "乙社区", "丙社区", "丁社区", "戊社区")
    study = hostile_study(
        community_names=names,
        street_names=(payload, "二街道"),
        facility_names=(payload, "日照中心", "敬老院"),
        study_name=payload,
        data_date="2025",
        sources=("test",),
    )
    net = hostile_network()
    cov = coverage_of_study(study, net)
    text = public_map_html(study, cov, service_circle_layer(study, net, cov))
    assert text.count(payload) >= 4  # the title, the title box, the community and the facility
    assert "<function" not in text and "<built-in" not in text
    app = map_html(overview_map(study))
    assert app.count(payload) >= 2  # the community and the facility

"""The 方案 page in a real browser with every request not to the local server aborted: the scenario map (a
streamlit-folium component) draws with Leaflet and the offline basemap, a click on the map places a day-care centre,
and the page's figures change; nothing is fetched from elsewhere.

`streamlit run app.py` on a free local port, driven by Debian's chromium through Playwright (headless). Skipped when
/usr/bin/chromium or the playwright package is absent. The server is always stopped.
"""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from planning.maps.offline import PANE
from tests.app.test_browser import idle, streamlit_server
from tests.conftest import REPO

CHROMIUM = Path("/usr/bin/chromium")
#: A spot in the demo's north-east with no day-care centre near (lat, lon, WGS84; the offline basemap is WGS84).
SPOT = (28.4465, 117.9835)
#: The map of the page: streamlit-folium's component frame.
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
#: The summary line of the result (bold), which counts the centres added.
SUMMARY = '[data-testid="stMarkdownContainer"] strong'

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.is_file(), reason="/usr/bin/chromium is not installed"),
    pytest.mark.skipif(
        not (REPO / "data" / "demo" / "study.toml").is_file(), reason="the demo study is missing"
    ),
]


#: Counts the painted pixels of the offline basemap's canvas inside the map frame.
_PAINTED = f"""() => {{
  const canvas = document.querySelector('.leaflet-{PANE}-pane canvas');
  if (!canvas) {{ return -1; }}
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0;
  for (let i = 3; i < data.length; i += 4) {{ if (data[i] > 0) {{ n++; }} }}
  return n;
}}"""


def _map_frame(page):
    page.locator(MAP_FRAME).first.wait_for(state="visible")
    frame = page.locator(MAP_FRAME).first.element_handle().content_frame()
    frame.wait_for_function("() => window.map_div && document.querySelector('.leaflet-container')")
    return frame


#: The facility dots on the map (Leaflet circle markers; the map draws on a canvas, so they are counted in Leaflet).
_DOTS = "() => Object.values(map_div._layers).filter(l => l instanceof L.CircleMarker).length"


def _wait_for_dots(page, n: int, timeout_s: float = 60.0):
    """Wait until the map (drawn again in a new frame after a click) shows ``n`` dots or more; returns its frame."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            frame = _map_frame(page)
            if int(frame.evaluate(_DOTS)) >= n:
                return frame
        except Exception:  # the frame was replaced while we looked
            if time.monotonic() > deadline:
                raise
        assert time.monotonic() < deadline, f"the map never showed {n} dots"
        page.wait_for_timeout(50)


#: Where the first facility dot is in the map's frame (x, y in pixels).
_FIRST_DOT = (
    "() => { const m = Object.values(map_div._layers).find(l => l instanceof L.CircleMarker);"
    " const p = map_div.latLngToContainerPoint(m.getLatLng()); return [p.x, p.y]; }"
)


def test_a_click_on_the_map_places_a_centre_and_the_figures_change(tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    left: list[str] = []
    errors: list[str] = []
    with streamlit_server(tmp_path / "server.log") as url, sync_api.sync_playwright() as p:
        host = urlsplit(url).netloc
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        try:
            context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")

            def only_local(route) -> None:
                parts = urlsplit(route.request.url)
                if parts.scheme in ("data", "blob", "about") or parts.netloc == host:
                    route.continue_()
                else:
                    left.append(route.request.url)
                    route.abort()

            context.route("**/*", only_local)
            page = context.new_page()
            page.set_default_timeout(60_000)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(f"{url}/scenario")
            page.locator("h2", has_text="方案 · 示范区（合成数据）").first.wait_for(
                state="visible", timeout=120_000
            )
            idle(page, timeout_ms=120_000)
            page.get_by_text("方案尚无改动").first.wait_for(state="visible")
            frame = _map_frame(page)
            frame.wait_for_function(f"({_PAINTED})() > 5000")  # the offline basemap is painted
            before = int(frame.evaluate(_DOTS))
            box = page.locator(MAP_FRAME).first.bounding_box()
            x, y = frame.evaluate(
                "([lat, lon]) => { const p = map_div.latLngToContainerPoint([lat, lon]); return [p.x, p.y]; }",
                list(SPOT),
            )
            # the result section and the district's table are drawn with the page; a click fills them
            page.get_by_text("方案效果").first.wait_for(state="visible")
            t0 = time.perf_counter()
            page.mouse.click(box["x"] + x, box["y"] + y)
            page.locator(SUMMARY, has_text="新增 1 处").first.wait_for(state="visible")
            idle(page, timeout_ms=60_000)
            print(f"click to figures: {time.perf_counter() - t0:.2f} s")  # recorded, never asserted
            summary = page.locator(SUMMARY).first.inner_text()
            frame = _wait_for_dots(page, before + 1)  # the map drawn again with the new centre
            after = int(frame.evaluate(_DOTS))
            # a click on a facility selects it: the page offers to close or change it
            x, y = frame.evaluate(_FIRST_DOT)
            page.mouse.click(box["x"] + x, box["y"] + y)
            page.get_by_text("已选设施").first.wait_for(state="visible")
            page.get_by_role("button", name="关闭该设施").first.wait_for(state="visible")
            idle(page, timeout_ms=60_000)
            # a second centre a little further west: the page answers as quickly
            frame = _map_frame(page)
            x, y = frame.evaluate(
                "([lat, lon]) => { const p = map_div.latLngToContainerPoint([lat, lon]); return [p.x, p.y]; }",
                [SPOT[0], SPOT[1] - 0.004],
            )
            t0 = time.perf_counter()
            page.mouse.click(box["x"] + x, box["y"] + y)
            page.locator(SUMMARY, has_text="新增 2 处").first.wait_for(state="visible")
            idle(page, timeout_ms=60_000)
            print(f"second click to figures: {time.perf_counter() - t0:.2f} s")
            _wait_for_dots(page, after + 1)
        finally:
            browser.close()
    assert not errors, errors
    assert not left, f"requests left the machine: {left[:5]}"
    assert before > 10 and after == before + 1  # the new centre is drawn
    assert "新增 1 处" in summary  # the summary line counts it

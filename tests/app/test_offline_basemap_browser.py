"""The demo's offline basemap in a real browser with every request that would leave the machine aborted: the basemap
canvas is painted (streets, water) and street names are shown when zoomed in, and nothing is fetched.

Skipped when /usr/bin/chromium or the playwright package is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from planning.maps import base_map, standalone_html
from planning.maps.offline import PANE
from planning.study import load_study
from tests.conftest import REPO

CHROMIUM = Path("/usr/bin/chromium")
DEMO = REPO / "data" / "demo"

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.is_file(), reason="/usr/bin/chromium is not installed"),
    pytest.mark.skipif(not (DEMO / "study.toml").is_file(), reason="the demo study is missing"),
]

#: Counts the painted pixels of the basemap's canvas (any pixel not fully transparent).
_PAINTED = f"""() => {{
  const canvas = document.querySelector('.leaflet-{PANE}-pane canvas');
  if (!canvas) {{ return -1; }}
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0;
  for (let i = 3; i < data.length; i += 4) {{ if (data[i] > 0) {{ n++; }} }}
  return n;
}}"""
_SHOWN_STREET_NAMES = (
    "() => Array.from(document.querySelectorAll('.ec-bm-street'))"
    ".filter(e => e.style.visibility === 'visible').map(e => e.textContent)"
)


def test_the_demo_basemap_is_drawn_with_nothing_fetched(tmp_path, own_cache):
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    page_file = tmp_path / "demo_map.html"
    page_file.write_text(standalone_html(base_map(load_study(DEMO))), encoding="utf-8")
    left: list[str] = []
    errors: list[str] = []

    def only_local(route) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            left.append(url)
            route.abort()

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 700})
            page.route("**/*", only_local)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(page_file.as_uri())
            page.wait_for_timeout(800)
            painted = page.evaluate(_PAINTED)
            name = page.evaluate("document.querySelector('.folium-map').id")
            page.evaluate(f"window['{name}'].setZoom(16); 0")
            page.wait_for_timeout(800)
            painted_zoomed = page.evaluate(_PAINTED)
            names = page.evaluate(_SHOWN_STREET_NAMES)
            background = page.evaluate(
                "getComputedStyle(document.querySelector('.folium-map')).backgroundColor"
            )
        finally:
            browser.close()
    assert errors == [] and left == []  # no script error, no request leaving the machine
    assert painted > 5_000 and painted_zoomed > 5_000  # streets and water painted on the basemap's canvas
    assert len(names) >= 1 and all(n.strip() for n in names)  # street names along the streets at zoom 16
    assert background == "rgb(242, 239, 233)"  # the pale land under everything

"""Benchmark of the 方案 page in a real browser (issue 16's "a click on the map places a centre and the community
table changes within a second").

Run ``python bench/bench_scenario_app.py [--loads 3] [--clicks 4] [--json]``. It starts ``streamlit run app.py`` on
a free local port (as tests/app/test_scenario_browser.py does, every request not to that server aborted) and drives
Debian's chromium through Playwright, headless. Each of ``--loads`` rounds opens the scenario page afresh (a new
browser session: nothing of the last round is kept but the server's caches), clicks the map at ``--clicks`` spots of
the demo (inside a community, away from every facility, where a centre is accepted) and times each click:

- ``figures``: from the click to the page's summary line counting the new centre, the script run over (the
  district's and the communities' tables are drawn in the same run);
- ``map``: from the click to the map drawing the new centre's dot.

The first click of each round (from a fresh page load) and the later clicks are reported apart (median and max),
against the 1 s target. The machine is shared: run it on a quiet one for the record.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
from common import REPO, machine_info, machine_line, write_results

sys.path.insert(0, str(REPO))

from planning.coverage import network_for_study
from planning.demo import DEMO_DIR
from planning.errors import StudyError
from planning.scenario import AddedFacility, Scenario, apply_scenario
from planning.study import load_study
from tests.app.test_browser import CHROMIUM_ARGS, idle, streamlit_server

TARGET_S = 1.0
CHROMIUM = Path("/usr/bin/chromium")
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
SUMMARY = '[data-testid="stMarkdownContainer"] strong'
DOTS = "() => Object.values(map_div._layers).filter(l => l instanceof L.CircleMarker).length"
TO_PIXEL = "([lat, lon]) => { const p = map_div.latLngToContainerPoint([lat, lon]); return [p.x, p.y]; }"
#: Whether a place is on the map and under no control (the legend, the zoom buttons, the scale).
CLEAR = (
    "([lat, lon]) => { const p = map_div.latLngToContainerPoint([lat, lon]);"
    " const size = map_div.getSize(); if (p.x < 20 || p.y < 20 || p.x > size.x - 20 || p.y > size.y - 20) return false;"
    " const r = map_div.getContainer().getBoundingClientRect();"
    " for (const [dx, dy] of [[0, 0], [-12, -12], [12, 12], [-12, 12], [12, -12]]) {"
    "  const e = document.elementFromPoint(r.left + p.x + dx, r.top + p.y + dy);"
    "  if (!e || e.closest('.leaflet-control-container, .leaflet-control, .eldercircle-legend')) return false; }"
    " return true; }"
)


def spots(n: int, *, away_m: float = 250.0, seed: int = 16) -> list[tuple[float, float]]:
    """``n`` places (lat, lon, WGS84) inside the demo's communities, ``away_m`` from every facility and from each
    other, where an added centre is accepted (in the study area, near a street)."""
    study = load_study(DEMO_DIR)
    net = network_for_study(study)
    rng = np.random.default_rng(seed)
    area = study.communities.geometry.union_all()
    xmin, ymin, xmax, ymax = area.bounds
    taken = [np.asarray(p.coords[0]) for p in study.facilities.geometry]
    found: list[tuple[float, float]] = []
    while len(found) < n:
        x, y = rng.uniform(xmin, xmax), rng.uniform(ymin, ymax)
        if not area.contains(_point(x, y)) or any(np.hypot(*(t - (x, y))) < away_m for t in taken):
            continue
        lon, lat = _to_wgs84(study.crs, x, y)
        try:
            apply_scenario(
                study,
                Scenario("bench", study.name, added=(AddedFacility("day_care", lon, lat),)),
                network=net,
            )
        except StudyError:
            continue
        taken.append(np.asarray((x, y)))
        found.append((lat, lon))
    return found


def _point(x: float, y: float):
    from shapely.geometry import Point

    return Point(x, y)


def _to_wgs84(crs, x: float, y: float) -> tuple[float, float]:
    import pyproj

    return pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True).transform(x, y)


def _map_frame(page):
    page.locator(MAP_FRAME).first.wait_for(state="visible")
    frame = page.locator(MAP_FRAME).first.element_handle().content_frame()
    frame.wait_for_function("() => window.map_div && document.querySelector('.leaflet-container')")
    return frame


def _dots(page) -> int:
    try:
        return int(_map_frame(page).evaluate(DOTS))
    except Exception:  # the frame is being replaced
        return -1


def _summary_counts(page, added: int) -> bool:
    strong = page.locator(SUMMARY)
    return strong.count() > 0 and f"新增 {added} 处" in strong.first.inner_text()


def one_round(page, url: str, places: list[tuple[float, float]], clicks: int) -> list[dict[str, float]]:
    """A fresh page load, then a click at each of the first ``clicks`` places clear of the map's controls; the seconds to the figures and to the map's new dot."""
    page.goto(f"{url}/scenario")
    page.get_by_text("方案尚无改动").first.wait_for(state="visible", timeout=180_000)
    idle(page, timeout_ms=180_000)
    frame = _map_frame(page)
    frame.wait_for_function(
        "() => document.querySelector('.leaflet-overlay-pane canvas, .leaflet-overlay-pane svg')"
    )
    box = page.locator(MAP_FRAME).first.bounding_box()
    dots = int(frame.evaluate(DOTS))
    places = [p for p in places if frame.evaluate(CLEAR, list(p))][:clicks]
    out = []
    for i, place in enumerate(places, start=1):
        frame = _map_frame(page)
        x, y = frame.evaluate(TO_PIXEL, list(place))
        t0 = time.perf_counter()
        page.mouse.click(box["x"] + x, box["y"] + y)
        figures = map_s = None
        deadline = t0 + 60
        while figures is None or map_s is None:
            now = time.perf_counter()
            if now > deadline:
                page.screenshot(
                    path=str(REPO / "test-artifacts" / "bench-scenario-app-failed.png"), full_page=True
                )
                raise SystemExit(f"click {i} at {place} gave no figures within 60 s")
            if map_s is None and _dots(page) >= dots + i:
                map_s = time.perf_counter() - t0
            if figures is None and _summary_counts(page, i):
                idle(page, timeout_ms=60_000)
                figures = time.perf_counter() - t0
            page.wait_for_timeout(10)
        out.append({"figures": figures, "map": map_s})
    return out


def run(loads: int, clicks: int, roots: dict[str, Path]) -> dict[str, list[list[dict[str, float]]]]:
    """``loads`` rounds of ``clicks`` clicks on each checkout in ``roots`` (by label), the checkouts taking turns
    round by round (the first goes first in odd rounds, last in even ones) so that a busy machine weighs on both."""
    from playwright.sync_api import sync_playwright

    places = spots(3 * loads * clicks)  # a third or so is under the legend or off the map
    rounds: dict[str, list[list[dict[str, float]]]] = {label: [] for label in roots}
    with contextlib.ExitStack() as stack, sync_playwright() as p:
        urls = {
            label: stack.enter_context(
                streamlit_server(
                    REPO / "test-artifacts" / f"bench-scenario-app-{label}.log",
                    env={"PYTHONPATH": str(root)},
                    root=root,
                )
            )
            for label, root in roots.items()
        }
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            for r in range(loads):
                order = list(urls) if r % 2 == 0 else list(reversed(urls))
                for label in order:
                    rounds[label].append(_fresh_round(browser, urls[label], places, r, clicks))
                    times = rounds[label][-1]
                    print(
                        f"round {r + 1} {label}: figures "
                        + " ".join(f"{c['figures']:.2f}" for c in times)
                        + " s; map "
                        + " ".join(f"{c['map']:.2f}" for c in times)
                        + " s",
                        flush=True,
                    )
        finally:
            browser.close()
    return rounds


def _fresh_round(
    browser, url: str, places: list[tuple[float, float]], r: int, clicks: int
) -> list[dict[str, float]]:
    """One round in a new browser context (a new session), every request not to ``url`` aborted."""
    host = urlsplit(url).netloc
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if urlsplit(route.request.url).scheme in ("data", "blob", "about")
            or urlsplit(route.request.url).netloc == host
            else route.abort()
        ),
    )
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        return one_round(page, url, places[r * 3 * clicks : (r + 1) * 3 * clicks], clicks)
    finally:
        context.close()


def _line(name: str, values: list[float]) -> str:
    if not values:
        return f"{name:28s} -"
    median, top = statistics.median(values), max(values)
    verdict = "met" if top <= TARGET_S else "median met" if median <= TARGET_S else "NOT met"
    return f"{name:28s} median {median:5.2f} s  max {top:5.2f} s  (n={len(values)}; target {TARGET_S:g} s: {verdict})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=3, help="fresh page loads (rounds)")
    parser.add_argument("--clicks", type=int, default=4, help="clicks per page load")
    parser.add_argument(
        "--against",
        metavar="DIR",
        help="another checkout of the project (e.g. `git archive` of an older commit): its app is timed too, the "
        "two taking turns round by round",
    )
    parser.add_argument("--json", action="store_true", help="write bench/results/scenario-app-<time>.json")
    args = parser.parse_args()
    if not CHROMIUM.is_file():
        raise SystemExit("/usr/bin/chromium is not installed")
    (REPO / "test-artifacts").mkdir(exist_ok=True)
    roots = {"this": REPO}
    if args.against:
        roots["against"] = Path(args.against).resolve()
    rounds = run(max(1, args.loads), max(1, args.clicks), roots)
    print(machine_line())
    summary: dict[str, dict[str, dict[str, list[float]]]] = {}
    for label, runs in rounds.items():
        summary[label] = {}
        for what in ("figures", "map"):
            first = [r[0][what] for r in runs]
            later = [c[what] for r in runs for c in r[1:]]
            summary[label][what] = {"first": first, "later": later}
            print(_line(f"{label} {what}: first click", first))
            print(_line(f"{label} {what}: later clicks", later))
    if args.json:
        data = {
            "machine": machine_info(),
            "target_s": TARGET_S,
            "roots": {k: str(v) for k, v in roots.items()},
        }
        path = write_results("scenario-app", {**data, "rounds": rounds, "summary": summary})
        print(f"results written to {path}")


if __name__ == "__main__":
    main()

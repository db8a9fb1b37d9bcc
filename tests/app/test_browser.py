"""The app in a real browser: `streamlit run app.py` on a free local port, driven by Debian's chromium through
Playwright (headless, no downloads). Opens every page, checks the visible Chinese and English text, runs one siting,
saves screenshots under test-artifacts/ and the page timings in test-artifacts/browser-timings.json (recorded, not
asserted: bench/bench_app.py reads them against the target).

Skipped when /usr/bin/chromium or the playwright package is absent (CI installs chromium and fonts-noto-cjk with
apt-get in .ci/run). The server is always stopped.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import REPO

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.skipif(
        not CHROMIUM.is_file(), reason="/usr/bin/chromium is not installed (apt-get install chromium)"
    ),
    pytest.mark.skipif(
        not (REPO / "data" / "demo" / "study.toml").is_file(), reason="the demo study is missing"
    ),
]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(url: str, proc: subprocess.Popen, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"streamlit did not answer on {url} within {timeout_s:.0f} s")


@contextlib.contextmanager
def streamlit_server(log: Path, *, env: dict[str, str] | None = None, root: Path = REPO):
    """A streamlit server of app.py on a free port (``env``: extra environment variables; ``root``: the checkout whose
    app runs, REPO unless a benchmark compares another); stopped (its whole process group) at the end."""
    port = _free_port()
    env = dict(os.environ, STREAMLIT_BROWSER_GATHER_USAGE_STATS="false", PYTHONUNBUFFERED="1", **(env or {}))
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.headless",
                "true",
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--browser.gatherUsageStats",
                "false",
                "--server.fileWatcherType",
                "none",
            ],
            cwd=root,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc)
        yield url
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        if proc.returncode not in (0, -signal.SIGTERM, -signal.SIGKILL):
            print(log.read_text(errors="replace")[-4000:])


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with streamlit_server(tmp_path_factory.mktemp("streamlit") / "server.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser_page(tmp_path_factory):
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1440, "height": 1000},
            locale="zh-CN",
        )
        try:
            page = context.new_page()
            page.set_default_timeout(30_000)
            yield page
        finally:
            context.close()


def _main_header(page, text: str, timeout_ms: int = 30_000) -> None:
    page.locator("h2", has_text=text).first.wait_for(state="visible", timeout=timeout_ms)


def idle(page, timeout_ms: int = 30_000) -> None:
    """Wait until the script run is over (Streamlit shows a status widget while running)."""
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stApp\"]')?.getAttribute('data-test-script-state')"
        " === 'notRunning'",
        timeout=timeout_ms,
    )


def _go(page, nav_label: str, header: str, timings: dict, key: str, *, map_title: str | None = None) -> None:
    """Open a page from the menu and time it until it is drawn: its header, the end of the script run and, on a
    page with a map, the map's Leaflet container and legend painted inside its frame."""
    t0 = time.perf_counter()
    page.locator('[data-testid="stSidebarNav"] a', has_text=nav_label).first.click()
    _main_header(page, header)
    idle(page)
    if map_title is not None:
        frame = page.frame_locator(f'iframe[title="{map_title}"]').first
        frame.locator(".leaflet-container").wait_for(state="visible")
        frame.locator(".eldercircle-legend").wait_for(state="visible")
    timings[key] = round(time.perf_counter() - t0, 2)


def _nav_labels(page) -> list[str]:
    """The menu's page titles (the icon's ligature text dropped)."""
    return [
        t.split("\n")[-1].strip() for t in page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()
    ]


def _study_fill(page, map_title: str) -> float:
    """How much of the map frame the study fills: the larger of its width and height shares (1 = edge to edge)."""
    from planning.maps import display_frame
    from planning.study import load_study

    west, south, east, north = display_frame(
        load_study(REPO / "data" / "demo").communities[["geometry"]], tolerance_m=0
    ).total_bounds
    frame = page.locator(f'iframe[title="{map_title}"]').first.element_handle().content_frame()
    return float(
        frame.evaluate(
            "([s, w, n, e]) => { const m = window[Object.keys(window).find(k => k.startsWith('map_'))];"
            " const a = m.latLngToContainerPoint([n, w]), b = m.latLngToContainerPoint([s, e]), size = m.getSize();"
            " return Math.max((b.x - a.x) / size.x, (b.y - a.y) / size.y); }",
            [south, west, north, east],
        )
    )


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(600)  # let the map tiles and the leaflet layers paint
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def _visible(page, text: str, timeout_ms: int = 15_000) -> None:
    page.get_by_text(text, exact=False).first.wait_for(state="visible", timeout=timeout_ms)


def test_every_page_in_a_real_browser_in_chinese_and_english(server, browser_page):
    page = browser_page
    timings: dict[str, float] = {}
    requests: list[str] = []  # bureau machines are offline: nothing the demo shows may come from elsewhere
    page.on("request", lambda r: requests.append(r.url))
    _first_visit_in_chinese(page, server, timings)
    _siting_in_chinese(page, timings)
    _data_in_chinese(page, timings)

    # after the first load: each page again, timed until its map is painted
    for label, header, key, map_title in (
        ("总览", "总览 · 示范区（合成数据）", "overview", "地图"),
        ("服务圈", "服务圈 · 示范区（合成数据）", "coverage", "地图"),
        ("标准", "标准 · 示范区（合成数据）", "standards", "地图"),
        ("选址", "选址 · 示范区（合成数据）", "siting", "地图"),
        ("数据", "数据", "data", None),
    ):
        _go(page, label, header, timings, key, map_title=map_title)

    _every_page_in_english(page, timings)
    host = urlsplit(server).netloc
    foreign = sorted(
        {u for u in requests if urlsplit(u).scheme in ("http", "https") and urlsplit(u).netloc != host}
    )
    assert not foreign, f"requests left the machine: {foreign[:5]}"

    # the timings are recorded, never asserted (the machine is shared): bench/bench_app.py runs this walk and
    # compares them with the 3 s target
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "browser-timings.json").write_text(json.dumps(timings, indent=2), encoding="utf-8")


def _first_visit_in_chinese(page, server: str, timings: dict[str, float]) -> None:
    """The first load (overview), then the Coverage and Standards pages, in Chinese."""
    t0 = time.perf_counter()
    page.goto(server)
    _main_header(
        page, "总览 · 示范区（合成数据）", timeout_ms=120_000
    )  # first load builds the walking network
    idle(page, timeout_ms=120_000)
    timings["first_load"] = round(time.perf_counter() - t0, 2)
    # the app's menu only: no entry for the helper module of app_pages/ (common), none twice
    assert _nav_labels(page) == ["总览", "服务圈", "标准", "选址", "方案", "数据"]
    _visible(page, "常住人口")
    _visible(page, "演示数据为程序生成的合成数据")
    # the folium map is inside a component iframe: its legend carries the Chinese facility kinds
    legend = page.frame_locator('iframe[title="地图"]').first.locator(".eldercircle-legend")
    legend.wait_for(state="visible")
    assert "日间照料中心" in legend.inner_text()
    # Leaflet is inlined: the map draws with no CDN in reach (the community polygons are SVG/canvas paths)
    page.frame_locator('iframe[title="地图"]').first.locator(".leaflet-container").wait_for(state="visible")
    assert 0.75 <= _study_fill(page, "地图") <= 1.0
    _shot(page, "overview_zh")

    _go(page, "服务圈", "服务圈 · 示范区（合成数据）", timings, "coverage_first", map_title="地图")
    _visible(page, "15分钟内")
    _visible(page, "各类设施分时段覆盖率")
    _shot(page, "coverage_zh")

    _go(page, "标准", "标准 · 示范区（合成数据）", timings, "standards_first", map_title="地图")
    _visible(page, "核查结果")
    _visible(page, "规则与出处")
    _visible(page, "V1 = 已核对原文条款")  # the status legend under the table: 未核实 = unverified
    _shot(page, "standards_zh")


def _siting_in_chinese(page, timings: dict[str, float]) -> None:
    """A siting run with its progress, its figures and its map."""
    _go(page, "选址", "选址 · 示范区（合成数据）", timings, "siting_first")
    page.get_by_role("button", name="运行选址").click()
    page.get_by_role("progressbar").first.wait_for(state="attached")  # the run shows its progress
    _visible(page, "每处新站点的边际增益", timeout_ms=60_000)
    idle(page)
    metric = page.locator('[data-testid="stMetric"]', has_text="推荐站点").first
    assert metric.locator('[data-testid="stMetricValue"]').inner_text().strip() == "3"
    _visible(page, "已证明最优（差距 0）")
    _shot(page, "siting_zh")
    # the recommended sites, numbered in entry order, on a map framed on the study (not a quarter of it)
    map_frame = page.frame_locator('iframe[title="地图"]').first
    map_frame.locator(".leaflet-marker-icon", has_text="1").first.wait_for(state="visible")
    assert 0.75 <= _study_fill(page, "地图") <= 1.0
    page.locator('iframe[title="地图"]').first.scroll_into_view_if_needed()
    _shot(page, "siting_map_zh")


def _data_in_chinese(page, timings: dict[str, float]) -> None:
    """The Data page and a report file made on demand."""
    _go(page, "数据", "数据", timings, "data_first")
    _visible(page, "数据校验报告")
    _visible(page, "下载结果")
    _shot(page, "data_zh")
    # a report file made on demand: the workbook with coverage, the check and this session's siting
    button = page.get_by_role("button", name="报告表格（XLSX）")
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=60_000) as download:
        button.click()
    saved = ARTIFACTS / "report_zh.xlsx"
    download.value.save_as(str(saved))
    assert saved.read_bytes()[:2] == b"PK" and saved.stat().st_size > 10_000


def _every_page_in_english(page, timings: dict[str, float]) -> None:
    """The language switched to English on the Data page, then every page in English."""
    page.locator('[data-testid="stSidebar"] label', has_text="English").first.click()
    _main_header(page, "Data")
    idle(page)
    assert _nav_labels(page) == ["Overview", "Coverage", "Standards", "Siting", "Scenarios", "Data"]
    _visible(page, "Validation report")
    _shot(page, "data_en")
    _go(
        page, "Overview", "Overview · Demo district (synthetic data)", timings, "overview_en", map_title="Map"
    )
    _visible(page, "Residents")
    legend = page.frame_locator('iframe[title="Map"]').first.locator(".eldercircle-legend")
    assert "Day-care centre" in legend.inner_text()
    _shot(page, "overview_en")
    _go(
        page,
        "Standards",
        "Standards · Demo district (synthetic data)",
        timings,
        "standards_en",
        map_title="Map",
    )
    _visible(page, "Check results")
    _visible(page, "unverified = recalled, not yet confirmed")
    _shot(page, "standards_en")
    page.get_by_text("Check results", exact=True).first.scroll_into_view_if_needed()
    _shot(page, "standards_table_en")
    _go(page, "Siting", "Siting · Demo district (synthetic data)", timings, "siting_en", map_title="Map")
    _visible(page, "Marginal gain of each new site")  # the run of this session is still shown
    _visible(page, "proven optimal (gap 0)")
    _shot(page, "siting_en")
    _go(
        page, "Coverage", "Coverage · Demo district (synthetic data)", timings, "coverage_en", map_title="Map"
    )
    _visible(page, "Coverage by kind and band")
    _shot(page, "coverage_en")


def test_a_first_visit_by_a_page_link_gets_the_apps_menu(tmp_path, browser_page):
    """A first request to a fresh server for ``/coverage`` shows that page under the app's menu (when the pages lived
    in Streamlit's legacy ``pages/`` folder, it ran the page file alone under a menu of every file there), and a path
    that is no page (``/upload``, once a helper module) opens the app's first page."""
    with streamlit_server(tmp_path / "server.log") as url:
        page = (
            browser_page.context.new_page()
        )  # the module's browser, another server: this one's first request
        try:
            page.set_default_timeout(30_000)
            page.goto(f"{url}/coverage")
            _main_header(page, "服务圈 · 示范区（合成数据）", timeout_ms=120_000)
            idle(page, timeout_ms=120_000)
            assert _nav_labels(page) == ["总览", "服务圈", "标准", "选址", "方案", "数据"]
            _visible(page, "15分钟内")
            page.locator('[data-testid="stSidebarNav"] a', has_text="标准").first.click()
            _main_header(page, "标准 · 示范区（合成数据）")
            idle(page)
            assert _nav_labels(page) == ["总览", "服务圈", "标准", "选址", "方案", "数据"]
            page.goto(f"{url}/upload")  # a helper module, not a page: the app's first page
            _main_header(page, "总览 · 示范区（合成数据）")
            idle(page)
            assert _nav_labels(page) == ["总览", "服务圈", "标准", "选址", "方案", "数据"]
        finally:
            page.close()


#: Names an attacker would give a community, a street, a facility and the study: each would run script if it
#: reached HTML unescaped (as markup, inside a <script> block, in an attribute, or as a link).
HOSTILE = (
    '<img src=x onerror="window.__pwned=1">',
    "<script>window.__pwned=1</script>",
    '"><svg onload=window.__pwned=1>',
    "</script><script>window.__pwned=1</script>",
    "[点我](javascript:window.__pwned=1)",
    '=HYPERLINK("http://127.0.0.1:9/","x")',
)


def _hostile_study_zip() -> bytes:
    import csv
    import io

    from tests.app.tiny import STUDY_TOML, communities_geojson, facilities_csv, zip_bytes

    communities = communities_geojson()
    for feature, name in zip(communities["features"], HOSTILE[:2], strict=False):
        feature["properties"]["name"] = name
        feature["properties"]["street"] = HOSTILE[2]
    rows = list(csv.reader(io.StringIO(facilities_csv())))
    for row, name in zip(rows[1:], HOSTILE[3:], strict=False):
        row[0] = name
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    toml = STUDY_TOML.replace(
        'name = "小城测试区"', 'name = "小城<img src=x onerror=\\"window.__pwned=1\\">"'
    )
    from tests.app.tiny import streets_geojson

    return zip_bytes(
        {
            "evil/study.toml": toml,
            "evil/communities.geojson": json.dumps(communities, ensure_ascii=False),
            "evil/streets.geojson": json.dumps(streets_geojson()),
            "evil/facilities.csv": buf.getvalue(),
        }
    )


def _pwned(page) -> list[str]:
    """Frames (the page and each map) in which a payload ran."""
    return [frame.url for frame in page.frames if frame.evaluate("() => window.__pwned !== undefined")]


def _sweep_maps(page) -> None:
    """Wait for every map of the page to draw, then move the mouse over a grid across each and click there:
    tooltips and popups (SVG or canvas) render the names of what lies under the pointer."""
    for frame_element in page.locator("iframe").all():
        frame = frame_element.content_frame
        frame.locator(".leaflet-container").wait_for(state="visible")
        frame.locator(".leaflet-interactive, canvas.leaflet-zoom-animated").first.wait_for(state="attached")
        box = frame_element.bounding_box()
        for i in range(1, 16):
            for j in range(1, 10):
                page.mouse.move(box["x"] + box["width"] * i / 16, box["y"] + box["height"] * j / 10)
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def test_a_hostile_zipped_study_runs_no_script_in_the_app(tmp_path, browser_page):
    """The app on a public deployment, a zipped study whose names are script payloads: every page and every map is
    opened, the map features hovered, and no payload runs anywhere; the names are shown as text."""
    archive = tmp_path / "evil.zip"
    archive.write_bytes(_hostile_study_zip())
    dialogs: list[str] = []
    with streamlit_server(tmp_path / "server.log", env={"ELDERCIRCLE_PUBLIC": "1"}) as url:
        page = browser_page.context.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        try:
            page.set_default_timeout(60_000)
            page.goto(url)
            _main_header(page, "总览 · 示范区（合成数据）", timeout_ms=120_000)
            idle(page, timeout_ms=120_000)
            assert (
                "本机文件夹" not in page.locator('[data-testid="stSidebar"]').inner_text()
            )  # public: no server folder
            page.locator('[data-testid="stSidebar"] label', has_text="上传研究区压缩包").first.click()
            idle(page)
            page.locator('[data-testid="stSidebar"] input[type="file"]').first.set_input_files(str(archive))
            _main_header(page, "总览 · 小城<img src=x", timeout_ms=120_000)  # the study's name, shown as text
            idle(page, timeout_ms=120_000)
            for label in ("总览", "服务圈", "标准", "选址", "数据"):
                page.locator('[data-testid="stSidebarNav"] a', has_text=label).first.click()
                page.locator("h2", has_text=label).first.wait_for(state="visible")
                idle(page, timeout_ms=120_000)
                _sweep_maps(page)
                assert not _pwned(page), f"a payload ran on the {label} page"
            _shot(page, "hostile_data")
        finally:
            page.close()
    assert not dialogs

"""Remake the README's screenshots: the app's pages on the demo study in Chinese, and a corner of the print map.

Run ``python docs/screenshots.py`` from the checkout (needs Debian's chromium at /usr/bin/chromium and the
playwright package). It starts ``streamlit run app.py`` on a free port, opens each page in headless chromium with
every request that leaves the machine aborted (the app works offline), waits until the page and its map are drawn,
and writes ``docs/screenshots/<page>.png``; then ``eldercircle report`` on the demo gives the print map, of which a
corner is saved as ``docs/screenshots/print_map.png``.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from PIL import Image

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "screenshots"
#: (url path, menu title) of each page shown.
PAGES = (
    ("overview", "总览"),
    ("coverage", "服务圈覆盖"),
    ("standards", "标准核查"),
    ("siting", "选址"),
    ("data", "数据"),
)


def _serve() -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true"]
    cmd += ["--server.port", str(port), "--browser.gatherUsageStats", "false"]
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return proc, url
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("streamlit did not start")


def _settle(page) -> None:
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stApp\"]')?.getAttribute('data-test-script-state')"
        " === 'notRunning'",
        timeout=120_000,
    )
    page.wait_for_timeout(2500)  # the maps' frames draw after the script run


def app_pages() -> None:
    from playwright.sync_api import sync_playwright

    proc, url = _serve()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox"]
            )
            page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(url) else r.abort())
            for path, _title in PAGES:
                page.goto(f"{url}/{'' if path == 'overview' else path}")  # the first page is the app's root
                _settle(page)
                if path == "siting":
                    page.get_by_role("button", name="运行选址").first.click()
                    _settle(page)
                if path == "scenario":  # a click on the map places a day-care centre
                    box = page.locator("iframe").first.bounding_box()
                    page.mouse.click(box["x"] + box["width"] * 0.55, box["y"] + box["height"] * 0.35)
                    _settle(page)
                page.screenshot(path=str(OUT / f"{path}.png"))
                print(f"wrote {OUT / f'{path}.png'}")
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def print_map() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "planning.cli", "report", "data/demo", "--out", tmp], cwd=REPO, check=True
        )
        sheet = Image.open(Path(tmp) / "coverage_print.png")
        sheet.resize((sheet.width // 4, sheet.height // 4), Image.LANCZOS).save(OUT / "print_map.png")
        sheet.crop((1100, 500, 2900, 1700)).resize((1200, 800), Image.LANCZOS).save(
            OUT / "print_map_detail.png"
        )
    print(f"wrote {OUT / 'print_map.png'} and print_map_detail.png")


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    app_pages()
    print_map()

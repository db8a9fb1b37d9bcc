"""Benchmark of the app's page times in a real browser (issue 6's target: after the first load every page renders
within 3 s, its map painted, in Chinese and English).

Run ``python bench/bench_app.py [--repeat 1] [--json]``. It runs the browser walk-through of
``tests/app/test_browser.py`` (``streamlit run app.py`` on a free local port, Debian's chromium driven by Playwright)
``--repeat`` times and reads the page timings that walk records in ``test-artifacts/browser-timings.json``. The test
itself never asserts a time (a shared, busy machine must not fail CI); the comparison with the target lives here.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

from common import REPO, machine_info, write_results

TARGET_S = 3.0
WALK = "tests/app/test_browser.py::test_every_page_in_a_real_browser_in_chinese_and_english"
TIMINGS = REPO / "test-artifacts" / "browser-timings.json"


def run_walk() -> dict[str, float]:
    """One walk through every page; the timings it recorded (seconds per page visit)."""
    TIMINGS.unlink(missing_ok=True)
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", WALK],
        cwd=REPO,
        check=False,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0 or not TIMINGS.is_file():
        tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-15:])
        raise SystemExit(f"the browser walk failed (pytest exit {proc.returncode}):\n{tail}")
    return {k: float(v) for k, v in json.loads(TIMINGS.read_text(encoding="utf-8")).items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repeat", type=int, default=1, help="walks to run; the best time of each page is kept"
    )
    parser.add_argument("--json", action="store_true", help="write bench/results/app-<time>.json")
    args = parser.parse_args()
    runs = [run_walk() for _ in range(max(1, args.repeat))]
    best = {k: min(r[k] for r in runs if k in r) for k in runs[0]}
    print(f"{'page visit':<16}{'best (s)':>10}  target {TARGET_S:g} s")
    for key, seconds in best.items():
        verdict = (
            "first load (no target)" if key == "first_load" else ("met" if seconds <= TARGET_S else "NOT met")
        )
        print(f"{key:<16}{seconds:>10.2f}  {verdict}")
    slow = [k for k, v in best.items() if k != "first_load" and v > TARGET_S]
    print(
        f"summary: {len(best) - 1 - len(slow)} of {len(best) - 1} page visits within {TARGET_S:g} s after the "
        "first load" + (f"; slower: {', '.join(slow)}" if slow else "")
    )
    if args.json:
        path = write_results(
            "app", {"machine": machine_info(), "target_s": TARGET_S, "runs": runs, "best": best}
        )
        print(f"results written to {path}")


if __name__ == "__main__":
    main()

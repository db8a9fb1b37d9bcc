"""The print map (A3 landscape PDF and 300 dpi PNG of the coverage map): its scale bar's length and label worked out
by hand, and the demo report's sheet measured: page size, pixel size and the words printed on it."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from planning.report.folder import REPORT_FILES
from planning.report.print_map import scale_label, scale_length, standard_lines
from planning.standards import CIRCLE_CITATION
from tests.planning.test_report import demo_report  # noqa: F401  (the demo report, written once per module)

A3_PT = (420 / 25.4 * 72, 297 / 25.4 * 72)  # 1190.55 x 841.89 pt


@pytest.mark.parametrize(
    ("width_m", "length"),
    [
        (1000.0, 200.0),  # a fifth: 200 m
        (2600.0, 500.0),  # 520 m: nearest 500 m
        (4000.0, 1000.0),  # 800 m: nearer 1 km than 500 m on a log scale (1.25x vs 1.6x)
        (9000.0, 2000.0),  # 1.8 km
        (40000.0, 5000.0),  # 8 km: the largest there is
        (300.0, 200.0),  # 60 m: the smallest there is
    ],
)
def test_scale_bar_is_a_round_length_near_a_fifth_of_the_width(width_m, length):
    assert scale_length(width_m) == length


def test_scale_labels_in_metres_and_kilometres():
    assert scale_label(500.0, "zh") == "500 米"
    assert scale_label(2000.0, "zh") == "2 公里"
    assert scale_label(1000.0, "en") == "1 km"
    assert scale_label(200.0, "en") == "200 m"


def _media_box(pdf: bytes) -> tuple[float, float]:
    found = re.search(rb"/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]", pdf)
    assert found is not None
    x0, y0, x1, y1 = (float(v) for v in found.groups())
    return x1 - x0, y1 - y0


def test_demo_print_pdf_is_one_a3_landscape_page(demo_report):  # noqa: F811
    _, out, _ = demo_report
    pdf = (out / REPORT_FILES["print_pdf"]).read_bytes()
    assert pdf.startswith(b"%PDF")
    assert pdf.count(b"/Type /Page ") + pdf.count(b"/Type /Page\n") + pdf.count(b"/Type/Page>") >= 1
    width, height = _media_box(pdf)
    assert width == pytest.approx(A3_PT[0], abs=0.5) and height == pytest.approx(A3_PT[1], abs=0.5)


def test_demo_print_png_is_a3_at_300_dpi(demo_report):  # noqa: F811
    _, out, _ = demo_report
    with Image.open(out / REPORT_FILES["print_png"]) as img:
        assert img.size == (4961, 3508)
        dpi = img.info.get("dpi")
    assert dpi is not None and round(dpi[0]) == 300


def _pdftotext(path: Path) -> str:
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run([exe, "-layout", str(path), "-"], capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def test_demo_print_pdf_says_title_standard_north_and_scale(demo_report):  # noqa: F811
    from planning.report import cjk_font

    study, out, _ = demo_report
    text = _pdftotext(out / REPORT_FILES["print_pdf"])
    flat = re.sub(r"\s+", "", text)
    if cjk_font() is None:  # drawn in English without a Chinese font
        assert "walking coverage of elderly-care facilities" in text and "N" in text
        return
    assert re.sub(r"\s+", "", f"{study.name} 养老服务设施步行覆盖图") in flat
    assert "北" in flat
    assert re.search(r"\d+(米|公里)", flat)
    assert "2026-11" in flat  # the data date
    for line in standard_lines(study, "zh"):
        # the citations (long lines may wrap: compare without spaces)
        assert re.sub(r"\s+", "", line)[:20] in flat
    assert re.sub(r"\s+", "", CIRCLE_CITATION)[:15] in flat


def test_demo_print_pdf_shows_no_phone_number_in_a_street_name(demo_report, tmp_path):  # noqa: F811
    """Street names are printed: an ID or phone number in one is replaced, as on every report figure."""
    from planning.coverage import network_for_study
    from planning.report.print_map import coverage_print

    study, _, _ = demo_report
    from planning.coverage import coverage_of_study

    comm = study.communities.copy()
    first = comm["street"].dropna().iloc[0]
    comm["street"] = comm["street"].replace(first, f"{first}13812345678")
    changed = replace(study, communities=comm)
    pdf, _ = coverage_print(changed, coverage_of_study(changed, network_for_study(changed)), lang="zh")
    (tmp_path / "p.pdf").write_bytes(pdf)
    text = _pdftotext(tmp_path / "p.pdf")
    assert "13812345678" not in text


def test_demo_scenario_pdf_is_one_landscape_page_of_the_scenario_figure(demo_report):  # noqa: F811
    _, out, _ = demo_report
    pdf = (out / REPORT_FILES["scenario_pdf"]).read_bytes()
    assert pdf.startswith(b"%PDF")
    width, height = _media_box(pdf)
    assert width > height  # landscape, the PNG's figure (16.54 x 11.69 in)
    assert width == pytest.approx(16.54 * 72, abs=1.0)

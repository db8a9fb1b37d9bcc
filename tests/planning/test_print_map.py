"""The print sheets (A3 landscape PDF and 300 dpi PNG of the coverage map and of the siting scenario): the scale
bar's length and label and the scenario sheet's hidden shares worked out by hand, and the demo report's sheets
measured: page size, pixel size and the words printed on them."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from planning.report.folder import REPORT_FILES
from planning.report.print_map import scenario_print_bytes, shown_scenario_shares, site_lines
from planning.report.sheet import scale_label, scale_length, standard_lines
from planning.standards import CIRCLE_CITATION
from tests.planning.test_report import (  # noqa: F401  (fixtures: the demo report, written once per module)
    demo_report,
    net,
    tiny_siting,
)

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
    from planning.report.print_map import coverage_print_bytes

    study, _, _ = demo_report
    from planning.coverage import coverage_of_study

    comm = study.communities.copy()
    first = comm["street"].dropna().iloc[0]
    comm["street"] = comm["street"].replace(first, f"{first}13812345678")
    changed = replace(study, communities=comm)
    (pdf,) = coverage_print_bytes(changed, coverage_of_study(changed, network_for_study(changed)), lang="zh")
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


# --- the scenario sheet -------------------------------------------------------------------------------------------


def test_scenario_shares_hidden_by_hand(tiny_siting):  # noqa: F811
    """tiny_siting: 甲 30 elderly (all covered before), 乙 4, 丙 25 in 一街道, 丁 40 in 二街道 (0 before, 15 after).
    k = 10: 乙's count (4) is hidden, and 丙 with it (一街道's total would give 乙's 4), so both shares go; 甲 (30 of
    30) and 丁 (0 of 40, then 15 of 40) show. k = 20: 丁's 15 covered after is a group below 20, so its after share
    goes too (its 0 covered before stays: 0 reveals no one)."""
    _, siting = tiny_siting
    assert list(siting.communities["name"]) == ["甲社区", "乙社区", "丙社区", "丁社区"]
    before, after = shown_scenario_shares(siting, k_anon=10)
    np.testing.assert_allclose(before, [1.0, np.nan, np.nan, 0.0])
    np.testing.assert_allclose(after, [1.0, np.nan, np.nan, 15 / 40])
    before, after = shown_scenario_shares(siting, k_anon=20)
    np.testing.assert_allclose(before, [1.0, np.nan, np.nan, 0.0])
    np.testing.assert_allclose(after, [1.0, np.nan, np.nan, np.nan])


def test_site_lines_show_a_small_gain_as_below_k(tiny_siting):  # noqa: F811
    """The one site adds 44 elderly (30 -> 74 of 99 covered: 74.7 %): shown with k = 10, "<50" with k = 50."""
    _, siting = tiny_siting
    assert site_lines(siting, "zh", 10) == ["1. 候选地块甲：新增覆盖 44 人，累计覆盖率 74.7%"]
    assert site_lines(siting, "en", 50) == ["1. 候选地块甲: +<50 elderly, 74.7 % covered"]


def test_site_lines_name_a_generated_site_in_the_sheets_language(tiny_siting):  # noqa: F811
    _, siting = tiny_siting
    generated = replace(siting, sites=siting.sites.assign(name=["by 建设路 (翠苑社区) · generated site 12"]))
    assert site_lines(generated, "zh", 10) == [
        "1. 建设路旁（翠苑社区）· 生成候选点12：新增覆盖 44 人，累计覆盖率 74.7%"
    ]
    assert site_lines(generated, "en", 10)[0].startswith("1. by 建设路 (翠苑社区) · generated site 12: ")


def test_demo_scenario_print_is_one_a3_landscape_page_and_a_300_dpi_png(demo_report):  # noqa: F811
    _, out, _ = demo_report
    pdf = (out / REPORT_FILES["scenario_print_pdf"]).read_bytes()
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") == 1
    width, height = _media_box(pdf)
    assert width == pytest.approx(A3_PT[0], abs=0.5) and height == pytest.approx(A3_PT[1], abs=0.5)
    with Image.open(out / REPORT_FILES["scenario_print_png"]) as img:
        assert img.size == (4961, 3508)
        dpi = img.info.get("dpi")
    assert dpi is not None and round(dpi[0]) == 300


def test_demo_scenario_print_says_title_north_citation_and_solver(demo_report):  # noqa: F811
    from planning.report import cjk_font

    study, out, _ = demo_report
    text = _pdftotext(out / REPORT_FILES["scenario_print_pdf"])
    flat = re.sub(r"\s+", "", text)
    if cjk_font() is None:  # drawn in English without a Chinese font
        assert "Before" in text and "After" in text and "N" in text
        return
    assert study.name in flat and "日间照料中心的覆盖变化" in flat
    assert "选址前" in flat and "选址后" in flat and "北" in flat
    assert re.search(r"\d+(米|公里)", flat)
    assert "新增站点与边际增益" in flat and "新增覆盖" in flat
    assert "求解：已证明最优" in flat
    assert re.sub(r"\s+", "", CIRCLE_CITATION)[:15] in flat
    assert "2026-11" in flat


def test_scenario_print_of_a_real_study_credits_openstreetmap(tiny_siting, tmp_path):  # noqa: F811
    """A study whose network is OpenStreetMap data (not synthetic) credits it on the sheet, in Chinese."""
    from planning.report import cjk_font

    study, siting = tiny_siting
    pdf, png = scenario_print_bytes(
        replace(study, synthetic=False), siting, formats=("pdf", "png"), lang="zh"
    )
    assert png.startswith(b"\x89PNG")
    (tmp_path / "s.pdf").write_bytes(pdf)
    flat = re.sub(r"\s+", "", _pdftotext(tmp_path / "s.pdf"))
    if cjk_font() is None:
        assert "OpenStreetMapcontributors" in flat
        return
    assert "©OpenStreetMap贡献者" in flat and "小区县" in flat
    assert "演示数据" not in flat  # not synthetic: no synthetic-data notice


def test_demo_print_shows_villages_by_their_own_target(demo_report):  # noqa: F811
    from planning.maps import villages_of
    from planning.report import cjk_font

    study, out, _ = demo_report
    if cjk_font() is None:
        pytest.skip("no CJK font: the sheet is drawn in English")
    flat = re.sub(r"\s+", "", _pdftotext(out / REPORT_FILES["print_pdf"]))
    villages = villages_of(study)
    assert villages is not None and (villages.ok, villages.n) == (11, 15)
    assert "已有农村互助养老服务设施的行政村" in flat and "尚无农村互助养老服务设施的行政村" in flat
    assert "现有11/15个" in flat  # the villages' own target: how many meet it now
    assert "行政村不按此着色" not in flat  # no longer merely neutral


def test_draw_ground_puts_the_basemap_under_translucent_shading(demo_report):  # noqa: F811
    from matplotlib.figure import Figure

    from planning.maps import basemap_for_study
    from planning.report.sheet import UNDERLAY_FILL_ALPHA, draw_ground, street_frame

    study, _out, _ = demo_report
    fig = Figure(figsize=(8, 6))
    ax = fig.add_axes((0, 0, 1, 1))
    comm = street_frame(study, "zh")
    credit = draw_ground(
        ax, comm, ["#1a9850"] * len(comm), names=False, lang="zh", underlay=basemap_for_study(study)
    )
    assert credit is not None and "OpenStreetMap" in credit  # the sheet prints it only for a real study
    fills = [c for c in ax.collections if c.get_zorder() == 1]
    assert fills and all(abs(c.get_alpha() - UNDERLAY_FILL_ALPHA) < 1e-9 for c in fills)
    assert any(c.get_zorder() < 0.5 for c in ax.collections)  # the basemap's streets, below the shading

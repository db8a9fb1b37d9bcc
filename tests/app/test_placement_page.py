"""The Data page says how the elderly were placed: the population layer on the demo, residential land use on a
study that gives only community totals (a zipped copy of the demo without its population layer)."""

from __future__ import annotations

import io
import zipfile

from tests.app.test_app import DEMO, _choose_zip, goto, new_app, texts


def _demo_without_population() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for path in sorted(DEMO.iterdir()):
            if path.name in ("population.gpkg", "README.md"):
                continue
            data = path.read_bytes()
            if path.name == "study.toml":
                text = path.read_text(encoding="utf-8")
                data = "\n".join(ln for ln in text.splitlines() if not ln.startswith("population")).encode()
            zf.writestr(f"nopop/{path.name}", data)
    return buf.getvalue()


def test_the_data_page_shows_the_population_layer_placement_of_the_demo():
    at = goto(new_app(), "data")
    shown = texts(at)
    assert "老年人口落位" in shown and "老年人口分布图层" in shown


def test_a_study_of_totals_only_shows_its_elderly_placed_on_residential_land():
    at = new_app()
    _choose_zip(at, _demo_without_population(), "nopop.zip")
    goto(at, "data")
    shown = texts(at)
    assert "按居住用地" in shown and "落位方式" in shown
    table = next(df.value for df in at.dataframe if "落位方式" in df.value.columns)
    assert len(table) == 55 and set(table["落位方式"]) <= {"按居住用地", "按 100 米格网均匀分布"}

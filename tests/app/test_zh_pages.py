"""Chinese all the way (issue 14) in the app: every page of the demo in Chinese, a siting run included, shows no
English word but names, keys and units (the allow-list of tests/planning/test_zh_scan.py), and no table cell shows a
missing value as the program spells it ("None", "nan") or a raw float. The page titles name the study, and a study
that is not synthetic is never called synthetic.
"""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from planning.i18n import tr
from planning.study import load_study
from tests.app.test_app import DEMO, PAGES, goto, new_app
from tests.app.tiny import STUDY_TOML, tiny_study_zip
from tests.planning.test_zh_scan import english_words, unshown

pytestmark = pytest.mark.skipif(not (DEMO / "study.toml").is_file(), reason="the demo study is not generated")


def shown_cell(value: object) -> str:
    """A table cell as the page shows it: Streamlit writes a missing value as "None" and a float with its digits."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "None"
    return repr(value) if isinstance(value, float) else str(value)


def page_texts(at: AppTest) -> tuple[list[str], list[str]]:
    """(every text a person reads on the page; the cells of its tables as shown)."""
    parts = [
        e.value
        for e in (
            *at.title,
            *at.header,
            *at.subheader,
            *at.caption,
            *at.markdown,
            *at.info,
            *at.warning,
            *at.error,
            *at.success,
        )
    ]
    parts += [
        w.label for w in (*at.radio, *at.selectbox, *at.multiselect, *at.slider, *at.button, *at.checkbox)
    ]
    parts += [w.label for w in (*at.text_input, *at.number_input)]
    parts += [str(o) for w in (*at.radio, *at.selectbox, *at.multiselect) for o in w.options]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [t.label for t in at.tabs] + [e.label for e in at.expander]
    cells: list[str] = []
    for df in at.dataframe:
        frame = df.value
        parts += [str(c) for c in frame.columns]
        cells += [shown_cell(v) for v in frame.to_numpy().ravel()]
    return [str(p) for p in parts] + cells, cells


@pytest.fixture(scope="module")
def zh_pages() -> dict[str, tuple[list[str], list[str]]]:
    """Each page's texts in Chinese (the default language), the siting page after a run."""
    at = new_app()
    pages = {}
    for page in PAGES:
        goto(at, page)
        if page == "siting":
            next(b for b in at.button if b.label == "运行选址").click().run()
            assert not at.exception, [e.value for e in at.exception]
        pages[page] = page_texts(at)
    return pages


@pytest.mark.parametrize("page", PAGES)
def test_chinese_page_holds_no_english_word(zh_pages, page):
    texts, _ = zh_pages[page]
    # the switch is labelled in both languages, and offers English by its own name
    body = "\n".join(t for t in texts if t not in ("语言 / Language", "English"))
    words = english_words(body)
    assert not words, f"English on the Chinese {page} page: {sorted(words)}"


@pytest.mark.parametrize("page", PAGES)
def test_chinese_tables_show_no_missing_value_and_no_raw_float(zh_pages, page):
    _, cells = zh_pages[page]
    assert not unshown(cells), f"the {page} page's tables show: {unshown(cells)}"


def test_page_header_names_the_study():
    at = new_app()
    name = load_study(DEMO).name
    assert any(name in h.value for h in (*at.title, *at.header)), [h.value for h in at.header]


def test_a_real_study_is_not_called_synthetic():
    """A study whose study.toml says synthetic = false: no page calls it synthetic (合成), the basemap choice
    included; only the sidebar's option for the embedded demo names the demo as synthetic."""
    real = STUDY_TOML.replace("synthetic = true", "synthetic = false")
    at = new_app()
    at.radio(key="study_source").set_value("zip").run()
    at.file_uploader(key="study_zip").set_value(
        ("real.zip", tiny_study_zip(extra={"tiny/study.toml": real}), "application/zip")
    ).run()
    demo_option = tr("source_demo", "zh")
    said = {}
    for page in PAGES:
        goto(at, page)
        texts, _ = page_texts(at)
        if found := [t for t in texts if "合成" in t and t != demo_option]:
            said[page] = found[:5]
    assert not said, said


def test_browser_tab_title_names_the_study():
    from app_pages.common import page_title

    assert page_title("zh", "示范区（合成数据）") == "示范区（合成数据） · " + tr("app_title", "zh")
    assert page_title("en").startswith("eldercircle · ")

"""The Standards page's bed-basis choice: the bed rows are counted again on the basis chosen, and say it."""

from __future__ import annotations

import pytest

from tests.app.test_app import DEMO, goto, new_app

pytestmark = pytest.mark.skipif(not (DEMO / "study.toml").is_file(), reason="the demo study is not generated")


def bed_explanation(at) -> str:
    for df in at.dataframe:
        frame = df.value
        for col in frame.columns:
            hits = frame[col].astype(str).str.contains("口径：", regex=False)
            if hits.any():
                return " ".join(frame.loc[hits, col].astype(str))
    return ""


def test_the_bed_basis_selectbox_recounts_the_bed_rows():
    at = goto(new_app(), "standards")
    assert at.selectbox(key="std_bed_basis").value == "institutions"  # the demo's study.toml sets none
    assert "每千人18.2张" in bed_explanation(at) and "口径：养老机构床位" in bed_explanation(at)
    at.selectbox(key="std_bed_basis").set_value("all").run()
    assert not at.exception
    assert "每千人35.0张" in bed_explanation(at) and "口径：全部设施床位" in bed_explanation(at)

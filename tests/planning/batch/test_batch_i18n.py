"""The batch run's words: in the catalogue, Chinese and English with the same fields, no key shared."""

from __future__ import annotations

import re
import string

from planning.batch import BatchOptions, StudyRecord, summary_frame
from planning.i18n import CATALOGUE, say
from planning.i18n.batch import BATCH_TEXT
from planning.i18n.errors import ERRORS
from planning.i18n.report import REPORT_TEXT
from planning.i18n.texts import TEXTS


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def test_every_batch_text_is_in_the_catalogue_in_both_languages() -> None:
    for key, (zh, en) in BATCH_TEXT.items():
        assert CATALOGUE[key] == (zh, en)
        assert _fields(zh) == _fields(en), key
        assert not re.search(r"[\u4e00-\u9fff]", en), key
        assert key.startswith(("batch_", "err_batch_")), key
        assert key not in TEXTS and key not in REPORT_TEXT and key not in ERRORS, key


def test_a_lost_worker_and_the_summary_headers_are_said_in_chinese() -> None:
    from planning.batch.work import lost_record

    record = lost_record("county-07", "/p/county-07", "zh")
    assert record.status == "failed" and "丢失" in record.reason and "--memory-limit" in record.reason
    frame = summary_frame(
        [record, StudyRecord(name="a", path="a", status="ok", shares={"day_care": 0.5})], "zh"
    )
    assert list(frame.columns[:4]) == ["研究区", "名称", "状态", "失败原因"]
    assert "15 分钟步行覆盖率：日间照料中心" in frame.columns
    assert list(frame["状态"]) == ["失败", "完成"]
    assert say("batch_progress", "en", done=1, total=3, running=2, failed=0) == (
        "studies: 1/3 done, 2 running, 0 failed"
    )
    assert BatchOptions(workers=2).key_fields() == BatchOptions().key_fields()

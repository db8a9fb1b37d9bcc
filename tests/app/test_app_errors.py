"""An error in a page is one sentence for the person and a trace in the server's log, never a trace in the browser
(showErrorDetails is off)."""

from __future__ import annotations

import tomllib

from streamlit.testing.v1 import AppTest

from tests.conftest import REPO


def _page(kind: str) -> None:  # run by AppTest as a script of its own: imports inside
    from app_pages.common import guarded
    from planning.errors import StudyError

    def fail() -> None:
        if kind == "study":
            raise StudyError("communities layer 'c.csv' row 3: <b>population</b> is blank; fill it in")
        raise ZeroDivisionError("secret detail /etc/passwd")

    guarded(fail, lang="zh")


def test_a_fault_shows_a_notice_and_logs_the_trace(caplog):
    at = AppTest.from_function(_page, args=("bug",), default_timeout=60)
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "程序内部错误（详情已写入服务器日志，请联系管理员）；其他页面仍可使用"
    ]
    logged = [r for r in caplog.records if r.name == "eldercircle.app"]
    assert logged and isinstance(logged[0].exc_info[1], ZeroDivisionError)
    caplog.clear()  # expected here: the autouse check of tests/app/conftest.py is for unexpected faults


def test_a_study_error_is_shown_as_its_sentence_with_markdown_inert():
    at = AppTest.from_function(_page, args=("study",), default_timeout=60)
    at.run()
    assert not at.exception
    (error,) = at.error
    assert error.value == (
        "出现问题，本页无法显示：communities layer 'c.csv' row 3: \\<b\\>population\\</b\\> is blank; "
        "fill it in"
    )


def test_error_details_are_off_in_the_app_settings():
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] is False

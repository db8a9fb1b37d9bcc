"""The app's pages catch every error and show one sentence (app_pages.common.guarded), so AppTest's ``at.exception``
no longer sees a page that fails: the fault is logged instead. Every app test therefore also fails when the app
logged a fault during the test."""

from __future__ import annotations

import logging

import pytest

APP_LOGGER = "eldercircle.app"


@pytest.fixture(autouse=True)
def no_logged_page_fault(caplog):
    caplog.set_level(logging.ERROR, logger=APP_LOGGER)
    yield
    faults = [r for r in caplog.get_records("call") if r.name == APP_LOGGER and r.levelno >= logging.ERROR]
    assert not faults, "the app logged a fault: " + "; ".join(
        f"{r.getMessage()} ({r.exc_info[1]!r})" if r.exc_info else r.getMessage() for r in faults
    )

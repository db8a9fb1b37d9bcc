"""The sentences of planning's errors: each code with its Chinese and English text (``{name}`` fields are the
error's parameters, a parameter may itself be a message). Raise them as ``OptionError(message(code, **params))``
(:func:`planning.i18n.message`)."""

from __future__ import annotations

from planning.i18n.run_errors import RUN_ERRORS
from planning.i18n.study_errors import STUDY_ERRORS

#: planning's error codes: (Chinese, English); the two tables share no code (tests/planning/test_i18n.py).
ERRORS: dict[str, tuple[str, str]] = {**STUDY_ERRORS, **RUN_ERRORS}

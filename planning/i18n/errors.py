"""The sentences of planning's errors: each code with its Chinese and English text (``{name}`` fields are the
error's parameters). Raise them as ``OptionError(message(code, **params))`` (:func:`planning.i18n.message`)."""

from __future__ import annotations

#: planning's error codes: (Chinese, English).
ERRORS: dict[str, tuple[str, str]] = {}

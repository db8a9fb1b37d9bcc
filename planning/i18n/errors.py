"""The sentences of planning's errors: each code with its Chinese and English text (``{name}`` fields are the
error's parameters, a parameter may itself be a message). Raise them as ``OptionError(message(code, **params))``
(:func:`planning.i18n.message`)."""

from __future__ import annotations

#: Reading a study: study.toml, its layers and settings, uploads and zips, validation, presets, the demo writer.
_STUDY: dict[str, tuple[str, str]] = {}


#: Running the analyses and writing their outputs: options of coverage, siting and the check, the report, the CLI.
_RUN: dict[str, tuple[str, str]] = {}


#: planning's error codes: (Chinese, English).
ERRORS: dict[str, tuple[str, str]] = {**_STUDY, **_RUN}

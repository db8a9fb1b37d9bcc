"""The one errors module of eldercircle.

Every error is one clear sentence that names the file, the layer, the row where it applies, and the fix.
The command line prints the message and exits with code 2.

It lives in :mod:`geo` (the bottom layer) so that both :mod:`geo` and :mod:`planning` raise the same classes;
:mod:`planning.errors` re-exports them.
"""

from __future__ import annotations


class StudyError(Exception):
    """Base class: something in the user's study (files, settings, data) must be fixed."""


class LayerError(StudyError):
    """A layer cannot be read or fails validation (missing file, column, CRS, bad rows)."""


class NetworkError(StudyError):
    """The walking network cannot be built or does not fit the study."""


class InfeasibleError(StudyError):
    """A planning model has no solution with the given inputs."""


class OptionError(StudyError):
    """An option given on the command line or in study.toml is out of range."""


class OutputError(StudyError):
    """An output or cache file cannot be written (no permission, full disk, a folder in the way)."""

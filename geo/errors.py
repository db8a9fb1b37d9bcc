"""The one errors module of eldercircle.

Every error is one clear sentence that names the file, the layer, the row where it applies, and the fix.
The command line prints the message and exits with code 2.

It lives in :mod:`geo` (the bottom layer) so that both :mod:`geo` and :mod:`planning` raise the same classes;
:mod:`planning.errors` re-exports them.

An error's sentence is a :class:`~geo.messages.Message` (a code with parameters): ``str(error)`` is the English,
and ``planning.i18n.say(error, lang)`` renders it in any language of the catalogue. geo raises
``NetworkError.of(code, **params)`` with a code of :data:`geo.messages.EN`; planning raises
``OptionError(planning.i18n.message(code, **params))`` with a code of its own catalogue.
"""

from __future__ import annotations

from typing import Self

from geo.messages import Message


class StudyError(Exception):
    """Base class: something in the user's study (files, settings, data) must be fixed.

    Parameters
    ----------
    message : the sentence, as a :class:`~geo.messages.Message` (a plain string is kept as the English only and
        cannot be shown in another language).

    Attributes
    ----------
    message : the :class:`~geo.messages.Message`, or None when the error was raised with a plain string.
    """

    def __init__(self, message: Message | str) -> None:
        self.message = message if isinstance(message, Message) else None
        super().__init__(str(message))

    @classmethod
    def of(cls, code: str, **params: object) -> Self:
        """The error with geo's message ``code`` (a key of :data:`geo.messages.EN`) and its ``params``."""
        return cls(Message.of(code, **params))

    def __reduce__(self) -> tuple[type[StudyError], tuple[Message | str]]:
        """Pickle with the message, so an error raised in a worker keeps its code (and its Chinese)."""
        return type(self), (self.message or str(self),)


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

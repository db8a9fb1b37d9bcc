"""Progress of long work: the callback ``(fraction done, message)`` geo's functions take, and the one that says
nothing.

A function that reports progress takes ``progress: Callable[[float, str], None] | None`` and calls
``progress or silent``; what is drawn (a terminal bar, a Streamlit bar) is the caller's: :mod:`planning.progress`.
"""

from __future__ import annotations

from collections.abc import Callable

#: A progress callback: ``(fraction done from 0 to 1, message)``.
Progress = Callable[[float, str], None]


def silent(fraction: float, message: str) -> None:
    """A progress callback that shows nothing."""

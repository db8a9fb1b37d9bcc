"""Progress of long work: the callback ``(fraction done, message)`` geo's functions take, and the one that says
nothing.

A function that reports progress takes ``progress: Progress | None`` and calls ``progress or silent``; what is drawn
(a terminal bar, a Streamlit bar) and in which language is the caller's: :mod:`planning.progress`. A message is plain
text or a :class:`~geo.messages.Message` (such as the network cache's line on a damaged entry).
"""

from __future__ import annotations

from collections.abc import Callable

from geo.messages import Message

#: What a progress callback is given to say: plain text, or a message said in the user's language.
ProgressMessage = str | Message
#: A progress callback: ``(fraction done from 0 to 1, message)``.
Progress = Callable[[float, ProgressMessage], None]


def silent(fraction: float, message: ProgressMessage) -> None:
    """A progress callback that shows nothing."""

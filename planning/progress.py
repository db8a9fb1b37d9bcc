"""Progress reporting for long work: a callback ``(fraction, message)`` the library calls, drawn by the CLI.

The library only ever calls the callback it is given (:data:`Progress`; :func:`silent` when none is; both are
:mod:`geo.progress`'s, so geo and planning report the same way); a part of the work reports its own 0 to 1 through
:func:`part`. The command line passes :func:`terminal_progress`, the Streamlit pages one that moves ``st.progress``.
A message is a plain string or a :class:`~geo.messages.Message` (such as the network cache's line on a damaged
entry), said in the user's language (:func:`progress_text`).
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from geo.messages import Message
from geo.progress import Progress, ProgressMessage, silent
from planning.i18n import CATALOGUE, message, say

__all__ = [
    "Progress",
    "ProgressMessage",
    "bounded",
    "named",
    "part",
    "progress_text",
    "silent",
    "terminal_progress",
]


def progress_text(message: ProgressMessage, lang: str) -> str:
    """A progress message as text in ``lang`` (``zh`` or ``en``): a message rendered, plain text as it is."""
    return message if isinstance(message, str) else say(message, lang)


def bounded(fraction: float) -> float:
    """``fraction`` within 0 and 1, as a bar draws it (a callback may be given a little less or more)."""
    return min(max(float(fraction), 0.0), 1.0)


def part(progress: Progress | None, lo: float, hi: float, label: str | Message = "") -> Progress:
    """The callback for a part of the work that runs from ``lo`` to ``hi`` of the whole: the part's own fractions
    (0 to 1) reach ``progress`` scaled into that range, each message after ``label``; :func:`silent` for None.

    A label that is a :class:`~geo.messages.Message` goes before every message as one message (``progress_part``),
    so the whole line is said in one language; a plain-text label goes before text messages only (a message that is
    a :class:`~geo.messages.Message` then goes as it is)."""
    if progress is None:
        return silent
    whole = progress

    def report(fraction: float, said: ProgressMessage) -> None:
        if isinstance(label, Message):
            said = message("progress_part", label=label, inner=said)
        elif isinstance(said, str):
            said = label + said
        whole(lo + (hi - lo) * fraction, said)

    return report


def named(family: str, code: str) -> Message | str:
    """A name inside a progress message (a facility kind, an objective, a layer): the catalogue's word
    ``progress_{family}_{code}`` (said as ``code`` in English), or ``code`` itself when there is none."""
    key = f"progress_{family}_{code}"
    return message(key) if key in CATALOGUE else code


def terminal_progress(*, stream: TextIO | None = None, width: int = 30, lang: str = "en") -> Progress:
    """A progress bar on the terminal (stderr), redrawn in place; nothing is drawn when stderr is not a terminal
    except the final line of each task, so logs stay readable. Messages are said in ``lang``."""
    out = stream or sys.stderr
    is_tty = hasattr(out, "isatty") and out.isatty()
    start = time.perf_counter()

    def draw(fraction: float, message: ProgressMessage) -> None:
        text = progress_text(message, lang)
        f = bounded(fraction)
        filled = round(f * width)
        line = f"[{'#' * filled}{'.' * (width - filled)}] {f * 100:5.1f}% {time.perf_counter() - start:6.1f}s {text}"
        if is_tty:
            out.write("\r" + line[:120].ljust(120) + ("\n" if f >= 1.0 else ""))
            out.flush()
        elif f >= 1.0:
            out.write(line + "\n")

    return draw

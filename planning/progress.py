"""Progress reporting for long work: a callback ``(fraction, message)`` the library calls, drawn by the CLI.

The library only ever calls the callback it is given (:data:`Progress`; :func:`silent` when none is); the command line
passes :func:`terminal_progress`, the Streamlit pages one that moves ``st.progress``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

Progress = Callable[[float, str], None]


def silent(fraction: float, message: str) -> None:
    """A progress callback that shows nothing."""


def bounded(fraction: float) -> float:
    """``fraction`` within 0 and 1, as a bar draws it (a callback may be given a little less or more)."""
    return min(max(float(fraction), 0.0), 1.0)


def terminal_progress(*, stream: TextIO | None = None, width: int = 30) -> Progress:
    """A progress bar on the terminal (stderr), redrawn in place; nothing is drawn when stderr is not a terminal
    except the final line of each task, so logs stay readable."""
    out = stream or sys.stderr
    is_tty = hasattr(out, "isatty") and out.isatty()
    start = time.perf_counter()

    def draw(fraction: float, message: str) -> None:
        f = bounded(fraction)
        filled = round(f * width)
        line = f"[{'#' * filled}{'.' * (width - filled)}] {f * 100:5.1f}% {time.perf_counter() - start:6.1f}s {message}"
        if is_tty:
            out.write("\r" + line[:120].ljust(120) + ("\n" if f >= 1.0 else ""))
            out.flush()
        elif f >= 1.0:
            out.write(line + "\n")

    return draw

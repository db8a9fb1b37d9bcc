"""``python -m planning.demo``: regenerate the embedded demo study in ``data/demo``."""

import time

from planning.demo import DEMO_DIR, write_demo_study
from planning.progress import terminal_progress


def main() -> None:
    """Write the demo study into :data:`~planning.demo.DEMO_DIR`, replacing the demo's own files."""
    start = time.perf_counter()
    out = write_demo_study(DEMO_DIR, overwrite=True, progress=terminal_progress())
    print(f"demo study written to {out} in {time.perf_counter() - start:.1f} s (synthetic data)")


if __name__ == "__main__":
    main()

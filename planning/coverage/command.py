"""The options of ``eldercircle coverage`` (its body is in :mod:`planning.cli`), kept here so that the command line's
module stays small."""

from __future__ import annotations

import argparse

from geo.service_area import MODES


def coverage_options(p: argparse.ArgumentParser) -> None:
    """Add the options of ``eldercircle coverage`` (everything after the study) to ``p``."""
    p.add_argument("--minutes", default="5,10,15", help="bands in minutes, increasing (default 5,10,15)")
    p.add_argument(
        "--kinds", default=None, help="facility kinds, comma separated (default: every kind present)"
    )
    p.add_argument(
        "--speed", type=float, default=None, help="walking speed in m/s (default: the study's, 1.0)"
    )
    p.add_argument("--json", default=None, help="write totals, per-community and per-street rows as JSON")
    p.add_argument(
        "--points",
        default=None,
        help="write every demand point with its walking seconds to each kind (.csv or .gpkg)",
    )
    p.add_argument(
        "--layers",
        default=None,
        help="write map layers (service circles per kind and band, uncovered elderly) to a .gpkg",
    )
    p.add_argument(
        "--circles",
        choices=MODES,
        default="dissolved",
        help="service circles in --layers: dissolved (one area per kind and band, default), per_facility (one per "
        "facility and band, overlapping) or nearest (one per facility and band, land split to the nearest)",
    )
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the notes (default zh)")

"""The command line: ``eldercircle demo | validate | ...`` (stable; see DESIGN.md "The command line").

Every run prints a one-line summary a person can read. Errors are one sentence naming the file, layer, row and
the fix, with exit code 2. ``validate`` exits 1 when rows were rejected, so scripts notice.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path
from typing import Sequence

from geo.errors import StudyError
from planning.progress import terminal_progress


def _cmd_demo(args: argparse.Namespace) -> int:
    from planning.demo import write_demo_study

    out = write_demo_study(args.out, overwrite=args.force, progress=terminal_progress())
    print(f"demo study written to {out} (synthetic data: invented streets, places and figures); "
          f"next: eldercircle validate {out}")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from planning.study import key_figures, load_study

    study = load_study(args.study, progress=terminal_progress())
    print(f"study: {study.name} ({study.folder})" + ("  [SYNTHETIC DATA]" if study.synthetic else ""))
    print(f"working CRS: {study.crs.name} ({study.crs.to_string()}); coordinates stated as {study.coords}")
    for name, label in study.layer_sources.items():
        print(f"layer {name}: {label}")
    groups: dict[tuple[str, str], list] = defaultdict(list)
    for f in study.findings:
        groups[(f.layer, f.action)].append(f)
    order = ("note", "read", "mapped", "repaired", "rejected")
    known = ("study", "communities", "facilities", "candidates", "population", "network")
    present = dict.fromkeys(f.layer for f in study.findings)
    for layer in [x for x in known if x in present] + [x for x in present if x not in known]:
        print(f"\n== {layer} ==")
        for action in order:
            items = groups.get((layer, action), [])
            shown = items if args.max_rows <= 0 else items[: args.max_rows]
            for f in shown:
                print("  " + f.text())
            if len(items) > len(shown):
                print(f"  ... and {len(items) - len(shown)} more {action} findings (use --max-rows 0 to list all)")
    kf = key_figures(study)
    counts = ", ".join(f"{k} {v}" for k, v in kf["facilities"].items() if v)
    n_rep = sum(1 for f in study.findings if f.action == "repaired")
    print(f"\nsummary: {len(study.communities)} communities in {kf['streets']} streets/towns, "
          f"{kf['residents']:,.0f} residents, {kf['elderly']:,.0f} elderly ({kf['elderly_share'] * 100:.1f} %); "
          f"facilities: {counts}; {n_rep} repairs, {study.n_rejected} rejected rows")
    if study.n_rejected:
        print(f"rejected rows: {study.n_rejected}; they are left out of every analysis until fixed, and each is "
              "listed above with its reason", file=sys.stderr)
        return 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``eldercircle``."""
    parser = argparse.ArgumentParser(
        prog="eldercircle",
        description="Elderly-care facility planning: 15-minute walking service circles, standards, siting.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("demo", help="write the embedded demo study (synthetic data)")
    p.add_argument("--out", default="eldercircle-demo", help="folder to write (default: ./eldercircle-demo)")
    p.add_argument("--force", action="store_true", help="write into a non-empty folder, replacing the demo's own files")
    p.set_defaults(func=_cmd_demo)
    p = sub.add_parser("validate", help="load every layer; print what was read, mapped, repaired and rejected")
    p.add_argument("study", help="the study folder (holding study.toml)")
    p.add_argument("--max-rows", type=int, default=50,
                   help="findings listed per layer and kind before summarising (0: all; default 50)")
    p.set_defaults(func=_cmd_validate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except StudyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

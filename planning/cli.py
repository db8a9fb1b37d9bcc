"""The command line: ``eldercircle demo | validate | ...`` (stable; see DESIGN.md "The command line").

Every run prints a one-line summary a person can read. Errors are one sentence naming the file, layer, row and
the fix, with exit code 2. ``validate`` exits 1 when rows were rejected, so scripts notice.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from geo.files import atomic_write
from planning.batch import batch_command
from planning.console import InertStream, inert_text, layer_word, print_coverage, print_findings, site_header
from planning.coverage import (
    check_kinds,
    check_minutes,
    coverage_json,
    coverage_layers,
    coverage_of_study,
    network_for_study,
    points_frame,
    write_points,
)
from planning.coverage.command import coverage_options
from planning.demo import write_demo_study
from planning.display import format_number, format_share
from planning.errors import NetworkError, StudyError
from planning.export import json_text
from planning.i18n import kind_label, say
from planning.progress import terminal_progress
from planning.report import (
    ReportOptions,
    check_k_anon,
    prepare_out_dir,
    read_plans,
    report_inputs,
    write_report,
)
from planning.scenario.console import run_scenario_command, scenario_arguments
from planning.settings import BED_BASES
from planning.siting import SitingOptions, check_objective, siting_json, siting_of_study, siting_table
from planning.standards import (
    CIRCLE_CITATION,
    check_json,
    check_of_study,
    check_summary,
    check_table,
    preset_rules_table,
    presets_json,
    presets_table,
    rules_for,
    screen_candidates,
)
from planning.study import Study, key_figures, load_study
from planning.validation import rejected_lines

#: What STUDY may be, for every command's help.
STUDY_HELP = "the study folder (holding study.toml), or a .zip of it"


def _cmd_demo(args: argparse.Namespace) -> int:
    out = write_demo_study(args.out, overwrite=args.force, progress=terminal_progress())
    print(
        f"demo study written to {out} (synthetic data: invented streets, places and figures); "
        f"next: eldercircle validate {out}"
    )
    return 0


def _cmd_presets(args: argparse.Namespace) -> int:
    if args.preset:
        print(preset_rules_table(args.preset, lang=args.lang))
    else:
        print(presets_table(lang=args.lang))
    if args.json:
        _write_json(args.json, presets_json())
        print(f"presets written to {args.json}")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    lang = args.lang
    study = load_study(args.study, progress=terminal_progress(lang=lang))
    synthetic = say("cli_val_synthetic", lang) if study.synthetic else ""
    print(
        say("cli_val_study", lang, name=study.name, folder=study.origin or study.folder, synthetic=synthetic)
    )
    print(say("cli_val_crs", lang, crs=study.crs.name, code=study.crs.to_string(), coords=study.coords))
    for name, label in study.layer_sources.items():
        print(say("cli_val_layer", lang, name=layer_word(name, lang), label=label))
    print_findings(study, lang=lang, max_rows=args.max_rows)
    kf = key_figures(study)
    sep = "，" if lang == "zh" else ", "
    counts = sep.join(
        f"{kind_label(k, lang) if lang == 'zh' else k} {v}" for k, v in kf["facilities"].items() if v
    )
    print(
        say(
            "cli_val_summary",
            lang,
            n=len(study.communities),
            streets=kf["streets"],
            residents=format_number(kf["residents"], groups=","),
            elderly=format_number(kf["elderly"], groups=","),
            share=format_share(kf["elderly_share"], lang="en"),
            counts=counts,
            repairs=sum(1 for f in study.findings if f.action == "repaired"),
            rejected=study.n_rejected,
        )
    )
    if study.n_rejected:
        print(say("cli_val_rejected", lang, n=study.n_rejected), file=sys.stderr)
        return 1
    return 0


def _say_rejected(study: Study, lang: str) -> None:
    """State the rows validation rejected before any figure (they are left out of every analysis)."""
    for line in rejected_lines(
        study.rejected,
        study.layer_sources,
        lang=lang,
        study_ref=str(study.origin or study.folder),
        findings=study.findings,
    ):
        print(say("cli_attention", lang) + line)


def _write_json(path: str, data: dict) -> None:
    """Write ``data`` as JSON atomically, every ID-card or phone number inside its text redacted."""
    atomic_write(path, json_text(data))


def _cmd_coverage(args: argparse.Namespace) -> int:
    minutes = check_minutes(args.minutes)
    progress = terminal_progress(lang=args.lang)
    study = load_study(args.study, progress=progress)
    _say_rejected(study, args.lang)
    kinds = check_kinds(args.kinds, study.facilities)
    net = network_for_study(study, walk_speed_m_s=args.speed, progress=progress)
    result = coverage_of_study(study, net, minutes=minutes, kinds=kinds, progress=progress)
    lang = args.lang
    print(
        say(
            "cli_cov_header",
            lang,
            study=study.name if lang == "zh" else study.name_en,
            nodes=format_number(net.n_nodes, groups=","),
            edges=format_number(net.n_edges, groups=","),
            speed=f"{result.walk_speed_m_s:g}",
            minutes=minutes[-1],
            metres=format_number(result.walk_m(minutes[-1]), groups=","),
        )
    )
    print_coverage(result, lang=lang)
    if args.json:
        data = coverage_json(result)
        data["study"] = study.name
        _write_json(args.json, data)
        print(say("cli_cov_written", lang, path=args.json))
    if args.points:
        for note in write_points(points_frame(result), args.points):
            print(say("cli_note", lang) + note.message_in(lang))
        print(
            say(
                "cli_cov_points_written",
                lang,
                n=format_number(len(result.demand), groups=","),
                path=args.points,
            )
        )
    if args.layers:
        written = coverage_layers(study, net, result, args.layers, mode=args.circles, progress=progress)
        print(say("cli_cov_layers_written", lang, path=args.layers, layers=", ".join(written)))
    total = result.totals[result.totals["band_min"] == minutes[-1]]
    sep = "；" if lang == "zh" else "; "
    shares = sep.join(
        f"{kind_label(k, lang) if lang == 'zh' else k} {format_share(s, lang='en')}"
        for k, s in zip(total["kind"], total["share"], strict=False)
    )
    print(say("cli_cov_summary", lang, minutes=minutes[-1], shares=shares))
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    progress = terminal_progress(lang=args.lang)
    study = _with_circle_kinds(load_study(args.study, progress=progress), args.circle_kinds)
    _say_rejected(study, args.lang)
    rules = rules_for(args.preset or study.standards.preset, overrides=study.standards.overrides)
    net = None
    if study.network.source is None:
        print(say("cli_note", args.lang) + say("cli_check_no_network", args.lang))
    else:
        try:
            net = network_for_study(study, progress=progress)
        except NetworkError as exc:
            failed = say("cli_check_network_failed", args.lang, error=say(exc, args.lang))
            print(say("cli_note", args.lang) + failed)
    result = check_of_study(study, net, rules=rules, progress=progress, bed_basis=args.bed_basis)
    print(check_table(result, lang=args.lang))
    if args.json:
        data = check_json(result)
        _write_json(args.json, data)
        print(f"check written to {args.json}")
    print(check_summary(result, lang=args.lang))
    return 0


def _with_circle_kinds(study: Study, kinds: str | None) -> Study:
    """The study with the service circle's kinds of ``--circle-kinds`` (checked), or as it is when not given."""
    if kinds is None:
        return study
    chosen = check_kinds(kinds, study.facilities, option="--circle-kinds")
    return replace(study, standards=replace(study.standards, circle_kinds=chosen))


def _cmd_report(args: argparse.Namespace) -> int:
    progress = terminal_progress(lang=args.lang)
    k_anon = check_k_anon(args.k_anon)
    study = load_study(args.study, progress=progress)
    _say_rejected(study, args.lang)
    options = ReportOptions(lang=args.lang, k_anon=k_anon, scenarios=tuple(args.scenarios), adopt=args.adopt)
    read_plans(study, options)  # fail fast on a missing or bad scenario file, before the network is loaded
    prepare_out_dir(args.out, force=args.force)  # fail fast, before the network is loaded
    net = network_for_study(study, progress=progress)
    inputs = report_inputs(study, net, options, progress=progress)
    written = write_report(inputs, args.out, force=args.force, progress=progress)
    for path in written:
        print(say("cli_report_wrote", args.lang, path=path))
    print(say("cli_report_summary", args.lang, n=len(written), out=args.out, k=k_anon))
    return 0


def _cmd_site(args: argparse.Namespace) -> int:
    objective = check_objective(args.objective)
    progress = terminal_progress(lang=args.lang)
    study = load_study(args.study, progress=progress)
    _say_rejected(study, args.lang)
    net = network_for_study(study, progress=progress)
    screen = screen_candidates(study, kind=args.kind, lang=args.lang)
    options = SitingOptions(
        kind=args.kind,
        add=args.add,
        objective=objective,
        budget=args.budget,
        minutes=args.minutes,
        time_limit_s=args.time_limit,
    )
    result = siting_of_study(study, net, options, screen=screen, progress=progress)
    print(site_header(study, net.n_nodes, result.walk_speed_m_s, lang=args.lang))
    print(siting_table(result, lang=args.lang, max_rows=args.max_rows))
    for note in screen.notes:
        print(say("cli_note", args.lang) + note)
    if args.json:
        data = siting_json(result)
        data["study"] = study.name
        _write_json(args.json, data)
        print(f"siting written to {args.json}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``eldercircle``: one sub-command per entry of :data:`COMMANDS`."""
    parser = argparse.ArgumentParser(
        prog="eldercircle",
        description="Elderly-care facility planning: 15-minute walking service circles, standards, siting.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        p = sub.add_parser(command.name, help=command.help)
        command.arguments(p)
        p.set_defaults(func=command.run)
    return parser


def _demo_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", default="eldercircle-demo", help="folder to write (default: ./eldercircle-demo)")
    p.add_argument(
        "--force", action="store_true", help="write into a non-empty folder, replacing the demo's own files"
    )


def _presets_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--preset", default=None, help="list this preset's rules: clause, wording, scope, target year, status"
    )
    p.add_argument("--json", default=None, help="write every preset, document and rule as JSON")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="table language (default zh)")


def _validate_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("study", help=STUDY_HELP)
    p.add_argument(
        "--max-rows",
        type=int,
        default=50,
        help="findings listed per layer and kind before summarising (0: all; default 50)",
    )
    p.add_argument(
        "--lang",
        choices=("zh", "en"),
        default="en",
        help="language of the findings (default en; zh where a finding has a Chinese version)",
    )


def _coverage_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("study", help=STUDY_HELP)
    coverage_options(p)


def _check_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("study", help=STUDY_HELP)
    p.add_argument("--json", default=None, help="write every row as JSON")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="table language (default zh)")
    p.add_argument("--preset", default=None, help="use another preset than the study's (e.g. henan, jiangxi)")
    p.add_argument(
        "--bed-basis",
        choices=BED_BASES,
        default=None,
        help="beds the bed rules count: institutions (nursing + embedded homes) or all (every facility); "
        "default the study's [standards] bed_basis",
    )
    p.add_argument(
        "--circle-kinds",
        default=None,
        dest="circle_kinds",
        help="facility kinds of the 15-minute service circle, e.g. street_centre,day_care (default: the study's "
        "[standards] circle_kinds: street_centre, embedded_home, day_care)",
    )


def _scenario_arguments(p: argparse.ArgumentParser) -> None:
    scenario_arguments(p, study_help=STUDY_HELP)


def _site_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("study", help=STUDY_HELP)
    p.add_argument("--kind", required=True, help="facility kind to site, e.g. day_care or embedded_home")
    p.add_argument(
        "--add",
        type=int,
        default=None,
        help="number of sites to add (K); optional with --budget and for min-sites",
    )
    p.add_argument(
        "--objective",
        default="coverage",
        help="coverage (most elderly within the walk), min-sites (fewest sites covering every urban "
        "community) or capacitated (beds limit whom a home serves); default coverage",
    )
    p.add_argument(
        "--budget", type=float, default=None, help="total cost allowed (the candidates' cost column)"
    )
    p.add_argument(
        "--minutes",
        type=float,
        default=15,
        help=f"walking threshold in minutes (default 15: the 15-minute elderly-care service circle, {CIRCLE_CITATION})",
    )
    p.add_argument(
        "--time-limit",
        type=float,
        default=60,
        dest="time_limit",
        help="seconds for the solver; the best answer found and its gap are reported (default 60)",
    )
    p.add_argument(
        "--json", default=None, help="write sites, curve, per-community and per-street rows as JSON"
    )
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="table language (default zh)")
    p.add_argument(
        "--max-rows", type=int, default=30, dest="max_rows", help="rows listed per table (default 30)"
    )


def _report_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("study", help=STUDY_HELP)
    p.add_argument("--out", required=True, help="folder to write (must be empty unless --force)")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the outputs (default zh)")
    p.add_argument(
        "--k-anon",
        type=float,
        default=10,
        dest="k_anon",
        help="suppress areas with fewer than this many elderly on the public map (default 10)",
    )
    p.add_argument(
        "--force", action="store_true", help="replace the report's own files in a non-empty folder"
    )
    p.add_argument(
        "--scenario",
        action="append",
        default=[],
        dest="scenarios",
        metavar="NAME",
        help="compare a saved scenario (scenarios/NAME.toml in the study); repeatable",
    )
    p.add_argument("--adopt", metavar="NAME", help="the public map shows this scenario (the adopted plan)")


def _batch_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "studies", nargs="+", metavar="STUDY", help=STUDY_HELP + "; a glob or a folder of studies too"
    )
    p.add_argument(
        "--out", required=True, help="folder to write: one folder per study, the summary and the map"
    )
    p.add_argument(
        "--scheduler",
        default=None,
        help="a Dask scheduler's address (tcp://host:8786) or scheduler file (default: a local cluster)",
    )
    p.add_argument(
        "--workers", type=int, default=None, help="local cluster's workers (default: one per core)"
    )
    p.add_argument(
        "--memory-limit",
        default=None,
        dest="memory_limit",
        help="memory per local worker, e.g. 4GB (default: shared)",
    )
    p.add_argument(
        "--preset", default=None, help="check every study against this preset (default: each study's)"
    )
    p.add_argument("--report", action="store_true", help="also write each study's report folder")
    p.add_argument(
        "--k-anon", type=float, default=10, dest="k_anon", help="the reports' privacy threshold (default 10)"
    )
    p.add_argument(
        "--force", action="store_true", help="run every study again, even when its inputs are unchanged"
    )
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the outputs (default zh)")


@dataclass(frozen=True)
class Command:
    """A sub-command: its name and help, what adds its arguments, and what runs it (returns the exit code)."""

    name: str
    help: str
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


#: The sub-commands, in the order ``eldercircle --help`` lists them.
COMMANDS: tuple[Command, ...] = (
    Command("demo", "write the embedded demo study (synthetic data)", _demo_arguments, _cmd_demo),
    Command(
        "presets",
        "the standards presets: their documents, whether in force, and every rule with its clause",
        _presets_arguments,
        _cmd_presets,
    ),
    Command(
        "validate",
        "load every layer; print what was read, mapped, repaired and rejected",
        _validate_arguments,
        _cmd_validate,
    ),
    Command(
        "coverage",
        "elderly within 5/10/15 minutes' walk of each facility kind",
        _coverage_arguments,
        _cmd_coverage,
    ),
    Command(
        "check",
        "every standard of the study's preset: value, threshold, pass/fail, citation",
        _check_arguments,
        _cmd_check,
    ),
    Command(
        "site",
        "recommend sites for day-care centres or embedded homes: order, gains, before/after",
        _site_arguments,
        _cmd_site,
    ),
    Command(
        "scenario",
        "a scenario (facilities added, closed, changed) before and after: district, streets, communities, verdicts",
        _scenario_arguments,
        run_scenario_command,
    ),
    Command(
        "report",
        "public coverage map (HTML), tables (XLSX), layers (GeoPackage), scenario",
        _report_arguments,
        _cmd_report,
    ),
    Command(
        "batch",
        "many studies at once on Dask: validate, coverage, check (and report) each; one summary table and map",
        _batch_arguments,
        batch_command,
    ),
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    lang = getattr(args, "lang", "zh")
    try:
        with contextlib.redirect_stdout(InertStream(sys.stdout)):
            return int(args.func(args))
    except StudyError as exc:
        print(f"{say('cli_error', lang)}{_one_line(say(exc, lang))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(say("cli_interrupted", lang), file=sys.stderr)
        return 130
    except OSError as exc:  # a file system failure no layer turned into a sentence (full disk, permissions)
        reason = exc.strerror or type(exc).__name__
        filename = getattr(exc, "filename", None)
        said = (
            say("cli_os_error_file", lang, filename=filename, reason=reason)
            if filename
            else say("cli_os_error", lang, reason=reason)
        )
        print(say("cli_error", lang) + said, file=sys.stderr)
        return 2
    except Exception as exc:
        if os.environ.get("ELDERCIRCLE_DEBUG"):
            raise
        log = _log_trace(exc)
        fields = {"kind": type(exc).__name__, "command": args.command}
        said = (
            say("cli_internal_error_log", lang, log=log, **fields)
            if log
            else say("cli_internal_error", lang, **fields)
        )
        print(say("cli_error", lang) + said, file=sys.stderr)
        return 2


def _one_line(text: str) -> str:
    """A message on one line (a sentence never spans lines, whatever a layer's name holds), terminal-inert."""
    return inert_text(" ".join(text.split()))


def _log_trace(exc: BaseException) -> str | None:
    """Write ``exc``'s trace to a private file in the temporary folder; its path, or None when that fails."""
    try:
        fd, path = tempfile.mkstemp(prefix="eldercircle-error-", suffix=".log")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write("".join(traceback.format_exception(exc)))
        return path
    except OSError:
        return None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

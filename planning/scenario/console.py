"""The command line's ``eldercircle scenario``: build a scenario from ``--add``/``--close``/``--set`` (and
``--load``), compare it with the study as it is, print the district before/after, the streets and communities that
change, the rules whose verdict changes with their citation, and the summary; ``--save`` and ``--json`` write it."""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import pandas as pd

from geo.errors import OptionError
from geo.files import atomic_write
from planning.coverage import network_for_study
from planning.display import format_number, format_share, pad, text_width
from planning.export import json_text
from planning.i18n import message, say, verdict_label
from planning.progress import terminal_progress
from planning.scenario.apply import apply_scenario
from planning.scenario.compare import ScenarioComparison, changed_rows, compare_scenario, comparison_json
from planning.scenario.model import Scenario
from planning.scenario.store import (
    COORDS,
    check_scenario_name,
    parse_add,
    parse_set,
    read_scenario,
    write_scenario,
)
from planning.study import Study, load_study

#: The name of a scenario made on the command line without ``--load`` or ``--save``.
DEFAULT_NAME = "方案"


def scenario_arguments(p: argparse.ArgumentParser, *, study_help: str) -> None:
    """The options of ``eldercircle scenario``."""
    p.add_argument("study", help=study_help)
    p.add_argument(
        "--add",
        action="append",
        default=[],
        metavar="KIND@LON,LAT[:NAME]",
        help="add a facility, e.g. day_care@117.95,28.45:新中心 (repeatable; lon/lat in --coords)",
    )
    p.add_argument(
        "--close", action="append", default=[], metavar="NAME", help="close a facility (repeatable)"
    )
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME:beds=N",
        help="change a facility: beds=, floor_area_m2=, kind= joined by commas (repeatable)",
    )
    p.add_argument("--load", default=None, metavar="FILE", help="start from a saved scenario file")
    p.add_argument("--save", default=None, metavar="FILE", help="write the scenario as TOML (atomically)")
    p.add_argument("--json", default=None, metavar="FILE", help="write the comparison as JSON")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="output language (default zh)")
    p.add_argument(
        "--coords",
        choices=COORDS,
        default=None,
        help="the system of --add's lon/lat (default: the loaded file's, else the study's coords)",
    )


def build_scenario(study: Study, args: argparse.Namespace) -> Scenario:
    """The scenario the options describe (a loaded file with the options' edits added); named after ``--save``'s
    file when given (``scenarios/<name>.toml``)."""
    if args.load:
        scenario = read_scenario(args.load, study=study)
        if args.coords and args.add and scenario.added and args.coords != scenario.coords:
            raise OptionError(
                message("err_scn_coords_conflict", path=args.load, theirs=scenario.coords, ours=args.coords)
            )
        coords = scenario.coords if scenario.added else (args.coords or scenario.coords)
    else:
        name = check_scenario_name(Path(args.save).stem) if args.save else DEFAULT_NAME
        scenario = Scenario(name=name, study=study.name)
        coords = args.coords or study.coords
    scenario = Scenario(
        name=check_scenario_name(Path(args.save).stem) if args.save else scenario.name,
        study=scenario.study,
        coords=coords,
        added=scenario.added + tuple(parse_add(text) for text in args.add),
        closed=scenario.closed + tuple(n.strip() for n in args.close),
        changed=scenario.changed + tuple(parse_set(text) for text in args.set),
        notes=scenario.notes,
    )
    return scenario


def run_scenario_command(args: argparse.Namespace) -> int:
    """``eldercircle scenario``: exit 0 (errors are raised as StudyError for the command line to say)."""
    lang = args.lang
    progress = terminal_progress(lang=lang)
    study = load_study(args.study, progress=progress)
    scenario = build_scenario(study, args)
    apply_scenario(study, scenario)  # names and places refused before the network is loaded
    network = network_for_study(study, progress=progress)
    comparison = compare_scenario(study, network, scenario, progress=progress)
    if args.save:
        path = write_scenario(scenario, args.save)
        print(say("scn_saved", lang, path=path))
    print(comparison_text(comparison, lang))
    if args.json:
        data = comparison_json(comparison)
        atomic_write(args.json, json_text(data))
        print(say("scn_json_written", lang, path=args.json))
    print(comparison.summary_in(lang))
    return 0


def table_text(headers: list[str], rows: list[list[str]], *, right: tuple[int, ...] = ()) -> str:
    """Rows aligned by display width (Chinese counts two columns), numbers (columns ``right``) to the right."""
    widths = [max(text_width(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    lines = []
    for row in [headers, *rows]:
        cells = [pad(c, w, right=i in right) for i, (c, w) in enumerate(zip(row, widths, strict=True))]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _value(value: float, unit: str, lang: str) -> str:
    if unit == "share":
        return format_share(value, lang=lang)
    if unit == "elderly":
        return format_number(value, groups=",")
    return format_number(value, 2 if unit.startswith("m2") else 1, groups=",")


def _change(value: float, unit: str) -> str:
    if not math.isfinite(value) or value == 0:
        return "0"
    if unit == "share":
        return f"{value * 100:+.1f}"
    digits = 0 if unit == "elderly" else 2 if unit.startswith("m2") else 1
    return ("+" if value > 0 else "") + format_number(value, digits, groups=",")


def district_text(comparison: ScenarioComparison, lang: str) -> str:
    """The district's before/after table."""
    head = [say(k, lang) for k in ("scn_col_figure", "scn_col_before", "scn_col_after", "scn_col_change")]
    rows = []
    for r in comparison.district.itertuples():
        label = r.figure_en if lang == "en" else r.figure_zh
        before, after = _value(r.before, r.unit, lang), _value(r.after, r.unit, lang)
        if r.unit == "elderly":
            before += f" ({format_share(r.share_before, lang=lang)})"
            after += f" ({format_share(r.share_after, lang=lang)})"
        rows.append([label, before, after, _change(r.change, r.unit)])
    return table_text(head, rows, right=(1, 2, 3))


def _figure_label(column: str, comparison: ScenarioComparison, lang: str) -> tuple[str, str]:
    """The label and unit of a street/community figure column (without ``_before``)."""
    district = comparison.district.set_index("figure")
    if column in district.index:
        row = district.loc[column]
        return str(row["figure_en"] if lang == "en" else row["figure_zh"]), str(row["unit"])
    if column.startswith("share_"):
        return column, "share"
    key = {"circle_15min": "scn_fig_circle", "land_per_resident": "scn_fig_land"}.get(column, column)
    return say(key, lang), ("share" if column == "circle_15min" else "m2")


def units_text(comparison: ScenarioComparison, table: pd.DataFrame, lang: str) -> str:
    """The figures that change per street or community: one line per unit and figure."""
    rows = []
    changed = changed_rows(table)
    figures = [
        c[: -len("_before")] for c in table.columns if c.endswith("_before") and not c.startswith("share_")
    ]
    for _, unit in changed.iterrows():
        for fig in figures:
            b, a = float(unit[f"{fig}_before"]), float(unit[f"{fig}_after"])
            if math.isclose(a, b) or (math.isnan(a) and math.isnan(b)):
                continue
            label, kind = _figure_label(fig, comparison, lang)
            rows.append(
                [str(unit["name"]), label, _value(b, kind, lang), _value(a, kind, lang), _change(a - b, kind)]
            )
    if not rows:
        return say("scn_no_change", lang)
    head = [say(k, lang) for k in ("scn_col_name", "scn_col_figure", "scn_col_before", "scn_col_after")]
    return table_text([*head, say("scn_col_change", lang)], rows, right=(2, 3, 4))


def verdicts_text(comparison: ScenarioComparison, lang: str) -> str:
    """The rules whose verdict changes, with their citation."""
    v = comparison.verdicts
    if v.empty:
        return say("scn_no_change", lang)
    keys = ("scn_col_rule", "scn_col_unit", "scn_col_before", "scn_col_after", "scn_col_citation")
    rows = []
    for r in v.itertuples():
        unit = str(r.value_unit)
        rows.append(
            [
                str(r.name_en if lang == "en" else r.name),
                str(r.unit),
                f"{verdict_label(str(r.verdict_before), lang)} {_value(r.value_before, unit, lang)}",
                f"{verdict_label(str(r.verdict_after), lang)} {_value(r.value_after, unit, lang)}",
                str(r.citation),
            ]
        )
    return table_text([say(k, lang) for k in keys], rows)


def comparison_text(comparison: ScenarioComparison, lang: str) -> str:
    """The whole printed comparison (without the summary line)."""
    parts = [
        say("scn_head_district", lang),
        district_text(comparison, lang),
        "",
        say("scn_head_streets", lang),
        units_text(comparison, comparison.streets, lang),
        "",
        say("scn_head_communities", lang),
        units_text(comparison, comparison.communities, lang),
        "",
        say("scn_head_verdicts", lang),
        verdicts_text(comparison, lang),
    ]
    return "\n".join(parts)

"""The report folder: the analyses a report shows, run once (:func:`report_inputs`), and every report file
written from them (:func:`write_report`), each to a temporary name and renamed when whole, never overwriting a
folder without ``force``."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.errors import InfeasibleError, NetworkError, OptionError, StudyError
from geo.files import atomic_write
from geo.network import WalkNetwork
from planning.coverage import CoverageResult, coverage_of_study, service_circle_layer
from planning.i18n import kind_label, message, say
from planning.progress import Progress, named, part, silent
from planning.report.geopackage import layers_gpkg_bytes
from planning.report.options import ReportOptions, check_coverage
from planning.report.plan_print import plan_print_bytes
from planning.report.print_map import coverage_print_bytes, scenario_print_bytes
from planning.report.privacy import personal_notes
from planning.report.public_map import public_map_html
from planning.report.scenario_figure import scenario_pdf, scenario_png
from planning.report.scenario_page import scenario_html
from planning.report.workbook import workbook_bytes
from planning.scenario import (
    Scenario,
    ScenarioComparison,
    apply_scenario,
    compare_scenario,
    read_scenario,
    scenario_path,
)
from planning.siting import SitingOptions, SitingResult, siting_of_study
from planning.standards import (
    CandidateScreen,
    CheckResult,
    candidate_health_walk_m,
    check_study,
    health_walk_m,
    screen_candidates,
    walk_times_of,
)
from planning.study import Study

#: A scenario's print sheets are ``plan_<name>_print.pdf`` and ``.png`` (one pair per ``--scenario``).
PLAN_PREFIX, PLAN_SUFFIX = "plan_", "_print"
#: File names written by :func:`write_report`.
REPORT_FILES = {
    "map": "public_coverage_map.html",
    "print_pdf": "coverage_print.pdf",
    "print_png": "coverage_print.png",
    "workbook": "report.xlsx",
    "layers": "layers.gpkg",
    "scenario_html": "scenario.html",
    "scenario_png": "scenario.png",
    "scenario_pdf": "scenario.pdf",
    "scenario_print_pdf": "scenario_print.pdf",
    "scenario_print_png": "scenario_print.png",
}


@dataclass(frozen=True)
class ReportInputs:
    """The results a report renders, from :func:`report_inputs` (the report itself runs no analysis).

    Attributes
    ----------
    study : the loaded study.
    coverage : its coverage (:func:`planning.coverage.coverage_of_study`).
    circles : its service circles (:func:`planning.coverage.service_circle_layer`).
    check : the standards check (:func:`planning.standards.check_study`).
    siting : the siting scenario compared before/after, or None (no scenario files).
    notes : why there is no scenario, and the candidate screen's notes (in ``options.lang``): written in the
        workbook's About sheet.
    options : the options the inputs were made for (language, privacy threshold, grid, scenario).
    network : the walking network they were measured on (its streets are the maps' basemap when the study has no
        OSM file).
    plans : the saved scenarios of ``options.scenarios``, each compared with the study as it is.
    """

    study: Study
    coverage: CoverageResult
    circles: gpd.GeoDataFrame | None
    check: CheckResult
    siting: SitingResult | None
    notes: tuple[str, ...]
    options: ReportOptions
    network: WalkNetwork | None = None
    plans: tuple[ScenarioComparison, ...] = ()


def report_inputs(
    study: Study,
    network: WalkNetwork | None,
    options: ReportOptions | None = None,
    *,
    siting: SitingResult | None = None,
    progress: Progress | None = None,
) -> ReportInputs:
    """Run what a report shows, once: coverage, service circles, the standards check and (unless given) a siting
    scenario.

    Parameters
    ----------
    study : the loaded study.
    network : its walking network (:func:`planning.coverage.network_for_study`); None is an error (no coverage).
    options : language, privacy threshold, grid and the default scenario (:class:`ReportOptions`).
    siting : a siting result to compare; when None, ``options.site_kind`` with ``options.site_add`` new sites
        (maximal coverage within 15 minutes) is run on the candidate sites that pass the standards' screen
        (:func:`planning.standards.screen_candidates`: distance from expressways, minimum sizes; the excluded
        sites and why are listed in the workbook); when that is impossible (no candidate, nothing to site), there
        is no scenario and the reason is kept in :attr:`ReportInputs.notes`. ``site_kind=None`` makes no scenario.
    progress : optional callback ``(fraction, message)``; the analyses report from 0 to 0.7 (:func:`write_report`
        goes on from there).

    Raises
    ------
    NetworkError, StudyError
        No network, or no facility to measure (no coverage results).
    """
    opts = options if options is not None else ReportOptions()
    step = progress or silent
    net = _measurable_network(study, network)

    coverage = coverage_of_study(study, net, progress=part(step, 0.0, 0.25))
    check_coverage(study, coverage)
    step(0.25, message("progress_service_circles"))
    circles = service_circle_layer(study, net, coverage, progress=part(step, 0.25, 0.45))
    step(0.45, message("progress_standards_check"))
    notes: list[str] = []
    screen = None
    if siting is None and opts.site_kind:
        try:  # the standards' candidate rules (distance from expressways, minimum sizes) screen the scenario's sites
            screen = screen_candidates(study, kind=opts.site_kind, lang=opts.lang)
        except OptionError as exc:
            notes.append(_no_scenario(opts, exc))
    check = _standards_check(study, net, coverage, screen)
    if siting is None and opts.site_kind and screen is not None:
        step(0.55, message("progress_siting_scenario", add=opts.site_add, kind=named("kind", opts.site_kind)))
        notes.extend(say("report_screen_note", opts.lang, note=n) for n in screen.notes)
        try:
            siting = siting_of_study(
                study,
                net,
                SitingOptions(kind=opts.site_kind, add=opts.site_add),
                screen=screen,
                progress=part(step, 0.55, 0.7),
            )
        except (InfeasibleError, OptionError) as exc:
            notes.append(_no_scenario(opts, exc))
            step(0.7, notes[-1])
    plans = _plans(study, net, coverage, check, opts, step)
    return ReportInputs(study, coverage, circles, check, siting, tuple(notes), opts, network=net, plans=plans)


def read_plans(study: Study, options: ReportOptions) -> tuple[Scenario, ...]:
    """The saved scenarios ``options`` names, read and checked (a missing or bad file is one sentence) before any
    network is loaded."""
    return tuple(read_scenario(scenario_path(study, name), study=study) for name in options.scenarios)


def _plans(
    study: Study,
    net: WalkNetwork,
    coverage: CoverageResult,
    check: CheckResult,
    opts: ReportOptions,
    step: Progress,
) -> tuple[ScenarioComparison, ...]:
    """The saved scenarios the options name, read from the study's ``scenarios/`` and compared with it (the
    report's own coverage and check are the baseline)."""
    plans = []
    scenarios = read_plans(study, opts)
    for i, scenario in enumerate(scenarios):
        step(0.7, message("progress_plan", name=scenario.name, i=i + 1, n=len(scenarios)))
        plans.append(
            compare_scenario(
                study, net, scenario, minutes=coverage.minutes, baseline=coverage, baseline_check=check
            )
        )
    return tuple(plans)


def _no_scenario(opts: ReportOptions, exc: Exception) -> str:
    """The report's note (in its language) that the siting scenario could not be run, and why."""
    kind = opts.site_kind if opts.lang == "en" else kind_label(str(opts.site_kind), opts.lang)
    return say("report_no_scenario", opts.lang, kind=kind, why=say(exc, opts.lang))


def _measurable_network(study: Study, network: WalkNetwork | None) -> WalkNetwork:
    """The network, when there is one and a facility to measure coverage with; else the error saying which."""
    if network is None:
        raise NetworkError(message("err_report_no_network", folder=study.folder))
    if study.facilities is None or len(study.facilities) == 0:
        raise StudyError(message("err_report_no_facility", folder=study.folder))
    return network


def _standards_check(
    study: Study, network: WalkNetwork, coverage: CoverageResult, screen: CandidateScreen | None
) -> CheckResult:
    """The standards check with the measured day-care share and health-centre walks (and the screen's roads)."""
    daycare = coverage.communities.get("share_day_care_15min")
    if daycare is not None:
        daycare = pd.Series(daycare.to_numpy(float), index=study.communities.index)
    health = health_walk_m(study, network)
    roads = screen.roads if screen is not None and screen.roads is not None else "auto"
    walk = walk_times_of(coverage)  # the service circle and meal points
    return check_study(
        study,
        daycare_share=daycare,
        walk_times=walk,
        facility_health_walk_m=health,
        expressways=roads,
        candidate_health_walk_m=candidate_health_walk_m(study, network),
    )


def prepare_out_dir(out_dir: str | Path, *, force: bool = False) -> Path:
    """Create ``out_dir`` or check it: a writable folder, empty unless ``force``.

    Raises
    ------
    OptionError
        When the path is a file, cannot be created, is not writable, or is not empty without ``force``.
    """
    p = Path(out_dir).expanduser()
    if p.exists() and not p.is_dir():
        raise OptionError(message("err_out_is_file", path=p))
    if p.is_dir():
        entries = sorted(x.name for x in p.iterdir())
        if entries and not force:
            shown = ", ".join(entries[:5]) + (" ..." if len(entries) > 5 else "")
            raise OptionError(message("err_out_not_empty", path=p, n=len(entries), shown=shown))
    else:
        try:
            p.mkdir(parents=True)
        except OSError as exc:
            raise OptionError(
                message("err_out_cannot_create", path=p, reason=exc.strerror or str(exc))
            ) from None
    try:
        with tempfile.NamedTemporaryFile(dir=p, prefix=".eldercircle-probe-"):
            pass
    except OSError as exc:
        raise OptionError(message("err_out_not_writable", path=p, reason=exc.strerror or str(exc))) from None
    return p


def _rendered(inputs: ReportInputs, step: Progress) -> Iterator[tuple[str, bytes | str]]:
    """Each report file of ``inputs`` as (its key in :data:`REPORT_FILES`, or a scenario sheet's file name, its
    content), made one after another."""
    study, siting, opts = inputs.study, inputs.siting, inputs.options
    for pnote in personal_notes(study, siting):  # said once; the workbook's About sheet lists them too
        step(0.71, pnote.message_in(opts.lang))
    step(0.72, message("progress_public_map"))
    shown, shown_cov, shown_circles = _public_state(inputs)
    yield (
        "map",
        public_map_html(
            shown,
            shown_cov,
            shown_circles,
            lang=opts.lang,
            k_anon=opts.k_anon,
            grid_m=opts.grid_m,
            network=inputs.network,
            progress=part(step, 0.72, 0.72),  # an unreadable OSM file: said, the map drawn without a basemap
        ),
    )
    pdf, png = coverage_print_bytes(
        study,
        inputs.coverage,
        formats=("pdf", "png"),
        lang=opts.lang,
        k_anon=opts.k_anon,
        network=inputs.network,
    )
    yield "print_pdf", pdf
    yield "print_png", png
    step(0.8, message("progress_workbook"))
    wb_cov = inputs.coverage
    if inputs.notes:
        wb_cov = replace(wb_cov, notes=tuple(wb_cov.notes) + inputs.notes)
    yield "workbook", workbook_bytes(study, wb_cov, inputs.check, siting, lang=opts.lang, plans=inputs.plans)
    step(0.86, message("progress_geopackage"))
    yield "layers", layers_gpkg_bytes(study, inputs.coverage, inputs.circles, siting)
    if siting is not None:
        step(0.92, message("progress_scenario_comparison"))
        yield "scenario_html", scenario_html(study, siting, lang=opts.lang)
        yield "scenario_png", scenario_png(study, siting, lang=opts.lang)
        yield "scenario_pdf", scenario_pdf(study, siting, lang=opts.lang)
        pdf, png = scenario_print_bytes(
            study, siting, formats=("pdf", "png"), lang=opts.lang, k_anon=opts.k_anon, network=inputs.network
        )
        yield "scenario_print_pdf", pdf
        yield "scenario_print_png", png
    for plan in inputs.plans:
        step(0.95, message("progress_plan_sheet", name=plan.scenario.name))
        pdf, png = plan_print_bytes(
            study, plan, formats=("pdf", "png"), lang=opts.lang, k_anon=opts.k_anon, network=inputs.network
        )
        yield plan_file(plan.scenario.name, "pdf"), pdf
        yield plan_file(plan.scenario.name, "png"), png


def plan_file(name: str, ending: str) -> str:
    """The file name of a scenario's print sheet in the report folder (``plan_<name>_print.pdf``)."""
    return f"{PLAN_PREFIX}{name}{PLAN_SUFFIX}.{ending}"


def _public_state(inputs: ReportInputs) -> tuple[Study, CoverageResult, gpd.GeoDataFrame | None]:
    """What the public map shows: the study as it is, or as the adopted plan makes it (its coverage and circles
    measured on the same network, its title naming the plan); the privacy rules are the map's either way."""
    opts = inputs.options
    plan = next((p for p in inputs.plans if p.scenario.name == opts.adopt), None)
    if plan is None or inputs.network is None:
        return inputs.study, inputs.coverage, inputs.circles
    after = apply_scenario(inputs.study, plan.scenario, network=inputs.network)
    named = say("plan_adopted_name", "zh", name=after.name, plan=plan.scenario.name)
    named_en = say("plan_adopted_name", "en", name=after.name_en, plan=plan.scenario.name)
    after = replace(after, name=named, name_en=named_en)
    return after, plan.after, service_circle_layer(after, inputs.network, plan.after)


def write_report(
    inputs: ReportInputs,
    out_dir: str | Path,
    *,
    force: bool = False,
    progress: Progress | None = None,
) -> list[Path]:
    """Write the report files of ``inputs`` into ``out_dir``: :data:`REPORT_FILES` (the public map, the print map
    (A3 PDF and PNG), the workbook, the GeoPackage and, with a siting scenario, its page, picture and PDF and its
    print sheet (A3 PDF and PNG)).

    Parameters
    ----------
    inputs : the results to render (:func:`report_inputs`), with the options they were made for.
    out_dir : the folder to write; created when missing; must be empty unless ``force``.
    force : write into a non-empty folder, replacing the report's own files (other files are left alone; report
        files this run does not write, such as a scenario that could not be built, are removed).
    progress : optional callback ``(fraction, message)``, from 0.71 to 1.

    Returns
    -------
    list[Path]
        The files written.

    Raises
    ------
    OptionError
        An output folder that is a file, cannot be created, is not writable, or is not empty without ``force``.
    OutputError
        A file cannot be written (full disk, permissions): each file is written to a temporary file and renamed,
        so the folder holds whole files only.
    """
    step = progress or silent
    out = prepare_out_dir(out_dir, force=force)
    written: list[Path] = []
    for key, data in _rendered(inputs, step):
        # temporary file + rename: a full disk or a kill leaves the previous file or none, never half of one
        written.append(atomic_write(out / REPORT_FILES.get(key, key), data))
    if force:
        plan_sheets = [p for p in out.glob(f"{PLAN_PREFIX}*{PLAN_SUFFIX}.*") if p.suffix in (".pdf", ".png")]
        for stale in [*(out / name for name in REPORT_FILES.values()), *plan_sheets]:
            if stale.exists() and stale not in written:
                stale.unlink()
    step(1.0, message("progress_report_written", out=out, files=tuple(p.name for p in written)))
    return written

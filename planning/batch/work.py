"""One study on a worker: validate (load) -> coverage -> check (-> report), through the same library calls as the
single commands, its files written into ``<out>/<study>/`` as those commands write them:

* ``coverage.json``: as ``eldercircle coverage STUDY --json`` (bands 5, 10, 15 minutes, every kind present);
* ``check.json``: as ``eldercircle check STUDY --json [--preset NAME]``;
* ``report/``: with ``--report``, as ``eldercircle report STUDY --out report [--lang] [--k-anon]``;
* ``batch-key.json``: the study's key and record, written last (:mod:`planning.batch.studies`).

The network and the frames stay here; only a :class:`~planning.batch.records.StudyRecord` goes back.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from geo.files import atomic_write
from planning.batch.records import BatchOptions, StudyRecord
from planning.batch.studies import drop_key, write_key
from planning.coverage import (
    CoverageResult,
    check_kinds,
    check_minutes,
    coverage_json,
    coverage_of_study,
    network_for_study,
)
from planning.errors import OutputError, StudyError
from planning.export import json_text
from planning.i18n import message, say
from planning.report import ReportOptions, prepare_out_dir, report_inputs, write_report
from planning.standards import CheckResult, check_json, check_of_study, rules_for
from planning.study import Study, key_figures, load_study

#: The files a batch run writes for a study besides the report folder (removed before the study runs again).
STUDY_FILES = ("coverage.json", "check.json")
#: The rule of the 15-minute service circle and the bands the coverage measures (the coverage command's default).
CIRCLE_RULE = "service_circle_15min_share"
BANDS = "5,10,15"
#: How many rules the record lists as the largest shortfalls.
N_SHORTFALLS = 3


def run_study(path: str, out: str, options: BatchOptions, key: str) -> StudyRecord:
    """Run one study and write its outputs into ``out``; a study that raises a :class:`StudyError` (its data or
    settings) comes back failed with its one sentence (in ``options.lang``) and is not retried; any other error,
    and an :class:`OutputError` (its outputs could not be written: no fault of its data), goes to Dask, which tries
    it again (as it does a lost worker), and then to :func:`failed_record`.

    Parameters
    ----------
    path : the study folder or zip.
    out : the study's output folder.
    options : the run's options.
    key : the study's key (:func:`~planning.batch.studies.study_key`), written with the record when done.
    """
    start = time.perf_counter()
    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    drop_key(target)
    for name in STUDY_FILES:
        (target / name).unlink(missing_ok=True)
    try:
        record = _analyse(Path(path), target, options, name=target.name)
    except OutputError:
        raise  # a full or flaky disk, a folder in the way: tried again, here and on the next run
    except StudyError as exc:
        reason = " ".join(say(exc, options.lang).split())
        record = StudyRecord(name=target.name, path=path, status="failed", reason=reason)
    record = replace(record, seconds=round(time.perf_counter() - start, 3))
    write_key(target, key, record)
    return record


def _analyse(path: Path, target: Path, options: BatchOptions, *, name: str) -> StudyRecord:
    study = load_study(path)
    if options.preset:
        study = replace(study, standards=replace(study.standards, preset=options.preset))
    net = network_for_study(study)
    kinds = check_kinds(None, study.facilities)
    coverage = coverage_of_study(study, net, minutes=check_minutes(BANDS), kinds=kinds)
    data = coverage_json(coverage)
    data["study"] = study.name
    atomic_write(target / "coverage.json", json_text(data))
    rules = rules_for(study.standards.preset, overrides=study.standards.overrides)
    check = check_of_study(study, net, rules=rules)
    atomic_write(target / "check.json", json_text(check_json(check)))
    if options.report:
        folder = prepare_out_dir(target / "report", force=True)
        inputs = report_inputs(study, net, ReportOptions(lang=options.lang, k_anon=options.k_anon))
        write_report(inputs, folder, force=True)
    return _record(study, coverage, check, options.lang, name=name, path=str(path))


def _record(
    study: Study, coverage: CoverageResult, check: CheckResult, lang: str, *, name: str, path: str
) -> StudyRecord:
    figures = key_figures(study)
    totals = coverage.totals[coverage.totals["band_min"] == 15]
    shares = {str(k): float(s) for k, s in zip(totals["kind"], totals["share"], strict=True)}
    counts = check.counts()
    return StudyRecord(
        name=name,
        path=path,
        status="ok",
        title=study.name if lang == "zh" else study.name_en,
        residents=round(figures["residents"]),
        elderly=round(figures["elderly"]),
        shares=shares,
        circle=_circle_share(check.rows),
        passed=counts["pass"],
        failed=counts["fail"],
        not_assessable=counts["not_assessable"],
        shortfalls=_shortfalls(check.rows, lang),
        outline=_outline(study),
    )


def _circle_share(rows: pd.DataFrame) -> float | None:
    """The district's service-circle share (its judged row, not the meal points' advisory line)."""
    mine = rows[
        (rows["rule_id"] == CIRCLE_RULE) & (rows["level"] == "district") & (rows["verdict"] != "advisory")
    ]
    values = pd.to_numeric(mine["value"], errors="coerce").dropna()
    return float(values.iloc[0]) if len(values) else None


def _shortfalls(rows: pd.DataFrame, lang: str) -> tuple[str, ...]:
    """The rules with the most failing units, each with its count, in ``lang``."""
    failing = rows[rows["verdict"] == "fail"]
    if failing.empty:
        return ()
    title = "title_en" if lang == "en" else "title_zh"
    counts = failing.groupby(title, sort=False).size().sort_values(ascending=False, kind="stable")
    return tuple(
        say("batch_shortfall", lang, rule=rule, n=int(n)) for rule, n in counts.head(N_SHORTFALLS).items()
    )


def _outline(study: Study) -> str:
    """The study's communities as one outline in WGS84 (WKT, simplified to about 50 m)."""
    shapes: Any = study.communities.geometry.to_crs("EPSG:4326")
    return str(shapes.union_all().simplify(0.0005).wkt)


def lost_record(name: str, path: str, lang: str) -> StudyRecord:
    """The record of a study whose worker was lost on every try (the next run tries it again)."""
    reason = say(message("batch_worker_lost"), lang)
    return StudyRecord(name=name, path=path, status="failed", reason=reason, retry=True)


def crashed_record(name: str, path: str, exc: BaseException, lang: str) -> StudyRecord:
    """The record of a study that raised an error that is no :class:`StudyError`: not known to be its data, so the
    next run tries it again. Out of memory, a file that could not be read or written, a run cut off (a timeout, a
    connection closed, a task cancelled) are said as such; anything else is an internal error."""
    if isinstance(exc, MemoryError):
        said = message("batch_out_of_memory")
    elif isinstance(exc, StudyError):  # its outputs could not be written (OutputError)
        said = message("batch_retry_after", reason=exc.message or str(exc))
    elif isinstance(exc, (TimeoutError, ConnectionError)) or type(exc).__name__ in _CUT_OFF:
        said = message("batch_interrupted", kind=type(exc).__name__)
    elif isinstance(exc, OSError):
        filename = getattr(exc, "filename", None)
        kind = type(exc).__name__
        if filename:
            said = message("batch_io_failed_path", kind=kind, path=str(filename))
        else:
            said = message("batch_io_failed", kind=kind)
    else:
        said = message("batch_internal_error", kind=type(exc).__name__)
    return StudyRecord(name=name, path=path, status="failed", reason=say(said, lang), retry=True)


#: Errors of a run cut off by the cluster rather than by the study (by name: Dask's own classes).
_CUT_OFF = frozenset({"CommClosedError", "CancelledError", "FutureCancelledError", "TimeoutError"})

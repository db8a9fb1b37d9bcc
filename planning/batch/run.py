"""The batch run on Dask: :func:`run_batch` plans (keys: which studies run again), connects to a cluster
(:func:`batch_client`: a ``distributed.LocalCluster`` sized to the machine, or the scheduler given), submits one
task per study, gathers the records as they finish and writes the summary."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from planning.batch.records import BatchOptions, BatchResult, StudyRecord
from planning.batch.studies import drop_key, find_studies, read_key, study_key, write_key
from planning.batch.summary import write_summary
from planning.batch.work import crashed_record, lost_record, run_study
from planning.errors import OptionError, OutputError
from planning.i18n import message
from planning.progress import Progress, silent

if TYPE_CHECKING:
    from distributed import Client, Future

#: Called with each record as it comes (skipped studies first): the command prints a line per study.
OnRecord = Callable[[StudyRecord], None]
#: Called once connected, with the cluster's workers and the dashboard's link ("" when none).
OnClient = Callable[[int, str], None]


@dataclass(frozen=True)
class Plan:
    """What a run does: every study (name, path, key), the records of those skipped (key unchanged: done, or failed
    on their data), and the last records of those that run again although their key is unchanged (their failure was
    not their data: :attr:`StudyRecord.retry`)."""

    studies: tuple[tuple[str, Path, str], ...]
    reused: dict[str, StudyRecord]
    retried: dict[str, StudyRecord] = field(default_factory=dict)

    @property
    def todo(self) -> list[tuple[str, Path, str]]:
        """The studies to run."""
        return [s for s in self.studies if s[0] not in self.reused]


def plan_batch(studies: Sequence[str | Path], *, out_dir: Path, options: BatchOptions) -> Plan:
    """Find the studies and read their keys: a study whose key file holds its key is skipped (unless
    ``options.force``, or its failure was not its data: then it is retried); every other study's key file is
    removed before it runs."""
    found = find_studies([str(s) for s in studies])
    out = out_dir.expanduser().resolve()
    for _, path in found:
        if path.is_dir() and out.is_relative_to(path.resolve()):
            raise OptionError(message("err_batch_out_inside", out=str(out_dir), study=str(path)))
    planned, reused, retried = [], {}, {}
    for name, path in found:
        key = study_key(path, options)
        old = None if options.force else read_key(out_dir / name)
        if old is not None and old[0] == key and not (old[1].retry and not old[1].ok):
            reused[name] = replace(old[1], reused=True)
        else:
            if old is not None and old[0] == key:
                retried[name] = old[1]
            drop_key(out_dir / name)
        planned.append((name, path, key))
    return Plan(tuple(planned), reused, retried)


@contextlib.contextmanager
def batch_client(options: BatchOptions) -> Iterator[Client]:
    """A Dask client: to ``options.scheduler`` (a ``tcp://`` address or a scheduler file) when given, else to a
    ``distributed.LocalCluster`` of ``options.workers`` (default: one per core) single-threaded workers, each with
    ``options.memory_limit`` (default: the machine's memory shared out). Closed (with the local cluster) on exit.

    Raises
    ------
    OptionError
        When the scheduler cannot be reached.
    """
    # optional heavy dependency (a second of imports): loaded when a batch runs, not by every command
    from distributed import Client, LocalCluster

    if options.scheduler:
        try:
            if Path(options.scheduler).expanduser().is_file():
                client = Client(
                    scheduler_file=str(Path(options.scheduler).expanduser()), timeout=options.connect_s
                )
            else:
                client = Client(options.scheduler, timeout=options.connect_s)
        except (OSError, TimeoutError, ValueError) as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise OptionError(
                message("err_batch_scheduler", address=options.scheduler, reason=reason)
            ) from None
        with client:
            yield client
        return
    cluster = LocalCluster(
        n_workers=options.workers or os.cpu_count() or 1,
        threads_per_worker=1,
        memory_limit=options.memory_limit or "auto",
        processes=options.processes,
        dashboard_address=":0",
    )
    with cluster, Client(cluster) as client:
        yield client


def dashboard_link(client: Client, *, local: bool) -> str:
    """The Dask dashboard's link, or "" when the scheduler serves none. The dashboard needs bokeh where the
    scheduler runs: without it a scheduler still names a dashboard port, whose pages are missing (a dead link)."""
    if local and importlib.util.find_spec("bokeh") is None:
        return ""
    with contextlib.suppress(Exception):
        if "dashboard" not in client.scheduler_info().get("services", {}):
            return ""
        # a lambda travels by value: the scheduler need not have eldercircle installed
        if not local and not client.run_on_scheduler(lambda: importlib.util.find_spec("bokeh") is not None):
            return ""
        return str(client.dashboard_link)
    return ""


def run_batch(
    studies: Sequence[str | Path],
    *,
    out_dir: str | Path,
    options: BatchOptions,
    client: Client | None = None,
    progress: Progress | None = None,
    on_record: OnRecord | None = None,
    on_client: OnClient | None = None,
    plan: Plan | None = None,
) -> BatchResult:
    """Run every study (validate -> coverage -> check, and the report with ``options.report``) as one Dask task
    each, writing ``out_dir/<study>/`` and the summary (:func:`~planning.batch.summary.write_summary`).

    Parameters
    ----------
    studies : study folders, zips, globs or folders of studies.
    out_dir : the output folder (created when missing).
    options : the run's options.
    client : a Dask client to run on; None: :func:`batch_client` of ``options``.
    progress : called with (fraction of the studies finished, the counts as a message).
    on_record : called with each study's record as it comes.
    on_client : called once connected with the number of workers and the dashboard's link.
    plan : the run's plan when already made (:func:`plan_batch`).

    Returns
    -------
    BatchResult
    """
    out = Path(out_dir).expanduser()
    out.mkdir(parents=True, exist_ok=True)
    plan = plan or plan_batch(studies, out_dir=out, options=options)
    records = dict(plan.reused)
    for record in plan.reused.values():
        (on_record or _ignore)(record)
    dashboard = ""
    if plan.todo:
        with contextlib.ExitStack() as stack:
            if client is None:
                client = stack.enter_context(batch_client(options))
            dashboard = dashboard_link(client, local=not options.scheduler)
            if on_client is not None:
                on_client(len(client.nthreads()), dashboard)
            records |= _gather(client, plan, out, options, progress or silent, on_record or _ignore)
    ordered = tuple(records[name] for name, _, _ in plan.studies)
    written = write_summary(ordered, out, lang=options.lang)
    return BatchResult(records=ordered, out_dir=out, written=tuple(written), dashboard=dashboard)


def _ignore(record: StudyRecord) -> None:
    return None


def _gather(
    client: Client, plan: Plan, out: Path, options: BatchOptions, progress: Progress, on_record: OnRecord
) -> dict[str, StudyRecord]:
    """Submit the studies to run, one task each, and collect their records as they finish."""
    from distributed import as_completed  # optional heavy dependency: loaded when a batch runs

    todo = plan.todo
    # a task key of its own per run: a scheduler that still holds an earlier run's task (failed or done) under the
    # same key would hand back that result instead of running the study again
    run_id = uuid.uuid4().hex[:8]
    futures: dict[Future, tuple[str, Path, str]] = {}
    for name, path, key in todo:
        future = client.submit(
            run_study,
            str(path.resolve()),
            str((out / name).resolve()),
            options,
            key,
            key=f"eldercircle-study-{name}-{key[:12]}-{run_id}",
            retries=options.retries,
            pure=False,
        )
        futures[future] = (name, path, key)
    slots = max(1, sum(client.nthreads().values()))
    records: dict[str, StudyRecord] = {}
    n_failed = 0
    _report(progress, 0, len(todo), min(slots, len(todo)), 0)
    for future in as_completed(list(futures)):
        name, path, key = futures[future]
        records[name] = record = outcome(future, name, str(path), options)
        if record.retry:  # written here, as the worker could not: the next run sees why and tries again
            with contextlib.suppress(OSError, OutputError):
                write_key(out / name, key, record)
        n_failed += 0 if record.ok else 1
        on_record(record)
        left = len(todo) - len(records)
        _report(progress, len(records), len(todo), min(slots, left), n_failed)
    return records


def outcome(future: Future, name: str, path: str, options: BatchOptions) -> StudyRecord:
    """A finished task's record; a study whose task raised (after the scheduler's and ``options.retries``' tries) is
    recorded failed, to be retried by the next run: its worker lost (``KilledWorker``), out of memory, its files
    not read or written, its run cut off, or a programming error (:func:`~planning.batch.work.crashed_record`)."""
    from distributed import KilledWorker  # optional heavy dependency: loaded when a batch runs

    try:
        return future.result()  # type: ignore[no-any-return]
    except Exception as exc:
        if isinstance(exc, KilledWorker):
            return lost_record(name, path, options.lang)
        return crashed_record(name, path, exc, options.lang)


def _report(progress: Progress, done: int, total: int, running: int, failed: int) -> None:
    said = message("batch_progress", done=done, total=total, running=running, failed=failed)
    progress(done / total if total else 1.0, said)

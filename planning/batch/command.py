"""The body of ``eldercircle batch`` (its arguments are in :mod:`planning.cli`): options from the arguments, a line
per study as it finishes, the progress bar, the failed studies listed at the end; exit 0 all ok, 1 some failed."""

from __future__ import annotations

import argparse
import importlib.util
import sys
from functools import partial
from pathlib import Path

from planning.batch.records import BatchOptions, StudyRecord
from planning.batch.run import plan_batch, run_batch
from planning.console import inert_text
from planning.i18n import say
from planning.progress import terminal_progress


def _said(record: StudyRecord, lang: str) -> None:
    if record.reused and not record.ok:
        print(
            say("batch_skipped_failed", lang, name=inert_text(record.name), reason=inert_text(record.reason))
        )
    elif record.reused:
        print(say("batch_skipped", lang, name=inert_text(record.name)))
    elif record.ok:
        print(say("batch_done_line", lang, name=inert_text(record.name), seconds=record.seconds))
    else:
        print(say("batch_failed_line", lang, name=inert_text(record.name), reason=inert_text(record.reason)))
    sys.stdout.flush()


def options_of(args: argparse.Namespace) -> BatchOptions:
    """The :class:`BatchOptions` of the command's arguments."""
    return BatchOptions(
        lang=args.lang,
        preset=args.preset,
        report=args.report,
        k_anon=args.k_anon,
        force=args.force,
        scheduler=args.scheduler,
        workers=args.workers,
        memory_limit=args.memory_limit,
    )


def batch_command(args: argparse.Namespace) -> int:
    """Run ``eldercircle batch``; returns the exit code (0 all studies ok, 1 some failed)."""
    lang = args.lang
    options = options_of(args)
    plan = plan_batch(args.studies, out_dir=_out(args.out), options=options)
    todo = len(plan.todo)
    force = say("batch_plan_force", lang) if options.force else ""
    print(say("batch_plan", lang, n=len(plan.studies), todo=todo, reused=len(plan.reused)) + force)
    for name, old in plan.retried.items():
        print(say("batch_retrying", lang, name=inert_text(name), reason=inert_text(old.reason)))
    result = run_batch(
        args.studies,
        out_dir=args.out,
        options=options,
        plan=plan,
        progress=terminal_progress(lang=lang) if todo else None,
        on_record=partial(_said, lang=lang),
        on_client=partial(_client_line, lang=lang, options=options),
    )
    for path in result.written:
        print(say("batch_wrote", lang, path=path))
    failed = result.failed
    if failed:
        print(say("batch_failed_header", lang, n=len(failed)))
        for r in failed:
            print(say("batch_failed_item", lang, name=inert_text(r.name), reason=inert_text(r.reason)))
        ok = len(result.records) - len(failed)
        print(say("batch_some_failed", lang, ok=ok, failed=len(failed), out=result.out_dir))
    else:
        print(say("batch_all_ok", lang, n=len(result.records), out=result.out_dir))
    return result.exit_code


def _out(path: str) -> Path:
    return Path(path).expanduser()


def _client_line(workers: int, dashboard: str, *, lang: str, options: BatchOptions) -> None:
    if options.scheduler:
        print(say("batch_cluster_remote", lang, address=inert_text(options.scheduler), workers=workers))
    else:
        print(say("batch_cluster_local", lang, workers=workers))
    if dashboard:
        print(say("batch_dashboard", lang, link=dashboard))
    elif options.scheduler:
        print(say("batch_no_dashboard_remote", lang))
    elif importlib.util.find_spec("bokeh") is None:
        print(say("batch_no_dashboard_bokeh", lang))
    sys.stdout.flush()

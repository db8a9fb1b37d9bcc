"""What a batch run is asked to do (:class:`BatchOptions`) and what comes back: one small :class:`StudyRecord` per
study (no network, no frame) and the :class:`BatchResult` of the whole run."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from planning.errors import OptionError
from planning.i18n import message
from planning.report import DEFAULT_K_ANON, check_k_anon, check_lang

#: A study's status in a record.
STATUSES = ("ok", "failed")


@dataclass(frozen=True)
class BatchOptions:
    """How a batch run goes (keyword-only; checked when built: :class:`OptionError` names a bad value).

    Attributes
    ----------
    lang : ``zh`` (default) or ``en``: the reasons, the summary's headers, the report.
    preset : the standards preset of every study's check (as ``check --preset``); None: each study's own.
    report : also write each study's report folder (as ``report --out``) under ``<study>/report``.
    k_anon : the report's privacy threshold (as ``report --k-anon``).
    force : run every study again, whatever its key says.
    scheduler : a Dask scheduler's address (``tcp://host:8786``) or scheduler file; None starts a
        ``distributed.LocalCluster`` on this machine.
    workers : the local cluster's workers; None: one per core.
    memory_limit : each local worker's memory limit (``4GB``); None: the machine's memory shared out.
    processes : local workers as processes (default) or, False, as threads of this process.
    retries : how many more times a study whose worker was lost is tried.
    connect_s : how long to wait for ``scheduler`` before giving up (Dask keeps trying to connect until then).
    """

    lang: str = "zh"
    preset: str | None = None
    report: bool = False
    k_anon: int = DEFAULT_K_ANON
    force: bool = False
    scheduler: str | None = None
    workers: int | None = None
    memory_limit: str | None = None
    processes: bool = True
    retries: int = 1
    connect_s: float = 20.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "lang", check_lang(self.lang))
        object.__setattr__(self, "k_anon", check_k_anon(self.k_anon))
        if self.workers is not None and (not isinstance(self.workers, int) or self.workers < 1):
            raise OptionError(message("err_batch_workers", n=self.workers))
        if self.memory_limit is not None:
            from dask.utils import parse_bytes  # optional heavy dependency: loaded when a limit is given

            try:
                ok = parse_bytes(self.memory_limit) > 0
            except (TypeError, ValueError):
                ok = False
            if not ok:
                raise OptionError(message("err_batch_memory", value=self.memory_limit))

    def key_fields(self) -> dict[str, Any]:
        """The options a study's outputs depend on (its key hashes them; the cluster's do not count)."""
        return {"lang": self.lang, "preset": self.preset, "report": self.report, "k_anon": self.k_anon}


@dataclass(frozen=True)
class StudyRecord:
    """One study's outcome, small enough to travel back from a worker.

    Attributes
    ----------
    name : the study's folder in the output folder (its folder's or zip's name).
    path : where the study was read from.
    status : ``ok`` or ``failed``.
    reason : why it failed, one sentence in the run's language ("" when ok).
    title : the study's own name (study.toml), "" when it could not be read.
    residents, elderly : the study's residents and elderly (None when failed before they were known).
    shares : per facility kind the share of the elderly within a 15-minute walk.
    circle : the district's 15-minute service-circle share (None when not assessable).
    passed, failed, not_assessable : the standards check's rows per verdict.
    shortfalls : the rules with the most failing units, said in the run's language.
    seconds : the time the study took.
    outline : the study's outline in WGS84 as WKT (the overview map shades it), "" when unknown.
    reused : the record of an earlier run whose key still holds (the study was skipped).
    retry : a failure that was not the study's data (its worker lost or killed, out of memory, a file that could
        not be read or written, a run cut off, an internal error): the next run tries the study again even when its
        key still holds. A failure with ``retry`` False came from the study's data or settings (a
        :class:`~geo.errors.StudyError`) and is skipped until its files or the options change.
    """

    name: str
    path: str
    status: str
    reason: str = ""
    title: str = ""
    residents: int | None = None
    elderly: int | None = None
    shares: dict[str, float] = field(default_factory=dict)
    circle: float | None = None
    passed: int | None = None
    failed: int | None = None
    not_assessable: int | None = None
    shortfalls: tuple[str, ...] = ()
    seconds: float = 0.0
    outline: str = ""
    reused: bool = False
    retry: bool = False

    @property
    def ok(self) -> bool:
        """Whether the study went through."""
        return self.status == "ok"

    def as_json(self) -> dict[str, Any]:
        """The record as JSON-ready data (NaN as null)."""
        data = asdict(self)
        data["shortfalls"] = list(self.shortfalls)
        data["shares"] = {k: _finite(v) for k, v in self.shares.items()}
        data["circle"] = _finite(self.circle)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StudyRecord:
        """A record from :meth:`as_json`'s data (unknown fields are ignored)."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["shortfalls"] = tuple(values.get("shortfalls") or ())
        values["shares"] = {k: float(v) for k, v in (values.get("shares") or {}).items() if v is not None}
        return cls(**values)


def _finite(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


@dataclass(frozen=True)
class BatchResult:
    """A whole batch run.

    Attributes
    ----------
    records : one per study, in the order the studies were given.
    out_dir : the output folder.
    written : the summary files written (tables and overview maps).
    dashboard : the Dask dashboard's link, "" when there was none.
    """

    records: tuple[StudyRecord, ...]
    out_dir: Path
    written: tuple[Path, ...] = ()
    dashboard: str = ""

    @property
    def failed(self) -> tuple[StudyRecord, ...]:
        """The studies that failed."""
        return tuple(r for r in self.records if not r.ok)

    @property
    def exit_code(self) -> int:
        """0 when every study went through, 1 when some failed."""
        return 1 if self.failed else 0

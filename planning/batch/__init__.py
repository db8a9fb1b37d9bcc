"""A whole province at once: every study through validate -> coverage -> check (-> report) as one Dask task each,
with one table and one map to compare them (``eldercircle batch``).

Modules
-------
* :mod:`~planning.batch.records`: :class:`BatchOptions` (what a run does), :class:`StudyRecord` (one study's small
  outcome) and :class:`BatchResult`;
* :mod:`~planning.batch.studies`: the studies the arguments name (:func:`find_studies`) and each study's key
  (sha256 over its input files and the options), written last and atomically into its output folder;
* :mod:`~planning.batch.work`: one study on a worker (:func:`run_study`), through the same library calls as the
  single commands, its files written as they write them;
* :mod:`~planning.batch.run`: :func:`run_batch` on a ``distributed.LocalCluster`` or a scheduler's cluster
  (:func:`batch_client`), faults isolated (a failed study is recorded, a lost worker's study retried);
* :mod:`~planning.batch.summary`: ``summary.csv``/``.json``/``.xlsx`` and the overview map (HTML and PNG);
* :mod:`~planning.batch.command`: the body of ``eldercircle batch``;
* :mod:`~planning.batch.province`: a synthetic province (copies of the demo, some broken) for tests and benchmarks;
* :mod:`~planning.batch.county`: a synthetic county of a chosen network size (:func:`make_county`), its streets from
  :mod:`~planning.batch.streets` (OSM PBF/XML or centrelines).
"""

from planning.batch.command import batch_command
from planning.batch.county import County, make_county
from planning.batch.province import BREAKS, make_province
from planning.batch.records import BatchOptions, BatchResult, StudyRecord
from planning.batch.run import Plan, batch_client, plan_batch, run_batch
from planning.batch.streets import NETWORK_FILES
from planning.batch.studies import KEY_FILE, find_studies, study_key
from planning.batch.summary import SUMMARY_FILES, summary_frame, write_summary
from planning.batch.work import STUDY_FILES, run_study

__all__ = [
    "BREAKS",
    "KEY_FILE",
    "NETWORK_FILES",
    "STUDY_FILES",
    "SUMMARY_FILES",
    "BatchOptions",
    "BatchResult",
    "County",
    "Plan",
    "StudyRecord",
    "batch_client",
    "batch_command",
    "find_studies",
    "make_county",
    "make_province",
    "plan_batch",
    "run_batch",
    "run_study",
    "study_key",
    "summary_frame",
    "write_summary",
]

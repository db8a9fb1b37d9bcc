"""The words of batch runs (``eldercircle batch``, :mod:`planning.batch`): each key with its Chinese and English text.

Merged into the catalogue by :mod:`planning.i18n`; its errors start with ``err_batch_``.
"""

from __future__ import annotations

#: What a batch run says, by key: (Chinese, English); ``{fields}`` are filled by :func:`planning.i18n.say`.
BATCH_TEXT: dict[str, tuple[str, str]] = {
    # the run
    "batch_plan": (
        "共 {n} 个研究区：{todo} 个待运行，{reused} 个输入与选项未变而跳过",
        "{n} studies: {todo} to run, {reused} skipped (inputs and options unchanged)",
    ),
    "batch_plan_force": ("（--force：全部重新运行）", " (--force: all run again)"),
    "batch_skipped_failed": (
        "跳过：{name} 上次因数据问题失败（{reason}），其文件与选项均未改变，修正后重新运行即可（--force 可强制重跑）",
        "skipped: {name} failed last time on its data ({reason}) and neither its files nor the options have "
        "changed; fix them and run again (--force runs it anyway)",
    ),
    "batch_retrying": (
        "重试：{name} 上次失败并非数据问题（{reason}），本次重新运行",
        "retrying: {name} failed last time for a reason other than its data ({reason}), so it runs again",
    ),
    "batch_skipped": (
        "未变化，跳过：{name}（沿用上次结果；--force 可重新运行）",
        "unchanged, skipped: {name} (last run's results kept; --force runs it again)",
    ),
    "batch_cluster_local": (
        "本机 Dask 集群：{workers} 个工作进程，每个单线程",
        "local Dask cluster: {workers} workers of one thread each",
    ),
    "batch_cluster_remote": (
        "已连接 Dask 调度器 {address}：{workers} 个工作进程",
        "connected to the Dask scheduler {address}: {workers} workers",
    ),
    "batch_dashboard": ("Dask 仪表板：{link}", "Dask dashboard: {link}"),
    "batch_no_dashboard_bokeh": (
        "没有 Dask 仪表板：它需要 bokeh，本机未安装（pip install bokeh 后即可在浏览器中查看进度）",
        "no Dask dashboard: it needs bokeh, which is not installed (pip install bokeh to watch the run in a browser)",
    ),
    "batch_no_dashboard_remote": (
        "该调度器没有提供 Dask 仪表板（调度器所在机器需安装 bokeh）",
        "the scheduler serves no Dask dashboard (it needs bokeh installed where the scheduler runs)",
    ),
    "batch_progress": (
        "研究区：完成 {done}/{total}，运行中 {running}，失败 {failed}",
        "studies: {done}/{total} done, {running} running, {failed} failed",
    ),
    "batch_done_line": ("完成：{name}（{seconds:.1f} 秒）", "done: {name} ({seconds:.1f} s)"),
    "batch_failed_line": ("失败：{name}：{reason}", "failed: {name}: {reason}"),
    "batch_failed_header": ("以下 {n} 个研究区失败：", "{n} studies failed:"),
    "batch_failed_item": ("  {name}：{reason}", "  {name}: {reason}"),
    "batch_wrote": ("已写出 {path}", "wrote {path}"),
    "batch_all_ok": (
        "{n} 个研究区全部完成；汇总表与总览图在 {out}",
        "all {n} studies done; the summary table and overview map are in {out}",
    ),
    "batch_some_failed": (
        "{ok} 个研究区完成，{failed} 个失败；汇总表与总览图在 {out}",
        "{ok} studies done, {failed} failed; the summary table and overview map are in {out}",
    ),
    # reasons of a failed study that carry no message of their own
    "batch_worker_lost": (
        "运行它的工作进程每次都中途丢失（内存不足或被终止）；可减少 --workers 或提高 --memory-limit 后重新运行",
        "the worker running it was lost on every try (out of memory or killed); "
        "run again with fewer --workers or a higher --memory-limit",
    ),
    "batch_out_of_memory": (
        "内存不足（MemoryError）；可减少 --workers 或提高 --memory-limit 后重新运行，届时会重试该研究区",
        "out of memory (MemoryError); run again with fewer --workers or a higher --memory-limit, which retries it",
    ),
    "batch_retry_after": ("{reason}；下次运行会重试该研究区", "{reason}; the next run retries it"),
    "batch_interrupted": (
        "运行被中断（{kind}）；下次运行会重试该研究区",
        "its run was cut off ({kind}); the next run retries it",
    ),
    "batch_io_failed": (
        "读写文件失败（{kind}）；请检查磁盘与输出文件夹，下次运行会重试该研究区",
        "a file could not be read or written ({kind}); check the disk and the output folder: the next run "
        "retries it",
    ),
    "batch_io_failed_path": (
        "无法读写 {path}（{kind}）；请检查磁盘与输出文件夹，下次运行会重试该研究区",
        "{path} could not be read or written ({kind}); check the disk and the output folder: the next run "
        "retries it",
    ),
    "batch_internal_error": (
        "内部错误（{kind}）；设置 ELDERCIRCLE_DEBUG=1 单独运行该研究区可查看详情",
        "internal error ({kind}); run the study alone with ELDERCIRCLE_DEBUG=1 for details",
    ),
    # the summary table
    "batch_col_name": ("研究区", "study"),
    "batch_col_title": ("名称", "name"),
    "batch_col_status": ("状态", "status"),
    "batch_col_reason": ("失败原因", "reason"),
    "batch_col_residents": ("常住人口", "residents"),
    "batch_col_elderly": ("老年人口", "elderly"),
    "batch_col_share": ("15 分钟步行覆盖率：{kind}", "within 15 min: {kind}"),
    "batch_col_circle": ("15 分钟养老服务圈覆盖率", "15-minute service circle"),
    "batch_col_pass": ("达标", "pass"),
    "batch_col_fail": ("不达标", "fail"),
    "batch_col_not_assessable": ("无法评估", "not assessable"),
    "batch_col_shortfalls": ("主要不达标项", "largest shortfalls"),
    "batch_col_seconds": ("用时（秒）", "seconds"),
    "batch_col_reused": ("沿用上次结果", "reused"),
    "batch_status_ok": ("完成", "ok"),
    "batch_status_failed": ("失败", "failed"),
    "batch_yes": ("是", "yes"),
    "batch_no": ("否", "no"),
    "batch_shortfall": ("{rule}（{n} 处不达标）", "{rule} ({n} failing)"),
    "batch_sheet": ("汇总", "summary"),
    # the overview map
    "batch_map_title": ("各研究区 15 分钟养老服务圈覆盖率", "15-minute service circle per study"),
    "batch_map_no_data": ("无数据（失败或无服务圈）", "no data (failed or no circle)"),
    "batch_map_tooltip": ("{name}：服务圈覆盖率 {share}", "{name}: service circle {share}"),
    # errors (usage: exit code 2)
    "err_batch_not_a_study": (
        "「{path}」不是研究区：请给出含 study.toml 的文件夹、它的 .zip，或存放若干研究区的文件夹",
        "{path!r} is not a study: give a folder holding study.toml, a .zip of one, or a folder of studies",
    ),
    "err_batch_no_studies": (
        "在 {paths} 中没有找到研究区（含 study.toml 的文件夹或 .zip）",
        "no study (a folder holding study.toml, or a .zip) found in {paths}",
    ),
    "err_batch_workers": (
        "--workers 应为正整数，而不是 {n}",
        "--workers must be a whole number of at least 1, not {n}",
    ),
    "err_batch_memory": (
        "--memory-limit 应为内存大小，如 4GB 或 512MB，而不是 {value!r}",
        "--memory-limit must be an amount of memory such as 4GB or 512MB, not {value!r}",
    ),
    "err_batch_scheduler": (
        "无法连接 Dask 调度器 {address}（{reason}）；请检查地址（tcp://主机:端口）或调度器文件",
        "cannot reach the Dask scheduler {address} ({reason}); check the address (tcp://host:port) or the "
        "scheduler file",
    ),
    "err_batch_out_inside": (
        "输出文件夹 {out} 位于研究区 {study} 之内；请换一个输出文件夹",
        "the output folder {out} lies inside the study {study}; choose another output folder",
    ),
}

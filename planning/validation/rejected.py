"""The line every analysis shows beside its figures: what validation rejected, per layer."""

from __future__ import annotations

import pandas as pd

from planning.schema import LAYER_COLUMNS
from planning.validation.columns import blank, normalise_label
from planning.validation.findings import Finding, layer_zh


def rejected_lines(
    rejected: dict[str, pd.DataFrame],
    sources: dict[str, str],
    *,
    lang: str = "zh",
    limit: int = 10,
    study_ref: str = "STUDY",
    findings: tuple[Finding, ...] = (),
) -> list[str]:
    """What validation rejected, for every analysis command and page to state: one line per layer.

    Each line names the layer, its file, how many rows were rejected and the first ``limit`` of them (row number,
    name where there is one, reason); where more were rejected it says where the rest are listed
    (``eldercircle validate``, the Data page). Rejected rows are left out of every analysis, so no figure may be
    shown without this line beside it.

    Parameters
    ----------
    rejected : layer -> rejected rows with ``row`` and ``reason`` (``Study.rejected``).
    sources : layer -> its file as named in study.toml (``Study.layer_sources``).
    lang : ``zh`` or ``en``.
    limit : rows named per layer.
    study_ref : how to name the study in the ``validate`` command shown for the rest.
    findings : the loader's findings (``Study.findings``): their Chinese wording of each rejection is used in zh.

    Returns
    -------
    list of str
        Empty when nothing was rejected.
    """
    lines: list[str] = []
    for layer, frame in rejected.items():
        if frame is None or not len(frame):
            continue
        source = sources.get(layer, layer)
        name_col = _name_column(frame, layer)
        names = frame[name_col] if name_col else pd.Series([None] * len(frame), index=frame.index)
        reasons = frame["reason"]
        if lang == "zh":
            zh = {
                f.row: f.message_zh
                for f in findings
                if f.layer == layer and f.action == "rejected" and f.message_zh and f.row is not None
            }
            reasons = pd.Series(
                [zh.get(int(r), str(e)) for r, e in zip(frame["row"], frame["reason"], strict=False)],
                index=frame.index,
            )
        items = []
        for row, name, reason in sorted(
            zip(frame["row"], names, reasons, strict=False), key=lambda item: int(item[0])
        )[:limit]:
            label = "" if blank(name) else f" {str(name)[:40]!r}" if lang != "zh" else f"「{str(name)[:40]}」"
            if lang == "zh":
                items.append(f"第 {int(row)} 行{label}（{str(reason)[:120]}）")
            else:
                items.append(f"row {int(row)}{label} ({str(reason)[:120]})")
        rest = len(frame) - len(items)
        if lang == "zh":
            line = f"{layer_zh(layer)}图层（{source}）有 {len(frame)} 行被拒绝，未计入任何分析：" + "；".join(
                items
            )
            if rest > 0:
                line += f"；其余 {rest} 行见 `eldercircle validate {study_ref} --max-rows 0` 或“数据”页"
        else:
            line = (
                f"{layer} layer ({source}): {len(frame)} rows rejected and left out of every analysis: "
                + "; ".join(items)
            )
            if rest > 0:
                line += f"; the other {rest} are listed by `eldercircle validate {study_ref} --max-rows 0` and on the Data page"
        lines.append(line)
    return lines


def _name_column(frame: pd.DataFrame, layer: str) -> str | None:
    """The column of a rejected frame (rows as given) that holds the row's name: canonical or an accepted alias."""
    spec = {c.name: c for c in LAYER_COLUMNS.get(layer, ())}
    if "name" not in spec:
        return None
    wanted = {normalise_label(n) for n in ("name", *spec["name"].aliases)}
    return next((c for c in frame.columns if normalise_label(c) in wanted), None)

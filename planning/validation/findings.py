"""What the loader did or found: :class:`Finding`, the validated layer, and the collector the checks report to.

Every decision becomes a :class:`Finding` (read, mapped, repaired, rejected, note), in English and Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from planning.i18n import CATALOGUE, tr

#: What a finding may say was done.
ACTIONS = ("read", "mapped", "repaired", "rejected", "note")


@dataclass(frozen=True)
class Finding:
    """One thing the loader did or found.

    Attributes
    ----------
    layer : the layer's role (``communities``, ``facilities``, ...) or ``study``/``network``.
    source : the file as named in study.toml.
    row : 1-based data row in the file, or None for the whole layer.
    action : one of ``read``, ``mapped``, ``repaired``, ``rejected``, ``note``.
    message : one sentence.
    message_zh : the same sentence in Chinese, or "" where there is none yet (see :meth:`message_in`).
    """

    layer: str
    source: str
    row: int | None
    action: str
    message: str
    message_zh: str = ""

    def message_in(self, lang: str = "zh") -> str:
        """The message in ``lang``; English stands in where there is no Chinese one yet."""
        return self.message_zh if lang == "zh" and self.message_zh else self.message

    def text(self) -> str:
        """The finding as one printable line."""
        where = f"{self.layer} ({self.source})" + (f" row {self.row}" if self.row is not None else "")
        return f"{self.action:<9} {where}: {self.message}"

    def text_zh(self) -> str:
        """The finding as one printable line in Chinese: file, layer, row, what was done and the fix."""
        layer = layer_zh(self.layer) + ("" if self.layer in ("study", "network") else "图层")
        where = f"{self.source}（{layer}" + (f"，第 {self.row} 行）" if self.row is not None else "）")
        return f"{tr(f'action_{self.action}', 'zh')} {where}：{self.message_in('zh')}"


@dataclass(frozen=True)
class ValidatedLayer:
    """A layer after validation.

    Attributes
    ----------
    frame : the accepted rows with canonical columns (plus any other columns the user gave, kept as they were),
        ``_row`` (1-based row in the file) and point or polygon geometry in the layer's CRS.
    rejected : rejected rows as given, with ``row`` and ``reason``.
    findings : what was read, mapped, repaired and rejected.
    """

    frame: gpd.GeoDataFrame
    rejected: pd.DataFrame
    findings: tuple[Finding, ...] = field(default=())


class Collector:
    """The findings of one layer's validation, and the reasons each rejected row (by frame position) was refused.

    Parameters
    ----------
    layer : the layer's role.
    source : the file as named in study.toml.
    """

    def __init__(self, layer: str, source: str):
        self.layer, self.source = layer, source
        self.items: list[Finding] = []
        self.reject_reasons: dict[int, list[str]] = {}  # frame position -> reasons

    def add(self, action: str, message: str, row: int | None = None, zh: str = "") -> None:
        """Record a finding (``zh``: the same sentence in Chinese)."""
        self.items.append(Finding(self.layer, self.source, row, action, message, zh))

    def reject(self, pos: int, row: int, reason: str, zh: str = "") -> None:
        """Reject the row at frame position ``pos`` (file row ``row``) for ``reason``."""
        self.reject_reasons.setdefault(pos, []).append(reason)
        self.add("rejected", reason, row, zh)


def row_list(rows: np.ndarray, limit: int = 12) -> str:
    """Row numbers for a message: the first ``limit``, then how many more."""
    numbers = [int(r) for r in rows]
    text = ", ".join(map(str, numbers[:limit]))
    return text + (f" and {len(numbers) - limit} more" if len(numbers) > limit else "")


def layer_zh(layer: str) -> str:
    """A layer's role (``communities``, ``facilities`` … ``study``, ``network``) in Chinese, as the Data page names
    it; the role itself when it has no Chinese name."""
    key = f"layer_role_{layer}"
    return tr(key, "zh") if key in CATALOGUE else layer


def row_list_zh(rows: np.ndarray, limit: int = 12) -> str:
    """Row numbers for a Chinese message: the first ``limit``, then how many more."""
    numbers = [int(r) for r in rows]
    text = "、".join(map(str, numbers[:limit]))
    return text + (f" 等（另有 {len(numbers) - limit} 行）" if len(numbers) > limit else "")

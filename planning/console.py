"""What the commands print besides their tables: validate's findings, coverage's table by display width, the
siting header, and the terminal guard (every text a layer names reaches the terminal with its control characters
shown as escapes).
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from typing import TextIO

from planning.coverage import CoverageResult
from planning.display import format_number, format_share, pad, text_width
from planning.i18n import CATALOGUE, kind_label, say, tr
from planning.study import Study


def layer_word(layer: str, lang: str) -> str:
    """A layer's name as validate's headings say it: the catalogue's word in Chinese, the layer's key in English."""
    if lang != "zh":
        return layer
    for key in (f"progress_layer_{layer}", f"cli_val_section_{layer}"):
        if key in CATALOGUE:
            return tr(key, lang)
    return layer


def print_findings(study: Study, *, lang: str, max_rows: int) -> None:
    """The validation's findings per layer (the known layers first) and action, ``max_rows`` of each (0: all)."""
    groups: dict[tuple[str, str], list] = defaultdict(list)
    for f in study.findings:
        groups[(f.layer, f.action)].append(f)
    order = ("note", "read", "mapped", "repaired", "rejected")
    known = ("study", "communities", "facilities", "candidates", "population", "network")
    present = dict.fromkeys(f.layer for f in study.findings)
    for layer in [x for x in known if x in present] + [x for x in present if x not in known]:
        print(f"\n== {layer_word(layer, lang)} ==")
        for action in order:
            items = groups.get((layer, action), [])
            shown = items if max_rows <= 0 else items[:max_rows]
            for f in shown:
                print("  " + (f.text_zh() if lang == "zh" else f.text()))
            if len(items) > len(shown):
                word = tr(f"action_{action}", lang) if lang == "zh" else action
                print(say("cli_val_more", lang, n=len(items) - len(shown), action=word))


def print_coverage(result: CoverageResult, *, lang: str) -> None:
    """The table of shares per kind and band (columns padded to display width), the notes, and the urban
    communities a day-care centre leaves out."""
    minutes = result.minutes
    head = [say("cli_cov_kind", lang), *(say("band_label", lang, m=m) for m in minutes)]
    rows = [head]
    for kind in result.kinds:
        sub = result.totals[result.totals["kind"] == kind]
        label = kind_label(kind, "zh") if lang == "zh" else kind
        rows.append([label, *(format_share(s, lang="en") for s in sub["share"])])
    widths = [max(text_width(r[i]) for r in rows) for i in range(len(head))]
    for r in rows:
        cells = [pad(r[0], widths[0]), *(pad(c, max(widths[i], 8), right=True) for i, c in enumerate(r) if i)]
        print("  ".join(cells).rstrip())
    for note in result.notes_in(lang):
        print(say("cli_note", lang) + note)
    if len(result.daycare_gaps):
        gaps = result.daycare_gaps
        sep = "、" if lang == "zh" else ", "
        names = sep.join(
            f"{r.name}（{format_share(r.share, 0, 'en')}）"
            if lang == "zh"
            else f"{r.name} ({format_share(r.share, 0, 'en')})"
            for r in gaps.head(10).itertuples()
        ) + (" 等" if lang == "zh" and len(gaps) > 10 else (" ..." if len(gaps) > 10 else ""))
        print(
            say(
                "cli_cov_gaps",
                lang,
                n=len(gaps),
                minutes=minutes[-1],
                elderly=format_number(result.daycare_gap_elderly, groups=","),
                names=names,
            )
        )


def site_header(study: Study, n_nodes: int, walk_speed_m_s: float, *, lang: str) -> str:
    """The first line of ``site``: the study (synthetic or not), the network's size and the walking speed."""
    if lang == "zh":
        return (
            f"研究区：{study.name}"
            + ("（合成数据）" if study.synthetic and "合成" not in study.name else "")
            + f"；路网 {format_number(n_nodes, groups=',')} 个节点；步行速度 {walk_speed_m_s:g} 米/秒"
        )
    return (
        f"study: {study.name_en}"
        + ("  [SYNTHETIC DATA]" if study.synthetic else "")
        + f"; network: {format_number(n_nodes, groups=',')} nodes; walking {walk_speed_m_s:g} m/s"
    )


#: Characters a terminal acts on rather than shows: C0 controls but tab and newline, DEL, C1 controls (ANSI escape
#: sequences can retitle the window, move the cursor or hide text) and the bidirectional overrides that reorder what
#: is shown. A layer's names reach the terminal in every table, so they are shown as escapes.
_TERMINAL_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def inert_text(text: str) -> str:
    """``text`` with every terminal control character shown as its escape (``\\x1b``), the rest unchanged."""
    return _TERMINAL_CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class InertStream(io.TextIOBase):
    """A text stream that writes through :func:`inert_text` (the command's standard output)."""

    def __init__(self, stream: TextIO):
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(inert_text(text))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

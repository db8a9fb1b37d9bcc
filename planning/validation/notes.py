"""Chinese for what geo says: the layer reader's notes (codes with parameters, rendered here) and the lines of the
network cache (geo/cache.py, still English sentences matched on their form)."""

from __future__ import annotations

import re

from geo.messages import Message
from planning.i18n import say

_CACHE_LINE = re.compile(
    r"^the cached (network|expressway roads) (\S+) in (.+) was (.+); (removed it and parsed the "
    r"file again|parsed the file again \(the entry could not be removed\))$"
)
_CACHE_WHAT_ZH = {"network": "步行网络", "expressway roads": "快速路"}
_CACHE_REASON_ZH: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^damaged \(checksum mismatch\)$"), "已损坏（校验和不符）"),
    (re.compile(r"^damaged \(empty file\)$"), "已损坏（空文件）"),
    (
        re.compile(r"^damaged \(truncated: (\d+) of (\d+) bytes\)$"),
        "已损坏（文件不完整：只有 {1} 字节中的 {0} 字节）",
    ),
    (re.compile(r"^damaged \(no valid header\)$"), "已损坏（文件头无效）"),
    (
        re.compile(r"^from an older version of eldercircle \(cache version (\d+), now (\d+)\)$"),
        "由旧版 eldercircle 写入（缓存版本 {0}，当前为 {1}）",
    ),
    (
        re.compile(r"^from another version of eldercircle \(cache version (\d+), now (\d+)\)$"),
        "由其他版本的 eldercircle 写入（缓存版本 {0}，当前为 {1}）",
    ),
    (re.compile(r"^damaged \((.+)\)$"), "已损坏（{0}）"),
    (re.compile(r"^unreadable \((.+)\)$"), "无法读取（{0}）"),
)
_CACHE_UNWRITABLE = re.compile(
    r"^the network cache (.+) could not be written \((.+)\); the file is parsed again "
    r"next time$"
)


def _cache_note_zh(message: str) -> str:
    """Chinese for the lines of the network cache (geo/cache.py): a damaged or older entry rebuilt, an unwritable
    cache folder; "" for other messages."""
    m = _CACHE_LINE.match(message)
    if m:
        what, name, folder, reason, done = m.groups()
        why = next((t.format(*r.groups()) for p, t in _CACHE_REASON_ZH if (r := p.match(reason))), reason)
        done_zh = (
            "已删除并重新解析源文件"
            if done.startswith("removed")
            else "已重新解析源文件（该缓存文件无法删除）"
        )
        return f"缓存的{_CACHE_WHAT_ZH[what]} {name}（位于 {folder}）{why}；{done_zh}"
    m = _CACHE_UNWRITABLE.match(message)
    if m:
        return f"步行网络缓存 {m.group(1)} 无法写入（{m.group(2)}）；下次仍将重新解析源文件"
    return ""


def note_zh(message: str | Message) -> str:
    """Chinese for a note of the layer reader (rendered from its code and parameters by :func:`planning.i18n.say`) or
    for a line of the network cache (geo/cache.py, matched on its English form); "" when there is none yet (the
    English then stands in)."""
    if isinstance(message, Message):
        return say(message, "zh")
    return _cache_note_zh(str(message))

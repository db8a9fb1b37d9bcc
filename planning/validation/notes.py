"""Chinese for what geo says: the layer reader's notes (codes with parameters, rendered here) and the lines of the
network cache (geo/cache.py, still English sentences matched on their form)."""

from __future__ import annotations

import re

from geo.layers import Note

#: The Chinese of each note code of the layer reader (:data:`geo.layers.NOTES_EN` has the English), with the same
#: ``{name}`` parameters.
LAYER_NOTES_ZH: dict[str, str] = {
    "text_gb18030": "按 GB18030/GBK 编码读取（文件不是 UTF-8，常见于国内 Excel 导出的 CSV）",
    "coords_from_columns": "坐标取自「{lon}」列（经度）和「{lat}」列（纬度）",
    "geometry_from_wkt": "几何图形取自 WKT 列「{column}」",
    "coords_as_lonlat": (
        "坐标按经纬度（度，EPSG:4326）读取；如为高德 GCJ-02 或百度 BD-09 坐标，请在 study.toml 中设置 coords"
    ),
    "row_without_coords": "「{lon}」/「{lat}」列的坐标缺失或不是数字；请补充该行的经纬度，否则该行不参与分析",
    "row_bad_wkt": "「{column}」列的 WKT 无法读取；请更正该行的几何图形",
    "crs_from_study": "文件中没有坐标系：按 study.toml 的设置使用 {crs}",
    "attributes_gb18030_fallback": "属性按 GB18030/GBK 编码读取（文件声明为 UTF-8，但内容不是有效的 UTF-8）",
    "attributes_utf8": "属性按 UTF-8 编码读取（没有 .cpg 文件，内容是有效的 UTF-8）",
    "attributes_gb18030": (
        "属性按 GB18030/GBK 编码读取（没有 .cpg 文件且内容不是 UTF-8，国内 GIS 导出多为此编码）；"
        "如编码不同，请添加 .cpg 文件说明"
    ),
}


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


def note_zh(message: str | Note) -> str:
    """Chinese for a note of the layer reader (rendered from its code and parameters, :data:`LAYER_NOTES_ZH`) or
    for a line of the network cache (geo/cache.py, matched on its English form); "" when there is none yet (the
    English then stands in)."""
    if isinstance(message, Note):
        return message.render(LAYER_NOTES_ZH)
    return _cache_note_zh(str(message))

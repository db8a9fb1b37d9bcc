"""The Chinese of what geo says: each code of :data:`geo.messages.EN` (the layer reader's notes, the network
cache's lines, geo's errors) with the same ``{name}`` fields; tests/planning/test_i18n.py holds the two to the
same codes and fields."""

from __future__ import annotations

#: geo's message codes in Chinese (:data:`geo.messages.EN` has the English).
GEO_ZH: dict[str, str] = {
    # the layer reader's notes
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

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
    # layers (geo.layers): what a layer is, its path, its CRS
    "none_listed": "（无）",
    "list_separator": "、",
    "layer_label": "{name} 图层「{label}」",
    "layer_path_label": "图层路径「{path}」",
    "layer_path_empty": "图层路径为空；请写出文件名，例如 communities.geojson 或 data.gpkg#layer",
    "path_control_chars": "{where} 含有控制字符；请用普通文字写出文件名",
    "path_is_url": (
        "{where} 是网址；研究区从不下载文件：请自行下载，放入研究区文件夹，并写出相对于 study.toml 的路径"
    ),
    "path_is_gdal_virtual": (
        "{where} 是 GDAL 虚拟路径（/vsi...），研究区不允许使用；请写出研究区文件夹中的文件，路径相对于 "
        "study.toml"
    ),
    "layer_file_missing": (
        "{where}：文件 {path} 不存在；请检查 study.toml 中的路径（相对路径以研究区文件夹为起点）"
    ),
    "layer_is_folder": "{where}：{path} 是文件夹而不是文件；请写出图层文件本身",
    "layer_type_unknown": (
        "{where}：不读取类型为「{suffix}」的文件；请提供 GeoPackage（.gpkg）、GeoJSON（.geojson）、"
        "Shapefile（.shp 或压缩为 .zip）或带经纬度列的 CSV（.csv）"
    ),
    "layer_crs_unknown": (
        '{where}：crs = {crs!r} 不是 pyproj 能识别的坐标参考系；请写成 EPSG:<代码>，例如 crs = "EPSG:4547"'
    ),
    "layer_no_crs": (
        "{where} 没有坐标参考系（缺少 .prj 文件或 SRS）；请补上 .prj 文件，或在 study.toml 中写明，例如 {{ "
        'path = "...", crs = "EPSG:4547" }}'
    ),
    "layer_crs_conflict": (
        "{where}：文件声明的坐标系是 {declared}，而 study.toml 写的是 {stated}；请删除 crs 设置或更正文件"
    ),
    "layer_lonlat_swapped": (
        "{where}：经度和纬度似乎颠倒了（x 为 {x0:.4f}–{x1:.4f}，y 为 {y0:.4f}–{y1:.4f}；中国的经度为 "
        "73–136，纬度为 3–54）；请在文件中对调这两列（或它们的列名）"
    ),
    "layer_coords_out_of_range": (
        "{where}：有 {n} 个坐标超出经度 ±180 / 纬度 ±90 的范围；文件很可能是投影坐标，却被当作经纬度：请在 "
        'study.toml 中写明其坐标系（例如 crs = "EPSG:4547"）'
    ),
    # layers: reading CSV, GeoPackage, GeoJSON and Shapefile files
    "layer_decode_failed": (
        "{where}：无法按 {encoding} 解码该文件（第 {byte} 字节处有无效字节）；请更正 study.toml 中的 "
        "encoding 设置，或将文件另存为 UTF-8"
    ),
    "layer_encoding_unknown": (
        "{where}：Python 不认识编码「{encoding}」；请更正 study.toml 中的 encoding 设置（例如 gb18030 或 "
        "utf-8）"
    ),
    "layer_not_text": "{where}：文件既不是 UTF-8 文本，也不是 GB18030 文本；请另存为 UTF-8 编码的 CSV",
    "csv_empty": "{where}：{file} 是空文件；请重新导出表格，包括表头行和数据行",
    "csv_unreadable": (
        "{where}：{file} 不是可读取的 CSV（有的行字段比表头多，或引号不成对）；请检查分隔符（逗号）和引号"
    ),
    "csv_no_coordinates": (
        "{where}：{file} 没有坐标列；请将列名写为 lon/lat（或 lng、longitude、x / latitude、y、经度 / 纬度）"
        "，或提供 WKT 列（共有 {n} 列，没有一列是这些名称）"
    ),
    "format_other": "其他格式",
    "layer_not_gdal_format": (
        "{where}：{file} 不是 GeoPackage、GeoJSON 或 Shapefile；请提供其中一种，或带经纬度列的 CSV"
    ),
    "layer_cannot_open": (
        "{where}：{file} 无法作为 {what} 打开（文件损坏、不完整或是其他格式）；请从 GIS 软件重新导出为 {what}"
    ),
    "gpkg_no_such_layer": (
        "{where}：GeoPackage {file} 中没有图层「{layer}」；其中的图层为 {names}；请写成例如 {file}#{first}"
    ),
    "gpkg_many_layers": (
        "{where}：GeoPackage {file} 中有 {n} 个图层（{names}）；请写明使用哪一个：{file}#<图层名>"
    ),
    "layer_wrong_driver": (
        "{where}：{file} 被识别为 {opened}，而不是 {what}；只读取 GeoPackage、GeoJSON 和 Shapefile 图层：请"
        "重新导出为其中一种"
    ),
    "layer_unreadable": (
        "{where}：{file} 无法作为 {what} 读取（文件损坏或不完整，或属性是其他编码）；请从 GIS 软件重新导出"
    ),
    "layer_no_geometry": "{where}：{file} 没有几何列；请连同几何图形一起导出，或提供带经纬度列的 CSV",
    # format sniffing (geo.layers.formats): a file's first bytes against the format its name claims
    "format_name_gpkg": "GeoPackage",
    "format_name_geojson": "GeoJSON",
    "format_name_shp": "Shapefile",
    "format_name_zip": "zip",
    "format_name_csv": "CSV 文本",
    "format_name_osm": "OpenStreetMap XML",
    "format_name_osm_bz2": "bzip2 压缩的 OpenStreetMap XML",
    "format_name_osm_pbf": "OpenStreetMap PBF",
    "format_name_graphml": "GraphML",
    "format_fix_gpkg": "请重新导出为 GeoPackage 图层",
    "format_fix_geojson": (
        'GeoJSON 文件应是一个 JSON 对象（{{"type": "FeatureCollection", ...}}）；请重新导出为 GeoJSON'
    ),
    "format_fix_shp": "请提供 Shapefile 本身的 .shp（连同 .shx、.dbf 和 .prj），或重新导出",
    "format_fix_zip": "请重新压缩图层文件",
    "format_fix_csv": "请将表格另存为带经纬度列的 CSV 文本（UTF-8）",
    "format_fix_osm_pbf": "请提供完整的 .osm.pbf 数据（例如从 Geofabrik 下载），或 .osm 文件",
    "format_fix_osm_bz2": "请用 bzip2 压缩 .osm 文件，或直接提供未压缩的文件",
    "format_fix_graphml": "请用 osmnx.save_graphml 保存该图",
    "format_fix_osm_extract": "请提供 OpenStreetMap 数据（.osm、.osm.bz2 或 .osm.pbf）",
    "file_type_unknown": (
        "{where}：研究区不使用 {file} 这类文件；请提供 GeoPackage、GeoJSON、压缩的 Shapefile 或 CSV 图层，或"
        " OSM（.osm、.osm.bz2、.osm.pbf）或 GraphML 路网"
    ),
    "file_cannot_open": "{where}：{file} 无法打开（{reason}）；请检查文件权限",
    "file_wrong_magic": "{where}：{file} 不是 {format} 文件（文件开头的字节属于其他格式）；{fix}",
    "xml_doctype": (
        "{where}：{file} 声明了 DOCTYPE；{claimed} 文件从不需要它，而它可能让读取程序去获取其他文件；请重新"
        "导出不含 DOCTYPE 的文件"
    ),
    "xml_wrong_root": "{where}：{file} 不是 {claimed} 文件（其根元素不是 <{root}>）；{fix}",
    "xml_not_xml": "{where}：{file} 不是 {claimed} 文件（开头不是 XML）；{fix}",
    "xml_no_root": "{where}：{file} 的前 {mb} MB 中没有 <{root}> 元素；请提供完整的 {claimed} 文件",
    # zips (geo.layers.zips): members checked before anything is read
    "zip_member_label": "{where}：{zip} 中的成员",
    "zip_invalid": "{where}：{zip} 不是有效的 zip 文件（已损坏、不完整或是其他格式）；请重新压缩这些文件",
    "zip_duplicate_member": (
        "{where}：{zip} 中有两个名为 {member!r} 的成员（其中一个会悄悄覆盖另一个）；请重新压缩这些文件"
    ),
    "zip_path_escapes": (
        "{where}：{zip} 中的 {member!r} 是越出压缩包文件夹的路径；出于安全考虑，此类压缩包一律拒绝：请只压缩"
        "图层文件，不要带上其上级文件夹"
    ),
    "zip_symlink": (
        "{where}：{zip} 中的 {member!r} 是符号链接；出于安全考虑拒绝链接（链接可以指向服务器上的任何位置）："
        "请压缩文件本身"
    ),
    "zip_encrypted": "{where}：{zip} 中的 {member!r} 已加密；请不设密码重新压缩",
    "zip_damaged": (
        "{where}：{zip} 已损坏（CRC 校验失败，或文件不完整、结构损坏）；该压缩包不可信：请重新压缩并发送新的"
        "压缩包"
    ),
    "zip_unpack_failed": "{where}：{zip} 无法解压到 {folder}（{reason}）；请清理磁盘空间，或使该文件夹可写",
    "zip_too_large": "{where}：{zip} 解压后有 {mb:.1f} MB，超过允许的 {limit_mb:.0f} MB；请发送更小的压缩包",
    "zip_bomb_ratio": (
        "{where}：{zip} 中的成员 {member!r} 压缩了 {ratio:.0f} 倍（疑似压缩炸弹）；压缩超过 {max_ratio} 倍的"
        "压缩包一律拒绝：请按常规方式压缩后发送"
    ),
    "zip_unpacks_too_much": (
        "{where}：{zip} 解压后超过其声明的大小或允许的 {limit_mb:.0f} MB（疑似压缩炸弹）；请发送更小的常规压"
        "缩包"
    ),
    "zip_no_such_member": "{where}：{zip} 中没有成员「{member}」；其中的 Shapefile 为 {shps}",
    "zip_no_shapefile": (
        "{where}：{zip} 中没有 .shp 文件；压缩的 Shapefile 需要 .shp、.shx、.dbf 和 .prj 文件"
    ),
    "zip_many_shapefiles": (
        "{where}：{zip} 中有 {n} 个 Shapefile（{shps}）；请写明使用哪一个：{zip}#<成员.shp>"
    ),
    # writing files (geo.files)
    "output_cannot_write": "无法写入 {path}（{reason}）；{fix}",
    "output_fix_disk_full": "请清理磁盘空间（或提高文件大小限制），或写入其他磁盘",
    "output_fix_permission": "请选择有写入权限的文件夹",
    "output_fix_missing_folder": "请检查路径上的每一级文件夹都已存在，且是文件夹而不是文件",
    "output_fix_is_folder": "请给出文件名，而不是文件夹",
    "output_fix_other": "请检查路径和磁盘",
    # the walking network (geo.network): speeds, files, CRSs, graphs
    "walk_speed_not_number": "步行速度 {value} 不是数字；请给出 {lo} 到 {hi} 之间的米/秒数值，例如 1.0",
    "walk_speed_out_of_range": (
        "步行速度 {speed:g} 米/秒超出允许的 {lo}–{hi} 米/秒；老年人步行速度约为 0.8–1.0 米/秒（STANDARDS.md "
        "D），请给出例如 1.0 的数值"
    ),
    "network_label_lines": "(线要素)",
    "network_crs_not_projected": "路网 {source}：坐标系 {crs} 不是投影坐标系；请先投影为以米为单位的坐标系",
    "network_no_lines": "路网 {source} 中没有可步行的线",
    "network_not_linestring": (
        "路网 {source}：第 {line} 条线是 {kind} 类几何图形，不是 LineString；请先把多线拆分为单线"
    ),
    "network_source_label": "路网数据源 {label}",
    "network_source_empty": (
        "路网数据源为空；请在 study.toml 的 [network] source 中写出 OSM 文件、GraphML 文件、道路中心线图层或"
        " place:<地名>"
    ),
    "network_source_type_unknown": (
        "路网数据源 {path} 的类型无法识别；请提供 OSM 文件（.osm、.osm.bz2、.osm.pbf）、GraphML 文件（"
        ".graphml）、道路中心线图层（.gpkg#图层、.shp、压缩的 .zip、.geojson）或 place:<地名>"
    ),
    "basemap_unreadable": (
        "无法从 OSM 文件 {name} 读取底图（{reason}）；请确认它是完整的 OSM XML 或 PBF 提取文件，"
        '或改为不带底图绘制（basemap = "none"）'
    ),
    "network_file_missing": (
        "路网文件 {path} 不存在；请检查 study.toml 中的 [network] source（相对路径以研究区文件夹为起点）"
    ),
    "network_source_is_folder": (
        "路网数据源 {label} 是文件夹而不是文件；请写出 OSM、GraphML 或道路中心线文件本身"
    ),
    "network_file_cannot_open": "路网文件 {path} 无法打开（{reason}）；请检查文件权限",
    "network_crs_unknown": (
        "路网 {label}：{crs} 不是 pyproj 能识别的坐标系（{reason}）；请给出例如 EPSG:4547 或 EPSG:32650 的坐"
        "标系"
    ),
    "network_target_not_projected": (
        "路网 {label}：目标坐标系 {crs} 不是投影坐标系；请给出研究区以米为单位的坐标系（例如 UTM 分带，东经 "
        "114–120° 为 EPSG:32650）"
    ),
    "xml_not_well_formed": "第 {line} 行第 {column} 列的 XML 格式不正确",
    "xml_truncated": "文件不完整或已损坏",
    "xml_unexpected_content": "其元素或属性不符合该格式",
    "graphml_unreadable": (
        "GraphML 文件 {label} 无法读取（{reason}）；请用 osmnx.save_graphml 重新保存该图，或直接提供 OSM 文件"
    ),
    "graphml_no_edges": (
        "GraphML 文件 {label} 中没有边；请保存包含街道的图（例如 osmnx.graph_from_place(..., "
        "network_type='walk')）"
    ),
    "graphml_edges_read": "GraphML：{n} 条有向边按无向路段读取",
    "network_nodes_without_xy": (
        "路网 {source}：有 {n} 个节点没有 x/y 坐标；请用 osmnx 保存该图（节点需要 x 和 y 属性）"
    ),
    "network_no_walkable_ways": "路网 {source} 筛选后没有可步行的道路；请提供包含研究区人行道和街道的路网",
    "network_cannot_project": "路网 {source}：节点坐标无法投影到 {crs}；请检查该图的 crs 属性",
    "network_empty": "{context}：步行路网为空；请提供覆盖研究区的路网",
    "network_no_overlap": (
        "{context}：步行路网（x {nx0:.0f}–{nx1:.0f} 米，y {ny0:.0f}–{ny1:.0f} 米）与研究区图层（x "
        "{minx:.0f}–{maxx:.0f} 米，y {miny:.0f}–{maxy:.0f} 米，均为 {crs}）不重叠，两者相距 {gap_km:.1f} 公"
        "里；常见原因：路网文件覆盖的是其他地区，GCJ-02（高德）或 BD-09（百度）坐标被当作 WGS84（请设置 "
        'coords = "gcj02" 或 "bd09"），或 crs 设置有误'
    ),
    # OpenStreetMap sources (geo.network.osm): errors, and the notes on what was kept and left out
    "network_place_empty": "place: 后面没有地名；请写成例如 place:信州区, 上饶市, 江西省，或提供 OSM 文件",
    "network_download_failed": (
        "无法从 OpenStreetMap 下载「{place}」的步行路网（{reason}）；请检查网络连接和地名，或下载 OSM 数据并"
        "在 [network] source 中写出该文件"
    ),
    "osm_no_data": "{label} 中没有可步行的道路（文件中没有 OSM 节点或道路）；请提供研究区的 OSM 数据",
    "osm_not_xml": (
        "{label} 无法作为 OSM XML 读取（{reason}）；请检查它是否为完整的 OpenStreetMap XML 文件（.osm）"
    ),
    "osm_unreadable_xml": (
        "{label} 无法作为 OSM XML 读取（{reason}）；请检查它是否为完整的、未压缩或 bzip2 压缩的 "
        "OpenStreetMap XML 文件"
    ),
    "osm_no_walkable_ways": (
        "{label} 中没有可步行的道路（找到的是：{listed}{extra}）；请提供包含研究区人行道和街道的数据"
    ),
    "osm_no_highway_ways": "没有任何 highway 道路",
    "osm_untagged_ways": "；另有 {n} 条要素（建筑、用地等）没有 highway 标签",
    "osm_left_out_tag": "{tag} {n} 条",
    "osm_left_out_no_foot": "{tag}（无 foot=yes 或 sidewalk）{n} 条",
    "osm_why_pbf": "它是 PBF 文件",
    "osm_why_clipped": "其中的道路引用了文件中没有的节点（裁剪过的数据）",
    "osm_needs_pyosmium": (
        "{label} 无法直接读取，因为{reason}；请安装 pyosmium（pip install osmium），或先行转换，例如 osmium "
        "cat --strategy complete_ways in.osm.pbf -o streets.osm"
    ),
    "osm_unreadable_file": (
        "{label} 无法作为 OSM 文件读取（文件损坏或不完整）；请检查它是否为完整的 .osm.pbf 或 .osm 文件"
    ),
    "osm_ways_kept": "保留了 {n} 条可步行的 OSM 道路",
    "osm_left_out": "未纳入：{found}",
    "osm_private_left_out": (
        "私有道路（封闭小区内）未纳入；如居民可以穿行，请在 [network] 中设置 include_private = true"
    ),
    "osm_ways_cut": "超出数据范围的道路已在缺失节点处截断",
    "osm_downloaded": "用 osmnx 下载（network_type='walk'）",
    # street-centreline layers (geo.network.centrelines): errors, and the notes on how lines were noded
    "geometry_points": "点",
    "geometry_polygons": "面",
    "geometry_collections": "混合几何集合",
    "geometry_empty": "空几何",
    "geometry_other": "非线几何",
    "centreline_not_lines": (
        "道路中心线图层 {label} 是{what}图层；路网需要道路中心线（LineString），请提供道路中心线图层（或 "
        "OSM 文件）"
    ),
    "centreline_only_expressways": (
        "道路中心线图层 {label} 中没有可步行的线（全部 {n} 条线都是快速路或高速公路）；请提供普通街道和人行"
        "道的图层"
    ),
    "centreline_frame_no_crs": (
        "道路中心线图层 {label} 没有坐标参考系；请设置其坐标系（GeoDataFrame.set_crs）或传入 layer_crs"
    ),
    "centreline_empty_lines": "道路中心线图层 {label} 中只有空线或长度为零的线；请重新导出街道几何图形",
    "centreline_file_no_crs": (
        "道路中心线图层 {label} 没有坐标参考系（缺少 .prj 文件或 SRS）；请补上 Shapefile 的 .prj 文件（或连"
        '同坐标系导出为 GeoPackage），或写明图层的坐标系，例如 layer_crs="EPSG:4547"'
    ),
    "centreline_rows_not_lines": "未纳入 {n} 行不是线的要素（行号：{rows}）",
    "centreline_rows_more": "{shown} 等，另有 {more} 行",
    "centreline_expressways_left_out": (
        "未纳入 {n} 条快速路或高速公路（{columns} 列中为 motorway/高速公路/快速路）：行人不能在其上步行"
    ),
    "centreline_noded": "{n_lines} 条道路中心线在 {n_splits} 处交叉口和连接点处分为 {n_pieces} 个路段",
    "centreline_noded_one": "{n_lines} 条道路中心线在 {n_splits} 处交叉口和连接点处分为 {n_pieces} 个路段",
    "centreline_passing": "其中 {n} 条从其他道路上方或下方经过（{columns} 列），只在两端与其他街道相连",
    # the network cache's lines (geo.cache): an entry not used, and why; a cache folder that cannot be written
    "cache_what_network": "步行网络",
    "cache_what_roads": "快速路",
    "cache_what_basemap": "底图",
    "cache_entry_rebuilt": "缓存的{what} {name}（位于 {folder}）{reason}；已删除并重新解析源文件",
    "cache_entry_kept": (
        "缓存的{what} {name}（位于 {folder}）{reason}；已重新解析源文件（该缓存文件无法删除）"
    ),
    "cache_unwritable": "步行网络缓存 {folder} 无法写入（{reason}）；下次仍将重新解析源文件",
    "cache_damaged_empty": "已损坏（空文件）",
    "cache_damaged_no_header": "已损坏（文件头无效）",
    "cache_damaged_other_kind": "已损坏（文件头属于另一类缓存）",
    "cache_damaged_truncated": "已损坏（文件不完整：只有 {size} 字节中的 {got} 字节）",
    "cache_damaged_extra": "已损坏（比写入时多出 {n} 字节）",
    "cache_damaged_checksum": "已损坏（校验和不符）",
    "cache_damaged_payload": "已损坏（数据无法读取：{error}）",
    "cache_damaged_meta_version": "已损坏（元数据属于其他版本）",
    "cache_damaged_not_network": "已损坏（不是步行网络：{error}）",
    "cache_damaged_not_roads": "已损坏（不是快速路表：{error}）",
    "cache_damaged_not_basemap": "已损坏（不是底图表：{error}）",
    "cache_unreadable": "无法读取（{reason}）",
    "cache_older_version": "由旧版 eldercircle 写入（缓存版本 {version}，当前为 {now}）",
    "cache_other_version": "由其他版本的 eldercircle 写入（缓存版本 {version}，当前为 {now}）",
    # expressways (geo.roads)
    "osm_file_label": "OSM 文件 {path}",
    "roads_file_missing": "OSM 文件 {path} 不存在；请提供研究区的 OSM 数据，以便从中读取快速路",
    "roads_not_osm_xml": (
        "{path} 不是 OSM XML 文件（.osm 或 .osm.bz2）；请先转换（例如 osmium cat in.pbf -o out.osm），再从中"
        "读取快速路"
    ),
    "roads_unreadable": "无法从 OSM 文件 {path} 中读取快速路（{error}）；请检查它是否为有效、完整的 OSM XML",
    # coordinate systems (geo.crs)
    "crs_unknown": (
        '{context}：{declared} 不是 pyproj 能识别的坐标参考系；请给出投影坐标系，例如 "EPSG:4547"（CGCS2000 '
        "/ 3 度带高斯-克吕格投影，中央经线 114°E），或删去该设置，使用研究区所在的 UTM 分带"
    ),
    "crs_geographic": (
        "{context}：{label} 是地理坐标系（单位为度），而距离和面积需要以米为单位的投影坐标系；请给出投影坐标"
        '系，例如 "EPSG:4547"（CGCS2000 / 3 度带高斯-克吕格投影，中央经线 114°E），或删去该设置，使用研究区'
        "所在的 UTM 分带（经纬度图层始终按 WGS 84 读取）"
    ),
    "crs_not_projected": (
        '{context}：{label} 不是投影坐标系；请给出投影坐标系，例如 "EPSG:4547"（CGCS2000 / 3 度带高斯-克吕格'
        "投影，中央经线 114°E），或删去该设置，使用研究区所在的 UTM 分带"
    ),
    "crs_not_metres": (
        '{context}：{label} 的单位是 {units}，不是米；请给出以米为单位的投影坐标系，例如 "EPSG:4547"（'
        "CGCS2000 / 3 度带高斯-克吕格投影，中央经线 114°E），或删去该设置，使用研究区所在的 UTM 分带"
    ),
    "coords_on_other_datum": (
        "{layer} 图层 {source!r} 的坐标系为 {crs}，不是 WGS84 经纬度，不可能是 study.toml 所写的 coords = "
        '"{coords}"；请在该图层的 [layers] 项中写明 coords = "wgs84"（{layer} = {{ path = "{source}", '
        'coords = "wgs84" }}），或先将图层转换为 WGS84'
    ),
    "coords_on_projected_layer": (
        "{layer} 图层 {source!r} 为投影坐标系 {crs}，而其 [layers] 项写有 coords = "
        '"{coords}"：这是经纬度坐标系，投影坐标无法由它转换；请删去该项中的 coords，或提供经纬度坐标的图层'
    ),
    "coords_unknown": (
        '坐标系 {coords} 不在 {systems} 之中；高德或腾讯的数据请写 coords = "gcj02"，百度的数据请写 coords '
        '= "bd09"，WGS 84（GPS、OpenStreetMap）数据则不写此项'
    ),
    # walking times and service areas (geo.travel, geo.service_area)
    "time_limit_not_number": "时间上限 {value} 不是数字；请给出秒数，例如 15 分钟为 900",
    "time_limit_negative": "时间上限 {value} 秒为负数或 NaN；请给出 >= 0 的秒数，例如 15 分钟为 900",
    "max_distance_negative": "max_distance_m {value} 为负数或 NaN；请给出 >= 0 的米数，例如 300",
    "nearest_times_no_sources": "nearest_times 需要 source_xy 或 source_snap；请给出设施的坐标",
    "nearest_times_no_targets": "nearest_times 需要 target_xy 或 target_snap；请给出需求点的坐标",
    "minutes_not_numbers": "分钟数 {value} 不是数字；请给出递增的分钟数，例如 5,10,15",
    "minutes_not_increasing": "分钟数 {value} 必须为正数且严格递增；例如 5,10,15",
    "service_area_mode_unknown": "服务圈模式 {mode} 无法识别；请使用 {modes} 之一",
    "buffer_not_number": "buffer_m {value} 不是数字；请给出米数，例如 50",
    "buffer_not_positive": "buffer_m {value} 必须是正的米数，例如 50",
    # progress (geo.progress)
    "progress_network_download": "正在下载 {place} 的步行路网",
    "progress_network_reading": "正在从 {name} 读取步行路网",
    "progress_network_size": "步行路网：{n_nodes} 个节点，{n_edges} 条路段",
    "progress_network_read": "已读取 {n_nodes} 个节点、{n_ways} 条道路",
    "progress_network_building": "正在构建步行路网（在街道交汇处连接）",
    "progress_network_saving": "正在把步行路网存入缓存",
    "progress_network_size_cached": "步行路网：{n_nodes} 个节点，{n_edges} 条路段（取自缓存）",
    "progress_facilities_placing": "正在把设施落到路网上",
    "progress_facility_times": "正在计算各设施出发的步行时间",
    "progress_network_blocks": "正在划分路网街块",
    "progress_band_areas": "正在计算 {n_band} 个时间圈层的服务范围",
    "progress_band_nearest": "第 {band}/{n_band} 个时间圈层：按最近设施划分服务范围",
    "progress_facility_batch": "正在计算第 {first}-{last} 处设施的服务圈（共 {total} 处）",
    "progress_service_areas_done": "服务圈计算完成",
}

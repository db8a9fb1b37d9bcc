"""The sentences of planning's errors: each code with its Chinese and English text (``{name}`` fields are the
error's parameters, a parameter may itself be a message). Raise them as ``OptionError(message(code, **params))``
(:func:`planning.i18n.message`)."""

from __future__ import annotations

#: Shared parts of the sentences that refuse a path in a confined study.
_OWN_EN = "uploaded and public studies may only read their own files"
_OWN_ZH = "上传的和公开的研究区只能读取自身文件夹中的文件"
_FIX_EN = 'name a file inside the study folder, relative to study.toml (e.g. "facilities.csv")'
_FIX_ZH = '写研究区文件夹内的文件，路径相对于 study.toml（例如 "facilities.csv"）'
_DEMO_EN = "(run `eldercircle demo --out DIR` for an example)"
_DEMO_ZH = "（可运行 `eldercircle demo --out DIR` 生成示例）"

#: Reading a study: study.toml, its layers and settings, uploads and zips, validation, presets, the demo writer.
_STUDY: dict[str, tuple[str, str]] = {
    # parts of sentences: a list of problems, who says it, words inside a sentence
    "err_parts": ("{first}；{rest}", "{first}; {rest}"),
    "err_in_study": ("研究区 {study}：{error}", "study {study}: {error}"),
    "err_where_study": ("研究区", "study"),
    "err_where_uploaded_study": ("上传的研究区", "uploaded study"),
    "err_where_uploaded_file": ("上传的文件「{name}」", "uploaded file {name!r}"),
    "err_where_study_source": ("研究区 {study}：[network] source", "study {study}: [network] source"),
    "err_columns_none": ("（无）", "(none)"),
    "err_column_accepted": ("{column}（可用列名：{names}）", "{column} (accepted: {names})"),
    # study.toml
    "err_study_missing": (
        f"研究区 {{path}} 不存在；请给出含 study.toml 的文件夹{_DEMO_ZH}",
        f"study {{path}} does not exist; give the folder that holds study.toml {_DEMO_EN}",
    ),
    "err_study_no_toml": (
        "研究区文件夹 {path} 中没有 study.toml；请新建一个并写明各图层（见 README 的「The study format」一节），"
        "或运行 `eldercircle demo --out DIR` 生成示例",
        "study folder {path} has no study.toml; create one naming the layers (see README, 'The study format'), "
        "or run `eldercircle demo --out DIR` for an example",
    ),
    "err_toml_invalid": (
        "{path} 不是有效的 TOML 文件（{error}）；请改正其中指出的那一行",
        "{path} is not valid TOML ({error}); fix the line it names",
    ),
    "err_toml_not_utf8": (
        "{path} 不是 UTF-8 编码的文本；请另存为 UTF-8 编码",
        "{path} is not UTF-8 text; save it as UTF-8",
    ),
    "err_toml_symlink": (
        f"{{path}} 是符号链接；{_OWN_ZH}：请把 study.toml 文件本身放进研究区文件夹",
        f"{{path}} is a symbolic link; {_OWN_EN}: put the study.toml itself in the folder",
    ),
    "err_study_coords": (
        "{toml}：[study] coords = {coords!r} 不是 {systems} 之一；高德/腾讯数据用 gcj02，百度数据用 bd09，"
        "GPS/OSM 数据用 wgs84",
        "{toml}: [study] coords = {coords!r} is not one of {systems}; use gcj02 for Amap/Tencent data, bd09 for "
        "Baidu, wgs84 for GPS/OSM",
    ),
    "err_no_layers_table": (
        "{toml} 中没有 [layers] 表；请添加该表，至少写明 communities 和 facilities 两个图层",
        "{toml} has no [layers] table; add one naming at least communities and facilities",
    ),
    "err_not_a_table": (
        "{toml}：{table} 必须是表（[{table}]），而不是 {kind}",
        "{toml}: {table} must be a table ([{table}]), not {kind}",
    ),
    "err_layers_no_entry": (
        '{toml}：[layers] 中没有 {name} 项；请添加，例如 {name} = "{name}.geojson"',
        '{toml}: [layers] has no {name} entry; add e.g. {name} = "{name}.geojson"',
    ),
    "err_layer_entry": (
        "{toml}：[layers] {name} 必须是路径字符串，或含 path = ... 的表",
        "{toml}: [layers] {name} must be a path string or a table with path = ...",
    ),
    "err_layer_options_unknown": (
        "{toml}：[layers] {name} 只接受 path、encoding、crs、coords 选项；未知选项：{options}",
        "{toml}: [layers] {name} takes path, encoding, crs, coords; unknown {options}",
    ),
    "err_layer_options_no_path": (
        "{toml}：[layers] {name} 只接受 path、encoding、crs、coords 选项；缺少 path",
        "{toml}: [layers] {name} takes path, encoding, crs, coords; path is missing",
    ),
    "err_layer_path_type": (
        '{toml}：[layers] {name} 的 path 必须是加引号的文件名，例如 "{name}.geojson"',
        '{toml}: [layers] {name} path must be a file name in quotes, e.g. "{name}.geojson"',
    ),
    "err_layer_coords": (
        "{toml}：[layers] {name} 的 coords = {coords!r} 不是 {systems} 之一",
        "{toml}: [layers] {name} coords = {coords!r} is not one of {systems}",
    ),
    "err_walk_speed_in_study": (
        "{toml} [network] walk_speed_m_s：{error}",
        "{toml} [network] walk_speed_m_s: {error}",
    ),
    "err_overrides_not_table": (
        "{toml}：[standards] 的 overrides 必须是表，例如 [standards.overrides] land_per_resident_m2 = 0.2",
        "{toml}: [standards] overrides must be a table such as [standards.overrides] land_per_resident_m2 = 0.2",
    ),
    # the layers as read
    "err_layer_no_rows": (
        "{layer} 图层「{source}」没有任何数据行；请补充数据，或从 study.toml 中删去该图层",
        "{layer} layer {source!r} has no rows; fill it or remove it from study.toml",
    ),
    "err_communities_no_geometry": (
        "communities 图层（社区/村）没有可用的几何图形：每一行都是空的",
        "communities layer has no usable geometry; every row is empty",
    ),
    "err_layer_far_away": (
        "{layer} 图层「{source}」离社区/村很远（其 {n} 个点没有一个在社区/村 {km:.1f} km 以内）；请检查其坐标系，"
        "是否把 GCJ-02/BD-09 坐标当作 WGS84 读取，或是否为其他城市的数据",
        "{layer} layer {source!r} lies nowhere near the communities (none of its {n} points within {km:.1f} km "
        "of them); check its CRS, or whether it is GCJ-02/BD-09 data read as WGS84 or from another city",
    ),
    "err_missing_column": (
        "{layer} 图层「{source}」缺少必填列 {columns}；文件中的列：{found}；请在文件中重命名相应的列",
        "{layer} layer {source!r} lacks the required column {columns}; columns found: {found}; rename the column "
        "in the file",
    ),
    "err_missing_columns": (
        "{layer} 图层「{source}」缺少必填列 {columns}；文件中的列：{found}；请在文件中重命名相应的列",
        "{layer} layer {source!r} lacks the required columns {columns}; columns found: {found}; rename the "
        "column in the file",
    ),
    "err_layer_not_polygons": (
        "{layer} 图层「{source}」中是 {found} 几何图形；{layer} 图层必须是面（边界多边形）：请改为导出面图层",
        "{layer} layer {source!r} holds {found} geometries; {layer} must be polygons (their boundaries): export "
        "the polygon layer instead",
    ),
    # paths a confined study names
    "err_path_fetches": (
        f"{{where}}「{{text}}」会从互联网获取数据，上传的和公开的研究区不允许这样做；请把文件放进研究区，并{_FIX_ZH}",
        "{where} {text!r} would fetch data from the internet, which uploaded and public studies may not do; "
        f"put the file in the study and {_FIX_EN}",
    ),
    "err_path_home": (
        f"{{where}}「{{text}}」指向用户主目录；{_OWN_ZH}：请{_FIX_ZH}",
        f"{{where}} {{text!r}} points into a home folder; {_OWN_EN}: {_FIX_EN}",
    ),
    "err_path_absolute": (
        f"{{where}}「{{text}}」是绝对路径；{_OWN_ZH}：请{_FIX_ZH}",
        f"{{where}} {{text!r}} is an absolute path; {_OWN_EN}: {_FIX_EN}",
    ),
    "err_path_climbs": (
        f"{{where}}「{{text}}」用 .. 跳出了研究区文件夹；{_OWN_ZH}：请{_FIX_ZH}",
        f"{{where}} {{text!r}} climbs out of the study folder (..); {_OWN_EN}: {_FIX_EN}",
    ),
    "err_path_no_file": (
        f"{{where}}「{{text}}」没有写明文件；请{_FIX_ZH}",
        f"{{where}} {{text!r}} names no file; {_FIX_EN}",
    ),
    "err_path_symlink": (
        f"{{where}}「{{text}}」经过符号链接；{_OWN_ZH}：请把文件本身放进研究区，并{_FIX_ZH}",
        f"{{where}} {{text!r}} passes through a symbolic link; {_OWN_EN}: put the file itself in the study and "
        f"{_FIX_EN}",
    ),
    "err_path_outside": (
        f"{{where}}「{{text}}」指向研究区文件夹之外；请{_FIX_ZH}",
        f"{{where}} {{text!r}} leads outside the study folder; {_FIX_EN}",
    ),
    "err_crs_not_code": (
        '{where} = {value!r} 不是坐标系代码；上传的和公开的研究区须把坐标系写成 EPSG:<代码>，例如 crs = "EPSG:4547"',
        "{where} = {value!r} is not an authority code; uploaded and public studies write the CRS as "
        'EPSG:<code>, e.g. crs = "EPSG:4547"',
    ),
    # [network] source
    "err_source_not_text": (
        '{where} 必须是加引号的文件名，例如 source = "streets.osm"',
        '{where} must be a file name in quotes, e.g. source = "streets.osm"',
    ),
    "err_source_empty": (
        "{where} 为空；请写明 OSM 文件、GraphML 文件或道路中心线图层",
        "{where} is empty; name an OSM file, a GraphML file or a street-centreline layer",
    ),
    "err_source_download": (
        "{where}「{text}」会从互联网下载路网，上传的和公开的研究区不允许这样做；请把该地区的 OSM 数据（.osm、"
        '.osm.pbf）放进研究区并写明文件名，例如 source = "streets.osm"',
        "{where} {text!r} would download the network from the internet, which uploaded and public studies may "
        'not do; put an OSM extract (.osm, .osm.pbf) of the area in the study and name it, e.g. source = "streets.osm"',
    ),
    "err_source_missing": (
        "{where}「{text}」在 {folder} 中不存在；请给出 OSM 文件、GraphML 文件或道路中心线图层，或写 "
        "place:<地名> 在线下载",
        "{where} {text!r} does not exist in {folder}; give the OSM file, GraphML or centreline layer, or "
        "place:<name> to download it",
    ),
    "err_source_missing_confined": (
        "{where}「{text}」在 {folder} 中不存在；请给出 OSM 文件、GraphML 文件或道路中心线图层",
        "{where} {text!r} does not exist in {folder}; give the OSM file, GraphML or centreline layer",
    ),
    "err_source_not_file": (
        "{where}「{text}」不是文件；请写明 OSM、GraphML 或道路中心线文件本身",
        "{where} {text!r} is not a file; name the OSM, GraphML or centreline file itself",
    ),
    "err_source_type": (
        "{where}「{text}」的文件类型不能用作步行网络；请给出 OSM 文件（.osm、.osm.bz2、.osm.pbf）、GraphML 文件"
        "（.graphml）或道路中心线图层（.gpkg#图层名、.geojson、zip 压缩的 Shapefile）",
        "{where} {text!r} is of a type networks do not use; give an OSM file (.osm, .osm.bz2, .osm.pbf), a "
        "GraphML file (.graphml) or a street-centreline layer (.gpkg#layer, .geojson, zipped Shapefile)",
    ),
    "err_bz2_bomb": (
        "{where}「{text}」解压后超过 {limit}（可能是 bzip2 炸弹）；请提供裁剪到研究区范围的更小数据",
        "{where} {text!r} decompresses to more than {limit} (a bzip2 bomb?); give a smaller extract, clipped to "
        "the study area",
    ),
    "err_bz2_damaged": (
        "{where}「{text}」是损坏或不完整的 bzip2 文件；请重新压缩该 .osm 文件",
        "{where} {text!r} is a damaged or truncated bzip2 file; compress the .osm file again",
    ),
    # uploads
    "err_upload_too_big": (
        "上传的文件「{name}」大小为 {size}，超过 {max_mb:g} MB 的上限；请上传更小的数据（把路网裁剪到研究区范围），"
        "或在自己的电脑上运行本应用、使用本地研究区文件夹",
        "upload {name!r} is {size}, above the {max_mb:g} MB limit; upload a smaller extract (clip the network to "
        "the study area) or run the app on your own machine with a local study folder",
    ),
    "err_upload_type": (
        "{where}的文件类型本应用无法读取；请上传 GeoPackage、GeoJSON、zip 压缩的 Shapefile 或 CSV 图层，"
        "或 OSM（.osm、.osm.bz2、.osm.pbf）、GraphML 路网",
        "{where} is of a type the app does not read; upload a GeoPackage, GeoJSON, zipped Shapefile or CSV "
        "layer, or an OSM (.osm, .osm.bz2, .osm.pbf) or GraphML network",
    ),
    "err_upload_zip_types": (
        "{where}中有图层用不到的文件类型：{files}；请只压缩 Shapefile 的 .shp、.shx、.dbf、.prj（及 .cpg）文件",
        "{where} holds files of a type a layer does not use: {files}; zip only the Shapefile's .shp, .shx, "
        ".dbf, .prj (and .cpg)",
    ),
    "err_layer_role": (
        "未知的图层角色 {role!r}；请使用 {roles} 之一",
        "unknown layer role {role!r}; use one of {roles}",
    ),
    "err_mapping_missing": (
        "{role} 图层：请为必填字段 {columns} 选择文件中的列",
        "{role} layer: choose the file's column for {columns} (required)",
    ),
    "err_mapping_twice": (
        "{role} 图层：列 {columns} 被选给了多个字段；文件中的每一列只能选一次",
        "{role} layer: column {columns} is chosen for more than one field; pick each file column once",
    ),
    "err_mapping_stray": (
        "{role} 图层：文件中没有列 {columns}",
        "{role} layer: column {columns} is not in the file",
    ),
    "err_layer_required": (
        "必须有 {role} 图层；请上传（GeoPackage、GeoJSON、zip 压缩的 Shapefile，或含经纬度列的 CSV）",
        "the {role} layer is required; upload it (GeoPackage, GeoJSON, zipped Shapefile or CSV with lon/lat "
        "columns)",
    ),
    # zipped studies
    "err_upload_not_zip": (
        "上传的文件「{name}」不是 .zip 文件；请把研究区文件夹（含 study.toml）压缩后上传该 .zip，"
        "或在「数据」页上传单个图层",
        "upload {name!r} is not a .zip file; zip the study folder (with its study.toml) and upload the .zip, "
        "or upload single layers on the Data page",
    ),
    "err_zip_file_types": (
        "{where}：{name} 中有研究区用不到的文件类型：{files}；请删除这些文件后重新压缩（可用类型：{types}）",
        "{where}: {name} holds files of a type a study does not use: {files}; remove them and zip again "
        "(accepted: {types})",
    ),
    "err_zip_file_types_more": (
        "{where}：{name} 中有研究区用不到的文件类型：{files} 等（另有 {more} 个）；请删除这些文件后重新压缩"
        "（可用类型：{types}）",
        "{where}: {name} holds files of a type a study does not use: {files} and {more} more; remove them and "
        "zip again (accepted: {types})",
    ),
    "err_zip_too_big": (
        "{where}：{name} 解压后为 {size}，超过上传上限 {limit:g} MB 的 {factor} 倍；请上传更小的研究区",
        "{where}: {name} would unpack to {size}, more than {factor} times the {limit:g} MB upload limit; "
        "upload a smaller study",
    ),
    "err_zip_no_toml": (
        f"{{where}} {{name}} 中没有 study.toml；请压缩含 study.toml 的研究区文件夹{_DEMO_ZH}",
        f"{{where}} {{name}} holds no study.toml; zip the study folder that contains study.toml {_DEMO_EN}",
    ),
    "err_zip_many_tomls": (
        "{where} {name} 中有 {n} 个 study.toml 文件（{listed}）；请一次只提交一个研究区",
        "{where} {name} holds {n} study.toml files ({listed}); send one study at a time",
    ),
    "err_zip_missing": (
        "研究区 {path} 不存在或不是文件；请给出研究区文件夹或其 .zip 压缩包",
        "study {path} does not exist or is not a file; give the study folder or its .zip",
    ),
    "err_zip_unreadable": (
        "研究区 {path} 无法读取（{reason}）；请检查文件权限",
        "study {path} cannot be read ({reason}); check its permissions",
    ),
    "err_zip_unpack_failed": (
        "研究区 {path} 无法解压到 {folder}；请清理磁盘空间，或把 ELDERCIRCLE_CACHE_DIR 设为可写入的文件夹",
        "study {path} could not be unpacked into {folder}; free some disk space or set ELDERCIRCLE_CACHE_DIR to "
        "a folder you can write to",
    ),
    # standards presets and overrides
    "err_preset_unknown": (
        "[standards] preset {preset!r} 不是已知的标准预设；请从 {presets} 中选择",
        "[standards] preset {preset!r} is unknown; choose one of {presets}",
    ),
    "err_override_not_rule": (
        "[standards.overrides] {rule} 不是标准条目；条目编号中已写明单位，可用的编号：{rules}",
        "[standards.overrides] {rule} is not a rule; rule ids name their unit: {rules}",
    ),
    "err_override_not_rule_close": (
        "[standards.overrides] {rule} 不是标准条目（是否应为 {close}？）；条目编号中已写明单位，可用的编号：{rules}",
        "[standards.overrides] {rule} is not a rule (did you mean {close}?); rule ids name their unit: {rules}",
    ),
    "err_override_not_number": (
        "{where} 必须是以 {unit} 为单位的数字；例如写 {example}",
        "{where} must be a number in {unit}; write e.g. {example}",
    ),
    "err_override_with_unit": (
        "{where} 不是单纯的数字：单位已由条目编号确定（{unit}），只需写数字，例如 {example}",
        "{where} is not a plain number: the unit is fixed by the rule id ({unit}), so write only the number, "
        "e.g. {example}",
    ),
    "err_override_negative": (
        "{where} 必须是不小于 0 {unit} 的有限数字；例如写 {example}",
        "{where} must be a finite number of at least 0 {unit}; write e.g. {example}",
    ),
    "err_override_share": (
        "{where} 是比例，必须在 0 到 1 之间（85% 写作 0.85）；例如写 {example}",
        "{where} is a share and must be between 0 and 1 (0.85 for 85 %); write e.g. {example}",
    ),
    # the units of a rule inside those sentences (planning.standards.rules.UNITS)
    "err_unit_m2_per_resident": ("㎡/人", "m²/resident"),
    "err_unit_m2_per_100_households": ("㎡/百户", "m²/100 households"),
    "err_unit_m2": ("㎡", "m²"),
    "err_unit_share": ("%", "%"),
    "err_unit_beds_per_1000_elderly": ("床/千名老人", "beds/1000 elderly"),
    "err_unit_beds_per_10000_elderly": ("床/万名老人", "beds/10 000 elderly"),
    "err_unit_m": ("米", "m"),
    "err_unit_beds": ("床", "beds"),
    "err_unit_m2_per_bed": ("㎡/床", "m²/bed"),
    # the demo writer
    "err_demo_out_is_file": (
        "{folder} 是文件而不是文件夹；请为演示研究区指定一个新的或空的文件夹",
        "{folder} is a file, not a folder; give a new or empty folder for the demo study",
    ),
    "err_demo_out_not_empty": (
        "文件夹 {folder} 不是空的；请为演示研究区指定一个新的或空的文件夹，或使用 --force（overwrite=True）"
        "只替换其中演示数据自身的文件",
        "folder {folder} is not empty; give a new or empty folder for the demo study, or use --force "
        "(overwrite=True) to replace only the demo's own files in it",
    ),
    "err_demo_write_failed": (
        "无法把演示研究区写入 {folder}（{reason}）；请选择有写入权限的文件夹",
        "cannot write the demo study into {folder} ({reason}); choose a folder you may write to",
    ),
}


#: Running the analyses and writing their outputs: options of coverage, siting and the check, the report, the CLI.
_RUN: dict[str, tuple[str, str]] = {
    # words used inside other sentences
    "err_the_study": ("研究区", "the study"),
    "err_none_word": ("无", "none"),
    "err_none_listed": ("（无）", "(none)"),
    "err_joined": ("{first}；{rest}", "{first}; {rest}"),
    # walking-time bands and facility kinds (--minutes, --kinds)
    "err_minutes_example": (
        "请给出以逗号分隔的整数分钟，例如 5,10,15",
        "give whole minutes separated by commas, e.g. 5,10,15",
    ),
    "err_minutes_hint_commas": ("请用逗号分隔各分钟数", "separate the minutes with commas"),
    "err_minutes_hint_whole": ("请给出整数", "give whole numbers"),
    "err_minutes_blank": (
        "{option} {shown!r} 没有给出任何分钟数；{example}",
        "{option} {shown!r} gives no minutes; {example}",
    ),
    "err_minutes_none": ("{option} 没有给出任何分钟数；{example}", "{option} gives no minutes; {example}"),
    "err_minutes_too_many": (
        "{option} {shown!r} 给出了 {n} 个时间段；最多只能给出 {max_bands} 个，例如 5,10,15",
        "{option} {shown!r} gives {n} bands; give at most {max_bands}, e.g. 5,10,15",
    ),
    "err_minutes_repeated": (
        "{option} {shown!r}：{value} 出现了两次，但时间段必须递增；每个时间段只写一次，例如 5,10,15",
        "{option} {shown!r}: {value} is given twice, but bands must increase; give each band once, e.g. 5,10,15",
    ),
    "err_minutes_decreasing": (
        "{option} {shown!r}：{value} 排在 {previous} 之后，但时间段必须递增；请从短到长排列，例如 5,10,15",
        "{option} {shown!r}: {value} comes after {previous}, but bands must increase; give them from the "
        "shortest to the longest, e.g. 5,10,15",
    ),
    "err_list_item_empty": (
        "{option} {shown!r}：第 {n} 项为空；{example}",
        "{option} {shown!r}: item {n} is empty; {example}",
    ),
    "err_minutes_not_whole_hint": (
        "{option} {shown!r}：第 {n} 项（{text!r}）不是整数分钟；{hint}，例如 5,10,15",
        "{option} {shown!r}: item {n} ({text!r}) is not a whole number of minutes; {hint}, e.g. 5,10,15",
    ),
    "err_minutes_not_number": (
        "{option} {shown!r}：第 {n} 项（{text!r}）不是整数分钟；{example}",
        "{option} {shown!r}: item {n} ({text!r}) is not a whole number of minutes; {example}",
    ),
    "err_minutes_fraction": (
        "{option} {shown!r}：第 {n} 项（{text}）不是整数分钟；时间段须为整数分钟，例如 5,10,15",
        "{option} {shown!r}: item {n} ({text}) is not a whole number of minutes; bands are whole minutes, "
        "e.g. 5,10,15",
    ),
    "err_minutes_not_positive": (
        "{option} {shown!r}：第 {n} 项（{value:g}）不大于 0；各时间段都必须为正数，例如 5,10,15",
        "{option} {shown!r}: item {n} ({value:g}) is not above 0; bands must all be positive, e.g. 5,10,15",
    ),
    "err_minutes_too_long": (
        "{option} {shown!r}：第 {n} 项（{value:g}）超过 {max_minutes} 分钟，即本工具计算的最长时间段；"
        "请给出不超过步行两小时的时间段，例如 5,10,15",
        "{option} {shown!r}: item {n} ({value:g}) is more than {max_minutes} minutes, the longest band this tool "
        "computes; give bands of at most two hours' walk, e.g. 5,10,15",
    ),
    "err_kinds_example": (
        "请给出以逗号分隔的设施类型，例如 {examples}",
        "give facility kinds separated by commas, e.g. {examples}",
    ),
    "err_kinds_blank": (
        "{option} {shown!r} 没有指定任何设施类型：{example}；或不写 {option}，计算研究区内现有的全部类型",
        "{option} {shown!r} names no kind; leave {option} out for every kind present, or {example}",
    ),
    "err_kinds_unknown": (
        "{option} {shown!r}：未知的设施类型 {item}；可选：{choices}",
        "{option} {shown!r}: unknown facility kind {item}; choose from {choices}",
    ),
    "err_kinds_repeated": (
        "{option} {shown!r}：{kind} 出现了两次；每种类型只写一次",
        "{option} {shown!r}: {kind} is given twice; give each kind once",
    ),
    "err_kinds_absent": (
        "{option} {shown!r}：研究区没有类型为 {missing} 的设施；现有类型：{present}",
        "{option} {shown!r}: the study has no facility of kind {missing}; kinds present: {present}",
    ),
    # the walking network and the coverage (--layers)
    "err_study_no_network": (
        '研究区 {folder} 未指定路网：请在 study.toml 中添加 [network] source = "streets.osm"'
        "（OSM 文件、GraphML、道路中心线图层或 place:<地名>）",
        'study {folder} names no network: add [network] source = "streets.osm" (an OSM file, GraphML, a '
        "street-centreline layer, or place:<name>) to study.toml",
    ),
    "err_layers_not_gpkg": (
        "--layers {path}：地图图层以 GeoPackage 格式写出，请给出 .gpkg 文件名",
        "--layers {path}: map layers are written as a GeoPackage; name a .gpkg file",
    ),
    "err_layers_is_folder": (
        "--layers {path} 是一个文件夹；请给出用于写出地图图层的 .gpkg 文件名",
        "--layers {path} is a folder; name a .gpkg file to write the map layers to",
    ),
    # siting options (--kind, --add, --budget, --minutes, --objective)
    "err_kind_unknown": (
        "未知的设施类型 {kind!r}；可选：{choices}",
        "unknown facility kind {kind!r}; choose from {choices}",
    ),
    "err_objective_unknown": (
        "优化目标 objective {objective!r} 不是以下之一：{choices}",
        "objective {objective!r} is not one of {choices}",
    ),
    "err_scope_unknown": (
        "范围 scope {scope!r} 不是 urban、all 之一",
        "scope {scope!r} is not one of urban, all",
    ),
    "err_curve_unknown": (
        "curve {curve!r} 不是 auto、exact、order 之一",
        "curve {curve!r} is not one of auto, exact, order",
    ),
    "err_threshold_not_number": (
        "步行时间阈值 minutes {minutes!r} 不是数字；请给出步行时间阈值，例如 15",
        "minutes {minutes!r} is not a number; give the walking threshold, e.g. 15",
    ),
    "err_threshold_not_positive": (
        "步行时间阈值 minutes {minutes!r} 必须为正数，例如 15 表示 15 分钟养老服务圈",
        "minutes {minutes!r} must be positive, e.g. 15 for the 15-minute service circle",
    ),
    "err_threshold_too_long": (
        "步行时间阈值 minutes {minutes:g} 超过 {max_minutes}，即本工具计算的最长步行时间；"
        "请以分钟为单位给出步行时间阈值，例如 15 表示 15 分钟养老服务圈",
        "minutes {minutes:g} is more than {max_minutes}, the longest walk this tool computes; give the walking "
        "threshold in minutes, e.g. 15 for the 15-minute service circle",
    ),
    "err_objective_needs_add": (
        "优化目标 {objective} 需要新增站点数（--add K）或预算",
        "the {objective} objective needs the number of sites to add (--add K) or a budget",
    ),
    "err_add_not_positive_whole": (
        "新增站点数为 {add!r}；请给出正整数，例如 --add 3",
        "the number of sites to add is {add!r}; give a positive whole number such as --add 3",
    ),
    "err_beds_per_1000_invalid": (
        "每千名老年人床位数为 {value!r}；请给出正数，例如 {default:g}（GB 50437 3.2.1）",
        "beds per 1000 elderly is {value!r}; give a positive number such as {default:g} (GB 50437 3.2.1)",
    ),
    "err_sites_or_budget_needed": (
        "请给出新增站点数（--add K）或预算（--budget B）",
        "give the number of sites to add (--add K) or a budget (--budget B)",
    ),
    "err_sites_not_whole": (
        "新增站点数必须是整数，而不是 {sites!r}",
        "the number of sites to add must be a whole number, not {sites!r}",
    ),
    "err_sites_not_positive": (
        "新增站点数为 {k}；请给出正数，例如 --add 3",
        "the number of sites to add is {k}; give a positive number such as --add 3",
    ),
    "err_sites_more_than_candidates": (
        "无法新增 {k} 处站点：可用的候选地块只有 {n} 个；请给出 --add {n} 或更少，或增加候选地块",
        "cannot add {k} sites: there are only {n} usable candidate sites; give --add {n} or fewer, or add "
        "candidates",
    ),
    "err_budget_needs_cost": (
        "使用预算需要每个候选地块的成本；请填写候选地块图层的成本列（cost）",
        "a budget needs the cost of each candidate site; fill in the candidates' cost column",
    ),
    "err_budget_not_positive": (
        "预算为 {budget!r}；请给出与成本列单位相同的正数金额",
        "the budget is {budget!r}; give a positive amount in the same unit as the cost column",
    ),
    "err_cost_invalid": (
        "候选地块 {i} 的成本为 {cost!r}；使用预算时每个成本都必须是大于等于 0 的数",
        "candidate {i} has cost {cost!r}; every cost must be a number >= 0 for a budget",
    ),
    "err_budget_below_cheapest": (
        "预算 {budget:,.6g} 低于最便宜候选地块的成本 {cheapest:,.6g}；请提高预算或增加成本更低的候选地块",
        "the budget {budget:,.6g} is below the cheapest candidate site's cost {cheapest:,.6g}; raise the budget "
        "or add cheaper candidates",
    ),
    "err_capacity_per_site": (
        "容量必须是每个地块一个大于等于 0 的数（共 {n_sites} 个地块）",
        "capacity must be one number >= 0 per site ({n_sites} sites)",
    ),
    "err_coverage_rows_mismatch": (
        "覆盖矩阵有 {n_rows} 行，但给出了 {n_weights} 个需求权重；请为每个需求点给出一个权重",
        "the coverage matrix has {n_rows} rows but {n_weights} demand weights were given; give one weight per "
        "demand point",
    ),
    # siting: nothing to cover, no usable candidate site
    "err_siting_no_elderly": (
        "{study} 的社区图层中全部 {n_communities} 个社区（{n_points} 个需求点）的老年人口均为 0，没有需要覆盖的人口；"
        "请填写老年人口列（{column}）",
        "the communities layer of {study} counts 0 elderly in all {n_communities} communities ({n_points} demand "
        "points), so there is nothing to cover; fill in the elderly column ({column})",
    ),
    "err_siting_no_urban_elderly": (
        "{study}：城市社区中没有老年人口；请使用 scope all，或标注社区类型（{kinds}）",
        "{study}: no elderly live in urban communities; use scope all, or mark the communities' kind ({kinds})",
    ),
    "err_siting_no_elderly_anywhere": (
        "{study}：所有社区中都没有老年人口；请使用 scope all，或标注社区类型（{kinds}）",
        "{study}: no elderly live in any community; use scope all, or mark the communities' kind ({kinds})",
    ),
    "err_siting_add_too_many": (
        "无法新增 {add} 处 {kind}：可用的候选地块只有 {n} 个{excluded}；请给出 --add {n} 或更少，或增加候选地块",
        "cannot add {add} sites of {kind}: only {n} candidate sites are usable{excluded}; give --add {n} or "
        "fewer, or add candidates",
    ),
    "err_siting_more_excluded": (
        "（另有 {n} 个被排除：见被排除的候选点列表）",
        " ({n} more were excluded: see the excluded list)",
    ),
    "err_candidates_none_fit": (
        "{study} 的 {n} 个候选地块都不能设置 {kind}（现有类型：{present}）",
        "none of the {n} candidate sites of {study} may host {kind} (kinds present: {present})",
    ),
    "err_candidates_no_layer": ("{study} 没有候选地块图层", "{study} has no candidates layer"),
    "err_candidates_not_generated": (
        "{where}；请添加类型包含 {kind} 的候选地块，或允许自动生成候选地块",
        "{where}; add candidate sites whose kinds include {kind}, or allow generated candidates",
    ),
    "err_candidates_all_covered": (
        "{where}，且所有老年人都已在某处 {kind} 的 {minutes:g} 分钟步行范围内（或路网无法到达）：没有需要选址的地方",
        "{where}, and every elderly person is already within {minutes:g} min of a {kind} (or out of reach of "
        "the network): there is nothing to site",
    ),
    "err_candidates_none_generated": (
        "{where}，且未覆盖老年人 {minutes:g} 分钟步行范围内没有 {min_degree} 条及以上道路交汇的路网节点；请添加候选地块",
        "{where}, and no street node where {min_degree} or more streets meet lies within {minutes:g} min of the "
        "uncovered elderly; add candidate sites",
    ),
    "err_candidates_all_excluded": (
        "{kind} 的全部 {n} 个候选地块都被排除（{counts}）；请修正候选地块，或在可步行道路 {max_m:g} 米范围内添加候选地块",
        "all {n} candidate sites for {kind} were excluded ({counts}); fix or add candidate sites within "
        "{max_m:g} m of a walkable street",
    ),
    "err_excluded_count": ("{reason}：{n} 个", "{n}: {reason}"),
    "err_reason_off_network": ("不在步行网络上", "outside the network"),
    "err_reason_no_cost": ("未填写成本", "no cost given"),
    "err_reason_no_beds": ("未填写床位数", "no beds given"),
    # the report (--out, --k-anon, results that belong to the study)
    "err_k_anon": (
        "隐私阈值 k = {k!r} 必须是不小于 1 的整数（老年人口少于 k 人的社区、街道和网格会被隐藏）；例如 --k-anon {default}",
        "the privacy threshold k = {k!r} must be a whole number of at least 1 (communities, streets and grid "
        "cells with fewer than k elderly are hidden); give e.g. --k-anon {default}",
    ),
    "err_grid_too_fine": (
        "公开地图的网格为 {grid!r} 米；老年人口数只能在不小于 {min_m:g} 米的网格上公开：请给出 {default_m:g} 或更大的值",
        "the public map's grid is {grid!r} m; counts of elderly may only be published on a grid of at least "
        "{min_m:g} m: give {default_m:g} or more",
    ),
    "err_lang_unknown": ("语言 {lang!r} 不是 {choices} 之一", "language {lang!r} is not one of {choices}"),
    "err_lang_option_unknown": ("语言 lang {lang!r} 不是 zh、en 之一", "lang {lang!r} is not one of zh, en"),
    "err_basemap_unknown": (
        "底图 {basemap!r} 不是 {choices} 之一",
        "basemap {basemap!r} is not one of {choices}",
    ),
    "err_report_no_coverage": (
        "研究区 {folder} 没有可报告的覆盖结果：请先在其步行路网上计算服务圈覆盖"
        "（需要 study.toml 中的 [network] source 和至少一处设施）",
        "study {folder} has no coverage results to report: run the coverage on its walking network first (it "
        "needs [network] source in study.toml and at least one facility)",
    ),
    "err_coverage_no_kind": (
        "研究区 {folder} 的覆盖计算没有测得任何设施类型（设施图层没有可用的行）：请添加类型为{example}等的设施，然后重新生成报告",
        "the coverage of study {folder} measured no facility kind (the facilities layer has no usable row): add "
        "facilities with a kind such as {example}, then report again",
    ),
    "err_coverage_other_study": (
        "覆盖结果有 {n_result} 个社区，而研究区 {folder} 有 {n_study} 个：结果来自另一个研究区；请重新计算本研究区的覆盖",
        "the coverage results have {n_result} communities but study {folder} has {n_study}: they come from "
        "another study; run the coverage of this study again",
    ),
    "err_siting_other_study": (
        "选址结果有 {n_result} 个社区，而研究区 {folder} 有 {n_study} 个：该结果来自另一个研究区；请重新运行选址",
        "the siting result has {n_result} communities but study {folder} has {n_study}: it comes from another "
        "study; run the siting again",
    ),
    "err_report_no_network": (
        '研究区 {folder} 没有步行路网，因此没有可报告的覆盖结果：请在 study.toml 中添加 [network] source = "streets.osm"'
        "（OSM 文件、GraphML、道路中心线或 place:<地名>）",
        "study {folder} has no walking network, so there are no coverage results to report: add [network] source "
        '= "streets.osm" (an OSM file, GraphML, centrelines or place:<name>) to study.toml',
    ),
    "err_report_no_facility": (
        "研究区 {folder} 没有可用的设施，因此没有可报告的覆盖结果：请修正设施图层（见 `eldercircle validate`）",
        "study {folder} has no usable facility, so there are no coverage results to report: fix the facilities "
        "layer (see `eldercircle validate`)",
    ),
    "err_out_is_file": (
        "输出文件夹 {path} 是一个文件而不是文件夹；请用 --out 指定一个新的或空的文件夹",
        "output folder {path} is a file, not a folder; give a new or empty folder with --out",
    ),
    "err_out_not_empty": (
        "输出文件夹 {path} 不为空（{n} 项：{shown}）；请选择新的或空的文件夹，或加上 --force 覆盖其中的报告文件",
        "output folder {path} is not empty ({n} entries: {shown}); choose a new or empty folder, or pass --force "
        "to overwrite the report files in it",
    ),
    "err_out_cannot_create": (
        "无法创建输出文件夹 {path}（{reason}）；请选择有写入权限的文件夹",
        "output folder {path} cannot be created ({reason}); choose a folder you can write to",
    ),
    "err_out_not_writable": (
        "输出文件夹 {path} 不可写（{reason}）；请选择有写入权限的文件夹",
        "output folder {path} is not writable ({reason}); choose a folder you can write to",
    ),
    # the command line's own outputs (--points)
    "err_points_format": (
        "--points {path}：请写出 .csv 或 .gpkg 文件（格式由文件扩展名决定）",
        "--points {path}: write .csv or .gpkg (the format follows the file's extension)",
    ),
}


#: planning's error codes: (Chinese, English).
ERRORS: dict[str, tuple[str, str]] = {**_STUDY, **_RUN}

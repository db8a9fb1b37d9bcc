"""The sentences of planning's errors while reading a study (study.toml, layers, settings, uploads, zips,
validation, presets, the demo writer): each code with its Chinese and English text."""

from __future__ import annotations

#: Shared parts of the sentences that refuse a path in a confined study.
_OWN_EN = "uploaded and public studies may only read their own files"
_OWN_ZH = "上传的和公开的研究区只能读取自身文件夹中的文件"
_FIX_EN = 'name a file inside the study folder, relative to study.toml (e.g. "facilities.csv")'
_FIX_ZH = '写研究区文件夹内的文件，路径相对于 study.toml（例如 "facilities.csv"）'
_DEMO_EN = "(run `eldercircle demo --out DIR` for an example)"
_DEMO_ZH = "（可运行 `eldercircle demo --out DIR` 生成示例）"

#: Reading a study: study.toml, its layers and settings, uploads and zips, validation, presets, the demo writer.
STUDY_ERRORS: dict[str, tuple[str, str]] = {
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
    "err_bed_basis": (
        "{toml}：[standards] bed_basis = {value!r} 无法识别；请写 {choices} 之一",
        "{toml}: [standards] bed_basis = {value!r} is not known; write one of {choices}",
    ),
    "err_circle_kinds": (
        "{toml}：[standards] circle_kinds 中的 {value!r} 不是设施类型；请从 {choices} 中选择，例如 "
        'circle_kinds = ["street_centre", "embedded_home", "day_care"]',
        "{toml}: [standards] circle_kinds has {value!r}, which is no facility kind; choose from {choices}, e.g. "
        'circle_kinds = ["street_centre", "embedded_home", "day_care"]',
    ),
    "err_demand_method": (
        "{toml}：[demand] method = {value!r} 无法识别；请写 {choices} 之一（auto 按有无分布图层、建筑物自动选择）",
        "{toml}: [demand] method = {value!r} is not known; write one of {choices} (auto picks by what the study has)",
    ),
    "err_demand_no_layer": (
        '研究 {folder}：study.toml 中 [demand] method = "layer"，但没有老年人口分布图层（[layers] population）；'
        '请添加该图层，或改为 method = "buildings"（按住宅建筑面积分配）',
        'study {folder}: [demand] method = "layer" but the study has no population layer ([layers] population); '
        'add one, or write method = "buildings" (placed by residential floor area)',
    ),
    "err_census_setting": (
        '{toml}：[demand] census = {value!r} 不是文件名；请写普查表的相对路径，例如 census = "census.csv"',
        "{toml}: [demand] census = {value!r} is not a file name; write the census table's relative path, e.g. "
        'census = "census.csv"',
    ),
    "err_census_missing": (
        "{toml}：[demand] census 指定的普查表「{source}」不存在；请检查文件名（相对于研究文件夹）",
        "{toml}: [demand] census {source!r} does not exist; check the file name (relative to the study folder)",
    ),
    "err_census_columns": (
        "普查表「{source}」需要街道名称列和 60 岁及以上占比列，现有列：{found}；请将列名改为例如 {street} 与 {share}",
        "census table {source!r} needs a street column and a 60+ share column but has {found}; name them e.g. "
        "{street} and {share}",
    ),
    "err_census_share": (
        "普查表「{source}」第 {row} 行（{street}）的 60 岁及以上占比为 {value!r}，不是 0–100 之间的百分数；请更正",
        "census table {source!r} row {row} ({street}): the 60+ share {value!r} is not a percentage between 0 and "
        "100; correct it",
    ),
    "err_census_needs_columns": (
        "社区图层「{source}」需要常住人口列和所属街道列，才能由普查表推算老年人口；请补充这两列或直接填写老年人口",
        "communities layer {source!r} needs a residents column and a street column for the census to derive "
        "elderly; add them, or fill in the elderly",
    ),
    "err_default_floors": (
        "{toml}：[demand] default_floors = {value!r} 不是 1–100 之间的层数；请写例如 default_floors = 6",
        "{toml}: [demand] default_floors = {value!r} is not a number of floors from 1 to 100; write e.g. "
        "default_floors = 6",
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
    "err_unit_facilities": ("处", "facilities"),
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

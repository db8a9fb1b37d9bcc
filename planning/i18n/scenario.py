"""The sentences of scenarios (:mod:`planning.scenario`): their errors, the figures of a comparison, the summary and
the command line's words, each key with its (Chinese, English) text."""

from __future__ import annotations

#: Errors of scenario files, of ``--add``/``--set`` and of applying a scenario to a study.
SCENARIO_ERRORS: dict[str, tuple[str, str]] = {
    "err_scn_where_file": ("{path}", "{path}"),
    "err_scn_where_entry": ("{path} 中第 {n} 个 [[{table}]]", "{path}, [[{table}]] #{n}"),
    "err_scn_in_file": ("{where}：{error}", "{where}: {error}"),
    "err_scn_not_toml": (
        "方案文件 {path} 不是有效的 TOML：{error}；请用文本编辑器修正，或重新保存该方案",
        "the scenario file {path} is not valid TOML: {error}; fix it in a text editor or save the scenario again",
    ),
    "err_scn_not_utf8": (
        "方案文件 {path} 不是 UTF-8 编码；请以 UTF-8 另存后再读取",
        "the scenario file {path} is not UTF-8 text; save it as UTF-8 and load it again",
    ),
    "err_scn_missing": (
        "找不到方案文件 {path}；请检查路径，或先用 --save 保存方案",
        "no scenario file at {path}; check the path, or save the scenario first with --save",
    ),
    "err_scn_other_study": (
        "方案文件 {path} 是为研究「{theirs}」制作的，不是本研究「{ours}」的；请在对应研究中读取它",
        "the scenario file {path} was made for the study {theirs!r}, not this study {ours!r}; load it with its own study",
    ),
    "err_scn_newer_format": (
        "方案文件 {path} 的格式版本为 {found}，本版本只能读取 {supported} 及以下；请升级 eldercircle 后再读取",
        "the scenario file {path} is of format {found}, newer than the {supported} this version reads; update eldercircle to load it",
    ),
    "err_scn_unknown_key": (
        "{where}：不认识的键 {field}；可用的键：{known}",
        "{where}: unknown key {field!r}; the keys are: {known}",
    ),
    "err_scn_missing_key": (
        "{where}：缺少键 {field}；请补上后再读取",
        "{where}: the key {field!r} is missing; add it and load the file again",
    ),
    "err_scn_bad_type": (
        "{where}：{field} 应为{expected}，而不是 {value}",
        "{where}: {field} must be {expected}, not {value}",
    ),
    "err_scn_bad_kind": (
        "{where}：不认识的设施类型「{kind}」；可用的类型：{kinds}",
        "{where}: unknown facility kind {kind!r}; use one of: {kinds}",
    ),
    "err_scn_bad_coords": (
        "{where}：coords 应为 wgs84、gcj02 或 bd09，而不是「{coords}」",
        "{where}: coords must be wgs84, gcj02 or bd09, not {coords!r}",
    ),
    "err_scn_bad_lon": (
        "{where}：经度 {lon} 超出范围，应在 -180 到 180 之间；请检查经纬度是否写反",
        "{where}: longitude {lon} is out of range, it must lie between -180 and 180; check that lon and lat are not swapped",
    ),
    "err_scn_bad_lat": (
        "{where}：纬度 {lat} 超出范围，应在 -90 到 90 之间；请检查经纬度是否写反",
        "{where}: latitude {lat} is out of range, it must lie between -90 and 90; check that lon and lat are not swapped",
    ),
    "err_scn_negative": (
        "{where}：{field} 不能为负数（{value}）；请填写 0 或正数",
        "{where}: {field} cannot be negative ({value}); give 0 or a positive number",
    ),
    "err_scn_blank_name": (
        "{where}：设施名称为空；请填写要关闭或调整的设施名称",
        "{where}: the facility name is empty; give the name of the facility to close or change",
    ),
    "err_scn_name_blank": (
        "方案名称为空；请用字母、数字、汉字、- 或 _ 命名方案",
        "the scenario name is empty; name it with letters, digits, Chinese characters, - or _",
    ),
    "err_scn_name_long": (
        "方案名称「{name}」过长（{n} 个字符，最多 {limit} 个）；请取一个更短的名称",
        "the scenario name {name!r} is too long ({n} characters, at most {limit}); choose a shorter name",
    ),
    "err_scn_name_chars": (
        "方案名称「{name}」不能用作文件名；只能包含字母、数字、汉字、- 和 _（不能有空格、斜杠、点等）",
        "the scenario name {name!r} cannot be a file name; use only letters, digits, Chinese characters, - and _ (no spaces, slashes or dots)",
    ),
    "err_scn_not_saved": (
        "研究中没有名为「{name}」的已保存方案；已保存的方案：{names}",
        "the study has no saved scenario named {name!r}; saved scenarios: {names}",
    ),
    "err_scn_exists": (
        "研究中已有名为「{name}」的方案；请换一个名称，或先删除它",
        "the study already has a scenario named {name!r}; choose another name or delete that one first",
    ),
    "err_scn_add_syntax": (
        "--add {text}：格式应为 类型@经度,纬度[:名称]，例如 day_care@117.95,28.45:新增日照中心",
        "--add {text}: write it as KIND@LON,LAT[:NAME], e.g. day_care@117.95,28.45:new centre",
    ),
    "err_scn_set_syntax": (
        "--set {text}：格式应为 名称:beds=数量（也可用 floor_area_m2=、kind=，多项用逗号分隔），例如 既有4:beds=30",
        "--set {text}: write it as NAME:beds=N (also floor_area_m2=, kind=; several joined by commas), e.g. centre 4:beds=30",
    ),
    "err_scn_outside": (
        "新增设施「{name}」（{lon:.6f}, {lat:.6f}）位于研究范围之外 {distance:,.0f} 米；请把它放在研究的社区范围内（经纬度坐标系为 {coords}）",
        "the added facility {name!r} ({lon:.6f}, {lat:.6f}) lies {distance:,.0f} m outside the study area; place it inside the study's communities (lon/lat in {coords})",
    ),
    "err_scn_far_street": (
        "新增设施「{name}」距最近的可步行道路 {distance:,.0f} 米，超过 {limit:g} 米的接入距离，不能覆盖任何老年人；请把它放在道路旁",
        "the added facility {name!r} is {distance:,.0f} m from the nearest walkable street, farther than the {limit:g} m access limit, and would reach no one; place it by a street",
    ),
    "err_scn_no_facility": (
        "没有名为「{name}」的设施；最接近的名称：{closest}",
        "no facility is named {name!r}; the closest names: {closest}",
    ),
    "err_scn_ambiguous": (
        "有 {n} 处设施都叫「{name}」（{where}）；请先在设施图层中给它们不同的名称",
        "{n} facilities are named {name!r} ({where}); give them different names in the facilities layer first",
    ),
    "err_scn_coords_conflict": (
        "方案文件 {path} 的新增设施经纬度采用 {theirs}，而 --coords 为 {ours}；同一方案只能用一种坐标系，请按 {theirs} 给出 --add 的经纬度并去掉 --coords",
        "the added facilities of {path} are in {theirs} but --coords says {ours}; one scenario has one system: give --add in {theirs} and drop --coords",
    ),
    "err_scn_none": ("（无）", "(none)"),
}

#: The figures of a comparison, the summary line and the command line's headings.
SCENARIO_TEXT: dict[str, tuple[str, str]] = {
    "scn_fig_within": ("{kind} {minutes} 分钟内老年人", "elderly within {minutes} min of {kind}"),
    "scn_fig_circle": ("15分钟养老服务圈覆盖率", "15-minute service circle share"),
    "scn_fig_beds": ("每千名老年人床位", "beds per 1000 elderly"),
    "scn_fig_land": ("人均养老服务设施用地（㎡）", "care land per resident (m²)"),
    "scn_expect_number": ("数字", "a number"),
    "scn_expect_text": ("文本（加引号）", "a quoted text"),
    "scn_expect_integer": ("正整数", "a positive whole number"),
    "scn_expect_list": ('名称列表，如 ["既有4"]', 'a list of names such as ["centre 4"]'),
    "scn_expect_tables": ("表数组", "an array of tables"),
    "scn_added_name": ("新增{kind}{n}", "new {kind} {n}"),
    "scn_col_figure": ("指标", "figure"),
    "scn_col_before": ("现状", "before"),
    "scn_col_after": ("方案", "after"),
    "scn_col_change": ("变化", "change"),
    "scn_col_rule": ("规则", "rule"),
    "scn_col_unit": ("单元", "unit"),
    "scn_col_verdict": ("判定", "verdict"),
    "scn_col_citation": ("依据", "citation"),
    "scn_col_name": ("名称", "name"),
    "scn_col_street": ("街道", "street"),
    "scn_head_district": ("全区：现状与方案对比", "District: before and after"),
    "scn_head_streets": ("变化的街道", "Streets that change"),
    "scn_head_communities": ("变化的社区", "Communities that change"),
    "scn_head_verdicts": ("判定改变的规则", "Rules whose verdict changes"),
    "scn_no_change": ("无", "none"),
    "scn_summary": (
        "方案「{name}」：新增 {added} 处、关闭 {closed} 处、调整 {changed} 处设施；15分钟养老服务圈覆盖率 {circle}；{gains}；{n_rules} 条规则判定改变",
        "scenario {name!r}: {added} facilities added, {closed} closed, {changed} changed; 15-minute service circle {circle}; {gains}; {n_rules} rule verdicts change",
    ),
    "scn_summary_gain": (
        "{kind} {minutes} 分钟内老年人 {change}",
        "elderly within {minutes} min of {kind} {change}",
    ),
    "scn_summary_no_gain": ("各类设施覆盖的老年人不变", "no change in the elderly any kind reaches"),
    "scn_saved": ("方案已保存到 {path}", "scenario saved to {path}"),
    "scn_json_written": ("对比结果已写入 {path}", "comparison written to {path}"),
}

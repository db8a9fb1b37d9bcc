"""The sentences of planning's errors while running the analyses and writing their outputs (coverage, siting
and check options, the report, the CLI): each code with its Chinese and English text."""

from __future__ import annotations

#: Running the analyses and writing their outputs: options of coverage, siting and the check, the report, the CLI.
RUN_ERRORS: dict[str, tuple[str, str]] = {
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
    # the check's bed basis (--bed-basis)
    "err_bed_basis_option": (
        "床位口径 {value!r} 无法识别；请选择 {choices} 之一（institutions = 养老院+社区嵌入式养老院，all = 全部设施）",
        "bed basis {value!r} is not known; choose one of {choices} (institutions = nursing homes + embedded homes, "
        "all = every facility)",
    ),
    # the command line's own outputs (--points)
    "err_points_format": (
        "--points {path}：请写出 .csv 或 .gpkg 文件（格式由文件扩展名决定）",
        "--points {path}: write .csv or .gpkg (the format follows the file's extension)",
    ),
}

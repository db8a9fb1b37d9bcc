"""The words of the app, the command line and the check: each key with its Chinese and English text."""

from __future__ import annotations

from planning.i18n.progress import PROGRESS_TEXT

#: Each key with its Chinese and English text (read through :func:`planning.i18n.tr`).
TEXTS: dict[str, tuple[str, str]] = {
    # the command line
    "cli_error": ("错误：", "error: "),
    # the app: a failure's notice, its label and the error
    "labelled": ("{label}：{text}", "{label}: {text}"),
    "cli_attention": ("注意: ", "note: "),
    "cli_note": ("说明: ", "note: "),
    "cli_cov_header": (
        "研究区：{study}；路网 {nodes} 个节点、{edges} 条路段；步行速度 {speed} 米/秒（{minutes} 分钟约 {metres} 米）",
        "study: {study}; network: {nodes} nodes, {edges} segments; walking {speed} m/s ({metres} m in {minutes} min)",
    ),
    "cli_cov_kind": ("设施类型", "kind"),
    "cli_val_study": ("研究区：{name}（{folder}）{synthetic}", "study: {name} ({folder}){synthetic}"),
    "cli_val_synthetic": ("  [合成数据]", "  [SYNTHETIC DATA]"),
    "cli_val_crs": (
        "工作坐标系：{crs}（{code}）；经纬度坐标按 {coords} 读取",
        "working CRS: {crs} ({code}); coordinates stated as {coords}",
    ),
    "cli_val_layer": ("图层 {name}：{label}", "layer {name}: {label}"),
    "cli_val_section_study": ("研究区", "study"),
    "cli_val_section_network": ("路网", "network"),
    "cli_val_more": (
        "  …… 另有 {n} 条「{action}」记录（用 --max-rows 0 列出全部）",
        "  ... and {n} more {action} findings (use --max-rows 0 to list all)",
    ),
    "cli_val_summary": (
        "\n汇总：{n} 个社区/村，分属 {streets} 个街道/镇；常住人口 {residents} 人，老年人 {elderly} 人（{share}）；"
        "设施：{counts}；修复 {repairs} 处，拒绝 {rejected} 行",
        "\nsummary: {n} communities in {streets} streets/towns, {residents} residents, {elderly} elderly ({share}); "
        "facilities: {counts}; {repairs} repairs, {rejected} rejected rows",
    ),
    "cli_val_rejected": (
        "被拒绝的行：{n} 行；修正前不纳入任何分析，上文逐行列出了原因",
        "rejected rows: {n}; they are left out of every analysis until fixed, and each is listed above with its reason",
    ),
    "cli_cov_gaps": (
        "城市社区中 {n} 个并非全部老人在日间照料中心 {minutes} 分钟步行范围内（严格口径；共约 {elderly} 名老人不在范围内）："
        "{names}",
        "urban communities not fully within {minutes} min of a day-care centre: {n} ({elderly} elderly uncovered): "
        "{names}",
    ),
    "cli_cov_written": ("覆盖分析结果已写入 {path}", "coverage written to {path}"),
    "cli_cov_points_written": ("{n} 个需求点已写入 {path}", "{n} demand points written to {path}"),
    "cli_cov_layers_written": ("地图图层已写入 {path}：{layers}", "map layers written to {path}: {layers}"),
    "cli_cov_summary": (
        "汇总：{minutes} 分钟步行范围内的老人比例 — {shares}",
        "summary: elderly within {minutes} min walk — {shares}",
    ),
    "cli_interrupted": ("已中断", "interrupted"),
    "cli_os_error": (
        "无法读写文件：{reason}；请检查路径、权限和磁盘剩余空间",
        "a file could not be read or written: {reason}; check the path, its permissions and the free disk space",
    ),
    "cli_os_error_file": (
        "无法读写文件（{filename}）：{reason}；请检查路径、权限和磁盘剩余空间",
        "a file could not be read or written ({filename}): {reason}; check the path, its permissions and the "
        "free disk space",
    ),
    "cli_internal_error": (
        "eldercircle {command} 发生内部错误（{kind}）；请报告此问题（见 SECURITY.md），"
        "或设置 ELDERCIRCLE_DEBUG=1 运行以查看错误跟踪",
        "internal error ({kind}) in eldercircle {command}; please report it (see SECURITY.md), or run with "
        "ELDERCIRCLE_DEBUG=1 to see the trace",
    ),
    "cli_internal_error_log": (
        "eldercircle {command} 发生内部错误（{kind}）；详细信息见 {log}；请报告此问题（见 SECURITY.md），"
        "或设置 ELDERCIRCLE_DEBUG=1 运行以查看错误跟踪",
        "internal error ({kind}) in eldercircle {command}; the details are in {log}; please report it (see "
        "SECURITY.md), or run with ELDERCIRCLE_DEBUG=1 to see the trace",
    ),
    "cli_check_no_network": (
        "研究区未指定路网，15分钟养老服务圈和社区卫生服务中心步行距离的规则无法评估；日间照料只认定社区内建有中心的社区",
        "the study names no network, so the 15-minute service circle and health-centre rules are not assessable; "
        "day care is judged only where a centre stands in the community",
    ),
    "cli_check_network_failed": (
        "{error}；15分钟养老服务圈和社区卫生服务中心步行距离的规则无法评估；日间照料只认定社区内建有中心的社区",
        "{error}; the 15-minute service circle and health-centre rules are not assessable; day care is judged "
        "only where a centre stands in the community",
    ),
    # app, sidebar
    "app_title": ("养老服务圈规划", "Elderly-care service circle planner"),
    "overview": ("总览", "Overview"),
    "coverage": ("服务圈", "Coverage"),
    "standards": ("标准", "Standards"),
    "siting": ("选址", "Siting"),
    "data": ("数据", "Data"),
    "study": ("研究区", "Study"),
    "language": ("语言", "Language"),
    "source_demo": ("演示数据（合成）", "Demo (synthetic)"),
    "source_zip": ("上传研究区压缩包", "Upload a zipped study"),
    "source_layers": ("上传单个图层", "Upload single layers"),
    "source_folder": ("本机文件夹", "Local folder"),
    "upload_zip": ("研究区压缩包（.zip，内含 study.toml）", "Zipped study folder (.zip with study.toml)"),
    "upload_zip_help": (
        "把研究区文件夹（含 study.toml 和各图层文件）压缩为 zip 上传，最大 {mb} MB。包含越出文件夹的路径或未知类型文件的压缩包将被拒绝。",
        (
            "Zip the study folder (study.toml and its layer files) and upload it, at most {mb} MB. "
            "Archives with paths escaping the folder or files of unknown type are refused."
        ),
    ),
    "upload_limit": ("上传上限：{mb} MB", "Upload limit: {mb} MB"),
    "zip_current": ("当前研究区：{name}", "Current study: {name}"),
    "upload_refused": ("上传被拒绝", "Upload refused"),
    "layers_hint": (
        "请在「数据」页上传图层并确认字段对应。",
        ("Upload the layers and confirm the column mapping on the Data page."),
    ),
    "layers_built": (
        "已由上传的图层建立研究区（见「数据」页）。",
        ("Study built from the uploaded layers (see the Data page)."),
    ),
    "study_folder": ("研究区文件夹路径", "Study folder path"),
    "study_folder_help": (
        "本机运行时可直接填写含 study.toml 的文件夹路径。",
        ("When the app runs on your own machine, give the path of a folder holding study.toml."),
    ),
    "walk_speed": ("老年人步行速度（米/秒）", "Elderly walking speed (m/s)"),
    "walk_speed_help": (
        "默认 1.0 米/秒（15 分钟约 900 米）；可低至 0.5 米/秒。",
        ("Default 1.0 m/s (about 900 m in 15 minutes); down to 0.5 m/s."),
    ),
    "bands": ("服务圈时间", "Service-circle bands"),
    "band_label": ("{m} 分钟", "{m} min"),
    "bands_empty": ("未选择时间段，按 15 分钟计算。", "No band chosen: 15 minutes is used."),
    "basemap": ("底图", "Basemap"),
    "basemap_auto": ("自动（有 OSM 数据或路网时用离线底图）", "Auto (offline if OSM data or a network)"),
    "basemap_offline": ("离线底图（本研究 OSM 数据）", "Offline basemap (the study's OSM data)"),
    "basemap_none": ("无底图", "None"),
    "basemap_osm": ("OpenStreetMap", "OpenStreetMap"),
    "basemap_amap": ("高德地图（GCJ-02）", "Amap (GCJ-02)"),
    "basemap_tianditu": ("天地图（CGCS2000，需密钥）", "Tianditu (CGCS2000, key needed)"),
    "tianditu_key": ("天地图密钥（tk）", "Tianditu key (tk)"),
    "tianditu_key_help": (
        "在天地图开放平台申请的浏览器端密钥，仅保存在本次会话中。",
        ("A browser key from the Tianditu developer portal; kept in this session only."),
    ),
    "tianditu_no_key": ("未填写密钥：不显示天地图底图。", "No key: the Tianditu tiles are not shown."),
    "amap_shift": (
        "高德底图为 GCJ-02 坐标：图上数据已相应偏移，与底图道路对齐。",
        ("Amap tiles are in GCJ-02: the data are shifted to match, so they sit on the basemap's streets."),
    ),
    "basemap_credit_osm": ("© OpenStreetMap 贡献者", "© OpenStreetMap contributors"),
    "basemap_credit_network": ("底图：本研究路网", "Basemap: the study's street network"),
    "basemap_unavailable": ("底图未能绘制：{reason}", "No basemap could be drawn: {reason}"),
    "synthetic_notice": (
        "演示数据为程序生成的合成数据：街道、地名、设施和人口均为虚构，不代表任何真实地区。",
        (
            "Demo data are synthetic, generated by the program: streets, places, facilities and figures "
            "are invented and represent no real place."
        ),
    ),
    "load_failed": ("研究区无法加载", "The study could not be loaded"),
    "page_failed": ("出现问题，本页无法显示", "Something went wrong and this page cannot be shown"),
    "internal_error": (
        "程序内部错误（详情已写入服务器日志，请联系管理员）；其他页面仍可使用",
        (
            "An internal error occurred (the details are in the server's log; please tell the "
            "administrator); the other pages still work"
        ),
    ),
    "network_failed": (
        "步行网络无法加载，步行相关分析不可用",
        ("The walking network could not be loaded, so walking analyses are unavailable"),
    ),
    "no_study_zip": ("请在左侧上传研究区压缩包。", "Upload a zipped study in the sidebar."),
    "no_study_layers": (
        "请在「数据」页上传图层并建立研究区。",
        "Upload the layers and build the study on the Data page.",
    ),
    "no_study_folder": ("请在左侧填写研究区文件夹路径。", "Give the study folder's path in the sidebar."),
    "no_study_demo": (
        "演示数据缺失：请运行 python -m planning.demo。",
        ("The demo is missing: run python -m planning.demo."),
    ),
    "running": ("计算中…", "Running…"),
    "spinner_study": ("正在读取研究区…", "Loading the study…"),
    "spinner_network": (
        "正在构建步行网络（仅首次，约需十几秒）…",
        ("Building the walking network (first time only, about ten seconds or more)…"),
    ),
    "spinner_coverage": ("正在计算服务圈覆盖…", "Computing coverage…"),
    "spinner_circles": ("正在绘制服务圈…", "Drawing the service circles…"),
    "spinner_check": ("正在核对标准…", "Checking the standards…"),
    # overview
    "residents": ("常住人口", "Residents"),
    "elderly": ("老年人口（60岁以上）", "Elderly (60+)"),
    "elderly_share": ("老龄化率", "Elderly share"),
    "communities": ("社区/村", "Communities/villages"),
    "streets": ("街道/镇", "Streets/towns"),
    "facilities": ("养老服务设施", "Elderly-care facilities"),
    "candidates": ("候选地块", "Candidate sites"),
    "elder_density": ("老年人口密度（人/公顷）", "Elderly density (per ha)"),
    "elder_points": ("老年人口分布（100米格网）", "Elderly distribution (100 m grid)"),
    "share_covered_daycare": ("日间照料{m}分钟覆盖率", "Day care within {m} min"),
    "share_within": ("{m}分钟覆盖率", "Within {m} min"),
    "count": ("数量", "Count"),
    "rejected_rows_note": (
        "有 {n} 行数据被拒绝，未参与分析（见「数据」页）。",
        ("{n} rows were rejected and left out of every analysis (see the Data page)."),
    ),
    "name": ("名称", "Name"),
    "community": ("社区", "Community"),
    "street": ("街道", "Street"),
    "population": ("人口", "Population"),
    "kind": ("类型", "Kind"),
    "floor_area_m2": ("建筑面积（㎡）", "Floor area (m²)"),
    "beds": ("床位数", "Beds"),
    "legend": ("图例", "Legend"),
    "map": ("地图", "Map"),
    # coverage
    "coverage_caption": (
        "步行速度 {speed:g} 米/秒：{m} 分钟约 {dist:,.0f} 米（沿步行网络计算，不是直线距离）。",
        (
            "Walking {speed:g} m/s: {m} min is about {dist:,.0f} m along the walking network (not as "
            "the crow flies)."
        ),
    ),
    "map_kind": ("地图显示的设施类型", "Facility kind on the map"),
    "within_band": ("{m}分钟内", "Within {m} min"),
    "outside_band": ("{m}分钟步行范围外的老人", "Elderly beyond a {m}-minute walk"),
    "uncovered_elderly": ("未覆盖老人", "Uncovered elderly"),
    "uncovered_density": ("未覆盖老人（人/公顷）", "Uncovered elderly (per ha)"),
    "coverage_chart": ("各类设施分时段覆盖率", "Coverage by kind and band"),
    "share_pct_axis": ("覆盖老人比例（%）", "Elderly covered (%)"),
    "elderly_covered": ("覆盖老人", "Elderly covered"),
    "per_community": ("按社区", "By community"),
    "per_street": ("按街道", "By street"),
    "daycare_gaps": ("日间照料未全覆盖的城市社区", "Urban communities short of day care"),
    "daycare_gaps_caption": (
        "{n} 个城市社区的老人未全部在 {m} 分钟内到达日间照料中心，共 {elderly:,.0f} 人未覆盖。",
        (
            "{n} urban communities have elderly beyond a {m}-minute walk of day care: "
            "{elderly:,.0f} elderly uncovered."
        ),
    ),
    "daycare_all_covered": (
        "所有城市社区的老人均在 {m} 分钟内可达日间照料中心。",
        ("Every urban community's elderly are within {m} min of day care."),
    ),
    "no_daycare": ("研究区没有日间照料中心。", "The study has no day-care centre."),
    "notes": ("说明", "Notes"),
    # standards
    "preset": ("标准依据", "Standards preset"),
    "bed_basis": ("床位口径", "Bed basis"),
    "bed_basis_institutions": (
        "养老机构（养老院+社区嵌入式养老院）",
        "Care institutions (nursing + embedded homes)",
    ),
    "bed_basis_all": ("全部设施床位", "Every facility's beds"),
    "rules": ("规则数", "Rules"),
    "verdict_count_help": (
        "按核查单元（区县、街道、社区/村、设施、候选地块）计的结果项数，不是规则数。",
        (
            "Results counted per checked unit (district, street, community or village, facility, "
            "candidate site), not rules."
        ),
    ),
    "overrides": ("研究区覆盖设置", "Study overrides"),
    "filter_rules": ("筛选规则", "Filter rules"),
    "all_rules": ("全部规则", "All rules"),
    "filter_verdicts": ("筛选结论", "Filter verdicts"),
    "all_verdicts": ("全部结论", "All verdicts"),
    "failing_on_map": ("不达标的街道与社区", "Streets and communities failing"),
    "failing_streets": ("不达标街道", "Failing streets"),
    "failing_communities": ("不达标社区/村", "Failing communities/villages"),
    "failed_rules": ("不达标规则", "Failed rules"),
    "failed_rules_n": ("不达标项数", "Rules failed"),
    "check_table": ("核查结果", "Check results"),
    "rule": ("规则", "Rule"),
    "level": ("层级", "Level"),
    "level_district": ("区县", "district"),
    "level_street": ("街道", "street"),
    "level_community": ("社区", "community"),
    "level_village": ("行政村", "village"),
    "level_facility": ("设施", "facility"),
    "level_candidate": ("候选地块", "candidate"),
    "unit": ("单元", "Unit"),
    "value": ("现状值", "Value"),
    "threshold": ("标准值", "Threshold"),
    "verdict": ("结论", "Verdict"),
    "shortfall": ("缺口", "Shortfall"),
    "explanation": ("说明", "Explanation"),
    "citation": ("依据", "Citation"),
    "status": ("核实状态", "Status"),
    "note": ("备注", "Note"),
    "rule_scope": ("适用范围", "Scope"),
    "target_year": ("目标年份", "Target year"),
    "by_year": ("{year}年底前", "by {year}"),
    "force": ("文件状态", "Force"),
    "quote": ("原文", "Text"),
    "force_legend": (
        "文件状态：现行 = 文件有效；征求意见稿 = 草案，目标尚未正式施行；已到期 = 规划期已结束，目标仍可作为对照。",
        "Force: in force = the document is in force; draft for comment = a proposal, not yet in force; "
        "period ended = the plan's period is over, its targets remain the yardstick.",
    ),
    "rules_cited": ("规则与出处", "Rules and their sources"),
    "set_by_study": ("研究区设置", "set by the study"),
    "status_legend": (
        (
            "核实状态：V1 = 已核对原文条款；V2 = 有二手来源佐证；未核实 = 凭记忆录入、尚未找到原文，"
            "可在 study.toml 的 [standards.overrides] 中修改。"
        ),
        (
            "Status: V1 = read in the document's own wording; V2 = attributed by a secondary source; "
            "unverified = recalled, not yet confirmed in a source text; editable in study.toml "
            "[standards.overrides]."
        ),
    ),
    "check_summary": (
        "{study}：按「{preset}」检查 {rules} 条规则，共 {rows} 项：达标 {passed}，不达标 {failed}，无法评估 {na}，"
        "取决于估算 {depends}，提示 {advisory}。",
        (
            "{study}: {rules} rules of the {preset} preset checked, {rows} results: {passed} pass, "
            "{failed} fail, {na} not assessable, {depends} depend on estimates, {advisory} advisory."
        ),
    ),
    "walking_rules_na": (
        "没有步行网络：15分钟养老服务圈和卫生服务中心毗邻两项无法评估；日间照料只认定社区内建有中心的社区，其余社区无法评估。",
        (
            "No walking network: the 15-minute service circle and health-centre adjacency rules are not "
            "assessable; day care is judged only where a centre stands in the community."
        ),
    ),
    # siting
    "objective": ("目标", "Objective"),
    "objective_coverage": ("最大覆盖（新增 K 处）", "Maximal coverage (add K)"),
    "objective_min-sites": ("最少站点全覆盖", "Fewest sites to cover all"),
    "objective_capacitated": ("按床位容量覆盖", "Coverage within bed capacity"),
    "sites_to_add": ("新增数量 K", "Sites to add (K)"),
    "sites_to_add_help": (
        "最大覆盖与容量模型使用；最少站点模型只作比较。",
        ("Used by maximal coverage and capacity; the fewest-sites model only compares with it."),
    ),
    "siting_minutes": ("步行时间", "Walking time"),
    "generate_candidates": ("同时使用自动生成的街道节点候选点", "Also use generated street-node candidates"),
    "generate_candidates_help": (
        "候选地块图层没有该类型的地块时，总会自动生成候选点。",
        ("Candidates are always generated when the candidates layer has none for the kind."),
    ),
    "run_siting": ("运行选址", "Run siting"),
    "points_change": ("{points} 个百分点", "{points} percentage points"),
    "siting_done": ("选址完成，用时 {s:.1f} 秒", "Siting done in {s:.1f} s"),
    "siting_failed": ("选址无法完成", "Siting could not run"),
    "siting_hint": (
        "选择设施类型与目标，然后点击「运行选址」。",
        "Choose the kind and objective, then press Run siting.",
    ),
    "siting_previous": (
        "下面是上一次运行的结果（{kind}，{objective}，K={add}，{m} 分钟）；修改后的设置需重新运行。",
        ("Below: the last run ({kind}, {objective}, K={add}, {m} min); run again for the changed settings."),
    ),
    "siting_summary": (
        (
            "{objective}：新增 {n} 处{kind}；{what}的老人 {before:,.0f} → {after:,.0f} 人，共 {total:,.0f} 人"
            "（{pb:.1f} % → {pa:.1f} %）；{proof}；用时 {s:.1f} 秒。"
        ),
        (
            "{objective}: {n} new {kind} site(s); elderly {what}: {before:,.0f} → {after:,.0f} of "
            "{total:,.0f} ({pb:.1f} % → {pa:.1f} %); {proof}; {s:.1f} s."
        ),
    ),
    "siting_within": ("步行 {m} 分钟内可达", "within {m} min"),
    "siting_served": ("床位可服务", "served within bed capacity"),
    "siting_optimal": ("已证明最优（差距 0）", "proven optimal (gap 0)"),
    "siting_unproven": (
        "求解状态 {status}，目标值 {objective}，界 {bound}，最优性差距 {gap}，未证明最优",
        "solver status {status}, objective {objective}, bound {bound}, optimality gap {gap}, not proven optimal",
    ),
    "siting_unknown": ("未知", "unknown"),
    "recommended_sites": ("推荐站点", "Recommended sites"),
    "share_before": ("选址前覆盖率", "Covered before"),
    "share_after": ("选址后覆盖率", "Covered after"),
    "share_before_pct": ("选址前覆盖率（%）", "Covered before (%)"),
    "share_after_pct": ("选址后覆盖率（%）", "Covered after (%)"),
    "elderly_added": ("新增覆盖老人", "Elderly added"),
    "optimality_gap": ("最优性差距", "Optimality gap"),
    "marginal_gain": ("每处新站点的边际增益", "Marginal gain of each new site"),
    "curve_caption": ("覆盖曲线（{method}）：", "Coverage curve ({method}):"),
    "curve_method_exact": ("逐个求最优", "exact"),
    "curve_method_order": ("按加入顺序", "entry order"),
    "curve_method_mixed": ("先求最优后按顺序", "exact, then entry order"),
    "no_sites": ("无需或无法新增站点。", "No new site is needed or useful."),
    "site_order": ("顺序", "Order"),
    "site": ("站点", "Site"),
    "gain_elderly": ("新增覆盖老人", "Elderly gained"),
    "cumulative_elderly": ("累计覆盖老人", "Elderly covered (cumulative)"),
    "reach_elderly": ("可达未覆盖老人", "Uncovered elderly within reach"),
    "cost": ("成本", "Cost"),
    "generated": ("自动生成", "Generated"),
    "candidate_id": ("候选编号", "Candidate"),
    "before_after_community": ("各社区选址前后", "Before/after by community"),
    "before_after_street": ("各街道选址前后", "Before/after by street"),
    "community_kind": ("城乡类型", "Urban/rural"),
    "community_kind_urban": ("城市社区", "urban"),
    "community_kind_rural": ("行政村", "rural"),
    "communities_count": ("社区数（个）", "Communities"),
    "no_street": ("（无街道）", "(no street)"),
    "outside_communities": ("（不在任何社区/村内）", "(outside every community)"),
    "site_generated_street_community": (
        "{street}旁（{community}）· 生成候选点{n}",
        "by {street} ({community}) · generated site {n}",
    ),
    "site_generated_street": ("{street}旁 · 生成候选点{n}", "by {street} · generated site {n}"),
    "site_generated_community": ("{community} · 生成候选点{n}", "{community} · generated site {n}"),
    "site_generated": ("生成候选点{n}", "generated site {n}"),
    "note_fragment_facilities": (
        "{n} 处{kind}位于与主路网不连通的小片路网上，只能覆盖同一片路网上的老年人，请核对其位置或补充道路：{names}",
        "{n} {kind} facilities stand on small pieces of the network cut off from the rest and reach only the "
        "elderly on those pieces; check their places or the streets: {names}",
    ),
    "demand_points_count": ("需求点数", "points"),
    "required_points": ("须覆盖的需求点数", "required"),
    "reason": ("原因", "reason"),
    "covered_before": ("选址前覆盖老人", "Covered before"),
    "covered_after": ("选址后覆盖老人", "Covered after"),
    "unreachable": (
        "任何候选点与现有设施都无法覆盖的老人",
        "Elderly no candidate or existing facility reaches",
    ),
    "excluded_candidates": ("被排除的候选点", "Excluded candidates"),
    "scenario_download": ("下载本方案", "Download this scenario"),
    "download_siting_json": ("选址方案（JSON）", "Siting scenario (JSON)"),
    "download_siting_csv": ("各社区选址前后（CSV）", "Before/after by community (CSV)"),
    # data
    "import_layers": ("导入单个图层", "Import single layers"),
    "import_layers_caption": (
        (
            "支持 GeoPackage、GeoJSON、压缩的 Shapefile（.zip）、带经纬度列的 CSV；每个文件最大 {mb} MB。"
            "上传后逐项确认字段对应（* 为必填）。"
        ),
        (
            "GeoPackage, GeoJSON, zipped Shapefile (.zip) or CSV with lon/lat columns; at most {mb} "
            "MB each. Confirm each field's column after uploading (* required)."
        ),
    ),
    "layer_communities": ("社区/村（面）", "Communities/villages (polygons)"),
    "layer_facilities": ("养老服务设施（点或面）", "Facilities (points or polygons)"),
    "layer_candidates": ("候选地块（点，可选）", "Candidate sites (points, optional)"),
    "layer_population": ("老年人口分布（点，可选）", "Elderly density (points, optional)"),
    "layer_buildings": (
        "建筑物（面，可选：层数、高度、用途）",
        "Buildings (polygons, optional: floors, height, use)",
    ),
    "layer_compounds": (
        "居住小区（面，可选：老年人口或户数）",
        "Residential compounds (polygons, optional: elderly or households)",
    ),
    "layer_study": ("研究区文件", "Study file"),
    "layer_network": (
        "步行网络（OSM、GraphML 或道路中心线）",
        "Walking network (OSM, GraphML or centrelines)",
    ),
    "layer_network_help": (
        "OSM 文件（.osm/.osm.pbf/.osm.bz2）、GraphML，或道路中心线图层。",
        ("An OSM file (.osm, .osm.pbf, .osm.bz2), GraphML, or a street-centreline layer."),
    ),
    "layer_failed": ("图层无法读取", "The layer could not be read"),
    "column_mapping_of": (
        "字段对应：{layer}（{file}，{rows} 行）",
        "Column mapping: {layer} ({file}, {rows} rows)",
    ),
    "read_rejected": (
        "{n} 行无法读取（如缺少坐标），不会导入：",
        ("{n} rows could not be read (e.g. no coordinates) and are not imported:"),
    ),
    "aliases": ("可识别的列名", "Accepted names"),
    "study_name": ("研究区名称", "Study name"),
    "uploaded_study": ("上传的研究区", "Uploaded study"),
    "coords": ("坐标系", "Coordinates"),
    "coords_wgs84": ("WGS84（GPS、OSM）", "WGS84 (GPS, OSM)"),
    "coords_gcj02": ("GCJ-02（高德、腾讯）", "GCJ-02 (Amap, Tencent)"),
    "coords_bd09": ("BD-09（百度）", "BD-09 (Baidu)"),
    "build_study": ("建立研究区", "Build the study"),
    "working_crs": ("工作坐标系", "Working CRS"),
    "data_date": ("数据日期", "Data date"),
    "layer": ("图层", "Layer"),
    "file": ("文件", "File"),
    "rows": ("行数", "Rows"),
    "row": ("行号", "Row"),
    "action": ("处理", "Action"),
    "message": ("内容", "Message"),
    "all_layers": ("全部图层", "All layers"),
    "all_actions": ("全部处理", "All actions"),
    # a layer's role as the Data page and the loader's findings name it
    "layer_role_communities": ("社区/村", "communities"),
    "layer_role_facilities": ("养老服务设施", "facilities"),
    "layer_role_candidates": ("候选地块", "candidates"),
    "layer_role_population": ("老年人口分布", "population"),
    "layer_role_buildings": ("建筑物", "buildings"),
    "placement_heading": ("老年人口落位", "Where the elderly were placed"),
    "placement_caption": (
        "社区只给出老年人口总数时，按住宅建筑面积把老年人分配到其中的住宅楼；没有住宅楼的社区按居住用地，再没有的按 "
        "100 米格网均匀分布。点为推算位置，并非个人，不会写入任何导出文件。",
        "Where a community gives only its total, its elderly are placed in its residential buildings by floor "
        "area; a community without any, on its residential land, else evenly over a 100 m grid. The points are "
        "estimates, not people, and no export writes them.",
    ),
    "placement_points": ("老年人口落位点", "Placed elderly"),
    "placed_by": ("落位方式", "Placed by"),
    "placed_by_layer": ("老年人口分布图层", "population layer"),
    "placed_by_buildings": ("按住宅建筑面积", "residential floor area"),
    "placed_by_landuse": ("按居住用地", "residential land use"),
    "placed_by_grid": ("按 100 米格网均匀分布", "even 100 m grid"),
    "placed_by_none": ("无老年人口", "no elderly"),
    "placement_points_count": ("落位点数", "Points"),
    "layer_role_compounds": ("居住小区", "compounds"),
    "layer_role_study": ("研究区", "study"),
    "layer_role_network": ("步行网络", "network"),
    # a solver's status (SitingResult.status)
    "solver_status_optimal": ("最优", "optimal"),
    "solver_status_gap_reached": ("达到设定的最优性差距", "gap_reached"),
    "solver_status_time_limit": ("达到时间上限", "time_limit"),
    "solver_status_greedy": ("采用贪心解", "greedy"),
    "solver_status_infeasible": ("无可行解", "infeasible"),
    "solver_status_interrupted": ("已中断", "interrupted"),
    "solver_status_iteration_limit": ("达到迭代上限", "iteration_limit"),
    "solver_status_solution_limit": ("达到节点数或解数量上限", "solution_limit"),
    "solver_status_unbounded": ("无界", "unbounded"),
    "action_read": ("读取", "Read"),
    "action_mapped": ("字段对应", "Mapped"),
    "action_repaired": ("已修复", "Repaired"),
    "action_rejected": ("已拒绝", "Rejected"),
    "action_note": ("说明", "Note"),
    "validation_report": ("数据校验报告", "Validation report"),
    "column_mapping": ("字段对应", "Column mapping"),
    "mapping": ("对应", "Mapping"),
    "no_mapping_needed": ("所有列名均为标准名称，无需对应。", "Every column already has its canonical name."),
    "rejected_rows": ("被拒绝的数据行", "Rejected rows"),
    "downloads": ("下载结果", "Downloads"),
    "download_coverage_json": ("覆盖结果（JSON）", "Coverage (JSON)"),
    "download_communities_csv": ("各社区覆盖率（CSV）", "Coverage by community (CSV)"),
    "download_streets_csv": ("各街道覆盖率（CSV）", "Coverage by street (CSV)"),
    "download_points_csv": ("需求点步行时间（CSV）", "Demand points with walking times (CSV)"),
    "download_check_json": ("标准核查（JSON）", "Standards check (JSON)"),
    "download_check_csv": ("标准核查（CSV）", "Standards check (CSV)"),
    "download_findings_csv": ("数据校验报告（CSV）", "Validation report (CSV)"),
    "report_files": ("报告文件", "Report files"),
    "download_public_map": ("可公开的覆盖地图（HTML）", "Public coverage map (HTML)"),
    "download_public_map_help": (
        "小于隐私阈值的人数不显示，可直接发布。",
        ("Counts below the privacy threshold are hidden, so it can be published."),
    ),
    "download_workbook": ("报告表格（XLSX）", "Report workbook (XLSX)"),
    "download_gpkg": ("结果图层（GeoPackage）", "Result layers (GeoPackage)"),
    "download_scenario_html": ("方案对比页（HTML，可打印）", "Scenario comparison (HTML, printable)"),
    "download_scenario_png": ("方案对比图（PNG）", "Scenario comparison (PNG)"),
    "personal_left_out": (
        "以下列含个人信息，不会出现在任何导出文件中（地图、表格、图层、CSV）：",
        ("These columns hold personal data and are left out of every export (maps, workbook, layers, CSV):"),
    ),
    "exports_internal": (
        "CSV、JSON、工作簿和图层供本单位内部使用；可公开发布的只有覆盖地图。",
        (
            "The CSV, JSON, workbook and layers are for the bureau's own use; only the coverage map "
            "is meant for publication."
        ),
    ),
    **PROGRESS_TEXT,
}

VERDICTS: dict[str, tuple[str, str]] = {
    "pass": ("达标", "Pass"),
    "fail": ("不达标", "Fail"),
    "not_assessable": ("无法评估", "Not assessable"),
    "advisory": ("提示", "Advisory"),
    "depends_on_estimate": ("取决于估算", "Depends on estimate"),
}
VERDICT_ICONS = {
    "pass": "✅",
    "fail": "❌",
    "not_assessable": "➖",
    "advisory": "ℹ️",
    "depends_on_estimate": "⚖️",
}

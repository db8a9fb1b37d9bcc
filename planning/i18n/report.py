"""The words of the reports (public map, workbook, scenario page): each key with its Chinese and English text."""

from __future__ import annotations

#: The reports' sentences and labels, by key: (Chinese, English); ``{fields}`` are filled by :func:`planning.i18n.say`.
REPORT_TEXT: dict[str, tuple[str, str]] = {
    "map_title": ("{name} 养老服务设施步行覆盖图", "{name}: walking coverage of elderly-care facilities"),
    "sources": ("数据来源", "Sources"),
    "osm": (
        "步行路网 © OpenStreetMap 贡献者（ODbL 许可）",
        "Walking network © OpenStreetMap contributors (ODbL)",
    ),
    "speed": (
        "按老年人步行速度 {speed:g} 米/秒沿步行路网计算（{m} 分钟约 {dist:,.0f} 米）",
        (
            "measured along the walking network at an elderly walking speed of {speed:g} m/s "
            "({m} min ≈ {dist:,.0f} m)"
        ),
    ),
    "privacy": (
        (
            "隐私保护：老年人口只按社区、街道和 {grid:g} 米格网汇总；不足 {k} 人的单元显示为“<{k}”，不显示人数，"
            "必要时另隐去同一街道的一个社区，以免相减推算；覆盖率与人数并列可推算出不足 {k} 人的已覆盖或未覆盖人群时，"
            "该覆盖率不显示；不含任何个人、人口点或非公开信息。"
        ),
        (
            "Privacy: elderly are counted only per community, street and {grid:g} m grid cell; units with fewer "
            "than {k} show “<{k}”, never the number, and where needed a second community of the street is "
            "hidden so that no count follows by subtraction; a share is not shown where, with the counts "
            "beside it, it would give a covered or uncovered group of fewer than {k}; no person, population "
            "point or non-public attribute is included."
        ),
    ),
    "headline": ("{m} 分钟步行覆盖率", "Elderly within a {m}-minute walk"),
    "circles": ("服务圈：{kind}", "Service circles: {kind}"),
    "circle_band": ("{m} 分钟步行服务圈", "{m}-minute walk"),
    "community_layer": ("社区覆盖率：{kind} {m} 分钟", "Coverage per community: {kind}, {m} min"),
    "street_layer": ("街道覆盖率：{kind} {m} 分钟", "Coverage per street: {kind}, {m} min"),
    "grid_layer": (
        "{m} 分钟内无{kind}的老年人（{grid:g} 米格网）",
        "Elderly beyond {m} min of a {kind} ({grid:g} m grid)",
    ),
    "share_col": ("{kind} {m} 分钟覆盖率（%）", "{kind} within {m} min (%)"),
    "elderly_col": ("老年人口（人）", "Elderly (persons)"),
    "uncovered_col": ("未覆盖老年人（人）", "Elderly not covered (persons)"),
    "minutes_col": ("步行时间（分钟）", "Walk (minutes)"),
    "suppressed": ("不足 {k} 人，不显示", "fewer than {k}, not shown"),
    "village_neutral": (
        "行政村（{kind}为城市社区指标，行政村不按此着色，见农村互助养老）",
        "Village ({kind} is an urban target; villages are not shaded by it, see rural mutual aid)",
    ),
    "north_arrow": ("指北针（上方为北）", "North arrow (north is up)"),
    "north_letter": ("北", "N"),
    "villages_layer": ("行政村（农村互助养老）", "Villages (rural mutual aid)"),
    "village_target": (
        "行政村按自身目标：{share}以上的行政村建有农村互助养老服务设施（{citation}），现有 {ok}/{n} 个",
        "Villages by their own target: {share} or more with a rural mutual-aid facility ({citation}); now {ok} of {n}",
    ),
    "village_has_aid": ("已有农村互助养老服务设施的行政村", "Village with a rural mutual-aid facility"),
    "village_lacks_aid": ("尚无农村互助养老服务设施的行政村", "Village without a rural mutual-aid facility"),
    "grid_note": ("格网：不足 {k} 人的格子不显示", "grid: cells with fewer than {k} are left out"),
    "facility_name": ("名称", "Name"),
    "facility_kind": ("类型", "Kind"),
    "floor_area": ("建筑面积（㎡）", "Floor area (m²)"),
    "report_beds": ("床位数（张）", "Beds"),
    "share_legend": ("覆盖率", "Share covered"),
    "offline_missing": (
        "（本文件需联网加载地图程序库）",
        "(this file needs a network connection to load the map library)",
    ),
    # scenario
    "scenario_title": (
        "{name}：新增 {n} 处{kind}的覆盖变化（{m:g} 分钟步行）",
        "{name}: what {n} new {kind} site(s) change ({m:g}-minute walk)",
    ),
    "before": ("选址前", "Before"),
    "after": ("选址后", "After"),
    "covered_line": (
        "覆盖老年人 {b:,.0f} → {a:,.0f} 人（共 {t:,.0f} 人，{bp:.1f}% → {ap:.1f}%）",
        "elderly covered {b:,.0f} → {a:,.0f} of {t:,.0f} ({bp:.1f} % → {ap:.1f} %)",
    ),
    "served_line": (
        "服务老年人 {b:,.0f} → {a:,.0f} 人（共 {t:,.0f} 人，{bp:.1f}% → {ap:.1f}%）",
        "elderly served {b:,.0f} → {a:,.0f} of {t:,.0f} ({bp:.1f} % → {ap:.1f} %)",
    ),
    "existing": ("现有{kind}", "existing {kind}"),
    "new_sites": ("新增站点（序号）", "new sites (order)"),
    "report_per_street": ("各街道覆盖率变化", "Change per street"),
    "report_per_community": ("各社区覆盖率变化", "Change per community"),
    "sites_table": ("新增站点与边际增益", "New sites and marginal gains"),
    "solver_line": ("求解：{proof}；{solver}", "solver: {proof}; {solver}"),
    "generated_note": (
        "候选点由路网节点生成，仅供实地踏勘参考，并非已核实的地块。",
        "Candidate sites were generated from street nodes: places to look at, not vetted sites.",
    ),
    "excluded_note": (
        "{n}处候选地块未参与选址（不符合候选地块标准或不在路网上）：{names}；原因见工作簿“排除的候选点”。",
        (
            "{n} candidate sites were left out (they fail a candidate-site standard or lie off the "
            "network): {names}; the reasons are in the workbook's Excluded candidates sheet."
        ),
    ),
    "excluded_table": ("未参与选址的候选地块", "Candidate sites left out"),
    "scale_km": ("1 公里", "1 km"),
    "report_no_scenario": ("未能生成{kind}的选址方案：{why}", "no siting scenario for {kind}: {why}"),
    "report_screen_note": ("选址筛选：{note}", "siting screen: {note}"),
    # print map
    "print_basemap_credit": (
        "底图：© OpenStreetMap 贡献者（ODbL 许可；{source}）",
        "Basemap: © OpenStreetMap contributors (ODbL; {source})",
    ),
    "print_scale_m": ("{n:g} 米", "{n:g} m"),
    "print_scale_km": ("{n:g} 公里", "{n:g} km"),
    "north": ("北", "N"),
    "print_circle_standard": (
        "15 分钟养老服务圈：{citation}",
        "15-minute elderly-care service circle: {citation}",
    ),
    "print_daycare_standard": ("{title}：{value}（{citation}）", "{title}: {value} ({citation})"),
    "print_privacy": (
        "隐私保护：覆盖率与人数并列可推算出不足 {k} 人的已覆盖或未覆盖人群时，该社区不着色（灰色）；图中不含任何个人或人口点。",
        (
            "Privacy: a community is left grey where its share, with the counts beside it, would give a covered "
            "or uncovered group of fewer than {k}; no person or population point is drawn."
        ),
    ),
    "print_scenario_what": (
        "{kind} {m:g} 分钟步行覆盖率",
        "{kind}: share within {m:g} min",
    ),
    "print_site_line": (
        "{order}. {name}：新增覆盖 {gain} 人，累计覆盖率 {share}",
        "{order}. {name}: +{gain} elderly, {share} covered",
    ),
    "print_sites_more": (
        "另有 {n} 处新增站点见方案对比表",
        "{n} more new sites: see the scenario comparison",
    ),
    "download_coverage_print_pdf": ("覆盖图打印版（A3 PDF）", "Coverage print map (A3 PDF)"),
    "download_coverage_print_png": (
        "覆盖图打印版（A3 PNG，300 dpi）",
        "Coverage print map (A3 PNG, 300 dpi)",
    ),
    "download_scenario_print_pdf": ("选址方案打印版（A3 PDF）", "Scenario print sheet (A3 PDF)"),
    "download_scenario_print_png": (
        "选址方案打印版（A3 PNG，300 dpi）",
        "Scenario print sheet (A3 PNG, 300 dpi)",
    ),
    "download_print_help": (
        "A3 横版，含图例、比例尺、指北针、数据来源和标准依据；覆盖率可推算出不足 {k} 人的人群时不着色，可张贴公示。",
        (
            "A3 landscape with legend, scale bar, north arrow, sources and the standards cited; a share that would "
            "reveal a group of fewer than {k} is not shown, so it can be posted in public."
        ),
    ),
    "report_no_sites": ("无需或无法新增站点", "no new site is needed or useful"),
    # the command line's report
    "cli_report_wrote": ("已写入 {path}", "wrote {path}"),
    "cli_report_summary": (
        "共 {n} 个文件，位于 {out}（公开地图可以发布：老年人口已汇总，不足 {k} 人的单元已隐去）",
        "summary: {n} files in {out} (public map safe to publish: elderly counts aggregated, "
        "areas with fewer than {k} elderly suppressed)",
    ),
    # workbook
    "curve_method_col": ("求解方法", "Method (exact = best k sites; order = first k chosen)"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
}

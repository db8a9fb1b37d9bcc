"""What long work says to a progress callback (:mod:`planning.progress`), and the names inside those messages:
part of :data:`planning.i18n.texts.TEXTS`."""

from __future__ import annotations

from planning.schema import FACILITY_KINDS

PROGRESS_TEXT: dict[str, tuple[str, str]] = {
    # progress: what long work is doing, said to a progress callback (planning.progress)
    "progress_part": ("{label}{inner}", "{label}{inner}"),
    "progress_service_circles_of": ("{kind}服务圈：", "service circles of {kind}: "),
    "progress_study_loaded": ("研究区已读入", "study loaded"),
    "progress_reading_layer": ("正在读取{name}图层", "reading {name}"),
    "progress_validating_layer": ("正在校验{name}图层", "validating {name}"),
    "progress_placing_demand": ("正在把需求点落到路网上", "placing demand on the network"),
    "progress_walking_times_to": ("正在计算到{kind}的步行时间", "walking times to {kind}"),
    "progress_summarising": ("正在汇总", "summarising"),
    "progress_coverage_done": ("覆盖分析完成", "coverage done"),
    "progress_existing_times": ("正在计算现有设施的步行时间", "walking times of the existing facilities"),
    "progress_candidate_sites": ("正在整理候选地块", "candidate sites"),
    "progress_candidate_times": ("正在计算 {n} 处候选地块的步行时间", "walking times of {n} candidate sites"),
    "progress_solving": ("正在求解：{objective}", "solving {objective}"),
    "progress_service_circles": ("正在生成服务圈", "service circles"),
    "progress_standards_check": ("正在对照标准检查", "standards check"),
    "progress_siting_scenario": ("选址方案：新增 {add} 处{kind}", "siting scenario: {add} {kind}"),
    "progress_public_map": ("正在生成可公开的覆盖地图", "public coverage map"),
    "progress_workbook": ("正在生成报告表格", "workbook"),
    "progress_geopackage": ("正在生成结果图层（GeoPackage）", "GeoPackage"),
    "progress_scenario_comparison": ("正在生成方案对比", "scenario comparison"),
    "progress_report_written": ("报告已写入 {out}：{files}", "report written to {out}: {files}"),
    "progress_demo_streets": (
        "正在布置街道、小区、河流、铁路和高速公路",
        "laying out streets, compounds, the river, the railway and the expressway",
    ),
    "progress_demo_places": ("正在绘制社区和村庄", "drawing communities and villages"),
    "progress_demo_residents": ("正在按 100 米网格分布居民", "spreading residents over 100 m cells"),
    "progress_demo_facilities": ("正在布置设施和候选地块", "placing facilities and candidate sites"),
    "progress_demo_write_streets": ("正在写入 streets.osm", "writing streets.osm"),
    "progress_demo_write_layers": (
        "正在写入社区、设施、候选地块和人口图层",
        "writing communities, facilities, candidates and population",
    ),
    "progress_demo_written": ("示范研究区已写入 {folder}", "demo study written to {folder}"),
    # names inside progress messages: said in Chinese, in English as the code the options and study.toml use
    **{f"progress_kind_{kind}": (zh, kind) for kind, zh in FACILITY_KINDS.items()},
    "progress_objective_coverage": ("最大覆盖", "coverage"),
    "progress_objective_min-sites": ("最少站点全覆盖", "min-sites"),
    "progress_objective_capacitated": ("按床位容量覆盖", "capacitated"),
    "progress_layer_communities": ("社区/村", "communities"),
    "progress_layer_facilities": ("养老服务设施", "facilities"),
    "progress_layer_candidates": ("候选地块", "candidates"),
    "progress_layer_population": ("老年人口分布", "population"),
    "progress_layer_buildings": ("建筑物", "buildings"),
    "progress_layer_compounds": ("居住小区", "compounds"),
}

"""The words of the choice of how service circles are split (the coverage page), each key with its (Chinese,
English) text."""

from __future__ import annotations

#: The service-circle mode's labels, by key: (Chinese, English). ``circles_mode_<mode>`` for every mode of
#: :data:`geo.service_area.MODES`.
CIRCLES_TEXT: dict[str, tuple[str, str]] = {
    "circles_mode": ("服务圈划分", "Service circles"),
    "circles_mode_dissolved": ("合并", "Dissolved"),
    "circles_mode_per_facility": ("逐设施", "Per facility"),
    "circles_mode_nearest": ("最近设施划分", "Split to the nearest facility"),
    "circles_mode_help": (
        "合并：每个时段一个服务圈；逐设施：每个设施每个时段一个服务圈，相邻设施的服务圈相互重叠；"
        "最近设施划分：每个设施每个时段一个服务圈，重叠部分划给步行最近的设施。图层下载（GeoPackage）采用同一划分。",
        "Dissolved: one circle per band; per facility: one circle per facility and band, neighbours' circles "
        "overlap; split to the nearest facility: one per facility and band, the overlaps given to the nearest "
        "facility on foot. The layers download (GeoPackage) uses the same choice.",
    ),
}

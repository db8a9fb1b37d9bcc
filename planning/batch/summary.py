"""One table to compare the studies and an overview map: ``summary.csv``, ``summary.json``, ``summary.xlsx`` (one
row per study, headers in the run's language) and ``overview.html`` (folium) and ``overview.png`` (matplotlib), each
study's outline shaded by its 15-minute service-circle share."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from geo.files import atomic_write
from planning.batch.records import StudyRecord
from planning.display import format_share
from planning.export import csv_bytes, html_text, safe_frame
from planning.i18n import kind_label, say
from planning.maps import LeafletMap, SafeGeoJson, TextTooltip, html_element, map_html
from planning.report import SHARE_CLASSES, SUPPRESSED_COLOUR, cjk_font
from planning.schema import FACILITY_KINDS

#: The files of the summary, in the order they are written.
SUMMARY_FILES = ("summary.csv", "summary.json", "summary.xlsx", "overview.html", "overview.png")


def _kinds(records: Sequence[StudyRecord]) -> list[str]:
    present = {k for r in records for k in r.shares}
    order = list(FACILITY_KINDS)
    return sorted(present, key=lambda k: (order.index(k) if k in order else len(order), k))


def summary_frame(records: Sequence[StudyRecord], lang: str = "zh") -> pd.DataFrame:
    """One row per study with the headers in ``lang``: name, status, reason, residents, elderly, the share within
    15 minutes per kind, the service circle, rows passed / failed / not assessable, the largest shortfalls, the
    seconds taken and whether the row was kept from an earlier run."""
    sep = "；" if lang == "zh" else "; "
    rows = []
    for r in records:
        row: dict[str, Any] = {
            say("batch_col_name", lang): r.name,
            say("batch_col_title", lang): r.title,
            say("batch_col_status", lang): say(f"batch_status_{r.status}", lang),
            say("batch_col_reason", lang): r.reason,
            say("batch_col_residents", lang): r.residents,
            say("batch_col_elderly", lang): r.elderly,
        }
        for kind in _kinds(records):
            row[say("batch_col_share", lang, kind=kind_label(kind, lang))] = r.shares.get(kind)
        row |= {
            say("batch_col_circle", lang): r.circle,
            say("batch_col_pass", lang): r.passed,
            say("batch_col_fail", lang): r.failed,
            say("batch_col_not_assessable", lang): r.not_assessable,
            say("batch_col_shortfalls", lang): sep.join(r.shortfalls),
            say("batch_col_seconds", lang): round(r.seconds, 1),
            say("batch_col_reused", lang): say("batch_yes" if r.reused else "batch_no", lang),
        }
        rows.append(row)
    frame = pd.DataFrame(rows)
    for key in ("residents", "elderly", "pass", "fail", "not_assessable"):
        col = say(f"batch_col_{key}", lang)
        frame[col] = frame[col].astype("Int64")
    return frame


def _xlsx_bytes(frame: pd.DataFrame, lang: str) -> bytes:
    from openpyxl import Workbook  # optional heavy dependency: loaded when a workbook is written

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = say("batch_sheet", lang)
    clean = safe_frame(frame)
    sheet.append(list(clean.columns))
    for values in clean.itertuples(index=False):
        sheet.append([None if _missing(v) else v for v in values])
    for i, header in enumerate(clean.columns, start=1):
        sheet.column_dimensions[sheet.cell(1, i).column_letter].width = max(10, min(40, 2 * len(str(header))))
    sheet.freeze_panes = "B2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def share_colour(share: float | None) -> str:
    """The colour of a service-circle share (the public map's classes), grey when there is none."""
    if share is None:
        return SUPPRESSED_COLOUR
    for upper, colour in SHARE_CLASSES:
        if share < upper:
            return colour
    return SHARE_CLASSES[-1][1]


def outlines_frame(records: Sequence[StudyRecord], lang: str = "zh") -> gpd.GeoDataFrame:
    """The studies with an outline (WGS84): name, circle share, its colour and a label in ``lang``."""
    rows = []
    for r in records:
        if not r.outline:
            continue
        share = "—" if r.circle is None else format_share(r.circle, lang=lang)
        label = say("batch_map_tooltip", lang, name=r.title or r.name, share=share)
        rows.append(
            {
                "name": r.name,
                "circle": r.circle,
                "colour": share_colour(r.circle),
                "label": label,
                "geometry": shapely.from_wkt(r.outline),
            }
        )
    columns = ["name", "circle", "colour", "label", "geometry"]
    return gpd.GeoDataFrame(rows, columns=columns, geometry="geometry", crs="EPSG:4326")


def overview_html(records: Sequence[StudyRecord], lang: str = "zh") -> str:
    """The overview map as one HTML document (no basemap: the studies' outlines shaded by the circle share)."""
    frame = outlines_frame(records, lang)
    fmap = LeafletMap(tiles=None, control_scale=True)
    if len(frame):
        data = json.loads(frame[["label", "colour", "geometry"]].to_json())
        SafeGeoJson(
            data,
            style_function=lambda f: {
                "fillColor": f["properties"]["colour"],
                "color": "#333",
                "weight": 1,
                "fillOpacity": 0.75,
            },
            tooltip=TextTooltip(fields=["label"], labels=False),
        ).add_to(fmap)
        x0, y0, x1, y1 = frame.total_bounds
        fmap.fit_bounds([[y0, x0], [y1, x1]])
    title = html_text(say("batch_map_title", lang))
    box = (
        '<div style="position:fixed;top:10px;left:50px;z-index:1000;background:white;padding:6px 10px;'
        f'font:16px sans-serif;border:1px solid #999">{title}</div>'
    )
    fmap.get_root().html.add_child(html_element(box))  # type: ignore[attr-defined]
    return map_html(fmap)


def overview_png(records: Sequence[StudyRecord], lang: str = "zh") -> bytes:
    """The overview map as a PNG for print: outlines shaded by the circle share, named, with a legend."""
    import matplotlib  # optional heavy dependency: loaded when a figure is drawn

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    font = cjk_font() if lang == "zh" else None
    draw_lang = "zh" if font else "en"
    frame = outlines_frame(records, draw_lang)
    fig, ax = plt.subplots(figsize=(11.7, 8.3), dpi=150)
    with plt.rc_context({"font.family": font} if font else {}):
        if len(frame):
            frame.plot(ax=ax, color=frame["colour"], edgecolor="#333", linewidth=0.6)
            for point, name in zip(frame.representative_point(), frame["name"], strict=True):
                ax.annotate(
                    name, (point.x, point.y), ha="center", fontsize=8, fontfamily=font or "sans-serif"
                )
        lower = 0.0
        handles = []
        for upper, colour in SHARE_CLASSES:
            top = min(upper, 1.0)
            handles.append(Patch(color=colour, label=f"{lower * 100:.0f}–{top * 100:.0f} %"))
            lower = top
        handles.append(Patch(color=SUPPRESSED_COLOUR, label=say("batch_map_no_data", draw_lang)))
        ax.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            prop={"family": font} if font else None,
        )
        ax.set_title(say("batch_map_title", draw_lang), fontfamily=font or "sans-serif", fontsize=14)
        ax.set_axis_off()
        ax.set_aspect("equal")
        out = io.BytesIO()
        fig.savefig(out, format="png", bbox_inches="tight")
    plt.close(fig)
    return out.getvalue()


def write_summary(records: Sequence[StudyRecord], out_dir: Path, *, lang: str = "zh") -> list[Path]:
    """Write :data:`SUMMARY_FILES` into ``out_dir`` (each atomically); returns their paths."""
    frame = summary_frame(records, lang)
    data = {"studies": [{k: v for k, v in r.as_json().items() if k != "outline"} for r in records]}
    written = [
        atomic_write(out_dir / "summary.csv", csv_bytes(frame, layer="summary", keep=tuple(frame.columns))),
        atomic_write(out_dir / "summary.json", json.dumps(data, ensure_ascii=False, indent=2) + "\n"),
        atomic_write(out_dir / "summary.xlsx", _xlsx_bytes(frame, lang)),
        atomic_write(out_dir / "overview.html", overview_html(records, lang)),
        atomic_write(out_dir / "overview.png", overview_png(records, lang)),
    ]
    return written

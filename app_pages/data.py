"""数据 Data: importing single layers with a column mapping, the validation report, the loader's column mapping,
rejected rows, and downloads of results."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from app_pages.common import (
    check_for,
    chosen,
    chosen_circles_mode,
    circles_for,
    coverage_for,
    current_settings,
    download,
    failure_text,
    get_study,
    guarded,
    network_for,
    placement_for,
    plain_markdown,
    preset_label,
    session_dir,
    show_map,
    study_or_stop,
    study_preset,
    study_title,
)
from planning.coverage import coverage_json, points_frame, points_table
from planning.display import format_number
from planning.errors import StudyError
from planning.export import csv_bytes, json_text
from planning.i18n import say, tr
from planning.intake import (
    LAYER_FILE_TYPES,
    LAYER_ROLES,
    MAX_UPLOAD_MB,
    NETWORK_FILE_TYPES,
    content_id,
    read_uploaded_layer,
    save_upload,
    study_from_layers,
)
from planning.maps import placement_map
from planning.report import layers_gpkg_bytes, personal_notes, public_map_html, workbook_bytes
from planning.schema import LAYER_COLUMNS, REQUIRED_LAYERS
from planning.siting import siting_json
from planning.standards import PRESETS, check_json
from planning.study import STUDY_FILE, Study

settings = current_settings()
lang = settings.lang
state = st.session_state
NONE = "—"


def layer_import() -> None:
    """Upload single layers, map their columns to the study's fields, and build a study of this session."""
    st.subheader(tr("import_layers", lang))
    st.caption(tr("import_layers_caption", lang).format(mb=MAX_UPLOAD_MB))
    uploads = state.setdefault("_layer_uploads", {})
    mappings: dict[str, tuple] = {}
    ok = True
    for role in LAYER_ROLES:
        required = role in REQUIRED_LAYERS
        label = tr(f"layer_{role}", lang) + (" *" if required else "")
        file = st.file_uploader(label, type=list(LAYER_FILE_TYPES), key=f"up_{role}")
        if file is None:
            uploads.pop(role, None)
            ok = ok and not required
            continue
        entry = uploaded_layer(uploads, role, file)
        if "error" in entry:
            st.error(failure_text("layer_failed", entry["error"], lang))
            ok = False
            continue
        mappings[role] = (entry["layer"].path, column_mapping(role, entry))
    network = network_upload()
    build_controls(mappings, network, ready=ok and bool(mappings))


def uploaded_layer(uploads: dict, role: str, file: Any) -> dict:
    """The session's entry of the layer uploaded for ``role`` (read once per content): ``id``, ``name`` and the
    ``layer`` read, or the ``error`` that refused it."""
    data = file.getvalue()
    ident = content_id(data)
    if uploads.get(role, {}).get("id") != ident:
        entry: dict = {"id": ident, "name": file.name}
        try:
            path = save_upload(data, file.name, session_dir() / "layers" / role / ident)
            entry["layer"] = read_uploaded_layer(path, role)
        except StudyError as exc:
            entry["error"] = exc
        uploads[role] = entry
    return uploads[role]


def column_mapping(role: str, entry: dict) -> dict[str, str | None]:
    """The layer's notes and rejected rows, and a choice of its column for each field of ``role`` (the reader's
    guess first); returns field -> column (None: not given)."""
    layer = entry["layer"]
    mapping: dict[str, str | None] = {}
    with st.expander(
        tr("column_mapping_of", lang).format(
            layer=tr(f"layer_{role}", lang), file=plain_markdown(entry["name"]), rows=layer.rows
        ),
        expanded=True,
    ):
        for note in layer.notes:
            st.caption(plain_markdown(say(note, lang)))
        if len(layer.rejected):
            st.warning(tr("read_rejected", lang).format(n=len(layer.rejected)))
            st.dataframe(layer.rejected, hide_index=True, width="stretch", height=150)
        cols = st.columns(4)
        for i, col in enumerate(LAYER_COLUMNS[role]):
            options = [NONE, *layer.columns]
            guess = layer.guess.get(col.name)
            choice = cols[i % 4].selectbox(
                f"{col.name}{' *' if col.required else ''}",
                options,
                index=options.index(guess) if guess in options else 0,
                key=f"map_{role}_{col.name}_{entry['id']}",
                help=tr("aliases", lang) + ": " + ", ".join(col.aliases),
            )
            mapping[col.name] = None if choice == NONE else choice
    return mapping


def network_upload() -> Path | None:
    """The uploaded walking network saved in this session's folder, or None (none uploaded, or refused)."""
    net_file = st.file_uploader(
        tr("layer_network", lang),
        type=list(NETWORK_FILE_TYPES),
        key="up_network",
        help=tr("layer_network_help", lang),
    )
    if net_file is None:
        return None
    data = net_file.getvalue()
    try:
        return save_upload(data, net_file.name, session_dir() / "network" / content_id(data))
    except StudyError as exc:
        st.error(failure_text("layer_failed", exc, lang))
        return None


def build_controls(mappings: dict[str, tuple], network: Path | None, *, ready: bool) -> None:
    """The study's name, coordinates and preset, and the button that builds the study of the session's layers."""
    c1, c2, c3 = st.columns(3)
    name = c1.text_input(tr("study_name", lang), value=tr("uploaded_study", lang), key="import_name")
    coords = c2.selectbox(
        tr("coords", lang),
        ["wgs84", "gcj02", "bd09"],
        key="import_coords",
        format_func=lambda c: tr(f"coords_{c}", lang),
    )
    preset = c3.selectbox(
        tr("preset", lang), list(PRESETS), key="import_preset", format_func=lambda p: preset_label(p, lang)
    )
    if st.button(tr("build_study", lang), type="primary", disabled=not ready, key="build_study"):
        try:
            folder = study_from_layers(
                session_dir() / "layers_study",
                mappings,
                network=network,
                name=name,
                coords=coords,
                preset=preset,
            )
            get_study(str(folder))
        except StudyError as exc:
            st.error(failure_text("load_failed", exc, lang))
        else:
            state["_layers_study"] = str(folder)
            st.rerun()


st.header(tr("data", lang))
if settings.source == "layers":
    layer_import()
    st.divider()
study = study_or_stop(settings, notice=False)
st.subheader(f"{tr('study', lang)} · {plain_markdown(study_title(study, lang))}")
st.caption(
    plain_markdown(
        # the study's own folder name only: the server's paths (an upload's session folder) are not the user's business
        f"{study.folder.name}/{STUDY_FILE} · {tr('working_crs', lang)}: {study.crs.name} ({study.crs.to_string()}) · "
        f"{tr('coords', lang)}: {study.coords}"
        + (f" · {tr('data_date', lang)}: {study.data_date}" if study.data_date else "")
    )
)
if study.synthetic:
    st.info(tr("synthetic_notice", lang))


def placement_section(study: Study, settings: Any) -> None:
    """Per community how its elderly were placed, and the map of the placed points."""
    demand, table = placement_for(study)
    shown = table.assign(
        placed_by=[tr(f"placed_by_{m}", lang) for m in table["placed_by"]],
        elderly=[format_number(v, groups=",") for v in table["elderly"]],
    ).rename(
        columns={
            "name": tr("community", lang),
            "street": tr("street", lang),
            "elderly": tr("elderly", lang),
            "placed_by": tr("placed_by", lang),
            "points": tr("placement_points_count", lang),
        }
    )
    left, right = st.columns([2, 3])
    left.dataframe(shown, hide_index=True, width="stretch", height=420)
    with right:
        show_map(
            placement_map(
                study, demand, lang=lang, basemap=settings.basemap, tianditu_key=settings.tianditu_key
            ),
            lang=lang,
            height=420,
        )


def layer_label(name: object) -> str:
    """A layer's display name (the key itself for a layer the app has no words for)."""
    key = f"layer_{name}"
    text = tr(key, lang)
    return str(name) if text == key else text


st.dataframe(
    pd.DataFrame(
        {
            tr("layer", lang): [layer_label(n) for n in study.layer_sources],
            tr("file", lang): list(study.layer_sources.values()),
            tr("rows", lang): [
                len(getattr(study, n)) if getattr(study, n, None) is not None else 0
                for n in study.layer_sources
            ],
        }
    ),
    hide_index=True,
    width="stretch",
)

findings = pd.DataFrame(
    [
        {
            "layer": f.layer,
            "source": f.source,
            "row": f.row,
            "action": f.action,
            "message": f.message_in(lang),
        }
        for f in study.findings
    ]
)
findings_csv = pd.DataFrame(
    [
        {
            "layer": f.layer,
            "source": f.source,
            "row": f.row,
            "action": f.action,
            "message": f.message,
            "message_zh": f.message_in("zh"),
        }
        for f in study.findings
    ]
)
counts = findings["action"].value_counts() if len(findings) else pd.Series(dtype=int)
st.subheader(tr("validation_report", lang))
cols = st.columns(5)
for col, action in zip(cols, ("read", "mapped", "repaired", "rejected", "note"), strict=False):
    col.metric(tr(f"action_{action}", lang), int(counts.get(action, 0)))
f1, f2 = st.columns(2)
layers = f1.multiselect(
    tr("layer", lang),
    sorted(findings["layer"].unique()) if len(findings) else [],
    key="findings_layers",
    placeholder=tr("all_layers", lang),
    format_func=layer_label,
)
actions = f2.multiselect(
    tr("action", lang),
    ["rejected", "repaired", "mapped", "read", "note"],
    key="findings_actions",
    format_func=lambda a: tr(f"action_{a}", lang),
    placeholder=tr("all_actions", lang),
)
shown = chosen(findings, {"layer": layers, "action": actions})
st.dataframe(
    shown.assign(
        action=[tr(f"action_{a}", lang) for a in shown["action"]],
        layer=[layer_label(n) for n in shown["layer"]],
        row=["" if pd.isna(r) else str(r) for r in shown["row"]],
    ).rename(
        columns={
            "layer": tr("layer", lang),
            "source": tr("file", lang),
            "row": tr("row", lang),
            "action": tr("action", lang),
            "message": tr("message", lang),
        }
    ),
    hide_index=True,
    width="stretch",
    height=320,
)

st.subheader(tr("placement_heading", lang))
st.caption(tr("placement_caption", lang))
guarded(lambda: placement_section(study, settings), lang=lang)

st.subheader(tr("column_mapping", lang))
mapped = findings[findings["action"] == "mapped"] if len(findings) else findings
if len(mapped):
    table = mapped[["layer", "source", "message"]].assign(layer=[layer_label(n) for n in mapped["layer"]])
    st.dataframe(
        table.rename(
            columns={"layer": tr("layer", lang), "source": tr("file", lang), "message": tr("mapping", lang)}
        ),
        hide_index=True,
        width="stretch",
    )
else:
    st.caption(tr("no_mapping_needed", lang))

if study.rejected:
    st.subheader(tr("rejected_rows", lang))
    for layer_name, frame in study.rejected.items():
        with st.expander(f"{plain_markdown(layer_label(layer_name))}: {len(frame)}"):
            st.dataframe(
                frame.drop(columns="geometry", errors="ignore").astype(str), hide_index=True, width="stretch"
            )

st.subheader(tr("downloads", lang))
st.caption(tr("exports_internal", lang))
# every download below leaves the study's personal columns out (planning.export.strip_personal): say which
_personal = personal_notes(study)
if _personal:
    st.info(
        tr("personal_left_out", lang)
        + "\n\n"
        + "\n".join(f"- {plain_markdown(n.message_in(lang))}" for n in _personal)
    )
net = network_for(study, settings)
base = "eldercircle"
d1, d2, d3 = st.columns(3)
if net is not None:
    result = coverage_for(study, net, minutes=settings.minutes)
    cov = coverage_json(result)
    cov["study"] = study.name
    download(
        d1, tr("download_coverage_json", lang), json_text(cov), f"{base}_coverage.json", key="dl_cov_json"
    )
    download(
        d1,
        tr("download_communities_csv", lang),
        csv_bytes(result.communities, layer="communities"),
        f"{base}_coverage_communities.csv",
        key="dl_cov_comm",
    )
    download(
        d1,
        tr("download_streets_csv", lang),
        csv_bytes(result.streets, layer="streets"),
        f"{base}_coverage_streets.csv",
        key="dl_cov_street",
    )
    download(
        d2,
        tr("download_points_csv", lang),
        csv_bytes(points_table(points_frame(result)), layer="demand_points"),
        f"{base}_demand_points.csv",
        key="dl_points",
    )
preset = (
    state.get("_keep_std_preset")
    if state.get("_preset_for") == str(study.folder)  # the Standards page's
    else study_preset(study)
)
preset = preset if preset in PRESETS else "national"
check = check_for(study, net, preset=preset)
download(
    d3,
    tr("download_check_json", lang),
    json_text(check_json(check)),
    f"{base}_check_{preset}.json",
    key="dl_check_json",
)
download(
    d3,
    tr("download_check_csv", lang),
    csv_bytes(check.rows, layer="check"),
    f"{base}_check_{preset}.csv",
    key="dl_check_csv",
)
last = state.get("_siting")
if last is not None and last["study"][0] == str(study.folder):
    download(
        d2,
        tr("download_siting_json", lang),
        json_text(siting_json(last["result"])),
        f"{base}_siting.json",
        key="dl_siting_data",
    )
download(
    st,
    tr("download_findings_csv", lang),
    csv_bytes(findings_csv, layer="findings", keep=findings_csv.columns),
    f"{base}_validation.csv",
    key="dl_findings",
)

# the report files (planning.report), made when their button is pressed
if net is not None:
    walk_net = net  # not None here (the closures below would lose that)
    st.subheader(tr("report_files", lang))
    siting = last["result"] if last is not None and last["study"][0] == str(study.folder) else None
    r1, r2, r3 = st.columns(3)
    download(
        r1,
        tr("download_public_map", lang),
        lambda: public_map_html(
            study,
            result,
            circles_for(study, walk_net, result, quiet=True),
            lang=lang,
            basemap=None if settings.basemap == "auto" else settings.basemap,
            network=walk_net,
        ),
        f"{base}_public_map_{lang}.html",
        key="dl_public_map",
        help=tr("download_public_map_help", lang),
    )
    download(
        r2,
        tr("download_workbook", lang),
        lambda: workbook_bytes(study, result, check, siting, lang=lang),
        f"{base}_report_{lang}.xlsx",
        key="dl_workbook",
    )
    download(
        r3,
        tr("download_gpkg", lang),
        lambda: layers_gpkg_bytes(
            study,
            result,
            circles_for(study, walk_net, result, mode=chosen_circles_mode(), quiet=True),
            siting,
        ),
        f"{base}_layers.gpkg",
        key="dl_gpkg",
    )

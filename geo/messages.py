"""What geo says to a person, as message codes with parameters.

A :class:`Message` carries a code, its parameters and the English template; ``str(message)`` is the English
sentence. geo's own codes and their English are in :data:`EN` (the layer reader's notes, the network cache's lines,
geo's errors); :mod:`planning.i18n` makes messages of planning's codes with the English from its catalogue. Every
other language renders the same code and parameters from the catalogue in :mod:`planning.i18n`
(``planning.i18n.say(message, "zh")``), so nothing is ever translated back from English.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

#: The English sentence of each code geo says (notes, lines, errors and the phrases inside them); ``{name}`` fields are
#: the message's parameters (``!r`` quotes a name).
EN: dict[str, str] = {
    # the layer reader's notes (what it decided about a file)
    "text_gb18030": "read as GB18030/GBK (the bytes are not UTF-8, as in Excel exports in China)",
    "coords_from_columns": "coordinates from columns {lon!r} (longitude) and {lat!r} (latitude)",
    "geometry_from_wkt": "geometry from the WKT column {column!r}",
    "coords_as_lonlat": (
        "coordinates taken as longitude/latitude in degrees (EPSG:4326; see coords for GCJ-02/BD-09)"
    ),
    "row_without_coords": "missing or non-numeric coordinates in {lon!r}/{lat!r}",
    "row_bad_wkt": "unreadable WKT in column {column!r}",
    "crs_from_study": "no CRS in the file: used {crs} as study.toml states",
    "attributes_gb18030_fallback": "attributes read as GB18030/GBK (they are not valid UTF-8 as the file claims)",
    "attributes_utf8": "attributes read as UTF-8 (no .cpg file; the bytes are valid UTF-8)",
    "attributes_gb18030": (
        "attributes read as GB18030/GBK (no .cpg file and the bytes are not UTF-8, as in most Chinese GIS "
        "exports); add a .cpg file to say otherwise"
    ),
    # layers (geo.layers): what a layer is, its path, its CRS
    "none_listed": "(none)",
    "list_separator": ", ",
    "layer_label": "{name} layer {label!r}",
    "layer_path_label": "layer path {path!r}",
    "layer_path_empty": (
        "an empty layer path was given; name a file such as communities.geojson or data.gpkg#layer"
    ),
    "path_control_chars": "{where} contains control characters; write the file's name as plain text",
    "path_is_url": (
        "{where} is a URL; files are never downloaded from a study: download it yourself, put it in the "
        "study folder and name it relative to study.toml"
    ),
    "path_is_gdal_virtual": (
        "{where} is a GDAL virtual path (/vsi...), which studies may not use; name a file in the study "
        "folder, relative to study.toml"
    ),
    "layer_file_missing": (
        "{where}: file {path} does not exist; check the path in study.toml (relative paths are relative to "
        "the study folder)"
    ),
    "layer_is_folder": "{where}: {path} is a folder, not a file; name the layer file itself",
    "layer_type_unknown": (
        "{where}: files of type {suffix!r} are not read; give a GeoPackage (.gpkg), GeoJSON (.geojson), "
        "Shapefile (.shp or zipped .zip) or CSV with lon/lat columns (.csv)"
    ),
    "layer_crs_unknown": (
        "{where}: crs = {crs!r} is not a coordinate reference system pyproj knows; write it as EPSG:<code>, "
        'e.g. crs = "EPSG:4547"'
    ),
    "layer_no_crs": (
        "{where} has no coordinate reference system (no .prj file or SRS); add the .prj file, or state it "
        'in study.toml, e.g. {{ path = "...", crs = "EPSG:4547" }}'
    ),
    "layer_crs_conflict": (
        "{where}: the file declares {declared} but study.toml says {stated}; remove the crs setting or fix "
        "the file"
    ),
    "layer_lonlat_swapped": (
        "{where}: longitude and latitude look swapped (x runs {x0:.4f}–{x1:.4f}, y runs {y0:.4f}–{y1:.4f}; "
        "in China longitude is 73–136 and latitude 3–54); swap the two columns (or their names) in the file"
    ),
    "layer_coords_out_of_range": (
        "{where}: {n} coordinates are outside longitude ±180 / latitude ±90; the file is probably in a "
        'projected CRS declared as lon/lat: state its CRS in study.toml (e.g. crs = "EPSG:4547")'
    ),
    # layers: reading CSV, GeoPackage, GeoJSON and Shapefile files
    "layer_decode_failed": (
        "{where}: cannot decode the file as {encoding} (invalid bytes at byte {byte}); fix the encoding "
        "setting in study.toml or save the file as UTF-8"
    ),
    "layer_encoding_unknown": (
        "{where}: the encoding {encoding!r} is not one Python knows; fix the encoding setting in study.toml "
        "(e.g. gb18030 or utf-8)"
    ),
    "layer_not_text": "{where}: the file is neither UTF-8 nor GB18030 text; save it as UTF-8 CSV",
    "csv_empty": "{where}: {file} is empty; export the table again with its header row and rows",
    "csv_unreadable": (
        "{where}: {file} is not a readable CSV (rows with more fields than the header, or broken quoting); "
        "check the delimiter (comma) and quoting"
    ),
    "csv_no_coordinates": (
        "{where}: {file} has no coordinate columns; name them lon/lat (or lng, longitude, x / latitude, y, "
        "经度 / 纬度) or give a WKT column ({n} columns found, none of them named so)"
    ),
    "format_other": "another format",
    "layer_not_gdal_format": (
        "{where}: {file} is not a GeoPackage, GeoJSON or Shapefile; give one of those, or a CSV with "
        "lon/lat columns"
    ),
    "layer_cannot_open": (
        "{where}: {file} cannot be opened as a {what} (the file is damaged, incomplete or of another "
        "format); export it again as {what} from your GIS"
    ),
    "gpkg_no_such_layer": (
        "{where}: GeoPackage {file} has no layer {layer!r}; its layers are {names}; write e.g. {file}#{first}"
    ),
    "gpkg_many_layers": "{where}: GeoPackage {file} holds {n} layers ({names}); name one as {file}#<layer>",
    "layer_wrong_driver": (
        "{where}: {file} opens as {opened}, not as {what}; only GeoPackage, GeoJSON and Shapefile layers "
        "are read: export it again as one of those"
    ),
    "layer_unreadable": (
        "{where}: {file} cannot be read as a {what} (a damaged or incomplete file, or attributes in another "
        "encoding); export it again from your GIS"
    ),
    "layer_no_geometry": (
        "{where}: {file} has no geometry column; export it with its geometry, or give a CSV with lon/lat "
        "columns"
    ),
    # format sniffing (geo.layers.formats): a file's first bytes against the format its name claims
    "format_name_gpkg": "GeoPackage",
    "format_name_geojson": "GeoJSON",
    "format_name_shp": "Shapefile",
    "format_name_zip": "zip",
    "format_name_csv": "CSV text",
    "format_name_osm": "OpenStreetMap XML",
    "format_name_osm_bz2": "bzip2-compressed OpenStreetMap XML",
    "format_name_osm_pbf": "OpenStreetMap PBF",
    "format_name_graphml": "GraphML",
    "format_fix_gpkg": "export the layer again as GeoPackage",
    "format_fix_geojson": (
        'a GeoJSON file holds one JSON object ({{"type": "FeatureCollection", ...}}); export the layer '
        "again as GeoJSON"
    ),
    "format_fix_shp": "give the Shapefile's own .shp (with its .shx, .dbf and .prj), or export it again",
    "format_fix_zip": "zip the layer's files again",
    "format_fix_csv": "save the table as CSV text (UTF-8) with lon/lat columns",
    "format_fix_osm_pbf": "give a complete .osm.pbf extract (e.g. from Geofabrik), or an .osm file",
    "format_fix_osm_bz2": "compress the .osm file with bzip2, or give it uncompressed",
    "format_fix_graphml": "save the graph with osmnx.save_graphml",
    "format_fix_osm_extract": "give an OpenStreetMap extract (.osm, .osm.bz2 or .osm.pbf)",
    "file_type_unknown": (
        "{where}: {file} is of a type studies do not use; give a GeoPackage, GeoJSON, zipped Shapefile or "
        "CSV layer, or an OSM (.osm, .osm.bz2, .osm.pbf) or GraphML network"
    ),
    "file_cannot_open": "{where}: {file} cannot be opened ({reason}); check its permissions",
    "file_wrong_magic": (
        "{where}: {file} is not a {format} file (its first bytes are those of another format); {fix}"
    ),
    "xml_doctype": (
        "{where}: {file} declares a DOCTYPE, which {claimed} files never need and which could make the "
        "reader fetch other files; export the file again without it"
    ),
    "xml_wrong_root": "{where}: {file} is not a {claimed} file (its root element is not <{root}>); {fix}",
    "xml_not_xml": "{where}: {file} is not a {claimed} file (it does not start with XML); {fix}",
    "xml_no_root": (
        "{where}: {file} has no <{root}> element within its first {mb} MB; give a complete {claimed} file"
    ),
    # zips (geo.layers.zips): members checked before anything is read
    "zip_member_label": "{where}: {zip} member",
    "zip_invalid": (
        "{where}: {zip} is not a valid zip file (damaged, truncated or of another format); zip the files "
        "again"
    ),
    "zip_duplicate_member": (
        "{where}: {zip} holds two members named {member!r} (one would silently replace the other); zip the "
        "files again"
    ),
    "zip_path_escapes": (
        "{where}: {zip} contains {member!r}, a path that escapes the zip's folder; such archives are "
        "refused for safety: zip the layer files without folders above them"
    ),
    "zip_symlink": (
        "{where}: {zip} contains {member!r}, a symbolic link; links are refused for safety (they can point "
        "anywhere on the server): zip the files themselves"
    ),
    "zip_encrypted": (
        "{where}: {zip} contains {member!r}, which is encrypted; zip the files again without a password"
    ),
    "zip_damaged": (
        "{where}: {zip} is damaged (a CRC check failed, or the file is truncated or broken); the zip cannot "
        "be trusted: zip the files again and send the new zip"
    ),
    "zip_unpack_failed": (
        "{where}: {zip} cannot be unpacked into {folder} ({reason}); free some disk space or make the "
        "folder writable"
    ),
    "zip_too_large": (
        "{where}: {zip} would unpack to {mb:.1f} MB, more than the {limit_mb:.0f} MB allowed; send a "
        "smaller zip"
    ),
    "zip_bomb_ratio": (
        "{where}: {zip} member {member!r} is compressed {ratio:.0f} times (a zip bomb?); zips compressed "
        "more than {max_ratio} times are refused: send the files zipped normally"
    ),
    "zip_unpacks_too_much": (
        "{where}: {zip} unpacks to more than its stated size or the {limit_mb:.0f} MB allowed (a zip "
        "bomb?); send a smaller, normal zip"
    ),
    "zip_no_such_member": "{where}: {zip} has no member {member!r}; its Shapefiles are {shps}",
    "zip_no_shapefile": (
        "{where}: {zip} holds no .shp file; a zipped Shapefile needs the .shp, .shx, .dbf and .prj files"
    ),
    "zip_many_shapefiles": "{where}: {zip} holds {n} Shapefiles ({shps}); name one as {zip}#<member.shp>",
    # writing files (geo.files)
    "output_cannot_write": "cannot write {path} ({reason}); {fix}",
    "output_fix_disk_full": "free some disk space (or raise the file-size limit) or write to another disk",
    "output_fix_permission": "choose a folder you can write to",
    "output_fix_missing_folder": "check that every folder on the path exists and is a folder, not a file",
    "output_fix_is_folder": "give a file name, not a folder",
    "output_fix_other": "check the path and the disk",
    # the walking network (geo.network): speeds, files, CRSs, graphs
    "walk_speed_not_number": (
        "walking speed {value} is not a number; give metres per second between {lo} and {hi}, e.g. 1.0"
    ),
    "walk_speed_out_of_range": (
        "walking speed {speed:g} m/s is outside the allowed {lo}–{hi} m/s; older people walk about 0.8–1.0 "
        "m/s (STANDARDS.md D), so give a value such as 1.0"
    ),
    "network_label_lines": "(lines)",
    "network_crs_not_projected": "network {source}: CRS {crs} is not projected; project it to metres first",
    "network_no_lines": "network {source} has no walkable lines",
    "network_not_linestring": (
        "network {source}: line {line} is a {kind} geometry, not a LineString; explode multi-lines first"
    ),
    "network_source_label": "network source {label}",
    "network_source_empty": (
        "the network source is empty; name an OSM file, a GraphML file, a street-centreline layer or "
        "place:<name> as [network] source in study.toml"
    ),
    "network_source_type_unknown": (
        "network source {path} is of an unknown type; give an OSM file (.osm, .osm.bz2, .osm.pbf), a "
        "GraphML file (.graphml), a street-centreline layer (.gpkg#layer, .shp, zipped .zip, .geojson) or "
        "place:<name>"
    ),
    "network_file_missing": (
        "network file {path} does not exist; check [network] source in study.toml (relative paths are "
        "relative to the study folder)"
    ),
    "network_source_is_folder": (
        "network source {label} is a folder, not a file; name the OSM, GraphML or centreline file itself"
    ),
    "basemap_unreadable": (
        "the OSM file {name} cannot be read for the basemap ({reason}); check that it is a whole OSM XML or PBF "
        'extract, or draw the maps without a basemap (basemap = "none")'
    ),
    "network_file_cannot_open": "network file {path} cannot be opened ({reason}); check its permissions",
    "network_crs_unknown": (
        "network {label}: {crs} is not a CRS pyproj knows ({reason}); give one such as EPSG:4547 or "
        "EPSG:32650"
    ),
    "network_target_not_projected": (
        "network {label}: the target CRS {crs} is not projected; give the study's metric CRS (e.g. the UTM "
        "zone, EPSG:32650 for 114–120°E)"
    ),
    "xml_not_well_formed": "not well-formed XML at line {line}, column {column}",
    "xml_truncated": "the file is truncated or damaged",
    "xml_unexpected_content": "its elements or attributes are not those the format has",
    "graphml_unreadable": (
        "GraphML file {label} cannot be read ({reason}); save the graph again with osmnx.save_graphml, or "
        "give the OSM file itself"
    ),
    "graphml_no_edges": (
        "GraphML file {label} has no edges; save a graph that holds the streets (e.g. "
        "osmnx.graph_from_place(..., network_type='walk'))"
    ),
    "graphml_edges_read": "GraphML: {n} directed edges read as undirected segments",
    "network_nodes_without_xy": (
        "network {source}: {n} nodes have no x/y coordinates; save the graph with osmnx (nodes need x and y "
        "attributes)"
    ),
    "network_no_walkable_ways": (
        "network {source} has no walkable ways after filtering; give a network that includes the footways "
        "and streets of the study area"
    ),
    "network_cannot_project": (
        "network {source}: node coordinates cannot be projected to {crs}; check the graph's crs attribute"
    ),
    "network_empty": "{context}: the walking network is empty; give a network that covers the study area",
    "network_no_overlap": (
        "{context}: the walking network (x {nx0:.0f}–{nx1:.0f} m, y {ny0:.0f}–{ny1:.0f} m) and the study "
        "layers (x {minx:.0f}–{maxx:.0f} m, y {miny:.0f}–{maxy:.0f} m, both in {crs}) do not overlap — they "
        "are {gap_km:.1f} km apart; usual causes: the network file covers another area, GCJ-02 (Amap) or "
        'BD-09 (Baidu) coordinates declared as WGS84 (set coords = "gcj02" or "bd09"), or a wrong crs '
        "setting"
    ),
    # OpenStreetMap sources (geo.network.osm): errors, and the notes on what was kept and left out
    "network_place_empty": (
        "place: names no place; write e.g. place:信州区, 上饶市, 江西省, or give an OSM file"
    ),
    "network_download_failed": (
        "could not download the walking network of {place!r} from OpenStreetMap ({reason}); check the "
        "internet connection and the place name, or download an OSM extract and name the file as [network] "
        "source"
    ),
    "osm_no_data": (
        "{label} has no walkable ways (it holds no OSM nodes or ways); give an OSM extract of the study area"
    ),
    "osm_not_xml": (
        "{label} cannot be read as OSM XML ({reason}); check that it is a complete OpenStreetMap XML file "
        "(.osm)"
    ),
    "osm_unreadable_xml": (
        "{label} cannot be read as OSM XML ({reason}); check that it is a complete, uncompressed or "
        "bzip2-compressed OpenStreetMap XML file"
    ),
    "osm_no_walkable_ways": (
        "{label} has no walkable ways (found {listed}{extra}); give an extract that includes the footways "
        "and streets of the study area"
    ),
    "osm_no_highway_ways": "no highway ways at all",
    "osm_untagged_ways": "; {n} other ways (buildings, land use) have no highway tag",
    "osm_left_out_tag": "{tag} {n}",
    "osm_left_out_no_foot": "{tag} without foot=yes or sidewalk {n}",
    "osm_why_pbf": "it is a PBF file",
    "osm_why_clipped": "its ways reference nodes the file does not hold (a clipped extract)",
    "osm_needs_pyosmium": (
        "{label} cannot be read directly because {reason}; install pyosmium (pip install osmium) or convert "
        "it first, e.g. osmium cat --strategy complete_ways in.osm.pbf -o streets.osm"
    ),
    "osm_unreadable_file": (
        "{label} cannot be read as an OSM file (a damaged or incomplete file); check that it is a complete "
        ".osm.pbf or .osm file"
    ),
    "osm_ways_kept": "{n} walkable OSM ways kept",
    "osm_left_out": "left out: {found}",
    "osm_private_left_out": (
        "private ways (gated compounds) are left out; set include_private = true in [network] if residents "
        "may walk through them"
    ),
    "osm_ways_cut": "ways that leave the extract were cut where their nodes are missing",
    "osm_downloaded": "downloaded with osmnx network_type='walk'",
    # street-centreline layers (geo.network.centrelines): errors, and the notes on how lines were noded
    "geometry_points": "points",
    "geometry_polygons": "polygons",
    "geometry_collections": "mixed geometry collections",
    "geometry_empty": "empty geometries",
    "geometry_other": "non-line geometries",
    "centreline_not_lines": (
        "centreline layer {label} is a layer of {what}; a network needs street centrelines (LineString), so "
        "give the road-centreline layer (or an OSM file)"
    ),
    "centreline_only_expressways": (
        "centreline layer {label} has no walkable lines (all {n} lines are expressways); give the layer of "
        "ordinary streets and footpaths"
    ),
    "centreline_frame_no_crs": (
        "centreline layer {label} has no coordinate reference system; set its CRS (GeoDataFrame.set_crs) or "
        "pass layer_crs"
    ),
    "centreline_empty_lines": (
        "centreline layer {label} has only empty or zero-length lines; export the street geometry again"
    ),
    "centreline_file_no_crs": (
        "centreline layer {label} has no coordinate reference system (no .prj file or SRS); add the "
        "Shapefile's .prj file (or export the layer as GeoPackage with its CRS), or state the layer's CRS, "
        'e.g. layer_crs="EPSG:4547"'
    ),
    "centreline_rows_not_lines": "left out {n} rows that are not lines (rows {rows})",
    "centreline_rows_more": "{shown} and {more} more",
    "centreline_expressways_left_out": (
        "left out {n} expressway lines (motorway/高速公路/快速路 in column {columns}): pedestrians cannot "
        "walk on them"
    ),
    "centreline_noded": (
        "{n_lines} centrelines split into {n_pieces} segments at {n_splits} crossings and junctions"
    ),
    "centreline_noded_one": (
        "{n_lines} centrelines split into {n_pieces} segments at {n_splits} crossing and junction"
    ),
    "centreline_passing": (
        "{n} of them pass over or under others (column {columns}) and connect to other streets only at "
        "their ends"
    ),
    # the network cache's lines (geo.cache): an entry not used, and why; a cache folder that cannot be written
    "cache_what_network": "network",
    "cache_what_roads": "expressway roads",
    "cache_what_basemap": "basemap",
    "cache_entry_rebuilt": (
        "the cached {what} {name} in {folder} was {reason}; removed it and parsed the file again"
    ),
    "cache_entry_kept": (
        "the cached {what} {name} in {folder} was {reason}; parsed the file again (the entry could not be "
        "removed)"
    ),
    "cache_unwritable": (
        "the network cache {folder} could not be written ({reason}); the file is parsed again next time"
    ),
    "cache_damaged_empty": "damaged (empty file)",
    "cache_damaged_no_header": "damaged (no valid header)",
    "cache_damaged_other_kind": "damaged (header of another kind of entry)",
    "cache_damaged_truncated": "damaged (truncated: {got} of {size} bytes)",
    "cache_damaged_extra": "damaged ({n} bytes more than written)",
    "cache_damaged_checksum": "damaged (checksum mismatch)",
    "cache_damaged_payload": "damaged (unreadable payload: {error})",
    "cache_damaged_meta_version": "damaged (meta of another version)",
    "cache_damaged_not_network": "damaged (not a network: {error})",
    "cache_damaged_not_roads": "damaged (not a roads table: {error})",
    "cache_damaged_not_basemap": "damaged (not a basemap table: {error})",
    "cache_unreadable": "unreadable ({reason})",
    "cache_older_version": "from an older version of eldercircle (cache version {version}, now {now})",
    "cache_other_version": "from another version of eldercircle (cache version {version}, now {now})",
    # expressways (geo.roads)
    "osm_file_label": "OSM file {path}",
    "roads_file_missing": (
        "OSM file {path} does not exist; give the study's OSM extract to read expressways from"
    ),
    "roads_not_osm_xml": (
        "{path} is not an OSM XML file (.osm or .osm.bz2); convert it (e.g. osmium cat in.pbf -o out.osm) "
        "to read expressways from it"
    ),
    "roads_unreadable": (
        "could not read expressways from OSM file {path} ({error}); check that it is valid, complete OSM XML"
    ),
    # coordinate systems (geo.crs)
    "crs_unknown": (
        "{context}: {declared} is not a coordinate reference system pyproj knows; give a projected CRS such "
        'as "EPSG:4547" (CGCS2000 / 3-degree Gauss-Kruger CM 114E), or leave it out to use the UTM zone of '
        "the study"
    ),
    "crs_geographic": (
        "{context}: {label} is geographic (degrees), but distances and areas need a projected CRS in "
        'metres; give a projected CRS such as "EPSG:4547" (CGCS2000 / 3-degree Gauss-Kruger CM 114E), or '
        "leave it out to use the UTM zone of the study (lon/lat layers are read as WGS 84 either way)"
    ),
    "crs_not_projected": (
        '{context}: {label} is not a projected CRS; give a projected CRS such as "EPSG:4547" (CGCS2000 / '
        "3-degree Gauss-Kruger CM 114E), or leave it out to use the UTM zone of the study"
    ),
    "crs_not_metres": (
        "{context}: {label} measures in {units}, not metres; give a projected CRS in metres such as "
        '"EPSG:4547" (CGCS2000 / 3-degree Gauss-Kruger CM 114E), or leave it out to use the UTM zone of the '
        "study"
    ),
    "coords_on_other_datum": (
        "{layer} layer {source!r} is in {crs}, not WGS 84 longitude/latitude, so it cannot be in coords = "
        '"{coords}" as study.toml states; write coords = "wgs84" in its [layers] entry ({layer} = {{ path = '
        '"{source}", coords = "wgs84" }}) or convert the layer to WGS 84'
    ),
    "coords_on_projected_layer": (
        "{layer} layer {source!r} is in the projected CRS {crs}, but its [layers] entry says coords = "
        '"{coords}", a longitude/latitude system that a projected layer cannot be converted from; remove coords '
        "from the entry, or give the layer in longitude/latitude"
    ),
    "coords_unknown": (
        'coordinate system {coords} is not one of {systems}; state coords = "gcj02" for data from Amap or '
        'Tencent, coords = "bd09" for data from Baidu, or leave it out for WGS 84 (GPS, OpenStreetMap)'
    ),
    # walking times and service areas (geo.travel, geo.service_area)
    "time_limit_not_number": "time limit {value} is not a number; give seconds, e.g. 900 for 15 minutes",
    "time_limit_negative": (
        "time limit {value} s is negative or NaN; give seconds >= 0, e.g. 900 for 15 minutes"
    ),
    "max_distance_negative": "max_distance_m {value} is negative or NaN; give metres >= 0, e.g. 300",
    "nearest_times_no_sources": "nearest_times needs source_xy or source_snap; give the facility coordinates",
    "nearest_times_no_targets": (
        "nearest_times needs target_xy or target_snap; give the demand point coordinates"
    ),
    "minutes_not_numbers": "minutes {value} are not numbers; give increasing minutes such as 5,10,15",
    "minutes_not_increasing": "minutes {value} must be positive and strictly increasing; give e.g. 5,10,15",
    "service_area_mode_unknown": "service area mode {mode} is unknown; use one of {modes}",
    "buffer_not_number": "buffer_m {value} is not a number; give metres such as 50",
    "buffer_not_positive": "buffer_m {value} must be a positive number of metres, such as 50",
    # progress: what long work is doing, said to a progress callback (geo.progress)
    "progress_network_download": "downloading the walking network of {place}",
    "progress_network_reading": "reading the walking network from {name}",
    "progress_network_size": "walking network: {n_nodes} nodes, {n_edges} segments",
    "progress_network_read": "read {n_nodes} nodes and {n_ways} ways",
    "progress_network_building": "building the walking network (joining streets where they meet)",
    "progress_network_saving": "saving the walking network to the cache",
    "progress_network_size_cached": "walking network: {n_nodes} nodes, {n_edges} segments (cached)",
    "progress_facilities_placing": "placing facilities on the network",
    "progress_facility_times": "walking times from all facilities",
    "progress_network_blocks": "blocks of the network",
    "progress_band_areas": "areas of {n_band} bands",
    "progress_band_nearest": "band {band} of {n_band}: areas by nearest facility",
    "progress_facility_batch": "service areas of facilities {first}-{last} of {total}",
    "progress_service_areas_done": "service areas done",
}


@dataclass(frozen=True)
class Message:
    """One thing said to a person: a layer reader's decision, a line of the network cache, an error's sentence.

    Attributes
    ----------
    code : the message's key (a key of :data:`EN` for geo's messages, of :mod:`planning.i18n`'s catalogue for
        planning's).
    params : the parameters its sentence names, as ``(name, value)`` pairs.
    template_en : the English sentence with ``{name}`` fields (format specs such as ``{n:,}`` allowed).
    """

    code: str
    params: tuple[tuple[str, object], ...] = ()
    template_en: str = ""

    @classmethod
    def of(cls, code: str, **params: object) -> Message:
        """geo's message ``code`` (a key of :data:`EN`) with ``params``.

        Raises
        ------
        KeyError
            When ``code`` is not in :data:`EN` (a programming error: add the sentence there).
        """
        return cls(code, tuple(params.items()), EN[code])

    def render(self, templates: Mapping[str, str]) -> str:
        """The sentence from ``templates`` (code -> text with ``{name}`` fields); "" for an unknown code. A parameter
        that is itself a :class:`Message` (a sentence inside a sentence) is rendered from the same templates, and a
        tuple parameter is a list: its items rendered and joined by the templates' ``list_separator``."""
        template = templates.get(self.code)
        if template is None:
            return ""
        return template.format(**{k: _inner(v, templates) for k, v in self.params})

    def __str__(self) -> str:
        """The English sentence."""
        return self.template_en.format(**{k: _inner(v, None) for k, v in self.params})


def _inner(value: object, templates: Mapping[str, str] | None) -> object:
    """A parameter as its sentence goes: a message rendered (English when ``templates`` is None, or when they lack
    its code), a tuple as its items so rendered and joined, anything else as it is."""
    if isinstance(value, tuple):
        sep = (templates or EN).get("list_separator", EN["list_separator"])
        return sep.join(str(_inner(v, templates)) for v in value)
    if not isinstance(value, Message):
        return value
    return (value.render(templates) if templates is not None else "") or str(value)


def message_data(message: Message) -> dict[str, Any]:
    """A message of geo's codes as JSON-ready data (code and parameters; parameters that are messages or lists of
    them nested), for files such as the network cache; :func:`message_from_data` reads it back."""
    return {"code": message.code, "params": [[k, _param_data(v)] for k, v in message.params]}


def _param_data(value: object) -> object:
    if isinstance(value, Message):
        return {"message": message_data(value)}
    if isinstance(value, tuple):
        return {"list": [_param_data(v) for v in value]}
    return value


def message_from_data(data: Any) -> Message:
    """The message :func:`message_data` wrote.

    Raises
    ------
    KeyError, TypeError, ValueError
        When ``data`` is not such data or names a code that is not in :data:`EN`.
    """
    params = tuple((str(k), _param_from_data(v)) for k, v in data["params"])
    return Message(str(data["code"]), params, EN[data["code"]])


def _param_from_data(value: Any) -> object:
    if isinstance(value, dict):
        if "message" in value:
            return message_from_data(value["message"])
        return tuple(_param_from_data(v) for v in value["list"])
    if isinstance(value, list):
        raise TypeError("a list parameter is stored as {'list': [...]}")
    return value

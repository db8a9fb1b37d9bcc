"""Exports: the public coverage map, the workbook, the GeoPackage and the before/after comparison of a siting run.

The report renders results it is given: :func:`report_inputs` runs the analyses once (coverage, service circles,
the standards check, a siting scenario) into a frozen :class:`ReportInputs`, and every writer here turns results
into bytes or text, so that the command line (``eldercircle report``) writes files and the app offers the same
content as downloads without touching the disk.

- :mod:`~planning.report.public_map`: :func:`public_map_html`, one standalone HTML file that a district can publish
  (counts aggregated, small groups suppressed: :mod:`~planning.report.privacy`; colours, title and legend:
  :mod:`~planning.report.map_legend`).
- :mod:`~planning.report.workbook`: :func:`workbook_bytes`, XLSX with Chinese headers by default, units in headers,
  numbers as numbers.
- :mod:`~planning.report.geopackage`: :func:`layers_gpkg_bytes`, every result layer in the study CRS.
- :mod:`~planning.report.scenario_page`, :mod:`~planning.report.scenario_figure`: :func:`scenario_html`,
  :func:`scenario_png`, before/after maps side by side and the change per street and community for a
  :class:`~planning.siting.SitingResult`.
- :mod:`~planning.report.print_map` (furniture: :mod:`~planning.report.sheet`): :func:`coverage_print_bytes`,
  :func:`scenario_print_bytes`, the coverage map and the siting scenario as A3 landscape print sheets (PDF, 300 dpi PNG);
  :func:`coverage_print_bytes`, :func:`scenario_print_bytes` save one sheet in the formats asked for.
- :mod:`~planning.report.folder`: :func:`write_report`, all of the above into a folder (never overwriting without
  ``force``), each file written to a temporary name and renamed when whole.
- :mod:`~planning.report.options`, :mod:`~planning.report.text`: the options and their checks; the reports' words.

Every text that leaves here passes :mod:`planning.export`: personal columns left out (:func:`personal_notes` says
which), formulas in spreadsheet cells neutralised, HTML escaped; map tooltips show text as text and folium's output
is never evaluated as a template (:mod:`planning.maps`).
"""

from planning.report.folder import (
    PLAN_PREFIX,
    PLAN_SUFFIX,
    REPORT_FILES,
    ReportInputs,
    plan_file,
    prepare_out_dir,
    read_plans,
    report_inputs,
    write_report,
)
from planning.report.geopackage import layers_gpkg_bytes, result_layers
from planning.report.map_legend import GRID_COLOURS, SHARE_CLASSES, SUPPRESSED_COLOUR
from planning.report.options import (
    DEFAULT_GRID_M,
    DEFAULT_K_ANON,
    MIN_GRID_M,
    ReportOptions,
    check_grid_m,
    check_k_anon,
    check_lang,
)
from planning.report.plan_print import plan_print_bytes
from planning.report.print_basemap import BasemapStyle, draw_basemap
from planning.report.print_map import (
    coverage_print_bytes,
    scenario_print_bytes,
)
from planning.report.privacy import EXPORT_KEEP, personal_notes, suppress_shares, suppress_small
from planning.report.public_map import (
    MAP_DECIMALS,
    MAP_SIMPLIFY_M,
    PUBLIC_FACILITY_COLUMNS,
    PUBLIC_PROPERTIES,
    public_map_html,
)
from planning.report.scenario_figure import cjk_font, scenario_pdf, scenario_png
from planning.report.scenario_page import scenario_html
from planning.report.sheet import SheetFormat
from planning.report.text import OSM_SUFFIXES
from planning.report.workbook import workbook_bytes

__all__ = [
    "DEFAULT_GRID_M",
    "DEFAULT_K_ANON",
    "EXPORT_KEEP",
    "GRID_COLOURS",
    "MAP_DECIMALS",
    "MAP_SIMPLIFY_M",
    "MIN_GRID_M",
    "OSM_SUFFIXES",
    "PLAN_PREFIX",
    "PLAN_SUFFIX",
    "PUBLIC_FACILITY_COLUMNS",
    "PUBLIC_PROPERTIES",
    "REPORT_FILES",
    "SHARE_CLASSES",
    "SUPPRESSED_COLOUR",
    "BasemapStyle",
    "ReportInputs",
    "ReportOptions",
    "SheetFormat",
    "check_grid_m",
    "check_k_anon",
    "check_lang",
    "cjk_font",
    "coverage_print_bytes",
    "draw_basemap",
    "layers_gpkg_bytes",
    "personal_notes",
    "plan_file",
    "plan_print_bytes",
    "prepare_out_dir",
    "public_map_html",
    "read_plans",
    "report_inputs",
    "result_layers",
    "scenario_html",
    "scenario_pdf",
    "scenario_png",
    "scenario_print_bytes",
    "suppress_shares",
    "suppress_small",
    "workbook_bytes",
    "write_report",
]

"""A synthetic province for tests and benchmarks: :func:`make_province` writes N county studies, each a copy of the
demo district (:data:`planning.demo.DEMO_DIR`, SYNTHETIC) moved to its own place on a grid, some deliberately
broken (a missing layer file, a corrupt OSM file, a study.toml naming an unknown preset).

The copies are the same size (the demo's generator makes one district); they differ in place, so each has its own
network to parse and its own outline on the overview map.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd

from geo.files import atomic_write
from planning.demo import DEMO_DIR

#: The ways a county can be broken.
BREAKS = ("missing_layer", "corrupt_osm", "unknown_preset")
#: The grid of counties: degrees between neighbours (the demo spans about 0.09 degrees each way) and per row.
STEP_DEG = 0.12
PER_ROW = 8
_LATLON = re.compile(r'\b(min|max)?(lat|lon)="(-?\d+\.\d+)"')


def _shift_osm(text: str, dx: float, dy: float) -> str:
    def moved(m: re.Match) -> str:
        delta = dy if m.group(2) == "lat" else dx
        return f'{m.group(1) or ""}{m.group(2)}="{float(m.group(3)) + delta:.7f}"'

    return _LATLON.sub(moved, text)


def _shift_csv(text: str, dx: float, dy: float) -> str:
    rows = list(csv.reader(io.StringIO(text)))
    head = rows[0]
    ix, iy = head.index("经度"), head.index("纬度")
    for row in rows[1:]:
        row[ix] = f"{float(row[ix]) + dx:.6f}"
        row[iy] = f"{float(row[iy]) + dy:.6f}"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _shift_layer(src: Path, dst: Path, dx: float, dy: float, *, layer: str | None = None) -> None:
    frame = gpd.read_file(src, layer=layer)
    frame["geometry"] = frame.geometry.translate(dx, dy)
    if dst.suffix == ".gpkg":
        frame.to_file(dst, layer=layer, driver="GPKG")
    else:
        frame.to_file(dst, driver="GeoJSON")


def _county(folder: Path, index: int, dx: float, dy: float) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    toml = (DEMO_DIR / "study.toml").read_text(encoding="utf-8")
    toml = re.sub(r'^name = ".*"$', f'name = "合成第{index:02d}县（合成数据）"', toml, count=1, flags=re.M)
    toml = re.sub(r'^name_en = ".*"$', f'name_en = "Synthetic county {index:02d}"', toml, count=1, flags=re.M)
    atomic_write(folder / "study.toml", toml)
    osm = (DEMO_DIR / "streets.osm").read_text(encoding="utf-8")
    atomic_write(folder / "streets.osm", _shift_osm(osm, dx, dy))
    facilities = (DEMO_DIR / "facilities.csv").read_text(encoding="utf-8")
    atomic_write(folder / "facilities.csv", _shift_csv(facilities, dx, dy))
    for name in ("communities.geojson", "candidates.geojson"):
        _shift_layer(DEMO_DIR / name, folder / name, dx, dy)
    _shift_layer(DEMO_DIR / "population.gpkg", folder / "population.gpkg", dx, dy, layer="elder_density")
    shutil.copyfile(DEMO_DIR / "README.md", folder / "README.md")


def _break(folder: Path, how: str) -> None:
    if how == "missing_layer":
        (folder / "facilities.csv").unlink()
    elif how == "corrupt_osm":
        atomic_write(folder / "streets.osm", '<?xml version=\'1.0\'?>\n<osm version="0.6"><node id="1" lat=')
    elif how == "unknown_preset":
        toml = (folder / "study.toml").read_text(encoding="utf-8")
        atomic_write(
            folder / "study.toml", re.sub(r'^preset = ".*"$', 'preset = "atlantis"', toml, flags=re.M)
        )
    else:
        raise ValueError(f"unknown break {how!r}; one of {', '.join(BREAKS)}")


def make_province(out_dir: str | Path, n: int, *, broken: Sequence[str] = ()) -> list[Path]:
    """Write ``n`` county studies ``county-01`` … into ``out_dir``; the last ``len(broken)`` are broken, one way
    each (:data:`BREAKS`). Returns the study folders."""
    out = Path(out_dir)
    folders = []
    for i in range(n):
        folder = out / f"county-{i + 1:02d}"
        dx, dy = (i % PER_ROW) * STEP_DEG, (i // PER_ROW) * STEP_DEG
        _county(folder, i + 1, dx, dy)
        folders.append(folder)
    for folder, how in zip(folders[n - len(broken) :], broken, strict=True):
        _break(folder, how)
    return folders

"""A synthetic province for tests and benchmarks: :func:`make_province` writes N county studies on a grid, some
deliberately broken (a missing layer file, a corrupt network file, a study.toml naming an unknown preset).

By default each county is a copy of the demo district (:data:`planning.demo.DEMO_DIR`, SYNTHETIC) moved to its own
place: the copies are the same size and differ in place, so each has its own network to parse and its own outline on
the overview map. With ``sizes=(low, high)`` each county is instead a synthetic county of its own network size
(:func:`planning.batch.county.make_county`), drawn log-uniform between ``low`` and ``high`` junctions from ``seed``.
"""

from __future__ import annotations

import csv
import io
import math
import re
import shutil
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np

from geo.files import atomic_write
from planning.batch.county import make_county
from planning.batch.streets import NETWORK_FILES
from planning.demo import DEMO_DIR

#: The ways a county can be broken.
BREAKS = ("missing_layer", "corrupt_osm", "unknown_preset")
#: The grid of counties: degrees between neighbours (the demo spans about 0.09 degrees each way) and per row.
STEP_DEG = 0.12
PER_ROW = 8
#: The centre of the first county (degrees, WGS84): where the demo lies, in Jiangxi.
ORIGIN_LONLAT = (117.99, 28.44)
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
        _corrupt_network(folder)
    elif how == "unknown_preset":
        toml = (folder / "study.toml").read_text(encoding="utf-8")
        atomic_write(
            folder / "study.toml", re.sub(r'^preset = ".*"$', 'preset = "atlantis"', toml, flags=re.M)
        )
    else:
        raise ValueError(f"unknown break {how!r}; one of {', '.join(BREAKS)}")


def _corrupt_network(folder: Path) -> None:
    """Cut the county's network file off in its first kilobytes (as a copy broken midway leaves it)."""
    if (folder / "streets.osm").is_file():  # the demo's copy: a readable start of XML, cut inside a node
        atomic_write(folder / "streets.osm", '<?xml version=\'1.0\'?>\n<osm version="0.6"><node id="1" lat=')
        return
    for name in NETWORK_FILES.values():
        if (folder / name).is_file():
            atomic_write(folder / name, (folder / name).read_bytes()[:2000])


def _county_sizes(n: int, sizes: tuple[int, int], seed: int) -> list[int]:
    """``n`` network sizes log-uniform between ``sizes`` (rounded to hundreds)."""
    low, high = sorted(int(s) for s in sizes)
    draw = np.random.default_rng(seed).uniform(math.log(low), math.log(high), n)
    return [int(round(math.exp(x), -2)) for x in draw]


def make_province(
    out_dir: str | Path,
    n: int,
    *,
    broken: Sequence[str] = (),
    sizes: tuple[int, int] | None = None,
    seed: int = 0,
    network_format: str = "pbf",
) -> list[Path]:
    """Write ``n`` county studies ``county-01`` … into ``out_dir``; the last ``len(broken)`` are broken, one way
    each (:data:`BREAKS`). Returns the study folders.

    Parameters
    ----------
    out_dir : the folder of the counties.
    n : how many counties.
    broken : how each of the last counties is broken (:data:`BREAKS`).
    sizes : None: copies of the demo district; ``(low, high)``: synthetic counties of about ``low`` to ``high``
        street junctions each (log-uniform from ``seed``), as :func:`~planning.batch.county.make_county` writes them.
    seed : the seed of the sizes; county ``i`` is made with seed ``seed * 1000 + i``.
    network_format : the synthetic counties' network format (``pbf``, ``osm`` or ``centrelines``).
    """
    out = Path(out_dir)
    folders = []
    counts = _county_sizes(n, sizes, seed) if sizes is not None else []
    step = STEP_DEG if sizes is None else max(STEP_DEG, 1.5 * math.sqrt(max(sizes)) * 32.5 / 100_000)
    for i in range(n):
        folder = out / f"county-{i + 1:02d}"
        dx, dy = (i % PER_ROW) * step, (i // PER_ROW) * step
        if sizes is None:
            _county(folder, i + 1, dx, dy)
        else:
            make_county(
                folder,
                nodes=counts[i],
                seed=seed * 1000 + i + 1,
                origin_lonlat=(ORIGIN_LONLAT[0] + dx, ORIGIN_LONLAT[1] + dy),
                network_format=network_format,
                name=f"合成第{i + 1:02d}县（合成数据）",
                name_en=f"Synthetic county {i + 1:02d}",
            )
        folders.append(folder)
    for folder, how in zip(folders[n - len(broken) :], broken, strict=True):
        _break(folder, how)
    return folders

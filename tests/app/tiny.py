"""A tiny study written by hand for the app tests: two communities, a 5 x 5 street grid, three facilities.

Coordinates are WGS84 around 118.000 E, 28.440 N (synthetic; no real place). The grid has 100 m between streets,
so every point of the two communities lies within a few minutes' walk of the facilities.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

LON0, LAT0 = 118.0, 28.44
DLON = 100.0 / 97_900.0  # about 100 m east at 28.44 N
DLAT = 100.0 / 110_900.0  # about 100 m north


def _xy(i: float, j: float) -> list[float]:
    return [round(LON0 + i * DLON, 7), round(LAT0 + j * DLAT, 7)]


def communities_geojson(*, chinese: bool = False) -> dict:
    """Two square communities of 200 m x 400 m side by side; Chinese column names when ``chinese``."""
    name, street, pop, eld, kind = (
        ("社区名称", "所属街道", "常住人口", "老年人口", "类型")
        if chinese
        else ("name", "street", "population", "elderly", "kind")
    )
    feats = []
    for k, (label, x0) in enumerate((("东园社区", 0), ("西园社区", 2))):
        ring = [_xy(x0, 0), _xy(x0 + 2, 0), _xy(x0 + 2, 4), _xy(x0, 4), _xy(x0, 0)]
        feats.append(
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [ring]},
                "properties": {
                    name: label,
                    street: "小城街道",
                    pop: 3000 + 1000 * k,
                    eld: 600 + 100 * k,
                    kind: "城市社区",
                },
            }
        )
    return {"type": "FeatureCollection", "features": feats}


def streets_geojson() -> dict:
    """A 5 x 5 grid of street centrelines, 100 m apart (nodes at every crossing)."""
    feats = []
    for j in range(5):
        for i in range(4):
            feats.append(
                {
                    "type": "Feature",
                    "properties": {"highway": "residential"},
                    "geometry": {"type": "LineString", "coordinates": [_xy(i, j), _xy(i + 1, j)]},
                }
            )
    for i in range(5):
        for j in range(4):
            feats.append(
                {
                    "type": "Feature",
                    "properties": {"highway": "residential"},
                    "geometry": {"type": "LineString", "coordinates": [_xy(i, j), _xy(i, j + 1)]},
                }
            )
    return {"type": "FeatureCollection", "features": feats}


def facilities_csv(*, kind_column: str = "kind") -> str:
    """Three facilities on street crossings; ``kind_column`` renames the kind column (to test the mapping)."""
    rows = [
        ("东园日间照料中心", "day_care", 1, 1),
        ("西园助餐点", "meal_point", 3, 3),
        ("小城卫生院", "health_centre", 2, 2),
    ]
    lines = [f"name,{kind_column},lon,lat,floor_area_m2"]
    for name, kind, i, j in rows:
        lon, lat = _xy(i, j)
        lines.append(f"{name},{kind},{lon},{lat},500")
    return "\n".join(lines) + "\n"


STUDY_TOML = """[study]
name = "小城测试区"
name_en = "Tiny test district"
synthetic = true

[layers]
communities = "communities.geojson"
facilities = "facilities.csv"

[network]
source = "streets.geojson"

[standards]
preset = "national"
"""


def write_tiny_study(folder: Path, *, facilities: str | None = None) -> Path:
    """Write the tiny study into ``folder``; ``facilities`` replaces the facilities CSV text."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "study.toml").write_text(STUDY_TOML, encoding="utf-8")
    (folder / "communities.geojson").write_text(
        json.dumps(communities_geojson(), ensure_ascii=False), encoding="utf-8"
    )
    (folder / "streets.geojson").write_text(json.dumps(streets_geojson()), encoding="utf-8")
    (folder / "facilities.csv").write_text(facilities or facilities_csv(), encoding="utf-8")
    return folder


def zip_bytes(members: dict[str, str | bytes]) -> bytes:
    """A zip archive in memory with the given member names and contents."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def tiny_study_zip(
    *, prefix: str = "tiny/", facilities: str | None = None, extra: dict[str, str | bytes] | None = None
) -> bytes:
    """The tiny study zipped inside a folder ``prefix`` (as zipping a folder does)."""
    members: dict[str, str | bytes] = {
        f"{prefix}study.toml": STUDY_TOML,
        f"{prefix}communities.geojson": json.dumps(communities_geojson(), ensure_ascii=False),
        f"{prefix}streets.geojson": json.dumps(streets_geojson()),
        f"{prefix}facilities.csv": facilities or facilities_csv(),
    }
    members.update(extra or {})
    return zip_bytes(members)

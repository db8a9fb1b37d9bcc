"""Which OpenStreetMap ways an older pedestrian may walk on, and the notes on the ways left out.

Shared by both OSM readers (osmnx's XML graph and the pyosmium arrays of :mod:`geo.network.osmgraph`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.errors import NetworkError
from geo.messages import Message

#: OSM ``highway`` values an older pedestrian may walk on. Footways and paths, streets of every class up to
#: primary (Chinese urban primaries and secondaries have pavements), service and track roads, cycleways (shared in
#: practice), indoor corridors, bridleways, the legacy ``road`` and the non-standard ``crossing`` way.
WALKABLE_HIGHWAYS: tuple[str, ...] = (
    "footway",
    "path",
    "pedestrian",
    "steps",
    "living_street",
    "residential",
    "service",
    "track",
    "unclassified",
    "tertiary",
    "tertiary_link",
    "secondary",
    "secondary_link",
    "primary",
    "primary_link",
    "cycleway",
    "corridor",
    "bridleway",
    "road",
    "crossing",
)
#: ``highway`` values kept only when the way says pedestrians may use it (``foot`` yes/designated/permissive,
#: or a ``sidewalk`` on either side): in Chinese cities ``trunk`` is mostly an urban expressway (快速路).
FOOT_ONLY_HIGHWAYS: tuple[str, ...] = ("trunk", "trunk_link")
#: ``highway`` values never walked (listed for reports; every value outside WALKABLE_HIGHWAYS and
#: FOOT_ONLY_HIGHWAYS is left out too, e.g. elevator, busway, rest_area).
NOT_WALKABLE_HIGHWAYS: tuple[str, ...] = (
    "motorway",
    "motorway_link",
    "construction",
    "proposed",
    "abandoned",
    "platform",
    "raceway",
    "bus_guideway",
    "escape",
)
#: ``foot`` values that open a way to pedestrians whatever ``access`` says.
FOOT_ALLOWED: tuple[str, ...] = ("yes", "designated", "permissive")
#: ``sidewalk`` values saying a pavement runs along the carriageway.
SIDEWALK_PRESENT: tuple[str, ...] = ("yes", "both", "left", "right")
#: How the reason of a trunk way left out for want of a pavement ends (``highway=trunk without foot=yes or
#: sidewalk``).
_WITHOUT_FOOT = " without foot=yes or sidewalk"
#: The tags the filter reads.
FILTER_TAGS: tuple[str, ...] = ("highway", "foot", "access", "sidewalk", "area")


def tag_text(values: np.ndarray) -> np.ndarray:
    """Raw OSM tag values as the filter compares them: lower-case text, ``""`` when absent, lists joined with ';'."""
    out = []
    for value in values:
        if value is None:
            out.append("")
        elif isinstance(value, (list, tuple)):
            out.append(";".join(str(x) for x in value).lower())
        else:
            out.append(str(value).strip().lower())
    return np.array(out, dtype=object)


def way_notes(
    osmid: np.ndarray, reason: np.ndarray, keep: np.ndarray, *, label: str, include_private: bool
) -> list[Message]:
    """The notes on the ways kept and left out, from one row per edge (or per way) in the graph's edge order.

    Raises
    ------
    NetworkError
        When no way is walkable.
    """
    way_reasons = pd.DataFrame({"osmid": osmid, "reason": reason}).drop_duplicates("osmid")
    dropped = way_reasons.loc[way_reasons["reason"] != "", "reason"].value_counts()
    n_kept_ways = int(pd.unique(osmid[keep]).size) if keep.any() else 0
    found = tuple(_left_out(str(r), int(n)) for r, n in dropped.items() if r != "no highway tag")
    no_highway = int(dropped.get("no highway tag", 0))
    if not keep.any():
        raise NetworkError.of(
            "osm_no_walkable_ways",
            label=label,
            listed=found[:8] or Message.of("osm_no_highway_ways"),
            extra=Message.of("osm_untagged_ways", n=no_highway) if no_highway else "",
        )
    notes = [Message.of("osm_ways_kept", n=n_kept_ways)]
    if found:
        notes.append(Message.of("osm_left_out", found=found))
        if not include_private and any(
            r.startswith(("access=private", "foot=private")) for r in dropped.index
        ):
            notes.append(Message.of("osm_private_left_out"))
    return notes


def _left_out(reason: str, n: int) -> Message:
    """One kind of way left out and how many: ``highway=motorway 3``."""
    head, sep, _ = reason.partition(_WITHOUT_FOOT)
    if sep:
        return Message.of("osm_left_out_no_foot", tag=head, n=n)
    return Message.of("osm_left_out_tag", tag=reason, n=n)


def walkable(tag: dict[str, np.ndarray], *, include_private: bool) -> tuple[np.ndarray, np.ndarray]:
    """Which edges a pedestrian may use, and the reason each other edge is left out."""
    highway, foot, access = tag["highway"], tag["foot"], tag["access"]
    foot_ok = np.isin(foot, FOOT_ALLOWED)
    sidewalk = np.isin(tag["sidewalk"], SIDEWALK_PRESENT)
    n = highway.size
    reason = np.full(n, "", dtype=object)

    def mark(mask: np.ndarray, text: np.ndarray | str) -> None:
        todo = mask & (reason == "")
        reason[todo] = text[todo] if isinstance(text, np.ndarray) else text

    mark(highway == "", "no highway tag")
    known = np.isin(highway, WALKABLE_HIGHWAYS) | np.isin(highway, FOOT_ONLY_HIGHWAYS)
    mark(~known, np.array(["highway=" + h for h in highway], dtype=object))
    mark(
        np.isin(highway, FOOT_ONLY_HIGHWAYS) & ~foot_ok & ~sidewalk,
        np.array([f"highway={h}{_WITHOUT_FOOT}" for h in highway], dtype=object),
    )
    mark(tag["area"] == "yes", "area=yes")
    mark(foot == "no", "foot=no")
    if not include_private:
        mark(foot == "private", "foot=private")
        mark((access == "private") & ~foot_ok, "access=private")
    mark((access == "no") & ~foot_ok, "access=no")
    return reason == "", reason

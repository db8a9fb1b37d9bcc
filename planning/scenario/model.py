"""A scenario: a small, named edit of a study's facilities (added, closed, changed) that never alters its layers.

Coordinates of added facilities are longitude/latitude in the system ``coords`` names (a click on an Amap basemap is
GCJ-02); they are converted to the study's CRS when the scenario is applied (:mod:`planning.scenario.apply`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

#: The format of scenario files this version writes and reads; a file of a newer format is refused.
SCENARIO_FORMAT = 1


@dataclass(frozen=True)
class AddedFacility:
    """A facility the scenario adds.

    Attributes
    ----------
    kind : a facility kind (:data:`planning.schema.FACILITY_KINDS`).
    lon, lat : its position in the scenario's ``coords`` system.
    name : its name ('' gives it a numbered one when applied).
    floor_area_m2, land_area_m2, beds : optional figures, None when not given.
    """

    kind: str
    lon: float
    lat: float
    name: str = ""
    floor_area_m2: float | None = None
    land_area_m2: float | None = None
    beds: float | None = None


@dataclass(frozen=True)
class FacilityChange:
    """A change to an existing facility, found by its name: new beds, floor area or kind (None: unchanged)."""

    name: str
    beds: float | None = None
    floor_area_m2: float | None = None
    kind: str | None = None


@dataclass(frozen=True)
class Scenario:
    """A named edit of a study.

    Attributes
    ----------
    name : the scenario's name (its file is ``scenarios/<name>.toml`` in the study folder).
    study : the name of the study it was made for (a file of another study is refused).
    coords : the system of the added facilities' lon/lat: ``wgs84``, ``gcj02`` or ``bd09``.
    added, closed, changed : the edits; ``closed`` holds facility names.
    notes : free text for the meeting.
    format : the file format version (:data:`SCENARIO_FORMAT`).
    """

    name: str
    study: str
    coords: str = "wgs84"
    added: tuple[AddedFacility, ...] = ()
    closed: tuple[str, ...] = ()
    changed: tuple[FacilityChange, ...] = ()
    notes: str = ""
    format: int = SCENARIO_FORMAT

    @property
    def is_empty(self) -> bool:
        """True when the scenario changes nothing."""
        return not (self.added or self.closed or self.changed)

    def with_added(self, facility: AddedFacility) -> Scenario:
        """The scenario with one more added facility."""
        return replace(self, added=(*self.added, facility))

    def with_closed(self, name: str) -> Scenario:
        """The scenario with one more facility closed (by name)."""
        return replace(self, closed=(*self.closed, name))

    def with_changed(self, change: FacilityChange) -> Scenario:
        """The scenario with one more change."""
        return replace(self, changed=(*self.changed, change))

    def without_added(self, index: int) -> Scenario:
        """The scenario without its ``index``-th added facility (a click that placed one by mistake)."""
        return replace(self, added=self.added[:index] + self.added[index + 1 :])

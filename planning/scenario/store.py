"""Scenario files: ``scenarios/<name>.toml`` in the study folder, written atomically, read back with checks, and the
command line's ``--add``/``--set`` texts parsed. (Skeleton: signatures the helpers implement.)"""

from __future__ import annotations

from pathlib import Path

from planning.scenario.model import AddedFacility, FacilityChange, Scenario
from planning.study import Study

#: Where a study keeps its scenarios (relative to its folder).
SCENARIO_FOLDER = "scenarios"


def check_scenario_name(name: str) -> str:
    """The name, stripped, when it can be a file name (letters, digits, CJK, ``-``, ``_``; at most 64 characters);
    else :class:`~geo.errors.OptionError` naming the fix."""
    raise NotImplementedError


def scenario_path(study: Study, name: str) -> Path:
    """``<study folder>/scenarios/<name>.toml`` (the name checked)."""
    raise NotImplementedError


def list_scenarios(study: Study) -> list[str]:
    """The names of the study's saved scenarios, sorted."""
    raise NotImplementedError


def read_scenario(path: str | Path, *, study: Study) -> Scenario:
    """A scenario file, checked: TOML, of this study, of a format this version reads, every field valid."""
    raise NotImplementedError


def write_scenario(scenario: Scenario, path: str | Path) -> Path:
    """Write ``scenario`` as TOML at ``path`` atomically (never half-written); returns the path."""
    raise NotImplementedError


def save_scenario(study: Study, scenario: Scenario) -> Path:
    """Write ``scenario`` to ``scenarios/<name>.toml`` of the study (the folder created)."""
    raise NotImplementedError


def delete_scenario(study: Study, name: str) -> None:
    """Remove the study's scenario ``name``."""
    raise NotImplementedError


def rename_scenario(study: Study, old: str, new: str) -> Path:
    """Rename a saved scenario (refused when ``new`` exists)."""
    raise NotImplementedError


def parse_add(text: str) -> AddedFacility:
    """``KIND@LON,LAT[:NAME]`` (the command line's ``--add``) as an :class:`AddedFacility`."""
    raise NotImplementedError


def parse_set(text: str) -> FacilityChange:
    """``NAME:beds=N`` (also ``floor_area_m2=``, ``kind=``; several joined by ``,``) as a :class:`FacilityChange`."""
    raise NotImplementedError

"""A scenario applied to a study: the study with its facilities added, closed and changed; every bad edit refused with
one sentence. (Skeleton: signatures the helpers implement.)"""

from __future__ import annotations

from planning.coverage import WalkNetwork
from planning.scenario.model import Scenario
from planning.study import Study


def apply_scenario(study: Study, scenario: Scenario, *, network: WalkNetwork | None = None) -> Study:
    """The study as the scenario makes it (its own layers untouched; a new Study object).

    Raises
    ------
    OptionError
        An unknown kind; a location outside the study area or (with ``network``) farther from every walkable
        street than the snapping limit; a closed or changed name that no facility has, or that several share.
    """
    raise NotImplementedError

"""The frozen result of a coverage run."""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from planning.display import percent
from planning.i18n import notes_in


@dataclass(frozen=True, eq=False)
class CoverageResult:
    """Coverage of the elderly by walking time.

    Attributes
    ----------
    minutes : the bands, increasing.
    kinds : the facility kinds measured.
    walk_speed_m_s : the walking speed used.
    demand : one row per demand point: ``id``, ``elderly``, ``community`` (index into the study's communities,
        -1 outside all), ``community_name``, ``street``, ``offset_m`` (distance to the nearest street), ``far``
        (farther than the limit from every street), ``component`` (network piece of its street; 0 = the largest)
        and ``walk_time_s_<kind>`` (NaN beyond the largest band or unreachable); geometry in the study CRS.
    totals : per kind and band: ``elderly_total``, ``elderly_covered``, ``share``.
    communities : per community: name, street, kind, elderly, and per kind and band ``covered_<kind>_<m>min``
        and ``share_<kind>_<m>min``.
    streets : the same per street.
    daycare_gaps : urban communities whose elderly are not all within the largest band of a day-care centre.
    access : for bed-based kinds, per community: beds per 1000 elderly reachable (two-step floating catchment).
    far_points : demand points and facilities farther than the limit from every street.
    notes : sentences on what was assumed or found (network pieces, demand spread, missing kinds).
    notes_zh : the same sentences in Chinese, one per note (see :meth:`notes_in`).
    placement : per community, how its elderly were placed: ``name``, ``street``, ``elderly``, ``placed_by``
        (``layer``, ``buildings``, ``landuse``, ``grid``; ``none`` for a community without elderly or points),
        ``points``.
    """

    minutes: tuple[int, ...]
    kinds: tuple[str, ...]
    walk_speed_m_s: float
    demand: gpd.GeoDataFrame
    totals: pd.DataFrame
    communities: pd.DataFrame
    streets: pd.DataFrame
    daycare_gaps: pd.DataFrame
    access: pd.DataFrame
    far_points: pd.DataFrame
    notes: tuple[str, ...]
    notes_zh: tuple[str, ...] = ()
    placement: pd.DataFrame = field(default_factory=pd.DataFrame)

    def notes_in(self, lang: str = "zh") -> list[str]:
        """The notes in ``lang`` (``zh`` or ``en``); English stands in for a note without a Chinese version."""
        return notes_in(self.notes, self.notes_zh, lang)

    @property
    def daycare_gap_elderly(self) -> float:
        """The elderly of the urban communities in :attr:`daycare_gaps` outside the longest band of a day-care
        centre."""
        return float(self.daycare_gaps["elderly_uncovered"].sum())

    def walk_m(self, minutes: float) -> float:
        """How far the elderly walk in ``minutes`` at :attr:`walk_speed_m_s`, in metres (along the network)."""
        return self.walk_speed_m_s * 60 * minutes

    def time_column(self, kind: str) -> str:
        """Name of the walking-time column of ``kind`` in ``demand``."""
        return f"walk_time_s_{kind}"

    def band_total(self, kind: str, minutes: int) -> pd.Series:
        """The district total of ``kind`` within ``minutes``: ``elderly_total``, ``elderly_covered``, ``share`` and
        ``elderly_uncovered`` (the elderly outside that walk)."""
        totals = self.totals
        row = totals[(totals["kind"] == kind) & (totals["band_min"] == minutes)].iloc[0]
        return pd.concat(
            [row, pd.Series({"elderly_uncovered": row["elderly_total"] - row["elderly_covered"]})]
        )

    def share_table(self, frame: pd.DataFrame, kind: str) -> pd.DataFrame:
        """Per row of ``frame`` (:attr:`communities` or :attr:`streets`): the share of elderly within each band of
        ``kind`` in per cent, ``share_pct_<m>min`` (one decimal), and ``elderly_uncovered``, the elderly outside the
        longest band (whole numbers)."""
        out = pd.DataFrame(index=frame.index)
        for band in self.minutes:
            out[f"share_pct_{band}min"] = percent(frame[f"share_{kind}_{band}min"])
        m = self.minutes[-1]
        out["elderly_uncovered"] = (frame["elderly"] - frame[f"covered_{kind}_{m}min"]).round(0)
        return out

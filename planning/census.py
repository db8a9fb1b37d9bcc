"""Census age shares per street (街道/镇), and the elderly of communities that give only residents.

The seventh census publishes, per street and town (镇办), the resident population and the shares aged 60+ and 65+
(公报 表4-2 in each district). A community table often has residents but no elderly; with ``[demand] census =
"census.csv"`` in study.toml, such a community's elderly are derived as residents x its street's 60+ share, and the
loader says so for every row it filled (a finding), so nothing is estimated silently.

The table: one row per street, a street-name column and a 60+ share column (per cent, or a fraction when every value
is at most 1); Chinese and the census bulletins' headers are accepted (街道, 镇办, street_name; 60岁及以上占比,
share_60plus_pct …). Street names match after the office suffixes are taken off (人民街街道办事处 = 人民街街道 = 人民街).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from geo.errors import LayerError, StudyError
from geo.layers import check_file_format, check_source_text, decode_text
from planning.i18n import message
from planning.intake import confine_path
from planning.validation import Finding, match_columns, normalise_label, parse_number

STREET_NAMES: tuple[str, ...] = (
    "street",
    "street_name",
    "街道",
    "镇办",
    "街道(乡镇)",
    "乡镇",
    "镇街",
    "名称",
)
SHARE_60_NAMES: tuple[str, ...] = (
    "share_60", "share_60plus", "share_60plus_pct", "60岁及以上占比", "60岁以上占比", "60岁及以上人口比重",
    "60岁及以上(%)", "60岁以上(%)", "老年人口比例",
)  # fmt: skip
SHARE_65_NAMES: tuple[str, ...] = (
    "share_65", "share_65plus", "share_65plus_pct", "65岁及以上占比", "65岁以上占比", "65岁及以上人口比重",
)  # fmt: skip
_SUFFIXES = re.compile(r"(街道办事处|办事处|街道办|街道|人民政府|镇政府|乡政府|镇|乡)$")


def street_key(name: object) -> str:
    """A street's name as matched: NFKC, no spaces, the office suffix taken off (人民街街道办事处 -> 人民街)."""
    text = normalise_label(str(name or ""))
    return _SUFFIXES.sub("", text) or text


@dataclass(frozen=True)
class CensusShares:
    """The 60+ (and 65+) share of residents per street, as fractions, keyed by :func:`street_key`."""

    source: str
    share_60: dict[str, float]
    share_65: dict[str, float]

    def elderly_share(self, street: object) -> float | None:
        """The 60+ share of ``street``, or None when the table has no such street."""
        return self.share_60.get(street_key(street))


def _column(columns: list[str], names: tuple[str, ...]) -> str | None:
    wanted = [normalise_label(n) for n in names]
    found = {normalise_label(c): c for c in columns}
    return next((found[w] for w in wanted if w in found), None)


def census_path(label: str, folder: Path, *, toml_label: str, confined: bool) -> Path:
    """The census file study.toml names, checked like a layer's path (no URL or GDAL path; inside the study when
    confined)."""
    where = f"{toml_label}: [demand] census {label!r}"
    check_source_text(label, where=where)
    if confined:
        confine_path(label, folder, where=f"{toml_label}: [demand] census", error=LayerError)
    path = Path(label).expanduser()
    path = path if path.is_absolute() else folder / path
    if not path.is_file():
        raise LayerError(message("err_census_missing", toml=toml_label, source=label))
    return path


def read_census(path: Path, *, label: str) -> CensusShares:
    """The census table at ``path`` (``label`` as study.toml names it); :class:`LayerError` naming the fix."""
    check_file_format(path, where=f"[demand] census {label!r}", error=LayerError)
    text, _note = decode_text(path.read_bytes(), where=f"[demand] census {label!r}")
    table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    columns = [str(c) for c in table.columns]
    street, share = _column(columns, STREET_NAMES), _column(columns, SHARE_60_NAMES)
    if street is None or share is None:
        raise LayerError(
            message(
                "err_census_columns",
                source=label,
                found=", ".join(columns),
                street=", ".join(STREET_NAMES[:5]),
                share=", ".join(SHARE_60_NAMES[:5]),
            )
        )
    share_65 = _column(columns, SHARE_65_NAMES)

    def fractions(col: str) -> np.ndarray:
        values = pd.to_numeric(table[col].str.replace("%", "", regex=False), errors="coerce").to_numpy(float)
        return values if np.nanmax(values, initial=0) <= 1 else values / 100.0

    s60 = fractions(share)
    bad = [i for i, v in enumerate(s60) if not np.isfinite(v) or not 0 < v < 1]
    if bad:
        i = bad[0]
        raise LayerError(
            message(
                "err_census_share",
                source=label,
                row=i + 2,
                street=table[street].iloc[i],
                value=table[share].iloc[i],
            )
        )
    keys = [street_key(v) for v in table[street]]
    s65 = fractions(share_65) if share_65 else np.full(len(keys), np.nan)
    return CensusShares(
        source=label,
        share_60=dict(zip(keys, s60.tolist(), strict=True)),
        share_65={k: float(v) for k, v in zip(keys, s65, strict=True) if np.isfinite(v)},
    )


def fill_elderly(
    raw: pd.DataFrame, census: CensusShares, *, source: str
) -> tuple[pd.DataFrame, list[Finding]]:
    """The raw communities table with blank elderly filled from residents x the street's 60+ share.

    Rows that have elderly keep them; rows without residents or whose street the census lacks stay blank (the
    validation then rejects them, saying the column is required). One finding per filled row says the derivation.
    """
    mapping = match_columns([c for c in raw.columns if c not in ("geometry", "_row")], "communities")
    residents_col, street_col = mapping.get("population"), mapping.get("street")
    if residents_col is None or street_col is None:
        raise StudyError(message("err_census_needs_columns", source=source))
    out = raw.copy()
    elderly_col = mapping.get("elderly", "elderly")
    if elderly_col not in out:
        out[elderly_col] = None
    rows = out["_row"].to_numpy() if "_row" in out else np.arange(1, len(out) + 1)
    findings: list[Finding] = []
    for i in range(len(out)):
        # numbers as the loader reads them ("1,200", "1.2万"): only a blank elderly cell is filled; a cell that is
        # text but no number stays as given, for the validation to refuse with its own sentence
        given, _note, refused = parse_number(out[elderly_col].iloc[i])
        residents, _note, _refused = parse_number(out[residents_col].iloc[i])
        share = census.elderly_share(out[street_col].iloc[i])
        if given is not None or refused is not None or residents is None or share is None:
            continue
        value = float(round(residents * share))
        out.iloc[i, out.columns.get_loc(elderly_col)] = value
        street = out[street_col].iloc[i]
        findings.append(
            Finding(
                "communities",
                source,
                int(rows[i]),
                "repaired",
                f"elderly derived from residents {residents:,.0f} x the 60+ share {share:.2%} of {street} "
                f"(census {census.source}): {value:,.0f}",
                f"老年人口由常住人口 {residents:,.0f} × {street} 的 60 岁及以上占比 {share:.2%}"
                f"（普查表 {census.source}）推算：{value:,.0f}",
            )
        )
    return out, findings

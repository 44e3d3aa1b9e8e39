"""Re-derive a fact's value from its raw text, independently of the extractor.

Only the plain forms are read (Arabic digits, an optional approximation word, a unit from
the dbt units seed, %, 个百分点, counts with a classifier); anything else returns None and is
not checked. Agreement with the extractor's value is an error-level invariant.
"""

from __future__ import annotations

import csv
import math
import re
from functools import lru_cache

from parkwatch import config

CLASSIFIERS = "户家个项人件场只座间种次份处名台套辆所条批宗"
_NUM = r"([0-9]+(?:\.[0-9]+)?)"


@lru_cache(maxsize=1)
def unit_factors() -> dict[str, float]:
    """Unit as written → factor to the base unit, from dbt/seeds/seed_units.csv."""
    with open(config.dbt_dir() / "seeds" / "seed_units.csv", encoding="utf-8") as fh:
        return {row["unit_written"]: float(row["factor"]) for row in csv.DictReader(fh)}


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern:
    units = sorted(unit_factors(), key=len, reverse=True)
    alts = "|".join(re.escape(u) for u in units) + f"|[{CLASSIFIERS}]"
    return re.compile(rf"^(?:约|近|超|超过|达|共)?{_NUM}(?:余|多)?({alts})")


def rederive(raw: str | None) -> float | None:
    """The base-unit value ``raw`` states, or None when it is not a plain form."""
    if not raw:
        return None
    m = _pattern().match(raw.strip().replace(",", ""))
    if not m:
        return None
    number, unit = float(m.group(1)), m.group(2)
    if unit in CLASSIFIERS and len(unit) == 1 and unit not in unit_factors():
        return number
    return number * unit_factors()[unit]


def matches_raw(value: float | None, raw: str | None) -> bool | None:
    """True/False when the raw text can be read, None when it cannot."""
    expected = rederive(raw)
    if expected is None or value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return math.isclose(float(value), expected, rel_tol=1e-9, abs_tol=1e-9)

"""The expectation suites, built by small idempotent functions.

Two severities (DESIGN.md): ``*_errors`` suites block publishing (the pipeline's own
invariants); ``*_warnings`` suites are reported and published (the source contradicts itself).
"""
from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

# Accepted base units per measure: anything else is an extractor or unit-table bug.
ACCEPTED_UNITS: dict[str, list[str]] = {
    "amount": ["CNY", "USD", "t", "t/yr", "m2", "m3", "m3/yr", "kWh", "kWh/yr", "kW", "mu", "ha", "km",
               "CNY/mu", "CNY/person", "m", "items"],
    "count": ["count"],
    "growth_pct": ["%"],
    "share_pct": ["%"],
    "pp_change": ["pp"],
}
MEASURES = list(ACCEPTED_UNITS)


def indicator_error_expectations(today: str) -> list:
    exps = [
        gxe.ExpectColumnValuesToNotBeNull(column="fact_id"),
        gxe.ExpectColumnValuesToBeUnique(column="fact_id"),
        gxe.ExpectColumnValuesToNotBeNull(column="doc_id"),
        gxe.ExpectColumnValuesToNotBeNull(column="value"),
        gxe.ExpectColumnValuesToBeInSet(column="measure", value_set=MEASURES),
        gxe.ExpectColumnValuesToBeBetween(column="published_date", max_value=today, mostly=1.0),
    ]
    for measure, units in ACCEPTED_UNITS.items():
        exps.append(gxe.ExpectColumnValuesToBeInSet(
            column="unit", value_set=units, row_condition=f'measure=="{measure}"', condition_parser="pandas",
            meta={"check": f"unit accepted for {measure}"}))
    return exps


def total_check_warning_expectations() -> list:
    return [gxe.ExpectColumnValuesToBeInSet(
        column="parts_add_up", value_set=[True],
        meta={"check": "其中 parts add up to their total within the written precision"})]


def ensure_suite(context, name: str, expectations: list) -> gx.ExpectationSuite:
    """Replace the suite's expectations with ``expectations`` (idempotent)."""
    suite = gx.ExpectationSuite(name=name)
    for exp in expectations:
        suite.add_expectation(exp)
    return context.suites.add_or_update(suite)

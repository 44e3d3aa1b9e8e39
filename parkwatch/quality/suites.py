"""The expectation suites, built by small idempotent functions.

Two severities (DESIGN.md): ``*_errors`` suites block publishing (the pipeline's own
invariants); ``*_warnings`` suites are reported and published (the source contradicts itself).
"""
from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

# Accepted base units per measure: anything else is an extractor or unit-table bug.
# Amounts come in many physical units, optionally per something (t/yr, CNY/mu).
AMOUNT_BASE_UNITS = ["CNY", "USD", "t", "m", "km", "m2", "km2", "m3", "mu", "ha", "kWh", "kW", "MW", "d", "h",
                     "box", "TEU", "person"]
AMOUNT_PER_UNITS = ["yr", "month", "d", "h", "mu", "t", "m2", "person", "kWh", "box"]
AMOUNT_UNIT_REGEX = rf"^({'|'.join(AMOUNT_BASE_UNITS)})(/({'|'.join(AMOUNT_PER_UNITS)}))?$"
ACCEPTED_UNITS: dict[str, list[str] | None] = {
    "amount": None,  # checked with AMOUNT_UNIT_REGEX
    "count": ["count"],
    "growth_pct": ["%"],
    "share_pct": ["%"],
    "pp_change": ["pp"],
}
MEASURES = list(ACCEPTED_UNITS)


def indicator_error_expectations() -> list:
    """Error level on marts.indicators (plus ``days_since_published`` computed by the query)."""
    exps = [
        gxe.ExpectColumnValuesToNotBeNull(column="fact_id"),
        gxe.ExpectColumnValuesToBeUnique(column="fact_id"),
        gxe.ExpectColumnValuesToNotBeNull(column="doc_id"),
        gxe.ExpectColumnValuesToNotBeNull(column="value"),
        gxe.ExpectColumnValuesToBeInSet(column="measure", value_set=MEASURES),
        gxe.ExpectColumnValuesToBeBetween(column="days_since_published", min_value=0,
                                          meta={"check": "no publication date in the future"}),
        gxe.ExpectColumnValuesToMatchRegex(
            column="unit", regex=AMOUNT_UNIT_REGEX, row_condition='measure=="amount"', condition_parser="pandas",
            meta={"check": "unit accepted for amount"}),
    ]
    for measure, units in ACCEPTED_UNITS.items():
        if units is None:
            continue
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

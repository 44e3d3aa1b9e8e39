"""The expectation suites, built by small idempotent functions.

Two severities: ``*_errors`` suites block publishing (the pipeline's own
invariants); ``*_warnings`` suites are reported and published (the source contradicts
itself; the facts carry quality_flags and rows in marts.review_queue).
"""

from __future__ import annotations

import math

import great_expectations as gx
import great_expectations.expectations as gxe
from great_expectations.expectations.row_conditions import Column

# Accepted base units per measure: anything else is an extractor or unit-table bug.
# Amounts come in many physical units, optionally per something (t/yr, CNY/mu).
AMOUNT_BASE_UNITS = [
    "CNY",
    "USD",
    "t",
    "m",
    "km",
    "m2",
    "km2",
    "m3",
    "mu",
    "ha",
    "kWh",
    "kW",
    "MW",
    "d",
    "h",
    "box",
    "TEU",
    "person",
]
AMOUNT_PER_UNITS = ["yr", "month", "d", "h", "mu", "t", "m2", "person", "kWh", "box"]
AMOUNT_UNIT_REGEX = rf"^(?:{'|'.join(AMOUNT_BASE_UNITS)})(?:/(?:{'|'.join(AMOUNT_PER_UNITS)}))?$"
ACCEPTED_UNITS: dict[str, list[str] | None] = {
    "amount": None,  # checked with AMOUNT_UNIT_REGEX
    "count": ["count"],
    "growth_pct": ["%"],
    "share_pct": ["%"],
    "pp_change": ["pp"],
}
MEASURES = list(ACCEPTED_UNITS)
# A share may pass 100% only when it is measured against a plan, a budget or last year.
SHARE_OVER_100_CONTEXT = "完成|计划|预算|进度|目标|同期|上年|去年"


def _when(measure: str) -> dict:
    return {"row_condition": Column("measure") == measure}


def indicator_error_expectations(previous_rows: int | None = None) -> list:
    """Error level on marts.indicators, with the columns validate.py adds to the frame:
    ``days_since_published``, ``value_matches_raw`` and ``share_within_whole``."""
    exps = [
        *(gxe.ExpectColumnValuesToNotBeNull(column=c) for c in ("fact_id", "doc_id", "measure", "unit", "value")),
        gxe.ExpectColumnValuesToBeUnique(column="fact_id"),
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=["doc_id", "indicator_text", "measure", "raw", "sentence"],
            meta={"check": "no fact extracted twice"},
        ),
        gxe.ExpectColumnValuesToBeInSet(column="measure", value_set=MEASURES),
        gxe.ExpectColumnValuesToMatchRegex(
            column="unit", regex=AMOUNT_UNIT_REGEX, **_when("amount"), meta={"check": "unit accepted for amount"}
        ),
        *(
            gxe.ExpectColumnValuesToBeInSet(
                column="unit", value_set=units, **_when(measure), meta={"check": f"unit accepted for {measure}"}
            )
            for measure, units in ACCEPTED_UNITS.items()
            if units is not None
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="value_matches_raw", value_set=[True], meta={"check": "value agrees with its raw text, re-derived"}
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="days_since_published", min_value=0, meta={"check": "no publication date in the future"}
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="value",
            min_value=-100,
            max_value=10000,
            **_when("growth_pct"),
            meta={"check": "growth rate within -100% … 10000%"},
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="value",
            min_value=-100,
            max_value=100,
            **_when("pp_change"),
            meta={"check": "percentage-point change within ±100"},
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="value", min_value=0, max_value=1000, **_when("share_pct"), meta={"check": "share not negative"}
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="share_within_whole",
            min_value=0,
            max_value=100,
            meta={"check": "share of a whole at most 100% (plans and budgets excepted)"},
        ),
    ]
    return exps + _row_volume(previous_rows)


def _row_volume(previous_rows: int | None) -> list:
    """Row volume must not collapse below half of the last publish (a broken crawl or parser)."""
    if not previous_rows:
        return []
    return [
        gxe.ExpectTableRowCountToBeBetween(
            min_value=math.ceil(previous_rows / 2),
            meta={"check": f"row volume not collapsing: previous publish had {previous_rows} rows"},
        )
    ]


def policy_error_expectations(previous_rows: int | None = None) -> list:
    exps = [
        gxe.ExpectColumnValuesToNotBeNull(column="doc_id"),
        gxe.ExpectColumnValuesToBeUnique(column="doc_id"),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="published_date",
            column_B="written_date",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            meta={"check": "成文日期 not after 发布日期"},
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="days_since_published", min_value=0, meta={"check": "no publication date in the future"}
        ),
    ]
    return exps + _row_volume(previous_rows)


def consistency_warning_expectations(previous_rows: int | None = None) -> list:
    """Warn level on intermediate.int_indicator_checks: one expectation per within-document check."""
    return [
        gxe.ExpectColumnValuesToBeInSet(
            column="passed", value_set=[True], row_condition=Column("check_name") == name, meta={"check": text}
        )
        for name, text in [
            ("parts_exceed_total", "其中 parts do not exceed their total beyond its written precision"),
            ("shares_do_not_sum_to_100", "shares of one whole sum to 100 within rounding"),
            ("growth_disagrees_with_levels", "a growth rate agrees with the two levels it relates"),
        ]
    ]


def ensure_suite(context, name: str, expectations: list) -> gx.ExpectationSuite:
    """Replace the suite's expectations with ``expectations`` (idempotent)."""
    suite = gx.ExpectationSuite(name=name)
    for exp in expectations:
        suite.add_expectation(exp)
    return context.suites.add_or_update(suite)

"""Warn-level checks: where a source document contradicts itself. Pure functions over fact dicts.

Each check returns one row per group it looked at, with ``passed`` and a reason, so the
warehouse can both flag the facts involved and show the evidence in the review queue.
A number is compared within the precision it is written with: 67.57万元 is ±0.005万元.
"""

from __future__ import annotations

import re
from collections import defaultdict

_NUMBER = re.compile(r"[0-9]+(?:\.([0-9]+))?")


def written_tolerance(fact: dict) -> float:
    """Half a unit of the last written digit, in the fact's base unit (0 when not readable)."""
    m = _NUMBER.search(fact.get("raw") or "")
    if not m:
        return 0.0
    number = float(m.group(0))
    if number == 0:
        return 0.0
    decimals = len(m.group(1) or "")
    scale = abs(float(fact["value"])) / number  # 万元 → 1e4 CNY per written unit
    return 0.5 * 10**-decimals * scale


def _row(check: str, doc_id, seqs: list[int], stated: float, expected: float, tolerance: float, reason: str) -> dict:
    passed = abs(stated - expected) <= tolerance + 1e-9 * max(1.0, abs(stated))
    return {
        "check": check,
        "doc_id": doc_id,
        "fact_seqs": seqs,
        "stated_value": stated,
        "expected_value": expected,
        "tolerance": tolerance,
        "passed": passed,
        "reason": None if passed else reason,
    }


def parts_vs_total(facts: list[dict]) -> list[dict]:
    """其中 parts against their total (amounts and counts).

    Parts may not exceed the total beyond the precision the total is written with. Parts
    short of the total pass: a 其中 list often names only some kinds (seed 000 lists 133
    enterprises and 322 individual businesses of 465 registrations).
    """
    rows = []
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for f in facts:
        if f.get("parent_indicator_text") and f["measure"] in ("amount", "count"):
            groups[(f["doc_id"], f["parent_indicator_text"], f["measure"], f["unit"])].append(f)
    for (doc_id, parent, measure, unit), parts in groups.items():
        first = min(p["fact_seq"] for p in parts)
        totals = [
            f
            for f in facts
            if f["doc_id"] == doc_id
            and f["indicator_text"] == parent
            and f["measure"] == measure
            and f["unit"] == unit
            and f["fact_seq"] < first
            and not f.get("parent_indicator_text")
        ]
        if not totals:
            continue
        total = max(totals, key=lambda f: f["fact_seq"])
        total_value = float(total["value"])
        parts_sum = sum(float(p["value"]) for p in parts)
        reason = (
            f"{parent}: parts {'+'.join(p['raw'] for p in parts)} = {parts_sum:g} {unit} "
            f"exceed the total {total['raw']} = {total_value:g} {unit}"
        )
        rows.append(
            _row(
                "parts_exceed_total",
                doc_id,
                [total["fact_seq"], *sorted(p["fact_seq"] for p in parts)],
                parts_sum,
                min(parts_sum, total_value),
                written_tolerance(total),
                reason,
            )
        )
    return rows


def shares_sum_to_100(facts: list[dict]) -> list[dict]:
    """Consecutive shares in one sentence that make up a whole must sum to 100 ± rounding.

    A sentence may list two partitions one after the other (this year's structure, then last
    year's): shares are taken in order and a group closes when its sum reaches 100 within the
    rounding of its members. Three or more left over that still look like a partition (sum
    80–120) are reported as not summing to 100.
    """
    rows = []
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for f in sorted(facts, key=lambda f: f["fact_seq"]):
        if f["measure"] == "share_pct" and not f.get("is_target"):
            groups[(f["doc_id"], f.get("sentence"))].append(f)
    for (doc_id, _), shares in groups.items():
        run: list[dict] = []
        for i, share in enumerate(shares):
            run.append(share)
            total = sum(float(s["value"]) for s in run)
            tol = sum(written_tolerance(s) for s in run)
            following = float(shares[i + 1]["value"]) if i + 1 < len(shares) else None
            closer_with_next = following is not None and abs(total + following - 100) < abs(total - 100)
            if len(run) >= 3 and abs(total - 100) <= tol and not closer_with_next:
                rows.append(
                    _row("shares_do_not_sum_to_100", doc_id, [s["fact_seq"] for s in run], total, 100.0, tol, "")
                )
                run = []
            elif total > 100 + tol and len(run) > 3:
                break  # overshoot without closing: handled below as a leftover
        if len(run) >= 3:
            total = sum(float(s["value"]) for s in run)
            if 80 <= total <= 120:
                tol = sum(written_tolerance(s) for s in run)
                reason = f"shares {'+'.join(s['raw'] for s in run)} sum to {total:g}%, not 100%"
                rows.append(
                    _row("shares_do_not_sum_to_100", doc_id, [s["fact_seq"] for s in run], total, 100.0, tol, reason)
                )
    return rows


def growth_vs_levels(facts: list[dict]) -> list[dict]:
    """A stated growth rate against the two levels it relates (same indicator, a year apart)."""
    rows = []
    by_key: dict[tuple, list[dict]] = defaultdict(list)
    for f in facts:
        if f.get("period_end"):
            by_key[(f["doc_id"], f["indicator_text"])].append(f)
    for (doc_id, text), group in by_key.items():
        amounts = {str(f["period_end"]): f for f in group if f["measure"] in ("amount", "count")}
        for g in (f for f in group if f["measure"] == "growth_pct"):
            end = str(g["period_end"])
            current = amounts.get(end)
            previous = amounts.get(f"{int(end[:4]) - 1}{end[4:]}")
            if not current or not previous or float(previous["value"]) == 0:
                continue
            cur, prev = float(current["value"]), float(previous["value"])
            implied = (cur / prev - 1) * 100
            # rounding of both levels moves the implied rate; plus half a unit of the stated rate
            level_tol = 100 * (written_tolerance(current) / prev + cur * written_tolerance(previous) / prev**2)
            tol = written_tolerance(g) + level_tol
            reason = f"{text}: {current['raw']} against {previous['raw']} is {implied:+.1f}%, stated {g['raw']}"
            rows.append(
                _row(
                    "growth_disagrees_with_levels",
                    doc_id,
                    sorted([g["fact_seq"], current["fact_seq"], previous["fact_seq"]]),
                    float(g["value"]),
                    implied,
                    tol,
                    reason,
                )
            )
    return rows


CHECKS = (parts_vs_total, shares_sum_to_100, growth_vs_levels)


def document_checks(facts: list[dict]) -> list[dict]:
    """Every warn-level within-document check over the facts of one or more documents."""
    return [row for check in CHECKS for row in check(facts)]

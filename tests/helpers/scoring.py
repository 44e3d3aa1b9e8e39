"""Scoring extracted indicator facts against hand-labelled gold: which facts match, and precision,
recall, F1, attribution, period and target accuracy over the matches."""

from __future__ import annotations

import math
import re


def _norm(s: str | None) -> str:
    return re.sub(r"[\s“”\"'‘’《》]", "", s or "")


def _same_value(a, b) -> bool:
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)


def _key_match(g: dict, p: dict) -> bool:
    return g["measure"] == p["measure"] and g["unit"] == p["unit"] and _same_value(g["value"], p["value"])


def _lenient(a: str, b: str) -> bool:
    a, b = _norm(a), _norm(b)
    return bool(a) and bool(b) and (a in b or b in a)


def match(gold: list[dict], pred: list[dict]) -> list[tuple[dict, dict]]:
    """Pairs (gold, pred) with the same measure, unit and value; text decides between candidates
    (exact text first, then containment, then any)."""
    used_g, used_p, pairs = set(), set(), []
    tests = (lambda g, p: _norm(g) == _norm(p), _lenient, lambda g, p: True)
    for same_text in tests:
        for i, g in enumerate(gold):
            if i in used_g:
                continue
            for j, p in enumerate(pred):
                if j not in used_p and _key_match(g, p) and same_text(g["indicator_text"], p["indicator_text"]):
                    used_g.add(i)
                    used_p.add(j)
                    pairs.append((g, p))
                    break
    return pairs


def score(gold: list[dict], pred: list[dict]) -> dict:
    pairs = match(gold, pred)
    tp = len(pairs)
    prec = tp / len(pred) if pred else 1.0
    rec = tp / len(gold) if gold else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    n = tp or 1
    with_parent = [(g, p) for g, p in pairs if g.get("parent_indicator_text")]
    return {
        "gold": len(gold), "pred": len(pred), "tp": tp, "precision": prec, "recall": rec, "f1": f1,
        "attribution_exact": sum(_norm(g["indicator_text"]) == _norm(p["indicator_text"]) for g, p in pairs) / n,
        "attribution_lenient": sum(_lenient(g["indicator_text"], p["indicator_text"]) for g, p in pairs) / n,
        "period": sum((g["period_start"], g["period_end"]) == (p["period_start"], p["period_end"])
                      for g, p in pairs) / n,
        "target": sum(g["is_target"] == p["is_target"] for g, p in pairs) / n,
        "approx": sum((g.get("approx") or None) == (p["approx"] or None) for g, p in pairs) / n,
        "parent": (sum(_lenient(g["parent_indicator_text"], p.get("parent_indicator_text") or "")
                       for g, p in with_parent) / len(with_parent)) if with_parent else 1.0,
        "missed": [g for i, g in enumerate(gold) if all(g is not x for x, _ in pairs)],
        "spurious": [p for p in pred if all(p is not y for _, y in pairs)],
    }

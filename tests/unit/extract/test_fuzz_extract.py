"""Fuzzing the extractor with mutated demo-portal pages: no exception escapes, bad pages become
records with reasons, and nothing takes unbounded time.

Real pages are fetched over HTTP from ``parkwatch.portal.Portal(port=0)`` (every detail page of the
hand-written sites, plus the faulty site's malformed and soft-404 pages), then mutated: truncation,
byte flips, NUL and control bytes, charset lies (header, <meta>, BOM), deeply nested and unclosed
tags, megabyte attributes, scripts that ``document.write`` a figure, entity tricks (XXE, billion
laughs), binary bodies. Every mutant goes through the three entry points the pipeline uses:
``parkwatch.extract.rows.parse_page`` (dbt's int_parsed_pages), ``parkwatch.extract.parse_document``
and ``parkwatch.extract.facts.extract_file`` (``parkwatch extract``).

The short run (part of ``make test``) takes a few seconds. The long run repeats the Hypothesis fuzz
with thousands of examples over every page::

    .venv/bin/python -m pytest -m fuzz_long tests/unit/extract/test_fuzz_extract.py tests/unit/extract/test_property_numbers.py
    # or: PARKWATCH_FUZZ_LONG=1 .venv/bin/python -m pytest tests/unit/extract/test_fuzz_extract.py
"""
from __future__ import annotations

import gzip
import json
import math
import os
import random
import re
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parkwatch.extract import Document, parse_document
from parkwatch.extract.facts import CONTRACT_FIELDS, extract_file
from parkwatch.portal import Portal
from parkwatch.extract.rows import PARSED_COLUMNS, parse_page

# the figure hostile scripts try to inject; no extractor output may contain it
INJECTED = "999.99"
SCRIPT_FIGURE = f"财政收入{INJECTED}亿元，同比增长88%。"
# examples per long test; PARKWATCH_FUZZ_SCALE shrinks it (`make test` runs a scaled-down long run)
LONG_EXAMPLES = round(1500 * float(os.environ.get("PARKWATCH_FUZZ_SCALE", "1")))
SECONDS_PER_PAGE = 15.0  # generous: a mutant that takes longer than this is a hang, not a slow page
FAULTY_PAGES = ("/news/2024/0805/5003.html", "/news/2024/0802/5002.html")  # malformed, soft 404


def long_run(fn):
    """The long run: selected with `pytest -m fuzz_long` (or PARKWATCH_FUZZ_LONG=1), skipped otherwise."""
    return pytest.mark.fuzz_long(pytest.mark.skipif(
        "'fuzz_long' not in (config.getoption('markexpr') or '') and not os.environ.get('PARKWATCH_FUZZ_LONG')",
        reason="long fuzz run: select it with `pytest -m fuzz_long` (or PARKWATCH_FUZZ_LONG=1)")(fn))


def _get(url: str) -> tuple[str | None, bytes] | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.headers.get("Content-Type"), r.read()
    except (urllib.error.URLError, OSError):
        return None


@pytest.fixture(scope="module")
def pages() -> list[tuple[str, str | None, bytes]]:
    """(url, content type, body) of every detail page the demo portal serves, fetched over HTTP."""
    out = []
    with Portal(port=0) as portal:
        for site_id, site in portal.sites.items():
            base = portal.site_urls[site_id].rstrip("/")
            paths = FAULTY_PAGES if site_id == "faulty-demo" else tuple(site.detail_paths().values())
            for path in paths:
                got = _get(base + path)
                if got:
                    out.append((base + path, got[0], got[1]))
    assert len(out) >= 20, "the demo portal should serve a few dozen detail pages"
    return out


@pytest.fixture(scope="module")
def sample(pages):
    """One page per site (and the faulty ones): the short run's seeds."""
    seen, out = set(), []
    for url, ct, body in pages:
        host = url.split("/")[2]
        if host not in seen or "5003" in url:
            seen.add(host)
            out.append((url, ct, body))
    return out


# ---------------------------------------------------------------- mutations


def _body_insert(b: bytes, payload: bytes) -> bytes:
    m = re.search(rb"<body[^>]*>", b, re.IGNORECASE)
    at = m.end() if m else 0
    return b[:at] + payload + b[at:]


def _inside_script(b: bytes, at: int) -> bool:
    before = b[:at].lower()
    return before.rfind(b"<script") > before.rfind(b"</script")


def _content_insert(b: bytes, payload: bytes) -> bytes:
    """Payload right after the first paragraph opening (inside the article text), else after <body>.
    A ``<p`` inside a script (an earlier mutation's document.write string) is not a paragraph:
    inserting there would close that script early and turn its figure into visible page text."""
    m = next((m for m in re.finditer(rb"<p[ >]", b) if not _inside_script(b, m.start())), None)
    if not m:
        return _body_insert(b, payload)
    at = b.find(b">", m.start()) + 1
    return b[:at] + payload + b[at:]


def _set_charset(b: bytes, name: bytes) -> bytes:
    b2, n = re.subn(rb"charset=[\"']?[\w-]+", b"charset=" + name, b, count=1)
    return b2 if n else _body_insert(b, b'<meta charset="' + name + b'">')


MUTATIONS = {
    "truncate": lambda b, ct, r: (b[:r.randrange(len(b) + 1)], ct),
    "truncate_mid_utf8": lambda b, ct, r: (b[:(len(b) // 2) | 1], ct),
    "flip_bytes": lambda b, ct, r: (bytes(x ^ (1 << r.randrange(8)) if r.random() < 0.01 else x for x in b), ct),
    "nul_bytes": lambda b, ct, r: (_content_insert(b.replace("元".encode(), "\x00元".encode()), b"\x00" * 8), ct),
    "control_bytes": lambda b, ct, r: (bytes(r.choice(b"\x01\x02\x07\x08\x0b\x1b\x7f") if r.random() < 0.003 else x
                                            for x in b), ct),
    "header_says_gbk": lambda b, ct, r: (b, "text/html; charset=gbk"),
    "header_says_utf16": lambda b, ct, r: (b, "text/html; charset=utf-16"),
    "header_says_unknown": lambda b, ct, r: (b, "text/html; charset=x-no-such-charset"),
    "meta_says_big5": lambda b, ct, r: (_set_charset(b, b"big5"), None),
    "meta_says_latin1": lambda b, ct, r: (_set_charset(b, b"iso-8859-1"), None),
    "gb18030_bytes_utf8_label": lambda b, ct, r: (b.decode("utf-8", "replace").encode("gb18030", "replace"),
                                                  "text/html; charset=utf-8"),
    "utf16_with_bom": lambda b, ct, r: (b.decode("utf-8", "replace").encode("utf-16"), None),
    "utf16le_no_bom": lambda b, ct, r: (b.decode("utf-8", "replace").encode("utf-16-le"), ct),
    "utf8_bom_gbk_label": lambda b, ct, r: (b"\xef\xbb\xbf" + b, "text/html; charset=gbk"),
    "deep_nesting": lambda b, ct, r: (_body_insert(b, b"<div>" * 5000 + "深处:财政收入5.58亿元。".encode()
                                                   + b"</div>" * 5000), ct),
    "deep_unclosed": lambda b, ct, r: (_body_insert(b, b"<span><b><i>" * 8000), ct),
    "huge_attribute": lambda b, ct, r: (b.replace(b"<p", b'<p class="' + b"nav " * 250_000 + b'"', 1), ct),
    "many_attributes": lambda b, ct, r: (_body_insert(b, b"<div " + b" ".join(b"a%d=x" % i for i in range(20000))
                                                      + b">x</div>"), ct),
    "script_document_write": lambda b, ct, r: (_content_insert(
        b, f'<script>document.write("<p>{SCRIPT_FIGURE}</p>");</script>'.encode()), ct),
    "script_unclosed": lambda b, ct, r: (_content_insert(b, f"<script>var s='{SCRIPT_FIGURE}';".encode()), ct),
    "xxe": lambda b, ct, r: (b'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                             + _content_insert(b, b"&xxe;"), ct),
    "billion_laughs": lambda b, ct, r: (
        ('<!DOCTYPE html [<!ENTITY a "aaaaaaaaaa">' + "".join(
            f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)) + "]>").encode()
        + _content_insert(b, b"&j;"), ct),
    "bad_entities": lambda b, ct, r: (_content_insert(b, b"&#0;&#xD800;&#99999999;&#x110000;&bogus;&amp"), ct),
    "unclosed_comment": lambda b, ct, r: (_content_insert(b, b"<!-- never closed"), ct),
    "cdata_and_pi": lambda b, ct, r: (_content_insert(b, b"<![CDATA[5.58\xe4\xba\xbf]]><?php echo 1; ?>"), ct),
    "tag_soup": lambda b, ct, r: (_content_insert(b, b"<<<p>>></div></table><td><tr></tr><li>" * 500), ct),
    "long_numeral_run": lambda b, ct, r: (_content_insert(b, "一二三四五六七八九十".encode() * 3000), ct),
    "long_digit_run": lambda b, ct, r: (_content_insert(b, b"1234567890" * 3000 + "亿元".encode()), ct),
    "gzip_body": lambda b, ct, r: (gzip.compress(b), ct),
    "random_bytes": lambda b, ct, r: (r.randbytes(len(b) // 4 + 1), ct),
    "empty": lambda b, ct, r: (b"", ct),
}


def visible_to_a_browser(body: bytes, text: str) -> bool:
    """Whether ``text`` is page text (outside script/style) for an independent HTML parser (lxml).
    Composed mutations can make a script's figure genuinely visible (a byte flip in ``<script>``
    turns it into an unknown element whose content is text); only an invisible figure must stay out."""
    import lxml.html

    # lxml refuses control characters; a browser keeps them inside a tag name (no tag: "?" does the same)
    body = re.sub(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", b"?", body)
    try:
        tree = lxml.html.document_fromstring(body)
        for el in tree.xpath("//script|//style|//noscript|//template"):
            el.drop_tree()
        return text in tree.text_content()
    except Exception:  # noqa: BLE001 - unparseable: nothing is visible
        return False


def check_all_entry_points(body: bytes, url: str | None, content_type: str | None) -> dict:
    """Run the three entry points on one mutant; assert the contract; return the parse_page row."""
    started = time.monotonic()
    row = parse_page("doc-1", body, url, content_type)
    doc = parse_document(body, url=url, content_type=content_type)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("page.txt" if content_type and content_type.startswith("text/plain") else "page.html")
        path.write_bytes(body)
        file_doc, facts = extract_file(str(path))
    elapsed = time.monotonic() - started
    assert elapsed < SECONDS_PER_PAGE, f"{url}: {elapsed:.1f}s for one page"

    # parse_page: one complete row, JSON columns strictly valid (no NaN/Infinity: DuckDB reads them)
    assert set(row) == set(PARSED_COLUMNS) and row["doc_id"] == "doc-1" and row["extractor_version"]
    for col in ("indicators_json", "projects_json", "policy_json", "metadata_json", "attachments_json",
                "title_parks_json"):
        if row[col] is not None:
            json.loads(row[col], parse_constant=lambda c: pytest.fail(f"{col} holds {c}"))
    indicators = json.loads(row["indicators_json"])
    assert isinstance(indicators, list) and isinstance(json.loads(row["projects_json"]), list)
    if row["parse_error"] is not None:
        assert isinstance(row["parse_error"], str) and row["parse_error"].strip()
        assert indicators == [], "a page that failed to parse carries no facts"
    for f in indicators:
        assert f["measure"] in ("amount", "count", "growth_pct", "share_pct", "pp_change"), f
        assert isinstance(f["value"], (int, float)) and math.isfinite(f["value"]), f
    if not visible_to_a_browser(body, INJECTED):
        for f in indicators:
            assert INJECTED not in (f["raw"] or "") + (f["sentence"] or ""), "a script's figure was extracted"
        assert INJECTED not in (row["body"] or ""), "script text leaked into the body"

    # parse_document and extract_file: a Document, with an error reason or a text body
    for d in (doc, file_doc):
        assert isinstance(d, Document)
        assert d.error is None or (isinstance(d.error, str) and d.error.strip())
        assert isinstance(d.body, str)
        if d.error is None:
            assert d.body or d.title
        assert "root:x:0:0" not in d.body, "an external entity was resolved"
    assert isinstance(facts, list)
    for f in facts:
        assert set(CONTRACT_FIELDS) <= set(f) and f["doc"] == str(path)
        assert INJECTED not in (f["raw"] or "") or visible_to_a_browser(body, INJECTED)
    return row


# ---------------------------------------------------------------- the short run (make test)


def test_unmutated_pages_parse_cleanly(pages):
    """The baseline: every real page parses without a reason and most yield facts."""
    with_facts = 0
    for url, ct, body in pages:
        row = check_all_entry_points(body, url, ct)
        if "5002" in url or "5003" in url:
            continue  # soft 404 and malformed: anything but an exception will do
        assert row["parse_error"] is None, (url, row["parse_error"])
        with_facts += row["indicators_json"] != "[]"
    assert with_facts >= len(pages) // 3


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_mutated_pages(sample, mutation):
    rng = random.Random(f"parkwatch-{mutation}")
    for url, ct, body in sample:
        mutated, mutated_ct = MUTATIONS[mutation](body, ct, rng)
        check_all_entry_points(mutated, url, mutated_ct)


@pytest.mark.parametrize("body,content_type,reason", [
    (b"", "text/html", "empty document"),
    (b" \r\n\t  ", "text/html; charset=utf-8", "empty document"),
    (b"<html><head></head><body></body></html>", "text/html", "no text found"),
    (b"<html><body><script>document.write('x')</script><style>p{}</style></body></html>", None, "no text found"),
    (b"\x00" * 256, "text/html", "not a text page"),
    (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj", "application/pdf", "PDF"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "text/html", "PNG"),
    (b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)), "application/octet-stream", "ZIP"),
    (gzip.compress("<p>财政收入5.58亿元，同比增长9%。</p>".encode() * 40), "text/html", "gzip"),
    (random.Random(7).randbytes(4096), None, "not a text page"),
])
def test_unparseable_pages_become_records_with_reasons(body, content_type, reason):
    row = check_all_entry_points(body, "http://127.0.1.1:8700/bad.html", content_type)
    assert row["parse_error"] and reason in row["parse_error"], row["parse_error"]
    assert row["indicators_json"] == "[]" and row["projects_json"] == "[]" and row["policy_json"] is None


def test_nul_bytes_do_not_reach_the_facts(sample):
    url, ct, body = sample[0]
    row = check_all_entry_points(_content_insert(body, "财政\x00收入5.58亿元，同比增长9%。".encode()), url, ct)
    assert "\x00" not in (row["body"] or "") and "\ufffd" not in (row["body"] or "")
    assert any(f["raw"] == "5.58亿元" and f["indicator_text"].endswith("财政收入")
               for f in json.loads(row["indicators_json"]))


def test_charset_lies_keep_the_text(sample):
    """A wrong header or <meta> charset must not garble a page whose bytes are clean UTF-8."""
    for url, ct, body in sample:
        honest = parse_page("d", body, url, ct)
        for lie in (b"gbk", b"big5", b"iso-8859-1"):
            lied = parse_page("d", _set_charset(body, lie), url, "text/html; charset=" + lie.decode())
            assert lied["body"] == honest["body"], (url, lie)


# ---------------------------------------------------------------- Hypothesis: composed mutations

mutation_plans = st.lists(st.tuples(st.sampled_from(sorted(MUTATIONS)), st.integers(0, 2**32 - 1)),
                          min_size=1, max_size=3)


def _apply(plan, body, ct):
    for name, seed in plan:
        body, ct = MUTATIONS[name](body, ct, random.Random(seed))
    return body, ct


def _check_composed(pages, data) -> None:
    """One page, a plan of mutations drawn by Hypothesis, applied in order, through every entry point."""
    url, ct, body = data.draw(st.sampled_from(pages), label="page")
    mutated, mutated_ct = _apply(data.draw(mutation_plans, label="plan"), body, ct)
    check_all_entry_points(mutated, url, mutated_ct)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_composed_mutations(sample, data):
    _check_composed(sample, data)


@long_run
@settings(max_examples=LONG_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_long_composed_mutations(pages, data):
    _check_composed(pages, data)


@long_run
@settings(max_examples=LONG_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_long_byte_level_fuzz(pages, data):
    """Hypothesis picks the bytes: splices of arbitrary binary into real pages, and pure noise."""
    url, ct, body = data.draw(st.sampled_from(pages), label="page")
    at = data.draw(st.integers(0, len(body)), label="at")
    cut = data.draw(st.integers(0, 64), label="cut")
    noise = data.draw(st.binary(max_size=512), label="noise")
    check_all_entry_points(body[:at] + noise + body[at + cut:], url, ct)
    check_all_entry_points(noise, url, data.draw(st.sampled_from([None, "text/html", "text/plain"]), label="ct"))

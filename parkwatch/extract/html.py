"""HTML → document fields: CMS content selectors first, then a text-density pick; the 信息公开
metadata table; title, date, source and attachment links."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import lxml.html

from parkwatch.common.dates import parse_date
from parkwatch.extract.common import canonical_label, clean_meta_value, date_from_metadata, meta_pairs
from parkwatch.extract.lexicon.labels import META_LABELS, META_TAG_LABELS
from parkwatch.extract.lexicon.patterns import ATTACHMENT_FILE_RE
from parkwatch.extract.lexicon.selectors import (
    BLOCK_TAGS,
    CHROME_CLASS_RE,
    CONTENT_SELECTORS,
    DATE_CLASS_RE,
    DROP_TAGS,
)
from parkwatch.extract.plain import drop_title_lines, parse_plain, split_regions
from parkwatch.extract.text import clean_text

_TITLE_SPLIT_RE = re.compile(r"\s*(?:[_|｜]|-{1,2}|—{1,2})\s*")
_CHINESE_PUNCT_RE = re.compile(r"[。,，;；、:：!！?？]")


def _text(el) -> str:
    return re.sub(r"\s+", " ", el.text_content() or "").strip()


def block_text(el) -> str:
    """Text of an element with block elements and <br> turned into line breaks."""
    parts: list[str] = []

    def walk(node):
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in BLOCK_TAGS:
            parts.append("\n")
        if node.text and tag not in ("script", "style"):
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if tag in BLOCK_TAGS or tag in ("td", "th"):
            parts.append("\n" if tag != "td" and tag != "th" else " | ")

    walk(el)
    return "".join(parts)


def _strip_chrome(root) -> None:
    for bad in root.xpath("//comment() | //processing-instruction()"):
        parent = bad.getparent()
        if parent is not None:
            bad.drop_tree() if hasattr(bad, "drop_tree") else parent.remove(bad)
    for tag in DROP_TAGS:
        for el in root.iter(tag):
            el.drop_tree() if el.getparent() is not None else None


def _attr_key(el) -> str:
    """class and id of an element, for the chrome/date tests; a hostile page's megabyte-long
    attribute is cut (real class lists are short), so testing it stays cheap."""
    return " ".join(filter(None, (el.get("class"), el.get("id"))))[:_MAX_KEY]


_MAX_KEY = 256


def _is_chrome(el) -> bool:
    key = _attr_key(el)
    return bool(key) and bool(CHROME_CLASS_RE.search(key))


def _link_density(el) -> float:
    total = len(_text(el)) or 1
    links = sum(len(_text(a)) for a in el.iter("a"))
    return links / total


_SENTENCE_PUNCT_RE = re.compile(r"[。,，;；]")


def _block_score(el) -> float:
    t = _text(el)
    if len(t) < 20 or _link_density(el) > 0.3 or not _SENTENCE_PUNCT_RE.search(t):
        return 0.0
    return len(t) + 20 * len(_CHINESE_PUNCT_RE.findall(t))


def _density_pick(root):
    """Readability-style pick: each text block scores its parent fully and its grandparent half."""
    scores = {}
    for el in root.iter("p", "section", "span", "font", "div", "td"):
        if el.tag in ("div", "td", "section", "span", "font") and any(
            isinstance(c.tag, str) and c.tag in ("p", "div", "table", "section", "ul") for c in el
        ):
            continue
        score = _block_score(el)
        if not score:
            continue
        parent = el.getparent()
        if parent is None or _is_chrome(parent):
            continue
        scores[parent] = scores.get(parent, 0.0) + score
        grand = parent.getparent()
        if grand is not None and not _is_chrome(grand):
            scores[grand] = scores.get(grand, 0.0) + score / 2
    if not scores:
        return None
    return max(scores.items(), key=lambda kv: kv[1])[0]


def select_content(root):
    """Main-content element: first CMS selector with real text, else the density pick, else <body>."""
    for sel in CONTENT_SELECTORS:
        try:
            found = root.cssselect(sel)
        except Exception:
            found = _css_fallback(root, sel)
        for el in found:
            if len(_text(el)) >= 30:
                return el
    picked = _density_pick(root)
    if picked is not None:
        return picked
    body = root.find(".//body")
    return body if body is not None else root


def _css_fallback(root, sel: str):
    if sel.startswith("#"):
        return root.xpath(f"//*[@id='{sel[1:]}']")
    if sel.startswith("."):
        return root.xpath(f"//*[contains(concat(' ', normalize-space(@class), ' '), ' {sel[1:]} ')]")
    if sel.startswith("[id^="):
        return root.xpath(f"//*[starts-with(@id, '{sel[5:-1]}')]")
    return root.xpath(f"//{sel}")


def metadata_table(root) -> dict[str, str]:
    """信息公开 label → value pairs from tables, definition lists and "label:value" spans."""
    meta: dict[str, str] = {}
    for el in root.iter("td", "th", "span", "b", "strong", "label", "dt", "em", "li", "p", "div"):
        raw = _text(el)
        if not raw or len(raw) > 200:
            continue
        lab = canonical_label(raw)
        if lab and len(raw) <= 12:
            nxt = el.getnext()
            value = _text(nxt) if nxt is not None else (el.tail or "").strip()
            if not value and el.tail:
                value = el.tail.strip()
            value = clean_meta_value(lab, value) if value else value
            if value and not canonical_label(value):
                meta.setdefault(lab, value)
            continue
        if (
            el.tag in ("td", "th", "span", "li", "p", "div", "em")
            and len(raw) <= 160
            and not any(isinstance(c.tag, str) and c.tag in ("p", "div", "table", "ul", "h1", "h2") for c in el)
        ):
            for label, value in meta_pairs(raw):
                cleaned = clean_meta_value(label, value)
                if cleaned:
                    meta.setdefault(label, cleaned)
    return meta


def meta_tags(root) -> dict[str, str]:
    """<meta name=ArticleTitle/PubDate/ContentSource …> values under canonical labels."""
    out: dict[str, str] = {}
    for m in root.iter("meta"):
        name = (m.get("name") or m.get("property") or "").lower().replace("og:", "")
        content = (m.get("content") or "").strip()
        if content and name in META_TAG_LABELS:
            out.setdefault(META_TAG_LABELS[name], content)
        elif content and name == "title":
            out.setdefault("标题", content)
    return out


def _page_title(root, content) -> str | None:
    for el in (content.xpath(".//h1") if content is not None else []) + root.xpath("//h1"):
        t = _text(el)
        if 4 <= len(t) <= 120:
            return t
    for el in root.xpath("//*[contains(@class,'title') or contains(@id,'title')]"):
        t = _text(el)
        if 6 <= len(t) <= 120 and el.tag not in ("title", "head"):
            return t
    t = root.findtext(".//title")
    if t:
        parts = [p for p in _TITLE_SPLIT_RE.split(t.strip()) if p]
        return max(parts, key=len) if parts else None
    return None


def attachments(root, base_url: str | None) -> list[dict]:
    """Links to downloadable files or labelled 附件, as {"name", "url"}."""
    out, seen = [], set()
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        name = _text(a)
        if not href or href.startswith(("javascript:", "#", "mailto:")):
            continue
        if not (ATTACHMENT_FILE_RE.search(href) or (name.startswith("附件") and len(name) < 80)):
            continue
        url = urljoin(base_url, href) if base_url else href
        if url in seen:
            continue
        seen.add(url)
        out.append({"name": clean_text(name) or href.rsplit("/", 1)[-1], "url": url})
    return out


# An opening tag longer than this (thousands of attributes, a megabyte of class names: a hostile
# page) keeps its name and loses its attributes; libxml2 checks attributes pairwise (quadratic time).
_LONG_TAG_RE = re.compile(r"<([a-zA-Z][a-zA-Z0-9]{0,15})\b[^<>]{8192,}>")


def _to_root(text: str):
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    text = _LONG_TAG_RE.sub(r"<\1>", text)
    return lxml.html.fromstring(text)


def parse_html(text: str, url: str | None = None) -> dict:
    """Fields of a Document from an HTML string."""
    root = _to_root(text)
    head_meta = meta_tags(root)
    _strip_chrome(root)
    table_meta = metadata_table(root)
    content = select_content(root)
    for el in list(content.iter()):
        if el is not content and isinstance(el.tag, str) and _is_chrome(el) and el.getparent() is not None:
            el.drop_tree()
    for el in list(content.iter("table")):
        if el.getparent() is not None and len(metadata_table(el)) >= 3:
            el.drop_tree()
    plain = parse_plain(block_text(content), first_line_title=False)
    meta = {**head_meta, **plain["metadata"], **table_meta}
    title = table_meta.get("标题") or head_meta.get("标题") or _page_title(root, content) or plain["title"]
    title = clean_text(title).replace("\n", "") if title else None
    body_lines = drop_title_lines(plain["body"].split("\n") if plain["body"] else [], title)
    published = date_from_metadata(meta) or _date_near_title(root) or _date_from_url(url)
    source = meta.get("来源") or meta.get("发文机构") or meta.get("发布机构")
    if source in ("未知", "本站", "本网"):
        source = meta.get("发文机构") or meta.get("发布机构")
    return {
        "title": title or None,
        "published_date": published,
        "source": clean_text(source) if source else None,
        "body": "\n".join(body_lines),
        "metadata": {k: clean_text(v) for k, v in meta.items() if k in META_LABELS.values()},
        "attachments": attachments(content, url) or attachments(root, url) or plain["attachments"],
    }


_LABELLED_DATE_RE = re.compile(r"(?:发布|公开|发文|更新)?(?:日期|时间)\s*[:：]\s*(\S[^|]{0,30})")


def _date_near_title(root) -> str | None:
    for el in root.iter("span", "div", "p", "em", "i", "time", "font", "td", "li"):
        key = _attr_key(el)
        if key and DATE_CLASS_RE.search(key) and len(_text(el)) <= 40 and parse_date(_text(el)):
            return parse_date(_text(el))
    lines = clean_text(block_text(root)).split("\n")
    head, _, _ = split_regions(lines)
    for ln in reversed(head):
        m = _LABELLED_DATE_RE.search(ln)
        if m and parse_date(m.group(1)):
            return parse_date(m.group(1))
    for ln in lines[:80]:
        m = _LABELLED_DATE_RE.search(ln)
        if m and parse_date(m.group(1)):
            return parse_date(m.group(1))
    for ln in reversed(head):
        if len(ln) <= 80 and parse_date(ln):
            return parse_date(ln)
    return None


_URL_DATE_RE = re.compile(r"(?:t|/)((?:19|20)\d{2})[-_/]?(\d{2})[-_/]?(\d{2})(?:[_/.]|\d)")


def _date_from_url(url: str | None) -> str | None:
    if not url:
        return None
    m = _URL_DATE_RE.search(url)
    return parse_date(f"{m.group(1)}-{m.group(2)}-{m.group(3)}") if m else None


def is_html(text: str) -> bool:
    """True when the text carries HTML markup."""
    return bool(
        re.search(
            r"<\s*(?:html|body|head|div|p|table|meta|span|br|a\s|h[1-6]|!doctype|script|style|"
            r"title|noscript|iframe|section|article|ul|li|img|font|center)\b",
            text[:5000],
            re.IGNORECASE,
        )
    )


__all__ = ["attachments", "block_text", "is_html", "metadata_table", "parse_html", "select_content"]

"""Plain text (a page dumped as text, or the text of an HTML content node) → document fields.

The text is split into lines; a head region (navigation, breadcrumb, teasers, table of contents,
title, header metadata) and a footer (上一条, 责任编辑, hotline lines and whatever follows) are
cut off, and what lies between is the body.
"""

from __future__ import annotations

import re

from parkwatch.extract.common import (
    date_from_metadata,
    is_footer_line,
    is_meta_line,
    is_nav_line,
    is_teaser_line,
    meta_pairs,
    pipe_table_pairs,
    squash,
)
from parkwatch.extract.lexicon.patterns import ATTACHMENT_FILE_RE
from parkwatch.extract.text import clean_text

_BULLET_RE = re.compile(r"^[•○●◆◇■□▪▫·\-\*►▶]\s*")
_TOC_HEAD_RE = re.compile(r"^(?:本\s*期\s*要\s*目|目\s*录|要\s*目)$")
_ATTACH_RE = re.compile(r"^(?:下载|附件\s*\d*|相关附件|附件下载)\s*[:：]\s*(\S.*)$")
_SENTENCE_PUNCT = re.compile(r"[。,，;；!！?？]")


def _is_content(line: str) -> bool:
    """A body-like paragraph: long enough, has sentence punctuation, not a teaser or a nav line."""
    return (
        len(line) >= 30
        and bool(_SENTENCE_PUNCT.search(line))
        and not is_teaser_line(line)
        and not is_meta_line(line)
        and not (is_nav_line(line) and len(line) < 60)
    )


def _is_head_chrome(line: str) -> bool:
    return (
        is_nav_line(line)
        or is_meta_line(line)
        or is_teaser_line(line)
        or bool(_BULLET_RE.match(line))
        or bool(_TOC_HEAD_RE.match(line))
    )


def _line_meta(line: str) -> list[tuple[str, str]]:
    return pipe_table_pairs(line) if "|" in line else meta_pairs(line)


def _strip_title(t: str) -> str:
    return squash(t).strip('《》“”"')


def _pick_title(head: list[str], meta: dict[str, str]) -> str | None:
    """metadata 标题, else the short line just above the last header-metadata line, else the first
    short plain line of the head region."""
    if meta.get("标题"):
        return meta["标题"]
    last_meta = max((i for i, ln in enumerate(head) if is_meta_line(ln)), default=None)
    if last_meta is not None:
        for ln in reversed(head[:last_meta]):
            bare = _BULLET_RE.sub("", ln)
            if not _is_head_chrome(bare) and 4 <= len(bare) <= 80:
                return bare.strip()
            if not is_meta_line(ln):
                break
    for ln in head:
        if not _is_head_chrome(ln) and 4 <= len(ln) <= 80 and not ln.startswith("【"):
            return ln.strip()
    return None


def drop_title_lines(lines: list[str], title: str | None) -> list[str]:
    """Remove leading body lines that together spell the title (titles wrapped over lines)."""
    if not title:
        return lines
    want = _strip_title(title)
    acc = ""
    for i, ln in enumerate(lines[:4]):
        acc += _strip_title(ln)
        if not want.startswith(acc):
            return lines
        if acc == want:
            return lines[i + 1 :]
    return lines


def split_regions(lines: list[str]) -> tuple[list[str], list[str], list[str]]:
    """(head, body, tail) line lists."""
    first = next((i for i, ln in enumerate(lines) if _is_content(ln)), len(lines))
    start = 0
    for i in range(first):
        if _is_head_chrome(lines[i]):
            start = i + 1
    head, rest = lines[:start], lines[start:]
    end = next((i for i, ln in enumerate(rest) if i > 0 and is_footer_line(ln)), len(rest))
    body, tail = rest[:end], rest[end:]
    while body and is_teaser_line(body[-1]):
        tail.insert(0, body.pop())
    return head, body, tail


def parse_plain(text: str, first_line_title: bool = True) -> dict:
    """Fields of a Document (title, published_date, source, body, metadata, attachments) from text.

    first_line_title: with no header, a short first line is the title (a page dumped as text)."""
    lines = clean_text(text).split("\n")
    head, body, tail = split_regions(lines)
    meta: dict[str, str] = {}
    for ln in head:
        for k, v in _line_meta(ln):
            if v or k not in meta:
                meta[k] = v
    for ln in tail:
        for k, v in meta_pairs(ln):
            if v and k not in meta:
                meta[k] = v
    title = _pick_title(head, meta)
    attachments, kept = [], []
    for ln in body:
        m = _ATTACH_RE.match(ln)
        if m and (ATTACHMENT_FILE_RE.search(m.group(1)) or ln.startswith("附件")):
            attachments.append({"name": m.group(1).strip(), "url": None})
        else:
            kept.append(ln)
    kept = drop_title_lines(kept, title)
    if (
        first_line_title
        and title is None
        and len(kept) > 1
        and len(kept[0]) <= 40
        and not re.search(r"[。!?！？;；]", kept[0])
        and not kept[0].startswith("【")
    ):
        title, kept = kept[0], kept[1:]  # a page dumped without header: its first short line
    source = meta.get("来源") or meta.get("发文机构") or meta.get("发布机构")
    if source in ("未知", "", "本站", "本网"):
        source = meta.get("发文机构") or meta.get("发布机构") or None
    title = title.strip("《》") if title and title.startswith("《") and title.endswith("》") else title
    return {
        "title": title,
        "published_date": date_from_metadata(meta),
        "source": source or None,
        "body": "\n".join(kept),
        "metadata": meta,
        "attachments": attachments,
    }

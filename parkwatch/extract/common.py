"""Line-level helpers shared by the HTML and plain-text parsers: metadata labels,
boilerplate / footer / teaser line tests, document-type classification."""

from __future__ import annotations

import re

from parkwatch.common.dates import parse_date
from parkwatch.extract.lexicon.labels import (
    BULLETIN_TITLE_RE,
    CONTACT_LINE_RE,
    DATE_LABELS,
    FOOTER_LINE_RE,
    LONG_VALUE_LABELS,
    META_LABELS,
    NAV_WORDS_RE,
    NOTICE_TITLE_RE,
    POLICY_TITLE_RE,
)
from parkwatch.extract.lexicon.patterns import DOC_NUMBER_RE

_SORTED_LABELS = sorted(META_LABELS, key=len, reverse=True)
_LABEL_ALT = "|".join(re.escape(x) for x in _SORTED_LABELS)
# "label:value" pairs inside one line, several per line allowed ("来源:未知 日期:2017-08-03 点击:次")
_PAIR_RE = re.compile(rf"(?:^|(?<=[\s|]))({_LABEL_ALT})\s*[:：]\s*")


def squash(label: str) -> str:
    """Label with all whitespace and trailing colons removed."""
    return re.sub(r"\s+", "", label).rstrip(":：")


def canonical_label(label: str) -> str | None:
    """Canonical metadata label for a raw label text, or None when it is not one."""
    return META_LABELS.get(squash(label))


def clean_meta_value(label: str, value: str) -> str | None:
    """A metadata value tidied for its label, or None when it is page noise (字号:大 中 小, 点击:次)."""
    value = (value or "").strip(" |\t:：")
    if label == "字号":
        return None
    if label == "点击":
        m = re.match(r"\d+", value)
        return m.group(0) if m else None
    if label in DATE_LABELS or label in ("实施日期", "废止日期"):
        if not value:
            return value
        m = re.match(r"[\d年月日\s:/.\-]{6,25}", value)
        return m.group(0).strip() if m and parse_date(m.group(0)) else None
    if len(value) > (200 if label in LONG_VALUE_LABELS else 60):
        return None
    return value


def meta_pairs(line: str) -> list[tuple[str, str]]:
    """(canonical label, value) pairs found in a header line such as "来源:未知 日期:2017-08-03"."""
    matches = list(_PAIR_RE.finditer(line))
    out = []
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(line)
        label = META_LABELS[m.group(1)]
        value = clean_meta_value(label, line[m.end() : end])
        if value is not None:
            out.append((label, value))
    return out


def pipe_table_pairs(line: str) -> list[tuple[str, str]]:
    """Pairs from a flattened table row "标 题: | value | 索 引 号: | value | …"."""
    cells = [c.strip() for c in line.split("|")]
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(cells):
        lab = canonical_label(cells[i]) if cells[i].endswith((":", "：")) or canonical_label(cells[i]) else None
        if lab:
            j = i + 1
            while j < len(cells) and not cells[j]:
                j += 1
            nxt = cells[j] if j < len(cells) else ""
            if nxt and not (canonical_label(nxt) and nxt.endswith((":", "："))):
                out.append((lab, nxt))
                i = j + 1
                continue
            out.append((lab, ""))
        i += 1
    return out


def date_from_metadata(meta: dict[str, str]) -> str | None:
    """Publication date from metadata, preferring 发布/公开 over 成文."""
    for lab in DATE_LABELS:
        d = parse_date(meta.get(lab))
        if d:
            return d
    return None


# ---------------------------------------------------------------- boilerplate lines

_TEASER_END_RE = re.compile(r"(?:…+|\.{3,})$")


def is_nav_line(line: str) -> bool:
    """Navigation, breadcrumb, login bars and other page chrome."""
    s = line.strip()
    if not s:
        return True
    if NAV_WORDS_RE.search(s) and len(s) < 80:
        return True
    letters = sum(c.isascii() and c.isalpha() for c in s)
    cjk = sum("\u4e00" <= c <= "\u9fff" for c in s)
    return cjk == 0 and letters >= 3


def is_footer_line(line: str) -> bool:
    """A line after which no article text follows (上一条, 责任编辑, 相关文件, hotline …)."""
    s = line.strip().lstrip("(（[【")
    return bool(FOOTER_LINE_RE.match(s) or CONTACT_LINE_RE.search(s))


def is_teaser_line(line: str) -> bool:
    """A list teaser: truncated text ending in … or ..."""
    return bool(_TEASER_END_RE.search(line.strip()))


def is_meta_line(line: str) -> bool:
    """A line made of label:value pairs (or pipe-table cells) and nothing else."""
    s = line.strip()
    if "|" in s and pipe_table_pairs(s):
        return True
    pairs = meta_pairs(s)
    if not pairs:
        return False
    first = _PAIR_RE.search(s)
    return first is not None and first.start() <= 2 and len(s) < 160


# ---------------------------------------------------------------- document type


def classify_doc_type(title: str | None, body: str, metadata: dict[str, str]) -> str:
    """bulletin | news | policy | policy_interpretation | notice | other."""
    t = (title or "").strip()
    if "解读" in t or "答记者问" in t or "一图读懂" in t:
        return "policy_interpretation"
    if NOTICE_TITLE_RE.search(t) and not POLICY_TITLE_RE.search(t):
        return "notice"
    if metadata.get("发文字号") or (t and DOC_NUMBER_RE.search(body[:300])):
        return "policy"
    if t and POLICY_TITLE_RE.search(t):
        if t.endswith("通知") and not re.search(r"印发|办法|方案|意见|规定|细则|措施|规划", t):
            return "notice"
        return "policy"
    if BULLETIN_TITLE_RE.search(t):
        return "bulletin"
    if len(body) >= 20 and re.search(r"[。!?！？]", body):
        return "news"
    if t.endswith(("通知", "公告")):
        return "notice"
    return "other"

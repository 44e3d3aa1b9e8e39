"""Pure functions that read list pages: which links are articles, which are further list pages.

The spider only asks these; it never parses page content itself.
"""
from __future__ import annotations

import re
from urllib.parse import urldefrag, urljoin, urlsplit

# Article URL shapes of the common CMS families and of plain sites.
ARTICLE_PATTERNS = [
    re.compile(r"/t\d{8}_\d+\.s?html?$"),            # TRS WCM: /jb/202406/t20240712_1001.html
    re.compile(r"/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html$"),  # Hanweb
    re.compile(r"/info/\d+/\d+\.htm$"),              # VSB
    re.compile(r"/20\d{2}/?\d{2,4}/[\w-]*\d+[\w-]*\.s?html?$"),  # dated paths: /news/2024/0715/1234.html
    re.compile(r"/(art|article|content|detail)[/_-][\w/-]*\d+\.s?html?$"),
]
LIST_PATTERNS = [
    re.compile(r"/index(_\d+)?\.s?html?$"),
    re.compile(r"/list(_\d+)?\.s?html?$"),
    re.compile(r"/\d{1,3}\.htm$"),
]
NEXT_PAGE_TEXT = ("下一页", "下页", "尾页", "末页", "上一页", "首页")
SKIP_SCHEMES = ("javascript:", "mailto:", "tel:", "#")
ATTACHMENT_EXT = re.compile(r"\.(pdf|docx?|xlsx?|wps|zip|rar|ofd)$", re.I)


def normalise_url(base: str, href: str) -> str | None:
    """Absolute URL without fragment, or None for links a crawler must not follow."""
    href = (href or "").strip()
    if not href or href.lower().startswith(SKIP_SCHEMES):
        return None
    url, _ = urldefrag(urljoin(base, href))
    return url if urlsplit(url).scheme in ("http", "https") else None


def same_origin(a: str, b: str) -> bool:
    sa, sb = urlsplit(a), urlsplit(b)
    return (sa.scheme, sa.netloc) == (sb.scheme, sb.netloc)


def classify_link(url: str, text: str = "") -> str | None:
    """'article', 'attachment', 'list' or None (not worth following)."""
    path = urlsplit(url).path
    if ATTACHMENT_EXT.search(path):
        return "attachment"
    if any(p.search(path) for p in ARTICLE_PATTERNS):
        return "article"
    if text.strip() in NEXT_PAGE_TEXT or any(p.search(path) for p in LIST_PATTERNS):
        return "list"
    return None


def trs_page_urls(list_url: str, html: str) -> list[str]:
    """Further pages of a TRS column from its ``createPageHTML(count, current, "index", "html")`` call."""
    m = re.search(r"createPageHTML\(\s*(\d+)\s*,\s*(\d+)\s*,\s*[\"'](\w+)[\"']\s*,\s*[\"'](\w+)[\"']", html)
    if not m:
        return []
    count, name, ext = int(m.group(1)), m.group(3), m.group(4)
    return [urljoin(list_url, f"{name}_{i}.{ext}") for i in range(1, min(count, 1000))]

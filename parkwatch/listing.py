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


# Hanweb (大汉) columns load their list through /module/web/jpage/dataproxy.jsp, answering XML.
_JPAGE_PROXY = re.compile(r"proxyUrl\s*:\s*['\"]([^'\"]+)['\"]")
_JPAGE_PARAMS = re.compile(r"ajaxParam\s*:\s*\{([^}]*)\}", re.S)
_JPAGE_PER_PAGE = re.compile(r"perPage\s*:\s*(\d+)")
_JPAGE_GROUP = re.compile(r"groupSize\s*:\s*(\d+)")
_XML_TOTAL = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>")
_XML_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S)
_HREF = re.compile(r"""href\s*=\s*["']([^"']+)["']""")


def hanweb_proxy(page_url: str, html: str) -> dict | None:
    """The data proxy a Hanweb column page calls: {'url', 'params', 'batch'}; None if not Hanweb."""
    m = _JPAGE_PROXY.search(html)
    if not m:
        return None
    params = {}
    pm = _JPAGE_PARAMS.search(html)
    for part in (pm.group(1).split(",") if pm else []):
        if ":" in part:
            key, value = part.split(":", 1)
            params[key.strip().strip("'\"")] = value.strip().strip("'\"")
    per_page = int((_JPAGE_PER_PAGE.search(html) or [0, 15])[1])
    group = int((_JPAGE_GROUP.search(html) or [0, 3])[1])
    return {"url": urljoin(page_url, m.group(1)), "params": params, "per_page": per_page,
            "batch": per_page * group}


def hanweb_window_url(proxy: dict, start: int) -> str:
    """GET URL of the records ``start`` … ``start + batch - 1`` (1-based, as Hanweb counts)."""
    from urllib.parse import urlencode

    query = {"startrecord": start, "endrecord": start + proxy["batch"] - 1, "perpage": proxy["per_page"],
             **proxy["params"]}
    return f"{proxy['url']}?{urlencode(query)}"


def parse_hanweb_records(xml: str) -> tuple[int | None, list[str]]:
    """(total record count, hrefs of the listed articles) from a dataproxy.jsp answer."""
    total = _XML_TOTAL.search(xml)
    hrefs = [h for rec in _XML_RECORD.findall(xml) for h in _HREF.findall(rec)]
    return (int(total.group(1)) if total else None), hrefs

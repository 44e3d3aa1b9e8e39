"""Pure functions that read list pages and pages: what is listed (URL, title, date), where the
next list page is, which links are attachments, and whether a page is a challenge or a soft 404.

CMS profiles (``trs``, ``hanweb``, ``vsb``, ``generic``) differ only in how they paginate and
where the list lives; :func:`detect_cms` picks one from a start page, so a new site in the common
cases needs only its start URLs. The spider only asks these functions; it never parses content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urldefrag, urlencode, urljoin, urlsplit

from parkwatch.common.dates import find_date
from parkwatch.extract.lexicon.patterns import ATTACHMENT_FILE_RE, ATTACHMENT_HINT_RE, DOCUMENT_FILE_RE

if TYPE_CHECKING:  # pragma: no cover
    from parkwatch.sites import Selectors

# Article URL shapes of the common CMS families and of plain sites.
ARTICLE_PATTERNS = [
    re.compile(r"/t\d{8}_\d+\.s?html?$"),  # TRS WCM: /jb/202406/t20240712_1001.html
    re.compile(r"/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html$"),  # Hanweb
    re.compile(r"/info/\d+/\d+\.htm$"),  # VSB
    re.compile(r"/20\d{2}/?\d{2,4}/[\w-]*\d+[\w-]*\.s?html?$"),  # dated paths: /news/2024/0715/1234.html
    re.compile(r"/(art|article|content|detail)[/_-][\w/-]*\d+\.s?html?$"),
]
LIST_PATTERNS = [
    re.compile(r"/index(_\d+)?\.s?html?$"),
    re.compile(r"/list(_\d+)?\.s?html?$"),
    re.compile(r"/\d{1,3}\.htm$"),
]
NEXT_PAGE_TEXT = ("下一页", "下页", "尾页", "末页", "上一页", "首页")
NEXT_TEXT = {"下一页", "下页", "下一頁", "下頁", "后页", "後頁", "next", "next page", "next»", "»", "›", ">", ">>"}
SKIP_SCHEMES = ("javascript:", "mailto:", "tel:", "#")
# Download endpoints of Hanweb (downfile.jsp), VSB (download.jsp?…DownloadAttachUrl) and friends.
DOWNLOAD_ENDPOINT = re.compile(r"/(downfile|download|downloadfile|filedownload)\.(jsp|do|aspx?|php)$", re.I)


# ---------------------------------------------------------------------------- links


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
    if ATTACHMENT_FILE_RE.search(path):
        return "attachment"
    if any(p.search(path) for p in ARTICLE_PATTERNS):
        return "article"
    if text.strip() in NEXT_PAGE_TEXT or any(p.search(path) for p in LIST_PATTERNS):
        return "list"
    return None


def is_attachment(url: str, text: str = "") -> bool:
    """A document worth landing beside its page: .pdf .doc(x) .xls(x) .wps (.et .ofd), by its path,
    by a file name in its query (``downfile.jsp?filename=x.pdf``), or a download endpoint whose
    link text names such a file (VSB's ``download.jsp?…wbfileid=…``)."""
    parts = urlsplit(url)
    if DOCUMENT_FILE_RE.search(parts.path):
        return True
    for values in parse_qs(parts.query).values():
        if any(DOCUMENT_FILE_RE.search(v.strip()) for v in values):
            return True
    if DOWNLOAD_ENDPOINT.search(parts.path) or "DownloadAttachUrl" in parts.query:
        return bool(DOCUMENT_FILE_RE.search(text.strip().rstrip("】]）)")) or "DownloadAttachUrl" in parts.query)
    return False


def url_pattern(url: str) -> str:
    """The shape of a URL with every run of digits masked: the key of the repeated-pattern trap limit."""
    parts = urlsplit(url)
    return re.sub(r"\d+", "#", f"{parts.netloc}{parts.path}?{parts.query}")


# ---------------------------------------------------------------------------- list pages


@dataclass(frozen=True)
class ListItem:
    url: str
    title: str = ""
    date: date | None = None
    kind: str = "page"  # "page" or "attachment" (lists that link files directly)


@dataclass
class ListPage:
    """What one list page says: its entries, the next list page, and for Hanweb its data proxy."""

    profile: str
    items: list[ListItem] = field(default_factory=list)
    next_url: str | None = None
    total_pages: int | None = None
    proxy: dict | None = None  # Hanweb: the list lives behind this data proxy
    sub_lists: list[str] = field(default_factory=list)  # column index pages: the columns under it

    @property
    def dated(self) -> list[ListItem]:
        return [i for i in self.items if i.date is not None]


def detect_cms(url: str, html: str) -> str:
    """'hanweb', 'trs', 'vsb' or 'generic' from markers in a start page and its links' shapes."""
    if "dataproxy.jsp" in html or re.search(r"\.jpage\s*\(", html):
        return "hanweb"
    if "createPageHTML" in html:
        return "trs"
    if re.search(r"Visual\s*SiteBuilder|vsb_content|_sitegray|/system/resource/|pb_sys_common|line_u\d+_\d+", html):
        return "vsb"
    hrefs = re.findall(r"""href\s*=\s*["']([^"']+)["']""", html)
    counts = {
        "trs": sum(1 for h in hrefs if re.search(r"/?t\d{8}_\d+\.s?html?$", h)),
        "hanweb": sum(1 for h in hrefs if re.search(r"/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html$", h)),
        "vsb": sum(1 for h in hrefs if re.search(r"info/\d+/\d+\.htm$", h)),
    }
    best = max(counts, key=lambda name: counts[name])
    if counts[best] >= 2:
        return best
    if re.search(r"/col/col\d+/", url):
        return "hanweb"
    return "generic"


def _tree(html: str):
    import lxml.html

    try:
        return lxml.html.fromstring(html or "<html></html>")
    except Exception:
        return lxml.html.fromstring("<html></html>")


def _text(node) -> str:
    return re.sub(r"\s+", " ", "".join(node.itertext())).strip()


_CONTAINERS = {"li", "tr", "dd", "dt"}


def _entry_of(a):
    """The list entry an anchor sits in: the nearest li/tr/dd within three levels, else its parent."""
    node = a.getparent()
    for _ in range(3):
        if node is None:
            break
        if node.tag in _CONTAINERS:
            return node
        node = node.getparent()
    return a.getparent()


def _date_near(a, entry) -> date | None:
    """The date written beside an anchor (not inside its title), in its entry."""
    anchors = entry.findall(".//a") if entry is not None else []
    if entry is not None and len(anchors) <= 1:
        own = _text(a)
        rest = _text(entry).replace(own, " ", 1) if own else _text(entry)
        found = find_date(rest)
        if found:
            return found
    # several links in one entry: read only the text right after this anchor, up to the next link
    texts = [a.tail or ""]
    sib = a.getnext()
    while sib is not None and sib.tag != "a" and not sib.findall(".//a"):
        texts.append(_text(sib))
        texts.append(sib.tail or "")
        sib = sib.getnext()
    return find_date(" ".join(texts)) or find_date(a.get("title", "") if a.get("title", "") != _text(a) else "")


def _is_next(a) -> bool:
    text = _text(a).strip().lower()
    if text in NEXT_TEXT:
        return True
    cls = (a.get("class") or "") + " " + ((a.getparent().get("class") or "") if a.getparent() is not None else "")
    return bool(re.search(r"\b(next|p_next|page-next|nextpage)\b", cls, re.I)) and text not in NEXT_PAGE_TEXT[2:]


def generic_items(tree, page_url: str, selectors: Selectors | None = None) -> list[ListItem]:
    """Entries of a list: links in an entry with a date beside them, or links shaped like articles."""
    items: dict[str, ListItem] = {}
    if selectors is not None and selectors.list_item:
        for entry in tree.cssselect(selectors.list_item):
            links = entry.cssselect(selectors.link)
            if not links:
                continue
            a = links[0]
            url = normalise_url(page_url, a.get("href", ""))
            if not url or url in items:
                continue
            when = None
            if selectors.date:
                found = entry.cssselect(selectors.date)
                when = find_date(_text(found[0])) if found else None
            when = when or _date_near(a, entry)
            kind = "attachment" if is_attachment(url, _text(a)) else "page"
            items[url] = ListItem(url, (a.get("title") or _text(a))[:200], when, kind)
        return list(items.values())
    for a in tree.iter("a"):
        url = normalise_url(page_url, a.get("href", ""))
        if not url or (url in items and items[url].date is not None) or _is_next(a):
            continue
        text = _text(a)
        if text in NEXT_PAGE_TEXT:
            continue
        entry = _entry_of(a)
        when = _date_near(a, entry)
        shape = classify_link(url, text)
        if when is None and shape != "article":
            if shape == "attachment" and is_attachment(url, text):
                items[url] = ListItem(url, text[:200], None, "attachment")
            continue
        if when is not None and shape == "list":
            continue  # a dated link to another list (archive by month) is navigation, not an entry
        kind = "attachment" if is_attachment(url, text) else "page"
        items[url] = ListItem(url, (a.get("title") or text)[:200], when, kind)
    return list(items.values())


def next_link(tree, page_url: str, selectors: Selectors | None = None) -> str | None:
    """The next list page named by a 下一页/下页/next link (or the configured selector)."""
    anchors = (
        tree.cssselect(selectors.next_page)
        if selectors is not None and selectors.next_page
        else [a for a in tree.iter("a") if _is_next(a)]
    )
    for a in anchors:
        url = normalise_url(page_url, a.get("href", ""))
        if url and urldefrag(url)[0] != urldefrag(page_url)[0]:
            return url
    return None


_TRS_PAGER = re.compile(r"createPageHTML\(\s*(\w+)\s*,\s*(\w+)\s*,\s*[\"'](\w+)[\"']\s*,\s*[\"'](\w+)[\"']")


def _js_int(name: str, html: str) -> int | None:
    if name.isdigit():
        return int(name)
    m = re.search(rf"\bvar\s+{re.escape(name)}\s*=\s*(\d+)", html)
    return int(m.group(1)) if m else None


def trs_pager(html: str) -> tuple[int, int, str, str] | None:
    """(page count, current page from 0, page name, extension) of a TRS ``createPageHTML`` call."""
    m = _TRS_PAGER.search(html)
    if not m:
        return None
    count, current = _js_int(m.group(1), html), _js_int(m.group(2), html)
    if count is None:
        return None
    return count, current or 0, m.group(3), m.group(4)


def trs_page_urls(list_url: str, html: str) -> list[str]:
    """Further pages of a TRS column from its ``createPageHTML(count, current, "index", "html")`` call."""
    pager = trs_pager(html)
    if not pager:
        return []
    count, _, name, ext = pager
    return [urljoin(list_url, f"{name}_{i}.{ext}") for i in range(1, min(count, 1000))]


def _column_folder(start_url: str) -> str:
    """The folder a column's sub-columns live in: ``/zwgk/`` for ``/zwgk/index.html`` or ``/zwgk/``,
    ``/zcfg/`` for VSB's ``/zcfg.htm``."""
    path = urlsplit(start_url).path or "/"
    folder, name = path.rsplit("/", 1)
    if not name or re.match(r"^(index|list|default|main)(_\d+)?\.\w+$", name, re.I):
        return folder + "/"
    return f"{folder}/{name.rsplit('.', 1)[0]}/"


def _sub_lists(tree, page_url: str, start_url: str) -> list[str]:
    """List-shaped links inside the start URL's column folder: the columns of a column index page."""
    folder = _column_folder(start_url)
    out = []
    for a in tree.iter("a"):
        url = normalise_url(page_url, a.get("href", ""))
        if not url or url in out or not same_origin(url, start_url) or url in (page_url, start_url):
            continue
        path = urlsplit(url).path
        if path.startswith(folder) and path != folder and classify_link(url, _text(a)) == "list" and not _is_next(a):
            out.append(url)
    return out


def parse_list(
    html: str,
    page_url: str,
    profile: str = "generic",
    selectors: Selectors | None = None,
    start_url: str | None = None,
) -> ListPage:
    """Read one list page with a CMS profile: entries (URL, title, date) and the next page.

    trs: entries from the page, next page from ``createPageHTML`` (``index_N.html``);
    hanweb: the column page only names its data proxy (:attr:`ListPage.proxy`), the entries come
    from :func:`parse_hanweb_window`; vsb and generic: entries from the page, next page from the
    下页/下一页 link. A page with no entries may be a column index: its sub-lists are returned.
    """
    if profile == "hanweb":
        proxy = hanweb_proxy(page_url, html)
        if proxy:
            return ListPage(profile, proxy=proxy)
    tree = _tree(html)
    page = ListPage(profile, items=generic_items(tree, page_url, selectors))
    pager = trs_pager(html) if profile == "trs" else None
    if pager and not (selectors and selectors.next_page):
        count, current, name, ext = pager
        page.total_pages = count
        if current + 1 < count:
            page.next_url = urljoin(page_url, f"{name}_{current + 1}.{ext}")
    else:
        page.next_url = next_link(tree, page_url, selectors)
    if not page.items:
        page.sub_lists = _sub_lists(tree, page_url, start_url or page_url)
    return page


# ---------------------------------------------------------------------------- Hanweb data proxy

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
    for part in pm.group(1).split(",") if pm else []:
        if ":" in part:
            key, value = part.split(":", 1)
            params[key.strip().strip("'\"")] = value.strip().strip("'\"")
    per_page = int((_JPAGE_PER_PAGE.search(html) or [0, 15])[1])
    group = int((_JPAGE_GROUP.search(html) or [0, 3])[1])
    return {"url": urljoin(page_url, m.group(1)), "params": params, "per_page": per_page, "batch": per_page * group}


def hanweb_window_url(proxy: dict, start: int) -> str:
    """GET URL of the records ``start`` … ``start + batch - 1`` (1-based, as Hanweb counts)."""
    query = {
        "startrecord": start,
        "endrecord": start + proxy["batch"] - 1,
        "perpage": proxy["per_page"],
        **proxy["params"],
    }
    return f"{proxy['url']}?{urlencode(query)}"


def parse_hanweb_records(xml: str) -> tuple[int | None, list[str]]:
    """(total record count, hrefs of the listed articles) from a dataproxy.jsp answer."""
    total = _XML_TOTAL.search(xml)
    hrefs = [h for rec in _XML_RECORD.findall(xml) for h in _HREF.findall(rec)]
    return (int(total.group(1)) if total else None), hrefs


def parse_hanweb_window(xml: str, window_url: str, proxy: dict, selectors: Selectors | None = None) -> ListPage:
    """Entries of one data-proxy window and the URL of the next window (None after the last)."""
    total = _XML_TOTAL.search(xml)
    records = _XML_RECORD.findall(xml)
    html = "<ul>" + "".join(records) + "</ul>"
    page = ListPage("hanweb", items=generic_items(_tree(html), window_url, selectors))
    start = int((parse_qs(urlsplit(window_url).query).get("startrecord") or ["1"])[0])
    if total:
        count = int(total.group(1))
        page.total_pages = -(-count // proxy["batch"])
        if records and start + proxy["batch"] <= count:
            page.next_url = hanweb_window_url(proxy, start + proxy["batch"])
    return page


# ---------------------------------------------------------------------------- pages


def attachment_links(html: str, page_url: str, selectors: Selectors | None = None, tree=None) -> list[tuple[str, str]]:
    """(URL, link text) of the documents a page links as attachments, in page order."""
    css = selectors.attachment if selectors is not None else None
    configured = bool(css)
    if not configured and not ATTACHMENT_HINT_RE.search(html):
        return []  # most pages cite nothing: skip building a tree
    tree = tree if tree is not None else _tree(html)
    anchors = tree.cssselect(css) if css else tree.iter("a")
    out: dict[str, str] = {}
    for a in anchors:
        href = a.get("href", "")
        text = _text(a)
        if not configured and not (ATTACHMENT_HINT_RE.search(href) or ATTACHMENT_HINT_RE.search(text)):
            continue
        url = normalise_url(page_url, href)
        if url and url not in out and is_attachment(url, text):
            out[url] = text[:200]
    return list(out.items())


_CHALLENGE_MARKERS = re.compile(
    r"__jsl_clearance|acw_sc__v2|yunsuo_session_verify|\$_ts\s*=|_\$[a-zA-Z]{2}\(|"
    r"document\.cookie\s*=.{0,400}?(location\.(href|reload|replace)|window\.location)",
    re.S | re.I,
)
_SOFT_404 = re.compile(
    r"页面不存在|页面未找到|找不到(该|您要访问的)?页面|您访问的页面(不存在|已删除|已被删除)|信息不存在|文章不存在|"
    r"内容不存在|已被删除|404\s*not\s*found|page\s*not\s*found|无法找到该页",
    re.I,
)


def challenge_reason(status: int, body: bytes) -> str | None:
    """'js_challenge' for anti-bot JavaScript/cookie challenges (412 Ruishu, 521 Jiasule, cookie
    pages answered 200), which a crawler that runs no scripts cannot pass: park, do not retry."""
    head = body[:16384].decode("utf-8", "replace")
    if status == 412:
        return "js_challenge"
    if status in (200, 202, 403, 503, 521) and len(body) < 16384 and _CHALLENGE_MARKERS.search(head):
        text = re.sub(r"<script.*?</script>|<[^>]+>|\s+", "", head, flags=re.S | re.I)
        if len(text) < 200:
            return "js_challenge"
    return None


def is_soft_404(html: str) -> bool:
    """A page answered 200 that says it does not exist (title or heading, or a short page saying so)."""
    if not _SOFT_404.search(html):
        return False  # the usual case, without building a tree
    tree = _tree(html)
    for node in tree.iter("title", "h1", "h2", "h3"):
        if _SOFT_404.search(_text(node)):
            return True
    for bad in tree.xpath("//script|//style"):
        bad.drop_tree()
    text = _text(tree)
    return len(text) < 600 and bool(_SOFT_404.search(text))

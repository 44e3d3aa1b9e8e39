"""Data model of the demo portal: what a page says, independent of how a CMS lays it out.

Content modules (``parkwatch.portal.content.*``) build :class:`SiteContent` objects from
:class:`Article`, :class:`Column` and :class:`Attachment`; the CMS renderers
(``parkwatch.portal.cms.*``) turn one into routes of a site.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

KINDS = ("bulletin", "policy", "news", "notice")


@dataclass(frozen=True)
class Attachment:
    """A real small file linked from an article (PDF built on the fly, see :mod:`.files`)."""

    name: str  # file name as served, e.g. "P020240528367512094318.pdf"
    title: str  # link text, e.g. "青川高新区新材料产业重点项目清单.pdf"
    lines: tuple[str, ...]  # the text the file contains

    @property
    def ext(self) -> str:
        return self.name.rsplit(".", 1)[-1].lower()


@dataclass(frozen=True)
class Revision:
    """The page is edited in place on ``effective`` (same URL): new body (and title, if given)."""

    effective: str  # "YYYY-MM-DD HH:MM"
    body: str
    title: str | None = None

    @property
    def date(self) -> dt.date:
        return dt.date.fromisoformat(self.effective[:10])


@dataclass(frozen=True)
class Article:
    id: int
    column: str  # Column.slug
    published: str  # "YYYY-MM-DD HH:MM"
    title: str
    source: str  # 来源
    body: str  # light markup, see cms.base.render_body
    author: str = ""
    meta: tuple[tuple[str, str], ...] = ()  # 政府信息公开 fields in display order
    attachments: tuple[Attachment, ...] = ()
    revisions: tuple[Revision, ...] = ()  # in order of effective date
    related: tuple[int, ...] = ()  # ids of articles teased under this one (news portals)
    charset_mode: str = ""  # how a non-UTF-8 site declares this page: see cms.newsportal
    modified: str | None = None  # set on the view of a revised article

    @property
    def date(self) -> dt.date:
        return dt.date.fromisoformat(self.published[:10])

    def as_of(self, today: dt.date | None) -> Article:
        """The article as it reads on ``today`` (None: the latest revision)."""
        current = self
        for rev in self.revisions:
            if today is None or rev.date <= today:
                current = replace(current, body=rev.body, title=rev.title or current.title, modified=rev.effective)
        return current


@dataclass(frozen=True)
class Column:
    slug: str  # URL folder, e.g. "jb" or "zwgk/zcwj"
    name: str  # 栏目名称, e.g. "工作简报"
    kind: str  # one of KINDS
    code: str = ""  # CMS-specific column id where the URL needs one (博达 VSB: "1052")

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"column {self.slug}: unknown kind {self.kind!r}")


@dataclass(frozen=True)
class SiteContent:
    id: str
    name: str  # 主办单位 / site title
    park_id: str
    host_index: int  # served at {host_prefix}.{host_index}
    cms: str  # "trs" | "generic"
    columns: tuple[Column, ...]
    articles: tuple[Article, ...]
    page_size: int = 10
    organizer: str = ""
    address: str = ""
    phone: str = ""
    icp: str = ""
    related_links: tuple[tuple[str, str], ...] = ()  # (text, href)
    intro: str = ""  # 园区概况 blurb on the home page

    def column(self, slug: str) -> Column:
        for c in self.columns:
            if c.slug == slug:
                return c
        raise KeyError(slug)

    def __post_init__(self) -> None:
        slugs = {c.slug for c in self.columns}
        ids = set()
        for a in self.articles:
            if a.column not in slugs:
                raise ValueError(f"{self.id}: article {a.id} in unknown column {a.column!r}")
            if a.id in ids:
                raise ValueError(f"{self.id}: duplicate article id {a.id}")
            ids.add(a.id)


@dataclass
class Request:
    method: str
    path: str  # decoded path, no query
    query: Mapping[str, list[str]]
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)

    def arg(self, name: str, default: str | None = None) -> str | None:
        vals = self.query.get(name)
        return vals[0] if vals else default


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (fault: slower than the crawl timeout)
    declared_length: int | None = None  # Content-Length to claim (fault: truncated body)


Route = Response | Callable[[Request], Response]

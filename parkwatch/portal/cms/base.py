"""Shared machinery of the CMS renderers: routing, visibility by date, body markup."""

from __future__ import annotations

import datetime as dt
import html
import re
from email.utils import format_datetime, parsedate_to_datetime

from ..files import make_pdf
from ..model import Article, Attachment, Column, Request, Response, Route, SiteContent

CST = dt.timezone(dt.timedelta(hours=8))

ROBOTS = """User-agent: *
Disallow: /search/
Allow: /
"""

NOT_FOUND = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>404 Not Found</title></head>
<body><center><h1>404 Not Found</h1></center><hr><center>nginx</center></body></html>
"""

esc = html.escape

_HEADING = re.compile(r"^【[^】]{1,12}】$")


def render_body(body: str) -> str:
    """Light markup used by the content modules.

    ``# text`` → centred bold line (document title), ``【…】`` alone → bold section heading,
    ``○ …`` → item of the 要目 list, any other non-blank line → an indented paragraph.
    """
    out = []
    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("# "):
            out.append(f'<p style="text-align:center;"><strong>{esc(line[2:])}</strong></p>')
        elif _HEADING.match(line):
            out.append(f"<p><strong>{esc(line)}</strong></p>")
        elif line.startswith("○"):
            out.append(f"<p>{esc(line)}</p>")
        else:
            out.append(f'<p style="text-indent:2em;">{esc(line)}</p>')
    return "\n".join(out)


def conditional(req: Request, resp: Response) -> Response:
    """As nginx does for static files: pages with a Last-Modified carry an ETag, and a conditional
    GET (If-None-Match, else If-Modified-Since) of an unchanged page is answered 304 without a body."""
    modified = resp.headers.get("Last-Modified")
    if resp.status != 200 or not modified:
        return resp
    stamp = int(parsedate_to_datetime(modified).timestamp())
    etag = f'"{stamp:x}-{len(resp.body):x}"'
    headers = {**resp.headers, "ETag": etag}
    inm, ims = req.headers.get("if-none-match"), req.headers.get("if-modified-since")
    fresh = False
    if inm is not None:
        fresh = etag in [t.strip() for t in inm.split(",")] or inm.strip() == "*"
    elif ims:
        try:
            fresh = stamp <= int(parsedate_to_datetime(ims).timestamp())
        except (TypeError, ValueError):
            fresh = False
    if fresh and req.method in ("GET", "HEAD"):
        return Response(
            status=304,
            body=b"",
            content_type=resp.content_type,
            headers={k: v for k, v in headers.items() if k in ("ETag", "Last-Modified")},
        )
    return Response(
        status=resp.status,
        body=resp.body,
        content_type=resp.content_type,
        headers=headers,
        delay=resp.delay,
        declared_length=resp.declared_length,
    )


def http_date(article: Article) -> str:
    when = dt.datetime.fromisoformat(article.modified or article.published).replace(tzinfo=CST)
    return format_datetime(when.astimezone(dt.UTC), usegmt=True)


class Site:
    """One site (one origin). Subclasses fill ``self.routes`` in :meth:`build`."""

    family = "base"
    encoding = "utf-8"

    def __init__(self, content: SiteContent, base_url: str, today: dt.date | None = None):
        self.content = content
        self.id = content.id
        self.name = content.name
        self.base_url = base_url
        self.today = today
        self.routes: dict[str, Route] = {}
        self.build()

    # ---------------------------------------------------------------- content helpers
    def is_published(self, article: Article) -> bool:
        return self.today is None or article.date <= self.today

    def articles(self, column: Column | str | None = None) -> list[Article]:
        """Published articles (of one column), newest first."""
        slug = column.slug if isinstance(column, Column) else column
        items = [
            a.as_of(self.today)
            for a in self.content.articles
            if self.is_published(a) and (slug is None or a.column == slug)
        ]
        return sorted(items, key=lambda a: (a.published, a.id), reverse=True)

    def pages_of(self, items: list, size: int | None = None) -> list[list]:
        size = size or self.content.page_size
        return [items[i : i + size] for i in range(0, len(items), size)] or [[]]

    # ---------------------------------------------------------------- responses
    def html(self, text: str, status: int = 200, headers: dict[str, str] | None = None) -> Response:
        return Response(
            status=status,
            body=text.encode(self.encoding),
            content_type=f"text/html; charset={self.encoding}",
            headers=dict(headers or {}),
        )

    def article_response(self, article: Article, text: str) -> Response:
        return self.html(text, headers={"Last-Modified": http_date(article)})

    def attachment_response(self, article: Article, att: Attachment) -> Response:
        if att.ext != "pdf":
            raise ValueError(f"unsupported attachment type: {att.name}")
        stamp = article.published.replace("-", "").replace(" ", "").replace(":", "") + "00"
        return Response(
            body=make_pdf(att.title, att.lines, stamp[:14]),
            content_type="application/pdf",
            headers={"Last-Modified": http_date(article)},
        )

    def render_article(self, a: Article) -> Response:
        return self.article_response(a, self.article_page(a))

    def lazy_article(self, a: Article):
        """A route that renders the detail page on request (large generated sites stay cheap)."""

        def route(req: Request, a=a) -> Response:
            return self.render_article(a)

        return route

    def article_page(self, a: Article) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def not_found(self) -> Response:
        return Response(status=404, body=NOT_FOUND.encode("utf-8"))

    # ---------------------------------------------------------------- dispatch
    def build(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def robots(self) -> str:
        return ROBOTS

    def handle(self, req: Request) -> Response:
        if req.path == "/robots.txt":
            return Response(body=self.robots().encode("ascii"), content_type="text/plain")
        route = self.routes.get(req.path)
        if route is None:
            return self.not_found()
        return conditional(req, route(req) if callable(route) else route)

    # ---------------------------------------------------------------- introspection
    def url(self, path: str) -> str:
        return self.base_url.rstrip("/") + path

    def detail_paths(self) -> dict[int, str]:  # pragma: no cover - abstract
        """Article id → path of its detail page (published articles only)."""
        raise NotImplementedError

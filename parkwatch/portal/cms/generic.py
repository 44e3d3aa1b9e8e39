"""A generic site with no CMS markers: plain ``<ul>`` lists with dates, ``list.html?page=N``
paging with 下一页 links, articles at ``/<column>/<yyyy>/<mmdd>/<id>.html``, uploads under
``/uploadfiles/<yyyymm>/``."""

from __future__ import annotations

from ..model import Article, Column, Request, Response
from .base import Site, esc, render_body


class GenericSite(Site):
    family = "generic"

    @staticmethod
    def article_path(a: Article) -> str:
        d = a.date
        return f"/{a.column}/{d:%Y}/{d:%m%d}/{a.id}.html"

    @staticmethod
    def list_path(column: Column | str, page: int = 1) -> str:
        slug = column.slug if isinstance(column, Column) else column
        return f"/{slug}/list.html" if page <= 1 else f"/{slug}/list.html?page={page}"

    @staticmethod
    def attachment_path(a: Article, name: str) -> str:
        return f"/uploadfiles/{a.date:%Y%m}/{name}"

    def detail_paths(self) -> dict[int, str]:
        return {a.id: self.article_path(a) for a in self.articles()}

    def frame(self, title: str, main: str, here: str = "") -> str:
        c = self.content
        menu = "".join(f'<li><a href="/{col.slug}/list.html">{esc(col.name)}</a></li>' for col in c.columns)
        links = " | ".join(f'<a href="{esc(href)}" target="_blank">{esc(text)}</a>' for text, href in c.related_links)
        where = f'<div class="where">当前位置:<a href="/">网站首页</a> &raquo; {esc(here)}</div>' if here else ""
        return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<link rel="stylesheet" href="/static/style.css">
</head>
<body>
<div id="header">
  <div class="banner"><img src="/static/logo.png" alt="{esc(c.name)}"><span class="sitename">{esc(c.name)}</span></div>
  <ul id="menu"><li><a href="/">网站首页</a></li>{menu}<li><a href="/about.html">园区概况</a></li></ul>
</div>
<div id="container">
{where}
{main}
</div>
<div id="footer">
  <p>友情链接:{links}</p>
  <p>版权所有:{esc(c.organizer)}　地址:{esc(c.address)}　电话:{esc(c.phone)}</p>
  <p>{esc(c.icp)}</p>
</div>
</body>
</html>
"""

    def home(self) -> str:
        parts = []
        for col in self.content.columns:
            lis = "".join(
                f'<li><a href="{self.article_path(a)}">{esc(a.title)}</a> <em>[{a.date:%m-%d}]</em></li>'
                for a in self.articles(col)[:5]
            )
            parts.append(
                f'<div class="box"><h3><a href="/{col.slug}/list.html">{esc(col.name)}</a>'
                f'<small><a href="/{col.slug}/list.html">more</a></small></h3><ul>{lis}</ul></div>'
            )
        intro = (
            f'<div class="box intro"><h3>园区概况</h3><p>{esc(self.content.intro)}</p></div>'
            if self.content.intro
            else ""
        )
        return self.frame(self.content.name, intro + "\n".join(parts))

    def column_page(self, col: Column, page: int, items: list[Article], count: int, total: int) -> str:
        lis = "\n".join(
            f'<li><span class="date">{a.date:%Y-%m-%d}</span><a href="{self.article_path(a)}" title="{esc(a.title)}">{esc(a.title)}</a></li>'
            for a in items
        )
        nav = [f"共{total}条 第{page}/{count}页"]
        base = "list.html"
        if page > 1:
            nav.append(f'<a href="{base}">首页</a>')
            nav.append(f'<a href="{base}?page={page - 1}">上一页</a>' if page > 2 else f'<a href="{base}">上一页</a>')
        if page < count:
            nav.append(f'<a href="{base}?page={page + 1}">下一页</a>')
            nav.append(f'<a href="{base}?page={count}">尾页</a>')
        main = f"""<h2 class="coltitle">{esc(col.name)}</h2>
<ul class="newslist">
{lis}
</ul>
<div class="pager">{" ".join(nav)}</div>"""
        return self.frame(f"{col.name} - {self.content.name}", main, here=col.name)

    def meta_table(self, a: Article) -> str:
        if not a.meta:
            return ""
        rows = "".join(f'<tr><td class="k">{esc(k)}</td><td>{esc(v)}</td></tr>' for k, v in a.meta)
        return (
            f'<table class="gkxx" border="1">\n<tr><td class="k">名称</td><td>{esc(a.title)}</td></tr>{rows}\n</table>'
        )

    def article_page(self, a: Article) -> str:
        col = self.content.column(a.column)
        atts = "".join(
            f'<p>附件:<a href="{self.attachment_path(a, att.name)}">{esc(att.title)}</a></p>' for att in a.attachments
        )
        author = f"　作者:{esc(a.author)}" if a.author else ""
        main = f"""{self.meta_table(a)}
<div class="article">
<h1>{esc(a.title)}</h1>
<div class="article-info">发布日期:{a.date.year}年{a.date:%m}月{a.date:%d}日　来源:{esc(a.source)}{author}　点击:<span id="hits">286</span></div>
<div class="article-body">
{render_body(a.body)}
{atts}
</div>
<div class="prevnext">【<a href="javascript:window.print()">打印</a>】【<a href="javascript:window.close()">关闭</a>】</div>
</div>"""
        return self.frame(f"{a.title} - {self.content.name}", main, here=col.name)

    def build(self) -> None:
        r = self.routes
        home = self.html(self.home())
        r["/"] = r["/index.html"] = home
        if self.content.intro:
            about = (
                f'<h2 class="coltitle">园区概况</h2><div class="article-body"><p>{esc(self.content.intro)}</p></div>'
            )
            r["/about.html"] = self.html(self.frame(f"园区概况 - {self.content.name}", about, here="园区概况"))
        r["/static/style.css"] = Response(body=b"body{font-size:14px}", content_type="text/css")
        for col in self.content.columns:
            items = self.articles(col)
            pages = self.pages_of(items)
            rendered = [self.html(self.column_page(col, n + 1, p, len(pages), len(items))) for n, p in enumerate(pages)]
            r[f"/{col.slug}/list.html"] = self._lister(rendered)
        for a in self.articles():
            r[self.article_path(a)] = self.lazy_article(a)
            for att in a.attachments:
                r[self.attachment_path(a, att.name)] = self._att(a, att)

    def _lister(self, rendered: list[Response]):
        def route(req: Request) -> Response:
            raw = req.arg("page", "1") or "1"
            if not raw.isdigit() or not 1 <= int(raw) <= len(rendered):
                return self.not_found()
            return rendered[int(raw) - 1]

        return route

    def _att(self, a, att):
        def route(req: Request, a=a, att=att) -> Response:
            return self.attachment_response(a, att)

        return route

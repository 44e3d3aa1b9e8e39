"""An old-style regional news portal in GBK: ``/<col>/index.shtml``, ``index_2.shtml`` …,
articles ``/<col>/<yyyy>-<mm>/<dd>/content_<id>.shtml`` with the story in ``#artibody`` and
teasers of other stories (other parks, with their own figures) underneath.

Pages are GBK bytes. How each page declares that (``Article.charset_mode``):

* ``""`` (default): ``<meta http-equiv … charset=gbk>``; HTTP header ``text/html`` without charset
* ``"header"``: no charset in the HTML at all; HTTP header ``text/html; charset=GBK``
* ``"wrong-utf8"``: meta says ``charset=utf-8`` although the bytes are GBK; no charset in the header
* ``"gb2312"``: meta says ``gb2312`` but the page holds characters only GBK has (e.g. 喆)
"""

from __future__ import annotations

import re

from ..model import Article, Column, Response
from .base import Site, esc, http_date, render_body

MODES = ("", "header", "wrong-utf8", "gb2312")


class NewsPortalSite(Site):
    family = "newsportal"
    encoding = "gbk"

    @staticmethod
    def article_path(a: Article) -> str:
        d = a.date
        return f"/{a.column}/{d:%Y-%m}/{d:%d}/content_{a.id}.shtml"

    @staticmethod
    def list_path(column: Column | str, page: int = 1) -> str:
        slug = column.slug if isinstance(column, Column) else column
        return f"/{slug}/index.shtml" if page <= 1 else f"/{slug}/index_{page}.shtml"

    def detail_paths(self) -> dict[int, str]:
        return {a.id: self.article_path(a) for a in self.articles()}

    # ---------------------------------------------------------------- bytes
    def page(self, text: str, mode: str = "", article: Article | None = None) -> Response:
        if mode not in MODES:
            raise ValueError(f"unknown charset mode {mode!r}")
        declared = {"": "gbk", "header": None, "wrong-utf8": "utf-8", "gb2312": "gb2312"}[mode]
        meta = f'<meta http-equiv="Content-Type" content="text/html; charset={declared}" />\n' if declared else ""
        body = text.replace("<!--CHARSET-->\n", meta).encode("gbk")
        headers = {"Last-Modified": http_date(article)} if article else {}
        ctype = "text/html; charset=GBK" if mode == "header" else "text/html"
        return Response(body=body, content_type=ctype, headers=headers)

    def frame(self, title: str, main: str, here: str = "") -> str:
        c = self.content
        nav = "".join(f'<a href="{self.list_path(col)}">{esc(col.name)}</a>' for col in c.columns)
        hot = "".join(f'<li><a href="{self.article_path(a)}">{esc(a.title)}</a></li>' for a in self.articles()[:6])
        crumb = f'<div class="crumb"><a href="/">{esc(c.name)}</a> &gt; {here}</div>' if here else ""
        return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<!--CHARSET-->
<title>{esc(title)}</title>
<meta name="keywords" content="园区,开发区,高新区,招商引资" />
<link href="/css/main.css" rel="stylesheet" type="text/css" />
</head>
<body>
<div id="top"><a href="/">{esc(c.name)}</a> | <a href="javascript:void(0)">设为首页</a> | <a href="javascript:void(0)">加入收藏</a> | <a href="javascript:void(0)">手机版</a></div>
<div id="nav"><a href="/">首页</a>{nav}<a href="javascript:void(0)">招商</a><a href="javascript:void(0)">专题</a></div>
<div id="ad_banner"><img src="/ad/banner_960x90.gif" alt="广告" /></div>
<div id="main">
{crumb}
<div id="left">
{main}
</div>
<div id="right">
<div class="box"><h3>热点排行</h3><ol>{hot}</ol></div>
<div class="box"><h3>广告</h3><img src="/ad/side_300x250.gif" alt="" /></div>
</div>
</div>
<div id="footer"><p>{esc(c.name)} 版权所有 未经授权禁止复制或建立镜像</p><p>地址:{esc(c.address)} 电话:{esc(c.phone)} {esc(c.icp)}</p></div>
</body>
</html>
"""

    def li(self, a: Article) -> str:
        return f'<li><a href="{self.article_path(a)}" target="_blank">{esc(a.title)}</a><span class="date">({a.date:%Y-%m-%d})</span></li>'

    def home(self) -> str:
        parts = []
        for col in self.content.columns:
            items = "".join(self.li(a) for a in self.articles(col)[:8])
            parts.append(
                f'<div class="box"><h2><a href="{self.list_path(col)}">{esc(col.name)}</a></h2><ul>{items}</ul></div>'
            )
        return self.frame(self.content.name, "\n".join(parts))

    def column_page(self, col: Column, page: int, count: int, items: list[Article]) -> str:
        lis = "\n".join(self.li(a) for a in items)
        links = []
        if page > 1:
            links.append(f'<a href="{self.list_path(col, page - 1).rsplit("/", 1)[1]}">上一页</a>')
        for n in range(1, count + 1):
            links.append(
                f"<b>{n}</b>" if n == page else f'<a href="{self.list_path(col, n).rsplit("/", 1)[1]}">{n}</a>'
            )
        if page < count:
            links.append(f'<a href="{self.list_path(col, page + 1).rsplit("/", 1)[1]}">下一页</a>')
        main = f"""<h1 class="coltitle">{esc(col.name)}</h1>
<ul class="list">
{lis}
</ul>
<div class="pages">{" ".join(links)}</div>"""
        return self.frame(f"{col.name}_{self.content.name}", main, here=esc(col.name))

    @staticmethod
    def summary(a: Article, limit: int = 70) -> str:
        text = re.sub(r"\s+", "", a.body)
        if len(text) <= limit:
            return text
        cut = text.rfind("。", 0, limit)  # end on a sentence when one fits
        return text[: cut + 1] if cut > 0 else text[:limit] + "……"

    def article_page(self, a: Article) -> str:
        col = self.content.column(a.column)
        by_id = {x.id: x for x in self.articles()}
        teasers = "\n".join(
            f'<li><a href="{self.article_path(t)}" target="_blank">{esc(t.title)}</a><p>{esc(self.summary(t))}</p></li>'
            for t in (by_id.get(i) for i in a.related)
            if t is not None
        )
        related = f'<div class="related"><h3>相关阅读</h3><ul>\n{teasers}\n</ul></div>' if teasers else ""
        author = f'<span class="author">作者:{esc(a.author)}</span>' if a.author else ""
        main = f"""<div class="article">
<h1>{esc(a.title)}</h1>
<div class="info"><span class="time">{esc(a.published)}</span>　<span class="source">来源:{esc(a.source)}</span>　{author}</div>
<div id="artibody" class="content">
{render_body(a.body)}
</div>
<div class="editor">(责任编辑:李青)</div>
<div class="share">分享到:<a href="javascript:void(0)">微信</a> <a href="javascript:void(0)">微博</a></div>
</div>
{related}"""
        return self.frame(
            f"{a.title}_{self.content.name}",
            main,
            here=f'<a href="{self.list_path(col)}">{esc(col.name)}</a> &gt; 正文',
        )

    def render_article(self, a: Article) -> Response:
        return self.page(self.article_page(a), a.charset_mode, a)

    def build(self) -> None:
        r = self.routes
        home = self.page(self.home())
        r["/"] = r["/index.html"] = home
        for col in self.content.columns:
            chunks = self.pages_of(self.articles(col))
            for n, chunk in enumerate(chunks, start=1):
                r[self.list_path(col, n)] = self.page(self.column_page(col, n, len(chunks), chunk))
        for a in self.articles():
            r[self.article_path(a)] = self.lazy_article(a)

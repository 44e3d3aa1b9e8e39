"""博达 VSB (Visual SiteBuilder) style sites: lists ``/<col>.htm`` then ``/<col>/N.htm`` numbered
backwards (the last page is ``1.htm``), articles ``/info/<colid>/<id>.htm`` with the body in
``#vsb_content .v_news_content``; attachments through
``/system/_content/download.jsp?urltype=news.DownloadAttachUrl&owner=…&wbfileid=…``."""

from __future__ import annotations

import zlib

from ..model import Article, Attachment, Column, Request, Response
from .base import Site, esc, render_body

OWNER = 1362782915
DOWNLOAD = "/system/_content/download.jsp"


def wbfileid(att: Attachment) -> int:
    return 8_000_000 + zlib.crc32(att.name.encode()) % 1_000_000


class VsbSite(Site):
    family = "vsb"

    def colid(self, column: Column | str) -> str:
        col = column if isinstance(column, Column) else self.content.column(column)
        if not col.code.isdigit():
            raise ValueError(f"vsb column {col.slug} needs a numeric code")
        return col.code

    def article_path(self, a: Article) -> str:
        return f"/info/{self.colid(a.column)}/{a.id}.htm"

    @staticmethod
    def attachment_path(att: Attachment) -> str:
        return f"{DOWNLOAD}?urltype=news.DownloadAttachUrl&owner={OWNER}&wbfileid={wbfileid(att)}"

    @staticmethod
    def page_path(slug: str, page: int, count: int) -> str:
        """Page 1 is ``/<slug>.htm``; page p>1 is ``/<slug>/<count-p+1>.htm``."""
        return f"/{slug}.htm" if page == 1 else f"/{slug}/{count - page + 1}.htm"

    def detail_paths(self) -> dict[int, str]:
        return {a.id: self.article_path(a) for a in self.articles()}

    def frame(self, title: str, main: str, here: str = "") -> str:
        c = self.content
        nav = "".join(f'<li><a href="/{col.slug}.htm">{esc(col.name)}</a></li>' for col in c.columns)
        crumb = f'<div class="dqwz">当前位置: <a href="/index.htm">首页</a> &gt;&gt; {here}</div>' if here else ""
        links = "".join(f'<a href="{esc(h)}" target="_blank">{esc(t)}</a>' for t, h in c.related_links)
        return f"""<!DOCTYPE html>
<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
<title>{esc(title)}</title>
<META Name="keywords" Content="{esc(c.name)}" />
<!--Announced by Visual SiteBuilder 9-->
<link rel="stylesheet" type="text/css" href="/_sitegray/_sitegray_d.css" />
<script language="javascript" src="/_sitegray/_sitegray.js"></script>
<link href="/style/style.css" rel="stylesheet" type="text/css" />
<script type="text/javascript" src="/system/resource/js/counter.js"></script>
<script type="text/javascript">_jsq_(1001,'/index.jsp',-1,{OWNER})</script>
</head>
<body>
<div class="header"><div class="logo"><img src="/images/logo.png" alt="{esc(c.name)}" /></div></div>
<div class="menu"><ul><li><a href="/index.htm">首页</a></li>{nav}</ul></div>
<div class="main">
{crumb}
{main}
</div>
<div class="footer"><div class="yqlj">友情链接:{links}</div>
<p>Copyright © 2024 {esc(c.organizer)} 版权所有　地址:{esc(c.address)}　电话:{esc(c.phone)}　{esc(c.icp)}</p></div>
</body></html>
"""

    def home(self) -> str:
        parts = []
        for col in self.content.columns:
            lis = "".join(
                f'<li><a href="info/{self.colid(col)}/{a.id}.htm" title="{esc(a.title)}">{esc(a.title)}</a>'
                f"<span>{a.date:%m-%d}</span></li>"
                for a in self.articles(col)[:5]
            )
            parts.append(
                f'<div class="mod"><div class="mod-t"><h3>{esc(col.name)}</h3>'
                f'<a href="{col.slug}.htm" class="more">更多+</a></div><ul>{lis}</ul></div>'
            )
        return self.frame(self.content.name, "\n".join(parts))

    def column_page(self, col: Column, page: int, count: int, items: list[Article], total: int) -> str:
        inside = page > 1  # numbered pages live one folder down: links are relative to it
        up = "../" if inside else ""
        lis = "\n".join(
            f'<li id="line_u8_{i}"><a href="{up}info/{self.colid(col)}/{a.id}.htm" target="_blank" '
            f'title="{esc(a.title)}">{esc(a.title)}</a><span>{a.date:%Y-%m-%d}</span></li>'
            for i, a in enumerate(items)
        )

        def href(p: int) -> str:
            target = self.page_path(col.slug, p, count)
            if not inside:
                return target.lstrip("/")
            return "../" + target.lstrip("/") if p == 1 else target.rsplit("/", 1)[1]

        bar = [f'<span class="p_t">共{total}条</span>', f'<span class="p_t">{page}/{count}</span>']
        if page > 1:
            bar.append(f'<span class="p_first"><a href="{href(1)}">首页</a></span>')
            bar.append(f'<span class="p_prev"><a href="{href(page - 1)}">上页</a></span>')
        else:
            bar.append('<span class="p_first_d">首页</span><span class="p_prev_d">上页</span>')
        if page < count:
            bar.append(f'<span class="p_next"><a href="{href(page + 1)}">下页</a></span>')
            bar.append(f'<span class="p_last"><a href="{href(count)}">尾页</a></span>')
        else:
            bar.append('<span class="p_next_d">下页</span><span class="p_last_d">尾页</span>')
        main = f"""<div class="lm-t">{esc(col.name)}</div>
<div class="list">
<ul>
{lis}
</ul>
<div class="pb_sys_common pb_sys_normal pb_sys_style1"><span class="p_pages">{"".join(bar)}</span></div>
</div>"""
        return self.frame(f"{col.name}-{self.content.name}", main, here=esc(col.name))

    def meta_table(self, a: Article) -> str:
        if not a.meta:
            return ""
        rows = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in a.meta)
        return f'<table class="xxgk" width="100%" border="0" cellspacing="1">{rows}</table>'

    def article_page(self, a: Article) -> str:
        col = self.content.column(a.column)
        atts = ""
        if a.attachments:
            atts = (
                '<ul style="list-style-type:none;">'
                + "".join(
                    f'<li>附件【<a href="{esc(self.attachment_path(att))}" target="_blank">{esc(att.title)}</a>】'
                    f'已下载<span id="nattach{wbfileid(att)}"><script language="javascript">getClickTimes({wbfileid(att)},{OWNER},"wbnewsfile","attach")</script></span>次</li>'
                    for att in a.attachments
                )
                + "</ul>"
            )
        author = esc(a.author) if a.author else ""
        main = f"""<form name="_newscontent_fromname">
{self.meta_table(a)}
<div class="content-title"><h1>{esc(a.title)}</h1></div>
<div class="content-info">发布时间:{a.date:%Y-%m-%d}　来源:{esc(a.source)}　作者:{author}　点击数:<script>_showDynClicks("wbnews", {OWNER}, {a.id})</script></div>
<div id="vsb_content"><div class="v_news_content">
{render_body(a.body)}
</div></div>
<div id="div_vote_id"></div>
{atts}
</form>"""
        return self.frame(
            f"{a.title}-{self.content.name}",
            main,
            here=f'<a href="../../{col.slug}.htm">{esc(col.name)}</a> &gt;&gt; 正文',
        )

    def download(self, req: Request) -> Response:
        if req.arg("urltype") != "news.DownloadAttachUrl" or req.arg("owner") != str(OWNER):
            return self.not_found()
        wanted = req.arg("wbfileid", "")
        for a in self.articles():
            for att in a.attachments:
                if str(wbfileid(att)) == wanted:
                    resp = self.attachment_response(a, att)
                    resp.headers["Content-Disposition"] = f'attachment; filename="{att.name}"'
                    return resp
        return self.not_found()

    def build(self) -> None:
        r = self.routes
        home = self.html(self.home())
        r["/"] = r["/index.htm"] = home
        r[DOWNLOAD] = self.download
        for col in self.content.columns:
            items = self.articles(col)
            chunks = self.pages_of(items)
            for n, chunk in enumerate(chunks, start=1):
                r[self.page_path(col.slug, n, len(chunks))] = self.html(
                    self.column_page(col, n, len(chunks), chunk, len(items))
                )
        for a in self.articles():
            r[self.article_path(a)] = self.lazy_article(a)

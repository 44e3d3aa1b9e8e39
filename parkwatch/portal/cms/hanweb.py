"""Hanweb (大汉) style sites: column pages ``/col/col<id>/index.html`` carry no list in their HTML;
a jpage script fetches it from ``/module/web/jpage/dataproxy.jsp`` (GET or POST form with
``startrecord``, ``endrecord``, ``perpage``, ``columnid`` …) which answers XML with
``<totalrecord>``, ``<totalpage>`` and ``<record><![CDATA[<li>…</li>]]></record>``.
Articles live at ``/art/<Y>/<M>/<D>/art_<col>_<id>.html`` (no zero padding), the body between
``<meta name="ContentStart">`` and ``<meta name="ContentEnd">`` inside ``#zoom``; attachments go
through ``/module/download/downfile.jsp?classid=0&filename=…``."""

from __future__ import annotations

import math
from urllib.parse import parse_qs, quote

from ..model import Article, Column, Request, Response
from .base import Site, esc, render_body

PROXY = "/module/web/jpage/dataproxy.jsp"
WEBID = 12
GROUP_SIZE = 3
PER_PAGE = 3  # what the column pages' jpage config asks for

JPAGE_JS = b"/* jquery.page.min.js: Hanweb jpage pager (placeholder) */"


class HanwebSite(Site):
    family = "hanweb"

    @staticmethod
    def colid(column: Column | str) -> int:
        slug = column.slug if isinstance(column, Column) else column
        if not slug.startswith("col") or not slug[3:].isdigit():
            raise ValueError(f"hanweb column slug must look like col1229, got {slug!r}")
        return int(slug[3:])

    @classmethod
    def unitid(cls, column: Column | str) -> int:
        return cls.colid(column) + 3360

    @classmethod
    def article_path(cls, a: Article) -> str:
        d = a.date
        return f"/art/{d.year}/{d.month}/{d.day}/art_{cls.colid(a.column)}_{a.id}.html"

    @staticmethod
    def list_path(column: Column | str) -> str:
        slug = column.slug if isinstance(column, Column) else column
        return f"/col/{slug}/index.html"

    @staticmethod
    def attachment_path(name: str) -> str:
        return f"/module/download/downfile.jsp?classid=0&filename={quote(name)}"

    def detail_paths(self) -> dict[int, str]:
        return {a.id: self.article_path(a) for a in self.articles()}

    # ---------------------------------------------------------------- frame
    def frame(self, title: str, main: str, column: Column | None = None, meta: str = "") -> str:
        c = self.content
        nav = "".join(
            f'<li><a href="{self.list_path(col)}" target="_self">{esc(col.name)}</a></li>' for col in c.columns
        )
        here = f' &gt; <a href="{self.list_path(column)}">{esc(column.name)}</a>' if column else ""
        links = "".join(f'<option value="{esc(h)}">{esc(t)}</option>' for t, h in c.related_links)
        return f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>{esc(title)}</title>
<meta name="SiteName" content="{esc(c.name)}">
<meta name="SiteIDCode" content="3609000001">
{meta}<link rel="stylesheet" href="/images/1/style.css">
<script type="text/javascript" src="/module/jslib/jquery/jquery.js"></script>
<script type="text/javascript" src="/module/jslib/jquery/jpage/jquery.page.min.js"></script>
</head>
<body>
<div class="topbar"><span>今天是:<script>document.write(new Date().toLocaleDateString())</script></span> <a href="javascript:void(0)">English</a> <a href="javascript:void(0)">繁體</a> <a href="javascript:void(0)">无障碍</a></div>
<div class="header"><img src="/images/1/banner.jpg" alt="{esc(c.name)}"></div>
<div class="navbar"><ul><li><a href="/">首页</a></li>{nav}</ul></div>
<div class="wrap">
<div class="crumb">当前位置:<a href="/">首页</a>{here}</div>
{main}
</div>
<div class="footer">
<div class="links">相关链接:<select onchange="window.open(this.value)"><option>--请选择--</option>{links}</select></div>
<p>主办:{esc(c.organizer)}　承办:青川市大数据中心　地址:{esc(c.address)}　电话:{esc(c.phone)}</p>
<p>{esc(c.icp)}　<img src="/images/1/jiucuo.png" alt="政府网站找错"></p>
</div>
</body>
</html>
"""

    def li(self, a: Article) -> str:
        return (
            f'<li><a href="{self.article_path(a)}" target="_blank" title="{esc(a.title)}">{esc(a.title)}</a>'
            f'<span class="bt_time">{a.date:%Y-%m-%d}</span></li>'
        )

    def home(self) -> str:
        boxes = []
        for col in self.content.columns:
            items = "".join(self.li(a) for a in self.articles(col)[:5])
            boxes.append(
                f'<div class="box"><div class="box-hd"><span>{esc(col.name)}</span>'
                f'<a href="{self.list_path(col)}" class="more">更多</a></div><ul>{items}</ul></div>'
            )
        return self.frame(self.content.name, "\n".join(boxes))

    def column_page(self, col: Column) -> str:
        unit = self.unitid(col)
        params = (
            f"col: 1, appid: 1, webid: {WEBID}, path: '/', columnid: {self.colid(col)}, "
            f"sourceContentType: 1, unitid: {unit}, webname: '{esc(self.content.name)}', permissiontype: 0"
        )
        main = f"""<div class="lm-name">{esc(col.name)}</div>
<div class="lm-list">
<div id="{unit}"></div>
<script type="text/javascript">
$(document).ready(function() {{
  $('#{unit}').jpage({{
    dataStore: null,
    dataBefore: '<ul class="xxgk_list">',
    dataAfter: '</ul>',
    perPage: {PER_PAGE},
    groupSize: {GROUP_SIZE},
    proxyUrl: '{PROXY}',
    ajaxParam: {{{params}}},
    barPosition: 'bottom',
    showMode: 'full'
  }});
}});
</script>
</div>"""
        return self.frame(f"{col.name} {self.content.name}", main, column=col)

    def meta_table(self, a: Article) -> str:
        if not a.meta:
            return ""
        cells = [f'<td class="k">{esc(k)}</td><td>{esc(v)}</td>' for k, v in a.meta]
        rows = ["<tr>" + "".join(cells[i : i + 2]) + "</tr>" for i in range(0, len(cells), 2)]
        return (
            '<div class="xxgk-head"><table class="xxgk_table" width="100%">\n'
            f'<tr><td class="k">名　　称</td><td colspan="3">{esc(a.title)}</td></tr>\n'
            + "\n".join(rows)
            + "\n</table></div>"
        )

    def article_page(self, a: Article) -> str:
        col = self.content.column(a.column)
        atts = "".join(
            f'<p>附件:<a href="{esc(self.attachment_path(att.name))}" target="_blank">{esc(att.title)}</a></p>'
            for att in a.attachments
        )
        main = f"""{self.meta_table(a)}
<div class="main-txt">
<div class="title">{esc(a.title)}</div>
<div class="info">发布日期:{esc(a.published)}　　信息来源:{esc(a.source)}　　浏览次数:<script language="javascript" src="/module/visitcount/articlehits.jsp?colid={self.colid(col)}&artid={a.id}"></script>　　字体:[<a href="javascript:void(0)">大</a> <a href="javascript:void(0)">中</a> <a href="javascript:void(0)">小</a>]</div>
<div id="zoom">
<!--ZJEG_RSS.content.begin--><meta name="ContentStart">
{render_body(a.body)}
<meta name="ContentEnd"><!--ZJEG_RSS.content.end-->
</div>
<div class="fujian">{atts}</div>
</div>"""
        meta = (
            f'<meta name="ArticleTitle" content="{esc(a.title)}">\n'
            f'<meta name="PubDate" content="{esc(a.published)}">\n'
            f'<meta name="ContentSource" content="{esc(a.source)}">\n'
            f'<meta name="ColumnName" content="{esc(col.name)}">\n'
            f'<meta name="ColumnType" content="{esc(col.name)}">\n'
        )
        return self.frame(f"{a.title} {self.content.name}", main, column=col, meta=meta)

    # ---------------------------------------------------------------- data proxy
    def proxy(self, req: Request) -> Response:
        params = {k: v[0] for k, v in req.query.items() if v}
        if req.method == "POST" and req.body:
            form = parse_qs(req.body.decode("utf-8", "replace"), keep_blank_values=True)
            params.update({k: v[0] for k, v in form.items() if v})

        def num(name: str, default: int) -> int:
            raw = params.get(name, "")
            return int(raw) if raw.strip().isdigit() else default

        columnid = num("columnid", -1)
        col = next((c for c in self.content.columns if self.colid(c) == columnid), None)
        if col is None:
            return Response(
                status=200,
                body=b'<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>0</totalrecord>'
                b"<totalpage>0</totalpage><recordset></recordset></datastore>",
                content_type="text/xml;charset=UTF-8",
            )
        perpage = max(1, num("perpage", 15))
        start = max(1, num("startrecord", 1))
        end = max(start, num("endrecord", start + perpage * GROUP_SIZE - 1))
        items = self.articles(col)
        total = len(items)
        records = "\n".join(f"<record><![CDATA[\n{self.li(a)}\n]]></record>" for a in items[start - 1 : end])
        nextgroup = (
            f'<a href="{PROXY}?page=1&appid=1&webid={WEBID}&path=/&columnid={columnid}'
            f'&unitid={self.unitid(col)}&webname={quote(self.content.name)}&permissiontype=0"></a>'
        )
        xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<datastore>
<totalrecord>{total}</totalrecord>
<totalpage>{math.ceil(total / perpage)}</totalpage>
<nextgroup><![CDATA[{nextgroup}]]></nextgroup>
<recordset>
{records}
</recordset>
</datastore>
"""
        return Response(body=xml.encode("utf-8"), content_type="text/xml;charset=UTF-8")

    def download(self, req: Request) -> Response:
        name = req.arg("filename", "") or ""
        for a in self.articles():
            for att in a.attachments:
                if att.name == name:
                    resp = self.attachment_response(a, att)
                    resp.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(att.title)}"
                    return resp
        return self.not_found()

    def build(self) -> None:
        r = self.routes
        home = self.html(self.home())
        r["/"] = r["/index.html"] = home
        r[PROXY] = self.proxy
        r["/module/download/downfile.jsp"] = self.download
        r["/module/jslib/jquery/jpage/jquery.page.min.js"] = Response(
            body=JPAGE_JS, content_type="application/javascript"
        )
        for col in self.content.columns:
            page = self.html(self.column_page(col))
            r[self.list_path(col)] = page
            r[f"/col/{col.slug}/"] = page
        for a in self.articles():
            r[self.article_path(a)] = self.lazy_article(a)

"""TRS WCM style sites (拓尔思): index.html / index_N.html lists paged by ``createPageHTML``,
articles at ``/<column>/<yyyymm>/t<yyyymmdd>_<id>.html`` with the body in ``div.TRS_Editor``,
attachments named ``P0<yyyymmdd><12 digits>.pdf`` next to the article."""

from __future__ import annotations

from ..model import Article, Column, Request, Response
from .base import Site, esc, render_body

PAGE_JS = r"""// TRS WCM paging
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
  if(_nPageCount == null || _nPageCount <= 1){ return; }
  var nCurrIndex = _nCurrIndex || 0;
  var s = "";
  s += "<span>共" + _nPageCount + "页</span>";
  if(nCurrIndex == 0){
    s += "<span>首页</span><span>上一页</span>";
  } else {
    s += "<a href=\"" + _sPageName + "." + _sPageExt + "\">首页</a>";
    var prev = nCurrIndex - 1;
    s += "<a href=\"" + (prev == 0 ? _sPageName : _sPageName + "_" + prev) + "." + _sPageExt + "\">上一页</a>";
  }
  if(nCurrIndex == _nPageCount - 1){
    s += "<span>下一页</span><span>尾页</span>";
  } else {
    s += "<a href=\"" + _sPageName + "_" + (nCurrIndex + 1) + "." + _sPageExt + "\">下一页</a>";
    s += "<a href=\"" + _sPageName + "_" + (_nPageCount - 1) + "." + _sPageExt + "\">尾页</a>";
  }
  document.write(s);
}
"""

CSS = """body{margin:0;font:14px/1.8 "Microsoft YaHei",SimSun,sans-serif;color:#333}
.head{background:#0b4ea2;color:#fff;padding:18px 0}.w1200{width:1200px;margin:0 auto}
.nav{background:#083d80}.nav a{color:#fff;display:inline-block;padding:10px 22px}
.position{padding:10px 0;border-bottom:1px solid #ddd}.list li{border-bottom:1px dashed #ccc;padding:6px 0}
.list li span{float:right;color:#999}.TRS_Editor p{margin:0 0 10px}.xxgk_table{border-collapse:collapse;width:100%}
.xxgk_table th,.xxgk_table td{border:1px solid #cfd8e6;padding:6px}.foot{background:#eee;padding:16px 0;margin-top:30px}
"""


class TrsSite(Site):
    family = "trs"

    # ---------------------------------------------------------------- urls
    @staticmethod
    def article_path(a: Article) -> str:
        d = a.date
        return f"/{a.column}/{d:%Y%m}/t{d:%Y%m%d}_{a.id}.html"

    @staticmethod
    def list_path(column: Column | str, page: int = 0) -> str:
        slug = column.slug if isinstance(column, Column) else column
        return f"/{slug}/index.html" if page == 0 else f"/{slug}/index_{page}.html"

    def detail_paths(self) -> dict[int, str]:
        return {a.id: self.article_path(a) for a in self.articles()}

    # ---------------------------------------------------------------- frame
    def frame(self, title: str, main: str, crumbs: list[tuple[str, str | None]], meta: str = "") -> str:
        c = self.content
        nav = "".join(f'<a href="/{col.slug}/" target="_self">{esc(col.name)}</a>' for col in c.columns)
        crumb = " &gt; ".join(
            f'<a href="{esc(href)}">{esc(text)}</a>' if href else f"<span>{esc(text)}</span>" for text, href in crumbs
        )
        links = "".join(
            f'<li><a href="{esc(href)}" target="_blank">{esc(text)}</a></li>' for text, href in c.related_links
        )
        return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta charset="utf-8" />
<title>{esc(title)}</title>
<meta name="SiteName" content="{esc(c.name)}" />
<meta name="SiteDomain" content="{esc(self.base_url)}" />
{meta}<style type="text/css">{CSS}</style>
<script type="text/javascript" src="/images/jquery.min.js"></script>
<script type="text/javascript" src="/images/page.js"></script>
</head>
<body>
<div class="top"><div class="w1200"><span>欢迎访问{esc(c.name)}网站</span> <a href="javascript:void(0)">无障碍浏览</a> <a href="javascript:void(0)">长者模式</a></div></div>
<div class="head"><div class="w1200"><h1 class="logo">{esc(c.name)}</h1>
<form class="search" action="/search/" method="get"><input type="text" name="searchword" placeholder="请输入关键字" /><input type="submit" value="搜索" /></form></div></div>
<div class="nav"><div class="w1200"><a href="/" target="_self">首页</a>{nav}<a href="javascript:void(0)">互动交流</a></div></div>
<div class="w1200 main">
<div class="position">您当前的位置:{crumb}</div>
<div class="left">
{main}
</div>
<div class="right sidebar">
<h3>相关链接</h3>
<ul class="links">{links}</ul>
</div>
</div>
<div class="foot"><div class="w1200">
<p>主办单位:{esc(c.organizer)}　　地址:{esc(c.address)}　　联系电话:{esc(c.phone)}</p>
<p><a href="https://beian.miit.gov.cn/" target="_blank">{esc(c.icp)}</a>　　网站标识码:3609000012　　<a href="javascript:void(0)">网站地图</a></p>
</div></div>
</body>
</html>
"""

    # ---------------------------------------------------------------- pages
    def home(self) -> str:
        blocks = []
        for col in self.content.columns:
            items = "".join(
                f'<li><a href=".{self.article_path(a)}" target="_blank" title="{esc(a.title)}">{esc(a.title)}</a>'
                f"<span>{a.date:%Y-%m-%d}</span></li>"
                for a in self.articles(col)[:6]
            )
            blocks.append(
                f'<div class="block"><div class="block-title"><h2>{esc(col.name)}</h2>'
                f'<a class="more" href="./{col.slug}/index.html">更多&gt;&gt;</a></div>'
                f'<ul class="list">{items}</ul></div>'
            )
        if self.content.intro:
            blocks.insert(0, f'<div class="block intro"><h2>园区概况</h2><p>{esc(self.content.intro)}</p></div>')
        main = "\n".join(blocks)
        return self.frame(self.content.name, main, [("首页", None)])

    def column_page(self, col: Column, page: int, items: list[Article], count: int) -> str:
        lis = "\n".join(
            f'<li><a href="./{a.date:%Y%m}/t{a.date:%Y%m%d}_{a.id}.html" target="_blank" title="{esc(a.title)}">'
            f"{esc(a.title)}</a><span>{a.date:%Y-%m-%d}</span></li>"
            for a in items
        )
        main = f"""<div class="column-title"><h2>{esc(col.name)}</h2></div>
<ul class="list">
{lis}
</ul>
<div class="page">
<script type="text/javascript">
var currentPage = {page};//所在页从0开始
var countPage = {count}//共多少页
createPageHTML(countPage, currentPage, "index", "html");
</script>
</div>"""
        return self.frame(f"{col.name}_{self.content.name}", main, [("首页", "../"), (col.name, None)])

    def meta_table(self, a: Article) -> str:
        if not a.meta:
            return ""
        fields = list(a.meta)
        rows = [f'<tr><th>标　　题:</th><td colspan="3">{esc(a.title)}</td></tr>']
        for i in range(0, len(fields), 2):
            pair = fields[i : i + 2]
            cells = "".join(f"<th>{esc(k)}:</th><td>{esc(v)}</td>" for k, v in pair)
            if len(pair) == 1:
                cells = f'<th>{esc(pair[0][0])}:</th><td colspan="3">{esc(pair[0][1])}</td>'
            rows.append(f"<tr>{cells}</tr>")
        return '<table class="xxgk_table" cellspacing="0" cellpadding="0">\n' + "\n".join(rows) + "\n</table>"

    def article_page(self, a: Article) -> str:
        col = self.content.column(a.column)
        atts = ""
        if a.attachments:
            atts = (
                '<div class="fujian"><p>附件:</p><ul>'
                + "".join(
                    f'<li><a href="./{esc(att.name)}" OLDSRC="/protect/{esc(att.name)}" target="_blank">{esc(att.title)}</a></li>'
                    for att in a.attachments
                )
                + "</ul></div>"
            )
        author = f"<span>作者:{esc(a.author)}</span>" if a.author else ""
        main = f"""{self.meta_table(a)}
<div class="article">
<h1 class="article-title">{esc(a.title)}</h1>
<div class="info"><span>发布时间:{a.date:%Y-%m-%d}</span><span>来源:{esc(a.source)}</span>{author}<span>浏览次数:<script language="javascript" src="/counter?id={a.id}"></script></span><span class="font">字号:<a href="javascript:void(0)">大</a> <a href="javascript:void(0)">中</a> <a href="javascript:void(0)">小</a></span></div>
<div class="content">
<div class="TRS_Editor">
{render_body(a.body)}
</div>
{atts}
</div>
<div class="share">分享到:<a href="javascript:void(0)">微信</a> <a href="javascript:void(0)">微博</a></div>
<div class="print"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
</div>"""
        meta = (
            f'<meta name="ArticleTitle" content="{esc(a.title)}" />\n'
            f'<meta name="PubDate" content="{esc(a.published)}" />\n'
            f'<meta name="ContentSource" content="{esc(a.source)}" />\n'
            f'<meta name="ColumnName" content="{esc(col.name)}" />\n'
        )
        return self.frame(
            f"{a.title}_{self.content.name}",
            main,
            [("首页", "../../"), (col.name, "../"), ("正文", None)],
            meta=meta,
        )

    def build(self) -> None:
        r = self.routes
        home = self.html(self.home())
        r["/"] = r["/index.html"] = home
        r["/images/page.js"] = Response(body=PAGE_JS.encode("utf-8"), content_type="application/javascript")
        r["/images/jquery.min.js"] = Response(body=b"/* jQuery placeholder */", content_type="application/javascript")
        r["/counter"] = Response(body=b"document.write('1024');", content_type="application/javascript")
        for col in self.content.columns:
            pages = self.pages_of(self.articles(col))
            for n, items in enumerate(pages):
                page = self.html(self.column_page(col, n, items, len(pages)))
                r[self.list_path(col, n)] = page
                if n == 0:
                    r[f"/{col.slug}/"] = page
        for a in self.articles():
            r[self.article_path(a)] = self.lazy_article(a)
            for att in a.attachments:
                r[f"/{a.column}/{a.date:%Y%m}/{att.name}"] = self._att(a, att)

    def _att(self, a, att):
        def route(req: Request, a=a, att=att) -> Response:
            return self.attachment_response(a, att)

        return route

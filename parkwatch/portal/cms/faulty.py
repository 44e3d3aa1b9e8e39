"""A 'faulty' site: a plain generic site whose list links, besides normal articles, one URL per
failure mode a crawler meets on real government sites.

| path | answers |
|---|---|
| ``/faults/slow.html`` | 200, but only after ``slow_seconds`` (default 35 s > Scrapy's 30 s timeout) |
| ``/faults/flaky.html`` | 500 on the first request, 200 afterwards (per portal run) |
| ``/faults/gone.html`` | 404 |
| ``/faults/forbidden.html`` | 403 |
| ``/faults/challenge.html`` | 412 with a JavaScript cookie challenge; 200 once the cookie is sent |
| ``/faults/loop-a.html`` | 302 → ``loop-b.html`` → 302 → ``loop-a.html`` … |
| ``/faults/truncated.html`` | Content-Length larger than the body, then the connection closes |
| ``/faults/huge.html`` | a 10 MB page (over an 8 MB download limit) |
| ``/faults/bomb.html`` | ``Content-Encoding: gzip``: 64 KB on the wire, 64 MB unpacked |
| ``/calendar/2024-08.html`` | calendar trap: every month links the next one, forever |
| ``/news/2024/0801/5001.html`` and ``/news/show.php?id=5001`` | the same article under two URLs |
| ``/news/2024/0805/5003.html`` | malformed HTML (unclosed and misnested tags) around real figures |
| ``/news/2024/0802/5002.html`` | soft 404: 200 with 页面不存在 |
"""

from __future__ import annotations

import functools
import gzip
import io
import re
import threading
from collections.abc import Callable

from ..model import Article, Request, Response
from .base import esc
from .generic import GenericSite

CHALLENGE_COOKIE = "__jsl_clearance_s"
CHALLENGE = """<html><head><meta charset="utf-8"><title></title></head><body>
<script type="text/javascript">
var _t = "1723000000.731|0|pW8bQ2x%2FhKf1";
document.cookie = "__jsl_clearance_s=" + _t + ";max-age=3600;path=/";
location.href = location.pathname + location.search;
</script>
</body></html>
"""

SOFT_404 = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>提示信息</title></head>
<body><div class="error-page"><img src="/static/404.png" alt="">
<h2>对不起,您访问的页面不存在或已被删除!</h2>
<p><a href="/">返回首页</a></p></div></body></html>
"""

MALFORMED = """<html><head><meta charset=utf-8><title>金河经开区8月份新增入规企业3家</title>
<body><div class=main><table><tr><td>
<div class="article-info">发布日期:2024年08月05日 来源:金河经开区经济发展局
<h1>金河经开区8月份新增入规企业3家</h1>
<div class=article-body><p>8月份,金河经开区新增规模以上工业企业3家,截至8月末全区规上工业企业达到128家<p>1-8月,规上工业企业实现营业收入312.46亿元,同比增长11.3%。</b></i>
<p><font color=red>其中,生物基材料企业营业收入136.85亿元</span>
</td></div></tr></table>
<div id=footer>版权所有:金河经济技术开发区管理委员会
"""

FAULTS = (
    ("slow.html", "经开区重点项目推进情况通报(加载缓慢)"),
    ("flaky.html", "经开区政务服务事项清单(偶发错误)"),
    ("gone.html", "经开区2023年度部门预算公开(已删除)"),
    ("forbidden.html", "经开区内部工作通知(无权访问)"),
    ("challenge.html", "经开区政策文件库(访问验证)"),
    ("loop-a.html", "经开区招商地图(重定向)"),
    ("truncated.html", "经开区上半年经济运行分析(不完整)"),
    ("huge.html", "经开区历年统计数据汇编(超大页面)"),
    ("bomb.html", "经开区统计公报附表(压缩异常)"),
)

_MONTH = re.compile(r"^/calendar/(\d{4})-(\d{2})\.html$")


@functools.lru_cache(maxsize=1)
def gzip_bomb(size: int = 64 * 1024 * 1024) -> bytes:
    """gzip of ``size`` zero bytes (about 1/1000 of that on the wire)."""
    out = io.BytesIO()
    chunk = b"\0" * (1024 * 1024)
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9, mtime=0) as gz:
        for _ in range(size // len(chunk)):
            gz.write(chunk)
    return out.getvalue()


class FaultySite(GenericSite):
    family = "faulty"
    slow_seconds = 35.0

    def __init__(self, *args, **kwargs) -> None:
        self._hits: dict[str, int] = {}
        self._lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def hit(self, path: str) -> int:
        with self._lock:
            self._hits[path] = self._hits.get(path, 0) + 1
            return self._hits[path]

    def column_page(self, col, page, items, count, total):  # normal list plus the fault links
        html = super().column_page(col, page, items, count, total)
        if page != 1:
            return html
        extra = "\n".join(
            f'<li><span class="date">2024-08-0{1 + i % 9}</span><a href="/faults/{name}">{esc(title)}</a></li>'
            for i, (name, title) in enumerate(FAULTS)
        )
        extra += (
            '\n<li><span class="date">2024-08-01</span><a href="/calendar/2024-08.html">经开区活动日历</a></li>'
            '\n<li><span class="date">2024-08-01</span><a href="/news/show.php?id=5001">金河经开区召开重点项目调度会(转载)</a></li>'
            '\n<li><span class="date">2024-08-05</span><a href="/news/2024/0805/5003.html">金河经开区8月份新增入规企业3家</a></li>'
            '\n<li><span class="date">2024-08-02</span><a href="/news/2024/0802/5002.html">经开区2024年第二次人才招聘公告</a></li>'
        )
        return html.replace("</ul>", extra + "\n</ul>", 1)

    def calendar(self, year: int, month: int) -> Response:
        ny, nm = (year + 1, 1) if month == 12 else (year, month + 1)
        py, pm = (year - 1, 12) if month == 1 else (year, month - 1)
        body = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>活动日历 {year}年{month}月</title></head>
<body><h1>活动日历 {year}年{month}月</h1><p>本月暂无活动安排。</p>
<a href="/calendar/{py}-{pm:02d}.html">上个月</a> <a href="/calendar/{ny}-{nm:02d}.html">下个月</a></body></html>"""
        return self.html(body)

    def handle(self, req: Request) -> Response:
        m = _MONTH.match(req.path)
        if m and 1 <= int(m.group(2)) <= 12:
            return self.calendar(int(m.group(1)), int(m.group(2)))
        return super().handle(req)

    def legacy_show(self, article: Article) -> Callable[[Request], Response]:
        """A reprinted article again under a legacy dynamic URL (``/news/show.php?id=5001``): a duplicate page."""
        return lambda req: self.render_article(article) if req.arg("id") == "5001" else self.not_found()

    def build(self) -> None:
        super().build()
        r = self.routes
        ok_page = self.html(
            '<!DOCTYPE html><html><head><meta charset="utf-8"><title>经开区政务服务事项清单</title></head>'
            '<body><h1>经开区政务服务事项清单</h1><div class="article-info">发布日期:2024年08月02日　来源:金河经开区行政审批局</div>'
            "<p>经开区公布政务服务事项486项,其中即办件213项、承诺件273项。</p></body></html>"
        )

        def slow(req: Request) -> Response:
            return Response(body=ok_page.body, content_type=ok_page.content_type, delay=self.slow_seconds)

        def flaky(req: Request) -> Response:
            if self.hit("flaky") == 1:
                return Response(status=500, body=b"<h1>500 Internal Server Error</h1>")
            return ok_page

        def challenge(req: Request) -> Response:
            if CHALLENGE_COOKIE + "=" in req.headers.get("cookie", ""):
                return ok_page
            return Response(status=412, body=CHALLENGE.encode("utf-8"))

        def loop(target: str):
            return lambda req: Response(status=302, body=b"", headers={"Location": target})

        def truncated(req: Request) -> Response:
            body = ok_page.body
            return Response(body=body[: len(body) // 2], declared_length=len(body) * 2)

        @functools.lru_cache(maxsize=1)
        def huge_body() -> bytes:
            row = "<tr><td>2019年</td><td>规上工业总产值</td><td>245.31亿元</td></tr>\n".encode()
            head = b'<!DOCTYPE html><html><head><meta charset="utf-8"><title>statistics</title></head><body><table>\n'
            return head + row * (10 * 1024 * 1024 // len(row) + 1) + b"</table></body></html>"

        def huge(req: Request) -> Response:
            return Response(body=huge_body())

        def bomb(req: Request) -> Response:
            return Response(body=gzip_bomb(), headers={"Content-Encoding": "gzip"})

        r["/faults/slow.html"] = slow
        r["/faults/flaky.html"] = flaky
        r["/faults/forbidden.html"] = Response(status=403, body=b"<h1>403 Forbidden</h1>")
        r["/faults/challenge.html"] = challenge
        r["/faults/loop-a.html"] = loop("/faults/loop-b.html")
        r["/faults/loop-b.html"] = loop("/faults/loop-a.html")
        r["/faults/truncated.html"] = truncated
        r["/faults/huge.html"] = huge
        r["/faults/bomb.html"] = bomb
        # gone.html: not routed → 404
        dup = next((a for a in self.articles() if a.id == 5001), None)
        if dup is not None:
            r["/news/show.php"] = self.legacy_show(dup)
        r["/news/2024/0802/5002.html"] = Response(body=SOFT_404.encode("utf-8"))
        r["/news/2024/0805/5003.html"] = Response(body=MALFORMED.encode("utf-8"))

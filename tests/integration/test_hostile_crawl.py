"""Hostile input on the crawl side, through a real Scrapy crawl over HTTP: a site whose pages try
to send the crawler elsewhere and to write outside the raw zone.

Two servers on loopback: the hostile site (127.0.1.9, allowlisted) and a decoy (127.0.0.1, not
allowlisted) that counts every request it gets. The hostile site links the decoy directly, by
``localhost``, through redirects, from scripts, images, iframes and meta refresh; it offers
``file:``, ``javascript:``, ``data:`` and ``ftp:`` links, path-traversal URLs and an attachment
whose ``Content-Disposition`` names ``../../`` paths. Expected: the decoy sees nothing, every
refusal is a manifest line with its reason, the good pages land, and the only files written are
under ``warehouse/raw/`` (besides run records and the crawl log).
"""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from parkwatch import config
from parkwatch.crawl.launcher import crawl_site
from parkwatch.land import RawStore, read_manifests

HOST = "127.0.1.9"
DECOY = "127.0.0.1"
EVIL_NAME = "parkwatch-evil-attachment"


def article(title: str, body: str) -> bytes:
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head><body>'
            f'<div class="article"><h1>{title}</h1><div class="info">发布日期:2024-08-01</div>'
            f'<div class="content">{body}</div></div></body></html>').encode()


class Decoy(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server's name
        Decoy.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"stolen")

    do_POST = do_HEAD = do_GET

    def log_message(self, *args):
        pass


def hostile_site(decoy: str) -> tuple[dict, dict]:
    """The hostile site's pages (path → body, content type, headers) and redirects (path → URL);
    every way out points at the decoy server."""
    out = f"http://{decoy}"
    list_entries = [
        ("/news/2024/0801/1.html", "正常文章一"),
        ("/news/2024/0801/2.html", "带脚本与附件的文章"),
        ("/news/2024/0801/3.html", "自动跳转到外部的文章"),
        (f"{out}/steal-direct.html", "直接外链"),
        (f"http://localhost:{decoy.rsplit(':', 1)[1]}/steal-localhost.html", "localhost 外链"),
        ("/redirect-out.html", "跳转到外部"),
        ("/redirect-offsite.html", "跳转到其他主机"),
        ("file:///etc/passwd", "本地文件"),
        ("javascript:fetch('http://127.0.0.1/')", "脚本链接"),
        ("data:text/html,<script>alert(1)</script>", "数据链接"),
        ("ftp://127.0.0.1/pub/x.html", "FTP 链接"),
        ("/news/../../../../etc/passwd", "路径穿越一"),
        ("/%2e%2e/%2e%2e/%2e%2e/etc/shadow.html", "路径穿越二"),
        ("/news/show.html?file=../../../../tmp/" + EVIL_NAME, "查询串穿越"),
    ]
    list_html = "".join(f'<li><a href="{href}">{text}</a><span>2024-08-01</span></li>' for href, text in list_entries)
    pages = {
        "/robots.txt": (b"User-agent: *\nAllow: /\n", "text/plain", {}),
        "/news/list.html": (f'<html><head><meta charset="utf-8"><title>新闻</title></head><body><ul class="list">'
                            f'{list_html}</ul></body></html>'.encode(), "text/html; charset=utf-8", {}),
        "/news/2024/0801/1.html": (article("园区经济运行情况", "<p>上半年,园区规上工业增加值同比增长6.5%。</p>"),
                                   "text/html; charset=utf-8", {}),
        "/news/2024/0801/2.html": (article("园区招商情况", (
            f'<p>上半年,园区新签约项目12个,总投资45.6亿元。</p>'
            f'<script>fetch("{out}/from-script");document.write("<p>税收收入99.9亿元</p>")</script>'
            f'<img src="{out}/pixel.png"><iframe src="{out}/frame.html"></iframe>'
            f'<p>附件:<a href="/att/report.pdf">园区统计表.pdf</a> '
            f'<a href="{out}/att/outside.pdf">外站附件.pdf</a></p>')), "text/html; charset=utf-8", {}),
        "/news/2024/0801/3.html": (article("园区动态", f'<meta http-equiv="refresh" content="0;url={out}/meta.html">'
                                                        '<p>上半年,园区税收收入3.27亿元。</p>'),
                                   "text/html; charset=utf-8", {}),
        "/att/report.pdf": (b"%PDF-1.4\n% parkwatch hostile-crawl test\n%%EOF\n", "application/pdf",
                            {"Content-Disposition": f'attachment; filename="../../../../tmp/{EVIL_NAME}.pdf"; '
                                                    f"filename*=UTF-8''..%2F..%2F..%2Ftmp%2F{EVIL_NAME}.pdf"}),
    }
    redirects = {"/redirect-out.html": f"{out}/via-redirect.html",
                 "/redirect-offsite.html": f"http://localhost:{decoy.rsplit(':', 1)[1]}/via-redirect.html"}
    return pages, redirects


def hostile_handler(decoy: str):
    pages, redirects = hostile_site(decoy)

    class Hostile(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            path = self.path.split("?", 1)[0]
            if path in redirects:
                self.send_response(302)
                self.send_header("Location", redirects[path])
                self.end_headers()
                return
            if path not in pages:
                self.send_response(404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(b"<html><body>not found</body></html>")
                return
            body, ctype, headers = pages[path]
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    return Hostile


def serve(host: str, handler) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer((host, 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def hostile_crawl(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile-crawl")
    decoy = serve(DECOY, Decoy)
    decoy_addr = f"{DECOY}:{decoy.server_address[1]}"
    site = serve(HOST, hostile_handler(decoy_addr))
    port = site.server_address[1]
    sites = tmp / "sites"
    sites.mkdir()
    # the decoy's host is declared the site's own, so only the network check (127.0.0.1 is not in
    # allow_networks) stands between the crawler and it; localhost is not declared: off-site
    (sites / "hostile.yaml").write_text(f"""id: hostile-demo
name: 恶意页面演示站
parks: [qingchuan-hitech]
base_url: "http://{HOST}:{port}/"
sections:
  - kind: news
    start_urls: ["news/list.html"]
limits: {{max_pages: 50, max_depth: 2, max_list_pages: 3}}
politeness: {{concurrency: 2, delay_s: 0, timeout_s: 5, retries: 0}}
allow_hosts: ["{DECOY}:{decoy.server_address[1]}"]
allow_networks: ["{HOST}/32"]
""", encoding="utf-8")
    home = tmp / "home"
    mp = pytest.MonkeyPatch()
    mp.setenv("PARKWATCH_HOME", str(home))
    mp.setenv("PARKWATCH_SITES_DIR", str(sites))
    evil_paths = [Path("/tmp") / f"{EVIL_NAME}.pdf", Path("/tmp") / EVIL_NAME]
    outside_before = files_under(tmp) - files_under(home) if home.exists() else files_under(tmp)
    try:
        summary = crawl_site("hostile-demo", "2024-08-10")
    finally:
        mp.undo()
        site.shutdown()
        decoy.shutdown()
    rows = read_manifests(home / "raw", "hostile-demo")
    return {"summary": summary, "rows": rows, "home": home, "tmp": tmp, "outside_before": outside_before,
            "decoy_hits": list(Decoy.hits), "evil_paths": evil_paths}


def test_the_crawl_finishes_and_good_pages_land(hostile_crawl):
    s = hostile_crawl["summary"]
    assert s["error"] is None and s["finished"], s.get("log_tail")
    landed = {r["url"].split("/", 3)[3] for r in hostile_crawl["rows"] if r["outcome"] == "landed"}
    assert {"news/2024/0801/1.html", "news/2024/0801/2.html", "att/report.pdf"} <= landed, landed


def test_the_decoy_never_gets_a_request(hostile_crawl):
    assert hostile_crawl["decoy_hits"] == []


def test_refusals_are_recorded_with_their_reason(hostile_crawl):
    failed = {r["url"].split("/", 3)[3]: r.get("reason") for r in hostile_crawl["rows"] if r["outcome"] == "failed"}
    assert failed.get("steal-direct.html") == "private_address", failed      # declared host, private network
    assert failed.get("redirect-out.html") == "private_address", failed      # 302 to it: target refused
    assert failed.get("redirect-offsite.html") == "offsite", failed          # 302 to an undeclared host
    assert failed.get("news/2024/0801/3.html") == "private_address", failed  # meta refresh to it
    assert failed.get("att/outside.pdf") == "private_address", failed        # attachment link to it
    # off-site links of a list are not the site's entries: neither requested nor recorded
    assert not [u for u in failed if "steal-localhost" in u]
    # non-HTTP schemes are never requests at all
    assert not [r for r in hostile_crawl["rows"] if not r["url"].startswith("http://")]
    assert hostile_crawl["summary"]["skipped_offsite"] == 5, hostile_crawl["summary"]


def test_nothing_is_written_outside_the_raw_zone(hostile_crawl):
    home, tmp = hostile_crawl["home"], hostile_crawl["tmp"]
    allowed = (home / "raw", home / "runs", home / "logs")  # landed bytes, run records, crawl logs
    stray = [p for p in files_under(home) if not any(p.is_relative_to(a) for a in allowed)]
    assert stray == []
    outside = files_under(tmp) - files_under(home) - hostile_crawl["outside_before"]
    assert outside == set(), outside
    assert not any(p.exists() for p in hostile_crawl["evil_paths"])
    objects = RawStore(home / "raw")
    for row in hostile_crawl["rows"]:
        if row.get("object_path"):
            assert ".." not in row["object_path"] and not row["object_path"].startswith("/")
            assert objects.read(row["object_path"])  # inside the raw zone, and readable


def test_scripts_did_not_run_and_their_output_is_not_in_the_page(hostile_crawl):
    from parkwatch.extract.rows import parse_page

    [row] = [r for r in hostile_crawl["rows"] if r["url"].endswith("/news/2024/0801/2.html")]
    body = RawStore(hostile_crawl["home"] / "raw").read(row["object_path"])
    parsed = parse_page("d", body, row["url"], row.get("content_type"))
    assert "45.6亿元" in parsed["indicators_json"] or "45.6亿元" in parsed.get("projects_json", ""), parsed
    assert "99.9" not in parsed["indicators_json"] and "99.9" not in (parsed["body"] or "")

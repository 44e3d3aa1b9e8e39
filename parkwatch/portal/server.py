"""The demo portal's HTTP server: one origin per site, standard library only.

The directory page answers on ``http://127.0.0.1:{port}/``; site N answers on
``http://{host_prefix}.{N}:{port}/`` (same port, its own loopback address, so its own origin with
its own robots.txt). Every request is appended to :attr:`Portal.request_log`.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import signal
import socket
import sys
import threading
import time
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

from .cms import Site, build_site
from .content import SITES
from .content.faulty import SITE as FAULTY
from .generator import GeneratedSite, generate, site_yaml
from .model import Request, Response, SiteContent
from .parks import PARKS

DIRECTORY = "directory"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, addr, portal: Portal, site: Site | None):
        self.portal = portal
        self.site = site
        self._conns: set[socket.socket] = set()
        self._conns_lock = threading.Lock()
        super().__init__(addr, _Handler)

    def process_request(self, request, client_address):
        with self._conns_lock:
            self._conns.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self._conns_lock:
            self._conns.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self._conns_lock:
            conns = list(self._conns)
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def handle_error(self, request, client_address):  # quiet: no traceback spam on resets
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError, OSError)):
            return
        self.portal._errors.append(repr(exc))


def _host(server: _Server) -> str:
    """The address a server is bound to (the stubs also allow the bytes an AF_UNIX server would report)."""
    host = server.server_address[0]
    return host if isinstance(host, str) else bytes(host).decode()


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "nginx"
    sys_version = ""
    timeout = 15  # idle keep-alive connections are closed after this many seconds

    def log_message(self, format, *args):
        pass

    def _dispatch(self, method: str) -> None:
        parts = urlsplit(self.path)
        body = b""
        length = self.headers.get("Content-Length")
        if length and length.isdigit():
            body = self.rfile.read(int(length))
        req = Request(
            method=method,
            path=unquote(parts.path) or "/",
            query=parse_qs(parts.query, keep_blank_values=True),
            body=body,
            headers={k.lower(): v for k, v in self.headers.items()},
        )
        site = self.server.site
        try:
            if site is None:
                resp = self.server.portal._directory(req)
            else:
                resp = site.handle(req)
        except Exception as exc:  # a bug in a page must not kill the server
            self.server.portal._errors.append(f"{req.path}: {exc!r}")
            resp = Response(status=500, body=b"<h1>500 Internal Server Error</h1>")
        self.server.portal._log(site.id if site else DIRECTORY, method, req.path, parts.query, resp.status, self.path)
        if resp.delay:
            time.sleep(resp.delay)
        self.send_response(resp.status)
        self.send_header("Content-Type", resp.content_type)
        sent_length = resp.declared_length if resp.declared_length is not None else len(resp.body)
        self.send_header("Content-Length", str(sent_length))
        for k, v in resp.headers.items():
            self.send_header(k, v)
        if resp.declared_length is not None:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if method != "HEAD":
            self.wfile.write(resp.body)

    def do_GET(self):
        self._dispatch("GET")

    def do_HEAD(self):
        self._dispatch("HEAD")

    def do_POST(self):
        self._dispatch("POST")


def _parse_today(today: str | dt.date | None) -> dt.date | None:
    if today is None or isinstance(today, dt.date):
        return today
    try:
        return dt.date.fromisoformat(today)
    except ValueError:
        raise ValueError(f"today must be YYYY-MM-DD, got {today!r}") from None


class Portal:
    """Context manager. Directory page on http://127.0.0.1:{port}/ ; each site on its own loopback
    address 127.0.1.N:{port} (same port), so each site is its own origin.

    ``today`` (YYYY-MM-DD) is the portal's clock: sites list and serve only pages published up to
    that date, newest first. ``None`` publishes everything.
    """

    def __init__(
        self,
        port: int = 0,
        host_prefix: str = "127.0.1",
        today: str | dt.date | None = None,
        sites: Iterable[SiteContent] | None = None,
        generated: int = 0,
        pages_per_site: int = 100,
        seed: int = 0,
        faults: bool = True,
        slow_seconds: float = 35.0,
    ):
        """``sites``: the hand-written sites to serve (default: all of them); ``generated``:
        how many further fictional park sites to generate (127.0.1.10 and up), each with
        ``pages_per_site`` detail pages and a ground truth (see :mod:`.generator`); ``faults``:
        also serve the faulty demo site (127.0.1.6, not in sites/), whose slow page answers after
        ``slow_seconds``."""
        self.requested_port = port
        self.port = port
        self.host_prefix = host_prefix
        self.today = _parse_today(today)
        self.generated = generate(generated, pages_per_site, seed) if generated else []
        self.slow_seconds = slow_seconds
        self.contents: tuple[SiteContent, ...] = (
            tuple(sites if sites is not None else SITES)
            + ((FAULTY,) if faults else ())
            + tuple(g.content for g in self.generated)
        )
        self.parks: dict[str, dict] = {**PARKS}
        for g in self.generated:
            self.parks[g.park["id"]] = {k: v for k, v in g.park.items() if k != "id"}
        seen: set[int] = set()
        for c in self.contents:
            if c.host_index in seen:
                raise ValueError(f"two sites on host index {c.host_index}")
            seen.add(c.host_index)
        self.request_log: list[dict] = []
        self._log_lock = threading.Lock()
        self._errors: list[str] = []
        self._servers: list[_Server] = []
        self._threads: list[threading.Thread] = []
        self.sites: dict[str, Site] = {}
        self.directory_url = ""
        self.site_urls: dict[str, str] = {}

    # ---------------------------------------------------------------- addresses
    def host_of(self, content: SiteContent) -> str:
        return f"{self.host_prefix}.{content.host_index}"

    def _bind_all(self, port: int) -> list[_Server]:
        servers: list[_Server] = []
        try:
            servers.append(_Server(("127.0.0.1", port), self, None))
            port = servers[0].server_address[1]
            for c in self.contents:
                servers.append(_Server((self.host_of(c), port), self, None))
        except OSError:
            for s in servers:
                s.server_close()
            raise
        return servers

    # ---------------------------------------------------------------- lifecycle
    def start(self) -> Portal:
        if self._servers:
            return self
        attempts = 20 if self.requested_port == 0 else 1
        last: OSError | None = None
        for _ in range(attempts):
            try:
                servers = self._bind_all(self.requested_port)
                break
            except OSError as exc:
                last = exc
                time.sleep(0.05)
        else:
            raise OSError(
                f"cannot bind the portal on port {self.requested_port} (127.0.0.1 and {self.host_prefix}.N): {last}"
            )
        self.port = servers[0].server_address[1]
        self.directory_url = f"http://127.0.0.1:{self.port}/"
        for server, content in zip(servers[1:], self.contents, strict=True):  # _bind_all: one server per site
            url = f"http://{self.host_of(content)}:{self.port}/"
            server.site = build_site(content, base_url=url, today=self.today)
            if hasattr(server.site, "slow_seconds"):
                server.site.slow_seconds = self.slow_seconds
            self.sites[content.id] = server.site
            self.site_urls[content.id] = url
        self._servers = servers
        for s in servers:
            t = threading.Thread(
                target=s.serve_forever,
                kwargs={"poll_interval": 0.1},
                daemon=True,
                name=f"portal-{_host(s)}:{self.port}",
            )
            t.start()
            self._threads.append(t)
        return self

    def stop(self) -> None:
        threads = [threading.Thread(target=s.shutdown, daemon=True) for s in self._servers]
        for t in threads:  # in parallel: each shutdown waits for one poll interval
            t.start()
        for t in threads:
            t.join(timeout=5)
        for s in self._servers:
            s.close_connections()
            s.server_close()
        for t in self._threads:
            t.join(timeout=5)
        self._servers = []
        self._threads = []

    def __enter__(self) -> Portal:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # ---------------------------------------------------------------- log
    def _log(self, site: str, method: str, path: str, query: str, status: int, target: str) -> None:
        with self._log_lock:
            self.request_log.append(
                {
                    "site": site,
                    "method": method,
                    "path": path,
                    "query": query,
                    "status": status,
                    "target": target,
                    "time": time.time(),
                }
            )

    def requests_for(self, site: str) -> list[dict]:
        with self._log_lock:
            return [r for r in self.request_log if r["site"] == site]

    # ---------------------------------------------------------------- ground truth
    def _generated(self, site_id: str) -> GeneratedSite:
        for g in self.generated:
            if g.content.id == site_id:
                return g
        raise KeyError(site_id)

    def ground_truth(self, site_id: str) -> list[dict]:
        """Ground truth of a generated site: one entry per page published by ``today``, with
        ``url`` (absolute, on this portal) added; see :mod:`parkwatch.portal.generator`."""
        g = self._generated(site_id)
        base = self.site_urls.get(site_id, "").rstrip("/")
        out = []
        for art in g.content.articles:
            if self.today is not None and art.date > self.today:
                continue
            entry = dict(g.truth[art.id])
            entry["url"] = base + entry["path"]
            out.append(entry)
        return out

    def site_yaml(self, site_id: str) -> str:
        """sites/*.yaml text for a generated site (same schema as the committed ones)."""
        return site_yaml(self._generated(site_id), self.host_prefix)

    # ---------------------------------------------------------------- directory page
    def _directory(self, req: Request) -> Response:
        if req.path == "/robots.txt":
            return Response(body=b"User-agent: *\nDisallow: /_truth/\n", content_type="text/plain")
        m = req.path.startswith("/_truth/") and req.path.endswith(".json")
        if m or (req.path.startswith("/_sites/") and req.path.endswith(".yaml")):
            site_id = req.path.rsplit("/", 1)[1].rsplit(".", 1)[0]
            try:
                if m:
                    body = json.dumps(self.ground_truth(site_id), ensure_ascii=False).encode("utf-8")
                    return Response(body=body, content_type="application/json; charset=utf-8")
                return Response(body=self.site_yaml(site_id).encode("utf-8"), content_type="text/yaml; charset=utf-8")
            except KeyError:
                return Response(status=404, body=b"<h1>404 Not Found</h1>")
        if req.path not in ("/", "/index.html"):
            return Response(status=404, body=b"<h1>404 Not Found</h1>")
        rows = "\n".join(
            f'<tr><td><a href="{self.site_urls[c.id]}">{html.escape(c.name)}</a></td>'
            f"<td><code>{c.id}</code></td><td>{c.cms}</td>"
            f'<td><a href="{self.site_urls[c.id]}robots.txt">robots.txt</a></td></tr>'
            for c in self.contents
        )
        clock = self.today.isoformat() if self.today else "（不限）"
        page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>parkwatch 演示门户 · 站点目录</title></head>
<body>
<h1>parkwatch 演示门户</h1>
<p>本地模拟的园区与政府网站,每个站点是独立的源(独立回环地址,同一端口)。当前日期:{clock}</p>
<table border="1" cellpadding="4">
<tr><th>站点</th><th>id</th><th>CMS</th><th>robots</th></tr>
{rows}
</table>
</body></html>
"""
        return Response(body=page.encode("utf-8"))


def serve(port: int = 8700, today: str | None = None, sites: int = 0, pages_per_site: int = 100, seed: int = 0) -> None:
    """Run the portal in the foreground until Ctrl-C. ``sites``/``pages_per_site`` add generated
    park sites (127.0.1.10 and up); their ground truth is at ``/_truth/<site>.json`` on the
    directory origin and their registry entry at ``/_sites/<site>.yaml``."""
    # A process can inherit SIGINT ignored (started in the background of a non-interactive shell) or
    # blocked (a parent that masked it before starting us): a foreground server must still stop on Ctrl-C.
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    portal = Portal(port=port, today=today, generated=sites, pages_per_site=pages_per_site, seed=seed).start()
    try:
        print(f"parkwatch demo portal: directory {portal.directory_url}", flush=True)
        shown = list(portal.site_urls.items())
        for sid, url in shown[:12]:
            print(f"  {sid:<20} {url}", flush=True)
        if len(shown) > 12:
            print(f"  … and {len(shown) - 12} more sites (see the directory page)", flush=True)
        print("Ctrl-C to stop.", flush=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        portal.stop()
        print("portal stopped.", flush=True)

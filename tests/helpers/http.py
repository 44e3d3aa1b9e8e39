"""HTTP on loopback: fetch a URL without raising on error statuses, find a free port."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request


def fetch(url: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    """(status, lower-cased headers, body) of one request; error statuses are returned, not raised."""
    req = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


def free_port() -> int:
    """A loopback TCP port free right now (the OS picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

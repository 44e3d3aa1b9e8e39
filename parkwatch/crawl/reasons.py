"""Why a URL was not landed: the one list of skip and failure reasons.

A *skip* is a policy refusal (robots.txt, another host, a private address): counted apart from
failures in crawl health and never retried. ``NO_RETRY`` reasons are final for a URL in a run.
The dbt seed ``seed_failure_reasons.csv`` mirrors these sets for ``crawl_health`` (a test keeps
them equal). :func:`failure_reason` names a failed download; list-page problems a body shows
(``js_challenge``, ``soft_404``, …) are named by :mod:`parkwatch.crawl.listing`.

No Scrapy import at module level: the launcher and the CLI import this module, and importing Scrapy
costs seconds.
"""

from __future__ import annotations

SKIP_REASONS = frozenset({"robots", "offsite", "private_address"})
NO_RETRY = frozenset(
    {
        "robots",
        "offsite",
        "private_address",
        "too_large",
        "too_large_unpacked",
        "soft_404",
        "http_404",
        "http_410",
        "redirect_loop",
    }
)


class Refusal(Exception):
    """A fetch the crawl refused on purpose; ``reason`` is what the manifest records. The site guard
    raises it as a Scrapy ``IgnoreRequest`` too (``scrapers.middlewares.Blocked``)."""

    def __init__(self, reason: str, detail: str = ""):
        self.reason = reason
        super().__init__(f"{reason}: {detail}" if detail else reason)


def failure_reason(failure) -> str:
    """A short, stable reason for a failed download (what the manifest and crawl health show)."""
    from scrapy.exceptions import IgnoreRequest
    from scrapy.spidermiddlewares.httperror import HttpError

    exc = failure.value
    if isinstance(exc, Refusal):
        return exc.reason
    if isinstance(exc, HttpError):
        return f"http_{exc.response.status}"
    if isinstance(exc, IgnoreRequest):
        return _ignored_reason(str(exc))
    return _download_error_reason(exc)


def _ignored_reason(message: str) -> str:
    """Scrapy ignores a request with a message only: robots.txt, too many redirects, a body over
    the size limit once unpacked."""
    if "robots.txt" in message:
        return "robots"
    if "redirect" in message:
        return "redirect_loop"
    if "decompression" in message or "DOWNLOAD_MAXSIZE" in message:
        return "too_large_unpacked"
    return "ignored"


def _download_error_reason(exc: BaseException) -> str:
    from scrapy.exceptions import (
        CannotResolveHostError,
        DownloadCancelledError,
        DownloadConnectionRefusedError,
        DownloadTimeoutError,
        ResponseDataLossError,
    )
    from twisted.internet import error as tx
    from twisted.web._newclient import ResponseFailed

    if isinstance(exc, DownloadCancelledError) or "max size" in str(exc):
        return "too_large"
    if isinstance(exc, (DownloadTimeoutError, tx.TimeoutError, tx.TCPTimedOutError)):
        return "timeout"
    if isinstance(exc, ResponseDataLossError):
        return "truncated"
    if isinstance(exc, (CannotResolveHostError, tx.DNSLookupError)):
        return "dns"
    if isinstance(exc, (DownloadConnectionRefusedError, tx.ConnectionRefusedError)):
        return "connection_refused"
    if isinstance(exc, (tx.ConnectionLost, tx.ConnectionDone, ResponseFailed)):
        return "connection_lost"
    return type(exc).__name__

"""Page → Document: decoding, main-content selection, metadata, document type.

Pure functions; nothing here touches the network, the filesystem or a database.
"""

from __future__ import annotations

import re

from parkwatch.extract.common import classify_doc_type
from parkwatch.extract.decode import binary_kind, charset_from_content_type, decode_html
from parkwatch.extract.model import DOC_TYPES, Document
from parkwatch.extract.text import strip_invisible

# 0.3.4: a lone 十 before 万/亿 is a figure (十亿元, 十万个); one document-number pattern (〖2023〗 numbers
# make a policy), one attachment-file pattern (a plain-text 下载: line may name .7z/.csv/.ppt(x)); the
# warehouse's project JSON lists its fields in the record's order (count_text before count)
EXTRACTOR_VERSION = "0.3.5"  # 0.3.5: invisible characters removed before the markup is read

__all__ = [
    "DOC_TYPES",
    "EXTRACTOR_VERSION",
    "Document",
    "decode_html",
    "parse_document",
]


def _looks_plain(content_type: str | None, url: str | None) -> bool:
    ct = (content_type or "").lower()
    return ct.startswith("text/plain") or bool(url and url.lower().endswith(".txt"))


_HTML_DOCUMENT_RE = re.compile(
    r"\s*(?:<\?xml[^>]{0,200}>\s*)?(?:<!--.{0,2000}?-->\s*)*<(?:!doctype\s+html|html)\b", re.IGNORECASE | re.DOTALL
)


def _is_html_document(text: str) -> bool:
    """A whole HTML document (<!DOCTYPE html> or <html> first), whatever the server called it:
    its markup (event handlers, <noscript>, <template>) must not be read as text."""
    return bool(_HTML_DOCUMENT_RE.match(text[:5000]))


def strip_script_blocks(text: str) -> str:
    """Text without <script>/<style> blocks (a page mislabelled as text/plain): script source is
    neither run nor read as text. An unclosed block runs to the end, as in a browser. Linear time."""
    low = text.lower()
    if "<script" not in low and "<style" not in low:
        return text
    out, i = [], 0
    while i < len(text):
        starts = [j for j in (low.find("<script", i), low.find("<style", i)) if j >= 0]
        if not starts:
            break
        j = min(starts)
        close = "</script" if low.startswith("<script", j) else "</style"
        out.append(text[i:j])
        k = low.find(close, j)
        if k < 0:
            i = len(text)
            break
        end = low.find(">", k)
        i = len(text) if end < 0 else end + 1
    out.append(text[i:])
    return "".join(out)


def parse_document(data: bytes | str, url: str | None = None, content_type: str | None = None) -> Document:
    """Parse a page (HTML in any encoding, or plain text) into a Document; never raises.

    Text without HTML tags, or declared text/plain, is read as a plain-text dump of a page.
    A page that cannot be parsed gives Document(error="reason").
    """
    try:
        return _parse(data, url, content_type)
    except Exception as exc:
        return Document(url=url, error=f"{type(exc).__name__}: {exc}"[:500])


def _parse(data: bytes | str, url: str | None, content_type: str | None) -> Document:
    from parkwatch.extract.html import is_html, parse_html
    from parkwatch.extract.plain import parse_plain

    if data is None:
        return Document(url=url, error="no data")
    if isinstance(data, (bytes, bytearray, memoryview)):
        data = bytes(data)
        kind = binary_kind(data)
        if kind:
            return Document(
                url=url,
                error=f"not a text page: {kind} ({len(data)} bytes"
                f"{', served as ' + content_type if content_type else ''})"[:500],
            )
        text, encoding = decode_html(data, charset_from_content_type(content_type))
    elif isinstance(data, str):
        text, encoding = data, None
    else:
        return Document(url=url, error=f"unsupported input type {type(data).__name__}")
    # Invisible characters go before the markup is read: NULs interleaved into "<script>" (a UTF-16
    # page decoded twice) would otherwise hide a script from the script stripper, then vanish in
    # clean_text and leave its figures in the text.
    text = strip_invisible(text)
    if not text.strip():
        return Document(url=url, encoding=encoding, error="empty document")
    if _is_html_document(text) or (not _looks_plain(content_type, url) and is_html(text)):
        fields = parse_html(text, url)  # lxml: <script>/<style> are dropped, never run
    else:
        fields = parse_plain(strip_script_blocks(text))
    doc = Document(url=url, encoding=encoding, **fields)
    doc.doc_type = classify_doc_type(doc.title, doc.body, doc.metadata)
    if not doc.body and not doc.title:
        doc.error = "no text found"
    return doc

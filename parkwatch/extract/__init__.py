"""Page → Document: decoding, main-content selection, metadata, document type.

Pure functions; nothing here touches the network, the filesystem or a database.
"""

from __future__ import annotations

from parkwatch.extract.common import classify_doc_type, parse_date
from parkwatch.extract.decode import charset_from_content_type, decode_html
from parkwatch.extract.model import DOC_TYPES, Document

EXTRACTOR_VERSION = "0.3.0"

__all__ = [
    "EXTRACTOR_VERSION",
    "DOC_TYPES",
    "Document",
    "decode_html",
    "parse_document",
    "parse_date",
]


def _looks_plain(content_type: str | None, url: str | None) -> bool:
    ct = (content_type or "").lower()
    return ct.startswith("text/plain") or bool(url and url.lower().endswith(".txt"))


def parse_document(data: bytes | str, url: str | None = None,
                   content_type: str | None = None) -> Document:
    """Parse a page (HTML in any encoding, or plain text) into a Document; never raises.

    Text without HTML tags, or declared text/plain, is read as a plain-text dump of a page.
    A page that cannot be parsed gives Document(error="reason").
    """
    try:
        return _parse(data, url, content_type)
    except Exception as exc:  # noqa: BLE001 - the contract is "never raises"
        return Document(url=url, error=f"{type(exc).__name__}: {exc}"[:500])


def _parse(data: bytes | str, url: str | None, content_type: str | None) -> Document:
    from parkwatch.extract.html import is_html, parse_html
    from parkwatch.extract.plain import parse_plain

    if data is None:
        return Document(url=url, error="no data")
    if isinstance(data, (bytes, bytearray, memoryview)):
        text, encoding = decode_html(bytes(data), charset_from_content_type(content_type))
    elif isinstance(data, str):
        text, encoding = data, None
    else:
        return Document(url=url, error=f"unsupported input type {type(data).__name__}")
    if not text.strip():
        return Document(url=url, encoding=encoding, error="empty document")
    if not _looks_plain(content_type, url) and is_html(text):
        fields = parse_html(text, url)
    else:
        fields = parse_plain(text)
    doc = Document(url=url, encoding=encoding, **fields)
    doc.doc_type = classify_doc_type(doc.title, doc.body, doc.metadata)
    if not doc.body and not doc.title:
        doc.error = "no text found"
    return doc

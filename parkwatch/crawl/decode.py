"""A fetched response as text, for the spider: the charsets it declares beside the one it decodes with.

The decoding itself is :mod:`parkwatch.extract.decode` (the same codec choice the extract stage
makes on landed bytes); this only reads a Scrapy response and adds what the manifest records about it.
"""

from __future__ import annotations

from parkwatch.extract.decode import charset_from_content_type, decode_html, sniff_meta_charset


def decode_body(response, hint: str | None = None) -> tuple[str, str | None, str | None]:
    """(text, declared encoding, detected encoding) of a response: the charset its HTTP header
    names, else its <meta>; and the codec its bytes really decode with (header, then the site's
    encoding hint, then <meta>, then detection)."""
    body = response.body
    header = charset_from_content_type(response.headers.get("Content-Type", b"").decode("latin-1"))
    declared = header or sniff_meta_charset(body)
    text, detected = decode_html(body, header or hint)
    return text, (declared.lower() if declared else None), detected

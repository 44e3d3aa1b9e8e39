"""Bytes → text: declared charset first, then <meta charset>, then detection."""

from __future__ import annotations

import codecs
import re

_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_CT_CHARSET_RE = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-:.]+)", re.IGNORECASE)
_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "gb_2312": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "ms936": "gb18030",
    "euc-cn": "gb18030",
    "hz-gb-2312": "gb18030",
    "gb18030": "gb18030",
    "utf8": "utf-8",
    "unicode": "utf-8",
    "big5-hkscs": "big5hkscs",
}
# single-byte charsets decode anything, so they cannot be trusted on bytes above 0x7f
_PERMISSIVE = {"latin-1", "iso8859-1", "cp1252", "ascii"}


# Leading bytes of file formats that are not pages (attachments, images, archives, compressed bodies).
_MAGIC = (
    (b"%PDF-", "PDF document"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"PK\x03\x04", "ZIP archive (docx/xlsx/zip)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE document (doc/xls/wps)"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed data"),
    (b"BZh91AY&SY", "bzip2-compressed data"),
    (b"wOFF", "WOFF font"),
    (b"wOF2", "WOFF2 font"),
    (b"\x00asm", "WebAssembly"),
    (b"\x7fELF", "ELF executable"),
    (b"MZ\x90\x00", "Windows executable"),
)
# control bytes that never occur in text (tab, LF, VT, FF, CR and the ISO-2022 shifts/escape do)
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 14, 15, 27)) + b"\x7f"


def binary_kind(data: bytes) -> str | None:
    """What ``data`` is when it is not text (a PDF, an image, an archive, random bytes), else None.

    Magic numbers first; then the share of control bytes in the first 8 KB (UTF-16 with a BOM is
    text)."""
    if not data:
        return None
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    head = data[:8192]
    controls = sum(head.count(c) for c in _CONTROL)
    if controls > max(8, len(head) // 20):
        return "binary data"
    return None


def normalize_charset(name: str | None) -> str | None:
    """Canonical codec name (GB2312/GBK → gb18030); None when Python does not know it."""
    if not name:
        return None
    key = name.strip().strip("\"'").lower()
    key = _ALIASES.get(key, key)
    try:
        return codecs.lookup(key).name if key != "gb18030" else "gb18030"
    except LookupError:
        return None


def charset_from_content_type(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header, if any."""
    if not content_type:
        return None
    m = _CT_CHARSET_RE.search(content_type)
    return m.group(1) if m else None


def sniff_meta_charset(data: bytes) -> str | None:
    """Charset named by a <meta> tag in the first 4 KB."""
    m = _META_CHARSET_RE.search(data[:4096])
    return m.group(1).decode("ascii", "ignore") if m else None


def _strict(data: bytes, enc: str) -> str | None:
    try:
        return data.decode(enc)
    except (UnicodeDecodeError, LookupError):
        return None


def _looks_utf8(data: bytes) -> bool:
    return any(b > 0x7F for b in data) and _strict(data, "utf-8") is not None


def _detect(data: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding:
        enc = normalize_charset(best.encoding) or best.encoding
        if enc in ("gb2312", "gbk", "hz"):
            enc = "gb18030"
        text = _strict(data, enc)
        if text is not None:
            return text, enc
    return data.decode("gb18030", errors="replace"), "gb18030"


def decode_html(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """(text, encoding used). Declared charset, then <meta charset>, then detection.

    A declaration is skipped when the bytes do not decode under it, or when it names a
    single-byte or GB charset but the bytes are valid multi-byte UTF-8 (a wrong declaration).
    """
    if isinstance(data, str):
        return data, "unicode"
    if not data:
        return "", "utf-8"
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            text = _strict(data, "utf-8-sig" if enc == "utf-8" else enc)
            if text is not None:
                return text, enc
    is_utf8 = _looks_utf8(data)
    for cand in (declared, sniff_meta_charset(data)):
        charset = normalize_charset(cand)
        if not charset:
            continue
        if charset in _PERMISSIVE and any(b > 0x7F for b in data):
            continue
        if charset != "utf-8" and is_utf8:
            continue
        text = _strict(data, charset)
        if text is not None:
            return text, charset
    if is_utf8 or all(b < 0x80 for b in data):
        return data.decode("utf-8"), "utf-8"
    return _detect(data)

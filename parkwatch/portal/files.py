"""Small but real attachment files (PDF with Chinese text), built deterministically in memory."""

from __future__ import annotations

import functools


def _utf16_hex(s: str) -> str:
    return "FEFF" + s.encode("utf-16-be").hex().upper()


def _ucs2_hex(s: str) -> str:
    # UniGB-UCS2-H takes 2-byte UCS-2 code units (BMP only, which all our text is)
    return s.encode("utf-16-be").hex().upper()


@functools.lru_cache(maxsize=64)
def make_pdf(title: str, lines: tuple[str, ...], date: str = "20240101000000") -> bytes:
    """A one-or-more-page PDF 1.4 showing ``lines`` in the standard CJK font STSong-Light.

    Uses a predefined CMap (UniGB-UCS2-H), so readers and text extractors map the glyphs back to
    Unicode without embedded fonts. Deterministic: same input, same bytes.
    """
    per_page = 40
    chunks = [lines[i : i + per_page] for i in range(0, max(len(lines), 1), per_page)] or [()]
    objects: list[bytes] = []
    catalog = _add(objects, b"")  # placeholder, filled below
    pages = _add(objects, b"")
    font = _add_font(objects)
    kids = [_add_page(objects, chunk, pages, font) for chunk in chunks]
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {pages} 0 R >>".encode()
    objects[pages - 1] = (
        f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>"
    ).encode()
    info = _add(
        objects,
        f"<< /Title <{_utf16_hex(title)}> /Producer (parkwatch demo portal)"
        f" /CreationDate (D:{date}+08'00') >>".encode(),
    )
    return _serialise(objects, catalog, info)


def _add(objects: list[bytes], obj: bytes) -> int:
    """Append a PDF object; its number (1-based)."""
    objects.append(obj)
    return len(objects)


def _add_font(objects: list[bytes]) -> int:
    """The Type0 font over the STSong-Light CID font (three objects); the number of the Type0 font."""
    font = _add(objects, b"")
    cidfont = _add(objects, b"")
    descriptor = _add(
        objects,
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880]"
        b" /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
    )
    objects[font - 1] = (
        f"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H"
        f" /DescendantFonts [{cidfont} 0 R] >>"
    ).encode()
    objects[cidfont - 1] = (
        f"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light"
        f" /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >>"
        f" /FontDescriptor {descriptor} 0 R /DW 1000 >>"
    ).encode()
    return font


def _add_page(objects: list[bytes], chunk: tuple[str, ...], pages: int, font: int) -> int:
    """One page showing ``chunk`` (its content stream, then the page); the page's number."""
    ops = ["BT", "/F1 12 Tf", "18 TL", "56 780 Td"]
    for line in chunk:
        ops.append(f"<{_ucs2_hex(line)}> Tj T*")
    ops.append("ET")
    stream = "\n".join(ops).encode("ascii")
    content = _add(objects, b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    return _add(
        objects,
        (
            f"<< /Type /Page /Parent {pages} 0 R /MediaBox [0 0 595 842]"
            f" /Resources << /Font << /F1 {font} 0 R >> >> /Contents {content} 0 R >>"
        ).encode(),
    )


def _serialise(objects: list[bytes], catalog: int, info: int) -> bytes:
    """Header, numbered objects, cross-reference table and trailer."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        catalog,
        info,
        xref,
    )
    return bytes(out)

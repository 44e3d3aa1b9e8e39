"""Detail pages made up in a test, shaped like the demo portal's TRS pages."""

from __future__ import annotations

import textwrap


def html_page(title: str, body_html: str, charset: str = "utf-8") -> bytes:
    return textwrap.dedent(f"""\
        <html><head><meta charset="{charset}"><title>青川高新区</title></head><body>
        <div class="TRS_Editor"><h1>{title}</h1><p>发布时间:2024-08-02</p>
        {body_html}
        </div></body></html>""").encode(charset)

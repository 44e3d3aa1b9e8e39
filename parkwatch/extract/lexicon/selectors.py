"""HTML vocabulary: the content containers of the CMSs Chinese government sites run on, the tags
and class/id words of page chrome, and the block tags that break lines.

Data only; `parkwatch.extract.html` reads it.
"""

from __future__ import annotations

import re

# Content containers used by the CMSs Chinese government sites run on (TRS, VSB/博达, 大汉, 中国政府网 …),
# tried in this order
CONTENT_SELECTORS = (
    ".TRS_Editor",
    ".TRS_UEDITOR",
    "#zoom",
    "#Zoom",
    ".v_news_content",
    "[id^=vsb_content]",
    "#UCAP-CONTENT",
    ".pages_content",
    "#pages_content",
    ".xxgk_content",
    ".article-content",
    ".article_content",
    ".art_content",
    ".artContent",
    "#artContent",
    ".news_content",
    ".newsContent",
    "#newsContent",
    ".detail-content",
    ".detail_content",
    ".content_text",
    ".wz_content",
    ".zw",
    "#zw",
    ".wzy_content",
    "#fontzoom",
    ".con_text",
    "#artibody",
    ".artibody",
    "#article-content",
    "#articleContent",
    ".article-body",
    "article",
)
# tags dropped with their content before anything is read (never text, never run)
DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "iframe",
    "template",
    "svg",
    "button",
    "select",
    "input",
    "textarea",
    "object",
    "embed",
    "canvas",
    "nav",
    "header",
    "footer",
)
# class or id words of page chrome (menus, breadcrumbs, share bars, related links …)
CHROME_CLASS_RE = re.compile(
    r"nav|menu|breadcrumb|crumb|footer|foot\b|header|share|bdshare|sidebar|side_|related|xgwz|"
    r"xgxx|pagination|pager|prev|next|print|toolbar|copyright|login|search|weixin|qrcode|ewm|"
    r"friend|links|position|location|top_bar|topbar",
    re.IGNORECASE,
)
# class or id words of the element holding a page's date
DATE_CLASS_RE = re.compile(r"time|date|pubtime|fbsj|fbrq|publish", re.IGNORECASE)
# tags that start a new line of text
BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "br",
        "li",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "section",
        "article",
        "blockquote",
        "ul",
        "ol",
        "dd",
        "dt",
        "dl",
        "pre",
        "center",
    }
)

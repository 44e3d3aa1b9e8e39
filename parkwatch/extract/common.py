"""Line-level helpers shared by the HTML and plain-text parsers: metadata labels,
boilerplate / footer / teaser line tests, document-type classification."""

from __future__ import annotations

import re

from parkwatch.common.dates import parse_date

# 信息公开 and article-header labels, spaces removed. Value: canonical label kept in metadata.
META_LABELS = {
    "标题": "标题", "名称": "标题", "文件名称": "标题",
    "索引号": "索引号", "索引": "索引号",
    "发文字号": "发文字号", "文号": "发文字号", "发文号": "发文字号",
    "发文机构": "发文机构", "发文机关": "发文机构", "发布机构": "发布机构", "发布机关": "发布机构",
    "所属机构": "所属机构", "公开机构": "发布机构", "制发机关": "发文机构", "主办单位": "主办单位",
    "成文日期": "成文日期", "成文时间": "成文日期", "发文日期": "发文日期", "印发日期": "发文日期",
    "公开日期": "公开日期", "公开时间": "公开日期", "发布日期": "发布日期", "发布时间": "发布日期",
    "生成日期": "生成日期", "更新时间": "更新时间", "日期": "日期", "时间": "时间",
    "实施日期": "实施日期", "施行日期": "实施日期", "生效日期": "实施日期",
    "废止日期": "废止日期", "失效日期": "废止日期", "有效性": "有效性", "是否有效": "有效性",
    "时效性": "有效性", "效力状态": "有效性",
    "信息分类": "信息分类", "主题分类": "主题分类", "体裁分类": "体裁分类", "组配分类": "组配分类",
    "公文种类": "公文种类", "文种": "公文种类",
    "概述": "概述", "内容概述": "概述", "摘要": "概述", "关键词": "关键词", "主题词": "主题词",
    "来源": "来源", "信息来源": "来源", "文章来源": "来源", "稿件来源": "来源", "来源单位": "来源",
    "作者": "作者", "发布人": "作者", "撰稿": "作者", "编辑": "编辑", "责任编辑": "编辑",
    "点击": "点击", "点击次": "点击", "点击数": "点击", "点击量": "点击", "浏览次数": "点击",
    "浏览量": "点击", "阅读": "点击", "阅读量": "点击", "访问量": "点击", "字号": "字号",
}
_DATE_LABELS = ("发布日期", "公开日期", "发文日期", "成文日期", "生成日期", "日期", "时间", "更新时间")
_SORTED_LABELS = sorted(META_LABELS, key=len, reverse=True)
_LABEL_ALT = "|".join(re.escape(x) for x in _SORTED_LABELS)
# "label:value" pairs inside one line, several per line allowed ("来源:未知 日期:2017-08-03 点击:次")
_PAIR_RE = re.compile(rf"(?:^|(?<=[\s|]))({_LABEL_ALT})\s*[:：]\s*")

def squash(label: str) -> str:
    """Label with all whitespace and trailing colons removed."""
    return re.sub(r"\s+", "", label).rstrip(":：")


def canonical_label(label: str) -> str | None:
    """Canonical metadata label for a raw label text, or None when it is not one."""
    return META_LABELS.get(squash(label))


_LONG_OK = {"标题", "概述", "关键词", "主题词", "索引号"}


def clean_meta_value(label: str, value: str) -> str | None:
    """A metadata value tidied for its label, or None when it is page noise (字号:大 中 小, 点击:次)."""
    value = (value or "").strip(" |\t:：")
    if label == "字号":
        return None
    if label == "点击":
        m = re.match(r"\d+", value)
        return m.group(0) if m else None
    if label in _DATE_LABELS or label in ("实施日期", "废止日期"):
        if not value:
            return value
        m = re.match(r"[\d年月日\s:/.\-]{6,25}", value)
        return m.group(0).strip() if m and parse_date(m.group(0)) else None
    if len(value) > (200 if label in _LONG_OK else 60):
        return None
    return value


def meta_pairs(line: str) -> list[tuple[str, str]]:
    """(canonical label, value) pairs found in a header line such as "来源:未知 日期:2017-08-03"."""
    matches = list(_PAIR_RE.finditer(line))
    out = []
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(line)
        label = META_LABELS[m.group(1)]
        value = clean_meta_value(label, line[m.end():end])
        if value is not None:
            out.append((label, value))
    return out


def pipe_table_pairs(line: str) -> list[tuple[str, str]]:
    """Pairs from a flattened table row "标 题: | value | 索 引 号: | value | …"."""
    cells = [c.strip() for c in line.split("|")]
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(cells):
        lab = canonical_label(cells[i]) if cells[i].endswith((":", "：")) or canonical_label(cells[i]) else None
        if lab:
            j = i + 1
            while j < len(cells) and not cells[j]:
                j += 1
            nxt = cells[j] if j < len(cells) else ""
            if nxt and not (canonical_label(nxt) and nxt.endswith((":", "："))):
                out.append((lab, nxt))
                i = j + 1
                continue
            out.append((lab, ""))
        i += 1
    return out


def date_from_metadata(meta: dict[str, str]) -> str | None:
    """Publication date from metadata, preferring 发布/公开 over 成文."""
    for lab in _DATE_LABELS:
        d = parse_date(meta.get(lab))
        if d:
            return d
    return None


# ---------------------------------------------------------------- boilerplate lines

_NAV_WORDS = re.compile(
    r"当前位置|您的位置|所在位置|现在的位置|当前的位置|网站首页|设为首页|加入收藏|网站地图|无障碍|"
    r"登录|注册|服务时间|联系邮箱|繁体|简体|English|移动版|手机版|长者模式|智能问答|站内搜索|"
    r"^首页$|^首页\s*>|>>|>\s*\S+\s*>"
)
_FOOTER_RE = re.compile(
    r"^(?:上一[条篇]|下一[条篇]|相关(?:文件|阅读|新闻|链接|推荐|文章|附件)|推荐阅读|热点推荐|延伸阅读|"
    r"(?:责任编辑|编辑|审核|校对|通讯员|信息来源|稿件来源|文章来源|记者)\s*[:：]|打印本页|关闭窗口|【打印】|【关闭】|"
    r"分享到|扫一扫|版权所有|主办单位|承办单位|网站标识码|ICP备|联系我们|\[打印\]|\[关闭\])"
)
_CONTACT_RE = re.compile(r"(?:新闻热线|投稿邮箱|投稿电话|报料电话|联系电话)[:：]?\s*[\d@]")
_TEASER_END_RE = re.compile(r"(?:…+|\.{3,})$")


def is_nav_line(line: str) -> bool:
    """Navigation, breadcrumb, login bars and other page chrome."""
    s = line.strip()
    if not s:
        return True
    if _NAV_WORDS.search(s) and len(s) < 80:
        return True
    letters = sum(c.isascii() and c.isalpha() for c in s)
    cjk = sum("\u4e00" <= c <= "\u9fff" for c in s)
    return cjk == 0 and letters >= 3


def is_footer_line(line: str) -> bool:
    """A line after which no article text follows (上一条, 责任编辑, 相关文件, hotline …)."""
    s = line.strip().lstrip("(（[【")
    return bool(_FOOTER_RE.match(s) or _CONTACT_RE.search(s))


def is_teaser_line(line: str) -> bool:
    """A list teaser: truncated text ending in … or ..."""
    return bool(_TEASER_END_RE.search(line.strip()))


def is_meta_line(line: str) -> bool:
    """A line made of label:value pairs (or pipe-table cells) and nothing else."""
    s = line.strip()
    if "|" in s and pipe_table_pairs(s):
        return True
    pairs = meta_pairs(s)
    if not pairs:
        return False
    first = _PAIR_RE.search(s)
    return first is not None and first.start() <= 2 and len(s) < 160


# ---------------------------------------------------------------- document type

_POLICY_TITLE_RE = re.compile(
    r"(?:意见|办法|方案|规定|决定|细则|措施|规划|条例|规则|实施意见|指导意见|若干政策|政策措施|管理办法|"
    r"行动计划|工作要点|指南)》?$|印发|关于.{2,60}的(?:意见|办法|方案|规定|决定|细则|措施|规划|条例|通知|批复|函)"
)
_BULLETIN_RE = re.compile(r"简报|示范区信息|信息第\s*\d+\s*期|第\s*\d+\s*期|经济运行(?:情况|简况|快报|数据|分析)|快报|周报|月报|专报|要情")
_NOTICE_RE = re.compile(r"公告|公示|通告|启事|招标|采购|中标|成交|遴选|征集|报名")
_DOCNO_RE = re.compile(r"[\u4e00-\u9fff]{1,12}\s*[〔\[［(（【﹝]\s*(?:19|20)\d{2}\s*[〕\]］)）】﹞]\s*\d{1,4}\s*号")


def classify_doc_type(title: str | None, body: str, metadata: dict[str, str]) -> str:
    """bulletin | news | policy | policy_interpretation | notice | other."""
    t = (title or "").strip()
    if "解读" in t or "答记者问" in t or "一图读懂" in t:
        return "policy_interpretation"
    if _NOTICE_RE.search(t) and not _POLICY_TITLE_RE.search(t):
        return "notice"
    if metadata.get("发文字号") or (t and _DOCNO_RE.search(body[:300])):
        return "policy"
    if t and _POLICY_TITLE_RE.search(t):
        if t.endswith("通知") and not re.search(r"印发|办法|方案|意见|规定|细则|措施|规划", t):
            return "notice"
        return "policy"
    if _BULLETIN_RE.search(t):
        return "bulletin"
    if len(body) >= 20 and re.search(r"[。!?！？]", body):
        return "news"
    if t.endswith(("通知", "公告")):
        return "notice"
    return "other"

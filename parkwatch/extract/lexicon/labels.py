"""Words of a page's frame: metadata labels (信息公开 tables, article headers, <meta> names), the
words of page chrome (navigation, footers) and the title words that tell a document's type.

Data only; `parkwatch.extract.common`, `.html` and `.plain` read it.
"""

from __future__ import annotations

import re

# 信息公开 and article-header labels, spaces removed. Value: canonical label kept in metadata.
META_LABELS = {
    "标题": "标题",
    "名称": "标题",
    "文件名称": "标题",
    "索引号": "索引号",
    "索引": "索引号",
    "发文字号": "发文字号",
    "文号": "发文字号",
    "发文号": "发文字号",
    "发文机构": "发文机构",
    "发文机关": "发文机构",
    "发布机构": "发布机构",
    "发布机关": "发布机构",
    "所属机构": "所属机构",
    "公开机构": "发布机构",
    "制发机关": "发文机构",
    "主办单位": "主办单位",
    "成文日期": "成文日期",
    "成文时间": "成文日期",
    "发文日期": "发文日期",
    "印发日期": "发文日期",
    "公开日期": "公开日期",
    "公开时间": "公开日期",
    "发布日期": "发布日期",
    "发布时间": "发布日期",
    "生成日期": "生成日期",
    "更新时间": "更新时间",
    "日期": "日期",
    "时间": "时间",
    "实施日期": "实施日期",
    "施行日期": "实施日期",
    "生效日期": "实施日期",
    "废止日期": "废止日期",
    "失效日期": "废止日期",
    "有效性": "有效性",
    "是否有效": "有效性",
    "时效性": "有效性",
    "效力状态": "有效性",
    "信息分类": "信息分类",
    "主题分类": "主题分类",
    "体裁分类": "体裁分类",
    "组配分类": "组配分类",
    "公文种类": "公文种类",
    "文种": "公文种类",
    "概述": "概述",
    "内容概述": "概述",
    "摘要": "概述",
    "关键词": "关键词",
    "主题词": "主题词",
    "来源": "来源",
    "信息来源": "来源",
    "文章来源": "来源",
    "稿件来源": "来源",
    "来源单位": "来源",
    "作者": "作者",
    "发布人": "作者",
    "撰稿": "作者",
    "编辑": "编辑",
    "责任编辑": "编辑",
    "点击": "点击",
    "点击次": "点击",
    "点击数": "点击",
    "点击量": "点击",
    "浏览次数": "点击",
    "浏览量": "点击",
    "阅读": "点击",
    "阅读量": "点击",
    "访问量": "点击",
    "字号": "字号",
}
# canonical labels holding a publication date, most telling first
DATE_LABELS = ("发布日期", "公开日期", "发文日期", "成文日期", "生成日期", "日期", "时间", "更新时间")
# canonical labels whose values may be long (up to 200 characters, others 60)
LONG_VALUE_LABELS = frozenset({"标题", "概述", "关键词", "主题词", "索引号"})
# <meta name=…> (lower case, og: removed) → canonical label
META_TAG_LABELS = {
    "articletitle": "标题",
    "pubdate": "发布日期",
    "firstpublishedtime": "发布日期",
    "contentsource": "来源",
    "source": "来源",
    "author": "作者",
}
# canonical labels naming who issued a document, most specific first
ISSUER_LABELS = ("发文机构", "发布机构", "所属机构")

# ---------------------------------------------------------------- page chrome lines

NAV_WORDS_RE = re.compile(
    r"当前位置|您的位置|所在位置|现在的位置|当前的位置|网站首页|设为首页|加入收藏|网站地图|无障碍|"
    r"登录|注册|服务时间|联系邮箱|繁体|简体|English|移动版|手机版|长者模式|智能问答|站内搜索|"
    r"^首页$|^首页\s*>|>>|>\s*\S+\s*>"
)
# a line after which no article text follows
FOOTER_LINE_RE = re.compile(
    r"^(?:上一[条篇]|下一[条篇]|相关(?:文件|阅读|新闻|链接|推荐|文章|附件)|推荐阅读|热点推荐|延伸阅读|"
    r"(?:责任编辑|编辑|审核|校对|通讯员|信息来源|稿件来源|文章来源|记者)\s*[:：]|打印本页|关闭窗口|【打印】|【关闭】|"
    r"分享到|扫一扫|版权所有|主办单位|承办单位|网站标识码|ICP备|联系我们|\[打印\]|\[关闭\])"
)
CONTACT_LINE_RE = re.compile(r"(?:新闻热线|投稿邮箱|投稿电话|报料电话|联系电话)[:：]?\s*[\d@]")

# ---------------------------------------------------------------- document types, by title

POLICY_TITLE_RE = re.compile(
    r"(?:意见|办法|方案|规定|决定|细则|措施|规划|条例|规则|实施意见|指导意见|若干政策|政策措施|管理办法|"
    r"行动计划|工作要点|指南)》?$|印发|关于.{2,60}的(?:意见|办法|方案|规定|决定|细则|措施|规划|条例|通知|批复|函)"
)
BULLETIN_TITLE_RE = re.compile(
    r"简报|示范区信息|信息第\s*\d+\s*期|第\s*\d+\s*期|经济运行(?:情况|简况|快报|数据|分析)|快报|周报|月报|专报|要情"
)
NOTICE_TITLE_RE = re.compile(r"公告|公示|通告|启事|招标|采购|中标|成交|遴选|征集|报名")

"""Who a quantity belongs to: the subject phrase before it (财政收入5.58亿元), or the noun after it
(开展12场招聘会), with change verbs (同比增长), relations (占…的, 完成…的) and park names peeled off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parkwatch.extract.facts.periods import COMPARISON_RE, period_spans
from parkwatch.extract.lexicon.patterns import LEADING_PARK_RE
from parkwatch.extract.lexicon.verbs import DOWN_VERBS, FLAT_VERBS, NOT_ACTION_WORDS, PRENOMINAL_VERBS, UP_VERBS

_CHANGE_ALT = "|".join(sorted(UP_VERBS + DOWN_VERBS + FLAT_VERBS, key=len, reverse=True))
# change verb at the end of the pre-text, optionally with 同比/环比 and a trailing 了/达/为
_CHANGE_RE = re.compile(rf"(?P<cmp>同比|环比|比上年|比去年)?(?P<verb>{_CHANGE_ALT})(?P<tail>了|达到?|幅度为?|为)?$")
_BENCH_RE = re.compile(
    r"(高于|低于|快于|慢于)(?:全国|全省|全市|全区|全盟|同期|同类)?[\u4e00-\u9fff]{0,6}?"
    r"(?:平均水平|平均增速|平均|均值|水平)?$"
)
_TO_LEVEL_RE = re.compile(rf"(?:{_CHANGE_ALT})(?:到|至|为)$")  # 提高到 / 减为: a level, not a change
_CMP_RE = re.compile(r"同比|环比")

_LEAD_JUNK_RE = re.compile(
    r"^(?:其中|此外|另外|同时|其余|以及|并且|并|且|和|及|与|或|分别为|分别是|分别|共有|共计|合计|总计|累计|"
    r"再次|多次|首次|连续|一是|二是|三是|四是|五是|六是|七是|八是|九是|十是|首先|其次|最后|原则上|"
    r"力争|确保|争取|预计|每年|共|已经|已|现已|目前|截至目前|全部|均|先后|总共|一共|全年|年内|今年|当年|"
    r"完成|实现|达到|获得|获批|获|取得|拥有|已有|新设立)+"
)
_TRAIL_JUNK_RE = re.compile(
    r"(?:达到了|达到|高达|多达|已达|达|为|是|(?<![签节制合公条预相践特契违履邀集])约|近|有|共计|共|合计|累计|总计|已|"
    r"实现|完成|突破|超过|超|逾|要|逐步|要求|将|和|及|与|"
    r"增至|升至|降至|至|到|了|的|均|分别|总额为|总量为|规模为|规模|由过去的|由|从|过去的|稳定|保持在|保持|"
    r"\d+(?:\.\d+)?[大个类项批]+)+$"
)
_REL_RE = re.compile(
    r"(?:占(?!比|地|用|有)|相当于)(?P<of>[^占]*?)(?:的)?(?:比重|比例|份额|总量|总数)?(?:的)?(?:达到?|为|分别为)?$"
)
_OF_RE = re.compile(r"(?P<verb>完成|超额完成|达到?|实现|为|是|占)(?P<of>[^完达实为是占]{1,30})的$")
_PRENOMINAL_RE = re.compile("^(?:" + "|".join(sorted(set(PRENOMINAL_VERBS), key=len, reverse=True)) + ")+$")
_POST_STOP_RE = re.compile(
    r"同比|环比|增长|下降|完成|实现|参与|参会|参加|获得|入驻|落户|开工|投产|建成|已|将|被|在|于|通过|全部|"
    r"均|分别|占|达|共|累计|以|为|和|及|与|等|开展|进行|提供|签订|获|得到|受益|申报|实施|投入|用于|"
    r"根据|按照|对|向|捐资|出资|打造|建设|开展|推进|带动|从|由|是|有|可|将|正|代缴|缴纳|办理|搭建|实行|"
    r"转企|建成|加入|集中|总投资|投资额|给予|[的,，;；:：、。()（）《》\s\d]"
)
_VERB_ALT = "|".join(sorted(set(PRENOMINAL_VERBS) - set(NOT_ACTION_WORDS), key=len, reverse=True))
_STARTS_VERB_RE = re.compile(f"^(?:{_VERB_ALT}|为|将|把)")
_ENDS_VERB_RE = re.compile(f"(?:{_VERB_ALT})$")
_QUOTES_RE = re.compile(r"[“”\"'‘’《》]")


@dataclass
class SubjectParse:
    """What the text before a quantity says about it."""

    subject: str  # may be "" when the text names nothing (carry the previous subject)
    change_verb: str | None = None  # 增长 / 下降 / 持平 … directly before the quantity
    comparator: str | None = None  # 同比 / 环比
    relation_of: str | None = None  # X in 占X的 / 完成X的 (the total a share is of)
    is_relation: bool = False
    to_level: bool = False  # 提高到 / 减为: the quantity is a level


def blank_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """text with the given spans replaced by spaces."""
    chars = list(text)
    for s, e in spans:
        for i in range(max(0, s), min(len(chars), e)):
            chars[i] = " "
    return "".join(chars)


def strip_park(s: str) -> str:
    """Drop a leading park name (新乡高新区, 高新区、示范区, 全区 …) when something is left."""
    prev = None
    while prev != s:
        prev = s
        m = LEADING_PARK_RE.match(s)
        if m and len(s) - m.end() >= 2:
            s = s[m.end() :]
    return s


def tidy_phrase(s: str) -> str:
    """Whitespace, quotes and edge punctuation removed (a closing bracket stays when it is paired)."""
    s = _QUOTES_RE.sub("", s)
    s = re.sub(r"\s+", "", s)
    s = s.strip(",，;；:：、。.—-")
    while s and s[0] in "()（）" and not _paired(s):
        s = s[1:]
    while s and s[-1] in "()（）" and not _paired(s):
        s = s[:-1]
    while s.startswith(("(", "（")) and s.endswith((")", "）")) and _paired(s[1:-1]) and len(s) > 2:
        s = s[1:-1]
    return s


def _paired(s: str) -> bool:
    depth = 0
    for ch in s:
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


# 新材料产业实现产值 → 新材料产业产值
_INNER_VERB_RE = re.compile(r"(?<=\S\S)实现(?=产值|营业收入|营收|收入|增加值|投资|利润|税收|出口|进口)")
_PREP_PHRASE_RE = re.compile(r"^在[^,，;；]{1,24}?(?:中|上|里|方面)(?=\S)")


def _strip_framing_words(phrase: str) -> str:
    """The phrase without what frames a subject: a leading 在…中, an inner 实现, leading and
    trailing function words (其中, 累计, 达到, 为 …) and a leading park name."""
    before = None
    while before != phrase:
        before = phrase
        phrase = tidy_phrase(phrase)
        phrase = _PREP_PHRASE_RE.sub("", phrase)
        phrase = _INNER_VERB_RE.sub("", phrase)
        phrase = _LEAD_JUNK_RE.sub("", phrase)
        phrase = _TRAIL_JUNK_RE.sub("", phrase)
        phrase = strip_park(phrase)
    return phrase


def parse_subject_text(text_before: str) -> SubjectParse:
    """Analyse the text between the clause start (or previous quantity) and a quantity."""
    spans = period_spans(text_before) + [(m.start(), m.end()) for m in COMPARISON_RE.finditer(text_before)]
    text = tidy_phrase(blank_spans(text_before, spans))
    parse = SubjectParse(subject="")
    text = _take_change(text, parse)
    text = _take_relation(text, parse)
    parse.subject = _strip_framing_words(text)
    return parse


def _take_change(text: str, parse: SubjectParse) -> str:
    """Record the benchmark gap, level (提高到) or change verb (同比增长) the text ends with, and
    its 同比/环比; return the text without them."""
    bench = _BENCH_RE.search(text)
    if bench:  # 高于全市平均水平1.2个百分点: a gap to a benchmark, said of the carried subject
        parse.change_verb = "低于" if bench.group(1) in ("低于", "慢于") else "高于"
        text = text[: bench.start()]
    text = re.sub(r"(?<=增长|下降|持平|上涨|减少|增加)的$", "", text)  # 产量同比增长的13种
    if parse.change_verb:
        pass
    elif _TO_LEVEL_RE.search(text):
        parse.to_level = True
        text = re.sub(r"(?:到|至|为)$", "", text)
        text = re.sub(rf"(?:同比|环比)?(?:{_CHANGE_ALT})$", "", text)
    else:
        change = _CHANGE_RE.search(text)
        if change:
            parse.change_verb = change.group("verb")
            parse.comparator = change.group("cmp") if change.group("cmp") in ("同比", "环比") else None
            text = text[: change.start()]
    if parse.comparator is None:
        comparator = _CMP_RE.search(text)
        if comparator:
            parse.comparator = comparator.group(0)
            text = text[: comparator.start()] + text[comparator.end() :]
    return text


def _take_relation(text: str, parse: SubjectParse) -> str:
    """Record a share (占X的) or a fulfilment (完成X的) the text ends with, and the whole X it is
    of; return the text before it."""
    share = _REL_RE.search(text) if re.search(r"占(?!比|地|用|有)|相当于", text) else None
    if share:
        parse.is_relation = True
        whole = re.sub(r"(?:的)?(?:比重|比例|份额)$", "", share.group("of"))
        parse.relation_of = tidy_phrase(strip_park(_strip_framing_words(whole))) or None
        return text[: share.start()]
    fulfilment = _OF_RE.search(text)
    if fulfilment:
        parse.is_relation = True
        parse.relation_of = tidy_phrase(fulfilment.group("of")) or None
        return text[: fulfilment.start()]
    return text


def is_verb_only(s: str) -> bool:
    """True when s names nothing: only verbs and particles (开展, 全面完成, 已推荐 …)."""
    return not s or bool(_PRENOMINAL_RE.match(s)) or len(s) < 2


_THRESHOLD_PREFIX_RE = re.compile(
    r"^[\u4e00-\u9fff]{0,4}?(?:超过|超|达到|达|以上)\d+(?:\.\d+)?(?:万亿|亿|千万|万)?元(?:以上)?的?"
)


def noun_after_figure(after: str) -> str:
    """The noun right after a quantity (12场|招聘会), cut at the first verb or particle."""
    after = after.lstrip()
    if after.startswith("的"):
        after = after[1:]
        whole = re.match(r"[^,，;；。、]{2,40}?项目", after)
        if whole and re.search(r"\d", whole.group(0)):
            return tidy_phrase(whole.group(0))
    if not after or not re.match(r"[\u4e00-\u9fffA-Za-z“\"]", after):
        return ""
    after = _THRESHOLD_PREFIX_RE.sub("", after)
    stop = _POST_STOP_RE.search(after)
    if stop and stop.start() == 0:
        return ""
    noun = tidy_phrase(after[: stop.start()] if stop else after)
    if stop and stop.group(0) in ("同比", "环比", "增长", "下降"):
        noun = re.sub(r"(?<=\S\S)(?:产量|价格|产值|数量|销量|销售额)$", "", noun)
    noun = re.sub(r"(?<=\S\S)中$", "", noun)  # 36种工业产品中, …: the locative is not the name
    return noun if len(noun) >= 2 else ""


def starts_with_verb(s: str) -> bool:
    """True when s opens with an action verb (完成…, 新增…)."""
    return bool(_STARTS_VERB_RE.search(s))


def verb_framed(s: str) -> bool:
    """True when a subject starts or ends with an action verb (开展…, …建立): the counted noun
    then follows the quantity."""
    return bool(_STARTS_VERB_RE.search(s) or _ENDS_VERB_RE.search(s) or "由" in s)


_HEAD_WORDS_RE = re.compile(r"常住居民|居民|人均|企业|工业|产业|收入|产值")


def split_items(s: str) -> list[str]:
    """煤化工、盐化工、冶金及其它产业 → [煤化工, 盐化工, 冶金, 其它产业]; two items sharing a head
    (城镇和农村牧区常住居民人均可支配收入) each get it."""
    items = [tidy_phrase(x) for x in re.split(r"、|及|和|与", s) if tidy_phrase(x)]
    if len(items) == 2 and len(items[0]) <= 3 and len(items[1]) >= 8:
        m = _HEAD_WORDS_RE.search(items[1], 1)
        if m and not _HEAD_WORDS_RE.search(items[0]):
            items[0] = items[0] + items[1][m.start() :]
    return items

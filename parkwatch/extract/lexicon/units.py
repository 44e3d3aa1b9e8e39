"""Units, scales, numeral characters and approximation words of figures in Chinese text.

Data only; `parkwatch.extract.facts.numbers` reads it. Values are in the base unit: a unit maps to
(base unit, factor), a scale to its factor (亿 → 1e8).
"""

from __future__ import annotations

from decimal import Decimal

# unit as written → (base unit, factor); a quantity in one of these is an amount
AMOUNT_UNITS: dict[str, tuple[str, Decimal]] = {
    "元": ("CNY", Decimal(1)), "人民币": ("CNY", Decimal(1)), "美元": ("USD", Decimal(1)),
    "欧元": ("EUR", Decimal(1)), "港元": ("HKD", Decimal(1)), "港币": ("HKD", Decimal(1)),
    "吨标准煤": ("tce", Decimal(1)), "吨标煤": ("tce", Decimal(1)), "蒸吨": ("t_steam", Decimal(1)),
    "吨": ("t", Decimal(1)), "千克": ("kg", Decimal(1)), "公斤": ("kg", Decimal(1)),
    "立方米": ("m3", Decimal(1)), "方": ("m3", Decimal(1)),
    "平方公里": ("km2", Decimal(1)), "平方千米": ("km2", Decimal(1)), "平方米": ("m2", Decimal(1)),
    "平米": ("m2", Decimal(1)), "公顷": ("ha", Decimal(1)), "亩": ("mu", Decimal(1)),
    "千瓦时": ("kWh", Decimal(1)), "度电": ("kWh", Decimal(1)), "千瓦": ("kW", Decimal(1)),
    "兆瓦": ("MW", Decimal(1)), "吉瓦": ("GW", Decimal(1)), "瓦": ("W", Decimal(1)),
    "公里": ("km", Decimal(1)), "千米": ("km", Decimal(1)), "米": ("m", Decimal(1)),
    "标准箱": ("TEU", Decimal(1)), "标箱": ("TEU", Decimal(1)),
    "天": ("d", Decimal(1)), "个工作日": ("d", Decimal(1)), "工作日": ("d", Decimal(1)),
    "小时": ("h", Decimal(1)), "分钟": ("min", Decimal(1)), "分": ("score", Decimal(1)),
}
# classifiers: a quantity in one of these is a count (base unit "count")
COUNT_UNITS = (
    "人次", "户次", "家次", "台套", "个", "家", "户", "项", "人", "件", "场", "只", "座", "间", "种",
    "份", "处", "次", "张", "名", "所", "对", "条", "台", "套", "位", "辆", "栋", "幢", "宗", "笔",
    "棵", "株", "头", "艘", "架", "期", "批", "支", "块", "起", "例", "篇", "部", "本", "轮",
)
# the unit after a slash (15万吨/年) → its base-unit suffix
PER_UNITS = {
    "年": "yr", "亩": "mu", "吨": "t", "平方米": "m2", "月": "month", "人": "person", "天": "d",
    "日": "d", "小时": "h", "箱柜": "箱柜", "箱": "box", "千瓦时": "kWh", "度": "kWh", "户": "户",
}
# the characters Chinese numerals are written with (小写 and 大写)
CN_NUM_CHARS = "零〇一二两三四五六七八九十百千壹贰叁肆伍陆柒捌玖拾佰仟"
# numerals that are a whole figure on their own before a scale (三万元, 一亿元, 十亿元); 百 and 千 are
# not (百万元, 千亿元级产业 are idioms)
CN_SCALED_SINGLE = "一二两三四五六七八九十壹贰叁肆伍陆柒捌玖拾"
SCALES = {"万亿": Decimal(10) ** 12, "千亿": Decimal(10) ** 11, "百亿": Decimal(10) ** 10,
          "亿": Decimal(10) ** 8, "千万": Decimal(10) ** 7, "百万": Decimal(10) ** 6,
          "十万": Decimal(10) ** 5, "万": Decimal(10) ** 4}
# approximation markers before and after a figure, kept as the fact's `approx`
APPROX_PRE = ("将近", "接近", "大约", "超过", "突破", "不低于", "不少于", "不超过", "不高于", "最多", "最高", "至多",
              "近", "超", "逾")
APPROX_POST = ("以上", "左右", "之多", "以下", "以内", "余", "多")
# a unit followed by one of these characters was the start of another word (个月, 天然, 方面, 人民)
BAD_FOLLOW = {
    "个": ("月",), "天": ("然", "津", "下"), "方": ("面", "式", "案", "法", "向", "针", "位", "便", "能", "可"),
    "人": ("民", "才", "员", "口", "工", "大", "社", "防", "脸"), "家": ("级", "庭", "居", "园", "乡", "电"),
    "户": ("籍", "外", "型"), "期": ("间", "限", "末"), "部": ("门", "署", "分", "长", "委", "位"),
    "对": ("接", "外", "标", "于", "口"), "场": ("所", "景", "地", "馆", "合"), "处": ("理", "置", "罚", "长"),
    "次": ("数",), "件": (), "批": ("准", "复", "次"), "名": ("单", "称", "义"), "所": ("属", "得", "在", "有"),
    "条": ("件", "例", "款"), "位": ("于", "置", "次"), "支": ("持", "出", "撑", "付", "柱"),
    "块": (), "起": ("步", "来", "草"), "例": ("如",), "篇": ("章",), "本": ("地", "届", "次", "级", "市"),
    "台": ("账", "阶"), "项": ("目",), "间": ("接",), "种": ("植", "子", "类"), "轮": (),
    "座": ("谈",), "只": ("有", "要", "是", "能"), "头": ("部", "企"), "元": ("素", "宵", "旦"),
    "亩": ("均",), "吨": (), "公里": (), "米": ("宽",),
}

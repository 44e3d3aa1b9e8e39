"""Deterministic generator of further demo sites: fictional parks, each on its own origin, with any
number of bulletins, news and policies, and a ground truth of every figure each page states.

``generate(n_sites, pages_per_site, seed)`` returns :class:`GeneratedSite` objects (a
:class:`~parkwatch.portal.model.SiteContent`, its park record and its ground truth). Same
arguments, same sites, same bytes.

Ground truth per page (``GeneratedSite.truth[article_id]``)::

    {"path", "kind", "title", "published",
     "facts": [ {doc, indicator_text, indicator_code, measure, value, unit, raw, approx,
                 is_target, period_start, period_end, sentence, part_of}, ... ],
     "projects": [ {name, company, investment_cny, capacity_value, capacity_unit, status} ],
     "policy": {title, doc_number, issuer, written_date, published_date, validity,
                responsible_units, targets: [fact indexes]} | null}

Conventions (mirroring ``parkwatch.extract.facts``): values in base units (亿元 ×1e8 CNY, 万元 ×1e4,
万吨 ×1e4 t, 亿千瓦时 ×1e8 kWh, 万元/亩 → CNY/mu); growth and pp changes signed (下降 → negative);
``raw`` is the quantity as written ("8.36亿元", "9.1%", "1.4个百分点", "512户"); ``approx`` the
marker as written (超过/突破/约/近/余/以上 …) or null; periods: 1-6月 / 截至6月末 / 上半年 →
(Y-01-01, Y-06-30), 一季度 → Q1, 前三季度 → Jan–Sep, 2024年 / 到2025年 → the calendar year,
目前 → (null, publication date); ``part_of`` is the index (in ``facts``) of the total an exhaustive
其中 part belongs to, else null. ``indicator_text`` is the subject as written.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal, Protocol

from .model import Article, Column, SiteContent

FAMILIES = ("trs", "generic", "hanweb", "vsb", "newsportal")
FIRST_INDEX = 10  # generated sites live on 127.0.1.10 and up
MAX_SITES = 244

_CITY1 = {
    "云": "yun",
    "枫": "feng",
    "柳": "liu",
    "榆": "yu",
    "岚": "lan",
    "泓": "hong",
    "鹿": "lu",
    "翠": "cui",
    "宁": "ning",
    "瑞": "rui",
    "泽": "ze",
    "松": "song",
    "桂": "gui",
    "梧": "wu",
    "槐": "huai",
    "芦": "lu",
    "杉": "shan",
    "棠": "tang",
    "溱": "qin",
    "沅": "yuan",
}
_CITY2 = {
    "川": "chuan",
    "河": "he",
    "江": "jiang",
    "湖": "hu",
    "山": "shan",
    "阳": "yang",
    "岭": "ling",
    "原": "yuan",
    "州": "zhou",
    "溪": "xi",
    "峰": "feng",
    "浦": "pu",
    "城": "cheng",
    "平": "ping",
    "林": "lin",
}
_PROVINCES = (
    "江苏省",
    "浙江省",
    "安徽省",
    "江西省",
    "山东省",
    "河南省",
    "湖北省",
    "湖南省",
    "四川省",
    "陕西省",
    "河北省",
    "福建省",
    "广西壮族自治区",
    "内蒙古自治区",
)
_INDUSTRIES = (
    "新材料",
    "电子信息",
    "生物医药",
    "高端装备",
    "新能源",
    "精细化工",
    "汽车零部件",
    "智能制造",
    "绿色食品",
    "现代纺织",
    "节能环保",
    "数字经济",
)
_DEPTS = (
    "经济发展局",
    "财政金融局",
    "科技创新局",
    "投资促进局",
    "行政审批局",
    "自然资源和规划分局",
    "生态环境分局",
    "市场监管分局",
    "社会事务局",
    "建设管理局",
    "应急管理局",
    "人力资源服务中心",
)
_PRODUCTS = (
    ("高性能锂电正极材料", "万吨"),
    ("电子级化学品", "万吨"),
    ("生物基聚酯材料", "万吨"),
    ("高端铝箔", "万吨"),
    ("特种钢材", "万吨"),
    ("可降解塑料", "万吨"),
    ("电池级碳酸锂", "万吨"),
    ("高纯多晶硅", "万吨"),
    ("再生纤维", "万吨"),
    ("功能性薄膜", "万吨"),
)
_COMPANY_TAIL = (
    "新材料有限公司",
    "科技股份有限公司",
    "化工有限公司",
    "电子材料有限公司",
    "能源科技有限公司",
    "实业有限公司",
    "新能源有限公司",
    "精密制造有限公司",
)
_COMPANY_MID = ("华", "恒", "锐", "鑫", "嘉", "瀚", "盛", "宏", "联", "景", "晟", "润")

D = Decimal


def q(x: float | Decimal, places: int) -> Decimal:
    return D(str(x)).quantize(D(1).scaleb(-places), rounding=ROUND_HALF_UP)


def fmt(x: Decimal) -> str:
    return format(x, "f")


def _end_of(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


@dataclass
class Period:
    phrase: str  # as written in the sentence
    start: str | None
    end: str | None
    month: int  # last month covered (for scaling year-to-date figures)
    year: int


@dataclass
class Doc:
    """Accumulates the sentences and facts of one generated page."""

    path: str = ""
    lines: list[str] = field(default_factory=list)
    facts: list[dict] = field(default_factory=list)
    projects: list[dict] = field(default_factory=list)

    def fact(
        self,
        sentence: str,
        text: str,
        code: str,
        measure: str,
        value: Decimal | int,
        unit: str,
        raw: str,
        period: Period | None,
        approx: str | None = None,
        is_target: bool = False,
        part_of: int | None = None,
    ) -> int:
        self.facts.append(
            {
                "doc": self.path,
                "indicator_text": text,
                "indicator_code": code,
                "measure": measure,
                "value": float(value),
                "unit": unit,
                "raw": raw,
                "approx": approx,
                "is_target": is_target,
                "period_start": period.start if period else None,
                "period_end": period.end if period else None,
                "sentence": sentence,
                "part_of": part_of,
            }
        )
        return len(self.facts) - 1


# ------------------------------------------------------------------------------------ facts
# Each writer appends one sentence (and its facts) to doc. A pending "fact" is a tuple
# (text, code, measure, value, unit, raw, approx, is_target, part_of-marker) resolved once the sentence
# is final; the part_of marker is the indicator code of the total the part belongs to.
PendingFact = tuple[str, str, str, Decimal | int, str, str, str | None, bool, str | None]


class Writer:
    def __init__(self, rng: random.Random, park: dict, doc: Doc, period: Period):
        self.rng, self.park, self.doc, self.p = rng, park, doc, period
        self.scale = D(period.month) / D(12)

    # quantity helpers: return (raw, value, unit)
    def yi(self, x: Decimal) -> tuple[str, Decimal, str]:
        return f"{fmt(x)}亿元", x * D(10) ** 8, "CNY"

    def wan(self, x: Decimal) -> tuple[str, Decimal, str]:
        return f"{fmt(x)}万元", x * D(10) ** 4, "CNY"

    def pct(self, x: Decimal) -> str:
        return f"{fmt(x)}%"

    def g(self, lo=2.0, hi=16.0) -> Decimal:
        return q(self.rng.uniform(lo, hi), 1)

    def emit(
        self, sentence: str, pending: Sequence[PendingFact], period: Period | Literal["same"] | None = "same"
    ) -> None:
        per = self.p if period == "same" else period
        self.doc.lines.append(sentence)
        index_of: dict[str, int] = {}
        for item in pending:
            text, code, measure, value, unit, raw, approx, target, part = item
            i = self.doc.fact(
                sentence,
                text,
                code,
                measure,
                value,
                unit,
                raw,
                per,
                approx,
                target,
                index_of.get(part) if part else None,
            )
            index_of.setdefault(code, i)

    # ------------------------------------------------------------------ templates
    def fiscal(self) -> None:
        base = self.park["fiscal_budget"]
        total = q(base * self.scale * D(str(self.rng.uniform(0.96, 1.08))), 2)
        done = q(total / base * 100, 1)
        gr = self.g(1.5, 11)
        variant = self.rng.randrange(5)
        if variant in (0, 1):
            s, items = self._fiscal_against_budget(variant, total, done, gr)
        elif variant == 3:
            s, items = self._fiscal_tax_split(total)
        else:
            s, items = self._fiscal_growth(variant, total, gr)
        self.emit(s, items)

    def _fiscal_against_budget(
        self, variant: int, total: Decimal, done: Decimal, gr: Decimal
    ) -> tuple[str, list[PendingFact]]:
        """Revenue, its growth and the share of the annual budget reached (fiscal variants 0 and 1)."""
        P, S = self.p.phrase, self.park["short"]
        raw_a, v_a, u = self.yi(total)
        if variant == 0:
            s = f"{P},{S}完成财政收入{raw_a},完成年度预算的{done}%,同比增长{gr}%。"
            return s, [
                ("财政收入", "fiscal_revenue", "amount", v_a, u, raw_a, None, False, None),
                self._budget_completion("财政收入", "fiscal_revenue_budget_completion", done),
                ("财政收入", "fiscal_revenue", "growth_pct", gr, "%", self.pct(gr), None, False, None),
            ]
        s = f"{P}全区实现一般公共预算收入{raw_a},同比增长{gr}%,完成年度预算的{done}%。"
        return s, [
            ("一般公共预算收入", "general_budget_revenue", "amount", v_a, u, raw_a, None, False, None),
            ("一般公共预算收入", "general_budget_revenue", "growth_pct", gr, "%", self.pct(gr), None, False, None),
            self._budget_completion("一般公共预算收入", "general_budget_revenue_budget_completion", done),
        ]

    def _budget_completion(self, text: str, code: str, done: Decimal) -> PendingFact:
        return (text, code, "share_pct", done, "%", self.pct(done), None, False, None)

    def _fiscal_tax_split(self, total: Decimal) -> tuple[str, list[PendingFact]]:
        """Budget revenue split into tax and non-tax revenue (fiscal variant 3)."""
        raw_a, v_a, u = self.yi(total)
        tax = q(total * D(str(self.rng.uniform(0.72, 0.88))), 2)
        non = total - tax
        rt, vt, _ = self.yi(tax)
        rn, vn, _ = self.yi(non)
        s = f"{self.p.phrase},一般公共预算收入完成{raw_a},其中税收收入{rt},非税收入{rn}。"
        return s, [
            ("一般公共预算收入", "general_budget_revenue", "amount", v_a, u, raw_a, None, False, None),
            ("税收收入", "tax_revenue", "amount", vt, u, rt, None, False, "general_budget_revenue"),
            ("非税收入", "non_tax_revenue", "amount", vn, u, rn, None, False, "general_budget_revenue"),
        ]

    def _fiscal_growth(self, variant: int, total: Decimal, gr: Decimal) -> tuple[str, list[PendingFact]]:
        """Revenue and its growth, variant 2 sometimes falling (fiscal variants 2 and 4)."""
        P, S = self.p.phrase, self.park["short"]
        raw_a, v_a, u = self.yi(total)
        if variant == 2:
            down = self.rng.random() < 0.25
            word = "下降" if down else "增长"
            s = f"财政收入运行平稳。{P},累计完成财政收入{raw_a},同比{word}{gr}%。"
            return s, [
                ("财政收入", "fiscal_revenue", "amount", v_a, u, raw_a, None, False, None),
                ("财政收入", "fiscal_revenue", "growth_pct", -gr if down else gr, "%", self.pct(gr), None, False, None),
            ]
        s = f"{P}{S}财政收入达到{raw_a},增幅{gr}%,收入总量保持全市前列。"
        return s, [
            ("财政收入", "fiscal_revenue", "amount", v_a, u, raw_a, None, False, None),
            ("财政收入", "fiscal_revenue", "growth_pct", gr, "%", self.pct(gr), None, False, None),
        ]

    def industry_va(self) -> None:
        gr, d = self.g(3, 14), self.g(0.3, 3.5)
        P = self.p.phrase
        variant = self.rng.randrange(4)
        if variant == 0:
            s = f"{P},规模以上工业增加值同比增长{gr}%,增速较上年同期提高{d}个百分点。"
            items = [
                ("规模以上工业增加值", "industrial_va", "growth_pct", gr, "%", self.pct(gr), None, False, None),
                ("规模以上工业增加值", "industrial_va", "pp_change", d, "pp", f"{d}个百分点", None, False, None),
            ]
        elif variant == 1:
            s = f"{P}规上工业增加值增长{gr}%,高于全市平均水平{d}个百分点。"
            items = [
                ("规上工业增加值", "industrial_va", "growth_pct", gr, "%", self.pct(gr), None, False, None),
                ("规上工业增加值", "industrial_va", "pp_change", d, "pp", f"{d}个百分点", None, False, None),
            ]
        elif variant == 2:
            s = f"工业生产较快增长。{P},全区规上工业增加值同比增长{gr}%。"
            items = [("规上工业增加值", "industrial_va", "growth_pct", gr, "%", self.pct(gr), None, False, None)]
        else:
            s = f"{P},规模以上工业增加值同比增长{gr}%,增速比上年同期回落{d}个百分点。"
            items = [
                ("规模以上工业增加值", "industrial_va", "growth_pct", gr, "%", self.pct(gr), None, False, None),
                ("规模以上工业增加值", "industrial_va", "pp_change", -d, "pp", f"{d}个百分点", None, False, None),
            ]
        self.emit(s, items)

    def industry_output(self) -> None:
        total = q(self.park["output"] * self.scale * D(str(self.rng.uniform(0.95, 1.1))), 2)
        gr = self.g(2, 15)
        raw, v, u = self.yi(total)
        P = self.p.phrase
        if self.rng.random() < 0.5:
            s = f"{P}完成规上工业总产值{raw},同比增长{gr}%。"
            items: list[PendingFact] = [
                ("规上工业总产值", "industrial_output", "amount", v, u, raw, None, False, None),
                ("规上工业总产值", "industrial_output", "growth_pct", gr, "%", self.pct(gr), None, False, None),
            ]
        else:
            inds = self.park["industries"]
            shares = [D(str(self.rng.uniform(0.3, 0.45))), D(str(self.rng.uniform(0.2, 0.3)))]
            a = q(total * shares[0], 2)
            b = q(total * shares[1], 2)
            c = total - a - b
            ra, va, _ = self.yi(a)
            rb, vb, _ = self.yi(b)
            rc, vc, _ = self.yi(c)
            s = (
                f"{P},规模以上工业总产值达到{raw},同比增长{gr}%,其中{inds[0]}产业{ra}、"
                f"{inds[1]}产业{rb}、其他产业{rc}。"
            )
            items = [
                ("规模以上工业总产值", "industrial_output", "amount", v, u, raw, None, False, None),
                ("规模以上工业总产值", "industrial_output", "growth_pct", gr, "%", self.pct(gr), None, False, None),
                (f"{inds[0]}产业", "industrial_output_part", "amount", va, u, ra, None, False, "industrial_output"),
                (f"{inds[1]}产业", "industrial_output_part", "amount", vb, u, rb, None, False, "industrial_output"),
                ("其他产业", "industrial_output_part", "amount", vc, u, rc, None, False, "industrial_output"),
            ]
        self.emit(s, items)

    def investment(self) -> None:
        total = q(self.park["fai"] * self.scale * D(str(self.rng.uniform(0.9, 1.1))), 2)
        ind = q(total * D(str(self.rng.uniform(0.45, 0.7))), 2)
        g1, g2 = self.g(-4, 18), self.g(2, 22)
        raw, v, u = self.yi(total)
        ri, vi, _ = self.yi(ind)
        word = "下降" if g1 < 0 else "增长"
        s = f"{self.p.phrase},完成固定资产投资{raw},同比{word}{abs(g1)}%;其中工业投资{ri},同比增长{g2}%。"
        items = [
            ("固定资产投资", "fixed_asset_investment", "amount", v, u, raw, None, False, None),
            ("固定资产投资", "fixed_asset_investment", "growth_pct", g1, "%", self.pct(abs(g1)), None, False, None),
            ("工业投资", "industrial_investment", "amount", vi, u, ri, None, False, None),
            ("工业投资", "industrial_investment", "growth_pct", g2, "%", self.pct(g2), None, False, None),
        ]
        self.emit(s, items)

    def entities(self) -> None:
        firms = int(self.park["entities"] * float(self.scale) * self.rng.uniform(0.25, 0.35))
        indiv = int(self.park["entities"] * float(self.scale) * self.rng.uniform(0.6, 0.75))
        total = firms + indiv
        P = self.p.phrase
        variant = self.rng.randrange(3)
        if variant == 0:
            s = f"{P}新增市场主体{total}户,其中企业{firms}户、个体工商户{indiv}户。"
            text = "新增市场主体"
        elif variant == 1:
            s = f"{P},全区新登记市场主体{total}户,其中企业{firms}户,个体工商户{indiv}户。"
            text = "新登记市场主体"
        else:
            s = f"市场活力持续释放,{P}新增各类市场主体{total}户(企业{firms}户、个体工商户{indiv}户)。"
            text = "新增各类市场主体"
        items = [
            (text, "new_market_entities", "count", total, "count", f"{total}户", None, False, None),
            (
                "企业",
                "new_market_entities_firms",
                "count",
                firms,
                "count",
                f"{firms}户",
                None,
                False,
                "new_market_entities",
            ),
            (
                "个体工商户",
                "new_market_entities_individual",
                "count",
                indiv,
                "count",
                f"{indiv}户",
                None,
                False,
                "new_market_entities",
            ),
        ]
        self.emit(s, items)

    def hitech(self) -> None:
        n = self.park["hitech"] + self.rng.randrange(0, 6)
        share = q(self.rng.uniform(18, 60), 1)
        S = self.park["short"]
        if self.rng.random() < 0.5:
            s = f"目前,{S}有效期内高新技术企业{n}家,占全市总量的{share}%。"
            now = Period("目前", None, self.doc_pub, self.p.month, self.p.year)
            self.emit(
                s,
                [
                    ("高新技术企业", "hitech_enterprises", "count", n, "count", f"{n}家", None, False, None),
                    (
                        "高新技术企业",
                        "hitech_enterprises_share_city",
                        "share_pct",
                        share,
                        "%",
                        self.pct(share),
                        None,
                        False,
                        None,
                    ),
                ],
                period=now,
            )
        else:
            new = self.rng.randrange(3, 25)
            s = f"{self.p.phrase}新增高新技术企业{new}家,累计达到{n}家。"
            self.emit(
                s,
                [
                    (
                        "新增高新技术企业",
                        "hitech_enterprises_new",
                        "count",
                        new,
                        "count",
                        f"{new}家",
                        None,
                        False,
                        None,
                    ),
                    ("高新技术企业", "hitech_enterprises", "count", n, "count", f"{n}家", None, False, None),
                ],
            )

    def projects(self) -> None:
        new = self.rng.randrange(5, 25)
        cont = self.rng.randrange(8, 30)
        n = new + cont
        done = q(self.park["fai"] * self.scale * D(str(self.rng.uniform(0.5, 0.8))), 2)
        raw, v, u = self.yi(done)
        P = self.p.phrase
        if self.rng.random() < 0.5:
            s = f"{P}开复工项目{n}个,其中新开工项目{new}个、续建项目{cont}个,完成投资{raw}。"
            items: list[PendingFact] = [
                ("开复工项目", "projects_started", "count", n, "count", f"{n}个", None, False, None),
                ("新开工项目", "projects_new", "count", new, "count", f"{new}个", None, False, "projects_started"),
                (
                    "续建项目",
                    "projects_continued",
                    "count",
                    cont,
                    "count",
                    f"{cont}个",
                    None,
                    False,
                    "projects_started",
                ),
                ("完成投资", "project_investment_done", "amount", v, u, raw, None, False, None),
            ]
        else:
            planned = n + self.rng.randrange(3, 15)
            rate = q(D(n) / D(planned) * 100, 1)
            s = f"全区实施重点项目{planned}个,{P}开复工{n}个,开复工率{rate}%,完成投资{raw}。"
            items = [
                ("重点项目", "key_projects", "count", planned, "count", f"{planned}个", None, False, None),
                ("开复工", "projects_started", "count", n, "count", f"{n}个", None, False, None),
                ("开复工率", "projects_started_rate", "share_pct", rate, "%", self.pct(rate), None, False, None),
                ("完成投资", "project_investment_done", "amount", v, u, raw, None, False, None),
            ]
        self.emit(s, items)

    def trade(self) -> None:
        exp = q(self.park["trade"] * self.scale * D(str(self.rng.uniform(0.55, 0.7))), 2)
        imp = q(self.park["trade"] * self.scale * D(str(self.rng.uniform(0.25, 0.4))), 2)
        total = exp + imp
        gr = self.g(-6, 25)
        raw, v, u = self.yi(total)
        re_, ve, _ = self.yi(exp)
        ri, vi, _ = self.yi(imp)
        word = "下降" if gr < 0 else "增长"
        s = f"{self.p.phrase}实现外贸进出口总额{raw},同比{word}{abs(gr)}%,其中出口{re_}、进口{ri}。"
        self.emit(
            s,
            [
                ("外贸进出口总额", "foreign_trade", "amount", v, u, raw, None, False, None),
                ("外贸进出口总额", "foreign_trade", "growth_pct", gr, "%", self.pct(abs(gr)), None, False, None),
                ("出口", "exports", "amount", ve, u, re_, None, False, "foreign_trade"),
                ("进口", "imports", "amount", vi, u, ri, None, False, "foreign_trade"),
            ],
        )

    def subsidies(self) -> None:
        parts = [q(self.rng.uniform(80, 1500), 2) for _ in range(3)]
        total = sum(parts, D(0))  # a Decimal start: the same value as sum()'s int 0, and typed Decimal
        raws = [self.wan(x) for x in parts]
        rt, vt, u = self.wan(total)
        if self.rng.random() < 0.5:
            names = ("技术改造补助", "研发奖补", "稳岗返还")
            s = f"{self.p.phrase}累计兑现惠企资金{rt},其中{names[0]}{raws[0][0]}、{names[1]}{raws[1][0]}、{names[2]}{raws[2][0]}。"
            text, code = "惠企资金", "business_subsidies"
        else:
            names = ("高龄津贴", "临时救助", "就业补贴")
            s = f"{self.p.phrase}发放各类民生补贴{rt},其中{names[0]}{raws[0][0]}、{names[1]}{raws[1][0]}、{names[2]}{raws[2][0]}。"
            text, code = "民生补贴", "welfare_subsidies"
        items: list[PendingFact] = [(text, code, "amount", vt, u, rt, None, False, None)]
        items += [
            (nm, code + "_part", "amount", r[1], u, r[0], None, False, code) for nm, r in zip(names, raws, strict=True)
        ]
        self.emit(s, items)

    def electricity(self) -> None:
        x = q(self.park["power"] * self.scale * D(str(self.rng.uniform(0.9, 1.1))), 2)
        gr = self.g(1, 14)
        s = f"{self.p.phrase},全区工业用电量{fmt(x)}亿千瓦时,同比增长{gr}%。"
        self.emit(
            s,
            [
                (
                    "工业用电量",
                    "industrial_power",
                    "amount",
                    x * D(10) ** 8,
                    "kWh",
                    f"{fmt(x)}亿千瓦时",
                    None,
                    False,
                    None,
                ),
                ("工业用电量", "industrial_power", "growth_pct", gr, "%", self.pct(gr), None, False, None),
            ],
        )

    def products(self) -> None:
        up, down, flat = self.rng.randrange(12, 30), self.rng.randrange(4, 18), self.rng.randrange(1, 6)
        n = up + down + flat
        s = f"重点监测的{n}种工业产品中,产量同比增长的{up}种、下降的{down}种、持平的{flat}种。"
        self.emit(
            s,
            [
                ("重点监测工业产品", "monitored_products", "count", n, "count", f"{n}种", None, False, None),
                (
                    "产量同比增长",
                    "monitored_products_up",
                    "count",
                    up,
                    "count",
                    f"{up}种",
                    None,
                    False,
                    "monitored_products",
                ),
                (
                    "下降",
                    "monitored_products_down",
                    "count",
                    down,
                    "count",
                    f"{down}种",
                    None,
                    False,
                    "monitored_products",
                ),
                (
                    "持平",
                    "monitored_products_flat",
                    "count",
                    flat,
                    "count",
                    f"{flat}种",
                    None,
                    False,
                    "monitored_products",
                ),
            ],
        )

    def shares(self) -> None:
        inds = self.park["industries"]
        cuts = sorted(self.rng.sample(range(50, 950), 3))
        vals = [D(cuts[0]), D(cuts[1] - cuts[0]), D(cuts[2] - cuts[1]), D(1000 - cuts[2])]
        vals = [x / 10 for x in vals]
        s = (
            f"{inds[0]}、{inds[1]}、{inds[2]}和其他产业产值占规上工业总产值的比重分别为"
            f"{fmt(vals[0])}%、{fmt(vals[1])}%、{fmt(vals[2])}%和{fmt(vals[3])}%。"
        )
        names = [f"{inds[0]}", f"{inds[1]}", f"{inds[2]}", "其他产业"]
        self.emit(
            s,
            [
                (nm, "industry_share", "share_pct", x, "%", f"{fmt(x)}%", None, False, None)
                for nm, x in zip(names, vals, strict=True)
            ],
        )

    def approx(self) -> None:
        variant = self.rng.randrange(3)
        if variant == 0:
            n = self.rng.randrange(2, 9) * 10
            s = f"组织{n}余家企业参加研发费用归集专题培训。"
            items = [("企业", "trained_firms", "count", n, "count", f"{n}余家", "余", False, None)]
            self.emit(s, items, period=None)
        elif variant == 1:
            x = q(self.rng.uniform(10, 90), 1)
            raw, v, u = self.yi(x)
            s = f"{self.p.phrase}新签约项目协议投资额超过{raw}。"
            self.emit(s, [("协议投资额", "signed_investment", "amount", v, u, f"超过{raw}", "超过", False, None)])
        else:
            n = self.rng.randrange(3, 20) * 100
            s = f"各类招聘活动提供就业岗位近{n}个。"
            self.emit(
                s, [("就业岗位", "jobs_offered", "count", n, "count", f"近{n}个", "近", False, None)], period=None
            )

    ALL = (
        "fiscal",
        "industry_va",
        "industry_output",
        "investment",
        "entities",
        "hitech",
        "projects",
        "trade",
        "subsidies",
        "electricity",
        "products",
        "shares",
        "approx",
    )

    doc_pub: str = ""


# ------------------------------------------------------------------------------------ periods


def report_period(pub: dt.date, rng: random.Random) -> Period:
    """The year-to-date period a page published on ``pub`` reports, phrased one of several ways."""
    if pub.month == 1:
        y, m = pub.year - 1, 12
    else:
        y, m = pub.year, pub.month - 1
    start, end = f"{y}-01-01", _end_of(y, m).isoformat()
    options = [f"1-{m}月", f"1—{m}月", f"截至{m}月末", f"截至{m}月底", f"{y}年1-{m}月"]
    if m == 3:
        options += ["一季度", f"{y}年一季度"]
    if m == 6:
        options += ["上半年", f"{y}年上半年"]
    if m == 9:
        options += ["前三季度"]
    if m == 12:
        options = [f"{y}年", f"{y}年全年", f"{y}年1-12月"]
    if m == 1:
        options = ["1月份", f"{y}年1月"]
    return Period(rng.choice(options), start, end, m, y)


# ------------------------------------------------------------------------------------ documents


def _park(rng: random.Random, index: int, used: set[str]) -> dict:
    while True:
        c1, c2 = rng.choice(list(_CITY1)), rng.choice(list(_CITY2))
        kind = rng.choice(("hitech", "etdz"))
        pid = f"{_CITY1[c1]}{_CITY2[c2]}-{kind}"
        if pid not in used and pid not in ("qingchuan-hitech", "jinhe-etdz", "tongjiang-hitech"):
            used.add(pid)
            break
    city = c1 + c2
    if kind == "hitech":
        name, short, authority = f"{city}高新技术产业开发区", f"{city}高新区", f"{city}高新技术产业开发区管理委员会"
        abbr = f"{c1}高新管"
    else:
        name, short, authority = f"{city}经济技术开发区", f"{city}经开区", f"{city}经济技术开发区管理委员会"
        abbr = f"{c1}经开管"
    scale = rng.uniform(0.4, 3.0)
    return {
        "id": pid,
        "name": name,
        "short_name": short,
        "short": short,
        "authority": authority,
        "abbr": abbr,
        "kind": kind,
        "city": f"{city}市",
        "province": rng.choice(_PROVINCES),
        "level": rng.choice(("national", "provincial", "provincial")),
        "aliases": [name, short],
        "industries": rng.sample(_INDUSTRIES, 3),
        "fiscal_budget": q(12 * scale, 2),
        "output": q(300 * scale, 2),
        "fai": q(110 * scale, 2),
        "trade": q(30 * scale, 2),
        "power": q(18 * scale, 2),
        "entities": int(1100 * scale),
        "hitech": int(20 + 30 * scale),
        "host_index": FIRST_INDEX + index,
    }


def _bulletin(rng: random.Random, park: dict, doc: Doc, pub: dt.date, issue: int) -> tuple[str, str]:
    period = report_period(pub, rng)
    w = Writer(rng, park, doc, period)
    w.doc_pub = pub.isoformat()
    kind_name = rng.choice(("工作简报", "示范区信息", "经济运行简报", "园区信息"))
    title = rng.choice(
        (
            f"{park['short']}{kind_name}({pub.year}年第{issue}期)",
            f"{park['short']}{kind_name} {pub.year}年第{issue}期",
            f"{kind_name}〔{pub.year}〕第{issue}期",
        )
    )
    header = [f"# {park['short']}{kind_name}", f"# {pub.year}年第{issue}期"]
    picks = rng.sample(Writer.ALL, k=rng.randrange(5, 9))
    main, rest = picks[: len(picks) // 2 + 1], picks[len(picks) // 2 + 1 :]
    doc.lines += [*header, "【主要指标】"]
    for name in main:
        getattr(w, name)()
    doc.lines.append("【重点工作】")
    for name in rest:
        getattr(w, name)()
    doc.lines.append("【工作动态】")
    dept = rng.choice(_DEPTS)
    doc.lines.append(f"{dept}组织开展“企业服务月”活动,走访重点企业,现场协调解决生产经营中的困难和问题。")
    return title, park["short"] + rng.choice(_DEPTS)


def _company(rng: random.Random, park: dict) -> str:
    return park["short"][:2] + rng.choice(_COMPANY_MID) + rng.choice(_COMPANY_MID) + rng.choice(_COMPANY_TAIL)


def _news(rng: random.Random, park: dict, doc: Doc, pub: dt.date) -> tuple[str, str]:
    product, unit_word = rng.choice(_PRODUCTS)
    cap = rng.choice((1, 2, 3, 5, 6, 8, 10, 12, 15, 20, 30))
    inv = q(rng.uniform(3, 60), 1 if rng.random() < 0.6 else 0)
    company = _company(rng, park)
    status, verb = rng.choice((("开工", "开工建设"), ("投产", "正式投产"), ("签约", "签约落户"), ("在建", "加快建设")))
    name = f"年产{cap}{unit_word}{product}项目"
    S = park["short"]
    day = pub - dt.timedelta(days=1)
    title = rng.choice((f"总投资{fmt(inv)}亿元!{name}在{S}{verb}", f"{S}{name}{verb}", f"{company}{name}{verb}"))
    inv_raw = f"{fmt(inv)}亿元"
    cap_raw = f"{cap}{unit_word}"
    lead = rng.choice(
        (
            f"{day.month}月{day.day}日,{company}{name}在{S}{verb}。",
            f"日前,由{company}投资建设的{name}在{S}{verb}。",
            f"记者从{S}获悉,{company}{name}近日{verb}。",
        )
    )
    doc.lines.append(lead)
    s = rng.choice(
        (
            f"项目总投资{inv_raw},建成后可年产{product}{cap_raw}。",
            f"该项目总投资{inv_raw},设计产能为年产{cap_raw}{product}。",
            f"据介绍,项目计划总投资{inv_raw},全部建成后将形成年产{cap_raw}{product}的生产能力。",
        )
    )
    doc.lines.append(s)
    doc.fact(s, "总投资", "project_investment", "amount", inv * D(10) ** 8, "CNY", inv_raw, None)
    doc.fact(s, "年产", "project_capacity", "amount", D(cap) * D(10) ** 4, "t", cap_raw, None)
    doc.projects.append(
        {
            "name": name,
            "company": company,
            "investment_cny": float(inv * D(10) ** 8),
            "capacity_value": float(D(cap) * D(10) ** 4),
            "capacity_unit": "t/yr",
            "status": status,
        }
    )
    period = report_period(pub, rng)
    w = Writer(rng, park, doc, period)
    w.doc_pub = pub.isoformat()
    for name_ in rng.sample(("projects", "investment", "industry_va", "fiscal", "approx"), k=2):
        getattr(w, name_)()
    doc.lines.append(
        rng.choice(
            (
                f"下一步,{S}将持续优化营商环境,推动更多项目早开工、早投产、早见效。",
                f"{S}相关负责人表示,将为项目建设提供全流程服务保障。",
            )
        )
    )
    return title, rng.choice((park["short"] + "融媒体中心", park["short"] + "投资促进局", park["city"][:-1] + "日报"))


_POLICY_TOPICS = (
    "加快推进{ind}产业高质量发展",
    "支持{ind}产业集群发展",
    "促进科技创新",
    "推动制造业数字化转型",
    "进一步优化营商环境",
    "加快培育专精特新企业",
    "推动绿色低碳发展",
    "支持企业上市融资",
)
_POLICY_KINDS = ("实施意见", "若干措施", "行动方案", "若干政策")


def _policy(rng: random.Random, park: dict, doc: Doc, pub: dt.date, number: int) -> tuple[str, tuple, dict]:
    """A policy document: header, numbered targets (the truth facts), tasks with responsible units,
    closing clause; returns its title, metadata table and truth record. The rng is drawn in a fixed
    order (title, dates, targets, tasks, metadata): same seed, same portal."""
    ind = park["industries"][0]
    topic = rng.choice(_POLICY_TOPICS).format(ind=ind)
    kind = rng.choice(_POLICY_KINDS)
    title = f"{park['authority']}关于{topic}的{kind}"
    written = max(pub - dt.timedelta(days=rng.randrange(2, 12)), dt.date(2024, 1, 1))
    docno = f"{park['abbr']}发〔{written.year}〕{number}号"
    ty = rng.choice((pub.year + 1, pub.year + 2, 2027)) if pub.year < 2027 else pub.year + 1
    doc.lines += [
        f"# {park['authority']}",
        f"# 关于{topic}的{kind}",
        "各部门、各园区、驻区各单位:",
        f"为加快{topic},结合{park['short']}实际,制定本{kind}。",
        "一、发展目标",
    ]
    targets = _policy_targets(rng, doc, ind, ty)
    units_all = _policy_tasks(rng, doc)
    doc.lines.append("三、附则")
    doc.lines.append(f"本{kind}自发布之日起施行,由{park['short']}{_DEPTS[0]}负责解释。")
    meta = _policy_meta(rng, park, pub, written, docno)
    policy = {
        "title": title,
        "doc_number": docno,
        "issuer": park["authority"],
        "written_date": written.isoformat(),
        "published_date": pub.isoformat(),
        "validity": "有效",
        "responsible_units": sorted({u for us in units_all for u in us}),
        "targets": targets,
    }
    return title, meta, policy


def _policy_targets(rng: random.Random, doc: Doc, ind: str, ty: int) -> list:
    """Three to five target sentences for year ``ty``, each a truth fact."""
    tperiod = Period(f"到{ty}年", f"{ty}-01-01", f"{ty}-12-31", 12, ty)
    targets = []
    templates = rng.sample(range(8), k=rng.randrange(3, 6))
    for t in templates:
        s, items = _target_sentence(rng, t, ind, ty)
        doc.lines.append(s)
        for text, code, measure, value, unit, raw, approx in items:
            targets.append(doc.fact(s, text, code, measure, value, unit, raw, tperiod, approx, True))
    return targets


def _target_sentence(rng: random.Random, t: int, ind: str, ty: int) -> tuple[str, list[tuple]]:
    """Target template ``t``: its sentence and the facts it states."""
    if t == 0:
        x = q(rng.uniform(100, 900), 0)
        return f"到{ty}年,{ind}产业营业收入突破{fmt(x)}亿元。", [
            (f"{ind}产业营业收入", "industry_revenue", "amount", x * D(10) ** 8, "CNY", f"突破{fmt(x)}亿元", "突破")
        ]
    if t == 1:
        n = rng.randrange(30, 200)
        return f"到{ty}年底,全区高新技术企业达到{n}家。", [
            ("高新技术企业", "hitech_enterprises", "count", n, "count", f"{n}家", None)
        ]
    if t == 2:
        x = q(rng.uniform(1.5, 5), 1)
        return f"到{ty}年,全社会研发经费投入强度达到{fmt(x)}%。", [
            ("研发经费投入强度", "rd_intensity", "share_pct", x, "%", f"{fmt(x)}%", None)
        ]
    if t == 3:
        n = rng.randrange(5, 40)
        return f"到{ty}年,新增省级专精特新中小企业{n}家。", [
            ("新增省级专精特新中小企业", "srdi_smes_new", "count", n, "count", f"{n}家", None)
        ]
    if t == 4:
        x = q(rng.uniform(8, 20), 0)
        return f"到{ty}年,单位工业增加值能耗比2020年下降{fmt(x)}%。", [
            ("单位工业增加值能耗", "energy_intensity", "growth_pct", -x, "%", f"{fmt(x)}%", None)
        ]
    if t == 5:
        x = q(rng.uniform(40, 75), 0)
        return f"力争到{ty}年,{ind}产业产值占规上工业总产值的比重达到{fmt(x)}%以上。", [
            (f"{ind}产业产值", "industry_share", "share_pct", x, "%", f"{fmt(x)}%以上", "以上")
        ]
    if t == 6:
        x = q(rng.uniform(15, 60), 0)
        return f"到{ty}年,亩均税收达到{fmt(x)}万元。", [
            ("亩均税收", "tax_per_mu", "amount", x * D(10) ** 4, "CNY/mu", f"{fmt(x)}万元", None)
        ]
    x = q(rng.uniform(200, 1500), 0)
    return f"到{ty}年,规上工业总产值达到{fmt(x)}亿元以上。", [
        ("规上工业总产值", "industrial_output", "amount", x * D(10) ** 8, "CNY", f"{fmt(x)}亿元以上", "以上")
    ]


def _policy_tasks(rng: random.Random, doc: Doc) -> list[list[str]]:
    """Two to four key tasks; returns the responsible units of each."""
    doc.lines.append("二、重点任务")
    units_all = []
    for i in range(rng.randrange(2, 5)):
        units = rng.sample(_DEPTS, k=rng.randrange(1, 4))
        units_all.append(units)
        doc.lines.append(
            f"({'一二三四五'[i]}){rng.choice(('强化政策支持', '优化要素保障', '加强人才引育', '提升服务效能', '拓展应用场景'))}。"
            f"{rng.choice(('建立工作专班,定期调度推进', '完善奖补政策,加快资金兑现', '落实用地保障,推行标准地出让'))}。"
            f"(责任单位:{'、'.join(units)})"
        )
    return units_all


def _policy_meta(rng: random.Random, park: dict, pub: dt.date, written: dt.date, docno: str) -> tuple:
    """The metadata table a government policy page shows above the text."""
    return (
        ("索引号", f"{rng.randrange(10**8, 10**9)}/{pub.year}-{rng.randrange(1, 999):05d}"),
        ("主题分类", rng.choice(("工业、交通\\工业", "科技、教育\\科技", "综合政务\\其他"))),
        ("发文机构", park["authority"]),
        ("成文日期", written.isoformat()),
        ("发文字号", docno),
        ("发布日期", pub.isoformat()),
        ("有效性", "有效"),
    )


# ------------------------------------------------------------------------------------ sites


@dataclass
class GeneratedSite:
    content: SiteContent
    park: dict
    truth: dict[int, dict]


def _columns(family: str) -> tuple[Column, Column, Column]:
    if family == "trs":
        return (
            Column("jb", "工作简报", "bulletin"),
            Column("zcwj", "政策文件", "policy"),
            Column("xwdt", "新闻动态", "news"),
        )
    if family == "generic":
        return (
            Column("gzjb", "工作简报", "bulletin"),
            Column("zcwj", "政策文件", "policy"),
            Column("news", "园区新闻", "news"),
        )
    if family == "hanweb":
        return (
            Column("col2101", "工作简报", "bulletin"),
            Column("col2102", "政策文件", "policy"),
            Column("col2103", "园区动态", "news"),
        )
    if family == "vsb":
        return (
            Column("gzjb", "工作简报", "bulletin", code="1101"),
            Column("zcfg", "政策法规", "policy", code="1102"),
            Column("xwdt", "新闻动态", "news", code="1103"),
        )
    return Column("jb", "简报", "bulletin"), Column("zc", "政策", "policy"), Column("yqdt", "园区动态", "news")


class _PathScheme(Protocol):
    """The URL scheme of a CMS family whose paths follow from the article or column alone, read off
    the class without building a site."""

    def article_path(self, a: Article, /) -> str: ...

    def list_path(self, column: Column, /) -> str: ...


def _path_scheme(family: str) -> _PathScheme:
    """The site class of ``family`` as a :class:`_PathScheme`: every family but vsb, whose article
    paths need a site's column codes (callers spell vsb paths out themselves)."""
    from .cms.faulty import FaultySite
    from .cms.generic import GenericSite
    from .cms.hanweb import HanwebSite
    from .cms.newsportal import NewsPortalSite
    from .cms.trs import TrsSite

    schemes: dict[str, _PathScheme] = {
        "trs": TrsSite,
        "generic": GenericSite,
        "hanweb": HanwebSite,
        "newsportal": NewsPortalSite,
        "faulty": FaultySite,
    }
    return schemes[family]


def article_path(family: str, a: Article, columns: tuple[Column, ...]) -> str:
    if family == "vsb":
        code = next(c.code for c in columns if c.slug == a.column)
        return f"/info/{code}/{a.id}.htm"
    return _path_scheme(family).article_path(a)


def _site(index: int, pages: int, seed: int, used: set[str]) -> GeneratedSite:
    rng = random.Random(f"parkwatch-portal/{seed}/{index}")
    park = _park(rng, index, used)
    family = FAMILIES[index % len(FAMILIES)]
    cols = _columns(family)
    span = (dt.date(2025, 12, 31) - dt.date(2024, 1, 1)).days
    articles, truth = [], {}
    issues: dict[int, int] = {}
    policy_no = 0
    kinds = ["bulletin"] * 3 + ["policy"] * 2 + ["news"] * 5
    for i in range(pages):
        pub = dt.date(2024, 1, 1) + dt.timedelta(days=(i * span) // max(pages, 1) + rng.randrange(0, 2))
        pub = min(pub, dt.date(2025, 12, 31))
        kind = kinds[i % len(kinds)]
        col = next(c for c in cols if c.kind == kind)
        aid = 100000 + index * 10000 + i
        stamp = f"{pub.isoformat()} {rng.randrange(8, 19):02d}:{rng.randrange(0, 60):02d}"
        doc = Doc()
        meta: tuple = ()
        policy = None
        if kind == "bulletin":
            issues[pub.year] = issues.get(pub.year, 0) + 1
            title, source = _bulletin(rng, park, doc, pub, issues[pub.year])
        elif kind == "news":
            title, source = _news(rng, park, doc, pub)
        else:
            policy_no += 1
            title, meta, policy = _policy(rng, park, doc, pub, policy_no)
            source = park["short"] + _DEPTS[0]
        art = Article(
            id=aid,
            column=col.slug,
            published=stamp,
            title=title,
            source=source,
            body="\n".join(doc.lines) + "\n",
            meta=meta,
        )
        path = article_path(family, art, cols)
        for f in doc.facts:
            f["doc"] = path
        articles.append(art)
        truth[aid] = {
            "path": path,
            "kind": kind,
            "title": title,
            "published": stamp,
            "facts": doc.facts,
            "projects": doc.projects,
            "policy": policy,
        }
    content = _site_content(rng, park, family, cols, articles)
    park_rec = {k: park[k] for k in ("name", "short_name", "aliases", "level", "kind", "province", "city", "authority")}
    return GeneratedSite(content=content, park={"id": park["id"], **park_rec}, truth=truth)


def _site_content(
    rng: random.Random, park: dict, family: str, cols: tuple[Column, Column, Column], articles: list[Article]
) -> SiteContent:
    """The site around its pages; its contact details are drawn from ``rng`` after every page."""
    return SiteContent(
        id=park["id"],
        name=park["authority"] if family != "newsportal" else f"{park['short']}新闻网",
        park_id=park["id"],
        host_index=park["host_index"],
        cms=family,
        columns=cols,
        articles=tuple(articles),
        page_size=20,
        organizer=park["authority"],
        address=f"{park['city']}{park['short']}创新大道{rng.randrange(1, 300)}号",
        phone=f"0{rng.randrange(310, 999)}-{rng.randrange(10**7, 9 * 10**7)}",
        icp=f"ICP备{rng.randrange(10**7, 10**8)}号",
        intro=f"{park['name']}位于{park['city']},重点发展{'、'.join(park['industries'])}产业。",
    )


def generate(n_sites: int, pages_per_site: int, seed: int = 0) -> list[GeneratedSite]:
    """``n_sites`` fictional park sites with ``pages_per_site`` detail pages each (deterministic)."""
    if not 0 <= n_sites <= MAX_SITES:
        raise ValueError(f"n_sites must be between 0 and {MAX_SITES}")
    if pages_per_site < 1:
        raise ValueError("pages_per_site must be at least 1")
    used: set[str] = set()
    return [_site(i, pages_per_site, seed, used) for i in range(n_sites)]


def site_yaml(site: GeneratedSite, host_prefix: str = "127.0.1") -> str:
    """A sites/*.yaml entry (same schema as the hand-written ones) for a generated site."""
    lines = [
        f"id: {site.content.id}",
        f"name: {site.content.name}",
        f"parks: [{site.park['id']}]",
        f'base_url: "http://{host_prefix}.{site.content.host_index}:${{PARKWATCH_PORTAL_PORT:-8700}}/"',
        "cms: auto",
        f"encoding: {'null'}",
        "sections:",
    ]
    for col in site.content.columns:
        if site.content.cms == "vsb":
            start = f"{col.slug}.htm"
        else:
            start = _path_scheme(site.content.cms).list_path(col).lstrip("/")
        lines += [f"  - kind: {col.kind}", f'    start_urls: ["{start}"]']
    lines += [
        "limits: {max_pages: 5000, max_depth: 3}",
        "politeness: {concurrency: 4, delay_s: 0}",
        'allow_networks: ["127.0.0.0/8"]  # the portal lives on loopback',
        "",
    ]
    return "\n".join(lines)

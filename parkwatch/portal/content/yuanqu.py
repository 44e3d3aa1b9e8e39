"""园区经济观察网 (fictional regional news portal, GBK): stories about several parks, a page in
Traditional Chinese with pinyin glosses, pages declaring their charset in every usual (and one
wrong) way, and a main story with teasers about other parks underneath."""

from __future__ import annotations

from ..model import Article, Column, SiteContent
from . import yuanqu_trad

SITE_ID = "yuanqu-news"
NAME = "园区经济观察网"

COLUMNS = (Column("yqdt", "园区动态", "news"),)

TEASER_MAIN = Article(
    id=203817,
    column="yqdt",
    published="2024-07-22 09:15",
    title="半年看变化:金河经开区主要指标增速领跑全市",
    source="园区经济观察网",
    author="记者 孟凡 通讯员 许静",
    related=(203512, 203488, 203399),
    body="""\
园区经济观察网讯　上半年,金河经济技术开发区交出了一份亮眼的“半年答卷”:主要经济指标增速均高于全市平均水平。
看数据:上半年,金河经开区完成一般公共预算收入3.18亿元,同比增长6.9%;规模以上工业增加值同比增长9.5%,其中生物基材料产业增加值同比增长18.6%,拉动规上工业增加值增长5.2个百分点;外贸进出口总额13.64亿元,同比增长15.8%。
看项目:上半年开复工项目25个,完成投资31.08亿元;金河华禾年产15万吨生物基聚酯材料项目已完成设备调试,即将投产。
“下半年我们将紧盯全年目标,确保规上工业增加值增长10%以上。”开发区负责人表示。
""",
)

TRADITIONAL = Article(
    id=203901,
    column="yqdt",
    published="2024-07-26 16:40",
    title=yuanqu_trad.TITLE,
    source="金河日报",
    body=yuanqu_trad.BODY,
)

HEADER_ONLY = Article(
    id=203655,
    column="yqdt",
    published="2024-07-16 10:30",
    title="金河经开区上半年外贸进出口总额增长15.8%",
    source="金河日报",
    charset_mode="header",
    body="""\
记者从金河经开区获悉,上半年全区实现外贸进出口总额13.64亿元,同比增长15.8%,其中出口9.02亿元、进口4.62亿元。生物基材料、铝箔产品出口分别增长32.4%和18.9%。
""",
)

WRONG_DECL = Article(
    id=203512,
    column="yqdt",
    published="2024-07-10 14:05",
    title="青川高新区锂电材料产业链加速成型",
    source="青川日报",
    charset_mode="wrong-utf8",
    body="""\
青川高新区锂电材料产业链上下游企业已达到37家,上半年锂电材料产业实现产值68.4亿元,同比增长21.6%。总投资26亿元的青川锐能年产15万吨高性能锂电正极材料项目即将开工。
""",
)

GB2312_DECL = Article(
    id=203488,
    column="yqdt",
    published="2024-07-05 11:50",
    title="桐江高新区智能传感器产业加速集聚",
    source="桐江日报",
    author="记者 王喆",
    charset_mode="gb2312",
    body="""\
桐江高新区已集聚智能传感器企业52家,2023年实现产值46.8亿元,同比增长19.3%。园区计划到2025年传感器产业产值突破80亿元。
""",
)

OTHER_PARK = Article(
    id=203399,
    column="yqdt",
    published="2024-06-28 15:20",
    title="澄湖经开区前5月规上工业增加值增长7.2%",
    source="澄湖发布",
    body="""\
1-5月,澄湖经济开发区规模以上工业增加值同比增长7.2%,完成固定资产投资21.45亿元,同比增长8.3%。
""",
)

QC_JIQUN = Article(
    id=203230,
    column="yqdt",
    published="2024-06-12 10:10",
    title="青川高新区新材料产业集群入选省级先进制造业集群",
    source="园区经济观察网",
    body="""\
日前,青川高新区新材料产业集群入选省级先进制造业集群培育名单。集群内规模以上企业58家,2023年实现营业收入231.5亿元。
""",
)

JH_SCZT = Article(
    id=204420,
    column="yqdt",
    published="2024-09-18 09:00",
    title="金河经开区1-8月新增市场主体389户",
    source="金河日报",
    body="""\
1-8月,金河经开区新增市场主体389户,其中企业104户、个体工商户285户,市场活力持续释放。
""",
)

JH_2024 = Article(
    id=210056,
    column="yqdt",
    published="2025-01-24 17:10",
    title="2024年金河经开区一般公共预算收入增长7.2%",
    source="金河日报",
    body="""\
2024年,金河经开区完成一般公共预算收入6.52亿元,完成年度预算的101.1%,同比增长7.2%;规模以上工业增加值同比增长10.1%。
""",
)

SITE = SiteContent(
    id=SITE_ID,
    name=NAME,
    park_id="jinhe-etdz",
    host_index=5,
    cms="newsportal",
    columns=COLUMNS,
    articles=(
        TEASER_MAIN,
        TRADITIONAL,
        HEADER_ONLY,
        WRONG_DECL,
        GB2312_DECL,
        OTHER_PARK,
        QC_JIQUN,
        JH_SCZT,
        JH_2024,
    ),
    page_size=4,
    organizer="园区经济观察网",
    address="金河市文化路27号传媒大厦",
    phone="0373-5012345",
    icp="豫ICP备08012345号",
)

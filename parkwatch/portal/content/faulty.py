"""The faulty demo site (127.0.1.6): a couple of normal pages plus one URL per failure mode
(see :mod:`parkwatch.portal.cms.faulty`). Not in ``sites/``: crawl it only on purpose."""

from __future__ import annotations

from ..model import Article, Column, SiteContent

SITE = SiteContent(
    id="faulty-demo",
    name="金河经开区政务服务网(故障演示)",
    park_id="jinhe-etdz",
    host_index=6,
    cms="faulty",
    columns=(Column("news", "工作动态", "news"),),
    articles=(
        Article(
            id=5001,
            column="news",
            published="2024-08-01 17:00",
            title="金河经开区召开重点项目调度会",
            source="金河经开区重大项目服务中心",
            body="""\
7月31日,金河经开区召开重点项目调度会。1-7月,全区开复工项目28个,完成投资36.84亿元。
""",
        ),
        Article(
            id=4990,
            column="news",
            published="2024-07-30 10:00",
            title="金河经开区开展安全生产专项检查",
            source="金河经开区应急管理局",
            body="""\
7月份,金河经开区组织开展安全生产专项检查,检查企业46家次,整改隐患97处。
""",
        ),
    ),
    page_size=20,
    organizer="金河经济技术开发区管理委员会",
    address="金河市经开区创业大道1号",
    phone="0373-5586001",
    icp="豫ICP备20011873号",
)
